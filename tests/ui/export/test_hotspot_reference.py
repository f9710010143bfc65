"""The hot-spot legend says which area the z-scores are computed against, on the map
legend, in the PDF and in the web map (issue 16)."""

import shutil
import subprocess

import pytest

from app.core.export.webmap.legend import legend_html
from app.ui.canvas.render.legend import legend_entries, legend_items


def hot_spots(qtbot, w):
    w.analysis.actions["startup_hotspots"].trigger()
    qtbot.waitUntil(lambda: w.stack.get("startup_hotspots") is not None, timeout=20_000)
    return w.stack.get("startup_hotspots")


def test_the_hot_spot_legend_names_the_reference_area(qtbot, main_window, tmp_path):
    w = main_window
    layer = hot_spots(qtbot, w)
    area = w.layer_panel.model.coverage_text(w.role_layer("startups"))
    assert area  # the start-up layer's coverage area, as the Layers panel names it
    assert set(layer.data["reference"]) == {area}
    headings = [
        item.text
        for item in legend_items(legend_entries(w.stack, "en"), "en")
        if item.kind == "layer"
    ]
    assert f"Start-up hot spots (Gi*) — z-scores against: {area}" in headings
    korean = [
        i.text for i in legend_items(legend_entries(w.stack, "ko"), "ko") if i.kind == "layer"
    ]
    assert any("z-점수 기준 지역:" in text for text in korean)
    assert f"z-scores against: {area}" in legend_html([layer], ([], []), "en")
    # the Layers panel (the map's legend) lists it under the hot-spot classes
    model = w.layer_panel.model
    parent = model.index(w.stack.index(layer), 0)
    rows = [model.index(r, 0, parent).data() for r in range(model.rowCount(parent))]
    assert rows[-1] == f"z-scores against: {area}"
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed")
    pdf = tmp_path / "hot.pdf"
    assert w.export_map(pdf, title="Hot spots")
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout.replace("\x01", " ")
    assert "z-scores against:" in " ".join(text.split())
