"""Hostile text in the web map: every string from a file or a user shows as text and
never runs, in a real headless Chromium; hostile ``#scene=``/``#site=`` links leave the
page working. The payloads are in :mod:`tests.core.export.xss_payloads`."""

import html
import json
import os
import re
import sqlite3
from urllib.parse import quote

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.export.webmap.page import build_html, export_html
from app.core.export.webmap.records import script_json
from app.core.paths import DEFAULT_PROJECT
from app.core.project.scenes import Scene
from app.core.project.store import open_project
from layers.model import Layer, LayerStack
from layers.provenance import DataStatus, Provenance
from layers.style import Category, LabelStyle, LayerStyle, Symbol
from tests.core.export.test_webmap import CHROMIUM, chromium, needs_chromium
from tests.core.export.xss_payloads import (
    HOSTILE_COLOURS,
    HOSTILE_HASHES,
    PAYLOADS,
    PROTO_NAMES,
    PYTHON_RAN,
    probed,
    with_probe,
)

P = len(PAYLOADS)
#: The page's title: every payload at once (the title is one string).
TITLE = " ¦ ".join(PAYLOADS)
#: Sites' ids: names of every object's properties, and payloads.
SITE_IDS = [*PROTO_NAMES, *PAYLOADS[:4]]
_X0, _Y0 = 189000.0, 541000.0  # G-Valley, EPSG:5186


def _provenance(text: str) -> Provenance:
    return Provenance(DataStatus.USER, source=text, licence="", vintage="", attribution=text)


def _hostile_layer(number: int) -> Layer:
    """Layer ``number``: its title, category labels, label field and names are payloads;
    polygons for every third layer, square markers otherwise; layer 1's colours are
    hostile too."""
    payload = PAYLOADS[number]
    names = [*PROTO_NAMES, *(f"hostile_{i}" for i in range(P))]
    x = _X0 + 600.0 * number
    points = [shapely.Point(x, _Y0 + 500.0 * k) for k in range(3)]
    geometry = [p.buffer(120.0) for p in points] if number % 3 == 2 else points
    data = gpd.GeoDataFrame(
        {
            "kind": ["a", "b", "c"],
            "label": [payload, PAYLOADS[(number + 1) % P], PAYLOADS[(number + 2) % P]],
            "name": [payload] * 3,
        },
        geometry=geometry,
        crs="EPSG:5186",
    )
    bad = number == 1
    colour = HOSTILE_COLOURS if bad else ("#3366cc", "#cc3333", "#33cc33")
    style = LayerStyle(
        kind="categorized",
        symbol=Symbol(marker="square", fill=colour[0], stroke=colour[1]),
        field="kind",
        categories=(
            Category("a", payload, Symbol(marker="square", fill=colour[1], hatch="cross")),
            Category("b", PAYLOADS[(number + 3) % P], Symbol(marker="diamond", fill=colour[2])),
        ),
        other_label=PAYLOADS[(number + 4) % P],
        label=LabelStyle(
            field="label",
            color=colour[2] if bad else "#222222",
            halo=colour[0] if bad else "#ffffff",
        ),
    )
    return Layer(
        names[number],
        data,
        style,
        _provenance(f"source {number}: {payload}"),
        title_en=payload,
        title_ko=payload,
        geometry_kind="polygon" if number % 3 == 2 else "point",
    )


@pytest.fixture(scope="module")
def hostile_stack():
    """Candidate sites (the project's own layer) named with payloads, under one hostile
    layer per payload."""
    sites = open_project(DEFAULT_PROJECT).stack.get("sites")
    n = len(SITE_IDS)
    sites.set_data(
        gpd.GeoDataFrame(
            {
                "site_id": SITE_IDS,
                "name": [PAYLOADS[i % P] for i in range(n)],
                "notes": [PAYLOADS[(i + 5) % P] for i in range(n)],
                "kind": ["point"] * n,
                "radius_m": [300.0] * n,
                "lot_area_m2": [float("nan")] * n,
                "created": [""] * n,
                "modified": [""] * n,
            },
            geometry=[shapely.Point(_X0 + 400.0 * i, _Y0 - 1500.0) for i in range(n)],
            crs="EPSG:5186",
        )
    )
    return LayerStack([sites, *(_hostile_layer(i) for i in range(P))])


@pytest.fixture(scope="module")
def hostile_indicators():
    """Indicators whose text values (sectors, zones, restrictions) are payloads."""
    n = len(SITE_IDS)
    return pd.DataFrame(
        {
            "rank": list(range(1, n + 1)),
            "score": [0.5] * n,
            "top_sector": [PAYLOADS[i % P] for i in range(n)],
            "dominant_zone": [PAYLOADS[(i + 1) % P] for i in range(n)],
            "restrictions": [PAYLOADS[(i + 2) % P] for i in range(n)],
        },
        index=SITE_IDS,
    )


def _scenes():
    extent = (_X0 - 500.0, _Y0 - 2000.0, _X0 + 600.0 * P, _Y0 + 1500.0)
    return [
        Scene(scene_id, PAYLOADS[i % P], extent, None)
        for i, scene_id in enumerate([*PROTO_NAMES, *PAYLOADS])
    ]


@pytest.fixture(scope="module")
def hostile_page(hostile_stack, hostile_indicators, tmp_path_factory):
    path = tmp_path_factory.mktemp("hostile") / "hostile.html"
    export_html(
        path,
        hostile_stack,
        title=TITLE,
        language="en",
        indicators=hostile_indicators,
        scenes=_scenes(),
        embed_font=False,
    )
    return path


def _load(page, tmp_path, fragment=""):
    """``page`` loaded in Chromium with the probe: what it recorded."""
    probe = tmp_path / f"probe-{page.name}"
    probe.write_text(with_probe(page.read_text(encoding="utf-8")), encoding="utf-8")
    return probed(chromium(probe, tmp_path, fragment=fragment))


@pytest.fixture(scope="module")
def shown(hostile_page, tmp_path_factory):
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed")
    return _load(hostile_page, tmp_path_factory.mktemp("shown"))


def _missing(texts, wanted):
    """The strings of ``wanted`` that no text of ``texts`` holds."""
    joined = "\n".join(texts)
    return [w for w in wanted if w not in joined]


@needs_chromium
def test_no_payload_runs_and_the_page_works(shown, hostile_page):
    assert shown["xss"] is None, f"payloads ran: {shown['xss']}"
    assert shown["errors"] == []
    assert shown["map"] and shown["view"], "the map did not finish loading"
    assert shown["drawn"] > 0
    # nothing the payloads hold became an element or an attribute
    assert shown["handlers"] == 0
    assert shown["javascript_links"] == 0
    assert shown["embedded"] == 0
    text = hostile_page.read_text(encoding="utf-8")
    assert shown["scripts"] == text.count("<script") + 1  # the page's own and the probe
    assert not [c for c in HOSTILE_COLOURS if c in text or html.escape(c) in text]


@needs_chromium
def test_layer_titles_show_literally_in_the_control_legend_and_popups(shown):
    assert _missing(shown["control"], PAYLOADS) == []
    assert _missing(shown["legend"], PAYLOADS) == []
    popups_of = {p: [t for t in shown["popups"] if t.startswith(p)] for p in PAYLOADS}
    assert all(popups_of.values()), [p for p, found in popups_of.items() if not found]


@needs_chromium
def test_category_labels_names_and_attribute_values_show_literally(shown, hostile_indicators):
    # category labels: in the legend, and in the popup of each categorized feature
    assert _missing(shown["legend"], PAYLOADS) == []
    assert _missing(shown["popups"], PAYLOADS) == []
    # the sites' popups: their name and their indicators' text values
    for value in hostile_indicators[["top_sector", "dominant_zone", "restrictions"]].stack():
        assert any(value in popup for popup in shown["popups"]), value


@needs_chromium
def test_labels_and_site_names_show_literally(shown):
    labels = shown["labels"]
    assert _missing(labels, PAYLOADS) == []
    # each site's label: its badge (rank and score) and its name, as text
    for rank, site in enumerate(SITE_IDS, start=1):
        name = PAYLOADS[(rank - 1) % P]
        assert any(re.fullmatch(rf"#{rank}( \d+)? {re.escape(name)}", text) for text in labels), (
            site
        )


@needs_chromium
def test_title_scenes_and_attribution_show_literally(shown):
    assert shown["title"] == re.sub(r"[ \t\n\f\r]+", " ", TITLE).strip()
    assert TITLE in shown["top"][0]  # the heading
    assert _missing(shown["top"], PAYLOADS) == []  # the scene buttons
    assert _missing(shown["attribution"], PAYLOADS) == []
    # the data notes in the legend name each layer's source
    assert _missing(shown["legend"], [f"source {i}: {p}" for i, p in enumerate(PAYLOADS)]) == []


def test_no_data_string_can_end_the_script_element(hostile_page):
    text = hostile_page.read_text(encoding="utf-8")
    scripts = re.findall(r"<script>(.*?)</script>", text, flags=re.S)
    page_script = scripts[-1]
    assert "var D = " in page_script  # the data ends where the page script does
    assert page_script.rstrip().endswith("})();")
    assert "\u2028" not in page_script and "\u2029" not in page_script
    assert "<!--" not in page_script and "<script" not in page_script.lower()
    for value in ("</script>", "<!--<script>", "\u2028", "a&b"):
        encoded = script_json({"v": value})
        assert json.loads(encoded) == {"v": value}
        assert not re.search(r"[<>&\u2028\u2029]", encoded), encoded


def test_text_that_names_a_slot_of_the_page_stays_text(hostile_stack):
    slots = "__DATA__ __MAP__ /*__INNO_FONT_FACE__*/"
    assert slots in PAYLOADS
    text = build_html(hostile_stack, title=slots, scenes=[], embed_font=True)
    assert f"<title>{slots}</title>" in text  # not the font, not the map's variable
    data = json.loads(re.search(r"var D = (.*);\n", text).group(1))
    assert slots in [layer["title"] for layer in data["layers"]]  # as the user wrote it


def test_no_text_is_run_as_a_template_by_the_exporter(monkeypatch):
    monkeypatch.delenv(PYTHON_RAN, raising=False)
    template = PAYLOADS[-1]
    # in a label only: it reaches the page's script and nothing else
    data = gpd.GeoDataFrame(
        {"note": [template, "{{ 7*7 }}"]},
        geometry=[shapely.Point(_X0, _Y0), shapely.Point(_X0 + 500, _Y0)],
        crs="EPSG:5186",
    )
    layer = Layer(
        "notes",
        data,
        LayerStyle(label=LabelStyle(field="note")),
        _provenance("{{ 6*7 }}"),
        title_en="{% raw %}",
        geometry_kind="point",
    )
    text = build_html(LayerStack([layer]), title="{{ 5*5 }}", scenes=[], embed_font=False)
    assert PYTHON_RAN not in os.environ
    data = json.loads(re.search(r"var D = (.*);\n", text).group(1))
    assert [item[2] for item in data["layers"][0]["labels"]["items"]] == [template, "{{ 7*7 }}"]
    assert "<title>{{ 5*5 }}</title>" in text and ">{{ 5*5 }}</h1>" in text
    assert ">{% raw %}</div>" in text and "{{ 6*7 }}" in data["attribution"]


# -- the confirmed case: File → Add layer, save, innoatlas export-html --------------------------
@needs_chromium
def test_an_imported_layer_named_like_markup_cannot_run_in_the_exported_page(tmp_path):
    from app.core.formats.vector import ReadOptions
    from app.core.project.layer_import import ImportRequest, import_layer
    from app.core.project.store import save_project
    from app.core.project.user_layers import make_user_layer, table_name, user_provenance
    from tests.cli.run import run_innoatlas

    table = "<img src=x onerror=__xss=1>"
    points = gpd.GeoDataFrame(
        {"name": ["<svg onload=__xss=2>"]}, geometry=[shapely.Point(_X0, _Y0)], crs="EPSG:5186"
    )
    gpkg = tmp_path / "<img src=y onerror=__xss=3>.gpkg"
    points.to_file(gpkg, layer="t", driver="GPKG", SPATIAL_INDEX="NO")
    with sqlite3.connect(gpkg) as con:  # GDAL will not write such a name; SQLite will
        con.execute(f'ALTER TABLE "t" RENAME TO "{table}"')
        for meta in ("gpkg_contents", "gpkg_geometry_columns"):
            con.execute(f"UPDATE {meta} SET table_name = ? WHERE table_name = 't'", (table,))
    con.close()
    geojson = tmp_path / '"><svg onload=__xss=4>.geojson'
    points.to_crs("EPSG:4326").to_file(geojson, driver="GeoJSON")
    project = open_project(DEFAULT_PROJECT)
    stack = project.stack
    for layer in stack:  # a light page (the probe opens every popup)
        layer.set_visible(layer.name in ("sites", "districts"))
    for path, layer_name, title in ((gpkg, table, table), (geojson, None, geojson.stem)):
        result = import_layer(ImportRequest(path, ReadOptions(layer=layer_name), title=title))
        layer = make_user_layer(
            result.frame,
            table_name(title, stack.names()),
            title,
            user_provenance(path, result.notes),
            style=result.style,
        )
        stack.insert(1, layer)
    saved = tmp_path / "project.gpkg"
    save_project(saved, stack, project.settings)
    page = tmp_path / "map.html"
    done = run_innoatlas("export-html", page, "--project", saved, "--title", table)
    assert done.returncode == 0, done.stderr
    shown = _load(page, tmp_path)
    assert shown["xss"] is None, f"payloads ran: {shown['xss']}"
    assert shown["errors"] == [] and shown["map"]
    for title in (table, geojson.stem):  # both layers, under their own titles
        assert title in shown["control"][0] and title in shown["legend"][0]
    assert f"{gpkg.stem} (imported)" in shown["attribution"][0]
    assert shown["title"] == table


# -- hostile hashes -------------------------------------------------------------------------
@pytest.fixture(scope="module")
def small_page(tmp_path_factory):
    """The default project with two sites, one with an id that is a property name."""
    project = open_project(DEFAULT_PROJECT)
    sites = project.stack.get("sites")
    sites.set_data(
        gpd.GeoDataFrame(
            {
                "site_id": ["toString", "a1"],
                "name": ["Site toString", "Site a1"],
                "notes": ["", ""],
                "kind": ["point", "point"],
                "radius_m": [float("nan")] * 2,
                "lot_area_m2": [float("nan")] * 2,
                "created": ["", ""],
                "modified": ["", ""],
            },
            geometry=[shapely.Point(_X0, _Y0), shapely.Point(_X0 + 500.0, _Y0)],
            crs="EPSG:5186",
        )
    )
    for layer in project.stack:  # a light page: sites and districts
        layer.set_visible(layer.name in ("sites", "districts"))
    path = tmp_path_factory.mktemp("small") / "small.html"
    export_html(path, project.stack, title="Links", embed_font=False)
    return path


@needs_chromium
def test_hostile_links_leave_the_page_working(small_page, tmp_path):
    broken = {}
    for fragment in HOSTILE_HASHES:
        shown = _load(small_page, tmp_path, fragment)
        if shown["errors"] or not (shown["map"] and shown["view"]) or shown["drawn"] < 3:
            broken[fragment] = shown["errors"] or "the map did not finish loading"
        assert shown["xss"] is None
    assert broken == {}


@needs_chromium
def test_a_site_link_opens_a_site_named_like_a_property(small_page, tmp_path):
    dom = chromium(small_page, tmp_path, fragment="#scene=constructor&site=toString")
    popup = re.search(r'<div class="inno-popup">(.*?)</div></div>', dom)
    assert popup and "Site toString" in popup.group(1)


# -- the hash parser, fuzzed in Chromium -----------------------------------------------------
_KEYS = st.sampled_from(["scene", "site", "Scene", "scene ", "x", "", "scen"])
_VALUES = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12
) | st.sampled_from([*PROTO_NAMES, *PAYLOADS, "%", "%%", "%E0%A4%A", "&", "=", "#"])
_RAW = st.text(st.sampled_from("#&=%scenit_0E9Afz프"), max_size=20)


@st.composite
def hashes(draw):
    """A hash of ``key=value`` parts, the values percent-encoded or raw (maybe broken)."""
    parts = draw(
        st.lists(
            st.tuples(_KEYS, _VALUES, st.booleans()),
            max_size=4,
        )
    )
    text = "&".join(
        f"{key}={quote(value, safe='') if encode else value}" for key, value, encode in parts
    )
    return draw(st.sampled_from(["#", ""])) + text, parts


def _expected(parts, key):
    """What the page must find for ``key`` in a hash whose values were all
    percent-encoded: the first ``key=`` part's value exactly, None without one."""
    if not all(encoded for _, _, encoded in parts):
        return ("any", None)  # a raw "&" or "=" makes other parts: only the type is known
    for name, value, _ in parts:
        if name == key:
            return ("exact", value)
    return ("none", None)


_PARSE = """<script>window.addEventListener("load", function () {
  var out = CASES.map(function (c) {
    var r = {};
    ["scene", "site"].forEach(function (key) {
      try { r[key] = innoatlas.hashParam(c, key); } catch (e) { r[key] = {thrown: String(e)}; }
    });
    try { innoatlas.showScene(r.scene, false); } catch (e) { r.show = String(e); }
    return r;
  });
  document.documentElement.setAttribute("data-parsed", JSON.stringify(out));
});</script>"""


@needs_chromium
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    cases=st.lists(hashes(), min_size=20, max_size=40),
    raw=st.lists(_RAW, min_size=10, max_size=20),
)
def test_the_hash_parser_never_fails_and_finds_encoded_values(small_page, tmp_path, cases, raw):
    hashes_ = [h for h, _ in cases] + raw
    probe = tmp_path / "parse.html"
    script = _PARSE.replace("CASES", script_json(hashes_))
    probe.write_text(
        small_page.read_text(encoding="utf-8").replace("</body>", script + "</body>", 1),
        encoding="utf-8",
    )
    dom = chromium(probe, tmp_path)
    found = re.search(r'data-parsed="([^"]*)"', dom)
    assert found, "the page did not load"
    results = json.loads(html.unescape(found.group(1)))
    assert len(results) == len(hashes_)
    for text, result in zip(hashes_, results):
        for key in ("scene", "site"):
            value = result[key]
            assert value is None or isinstance(value, str), (text, key, value)
        assert "show" not in result, (text, result)
    for (text, parts), result in zip(cases, results):
        for key in ("scene", "site"):
            how, value = _expected(parts, key)
            if how == "exact":
                assert result[key] == value, (text, key)
            elif how == "none":
                assert result[key] is None, (text, key)
