"""With the basemap on, the PNG/PDF export waits for its tiles in the worker: a progress
dialog with Cancel, the window responsive meanwhile, no file after Cancel (issue 17)."""

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton

from app.core.basemap.sources import CUSTOM, BasemapSettings
from app.ui import worker
from tests.tile_server import TileServer


def test_export_waits_for_tiles_in_the_worker_and_cancel_stops_it(qtbot, main_window, tmp_path):
    w = main_window
    with TileServer(held=True) as server:  # tiles come only after release()
        w.basemap.change(BasemapSettings(enabled=True, source=CUSTOM, custom_url=server.template))
        ticks = []
        timer = QTimer()
        timer.timeout.connect(lambda: ticks.append(1))
        timer.start(20)
        out = tmp_path / "map.png"
        task = w.export_map(out, title="Tiles")
        assert isinstance(task, worker.Task)  # returned at once, the tiles still coming
        dialog = w.findChild(QProgressDialog, "mapExportProgress")
        qtbot.waitUntil(lambda: dialog.isVisible())
        qtbot.waitUntil(lambda: len(ticks) > 10)  # the event loop runs: nothing blocks
        assert not out.exists()
        button = dialog.findChild(QPushButton)  # Cancel
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        assert worker.wait_all(20_000)
        qtbot.waitUntil(lambda: "cancel" in w.statusBar().currentMessage().lower())
        assert not out.exists()

        # again, and the tiles arrive: the file is written with the tiles
        task = w.export_map(out, title="Tiles")
        server.release()
        assert worker.wait_all(30_000)
        qtbot.waitUntil(lambda: out.exists())
        qtbot.waitUntil(lambda: "exported" in w.statusBar().currentMessage().lower())
        assert server.requests > 0
        timer.stop()
        QApplication.processEvents()


def test_the_export_dialog_waits_in_the_worker_and_closes_when_written(
    qtbot, main_window, tmp_path
):
    from PySide6.QtWidgets import QDialogButtonBox

    from app.ui.export.map_dialog import MapExportDialog

    w = main_window
    with TileServer(held=True) as server:
        w.basemap.change(BasemapSettings(enabled=True, source=CUSTOM, custom_url=server.template))
        w.activateWindow()
        qtbot.keyClick(w, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
        dialog = w.findChild(MapExportDialog, "mapExportDialog")
        out = tmp_path / "view.pdf"
        dialog.path_edit.setFocus()
        qtbot.keyClick(dialog.path_edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClicks(dialog.path_edit, str(out))
        ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
        progress = dialog.findChild(QProgressDialog, "mapExportProgress")
        qtbot.waitUntil(lambda: progress.isVisible())
        assert dialog.isVisible() and not out.exists()  # waiting, the dialog still open
        server.release()
        assert worker.wait_all(30_000)
        qtbot.waitUntil(lambda: not dialog.isVisible())
        assert out.exists() and out.read_bytes().startswith(b"%PDF")
        assert "view.pdf" in w.statusBar().currentMessage()
