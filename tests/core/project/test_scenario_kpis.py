"""Scenario KPIs (issue 20) against a brute-force computation with plain loops, on random
cases, with and without a start-up coverage area."""

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from app.core.indicators.score import Weights
from app.core.project.coverage import COVERAGE_KEY
from app.core.project.scenario_kpis import (
    SHARE_PREFIX,
    KpiContext,
    ScenarioInput,
    compare,
    deltas,
)
from app.core.sites.edits import make_site, normalise_sites
from layers.model import WORKING_CRS, Layer, LayerStack
from layers.themes.registry import SPECS_BY_NAME

DISTRICTS = {
    "west": shapely.box(0, 0, 3000, 3000),
    "east": shapely.box(3000, 0, 6000, 3000),
    "north": shapely.box(0, 3000, 6000, 5000),
}


def _stack(rng, n_startups):
    xy = rng.uniform([0, 0], [6000, 5000], size=(n_startups, 2))
    employees = rng.integers(1, 40, n_startups).astype(float)
    employees[rng.random(n_startups) < 0.1] = np.nan  # some unknown
    startups = gpd.GeoDataFrame(
        {"name": [f"s{i}" for i in range(n_startups)], "sector": "ict", "employees": employees},
        geometry=shapely.points(xy),
        crs=WORKING_CRS,
    )
    districts = gpd.GeoDataFrame(
        {"district_id": list(DISTRICTS), "name": [d.title() for d in DISTRICTS]},
        geometry=list(DISTRICTS.values()),
        crs=WORKING_CRS,
    )
    return LayerStack(
        [
            Layer.from_spec(SPECS_BY_NAME["startups"], startups),
            Layer.from_spec(SPECS_BY_NAME["districts"], districts),
        ]
    )


def _sites(rng, n):
    records = []
    for i in range(n):
        x, y = rng.uniform([0, 0], [6000, 5000])
        if rng.random() < 0.3:
            geometry = shapely.box(x, y, x + rng.uniform(50, 400), y + rng.uniform(50, 400))
        else:
            geometry = shapely.Point(x, y)
        own = float(rng.uniform(200, 1200)) if rng.random() < 0.3 else None
        records.append(make_site(geometry, f"Site {i + 1}", radius_m=own))
    return normalise_sites(gpd.GeoDataFrame(records, geometry="geometry", crs=WORKING_CRS))


def _brute(stack, sites, radius, area):
    """Plain loops: per start-up, is some site within its radius; per district, shares."""
    startups = stack.get("startups").data
    covered = [area is None or area.intersects(g) for g in startups.geometry]
    points = [g for g, c in zip(startups.geometry, covered) if c]
    employees = [e for e, c in zip(startups["employees"], covered) if c]
    radii = [r if not math.isnan(r) else radius for r in sites["radius_m"]]
    reached = []
    nearest = []
    # districts holding a site: only their start-ups count for the mean nearest distance
    held = [d for d in DISTRICTS.values() if any(d.intersects(s) for s in sites.geometry)]
    for p in points:
        distances = [p.distance(s) for s in sites.geometry]
        reached.append(any(d <= r for d, r in zip(distances, radii)))
        if any(d.intersects(p) for d in held):
            nearest.append(min(distances))
    union = sum(reached)
    union_employees = sum(e for e, r in zip(employees, reached) if r and not math.isnan(e))
    shares = {}
    for district_id, polygon in DISTRICTS.items():
        inside = [r for p, r in zip(points, reached) if polygon.intersects(p)]
        if (area is not None and not area.intersects(polygon)) or not inside:
            shares[district_id] = math.nan
        else:
            shares[district_id] = sum(inside) / len(inside)
    mean = sum(nearest) / len(nearest) if nearest else math.nan
    by_district = {}
    for district_id, polygon in DISTRICTS.items():  # every start-up of the district
        inside = [
            min(p.distance(s) for s in sites.geometry) for p in points if polygon.intersects(p)
        ]
        by_district[district_id] = sum(inside) / len(inside) if inside else math.nan
    shares["nearest"] = by_district
    return union, union_employees, mean, shares


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("coverage", ["map", "west"])
def test_kpis_match_brute_force(seed, coverage):
    rng = np.random.default_rng(seed)
    stack = _stack(rng, 400)
    extra = {}
    if coverage != "map":
        extra[COVERAGE_KEY] = {"startups": {"mode": "districts", "ids": [coverage]}}
    context = KpiContext.build(stack, {}, extra)
    area = None if coverage == "map" else DISTRICTS[coverage]
    scenarios = [
        ScenarioInput(
            f"S{k}", _sites(rng, int(rng.integers(1, 6))), float(rng.uniform(300, 900)), Weights()
        )
        for k in range(3)
    ]
    table = compare(context, scenarios)
    for scenario in scenarios:
        row = table.loc[scenario.name]
        union, union_employees, nearest, shares = _brute(
            stack, scenario.sites, scenario.radius_m, area
        )
        assert row["sites_n"] == len(scenario.sites)
        if (
            area is not None
            and union == 0
            and not any(
                area.intersects(g.buffer(r if not math.isnan(r) else scenario.radius_m))
                for g, r in zip(scenario.sites.geometry, scenario.sites["radius_m"])
            )
        ):
            assert math.isnan(row["union_startups"])  # no catchment reaches covered data
        else:
            assert row["union_startups"] == union
            assert row["union_employees"] == pytest.approx(union_employees)
        if math.isnan(nearest):
            assert math.isnan(row["nearest_mean_m"])
        else:
            assert row["nearest_mean_m"] == pytest.approx(nearest)
        assert row["catchment"] == "circle (straight line)"
        for district_id, expected in shares.pop("nearest").items():
            value = row["nearest:" + district_id]
            if math.isnan(expected):
                assert math.isnan(value), district_id
            else:
                assert value == pytest.approx(expected)
        for district_id, share in shares.items():
            value = row[SHARE_PREFIX + district_id]
            if math.isnan(share):
                assert math.isnan(value), district_id
            else:
                assert value == pytest.approx(share)
        # the best site's reach is never more than all sites together
        if not math.isnan(row["best_startups"]):
            assert row["best_startups"] <= row["union_startups"]
    if coverage == "west":  # a start-up layer of one district: the others "not covered"
        assert table[SHARE_PREFIX + "east"].isna().all()
        assert table[SHARE_PREFIX + "north"].isna().all()
    change = deltas(table)
    assert (change.iloc[0].fillna(0) == 0).all()
    assert change.loc["S1", "union_startups"] == pytest.approx(
        table.loc["S1", "union_startups"] - table.loc["S0", "union_startups"], nan_ok=True
    )


def test_overlapping_sites_are_not_double_counted():
    rng = np.random.default_rng(7)
    stack = _stack(rng, 300)
    context = KpiContext.build(stack, {}, {})
    one = _sites(rng, 1)
    twice = normalise_sites(pd.concat([one, one], ignore_index=True))
    a, b = compare(
        context,
        [
            ScenarioInput("one", one, 800.0, Weights()),
            ScenarioInput("twice", twice, 800.0, Weights()),
        ],
    ).to_dict("records")
    assert a["union_startups"] == b["union_startups"] == a["best_startups"]
    assert b["sites_n"] == 2


def test_site_aggregates_match_loops_over_the_indicators(default_project_path):
    """Best site, floor area, sites not permitted and mean score on the real project
    (zoning included), against plain loops over the indicator table."""
    from app.core.indicators.engine import compute_indicators
    from app.core.project.store import open_project

    project = open_project(default_project_path)
    stack = project.stack
    context = KpiContext.build(stack, {}, {})
    rng = np.random.default_rng(11)
    districts = stack.get("districts").data
    area = districts.geometry.iloc[0]
    x0, y0, x1, y1 = area.bounds
    records = []
    while len(records) < 6:
        x, y = rng.uniform(x0, x1), rng.uniform(y0, y1)
        if area.contains(shapely.Point(x, y)):
            geometry = (
                shapely.Point(x, y) if len(records) % 2 else shapely.box(x, y, x + 80, y + 60)
            )
            records.append(make_site(geometry, f"Site {len(records) + 1}"))
    sites = normalise_sites(gpd.GeoDataFrame(records, geometry="geometry", crs=WORKING_CRS))
    weights = Weights(startups=1.0, diversity=0.0, education=0.5, transit=0.5, floor_area=1.0)
    row = compare(context, [ScenarioInput("A", sites, 700.0, weights)]).iloc[0]
    layers = [stack.get(n).data for n in ("startups", "education", "stations", "zoning")]
    table = compute_indicators(sites, *layers, radius=700.0, weights=weights)
    best, best_key = None, None
    floor, not_permitted, scores = 0.0, 0, []
    for i in range(len(table)):
        permitted = table["use_permitted"].iloc[i]
        known = not pd.isna(permitted)
        score = float(table["score"].iloc[i])
        partial = bool(table["partial"].iloc[i])
        # as the map's ranks: permitted first, complete before partial, high score first
        key = (0 if known and bool(permitted) else 1, partial, -score if score == score else 1e9)
        if best_key is None or key < best_key:
            best, best_key = i, key
        gfa = table["max_gfa_m2"].iloc[i]
        if not pd.isna(gfa):
            floor += float(gfa)
        if known and not bool(permitted):
            not_permitted += 1
        scores.append(score)
    assert row["best_site"] == sites["name"].iloc[best]
    assert row["best_startups"] == table["startups_n"].iloc[best]
    assert row["floor_area_m2"] == pytest.approx(floor)
    assert row["not_permitted_n"] == not_permitted
    assert row["mean_score"] == pytest.approx(sum(scores) / len(scores))
