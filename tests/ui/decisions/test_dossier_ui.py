"""File → Export site dossiers: one page per site; no sites is a status note, no PDF."""

import shutil
import subprocess

import pytest
import shapely
from PySide6.QtWidgets import QApplication

from app.core.sites.geometry import CheckedGeometry


def test_export_writes_one_page_per_site_in_the_ui_language(qtbot, gvalley, tmp_path):
    w, cx, cy = gvalley
    w.editing.add_site(CheckedGeometry(shapely.Point(cx + 900, cy)))
    w.indicators.wait()
    out = tmp_path / "dossiers.pdf"
    assert w.decisions.export_dossiers(out)
    assert "2 dossier pages" in w.statusBar().currentMessage()
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = subprocess.run(["pdftotext", out, "-"], capture_output=True, text=True).stdout
    assert text.count("Site dossier: ") == 2
    assert "Ranked 1st in" in text


def test_no_sites_is_a_status_note_and_no_file(qtbot, main_window, tmp_path):
    out = tmp_path / "dossiers.pdf"
    action = main_window.actions_by_name["actionExportDossiers"]
    assert action in main_window.menuBar().actions()[0].menu().actions()  # in the File menu
    assert not main_window.decisions.export_dossiers(out)
    QApplication.processEvents()
    assert "no sites to write a dossier" in main_window.statusBar().currentMessage()
    assert not out.exists()
