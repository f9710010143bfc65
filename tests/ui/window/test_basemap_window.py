"""View › Basemap… in the main window: off in the embedded project, turned on through
the dialog as one undo step, saved with the project, drawn in the PNG export with its
credit (tiles from a loopback server)."""

import numpy as np
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QDialogButtonBox

from app.core.basemap.sources import CUSTOM, BasemapSettings
from app.core.project.store import open_project
from app.ui.canvas.basemap import with_credit
from app.ui.canvas.render.decorations import attribution_text
from app.ui.project.basemap_dialog import BasemapDialog
from tests.tile_server import PALETTE, TileServer


def test_basemap_is_off_by_default_and_set_through_the_dialog(qtbot, main_window, tmp_path):
    w = main_window
    assert not w.canvas.basemap.settings.enabled
    assert "basemap" not in w.project.settings.extra
    with TileServer() as server:
        w.actions_by_name["actionBasemap"].trigger()
        dialog = w.findChild(BasemapDialog)
        qtbot.waitExposed(dialog)
        qtbot.mouseClick(dialog.enabled, Qt.MouseButton.LeftButton, pos=QPoint(8, 8))
        dialog.source.setCurrentIndex(dialog.source.findData(CUSTOM))
        qtbot.keyClicks(dialog.url, server.template)
        qtbot.keyClicks(dialog.credit, "© Loopback tiles")
        dialog.greyscale.setChecked(True)
        steps = w.undo_stack.count()
        ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
        assert w.undo_stack.count() == steps + 1
        chosen = BasemapSettings.of(w.project.settings.extra)
        assert chosen.enabled and chosen.custom_url == server.template and chosen.greyscale
        assert w.canvas.basemap.attribution() == "© Loopback tiles"
        w.canvas.render_now()
        qtbot.waitUntil(lambda: server.requests > 0 and w.canvas.basemap.pending() == 0)
        # the PNG export draws the basemap under the layers and credits it
        from app.ui.export.map_export import render_map

        png = tmp_path / "map.png"
        layout = render_map(w.stack, png, extent=w.canvas.viewport.extent, basemap=w.basemap.spec())
        assert not [n for n in layout.notes if "basemap" in n]
        image = QImage(str(png)).convertToFormat(QImage.Format.Format_RGB32)
        rect = layout.map.toRect()
        pixels = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), -1, 4)
        area = pixels[rect.top() : rect.bottom(), rect.left() : rect.right(), :3]
        grey = np.abs(area[..., 0].astype(int) - area[..., 2]) <= 2
        assert grey.mean() > 0.3  # the greyscale tiles show where no layer covers them
        assert "© Loopback tiles" in with_credit(attribution_text(w.stack), chosen)
        # saved with the project, and undo turns it off again
        path = tmp_path / "p.gpkg"
        assert w.project.save_to(path)
        assert BasemapSettings.of(open_project(path).settings.extra) == chosen
        w.undo_stack.undo()
        assert not w.canvas.basemap.settings.enabled
        assert "basemap" not in w.project.settings.extra
    assert PALETTE  # the server's colours (documented in tests/tile_server.py)


def test_a_bad_custom_url_is_refused_in_the_dialog(qtbot, main_window):
    w = main_window
    dialog = BasemapDialog(BasemapSettings(), w)
    dialog.show()
    qtbot.mouseClick(dialog.enabled, Qt.MouseButton.LeftButton, pos=QPoint(8, 8))
    dialog.source.setCurrentIndex(dialog.source.findData(CUSTOM))
    qtbot.keyClicks(dialog.url, "file:///etc/passwd")
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "http" in dialog.error.text()
    dialog.close()
