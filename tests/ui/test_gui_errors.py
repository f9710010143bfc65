"""Bad input in the GUI: a dialog with a clear message, no traceback, exit code 2."""

from PySide6.QtWidgets import QMessageBox

from tests.ui.message_boxes import answer_message_box


def test_corrupt_project_shows_a_dialog(qapp, tmp_path, capsys):
    from app.ui.gui import run_gui

    broken = tmp_path / "broken.gpkg"
    broken.write_bytes(b"\x00" * 100)
    seen = []

    answer_message_box(QMessageBox.StandardButton.Ok, seen)
    code = run_gui(broken)
    assert code == 2
    assert seen and "cannot open project" in seen[0][0]
    assert "not a GeoPackage" in seen[0][1]
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
