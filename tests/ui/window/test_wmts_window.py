"""View › Basemap… › WMTS: the layers of a GetCapabilities URL are listed, the chosen one
is drawn from a real loopback server, and an unusable document says why (issue 17)."""

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QDialogButtonBox

from app.core.basemap.sources import WMTS, BasemapSettings
from app.ui.project.basemap_dialog import BasemapDialog
from tests.core.basemap.test_wmts import BILLION_LAUGHS, capabilities
from tests.tile_server import TileServer


def open_dialog(qtbot, w) -> BasemapDialog:
    w.actions_by_name["actionBasemap"].trigger()
    dialog = w.findChild(BasemapDialog)
    qtbot.waitExposed(dialog)
    return dialog


def load(qtbot, dialog, url):
    dialog.source.setCurrentIndex(dialog.source.findData(WMTS))
    qtbot.keyClicks(dialog.wmts_url, url)
    qtbot.mouseClick(dialog.wmts_load, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.wmts_load.isEnabled(), timeout=15_000)


def test_a_wmts_layer_from_capabilities_is_drawn_on_the_canvas(qtbot, main_window, tmp_path):
    w = main_window
    with TileServer() as server:
        server.documents["/WMTSCapabilities.xml"] = ("text/xml", capabilities(server.root))
        server.documents["/evil.xml"] = ("text/xml", BILLION_LAUGHS)
        dialog = open_dialog(qtbot, w)
        qtbot.mouseClick(dialog.enabled, Qt.MouseButton.LeftButton, pos=QPoint(8, 8))
        load(qtbot, dialog, f"{server.root}/evil.xml")
        assert "DTD or entities" in dialog.error.text() and dialog.wmts_layer.count() == 0
        dialog.wmts_url.clear()
        load(qtbot, dialog, f"{server.root}/WMTSCapabilities.xml")
        assert dialog.error.text() == ""
        assert dialog.wmts_layer.count() == 1 and "Streets" in dialog.wmts_layer.currentText()
        ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
        chosen = BasemapSettings.of(w.project.settings.extra)
        assert chosen.enabled and chosen.source == WMTS and chosen.wmts_layer == "streets"
        assert w.canvas.basemap.attribution() == "Loopback Maps"
        w.canvas.render_now()
        qtbot.waitUntil(
            lambda: (
                any("/wmts/grey/GoogleMapsCompatible/" in p for p in server.paths)
                and w.canvas.basemap.pending() == 0
            ),
            timeout=15_000,
        )
        tiles = [p for p in server.paths if p.startswith("/wmts/")]
        assert tiles and all(p.endswith(".png") for p in tiles)
        assert not w.canvas.basemap._failed  # every tile came and was an image
