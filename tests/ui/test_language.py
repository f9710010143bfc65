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
    qtbot.mouseClick(
        bar, Qt.MouseButton.LeftButton, pos=bar.actionGeometry(settings.menuAction()).center()
    )
    qtbot.waitUntil(settings.isVisible)
    submenu = window.findChild(QMenu, "menuLanguage")
    qtbot.mouseClick(
        settings,
        Qt.MouseButton.LeftButton,
        pos=settings.actionGeometry(submenu.menuAction()).center(),
    )
    qtbot.waitUntil(submenu.isVisible)
    action = window.actions_by_name[object_name]
    qtbot.mouseClick(
        submenu, Qt.MouseButton.LeftButton, pos=submenu.actionGeometry(action).center()
    )
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
    assert w.indicators_panel.card_labels()[0] == "Start-ups within R"
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
    # the card keeps its values; card_values() is keyed by the docs/indicators.md names
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
    assert w.indicators_panel.card_labels()[0] == "Start-ups within R"
    assert w.data_label.text().startswith("Not real data")
    assert w.actions_by_name["actionUndo"].text().startswith("&Undo ")


def test_the_choice_is_saved_and_used_by_the_next_window(qtbot, main_window, default_project_path):
    from app.core.project.loader import load_project
    from app.ui.window.main_window import MainWindow

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
    from app.core.project.loader import load_project
    from app.ui.gui import application
    from app.ui.window.main_window import MainWindow

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
        return subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout.replace("\x01", " ")

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
    missing = [
        text
        for spec in ACTIONS
        for text in (spec.text, spec.tip, spec.menu, spec.submenu)
        if text
        if text not in ko
    ]
    assert not missing, f"add Korean for these ActionSpec strings to ko.json: {missing}"


def _literal_tr_strings() -> set[str]:
    found = set()
    for path in APP_DIR.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and node.args
                and getattr(node.func, "id", getattr(node.func, "attr", "")) in ("tr", "translate")
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
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
    from app.cli.main import main

    out = tmp_path / "ko.pdf"
    assert main(["render", str(out), "--lang", "ko"]) == 0
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", str(out), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "범례" in text


def test_presentation_scenes_panel_and_export_dialog_are_korean(qtbot, main_window):
    from PySide6.QtWidgets import QAbstractItemView, QDialogButtonBox, QLineEdit

    from app.ui.export.map_dialog import ORIENTATION_TEXTS, ROWS, WHAT_TEXTS, MapExportDialog
    from app.ui.presentation.overlay import CARD_ROWS

    w = main_window
    panel = w.scenes_panel
    w.scenes_dock.show()
    w.scenes_dock.raise_()
    qtbot.waitUntil(panel.list.isVisible, timeout=2000)
    # The user renames Yangjae/Gaepo (F2, type, Enter) before switching the language.
    lst = panel.list
    qtbot.mouseClick(
        lst.viewport(), Qt.MouseButton.LeftButton, pos=lst.visualItemRect(lst.item(2)).center()
    )
    qtbot.keyClick(lst, Qt.Key.Key_F2)
    assert lst.state() == QAbstractItemView.State.EditingState
    editor = lst.viewport().findChild(QLineEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, "Workshop")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: w.scenes[2].title == "Workshop", timeout=2000)

    choose_language(qtbot, w, "actionLanguageKo")

    # Untouched default scenes follow the language, the renamed one keeps its title.
    assert [lst.item(i).text() for i in range(3)] == [
        "G밸리 (서울디지털산업단지)",
        "마곡",
        "Workshop",
    ]
    assert [panel.add_button.text(), panel.rename_button.text(), panel.delete_button.text()] == [
        "화면 추가",
        "이름 바꾸기",
        "삭제",
    ]
    assert lst.item(1).toolTip().startswith("장면 2: 마곡")
    assert w.scenes_dock.windowTitle() == "장면"
    assert (
        w.actions_by_name["actionUndo"].text()
        == "실행 취소(&U) 장면 이름 “Yangjae/Gaepo” → “Workshop”"
    )
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow, timeout=2000)
    w.canvas.setFocus()
    qtbot.keyClick(w.canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert w.scenes[2].title == "양재·개포"  # undo brings the default back, in Korean
    assert w.actions_by_name["actionPresent"].text() == "발표 모드(&P)"

    # The export dialog (Ctrl+P) in Korean; it follows a switch while it is open.
    qtbot.keyClick(w, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    dialog = w.findChild(MapExportDialog, "mapExportDialog")
    assert dialog is not None and dialog.isVisible()
    labels = {name: label.text() for name, label in dialog.labels.items()}
    assert labels["path_box"] == "파일" and labels["title_edit"] == "제목"
    assert labels["scene_combo"] == "장면" and labels["dpi_spin"] == "해상도 (PNG)"
    assert dialog.windowTitle() == "지도 내보내기"
    assert dialog.format_label.text() == "PDF (벡터)"
    assert [dialog.what_combo.itemText(i) for i in range(3)] == [
        "현재 화면",
        "장면 하나",
        "모든 장면 (PDF, 장면마다 한 쪽)",
    ]
    assert dialog.scene_combo.itemText(1) == "마곡"
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    cancel = dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel)
    assert (ok.text(), cancel.text()) == ("내보내기", "취소")
    i18n.set_language("en")
    QApplication.processEvents()  # (Qt's own LanguageChange comes as an event)
    assert dialog.labels["title_edit"].text() == "Title" and ok.text() == "Export"
    assert cancel.text() == "Cancel" and dialog.scene_combo.itemText(1) == "Magok"
    i18n.set_language("ko")
    QApplication.processEvents()
    assert dialog.labels["title_edit"].text() == "제목" and ok.text() == "내보내기"
    dialog.close()
    ko = catalog("ko")
    tables = (
        [text for _name, text in ROWS]
        + list(WHAT_TEXTS.values())
        + list(ORIENTATION_TEXTS.values())
        + [label for _column, label in CARD_ROWS]
    )
    assert [text for text in tables if text not in ko] == []

    # Presentation mode: F5 starts at the scene selected in the panel (the renamed
    # one, Yangjae/Gaepo), then Page Up goes to Magok.
    w.presentation.animation_ms = 0
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow, timeout=2000)  # (after the dialog)
    w.canvas.setFocus()
    qtbot.keyClick(w.canvas, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: w.presentation.bar.isVisible(), timeout=3000)
    qtbot.waitUntil(lambda: w.presentation.current_title() == "양재·개포", timeout=2000)
    qtbot.keyClick(w.canvas, Qt.Key.Key_PageUp)
    assert w.presentation.current_title() == "마곡"
    bar = w.presentation.bar
    assert bar.counter.text() == "장면 2/3"
    assert (bar.card.text(), bar.leave.text()) == ("지표 (I)", "나가기 (Esc)")
    assert bar.previous.toolTip().startswith("이전 장면")
    w.canvas.repaint()
    assert w.presentation.overlay.title_rect.height() > 0
    qtbot.keyClick(w.canvas, Qt.Key.Key_PageDown)
    qtbot.keyClick(w.canvas, Qt.Key.Key_PageDown)  # past the last one
    assert w.presentation.message == "마지막 장면입니다 (Page Up: 이전 장면)"
    # Switching back while presenting: the band and the buttons follow.
    i18n.set_language("en")
    QApplication.processEvents()
    assert w.presentation.message == ""  # no Korean toast left over the English map
    assert w.presentation.current_title() == "Yangjae/Gaepo"
    assert bar.leave.text() == "Leave (Esc)" and bar.counter.text() == "Scene 3 of 3"
    qtbot.keyClick(w.canvas, Qt.Key.Key_Escape)
    assert not w.presentation.active


def test_saved_default_scene_titles_follow_the_language():
    from app.core.project.scenes import Scene, scenes_from_settings, scenes_to_settings

    extra = {}
    box = (0.0, 0.0, 100.0, 100.0)
    scenes_to_settings(
        extra,
        [
            Scene("gvalley", "G-Valley", box),
            Scene("magok", "Harbour", box),
            Scene("yangjae", "양재·개포", box),
            Scene("scene-4", "Magok", box),
        ],
    )
    titles = [s.title for s in scenes_from_settings(extra, stack=None, language="ko")]
    # saved defaults (in either language) follow; a renamed or added scene keeps its title
    assert titles == ["G밸리 (서울디지털산업단지)", "Harbour", "양재·개포", "Magok"]
    titles = [s.title for s in scenes_from_settings(extra, stack=None, language="en")]
    assert titles == ["G-Valley", "Harbour", "Yangjae/Gaepo", "Magok"]


def test_add_layer_dialog_and_its_undo_step_are_korean(qtbot, main_window, tmp_path):
    import geopandas as gpd
    import pyogrio
    import shapely
    from PySide6.QtWidgets import QFormLayout, QMessageBox

    from app.core.formats.vector import KOREAN_CRS_PRESETS
    from app.core.project.roles import ROLE_FIELDS, ROLES

    w = main_window
    path = tmp_path / "centres.geojson"
    pyogrio.write_dataframe(
        gpd.GeoDataFrame(
            {"이름": ["가산 센터", "마곡 센터"], "업종": ["AI/Data", "Bio/Health"]},
            geometry=shapely.points([126.887, 126.833], [37.478, 37.560]),
            crs="EPSG:4326",
        ),
        path,
    )
    i18n.set_language("ko")
    dialog = w.importer.ask(path)
    qtbot.waitUntil(lambda: dialog.ready, timeout=20_000)  # inspected in a worker
    assert dialog.windowTitle() == "레이어 추가 — centres.geojson"
    labels = [
        dialog.form.labelForField(field).text()
        for field in (dialog.file_label, dialog.crs_label, dialog.title_edit, dialog.role_box)
    ]
    assert labels == ["파일", "좌표계", "이름", "용도"]
    assert dialog.form.labelForField(dialog.encoding_box).text() == "인코딩"
    assert dialog.ok_button.text() == "레이어 추가"
    assert dialog.crs_label.text().startswith("EPSG:4326 (파일에 기록됨)")
    assert dialog.role_box.currentText() == "지도에 표시만 하기"
    assert "스타트업" in dialog.role_box.itemText(1)

    def mapping_labels():
        form = dialog.mapping_form
        return [
            form.itemAt(row, QFormLayout.ItemRole.LabelRole).widget().text()
            for row in range(form.rowCount())
        ]

    # zoning needs a zone-name column this file does not have: the reason is Korean
    dialog.role_box.setFocus()
    qtbot.keyClick(dialog.role_box, Qt.Key.Key_End)
    assert dialog.role_box.currentText() == "도보 네트워크로 사용 (거리를 따라 걷는 영향권)"
    qtbot.keyClick(dialog.role_box, Qt.Key.Key_Up)
    assert dialog.role_box.currentData() == "zoning"
    assert mapping_labels()[0] == "용도지역명 *"
    assert dialog.problem.text() == "다음 항목의 열을 선택하세요: 용도지역명"
    assert not dialog.ok_button.isEnabled()
    qtbot.keyClick(dialog.role_box, Qt.Key.Key_Home)
    qtbot.keyClick(dialog.role_box, Qt.Key.Key_Down)
    assert dialog.role_box.currentText() == "지표 계산에 스타트업 레이어로 사용"
    assert dialog.mapping_group.title() == "열"
    assert mapping_labels() == ["이름", "업종", "종사자 수"]
    assert dialog.mapping_boxes["employees"].currentText() == "(없음)"
    assert dialog.mapping_boxes["sector"].toolTip().startswith("업종 또는 산업 분류")
    with qtbot.waitSignal(w.importer.layerAdded, timeout=20_000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    for box in [b for b in w.findChildren(QMessageBox) if b.isVisible()]:
        box.done(0)  # "added with notes", if the engine had any
    assert w.statusBar().currentMessage().startswith("centres 추가됨: 객체 2개")
    assert w.actions_by_name["actionUndo"].text() == "실행 취소(&U) 레이어 “centres” 추가"
    w.actions_by_name["actionRemoveLayer"].trigger()
    assert w.actions_by_name["actionUndo"].text() == "실행 취소(&U) 레이어 “centres” 제거"
    w.layer_panel.select_layer(w.stack.get("zoning"))
    assert not w.remove_current_layer()
    boxes = [b for b in w.findChildren(QMessageBox) if b.isVisible()]
    assert [b.windowTitle() for b in boxes] == ["레이어를 제거할 수 없습니다"]
    assert "체크 상자로 숨기세요" in boxes[0].text()
    boxes[0].done(0)
    w.undo_stack.undo()  # the layer is back
    # the undo text follows a later switch, like the site commands'
    i18n.set_language("en")
    assert w.actions_by_name["actionUndo"].text() == "&Undo Add layer “centres”"
    # texts the dialog translates from variables (not tr() literals) have Korean too
    ko = catalog("ko")
    shown = [*ROLES.values(), *(name for _code, name in KOREAN_CRS_PRESETS), "(none)"]
    shown += [
        text for fields in ROLE_FIELDS.values() for f in fields for text in (f.label, f.description)
    ]
    assert not [text for text in shown if text not in ko]


def test_no_english_is_left_in_the_status_bar_after_the_switch(qtbot, main_window):
    from PySide6.QtWidgets import QLabel, QToolBar

    w = main_window
    bar = w.findChild(QToolBar, "sitesToolbar")
    snapping = w.actions_by_name["actionSnapping"]
    qtbot.mouseClick(bar.widgetForAction(snapping), Qt.MouseButton.LeftButton)
    assert w.statusBar().currentMessage() in ("Snapping on", "Snapping off")

    choose_language(qtbot, w, "actionLanguageKo")
    qtbot.mouseMove(w.canvas, w.canvas.rect().center())  # the coordinates show too
    qtbot.waitUntil(lambda: w.coords_label.text() != "", timeout=2000)

    english = re.compile(r"\b(?!EPSG\b|WGS84\b)[A-Za-z]{3,}")
    shown = [w.statusBar().currentMessage()] + [
        label.text() for label in w.statusBar().findChildren(QLabel)
    ]
    assert not [text for text in shown if english.search(text)], shown
    # View menu panel toggles and Open recent explain themselves, in Korean
    toggle = w.layer_dock.toggleViewAction()
    assert toggle.toolTip() == "레이어 패널 보이기/숨기기" == toggle.statusTip()
    assert w.recent_menu.menuAction().toolTip() == "최근에 연 프로젝트 중 하나 열기"


def test_an_imported_layer_reads_korean_in_korean_mode(qtbot, main_window, tmp_path):
    import geopandas as gpd
    import pyogrio
    import shapely
    from PySide6.QtWidgets import QMessageBox

    from app.core.project.attribution import attribution_text

    w = main_window
    path = tmp_path / "centres.geojson"
    pyogrio.write_dataframe(
        gpd.GeoDataFrame(
            {"이름": ["가산 센터"]}, geometry=shapely.points([126.887], [37.478]), crs="EPSG:4326"
        ),
        path,
    )
    dialog = w.importer.ask(path)
    qtbot.waitUntil(lambda: dialog.ready, timeout=20_000)  # inspected in a worker
    with qtbot.waitSignal(w.importer.layerAdded, timeout=20_000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    for box in [b for b in w.findChildren(QMessageBox) if b.isVisible()]:
        box.done(0)
    layer = w.stack.get("centres")
    assert layer.provenance.attribution == "centres (imported)"  # stored in English
    assert "centres (imported)" in attribution_text(w.stack, "en")

    choose_language(qtbot, w, "actionLanguageKo")

    text = attribution_text(w.stack, w.canvas.language)
    assert "centres (가져옴)" in text and "imported" not in text
    dialog = w.show_properties(layer)
    qtbot.addWidget(dialog)
    page = dialog.browser.toPlainText()
    assert "사용자가 centres.geojson에서 가져옴" in page
    assert "파일 배포자가 밝힌 대로" in page and "centres.geojson에서 가져온 레이어" in page
    assert "imported" not in page.lower() and "publisher" not in page
    assert page.count("centres") == 4  # name once, source, attribution, description
    dialog.close()
