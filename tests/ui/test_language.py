"""Korean and English UI: Settings › Language switches every visible string live and is saved."""
import ast
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, QSettings, Qt
from PySide6.QtWidgets import QApplication, QMenu

from app.core.i18n_catalog import catalog, translate
from app.ui import i18n
from app.ui.actions import ACTIONS

APP_DIR = Path(__file__).resolve().parents[2] / "app"


def menu_titles(window) -> list[str]:
    return [action.text() for action in window.menuBar().actions()]


def layer_titles(window) -> list[str]:
    model = window.layer_panel.model
    return [model.data(model.index(row, 0)) for row in range(model.rowCount())]


def choose_language(qtbot, window, object_name: str) -> None:
    """Settings › Language › <language> with the mouse, as a user does."""
    bar = window.menuBar()
    settings = window.menus["Se&ttings"]
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton,
                     pos=bar.actionGeometry(settings.menuAction()).center())
    qtbot.waitUntil(settings.isVisible)
    submenu = window.findChild(QMenu, "menuLanguage")
    qtbot.mouseClick(settings, Qt.MouseButton.LeftButton,
                     pos=settings.actionGeometry(submenu.menuAction()).center())
    qtbot.waitUntil(submenu.isVisible)
    action = window.actions_by_name[object_name]
    qtbot.mouseClick(submenu, Qt.MouseButton.LeftButton,
                     pos=submenu.actionGeometry(action).center())
    qtbot.waitUntil(lambda: not settings.isVisible())
    QApplication.processEvents()


@pytest.fixture
def with_site(gvalley):
    """The default project with one square site in G-Valley, its card filled."""
    return gvalley[0]


def test_menu_switches_the_visible_strings_to_korean_and_back(qtbot, with_site):
    w = with_site
    save = w.actions_by_name["actionSave"]
    assert menu_titles(w)[0] == "&File" and w.language == "en"
    assert w.layer_dock.windowTitle() == "Layers"
    assert "Start-ups (synthetic)" in layer_titles(w)
    assert w.indicators_panel.card_labels()[0] == "startups_n"
    english_tip = save.toolTip()

    choose_language(qtbot, w, "actionLanguageKo")

    assert w.language == "ko"
    assert w.actions_by_name["actionLanguageKo"].isChecked()
    titles = menu_titles(w)
    assert titles[:3] == ["파일(&F)", "편집(&E)", "보기(&V)"] and "분석(&A)" in titles
    assert save.text() == "프로젝트 저장(&S)"
    assert save.toolTip().startswith("프로젝트 저장") and save.toolTip() != english_tip
    assert save.toolTip().endswith("(Ctrl+S)")  # shortcuts stay as they are typed
    assert w.layer_dock.windowTitle() == "레이어"
    assert w.layer_dock.toggleViewAction().text() == "레이어"  # View menu follows the dock
    assert w.indicators_dock.windowTitle() == "지표"
    assert "스타트업 (합성)" in layer_titles(w)
    assert "혁신지구  [근사]" in layer_titles(w)
    labels = w.indicators_panel.card_labels()
    assert labels[0] == "스타트업 수" and "종합 점수" in labels
    # the card keeps its values; card_values() is keyed by the INDICATORS.md names
    assert int(w.indicators_panel.card_values()["startups_n"].replace(",", "")) > 0
    header = w.indicators_panel.table_model.headerData(2, Qt.Orientation.Horizontal)
    assert header == "스타트업 수"
    assert w.sites_panel.model.headerData(0, Qt.Orientation.Horizontal) == "이름"
    assert w.identify_panel.headerItem().text(1) == "값"
    assert w.data_label.text().startswith("실제 데이터 아님")
    assert w.radius_label.text().strip() == "반경"
    assert w.actions_by_name["actionUndo"].text().startswith("실행 취소(&U) 후보지")
    assert w.analysis.suggest_action.text() == "후보지 제안(&S)…"
    assert w.actions_by_name["actionIdentify"].iconText() == "정보 확인"
    # Qt's own texts come with qtbase_ko.qm
    assert QApplication.translate("QPlatformTheme", "Close") == "닫기"

    choose_language(qtbot, w, "actionLanguageEn")

    assert w.language == "en" and menu_titles(w)[0] == "&File"
    assert save.text() == "&Save project" and save.toolTip() == english_tip
    assert w.layer_dock.windowTitle() == "Layers"
    assert "Start-ups (synthetic)" in layer_titles(w)
    assert w.indicators_panel.card_labels()[0] == "startups_n"
    assert w.data_label.text().startswith("Not real data")
    assert w.actions_by_name["actionUndo"].text().startswith("&Undo ")


def test_the_choice_is_saved_and_used_by_the_next_window(qtbot, main_window,
                                                         default_project_path):
    from app.core.project_loader import load_project
    from app.ui.main_window import MainWindow

    choose_language(qtbot, main_window, "actionLanguageKo")
    assert QSettings().value("ui/language") == "ko"
    assert main_window.project.capture_settings().language == "ko"  # informative copy
    i18n.reset()  # as after a restart: read QSettings again
    window = MainWindow(load_project(default_project_path))
    try:
        assert window.language == "ko"
        assert menu_titles(window)[0] == "파일(&F)"
        assert window.actions_by_name["actionLanguageKo"].isChecked()
    finally:
        window.project._set_clean()
        window.close()
        window.deleteLater()


def test_first_run_follows_the_system_locale(qtbot, default_project_path):
    from app.core.project_loader import load_project
    from app.ui.gui import application
    from app.ui.main_window import MainWindow

    assert i18n.system_language(QLocale("ko_KR")) == "ko"
    assert i18n.system_language(QLocale("en_GB")) == "en"
    assert i18n.system_language(QLocale("de_DE")) == "en"
    application()
    assert QSettings().value("ui/language") is None
    QLocale.setDefault(QLocale(QLocale.Language.Korean, QLocale.Country.SouthKorea))
    i18n.reset()
    window = MainWindow(load_project(default_project_path))
    try:
        assert window.language == "ko"
        assert window.layer_dock.windowTitle() == "레이어"
    finally:
        window.project._set_clean()
        window.close()
        window.deleteLater()


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs pdftotext (poppler-utils)")
def test_exported_pdf_legend_follows_the_language(qtbot, main_window, tmp_path):
    def pdf_text(path):  # (pdftotext reads the embedded font's spaces as \x01)
        return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                              check=True).stdout.replace("\x01", " ")

    assert main_window.export_map(tmp_path / "en.pdf", title="Workshop")
    english = pdf_text(tmp_path / "en.pdf")
    assert "Legend" in english and "범례" not in english
    i18n.set_language("ko")
    assert main_window.export_map(tmp_path / "ko.pdf", title="워크숍")
    korean = pdf_text(tmp_path / "ko.pdf")
    assert "범례" in korean and "Legend" not in korean
    assert "스타트업 (합성)" in korean and "합성" in korean
    assert "지도 제작: InnoAtlas" in korean
    assert main_window.statusBar().currentMessage().startswith("지도를 ko.pdf")


def test_a_site_sketched_in_korean_gets_a_korean_name(qtbot, main_window):
    w = main_window
    i18n.set_language("ko")
    w.actions_by_name["actionSnapping"].setChecked(False)
    w.zoom_to_district("magok")
    w.actions_by_name["actionPointSite"].trigger()
    centre = w.canvas.rect().center()
    qtbot.mouseClick(w.canvas, Qt.MouseButton.LeftButton, pos=centre)
    assert w.stack.get("sites").data["name"].tolist() == ["후보지 1"]
    assert w.actions_by_name["actionUndo"].text() == "실행 취소(&U) 후보지 “후보지 1” 추가"
    w.indicators.wait()
    QApplication.processEvents()
    assert "후보지 1" in w.indicators_panel.title.text()
    assert "점수" in w.indicators_panel.title.text()


def test_layer_properties_and_message_boxes_are_korean(qtbot, main_window):
    i18n.set_language("ko")
    layer = main_window.stack.get("startups")
    dialog = main_window.show_properties(layer)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "레이어 속성 — 스타트업 (합성)"
    text = dialog.browser.toPlainText()
    assert "출처" in text and "라이선스" in text and "합성" in text
    dialog.close()
    assert "InnoAtlas" in main_window.windowTitle()
    assert main_window.project.display_name == "제목 없음 (기본 프로젝트)"


def test_every_action_has_a_korean_text_and_tip():
    ko = catalog("ko")
    missing = [text for spec in ACTIONS
               for text in (spec.text, spec.tip, spec.menu, spec.submenu) if text
               if text not in ko]
    assert not missing, f"add Korean for these ActionSpec strings to ko.json: {missing}"


def _literal_tr_strings() -> set[str]:
    found = set()
    for path in APP_DIR.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and node.args \
                    and getattr(node.func, "id", getattr(node.func, "attr", "")) in \
                    ("tr", "translate") \
                    and isinstance(node.args[0], ast.Constant) \
                    and isinstance(node.args[0].value, str):
                found.add(node.args[0].value)
    return found


def test_every_translated_literal_in_the_app_is_in_the_catalog():
    hangul = re.compile("[\uac00-\ud7a3]")
    strings = {s for s in _literal_tr_strings() if s and not hangul.search(s)}
    assert len(strings) > 140
    missing = sorted(strings - set(catalog("ko")))
    assert not missing, f"add Korean for these tr() strings to ko.json: {missing}"


def test_catalog_entries_keep_their_placeholders_and_mnemonics():
    field = re.compile(r"{(\w*)}")
    for english, korean in catalog("ko").items():
        assert sorted(field.findall(english)) == sorted(field.findall(korean)), english
        if re.search(r"&\w", english):
            assert re.search(r"&\w", korean), f"{english!r} lost its mnemonic"
    assert translate("Opacity {value} %", "ko", value=40) == "불투명도 40 %"
    assert translate("no such source string", "ko") == "no such source string"
    assert translate("&File", "en") == "&File"


def test_cli_render_takes_a_language(tmp_path):
    from app.cli import main

    out = tmp_path / "ko.pdf"
    assert main(["render", str(out), "--lang", "ko"]) == 0
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert "범례" in text
