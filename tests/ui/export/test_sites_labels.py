"""PNG/PDF export: the sites' catchments and rank badges as on the canvas, label halos
drawn once as text, long legend labels wrapped instead of cut."""

import re
import shutil
import subprocess
from dataclasses import replace

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, box


@pytest.fixture(scope="module")
def stack(default_project_path):
    from app.core.project.store import open_project
    from app.ui.gui import application

    application()
    return open_project(default_project_path).stack


def _copy(stack):
    """The stack with shallow layer copies: edits to the copy leave ``stack`` alone."""
    from layers.events import Signal
    from layers.model import LayerStack

    return LayerStack([replace(layer, changed=Signal()) for layer in stack])


def _pixels(path):
    from PySide6.QtGui import QImage

    image = QImage(str(path)).convertToFormat(QImage.Format.Format_RGB32)
    return (
        np.frombuffer(image.constBits(), np.uint8)
        .reshape(image.height(), image.bytesPerLine() // 4, 4)[:, : image.width(), 2::-1]
        .astype(int)
    )


def _near(pixels, colour, tolerance=30):
    from PySide6.QtGui import QColor

    c = QColor(colour)
    return np.abs(pixels - np.array([c.red(), c.green(), c.blue()])).max(axis=-1) <= tolerance


def pdftotext(path):
    if not shutil.which("pdftotext"):  # .ci/run installs poppler-utils
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


# -- sites -------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def two_sites(stack):
    """A copy of the project with a point site (blocked by zoning) and a polygon site
    (permitted) in Magok, their indicators and the Magok scene: ``(stack, ind, scene)``."""
    from app.core.project.scenes import find_scene, scenes_from_settings
    from app.core.sites.edits import new_sites_layer

    view = _copy(stack)
    scene = find_scene(scenes_from_settings({}, view, "en"), "magok")
    xmin, ymin, xmax, ymax = scene.extent
    cx, cy = (xmin + xmax) / 2, (ymin + ymax) / 2
    frame = gpd.GeoDataFrame(
        {
            "site_id": ["p1", "g1"],
            "name": ["Hub A", "Lot B"],
            "notes": ["", ""],
            "kind": ["point", "polygon"],
            "radius_m": [np.nan, np.nan],
            "lot_area_m2": [np.nan, np.nan],
            "created": ["", ""],
            "modified": ["", ""],
        },
        geometry=[Point(cx - 900, cy + 300), box(cx + 500, cy - 800, cx + 800, cy - 500)],
        crs="EPSG:5186",
    )
    old = view.get("sites")
    index = view.index(old)
    view.remove(old)
    view.insert(index, new_sites_layer(frame))
    indicators = pd.DataFrame(
        {"rank": [2, 1], "score": [38.4, 71.2], "use_permitted": [False, True]}, index=["p1", "g1"]
    )
    return view, indicators, scene


def _screen(layout, x, y):
    sx, sy = layout.viewport.map_to_screen(x, y)
    return layout.map.left() + sx, layout.map.top() + sy


def _badge_box(pixels, layout, x, y, s):
    """Pixels of the badge above map point ``(x, y)`` (it spans about 28 px up)."""
    px, py = _screen(layout, x, y)
    return pixels[int(py - 26 * s) : int(py - 14 * s), int(px - 12 * s) : int(px + 12 * s)]


def _ring_share(pixels, layout, x, y, radius_px, colour):
    """Share of points on the circle of ``radius_px`` around ``(x, y)`` near ``colour``."""
    px, py = _screen(layout, x, y)
    angles = np.linspace(0, 2 * np.pi, 240, endpoint=False)
    hits = 0
    for a in angles:
        ring = pixels[
            int(py + radius_px * np.sin(a)) - 1 : int(py + radius_px * np.sin(a)) + 2,
            int(px + radius_px * np.cos(a)) - 1 : int(px + radius_px * np.cos(a)) + 2,
        ]
        hits += bool(_near(ring, colour, 45).any())
    return hits / len(angles)


def test_png_export_draws_catchments_and_rank_badges(two_sites, tmp_path):
    from app.ui.canvas.render.legend import legend_swatch_kind
    from app.ui.canvas.render.sites_painter import BLOCKED_FILL, CATCHMENT, RANK_FILL
    from app.ui.export.map_export import render_map

    view, indicators, scene = two_sites
    point = view.get("sites").data.geometry.iloc[0]
    lot = view.get("sites").data.geometry.iloc[1].representative_point()
    plain, marked = tmp_path / "plain.png", tmp_path / "marked.png"
    render_map(view, plain, size=(1000, 700), dpi=96, scene=scene)
    layout = render_map(
        view, marked, size=(1000, 700), dpi=96, scene=scene, indicators=indicators, radius_m=600
    )
    a, b = _pixels(plain), _pixels(marked)
    # Red badge on the blocked point site, a dark one on the permitted polygon site.
    assert _near(_badge_box(b, layout, point.x, point.y, 1), BLOCKED_FILL.name(), 20).sum() > 60
    assert _near(_badge_box(a, layout, point.x, point.y, 1), BLOCKED_FILL.name(), 20).sum() < 5
    assert _near(_badge_box(b, layout, lot.x, lot.y, 1), RANK_FILL.name(), 12).sum() > 60
    # The point's catchment: a dashed circle of R = 600 m (radius_m=600 given).
    r600 = 600 / layout.viewport.resolution
    assert _ring_share(b, layout, point.x, point.y, r600, CATCHMENT.name()) > 0.35
    assert _ring_share(a, layout, point.x, point.y, r600, CATCHMENT.name()) < 0.1
    assert legend_swatch_kind(view.get("sites")) == "catchment"


def test_a_sites_own_radius_wins_over_r_and_badges_are_in_the_pdf(two_sites, tmp_path):
    from app.ui.canvas.render.sites_painter import CATCHMENT
    from app.ui.export.map_export import render_map

    view, indicators, scene = two_sites
    own = _copy(view)
    sites = own.get("sites")
    data = sites.data.copy()
    data.loc[0, "radius_m"] = 300.0
    own.remove(sites)
    own.insert(0, replace(sites, data=data))
    out = tmp_path / "own.png"
    layout = render_map(
        own, out, size=(1000, 700), dpi=96, scene=scene, indicators=indicators, radius_m=900
    )
    pixels, point = _pixels(out), data.geometry.iloc[0]
    res = layout.viewport.resolution
    assert _ring_share(pixels, layout, point.x, point.y, 300 / res, CATCHMENT.name()) > 0.35
    assert _ring_share(pixels, layout, point.x, point.y, 900 / res, CATCHMENT.name()) < 0.15
    pdf = tmp_path / "sites.pdf"
    render_map(view, pdf, scene=scene, indicators=indicators)
    text = pdftotext(pdf)
    assert "#1 71" in text and "#2 38" in text
    legend = text[text.index("Legend") :]
    assert "Candidate sites" in legend


def test_gui_export_shows_the_badges_of_the_canvas(gvalley, tmp_path):
    from app.ui.canvas.render.sites_painter import RANK_FILL
    from app.ui.export.map_export import render_map

    w, cx, cy = gvalley
    assert len(w.indicators.results) == 1
    out = tmp_path / "view.png"
    assert w.export_map(out, title="G-Valley")
    render_map(
        w.stack,
        tmp_path / "ref.png",
        extent=w.canvas.viewport.extent,
        title="G-Valley",
        language=w.language,
    )  # no indicators
    # where the label pass puts the badge (beside the G-Valley name, which is placed first)
    marked = render_map(
        w.stack,
        tmp_path / "marked.png",
        extent=w.canvas.viewport.extent,
        title="G-Valley",
        language=w.language,
        indicators=w.indicators.results,
    )
    assert marked.labels.kinds.count("badge") == 1
    box = marked.labels.boxes[marked.labels.kinds.index("badge")]
    box = box.translated(marked.map.topLeft()).adjusted(6, 6, -6, -6)
    area = (slice(int(box.top()), int(box.bottom())), slice(int(box.left()), int(box.right())))
    exported, without = _pixels(out), _pixels(tmp_path / "ref.png")
    dark = _near(exported[area], RANK_FILL.name(), 12)
    before = _near(without[area], RANK_FILL.name(), 12)
    assert dark.sum() > before.sum() + 150


def test_cli_render_with_sites_and_radius_draws_badges(tmp_path):
    import sys

    from app.core.paths import DEFAULT_PROJECT
    from app.core.project.scenes import find_scene, scenes_from_settings
    from app.core.project.store import open_project

    stack = open_project(DEFAULT_PROJECT).stack
    scene = find_scene(scenes_from_settings({}, stack, "en"), "gvalley")
    xmin, ymin, xmax, ymax = scene.extent
    cx, cy = (xmin + xmax) / 2, (ymin + ymax) / 2
    sites = tmp_path / "sites.geojson"
    gpd.GeoDataFrame({"name": ["Hub A"]}, geometry=[Point(cx, cy)], crs="EPSG:5186").to_file(
        sites, driver="GeoJSON"
    )
    out = tmp_path / "cli.pdf"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "app",
            "render",
            str(out),
            "--scene",
            "gvalley",
            "--sites",
            str(sites),
            "--radius",
            "500",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    text = pdftotext(out)
    assert re.search(r"#1 \d+", text), text[:300]  # the one site's rank and score
    bad = subprocess.run(
        [sys.executable, "-m", "app", "render", str(tmp_path / "x.png"), "--radius", "-5"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode == 2 and bad.stderr.startswith("innoatlas: error: --radius")


# -- label halos -------------------------------------------------------------------------
@pytest.fixture(scope="module")
def dark_stack():
    """One black square labelled "검은 구역 Dark" (white halo, black text)."""
    from layers.model import Layer, LayerStack
    from layers.provenance import USER_PROVENANCE
    from layers.style import LabelStyle, LayerStyle, Symbol

    frame = gpd.GeoDataFrame(
        {"name": ["검은 구역 Dark"]}, geometry=[box(0, 0, 4000, 4000)], crs="EPSG:5186"
    )
    style = LayerStyle(
        symbol=Symbol(fill="#000000", fill_alpha=1.0, stroke=None),
        label=LabelStyle(field="name", size_pt=14, bold=True, color="#000000", halo="#ffffff"),
    )
    return LayerStack(
        [
            Layer(
                name="dark",
                data=frame,
                style=style,
                provenance=USER_PROVENANCE,
                title_en="Dark",
                geometry_kind="polygon",
            )
        ]
    )


def test_png_label_keeps_its_white_halo_over_a_dark_fill(dark_stack, tmp_path):
    from app.ui.export.map_export import render_map

    out = tmp_path / "dark.png"
    layout = render_map(dark_stack, out, extent=(1000, 1000, 3000, 3000), size=(800, 600), dpi=96)
    pixels = _pixels(out)
    cx, cy = _screen(layout, 2000, 2000)
    around = pixels[int(cy - 14) : int(cy + 14), int(cx - 90) : int(cx + 90)]
    white = _near(around, "#ffffff", 40).sum()
    black = _near(around, "#000000", 40).sum()
    assert white > 300 and black > 300  # black glyphs on a white outline, on black
    far = pixels[int(cy + 60) : int(cy + 90), int(cx - 90) : int(cx + 90)]
    assert _near(far, "#ffffff", 40).sum() == 0  # the fill itself is black


def test_pdf_holds_each_label_once(stack, dark_stack, tmp_path):
    from app.ui.export.map_export import render_map

    out = tmp_path / "dark.pdf"
    render_map(dark_stack, out, extent=(1000, 1000, 3000, 3000))
    assert pdftotext(out).count("검은 구역 Dark") == 1
    # The project's G-Valley page: every station label once (names that no other station
    # has: one on two lines gets one label).
    page = tmp_path / "gvalley.pdf"
    from app.core.project.scenes import find_scene, scenes_from_settings

    render_map(stack, page, scene=find_scene(scenes_from_settings({}, stack, "en"), "gvalley"))
    lines = [line.strip() for line in pdftotext(page).splitlines()]
    names = stack.get("stations").data[stack.get("stations").style.label.field]
    unique = names[~names.duplicated(keep=False)]
    shown = [name for name in unique if name in lines]
    assert len(shown) >= 5 and "철산" in shown
    assert {name: lines.count(name) for name in shown} == {name: 1 for name in shown}


# -- legend ------------------------------------------------------------------------------
LONG = "Subway and light-rail stations of the Seoul metropolitan network (2024)"


def _long_titled(stack):
    view = _copy(stack)
    stations = view.get("stations")
    index = view.index(stations)
    view.remove(stations)
    view.insert(index, replace(stations, title_en=LONG))
    return view


@pytest.mark.parametrize("orientation", ["landscape", "portrait"])
def test_long_legend_labels_wrap_instead_of_being_cut(stack, tmp_path, orientation):
    from app.ui.export.map_export import render_map

    out = tmp_path / f"{orientation}.pdf"
    layout = render_map(_long_titled(stack), out, orientation=orientation)
    text = pdftotext(out)
    legend = " ".join(text[text.index("Legend") :].split())
    assert LONG in legend  # whole, over two lines
    assert "…" not in legend
    assert "Airport height limit (Gimpo)" in legend
    if orientation == "portrait":
        assert layout.legend.top() >= layout.map.bottom()


def test_wrap_label_breaks_at_words_into_two_lines():
    from PySide6.QtGui import QFontMetricsF

    from app.ui.canvas.render.legend import wrap_label
    from app.ui.fonts import map_font

    font = map_font(9)
    width = QFontMetricsF(font).horizontalAdvance(LONG) * 0.6
    lines = wrap_label(LONG, font, width)
    assert len(lines) == 2 and " ".join(lines) == LONG
    assert all(QFontMetricsF(font).horizontalAdvance(line) <= width + 0.5 for line in lines)
    assert wrap_label("짧은 이름", font, 400) == ["짧은 이름"]
    cut = wrap_label(LONG * 3, font, width)
    assert len(cut) == 2 and cut[1].endswith("…")
