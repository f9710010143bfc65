"""HTML web map export: inline Leaflet (no CDN), and in a real headless Chromium with the
network disabled the districts, legend, scenes, layer control and site popups appear."""

import html
import re
import shutil
import subprocess

import geopandas as gpd
import pytest
import shapely

from app.core.export.webmap.page import HtmlExportError, build_html, export_html
from app.core.export.webmap.records import site_indicators
from app.core.indicators.format import format_value
from app.core.indicators.labels import label as field_label
from app.core.paths import DEFAULT_PROJECT
from app.core.project.scenes import Scene, SceneError, default_scenes, find_scene
from app.core.project.store import open_project

CHROMIUM = next(
    (
        path
        for name in ("chromium", "chromium-browser", "google-chrome")
        if (path := shutil.which(name))
    ),
    None,
)
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")


def shown(dom: str, layer: str) -> int | None:
    """How many features of ``layer`` the page has on its map (its pane's count)."""
    found = re.search(rf'leaflet-inno-pane-{layer}-pane"[^>]*data-inno-shown="(\d+)"', dom)
    return int(found.group(1)) if found else None


def chromium(page, tmp_path, *, fragment="", screenshot=None, env=None):
    """Load ``page`` offline (no proxy reachable, no DNS) and return the DOM after scripts.

    ``env`` replaces Chromium's environment (e.g. a fontconfig that sees no system fonts).
    """
    args = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'chromium-profile'}",
        "--proxy-server=127.0.0.1:9",
        "--proxy-bypass-list=<-loopback>",
        "--host-resolver-rules=MAP * ~NOTFOUND",
        "--virtual-time-budget=5000",
        "--window-size=1280,800",
    ]
    args.append(f"--screenshot={screenshot}" if screenshot else "--dump-dom")
    result = subprocess.run(
        args + [page.as_uri() + fragment], capture_output=True, text=True, timeout=120, env=env
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


@pytest.fixture(scope="module")
def project():
    project = open_project(DEFAULT_PROJECT)
    sites = gpd.GeoDataFrame(
        {
            "site_id": ["a1", "c3"],
            "name": ["가산 A", "양재 C"],
            "notes": ["", ""],
            "kind": ["point", "polygon"],
            "radius_m": [600.0, float("nan")],
            "lot_area_m2": [float("nan"), float("nan")],
            "created": ["", ""],
            "modified": ["", ""],
        },
        geometry=[
            shapely.Point(126.8826, 37.4776),
            shapely.box(127.0340, 37.4830, 127.0360, 37.4845),
        ],
        crs="EPSG:4326",
    ).to_crs("EPSG:5186")
    project.stack.get("sites").set_data(sites)
    return project


@pytest.fixture(scope="module")
def indicators(project):
    return site_indicators(project.stack, 800.0)


@pytest.fixture(scope="module")
def page(project, indicators, tmp_path_factory):
    path = tmp_path_factory.mktemp("web") / "map.html"
    export_html(
        path, project.stack, title="InnoAtlas web map", language="en", indicators=indicators
    )
    return path


@pytest.fixture(scope="module")
def dom(page, tmp_path_factory):
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed")
    return chromium(page, tmp_path_factory.mktemp("dom"))


def test_everything_is_inline_no_cdn(page):
    text = page.read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]*\ssrc=", text, re.I)
    assert not re.search(r"<link[^>]*\shref=[\"']?(https?:)?//", text, re.I)
    assert not re.search(r"url\([\"']?(https?:)?//", text)  # no remote CSS images or fonts
    assert "L.map(" in text and "Leaflet 1.9" in text  # Leaflet itself is in the file
    assert ".leaflet-pane" in text  # and its CSS
    assert "tile.openstreetmap.org" not in text  # no basemap unless asked for
    size = page.stat().st_size
    assert 200_000 < size < 4_000_000, size  # 6 000 start-ups and 300 dongs stay small


def test_coordinates_are_rounded_and_styles_shared(page):
    text = page.read_text(encoding="utf-8")
    coordinates = re.findall(r"\[(12[67]\.\d+),(37\.\d+)\]", text)
    assert len(coordinates) > 6000
    assert max(len(x.split(".")[1]) for x, _ in coordinates) <= 6
    # one style table per layer: a feature carries only its style index
    assert '"properties":{"_s":' in text and '"fillColor"' not in text.split('"features"')[-1]


@needs_chromium
def test_offline_chromium_draws_districts_legend_and_scenes(dom, project):
    # the areas at the bottom (dongs and gu) share one canvas; the hatched zoning and
    # the layers above it stay SVG
    assert re.search(r'leaflet-inno-pane-gu-pane"[^>]*><canvas ', dom)
    assert shown(dom, "dong") == 303 and shown(dom, "gu") == 25
    districts = re.findall(
        r'<path class="[^"]*inno-layer-districts inno-key-(\w+)[^"]*'
        r'leaflet-interactive"',
        dom,
    )
    assert sorted(districts) == ["gvalley", "magok", "yangjae"]
    assert len(re.findall(r'<path class="[^"]*inno-layer-zoning', dom)) == 26
    assert re.search(r'<path class="[^"]*inno-layer-zoning[^>]*fill="url\(#inno-hatch-', dom)
    assert len(re.findall(r"inno-layer-education", dom)) == 352  # triangles as markers
    assert 'id="inno-legend"' in dom and "Zoning and restrictions (illustrative)" in dom
    scenes = re.findall(r'<button type="button" class="inno-scene[^"]*" data-scene="(\w*)"', dom)
    assert scenes == [""] + [s.scene_id for s in default_scenes(project.stack)]
    # the layer control lists every visible layer, top first
    control = re.findall(r'leaflet-control-layers-selector"[^>]*><span> (.*?)</span>', dom)
    assert control == [layer.title("en") for layer in project.stack if layer.visible]
    # the attribution carries the synthetic / illustrative notes
    assert "Start-ups (synthetic): SYNTHETIC" in dom and "ILLUSTRATIVE" in dom
    # district names are permanent labels, dong names wait until zoomed in
    assert re.search(r"inno-label inno-label-districts[^>]*><span[^>]*>마곡</span>", dom)
    assert "inno-label-dong" not in dom


@needs_chromium
def test_site_popup_shows_the_indicators(page, indicators, tmp_path):
    dom = chromium(page, tmp_path, fragment="#site=a1")
    popup = re.search(r'<div class="inno-popup">(.*?)</table></div>', dom)
    assert popup, "the site's popup did not open"
    rows = dict(re.findall(r'<td>(.*?)</td><td class="[^"]*">(.*?)</td>', popup.group(1)))
    labels = {
        column: field_label(column)
        for column in ("startups_n", "score", "rank", "radius_m", "use_permitted")
    }
    row = indicators.loc["a1"]
    assert "가산 A" in popup.group(1)
    assert rows[labels["startups_n"]] == f"{int(row['startups_n']):,}"
    assert rows[labels["score"]] == format_value("score", row["score"])
    assert rows[labels["rank"]] == str(int(row["rank"]))
    assert rows[labels["radius_m"]] == "600"  # the site's own R
    assert rows[labels["use_permitted"]] in ("yes", "NO — not permitted", "unknown (no zone)")
    # the point site's own 600 m catchment is drawn
    assert 'class="inno-catchment"' in dom


@needs_chromium
def test_screenshot_shows_the_districts(project, tmp_path):
    from PySide6.QtGui import QColor, QImage

    path = tmp_path / "magok.html"
    export_html(path, project.stack, title="Magok", start_scene="magok")
    png = tmp_path / "magok.png"
    chromium(path, tmp_path, screenshot=png)
    image = QImage(str(png))
    assert image.width() == 1280 and image.height() == 800
    # Magok's outline colour (#00798c) covers many pixels of the map
    target = QColor("#00798c")
    hits = sum(
        1
        for x in range(340, 1280, 3)
        for y in range(80, 760, 3)
        if _close(QColor(image.pixel(x, y)), target)
    )
    assert hits > 80, hits


def _close(colour, target, tolerance=24):
    return (
        abs(colour.red() - target.red())
        + abs(colour.green() - target.green())
        + abs(colour.blue() - target.blue())
    ) < tolerance


@needs_chromium
def test_korean_page_and_offline_basemap(project, indicators, tmp_path):
    path = tmp_path / "ko.html"
    export_html(
        path,
        project.stack,
        title="혁신지구 지도",
        language="ko",
        indicators=indicators,
        basemap=True,
    )
    text = path.read_text(encoding="utf-8")
    assert '<meta charset="utf-8">' in text and '<html lang="ko">' in text
    assert "tile.openstreetmap.org" in text
    dom = chromium(path, tmp_path)  # tiles cannot load: the vector layers still draw
    assert shown(dom, "districts") == 3
    assert '<h1 id="inno-title">혁신지구 지도</h1>' in dom
    assert ">범례</summary>" in dom and "자료 안내" in dom
    assert "OpenStreetMap 배경지도 (온라인)" in dom and "혁신지구" in dom
    assert "후보지" in dom  # layer titles in Korean


def test_scene_buttons_follow_the_given_scenes(project):
    scene = Scene("scene-7", "Gasan <station>", (187000.0, 542000.0, 190000.0, 544500.0), None)
    text = build_html(project.stack, scenes=[scene], start_scene="scene-7")
    assert 'data-scene="scene-7">Gasan &lt;station&gt;</button>' in text
    assert 'data-scene="gvalley"' not in text
    with pytest.raises(SceneError, match="no scene 'magok'"):
        build_html(project.stack, scenes=[scene], start_scene="magok")


def test_bad_paths_are_one_line_errors(project, tmp_path):
    with pytest.raises(HtmlExportError, match="use a .html file name"):
        export_html(tmp_path / "map.png", project.stack)
    with pytest.raises(HtmlExportError, match="no such folder"):
        export_html(tmp_path / "missing" / "map.html", project.stack)
    assert list(tmp_path.iterdir()) == []


def test_a_layer_in_another_crs_lands_in_the_right_place():
    from layers.model import Layer, LayerStack
    from layers.provenance import USER_PROVENANCE
    from layers.style import LabelStyle, LayerStyle, Symbol

    data = gpd.GeoDataFrame(
        {"name": ["가산디지털단지역"]}, geometry=[shapely.Point(126.882, 37.4815)], crs="EPSG:4326"
    )
    layer = Layer(
        "mine",
        data,
        LayerStyle(symbol=Symbol(marker="square"), label=LabelStyle(field="name")),
        USER_PROVENANCE,
        title_en="My points",
        geometry_kind="point",
    )
    text = build_html(LayerStack([layer]), scenes=[])
    assert '"coordinates":[126.882,37.4815]' in text
    assert '[37.4815,126.882,"가산디지털단지역"]' in text  # its label, at the same place
    assert "<rect " in text  # a square marker


@needs_chromium
def test_overlapping_labels_are_left_out(page, tmp_path):
    dom = chromium(page, tmp_path, fragment="#scene=gvalley")
    # zoomed in, station labels show; where two would overlap one is hidden, as on the canvas
    stations = re.findall(
        r'inno-label inno-label-stations[^"]*"[^>]*><span style="[^"]*'
        r"visibility: (\w+)",
        dom,
    )
    assert "visible" in stations and "hidden" in stations
    # the top layer's labels win (the sites, with their rank)
    assert re.search(
        r'inno-label-sites[^>]*><span style="[^"]*visibility: visible;?">'
        r'<b class="inno-badge[^"]*">#\d \d+</b> 가산 A',
        dom,
    )


@needs_chromium
def test_a_scene_turns_on_a_hidden_layer_and_its_legend(project, tmp_path):
    stack = project.stack
    stack.get("dong").set_visible(False)
    try:
        scenes = [
            Scene(
                "dongs", "Dongs", (186000.0, 540000.0, 192000.0, 546000.0), ("dong", "districts")
            ),
            Scene("plain", "Plain", (186000.0, 540000.0, 192000.0, 546000.0), None),
        ]
        path = tmp_path / "scenes.html"
        export_html(path, stack, scenes=scenes)
    finally:
        stack.get("dong").set_visible(True)
    before = chromium(path, tmp_path, fragment="#scene=plain")
    assert shown(before, "dong") == 0  # in the file only
    assert shown(before, "zoning") == 26
    assert re.search(r'data-layer="dong" style="display: ?none;?"', before)
    after = chromium(path, tmp_path, fragment="#scene=dongs")
    assert shown(after, "dong") > 100
    assert shown(after, "zoning") == 0  # not in the scene
    assert re.search(r'data-layer="dong"( style="")?>', after)
    assert re.search(r'data-layer="zoning" style="display: ?none;?"', after)


def _with_script(page, script, tmp_path):
    """A copy of ``page`` that runs ``script`` once the map has loaded (test probes)."""
    path = tmp_path / f"probe-{page.name}"
    text = page.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            "</body>",
            f"<script>window.addEventListener('load', function () {{ {script} }});</script></body>",
            1,
        ),
        encoding="utf-8",
    )
    return path


def _site_labels(dom):
    """Each site label's text (its badge, then its name) and its visibility."""
    return dict(
        (re.sub(r"<b [^>]*>([^<]*)</b> ", r"\1 ", text), visibility)
        for visibility, text in re.findall(
            r'inno-label inno-label-sites[^"]*"[^>]*><span style="[^"]*visibility: (\w+);[^"]*">'
            r"(.*?)</span>",
            dom,
        )
    )


@pytest.fixture(scope="module")
def three_sites_page(tmp_path_factory):
    """Three G-Valley sites: one on 남구로 station (their labels overlap), two 30 m apart."""
    project = open_project(DEFAULT_PROJECT)
    station = project.stack.get("stations").data
    x, y = station[station.name == "남구로"].geometry.iloc[0].coords[0]
    sites = gpd.GeoDataFrame(
        {
            "site_id": ["s1", "s2", "s3"],
            "name": ["Site 1", "Site 2", "Site 3"],
            "notes": [""] * 3,
            "kind": ["point", "point", "polygon"],
            "radius_m": [float("nan")] * 3,
            "lot_area_m2": [float("nan")] * 3,
            "created": [""] * 3,
            "modified": [""] * 3,
        },
        geometry=[
            shapely.Point(x, y),
            shapely.Point(189300.0, 541500.0),
            shapely.box(189280.0, 541440.0, 189320.0, 541480.0),
        ],
        crs="EPSG:5186",
    )
    project.stack.get("sites").set_data(sites)
    path = tmp_path_factory.mktemp("three") / "three.html"
    export_html(path, project.stack, title="Three sites", embed_font=False)
    return path


_SITE_BOXES = (
    "document.body.setAttribute('data-boxes', JSON.stringify(Array.from("
    "document.querySelectorAll('.inno-label-sites span'), function (s) {"
    "var r = s.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom];"
    "})));"
)


@needs_chromium
def test_every_site_label_is_drawn_above_the_others(three_sites_page, tmp_path):
    import json

    dom = chromium(
        _with_script(three_sites_page, _SITE_BOXES, tmp_path), tmp_path, fragment="#scene=gvalley"
    )
    # Sites 2 and 3 are 30 m apart: their labels are stacked, not drawn over each other
    boxes = json.loads(html.unescape(re.search(r'data-boxes="([^"]*)"', dom).group(1)))
    assert len(boxes) == 3
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), boxes
    labels = _site_labels(dom)
    assert sorted(text.rsplit(" ", 2)[1] for text in labels) == ["Site", "Site", "Site"]
    assert sorted(text.rsplit(" ", 1)[1] for text in labels) == ["1", "2", "3"]
    assert sorted(text.split(" ", 1)[0] for text in labels) == ["#1", "#2", "#3"]
    assert set(labels.values()) == {"visible"}, labels
    # the station under a site: its label gives way
    station = re.search(
        r'inno-label-stations[^"]*"[^>]*><span style="[^"]*visibility: '
        r'(\w+);?">남구로</span>',
        dom,
    )
    assert station and station.group(1) == "hidden"
    # in their own pane, above the other labels
    panes = dict(
        re.findall(
            r'class="leaflet-pane leaflet-inno-(site-labels|labels)-pane" '
            r'style="z-index: (\d+);',
            dom,
        )
    )
    assert int(panes["site-labels"]) > int(panes["labels"])
    site_pane = dom.split("leaflet-inno-site-labels-pane")[1].split("leaflet-pane")[0]
    assert site_pane.count("inno-label-sites") == 3 and "inno-label-stations" not in site_pane


def _view(dom):
    """The page's map bounds ``[[south, west], [north, east]]``, as it notes them."""
    west, south, east, north = map(
        float, re.search(r'data-inno-view="([^"]+)"', dom).group(1).split(",")
    )
    return [[south, west], [north, east]]


def _fits(view, wanted, fit=1.01):
    """The view holds ``wanted`` and fits it in one direction (the page and the extent
    have different shapes), within the factor ``fit`` (scenes snap to quarter zooms)."""
    (s, w), (n, e) = view
    (ws, ww), (wn, we) = wanted
    dy, dx = 0.003 * (wn - ws), 0.003 * (we - ww)  # a pixel or two
    assert s <= ws + dy and w <= ww + dx and n >= wn - dy and e >= we - dx, (view, wanted)
    assert min((n - s) / (wn - ws), (e - w) / (we - ww)) < fit, (view, wanted)


@needs_chromium
def test_the_page_opens_at_the_requested_view(project, tmp_path):
    from app.core.export.webmap.records import extent_to_bounds

    view = (189000.0, 541000.0, 190500.0, 542000.0)
    path = export_html(tmp_path / "view.html", project.stack, view=view, embed_font=False)
    _fits(_view(chromium(path, tmp_path)), extent_to_bounds(view))
    # a link to a scene still wins; "Full extent" shows every visible layer
    _fits(
        _view(chromium(path, tmp_path, fragment="#scene=magok")),
        extent_to_bounds(find_scene(default_scenes(project.stack), "magok").extent),
        1.2,
    )
    full = _with_script(path, 'innoatlas.showScene("", false);', tmp_path)
    _fits(
        _view(chromium(full, tmp_path)),
        extent_to_bounds(project.stack.extent(visible_only=True)),
        1.2,
    )


@needs_chromium
def test_the_page_opens_on_the_districts_by_default(page, project, tmp_path):
    from app.core.export.webmap.records import extent_to_bounds

    _fits(_view(chromium(page, tmp_path)), extent_to_bounds(project.stack.get("districts").extent))
