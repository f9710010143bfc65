"""Large point layers in the web map: 200 000 start-ups go in as compact arrays (the page
stays under 5 MB), are drawn on a canvas where they are, a click on one opens its popup
with its name as text (never HTML), and the layer list still hides them. Driven in the
system's headless Chromium through Playwright."""

import base64
import re

import geopandas as gpd
import numpy as np
import pytest
import shapely

from app.core.export.webmap.page import export_html
from app.core.export.webmap.points import PACK_THRESHOLD
from app.core.export.webmap.records import layer_record
from layers.model import Layer, LayerStack
from layers.provenance import DataStatus, Provenance
from layers.style import Symbol, categorized
from tests.core.export.chromium import CHROMIUM, launched_browser
from tests.core.export.xss_payloads import PAYLOADS

N = 200_000
CENTRE = (195_000.0, 550_000.0)  # EPSG:5186, Seoul; no point within 400 m but the special one
SPECIAL = "#ff00ff"
SPECIAL_NAME = PAYLOADS[0]  # "<img src=x onerror=__xss=1>"


def _layer() -> Layer:
    rng = np.random.default_rng(7)
    xy = rng.uniform((-6000, -6000), (6000, 6000), (N + N // 50, 2))
    xy = xy[np.hypot(xy[:, 0], xy[:, 1]) > 400][: N - 1] + CENTRE
    xy = np.vstack([xy, [CENTRE]])
    n = len(xy)
    syllables = np.array(list("가나다라마바사아자차카타파하혁신테크랩"), dtype=object)
    names = "(주)" + syllables[rng.integers(0, len(syllables), n)]
    for _ in range(3):
        names = names + syllables[rng.integers(0, len(syllables), n)]
    names[: len(PAYLOADS)] = PAYLOADS
    names[-1] = SPECIAL_NAME
    kind = np.where(rng.random(n) < 0.5, "a", "b").astype(object)
    kind[-1] = "special"
    data = gpd.GeoDataFrame(
        {"name": names, "kind": kind}, geometry=shapely.points(xy), crs="EPSG:5186"
    )
    style = categorized(
        "kind",
        [
            ("a", PAYLOADS[1], Symbol(fill="#4e79a7", stroke=None, size=4.5, fill_alpha=0.8)),
            ("b", PAYLOADS[2], Symbol(fill="#59a14f", stroke=None, size=4.5, fill_alpha=0.8)),
            ("special", PAYLOADS[3], Symbol(fill=SPECIAL, stroke=None, size=14, fill_alpha=1)),
        ],
        other=Symbol(fill="#9d9d9d", stroke=None, size=5),
    )
    provenance = Provenance(
        DataStatus.SYNTHETIC, source="test", licence="CC0", vintage="", attribution=""
    )
    return Layer("startups", data, style, provenance, title_en="Start-ups", geometry_kind="point")


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    path = tmp_path_factory.mktemp("points") / "points.html"
    x, y = CENTRE
    export_html(
        path,
        LayerStack([_layer()]),
        title="points",
        view=(x - 1500, y - 1000, x + 1500, y + 1000),
    )
    return path


def test_200k_points_page_is_compact(page):
    text = page.read_text(encoding="utf-8")
    assert page.stat().st_size <= 5_000_000
    # no GeoJSON feature per point: the points are one packed record
    assert text.count('"type":"Feature"') == 0
    assert re.search(r'"points":\{"n":200000,', text)
    # the names are compressed data: no payload sits in the page as markup
    assert "<img src=x" not in text


def test_small_layers_stay_geojson():
    layer = _layer()
    layer.set_data(layer.data.iloc[:PACK_THRESHOLD])
    record = layer_record(layer, "en", None, None)
    assert "points" not in record and record["features"].count('"Feature"') == PACK_THRESHOLD
    layer.set_data(_layer().data.iloc[: PACK_THRESHOLD + 1])
    assert layer_record(layer, "en", None, None)["points"]["n"] == PACK_THRESHOLD + 1


needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")


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
    yield tab, errors
    tab.close()


def _special_point(tab) -> tuple[float, float]:
    """Where the special point is on the screen (page pixels)."""
    box = tab.locator(".leaflet-container").bounding_box()
    x, y = tab.evaluate(
        "() => { const P = innoatlas.packed[0], p = innoatlas.map.latLngToContainerPoint("
        "P.latLngOf(P.n - 1)); return [p.x, p.y]; }"
    )
    return box["x"] + x, box["y"] + y


def _pixel(tab, x: float, y: float) -> tuple[int, int, int]:
    """The colour on the screen at page pixel (x, y) (a screenshot, decoded by the
    browser)."""
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


@needs_chromium
def test_points_are_drawn_where_they_are(loaded):
    tab, errors = loaded
    assert tab.evaluate("document.querySelector('canvas.inno-points').dataset.innoPoints") == str(N)
    x, y = _special_point(tab)
    assert _pixel(tab, x, y) == (255, 0, 255)  # the magenta point, at its place
    # 30 px away, inside the 400 m hole: the background, no point
    r, g, b = _pixel(tab, x + 30, y)
    assert (r, g, b) != (255, 0, 255) and abs(r - g) < 20 and abs(g - b) < 30
    # 300 px away, among the others: a blue or green point's colour shows
    blues = [_pixel(tab, x + 300 + d, y + 150) for d in range(0, 40, 4)]
    assert any(b_ > r_ + 30 or g_ > r_ + 30 for r_, g_, b_ in blues)
    assert errors == []


@needs_chromium
def test_a_click_on_a_point_shows_its_popup_as_text(loaded):
    tab, errors = loaded
    x, y = _special_point(tab)
    tab.mouse.click(x, y)
    popup = tab.locator(".leaflet-popup-content")
    popup.wait_for()
    text = popup.inner_text()
    assert SPECIAL_NAME in text and PAYLOADS[3] in text and "Start-ups" in text
    assert popup.locator("img, script, svg").count() == 0
    assert tab.evaluate("window.__xss") is None
    tab.mouse.click(x + 30, y + 30)  # nothing there: the popup closes, none opens
    tab.locator(".leaflet-popup-content").wait_for(state="detached")
    assert errors == []


@needs_chromium
def test_the_layer_list_hides_the_points(loaded):
    tab, _ = loaded
    x, y = _special_point(tab)
    tab.locator(".leaflet-control-layers").hover()
    tab.locator(".leaflet-control-layers-overlays input").first.uncheck()
    assert tab.locator("canvas.inno-points").count() == 0
    assert _pixel(tab, x, y) != (255, 0, 255)
    assert tab.locator('.inno-legend-layer[data-layer="startups"]').is_hidden()
    tab.locator(".leaflet-control-layers-overlays input").first.check()
    tab.wait_for_function("document.querySelector('canvas.inno-points[data-inno-drawn]')")
    assert _pixel(tab, x, y) == (255, 0, 255)


@needs_chromium
def test_after_a_zoom_and_a_pan_the_points_are_redrawn_in_place(loaded):
    tab, errors = loaded
    tab.evaluate(
        "() => new Promise(done => { const m = innoatlas.map;"
        " m.once('moveend', () => requestAnimationFrame(() => requestAnimationFrame(done)));"
        " m.setZoom(m.getZoom() + 1); })"
    )
    x, y = _special_point(tab)
    assert _pixel(tab, x, y) == (255, 0, 255)
    tab.evaluate("() => { window.innoMoved = new Promise(r => innoatlas.map.once('moveend', r)); }")
    tab.mouse.move(x + 200, y + 100)
    tab.mouse.down()
    tab.mouse.move(x + 120, y + 60, steps=5)
    tab.mouse.up()
    tab.evaluate(  # the pan (and its inertia) ended, then two frames
        "() => innoMoved.then(() => new Promise(r =>"
        " requestAnimationFrame(() => requestAnimationFrame(r))))"
    )
    x2, y2 = _special_point(tab)
    assert x2 < x - 40 and y2 < y - 20  # the map moved with the mouse
    assert _pixel(tab, x2, y2) == (255, 0, 255)
    assert tab.locator(".leaflet-popup-content").count() == 0  # a drag is not a click
    assert errors == []


# Two half-transparent points on the same place, red over blue at one place and blue over
# red at another: the canvas shows each pair as source-over in the layer's order.
BLUE, RED = (0, 0, 255), (255, 0, 0)


@pytest.fixture(scope="module")
def overlap_page(tmp_path_factory):
    rng = np.random.default_rng(3)
    n = PACK_THRESHOLD + 100
    xy = rng.uniform((-6000, -6000), (6000, 6000), (n, 2))
    xy = xy[np.hypot(xy[:, 0], xy[:, 1]) > 600] + CENTRE
    x, y = CENTRE
    pairs = [(x - 150, y), (x - 150, y), (x + 150, y), (x + 150, y)]
    xy = np.vstack([xy, pairs])
    kind = np.array(["other"] * (len(xy) - 4) + ["blue", "red", "red", "blue"], dtype=object)
    data = gpd.GeoDataFrame(
        {"name": [f"p{i}" for i in range(len(xy))], "kind": kind},
        geometry=shapely.points(xy),
        crs="EPSG:5186",
    )
    half = dict(stroke=None, size=16, fill_alpha=0.5)
    style = categorized(
        "kind",
        [
            ("blue", "blue", Symbol(fill="#0000ff", **half)),
            ("red", "red", Symbol(fill="#ff0000", **half)),
        ],
        other=Symbol(fill="#9d9d9d", stroke=None, size=5),
    )
    provenance = Provenance(
        DataStatus.SYNTHETIC, source="test", licence="CC0", vintage="", attribution=""
    )
    layer = Layer("pts", data, style, provenance, title_en="Points", geometry_kind="point")
    path = tmp_path_factory.mktemp("overlap") / "overlap.html"
    export_html(
        path, LayerStack([layer]), title="overlap", view=(x - 600, y - 400, x + 600, y + 400)
    )
    return path


def _canvas_rgba(tab, index: int) -> tuple[int, ...]:
    """The packed canvas's own pixel (straight RGBA) under point ``index``."""
    return tuple(
        tab.evaluate(
            """(i) => { const P = innoatlas.packed[0], c = document.querySelector("canvas.inno-points");
              const p = innoatlas.map.latLngToContainerPoint(P.latLngOf(i));
              const r = c.getBoundingClientRect(), m = innoatlas.map.getContainer().getBoundingClientRect();
              const x = Math.round((p.x + m.left - r.left) * c.width / r.width);
              const y = Math.round((p.y + m.top - r.top) * c.height / r.height);
              return Array.from(c.getContext("2d").getImageData(x, y, 1, 1).data); }""",
            index,
        )
    )


def _over(top: tuple[int, int, int], below: tuple[int, int, int]) -> tuple[float, ...]:
    """``top`` at alpha 0.5 over ``below`` at alpha 0.5 on nothing: straight RGBA."""
    alpha = 0.5 + 0.5 * 0.5
    rgb = [(0.5 * t + 0.25 * b) / alpha for t, b in zip(top, below, strict=True)]
    return (*rgb, alpha * 255)


@needs_chromium
@pytest.mark.parametrize("zoom", [0, 1])
def test_overlapping_points_blend_in_the_layers_order(browser, overlap_page, zoom):
    tab = browser.new_page(viewport={"width": 1000, "height": 700})
    errors: list[str] = []
    tab.on("pageerror", lambda e: errors.append(str(e)))
    tab.goto(overlap_page.as_uri())
    tab.wait_for_function("document.querySelector('canvas.inno-points[data-inno-drawn]') !== null")
    if zoom:
        tab.evaluate(
            "() => new Promise(done => { const m = innoatlas.map;"
            " m.once('moveend', () => requestAnimationFrame(() => requestAnimationFrame(done)));"
            " m.setZoom(m.getZoom() + 1); })"
        )
    n = tab.evaluate("innoatlas.packed[0].n")
    red_on_top, blue_on_top = _canvas_rgba(tab, n - 3), _canvas_rgba(tab, n - 1)
    tab.close()
    # red over blue: (170, 0, 85, 191); blue over red: (85, 0, 170, 191)
    assert red_on_top == pytest.approx(_over(RED, BLUE), abs=3)
    assert blue_on_top == pytest.approx(_over(BLUE, RED), abs=3)
    assert errors == []
