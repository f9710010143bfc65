"""Participants' text in the exports: the web map (in Chromium: nothing runs, the text
shows as typed), the styled GeoPackage (stored as plain text), the Shapefile/GeoJSON
files, and the CSV (formulas neutralised). Hidden input is in none of them."""

from __future__ import annotations

import json

import pyogrio
import pytest

from app.core.export.geopackage import export_geopackage
from app.core.export.vector_files import export_vector_files
from app.core.export.webmap.page import export_html
from app.core.participation.actions import Action
from app.core.participation.layers import PINS_LAYER, PROPOSALS_LAYER, display_layers
from app.core.participation.results import Results
from app.core.participation.tables import csv_of
from app.core.paths import DEFAULT_PROJECT
from app.core.project.store import open_project
from layers.model import LayerStack
from tests.core.export.test_webmap import CHROMIUM, chromium
from tests.core.export.xss_payloads import PAYLOADS, probed, with_probe

X, Y = 190_500.0, 543_800.0  # inside G-Valley
HIDDEN = "hidden: <b>do not export</b>"


@pytest.fixture(scope="module")
def results():
    actions = [
        Action(f"p{i}", "pin", f"u{i}", "2026-12-05T07:00:00Z", category="idea", text=payload,
               nickname=payload[:24], x=X + 30 * i, y=Y)
        for i, payload in enumerate(PAYLOADS)
    ]  # fmt: skip
    actions.append(Action("h", "pin", "u", "2026-12-05T07:00:00Z", category="good", text=HIDDEN,
                          x=X, y=Y + 50))  # fmt: skip
    actions.append(Action("q", "propose", "u", "2026-12-05T07:00:00Z", text=PAYLOADS[1], x=X,
                          y=Y - 50))  # fmt: skip
    return Results(actions, hidden={"h"})


@pytest.fixture(scope="module")
def stack(results):
    """The districts and the participants' layers (a small page, quick in Chromium)."""
    project = open_project(DEFAULT_PROJECT).stack
    stack = LayerStack()
    for layer in [*display_layers(results, "en"), project.get("districts")]:
        stack.append(layer)
    return stack


def test_display_layers_hold_only_what_is_not_hidden(results):
    pins, proposals = display_layers(results, "ko")
    assert (pins.name, proposals.name) == (PINS_LAYER, PROPOSALS_LAYER)
    assert HIDDEN not in pins.data["text"].tolist()
    assert pins.data["text"].tolist() == list(PAYLOADS)
    assert [c.label for c in pins.style.categories] == ["좋은 곳", "문제", "아이디어"]
    assert pins.provenance.status == "user"


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")
def test_the_web_map_shows_participant_text_and_runs_none_of_it(stack, tmp_path):
    page = tmp_path / "workshop.html"
    export_html(page, stack, title="Workshop", language="en", embed_font=False)
    text = page.read_text(encoding="utf-8")
    assert HIDDEN not in text and "do not export" not in text
    probe = tmp_path / "probe.html"
    probe.write_text(with_probe(text), encoding="utf-8")
    shown = probed(chromium(probe, tmp_path))
    assert shown["xss"] is None, f"payloads ran: {shown['xss']}"
    assert shown["map"] and shown["handlers"] == 0 and shown["embedded"] == 0
    popups = "\n".join(shown["popups"])
    shown_text = popups + "\n".join(shown["labels"])
    assert [p for p in PAYLOADS[:8] if p not in shown_text] == []
    assert any("Participants' pins" in t for t in shown["control"])


def test_geopackage_and_files_keep_the_text_as_plain_data(stack, tmp_path, results):
    path = tmp_path / "export.gpkg"
    export_geopackage(path, stack)
    pins = pyogrio.read_dataframe(path, layer=PINS_LAYER)
    assert pins["text"].tolist() == list(PAYLOADS)
    export_vector_files(tmp_path / "files", stack, fmt="geojson", encoding="utf-8")
    geojson = next((tmp_path / "files").glob(f"{PINS_LAYER}*.geojson"))
    texts = [f["properties"]["text"] for f in json.loads(geojson.read_text())["features"]]
    assert texts == list(PAYLOADS)
    csv = csv_of(results)
    assert "\n=" not in csv and ",=" not in csv and ",+" not in csv and ",@" not in csv
