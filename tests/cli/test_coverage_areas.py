"""A start-up layer of Magok alone, imported with a role, speaks only for Magok (issue 12).

The project is made as the app makes it (File → Add layer… with the start-ups role, then
Save): the layer's default coverage is where its features fall, Magok. G-Valley and
Yangjae sites then have unknown start-up values (empty in CSV, null in JSON), a site
across Magok's edge is partial and ranked after the complete ones, Magok sites are as
with the same data in a whole-map layer, Suggest refuses Yangjae naming the layer and
the district, and the exports name the coverage.
"""

import html
import io
import json
import re
import sqlite3

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.ops import nearest_points

from app.core.paths import DEFAULT_PROJECT
from app.core.project.coverage import Coverage, with_coverage
from app.core.project.roles import apply_role
from app.core.project.store import open_project, save_project
from app.core.project.user_layers import make_user_layer, user_provenance
from tests.cli.run import assert_one_line_error, run_innoatlas
from tests.cli.test_export_gpkg import read_sites

RADIUS = "300"
STARTUP_COLUMNS = ("startups_n", "startups_per_km2", "employees_sum", "sector_evenness")


def _project(folder, name, role, frame, coverage=None):
    project = open_project(DEFAULT_PROJECT)
    layer = make_user_layer(frame, name, name, user_provenance(folder / f"{name}.gpkg"), role=role)
    project.stack.insert(1, layer)
    project.settings.extra["roles"] = {role: name}
    if coverage is not None:
        project.settings.extra = with_coverage(project.settings.extra, name, coverage)
    project.settings.capture_layers(project.stack)
    path = folder / f"{name}_{'map' if coverage else 'own'}.gpkg"
    save_project(path, project.stack, project.settings)
    return path


def _edge_site(base, magok, radius):
    """A point on Magok's outline where the centre is permitted, with the most start-ups
    within R: were it not partial, it would rank first."""
    from app.core.indicators.engine import compute_indicators

    outline = magok.boundary
    points = shapely.line_interpolate_point(outline, np.linspace(0, 1, 120), normalized=True)
    frame = gpd.GeoDataFrame(geometry=points, crs="EPSG:5186")
    layers = [base.stack.get(name).data for name in ("startups", "education", "stations")]
    table = compute_indicators(
        frame, *layers, base.stack.get("zoning").data, radius, coverage={"startups": magok}
    )
    ok = (table["use_permitted"] == True) & table["startups_coverage"].between(0.3, 0.9)  # noqa: E712
    best = table[ok.fillna(False)]["startups_n"].astype(float).idxmax()
    return points[best]


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    folder = tmp_path_factory.mktemp("coverage")
    base = open_project(DEFAULT_PROJECT)
    districts = base.stack.get("districts").data.set_index("district_id").geometry
    magok = districts["magok"]
    startups = base.stack.get("startups").data
    firms = startups[startups.within(magok)].reset_index(drop=True)
    firms = apply_role(
        firms[["name", "sector", "employees", "geometry"]],
        "startups",
        {"name": "name", "sector": "sector", "employees": "employees"},
    ).frame
    local = _project(folder, "magok_firms", "startups", firms)
    whole = _project(folder, "magok_firms", "startups", firms, Coverage("map"))
    deep = magok.buffer(-float(RADIUS) - 50)
    inner = deep.representative_point()
    other = nearest_points(deep.boundary, inner)[0]  # a second site wholly inside
    edge = _edge_site(base, magok, float(RADIUS))  # its catchment partly outside
    points = {
        "Magok A": inner,
        "Magok B": other,
        "Edge": edge,
        "G-Valley": districts["gvalley"].representative_point(),
        "Yangjae": districts["yangjae"].representative_point(),
    }
    sites = folder / "sites.gpkg"
    gpd.GeoDataFrame(
        {"name": list(points)}, geometry=list(points.values()), crs="EPSG:5186"
    ).to_file(sites, layer="sites")
    magok_sites = folder / "magok_sites.gpkg"
    gpd.GeoDataFrame(
        {"name": ["Magok A", "Magok B", "Edge"]},
        geometry=[inner, other, edge],
        crs="EPSG:5186",
    ).to_file(magok_sites, layer="sites")
    zoning = base.stack.get("zoning").data
    magok_zoning = zoning[zoning.intersects(magok)].reset_index(drop=True)
    magok_zoning = apply_role(
        magok_zoning[["zone_type", "geometry"]], "zoning", {"zone_name": "zone_type"}
    ).frame
    zoning_project = _project(folder, "magok_zoning", "zoning", magok_zoning)
    return {
        "local": local,
        "whole": whole,
        "sites": sites,
        "magok_sites": magok_sites,
        "zoning": zoning_project,
    }


def _json(*args):
    result = run_innoatlas("indicators", *args, "--radius", RADIUS, "--format", "json")
    assert result.returncode == 0, result.stderr
    return {row["site"]: row for row in json.loads(result.stdout)}, result.stderr


def test_sites_outside_the_layer_have_unknown_start_ups(world):
    rows, _ = _json(world["sites"], "--project", world["local"])
    for name in ("G-Valley", "Yangjae"):
        assert rows[name]["startups_coverage"] == 0.0
        for column in STARTUP_COLUMNS:
            assert rows[name][column] is None, (name, column)  # unknown, never 0
        assert rows[name]["top_sector"] is None
        assert rows[name]["stations_coverage"] == 1.0  # the default stations cover all
        assert rows[name]["station_nearest_m"] is not None
    assert rows["Magok A"]["startups_n"] > 0 and rows["Magok A"]["startups_coverage"] == 1.0
    assert 0.0 < rows["Edge"]["startups_coverage"] < 1.0
    left_out = {item["criterion"] for item in rows["Magok A"]["left_out"]}
    assert {"startups", "diversity"} <= left_out  # unknown for two sites: out of every score

    result = run_innoatlas(
        "indicators", world["sites"], "--project", world["local"], "--radius", RADIUS
    )
    table = pd.read_csv(io.StringIO(result.stdout), dtype=str, keep_default_na=False)
    table = table.set_index("site")
    assert table.loc["G-Valley", "startups_n"] == "" and table.loc["Yangjae", "startups_n"] == ""
    assert float(table.loc["Yangjae", "startups_coverage"]) == 0.0
    assert table.loc["Magok A", "startups_n"] != ""


def test_magok_sites_are_as_with_a_whole_map_layer(world):
    local, _ = _json(world["sites"], "--project", world["local"])
    whole, _ = _json(world["sites"], "--project", world["whole"])
    for name in ("Magok A", "Magok B"):
        for column in (*STARTUP_COLUMNS, "top_sector", "station_nearest_m", "max_gfa_m2"):
            assert local[name][column] == whole[name][column], (name, column)
    assert whole["Yangjae"]["startups_n"] == 0  # what the whole-map claim says there
    assert whole["Edge"]["startups_coverage"] == 1.0


def test_a_site_across_the_edge_is_partial_and_ranked_after_complete_ones(world):
    rows, stderr = _json(world["magok_sites"], "--project", world["local"])
    edge = rows["Edge"]
    assert 0.0 < edge["startups_coverage"] < 1.0 and edge["partial"] is True
    assert rows["Magok A"]["partial"] is False and rows["Magok B"]["partial"] is False
    partial = edge["partial_data"]
    assert [item["site"] for item in partial["sites"]] == ["Edge"]
    assert partial["note"].startswith("Compared on partial data")
    assert "innoatlas: note: Compared on partial data, ranked after the complete sites: Edge (" in (
        stderr
    )
    assert all(rows[name]["use_permitted"] is True for name in rows)
    # with a higher score than a complete site, it still ranks after both
    assert edge["score"] > min(rows["Magok A"]["score"], rows["Magok B"]["score"])
    out = world["magok_sites"].with_name("magok.html")
    result = run_innoatlas(
        "export-html",
        out,
        "--project",
        world["local"],
        "--sites",
        world["magok_sites"],
        "--radius",
        RADIUS,
    )
    assert result.returncode == 0, result.stderr
    page = out.read_text(encoding="utf-8")
    assert re.search(r'"Edge","#3 \d+"', page)  # the label: its name and its badge


def test_suggest_refuses_a_district_the_demand_layer_does_not_cover(world):
    result = run_innoatlas(
        "suggest", "--district", "yangjae", "-k", "1", "--project", world["local"]
    )
    assert_one_line_error(result, "the start-up layer 'magok_firms' does not cover Yangjae/Gaepo")
    assert "'yangjae'" not in result.stderr
    ok = run_innoatlas("suggest", "--district", "magok", "-k", "1", "--project", world["local"])
    assert ok.returncode == 0, ok.stderr


def test_suggest_refuses_a_district_the_zoning_layer_does_not_cover(world):
    result = run_innoatlas(
        "suggest", "--district", "yangjae", "-k", "1", "--project", world["zoning"]
    )
    assert_one_line_error(result, "the zoning layer 'magok_zoning' does not cover Yangjae/Gaepo")
    assert "smaller spacing" not in result.stderr and "'yangjae'" not in result.stderr


def test_exports_name_the_coverage_in_their_provenance(world, tmp_path):
    line = "start-ups: 'magok_firms' (covers Magok)"
    out = tmp_path / "export.gpkg"
    result = run_innoatlas(
        "export-gpkg", out, "--project", world["local"], "--sites", world["sites"]
    )
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(out) as con:
        rows = dict(con.execute("SELECT layer, coverage FROM innoatlas_provenance").fetchall())
        meta = con.execute(
            "SELECT m.metadata FROM gpkg_metadata m JOIN gpkg_metadata_reference r "
            "ON m.id = r.md_file_id WHERE r.table_name = 'magok_firms'"
        ).fetchone()[0]
    con.close()
    assert rows["magok_firms"] == line
    assert rows["stations"].startswith("stations: '")
    assert rows["stations"].endswith("' (covers the whole map)")
    assert rows["districts"] is None
    assert f"coverage: {line}" in meta
    sites = read_sites(out).set_index("name")
    assert sites.loc["Yangjae", "startups_coverage"] == 0.0
    assert pd.isna(sites.loc["Yangjae", "startups_n"])

    page = tmp_path / "map.html"
    result = run_innoatlas(
        "export-html", page, "--project", world["local"], "--sites", world["sites"]
    )
    assert result.returncode == 0, result.stderr
    text = page.read_text(encoding="utf-8")
    assert html.escape(line) in text
    assert "Start-up data coverage" in text  # the popups show the shares


def test_the_project_keeps_the_default_coverage_until_the_layer_goes(world, tmp_path):
    project = open_project(world["local"])
    layer = project.stack.get("magok_firms")
    from app.core.project.coverage import layer_coverage

    assert layer_coverage(project.stack, layer, project.settings.extra) == Coverage(
        "districts", ("magok",)
    )
    extra = with_coverage(project.settings.extra, "magok_firms", Coverage("map"))
    project.settings.extra = extra
    project.stack.remove(layer)
    project.settings.capture_layers(project.stack)
    assert "coverage" not in project.settings.extra
