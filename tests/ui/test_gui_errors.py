"""Bad input in the GUI: a dialog with a clear message, no traceback, exit code 2."""
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox


def test_corrupt_project_shows_a_dialog(qapp, tmp_path, capsys):
    from app.ui.gui import run_gui

    broken = tmp_path / "broken.gpkg"
    broken.write_bytes(b"\x00" * 100)
    seen = []

    def close_dialog():
        boxes = [w for w in QApplication.topLevelWidgets()
                 if isinstance(w, QMessageBox) and w.isVisible()]
        if not boxes:
            QTimer.singleShot(20, close_dialog)
            return
        seen.append((boxes[0].windowTitle(), boxes[0].text()))
        boxes[0].accept()

    QTimer.singleShot(20, close_dialog)
    code = run_gui(broken)
    assert code == 2
    assert seen and "cannot open project" in seen[0][0]
    assert "not a GeoPackage" in seen[0][1]
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
