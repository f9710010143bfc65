"""PNG/PDF map export: size, legend swatches, scale bar, PDF text, CLI errors."""
import shutil
import subprocess
import sys

import numpy as np
import pytest

TITLE = "Workshop map 워크숍"


@pytest.fixture(scope="module")
def stack(default_project_path):
    from app.core.project_io import open_project
    from app.ui.gui import application

    application()
    return open_project(default_project_path).stack


@pytest.fixture(scope="module")
def png(stack, tmp_path_factory):
    from PySide6.QtGui import QImage

    from app.ui.map_export import render_map

    path = tmp_path_factory.mktemp("png") / "map.png"
    layout = render_map(stack, path, size=(1200, 800), dpi=144, title=TITLE)
    image = QImage(str(path)).convertToFormat(QImage.Format.Format_RGB32)
    pixels = np.frombuffer(image.constBits(), np.uint8).reshape(
        image.height(), image.bytesPerLine() // 4, 4)[:, :image.width(), 2::-1].copy()
    return image, pixels, layout


def _crop(pixels, rect):
    return pixels[int(rect.top()):int(rect.bottom()), int(rect.left()):int(rect.right())]


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
    from app.ui.map_export import render_map

    path = tmp_path / "map.pdf"
    layout = render_map(stack, path, title=TITLE, page="A3")
    data = path.read_bytes()
    assert data.startswith(b"%PDF")
    assert layout.width > layout.height  # landscape from the 1600x1000 aspect
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True,
                              text=True, check=True).stdout
    else:  # no poppler: the XMP metadata carries the title and the data notes
        text = data.decode("utf-8", "replace")
    assert TITLE in text and "SYNTHETIC" in text


def test_export_errors_are_clear(stack, tmp_path):
    from app.core.errors import InnoAtlasError
    from app.ui.map_export import MapExportError, render_map

    assert issubclass(MapExportError, InnoAtlasError)
    with pytest.raises(MapExportError, match="png or .pdf"):
        render_map(stack, tmp_path / "map.svg")
    with pytest.raises(MapExportError, match="no such folder"):
        render_map(stack, tmp_path / "missing" / "map.png")
    (tmp_path / "dir.png").mkdir()
    with pytest.raises(MapExportError, match="is a folder"):
        render_map(stack, tmp_path / "dir.png")


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "app", "render", *map(str, args)],
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("args", [("{tmp}/map.svg",), ("{tmp}/no/map.png",),
                                  ("{tmp}/map.png", "--size", "10x10"),
                                  ("{tmp}/map.png", "--district", "nowhere"),
                                  ("{tmp}/map.png", "--project", "{tmp}/none.gpkg")])
def test_cli_errors_are_one_line_exit_2(args, tmp_path):
    result = run_cli(*(a.format(tmp=tmp_path) for a in args))
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("innoatlas: error:"), result.stderr
    assert "Traceback" not in result.stderr


def test_cli_writes_district_png(tmp_path):
    from PySide6.QtGui import QImage

    out = tmp_path / "gvalley.png"
    result = run_cli(out, "--size", "800x600", "--dpi", "96", "--district", "gvalley",
                     "--title", "G밸리")
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
