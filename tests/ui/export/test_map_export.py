"""PNG/PDF map export: size, legend swatches, scale bar, PDF text, CLI errors."""

import shutil
import subprocess
import sys

import numpy as np
import pytest

TITLE = "Workshop map 워크숍"


@pytest.fixture(scope="module")
def stack(default_project_path):
    from app.core.project.store import open_project
    from app.ui.gui import application

    application()
    return open_project(default_project_path).stack


@pytest.fixture(scope="module")
def png(stack, tmp_path_factory):
    from PySide6.QtGui import QImage

    from app.ui.export.map_export import render_map

    path = tmp_path_factory.mktemp("png") / "map.png"
    layout = render_map(stack, path, size=(1200, 800), dpi=144, title=TITLE)
    image = QImage(str(path)).convertToFormat(QImage.Format.Format_RGB32)
    pixels = (
        np.frombuffer(image.constBits(), np.uint8)
        .reshape(image.height(), image.bytesPerLine() // 4, 4)[:, : image.width(), 2::-1]
        .copy()
    )
    return image, pixels, layout


def _crop(pixels, rect):
    return pixels[int(rect.top()) : int(rect.bottom()), int(rect.left()) : int(rect.right())]


def test_png_size_dpi_and_not_blank(png):
    image, pixels, _ = png
    assert (image.width(), image.height()) == (1200, 800)
    assert round(image.dotsPerMeterX() * 0.0254) == 144
    assert len(np.unique(pixels.reshape(-1, 3), axis=0)) > 50


def test_legend_shows_startup_category_colours(png, stack):
    from PySide6.QtGui import QColor

    _, pixels, layout = png
    legend = _crop(pixels, layout.legend).reshape(-1, 3).astype(int)
    startups = stack.get("startups")
    present = startups.data[startups.style.field].unique().tolist()
    rows = startups.style.legend(present)
    assert len(rows) >= 3
    for label, symbol in rows:
        colour = QColor(symbol.fill)
        a = symbol.fill_alpha  # blended over the legend's white background
        want = np.array([colour.red(), colour.green(), colour.blue()]) * a + 255 * (1 - a)
        near = np.abs(legend - want).max(axis=1) <= 8
        assert near.sum() >= 10, f"legend lacks the swatch of {label!r} ({symbol.fill})"


def test_scale_bar_and_north_arrow_have_dark_pixels(png):
    _, pixels, layout = png
    for rect in (layout.scale_bar, layout.north_arrow):
        assert rect.width() > 20 and layout.map.contains(rect)
        dark = (_crop(pixels, rect).max(axis=2) < 60).sum()
        assert dark > 50


def test_pdf_has_title_and_synthetic_note(stack, tmp_path):
    from app.ui.export.map_export import render_map

    path = tmp_path / "map.pdf"
    layout = render_map(stack, path, title=TITLE, page="A3")
    data = path.read_bytes()
    assert data.startswith(b"%PDF")
    assert layout.width > layout.height  # landscape from the 1600x1000 aspect
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
    else:  # no poppler: the XMP metadata carries the title and the data notes
        text = data.decode("utf-8", "replace")
    assert TITLE in text and "SYNTHETIC" in text


def test_export_errors_are_clear(stack, tmp_path):
    from app.core.errors import InnoAtlasError
    from app.ui.export.map_export import render_map
    from app.ui.export.output import MapExportError

    assert issubclass(MapExportError, InnoAtlasError)
    with pytest.raises(MapExportError, match="png or .pdf"):
        render_map(stack, tmp_path / "map.svg")
    with pytest.raises(MapExportError, match="no such folder"):
        render_map(stack, tmp_path / "missing" / "map.png")
    (tmp_path / "dir.png").mkdir()
    with pytest.raises(MapExportError, match="is a folder"):
        render_map(stack, tmp_path / "dir.png")


def run_cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "app", "render", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "args",
    [
        ("{tmp}/map.svg",),
        ("{tmp}/no/map.png",),
        ("{tmp}/map.png", "--size", "10x10"),
        ("{tmp}/map.png", "--district", "nowhere"),
        ("{tmp}/map.png", "--project", "{tmp}/none.gpkg"),
        ("{tmp}/map.png", "--all-scenes"),
        ("{tmp}/map.pdf", "--scene", "atlantis"),
        ("{tmp}/file.txt/map.png",),
        ("{tmp}/map.png", "--sites", "{tmp}/none.geojson"),
    ],
)
def test_cli_errors_are_one_line_exit_2(args, tmp_path):
    (tmp_path / "file.txt").write_text("not a folder")
    result = run_cli(*(a.format(tmp=tmp_path) for a in args))
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("innoatlas: error:"), result.stderr
    assert "Traceback" not in result.stderr


def test_cli_writes_district_png(tmp_path):
    from PySide6.QtGui import QImage

    out = tmp_path / "gvalley.png"
    result = run_cli(
        out, "--size", "800x600", "--dpi", "96", "--district", "gvalley", "--title", "G밸리"
    )
    assert result.returncode == 0, result.stderr
    assert QImage(str(out)).size().toTuple() == (800, 600)


def test_file_export_map_uses_the_current_view(main_window, tmp_path):
    from PySide6.QtGui import QImage

    main_window.zoom_to_district("magok")
    out = tmp_path / "view.png"
    assert main_window.export_map(out, title="마곡 워크숍")
    image = QImage(str(out))
    assert not image.isNull() and image.width() > 0
    assert (tmp_path / "view.png").stat().st_size > 10_000


# -- PDF text layer, pages and orientation ------------------------------------------------
DAY = __import__("datetime").date(2026, 5, 4)


def pdftotext(path):
    if not shutil.which("pdftotext"):  # .ci/run installs poppler-utils
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def pdfinfo(path):
    if not shutil.which("pdfinfo"):
        pytest.skip("pdfinfo (poppler-utils) is not installed")
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return dict(line.split(":", 1) for line in out.splitlines() if ":" in line)


def test_pdf_text_has_real_spaces_and_the_furniture(stack, tmp_path):
    import re

    from app.ui.export.map_export import render_map

    path = tmp_path / "map.pdf"
    render_map(stack, path, title=TITLE, date=DAY)
    text = pdftotext(path)
    assert "\x01" not in text and "\t" not in text
    assert TITLE in text  # "Workshop map 워크숍": spaces and Hangul as typed
    assert "Legend" in text and "2026-05-04" in text
    assert "Start-ups (synthetic): SYNTHETIC" in text
    assert re.search(r"^\d+(\.\d+)? k?m$", text, re.M), "no scale bar label"


def test_fix_pdf_spaces_rewrites_only_control_destinations():
    from app.ui.export.pdf import fix_pdf_spaces

    cmap = (
        b"begincmap\n2 beginbfrange\n<0000> <0000> <0000>\n"
        b"<0001> <0003> [<0057> <0001> <0009>]\n<0004> <0005> <0001>\nendbfrange\n"
        b"1 beginbfchar\n<0006> <001F>\nendbfchar\nendcmap"
    )
    fixed = fix_pdf_spaces(b"%PDF-1.4\n" + cmap)
    assert len(fixed) == len(cmap) + 9  # same length: the xref offsets stay valid
    assert b"[<0057> <0020> <0020>]" in fixed and b"<0006> <0020>" in fixed
    assert b"<0000> <0000> <0000>" in fixed and b"<0004> <0005> <0001>" in fixed


def test_every_scene_is_one_page_with_its_title(stack, tmp_path):
    from app.core.project.scenes import default_scenes
    from app.ui.export.map_export import render_scenes

    scenes = default_scenes(stack, "en")
    path = tmp_path / "handout.pdf"
    layouts = render_scenes(stack, path, scenes, page="A4", orientation="portrait", date=DAY)
    assert len(layouts) == 3
    info = pdfinfo(path)
    assert int(info["Pages"]) == 3
    assert info["Page size"].split()[:3] == ["595", "x", "842"]  # A4 portrait, points
    pages = pdftotext(path).split("\f")
    for scene, page in zip(scenes, pages):
        assert page.splitlines()[0] == scene.title, page[:80]
        assert "Legend" in page and "2026-05-04" in page and "SYNTHETIC" in page
        assert [s.title for s in scenes if s.title + "\n" in page[:40]] == [scene.title]


def test_page_orientation_and_size(stack, tmp_path):
    from app.ui.export.map_export import render_map

    sizes = {}
    for page, orientation in (("A4", "landscape"), ("A4", "portrait"), ("A3", "portrait")):
        path = tmp_path / f"{page}-{orientation}.pdf"
        render_map(stack, path, page=page, orientation=orientation)
        sizes[page, orientation] = pdfinfo(path)["Page size"].split()[:3]
    assert sizes["A4", "landscape"] == ["842", "x", "595"]
    assert sizes["A4", "portrait"] == ["595", "x", "842"]
    assert sizes["A3", "portrait"] == ["842", "x", "1191"]


def test_portrait_pages_put_the_legend_below_a_wide_map(stack, tmp_path):
    from app.ui.canvas.render.legend import legend_entries
    from app.ui.export.map_export import render_map

    titles = [layer.title("en") for layer, _rows in legend_entries(stack, "en")]
    assert len(titles) >= 6
    for page in ("A4", "A3"):
        path = tmp_path / f"{page}.pdf"
        layout = render_map(stack, path, page=page, orientation="portrait", date=DAY)
        assert layout.height > layout.width
        assert layout.title.top() == 0 and layout.title.bottom() <= layout.map.top()
        assert layout.legend.top() >= layout.map.bottom()
        assert layout.legend.bottom() <= layout.footer.top() + 0.01
        assert layout.footer.bottom() == pytest.approx(layout.height)
        assert layout.map.width() >= 0.85 * layout.width
        assert layout.legend.width() >= 0.85 * layout.width
        assert layout.map.height() > layout.legend.height()  # the map stays the main thing
        text = pdftotext(path)
        legend_text = text[text.index("Legend") :]
        for title in titles:  # every visible layer is in the legend
            assert title in legend_text, (page, title)
    # Landscape keeps its legend column at the right of the map.
    layout = render_map(stack, tmp_path / "wide.pdf", page="A4", orientation="landscape")
    assert layout.legend.left() >= layout.map.right()
    assert layout.legend.height() == pytest.approx(layout.map.height())


# -- scenes ------------------------------------------------------------------------------
def _pixels(path):
    from PySide6.QtGui import QImage

    image = QImage(str(path)).convertToFormat(QImage.Format.Format_RGB32)
    return (
        np.frombuffer(image.constBits(), np.uint8)
        .reshape(image.height(), image.bytesPerLine() // 4, 4)[:, : image.width(), 2::-1]
        .astype(int)
    )


def _district_pixel_counts(pixels):
    """Pixels near each district's outline colour, keyed by district id."""
    from PySide6.QtGui import QColor

    from layers.themes.districts import DISTRICTS

    counts = {}
    for district_id, (_ko, _en, colour) in DISTRICTS.items():
        c = QColor(colour)
        want = np.array([c.red(), c.green(), c.blue()])
        counts[district_id] = int((np.abs(pixels - want).max(axis=2) <= 30).sum())
    return counts


def test_scene_extent_and_layers_leave_the_stack_unchanged(stack, tmp_path):
    from dataclasses import replace

    from app.core.project.scenes import default_scenes
    from app.ui.export.map_export import render_map

    before = {layer.name: layer.visible for layer in stack}
    events = []
    stack.layer_changed.connect(lambda *a: events.append(a))
    for scene in default_scenes(stack, "en"):
        only = replace(scene, visible_layers=("districts",))
        path = tmp_path / f"{scene.scene_id}.png"
        layout = render_map(stack, path, size=(800, 600), dpi=96, scene=only)
        counts = _district_pixel_counts(_crop(_pixels(path), layout.map))
        assert max(counts, key=counts.get) == scene.scene_id, counts
        assert counts[scene.scene_id] > 2000
        assert layout.notes == []
    assert {layer.name: layer.visible for layer in stack} == before
    assert events == []  # the canvas never saw the scenes' visibility


def test_scene_with_missing_layers_renders_what_exists(stack, tmp_path):
    from app.core.project.scenes import Scene
    from app.ui.export.map_export import render_map

    scene = Scene(
        "old", "Old scene", (180000, 540000, 200000, 556000), ("districts", "deleted_layer")
    )
    path = tmp_path / "old.pdf"
    layout = render_map(stack, path, scene=scene)
    assert path.stat().st_size > 10_000
    assert any("deleted_layer" in note for note in layout.notes)
    assert pdftotext(path).splitlines()[0] == "Old scene"


def test_failed_export_keeps_the_old_file(stack, tmp_path):
    from app.ui.export.map_export import render_map
    from app.ui.export.output import MapExportError

    path = tmp_path / "map.png"
    path.write_bytes(b"old map")
    with pytest.raises(MapExportError, match="size"):
        render_map(stack, path, size=(10, 10))
    assert path.read_bytes() == b"old map"
    (tmp_path / "notes.txt").write_text("x")
    with pytest.raises(MapExportError, match="notes.txt is not a folder"):
        render_map(stack, tmp_path / "notes.txt" / "out.png")


def test_cli_unknown_scene_lists_the_scenes(tmp_path):
    result = run_cli(tmp_path / "map.png", "--scene", "atlantis")
    assert result.returncode == 2
    assert "gvalley, magok, yangjae" in result.stderr and not (tmp_path / "map.png").exists()


def test_cli_all_scenes_handout(tmp_path):
    out = tmp_path / "handout.pdf"
    result = run_cli(out, "--all-scenes", "--orientation", "portrait", "--page", "A3")
    assert result.returncode == 0, result.stderr
    assert "3 pages" in result.stdout
    info = pdfinfo(out)
    assert int(info["Pages"]) == 3 and info["Page size"].split()[:3] == ["842", "x", "1191"]
    titles = [page.splitlines()[0] for page in pdftotext(out).split("\f")[:3]]
    assert titles == ["G-Valley", "Magok", "Yangjae/Gaepo"]


def test_cli_all_scenes_with_a_title_is_a_titled_handout(tmp_path):
    out = tmp_path / "handout.pdf"
    result = run_cli(out, "--all-scenes", "--title", "워크숍 Workshop", "--page", "A4")
    assert result.returncode == 0, result.stderr
    pages = pdftotext(out).split("\f")[:3]
    assert [page.splitlines()[0] for page in pages] == [
        "워크숍 Workshop — G-Valley",
        "워크숍 Workshop — Magok",
        "워크숍 Workshop — Yangjae/Gaepo",
    ]
    assert pdfinfo(out)["Title"].strip() == "워크숍 Workshop"


def test_cli_scene_png_and_sites(stack, tmp_path):
    import geopandas as gpd
    from shapely.geometry import Point

    from app.core.project.scenes import find_scene, scenes_from_settings
    from app.ui.export.map_export import render_map

    scene = find_scene(scenes_from_settings({}, stack, "en"), "magok")
    xmin, ymin, xmax, ymax = scene.extent
    cx, cy = (xmin + xmax) / 2 + 600, (ymin + ymax) / 2 - 500  # clear of the labels
    sites = tmp_path / "sites.geojson"
    gpd.GeoDataFrame({"name": ["Hub A"]}, geometry=[Point(cx, cy)], crs="EPSG:5186").to_file(
        sites, driver="GeoJSON"
    )
    plain, with_sites = tmp_path / "plain.png", tmp_path / "sites.png"
    for out, extra in ((plain, ()), (with_sites, ("--sites", sites))):
        result = run_cli(out, "--scene", "magok", "--size", "800x600", "--dpi", "96", *extra)
        assert result.returncode == 0, result.stderr
    # the same page in-process tells where the map and the site are
    layout = render_map(stack, tmp_path / "ref.png", size=(800, 600), dpi=96, scene=scene)
    sx, sy = layout.viewport.map_to_screen(cx, cy)
    px, py = int(layout.map.left() + sx), int(layout.map.top() + sy)
    a, b = _pixels(plain), _pixels(with_sites)
    # the scene, as in-process: a few halo edge pixels of the labels differ by
    # antialiasing noise (measured: at most a handful, by < 10 levels); a moved label or
    # symbol would change hundreds of pixels by far more
    diff = np.abs(a - _pixels(tmp_path / "ref.png")).max(axis=2)
    assert diff.max() <= 40 and (diff > 3).sum() <= 50
    changed = np.abs(a - b).max(axis=2) > 40
    assert changed[py - 12 : py + 13, px - 12 : px + 13].sum() > 30  # the site's marker
    legend = changed[
        int(layout.legend.top()) : int(layout.legend.bottom()),
        int(layout.legend.left()) : int(layout.legend.right()),
    ].sum()
    # the site, its label, catchment circle and rank badge, and the legend row only
    assert legend > 0 and changed.sum() - legend < 5000


def test_title_glyph_missing_from_the_font_is_a_note(stack, tmp_path):
    from app.ui.export.map_export import render_map

    path = tmp_path / "emoji.png"
    layout = render_map(stack, path, size=(600, 400), dpi=96, title="Map \U0001f5fa 지도")
    assert path.exists()
    # Hangul is in the bundled font: only the map emoji is named
    assert layout.notes == [
        "the map font has no glyph for \U0001f5fa (title 'Map \U0001f5fa "
        "지도'): another font or a box is drawn instead"
    ]
