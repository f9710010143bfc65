"""The basemap on the canvas, fed by a real tile server on 127.0.0.1: tiles land where
they belong, the cache serves a second run with the server stopped, a dead server or a
500 leaves the map blank with one status note and no hang."""

import numpy as np
import pytest
from PySide6.QtGui import QColor

from app.core.basemap.sources import CUSTOM, BasemapSettings
from app.core.basemap.tiles import ORIGIN, TILE_PX, tile_span, to_mercator, zoom_for
from app.ui.canvas.map_canvas import MapCanvas
from app.ui.canvas.render.map_renderer import BACKGROUND
from layers.model import LayerStack
from tests.tile_server import TileServer, dead_template, expected_colour

CX, CY = 203000.0, 544000.0


@pytest.fixture
def canvas(qtbot, tmp_path):
    widget = MapCanvas(LayerStack([]))
    widget.basemap.cache.folder = tmp_path / "tiles"
    qtbot.addWidget(widget)
    widget.resize(640, 480)
    widget.show()
    qtbot.waitExposed(widget)
    widget.set_view(CX, CY, 7.3)
    return widget


def settings(template: str, **kw) -> BasemapSettings:
    return BasemapSettings(True, CUSTOM, custom_url=template, custom_attribution="© test", **kw)


def loaded(qtbot, canvas):
    canvas.render_now()  # asks for the tiles
    qtbot.waitUntil(lambda: canvas.basemap.pending() == 0, timeout=20000)
    qtbot.wait(120)  # the coalesced repaint
    return canvas.render_now()


def samples(canvas, image):
    """(screen point, expected colour, shown colour) at points well inside a quadrant."""
    vp = canvas.viewport
    rng = np.random.default_rng(7)
    sx = rng.uniform(20, vp.width - 20, 400)
    sy = rng.uniform(20, vp.height - 60, 400)
    mx, my = to_mercator(*vp.screen_to_map(sx, sy))
    z = zoom_for(vp.extent, vp.resolution)
    span = tile_span(z)
    fx = (mx + ORIGIN) / span
    fy = (ORIGIN - my) / span
    tx, ty = np.floor(fx).astype(int), np.floor(fy).astype(int)
    px, py = (fx - tx) * TILE_PX, (fy - ty) * TILE_PX
    # more than 3 screen pixels from a quadrant edge
    px_per_tile_px = span / TILE_PX / vp.resolution * 0.8
    margin = 3 / max(px_per_tile_px, 1e-9)
    far = np.minimum.reduce(
        [np.abs(px % 128), np.abs(128 - px % 128), np.abs(py % 128), np.abs(128 - py % 128)]
    )
    keep = far > margin
    ratio = image.devicePixelRatio()
    out = []
    for a, b, x, y, qx, qy in zip(
        sx[keep], sy[keep], tx[keep], ty[keep], (px[keep] >= 128), (py[keep] >= 128)
    ):
        shown = image.pixelColor(int(a * ratio), int(b * ratio))
        out.append(((a, b), expected_colour(int(x), int(y), int(qx), int(qy)), shown))
    return out


def qt_grey(rgb) -> int:
    """Qt's grey of a colour (its luminance, gamma-aware)."""
    from PySide6.QtGui import QImage

    image = QImage(1, 1, QImage.Format.Format_RGB32)
    image.fill(QColor(*rgb))
    return image.convertToFormat(QImage.Format.Format_Grayscale8).pixelColor(0, 0).red()


def close(shown: QColor, rgb, tolerance=40) -> bool:
    return all(abs(c - e) <= tolerance for c, e in zip(shown.getRgb()[:3], rgb))


def test_tiles_land_where_they_belong(qtbot, canvas):
    with TileServer() as server:
        canvas.basemap.configure(settings(server.template))
        image = loaded(qtbot, canvas)
        assert server.requests > 0
    checked = samples(canvas, image)
    assert len(checked) > 100
    wrong = [(p, e, s.getRgb()) for p, e, s in checked if not close(s, e)]
    assert not wrong, wrong[:5]


def test_opacity_and_greyscale(qtbot, canvas):
    with TileServer() as server:
        canvas.basemap.configure(settings(server.template, opacity=0.5, greyscale=True))
        image = loaded(qtbot, canvas)
    for _p, expected, shown in samples(canvas, image)[:50]:
        r, g, b, _a = shown.getRgb()
        assert abs(r - g) <= 2 and abs(g - b) <= 2  # grey
        grey = qt_grey(expected)
        half = (grey + BACKGROUND.red()) / 2  # half over the page colour
        assert abs(r - half) <= 12


def test_cache_serves_a_second_run_with_the_server_stopped(qtbot, canvas, tmp_path):
    with TileServer() as server:
        template = server.template
        canvas.basemap.configure(settings(template))
        first = loaded(qtbot, canvas)
    notes = []
    second = MapCanvas(LayerStack([]))
    qtbot.addWidget(second)
    second.basemap.cache.folder = tmp_path / "tiles"
    second.basemap.note.connect(notes.append)
    second.resize(640, 480)
    second.set_view(CX, CY, 7.3)
    second.basemap.configure(settings(template))
    image = loaded(qtbot, second)
    assert image == first
    assert notes == []


@pytest.mark.parametrize("kind", ["dead", "500"])
def test_a_dead_server_or_500_leaves_a_blank_basemap_and_one_note(qtbot, canvas, kind):
    notes = []
    canvas.basemap.note.connect(notes.append)
    server = TileServer(status=500).__enter__() if kind == "500" else None
    try:
        template = server.template if server else dead_template()
        canvas.basemap.configure(settings(template))
        image = loaded(qtbot, canvas)
        for _ in range(3):  # panning on: no new requests for failed tiles, no new notes
            canvas.pan_by_pixels(5, 0)
            image = loaded(qtbot, canvas)
    finally:
        if server:
            server.stop()
    assert len(notes) == 1
    assert ("500" in notes[0]) if kind == "500" else ("cannot be reached" in notes[0])
    centre = image.pixelColor(int(320 * image.devicePixelRatio()), 240)
    assert centre.name() == BACKGROUND.name()


def test_attribution_on_the_canvas(qtbot, canvas):
    canvas.basemap.configure(settings(dead_template()))
    assert canvas.basemap.attribution() == "© test"
    canvas.basemap.configure(BasemapSettings())
    assert canvas.basemap.attribution() == ""
