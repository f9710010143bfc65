"""Areas at the bottom of the web map share one canvas (a zoom redraws one canvas, not
hundreds of SVG paths): each area still opens its popup on a click, with its name as
text, a point layer above still takes its clicks, and turning a lower layer off and on
keeps the layers' order. Driven in the system's headless Chromium through Playwright."""

import base64

import geopandas as gpd
import numpy as np
import pytest
import shapely
from pyproj import Transformer

from app.core.export.webmap.page import export_html
from app.core.export.webmap.points import PACK_THRESHOLD
from layers.model import Layer, LayerStack
from layers.provenance import DataStatus, Provenance
from layers.style import LayerStyle, Symbol
from tests.core.export.chromium import launched_browser
from tests.core.export.xss_payloads import PAYLOADS

X, Y = 195_000.0, 550_000.0  # EPSG:5186, Seoul
BLUE, RED, MAGENTA = (0, 0, 255), (255, 0, 0), (255, 0, 255)
INSIDE_BELOW = (X - 600, Y)  # in the big blue square, outside the red one
SPECIAL = (X + 600, Y)  # the magenta point, on the big square
TO_LATLON = Transformer.from_crs("EPSG:5186", "EPSG:4326", always_xy=True)


def _provenance() -> Provenance:
    return Provenance(
        DataStatus.SYNTHETIC, source="test", licence="CC0", vintage="", attribution=""
    )


def _square(name: str, title: str, half: float, colour: str, label: str) -> Layer:
    data = gpd.GeoDataFrame(
        {"name": [label]},
        geometry=[shapely.box(X - half, Y - half, X + half, Y + half)],
        crs="EPSG:5186",
    )
    style = LayerStyle(symbol=Symbol(fill=colour, fill_alpha=1.0, stroke=None))
    return Layer(name, data, style, _provenance(), title_en=title, geometry_kind="polygon")


def _points() -> Layer:
    rng = np.random.default_rng(5)
    angle = rng.uniform(0, 2 * np.pi, PACK_THRESHOLD + 10)
    radius = rng.uniform(3000, 6000, len(angle))
    xy = np.column_stack([X + radius * np.cos(angle), Y + radius * np.sin(angle)])
    xy = np.vstack([xy, [SPECIAL]])
    names = [f"p{i}" for i in range(len(xy) - 1)] + ["the special point"]
    data = gpd.GeoDataFrame({"name": names}, geometry=shapely.points(xy), crs="EPSG:5186")
    style = LayerStyle(symbol=Symbol(fill="#ff00ff", fill_alpha=1.0, stroke=None, size=14))
    return Layer("pts", data, style, _provenance(), title_en="Points", geometry_kind="point")


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    path = tmp_path_factory.mktemp("areas") / "areas.html"
    stack = LayerStack(  # the top layer first
        [
            _points(),
            _square("above", "Above", 200, "#ff0000", PAYLOADS[0]),
            _square("below", "Below", 1000, "#0000ff", "the big square"),
        ]
    )
    export_html(path, stack, title="areas", view=(X - 1500, Y - 1000, X + 1500, Y + 1000))
    return path


@pytest.fixture(scope="module")
def browser():
    yield from launched_browser()


@pytest.fixture
def loaded(browser, page):
    tab = browser.new_page(viewport={"width": 1000, "height": 700})
    errors: list[str] = []
    tab.on("pageerror", lambda e: errors.append(str(e)))
    tab.goto(page.as_uri())
    tab.wait_for_function("document.querySelector('canvas.inno-points[data-inno-drawn]') !== null")
    _frames(tab)
    yield tab, errors
    tab.close()


def _frames(tab) -> None:
    tab.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


def _at(tab, x: float, y: float) -> tuple[float, float]:
    """Where EPSG:5186 point (x, y) is on the screen (page pixels)."""
    lon, lat = TO_LATLON.transform(x, y)
    box = tab.locator(".leaflet-container").bounding_box()
    px, py = tab.evaluate(
        "([lat, lon]) => { const p = innoatlas.map.latLngToContainerPoint([lat, lon]);"
        " return [p.x, p.y]; }",
        [lat, lon],
    )
    return box["x"] + px, box["y"] + py


def _pixel(tab, x: float, y: float) -> tuple[int, int, int]:
    """The colour on the screen at page pixel (x, y)."""
    png = tab.screenshot(clip={"x": x - 1, "y": y - 1, "width": 3, "height": 3})
    rgb = tab.evaluate(
        """async (src) => {
          const img = new Image(); img.src = src; await img.decode();
          const c = document.createElement("canvas"); c.width = img.width; c.height = img.height;
          const ctx = c.getContext("2d"); ctx.drawImage(img, 0, 0);
          return Array.from(ctx.getImageData(1, 1, 1, 1).data.slice(0, 3)); }""",
        "data:image/png;base64," + base64.b64encode(png).decode("ascii"),
    )
    return tuple(rgb)


def _popup_after_click(tab, x: float, y: float) -> str:
    tab.mouse.click(x, y)
    popup = tab.locator(".leaflet-popup-content")
    popup.wait_for()
    text = popup.inner_text()
    assert popup.locator("img, script, svg").count() == 0
    tab.locator(".leaflet-popup-close-button").click()
    popup.wait_for(state="detached")
    return text


def test_areas_are_drawn_on_one_canvas_and_open_their_popups_as_text(loaded):
    tab, errors = loaded
    assert tab.locator(".leaflet-map-pane path").count() == 0  # no SVG path per area
    assert tab.locator(".leaflet-inno-pane-below-pane canvas").count() == 1
    assert _pixel(tab, *_at(tab, X, Y)) == RED
    assert _pixel(tab, *_at(tab, *INSIDE_BELOW)) == BLUE
    text = _popup_after_click(tab, *_at(tab, X, Y))
    assert PAYLOADS[0] in text and "Above" in text
    assert tab.evaluate("window.__xss") is None
    text = _popup_after_click(tab, *_at(tab, *INSIDE_BELOW))
    assert "the big square" in text and "Below" in text
    assert errors == []


def test_a_point_above_the_areas_takes_its_click(loaded):
    tab, errors = loaded
    x, y = _at(tab, *SPECIAL)
    assert _pixel(tab, x, y) == MAGENTA
    text = _popup_after_click(tab, x, y)
    assert "the special point" in text and "big square" not in text
    assert errors == []


def test_a_lower_layer_turned_off_and_on_stays_below(loaded):
    tab, errors = loaded
    below = tab.locator(".leaflet-control-layers-overlays label", has_text="Below").locator("input")
    tab.locator(".leaflet-control-layers").hover()
    below.uncheck()
    _frames(tab)
    assert _pixel(tab, *_at(tab, *INSIDE_BELOW)) != BLUE
    below.check()
    _frames(tab)
    assert _pixel(tab, *_at(tab, X, Y)) == RED  # the red square still over the blue one
    assert _pixel(tab, *_at(tab, *INSIDE_BELOW)) == BLUE
    tab.evaluate(
        "() => new Promise(done => { const m = innoatlas.map;"
        " m.once('moveend', () => requestAnimationFrame(() => requestAnimationFrame(done)));"
        " m.setZoom(m.getZoom() + 1); })"
    )
    assert _pixel(tab, *_at(tab, X, Y)) == RED
    assert _pixel(tab, *_at(tab, *INSIDE_BELOW)) == BLUE
    assert errors == []
