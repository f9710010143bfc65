"""Help → About follows the UI language and never shows an empty licence."""

import re

import pytest
from PySide6.QtWidgets import QMessageBox

from app.core.i18n_catalog import catalog
from app.ui import i18n


def about_text(qtbot, window):
    window.actions_by_name["actionAbout"].trigger()
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "aboutBox") is not None, timeout=3000)
    box = window.findChild(QMessageBox, "aboutBox")
    text = re.sub(r"<[^>]+>", " ", box.text())
    box.close()
    box.deleteLater()
    return text


@pytest.mark.parametrize(("language", "missing"), [("en", "not stated"), ("ko", "명시 안 됨")])
def test_about_never_shows_an_empty_licence(qtbot, main_window, language, missing):
    i18n.set_language(language, save=False)
    text = about_text(qtbot, main_window)
    assert not re.search(r"(Licence|라이선스):\s*\.", text)
    assert missing in text  # the sites layer states no licence


def test_about_in_korean_has_no_english_sentences(qtbot, main_window):
    i18n.set_language("ko", save=False)
    text = about_text(qtbot, main_window)
    assert "합성 자료" in text and "사용자가 그리거나 가져옴" in text
    # Proper names and codes stay (KOGL, CC BY 4.0, URLs); no run of 5 English words.
    without_urls = re.sub(r"https?://\S+", "", text)
    assert not re.search(r"(\b[a-z]{2,}\b[ ,;]+){5}", without_urls), without_urls


def test_every_default_layer_provenance_has_korean(main_window):
    ko = catalog("ko")
    for layer in main_window.stack:
        p = layer.provenance
        for text in (p.source, p.licence, p.notes):
            assert not text or text in ko or not re.search("[A-Za-z]{4}", text), text
