"""The one-site preview (a dragged site's fast path) gives exactly the engine's numbers.

Random worlds: start-ups with sectors and employees (some unknown), universities,
stations, a zoning grid with a greenbelt overlay, coverage areas that leave sites
outside or across their edge, absent layers, point and polygon sites with and without
their own radius and lot area, random weights and references; and a walking network
through the engine's ``distances=`` hook. Every column, the score basis (left-out
criteria and their reasons, the partial site) and the breakdown's points must be
identical to :meth:`IndicatorEngine.compute` of a one-row table holding the site.
"""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from app.core.indicators.engine import COLUMNS, IndicatorEngine
from app.core.indicators.format import is_missing
from app.core.indicators.preview import OtherSites, preview_site, zoning_shares
from app.core.indicators.score import BASIS, References, Weights, score_breakdown
from app.core.network.catchment import WalkingDistances
from app.core.network.topology import build_network
from tests.core.network.synthetic import X0, Y0, river_with_one_bridge

CRS = "EPSG:5186"
ZONES = ["준공업", "제2종일반주거", "자연녹지", "제1종전용주거", "일반상업", "제3종일반주거"]
SECTORS = ["ICT", "bio", "content", "fintech", "mobility", "energy"]


def _world(rng: np.random.Generator, *, sectors=True, layers=True):
    n = int(rng.integers(500, 4000))
    xy = np.column_stack([rng.normal(X0, 700, n), rng.normal(Y0, 700, n)])
    startups = gpd.GeoDataFrame(geometry=shapely.points(xy), crs=CRS)
    if sectors:
        startups["sector"] = rng.choice(SECTORS[: int(rng.integers(1, 7))], n)
        employees = rng.integers(0, 60, n).astype(float)
        employees[rng.random(n) < 0.1] = np.nan
        startups["employees"] = employees

    def pts(k):
        return gpd.GeoDataFrame(
            geometry=shapely.points(rng.uniform(X0 - 2000, X0 + 2000, (k, 2)) + [0, Y0 - X0]),
            crs=CRS,
        )

    cells = [
        shapely.box(X0 + i, Y0 + j, X0 + i + 500, Y0 + j + 500)
        for i in range(-1500, 1500, 500)
        for j in range(-1500, 1500, 500)
    ]
    kinds = ["zone"] * len(cells) + ["overlay"]
    types = list(rng.choice(ZONES, len(cells))) + ["개발제한구역"]
    zoning = gpd.GeoDataFrame(
        {"kind": kinds, "zone_type": types},
        geometry=[*cells, shapely.box(X0 - 900, Y0 - 900, X0 - 400, Y0 - 300)],
        crs=CRS,
    )
    area = shapely.box(X0 - 1200, Y0 - 1500, X0 + 900, Y0 + 1500)
    coverage = {
        family: area if rng.random() < 0.5 else None
        for family in ("startups", "education", "stations", "zoning")
    }
    absent = lambda frame: None if (not layers and rng.random() < 0.5) else frame  # noqa: E731
    return dict(
        startups=absent(startups),
        education=absent(pts(12)),
        stations=absent(pts(25)),
        zoning=absent(zoning),
        coverage=coverage,
    )


def _site(rng: np.random.Generator):
    x, y = rng.uniform(X0 - 1800, X0 + 1800), rng.uniform(Y0 - 1800, Y0 + 1800)
    if rng.random() < 0.5:
        geometry = shapely.Point(x, y)
    else:
        geometry = shapely.box(x, y, x + rng.uniform(5, 400), y + rng.uniform(5, 400))
    own = float(rng.choice([np.nan, rng.uniform(0, 1200)]))
    lot = float(rng.choice([np.nan, rng.uniform(100, 20000)]))
    return geometry, own, lot


def _settings(rng: np.random.Generator):
    weights = Weights(*(float(v) for v in rng.choice([0.0, 0.1, 0.2, 0.35, 1.0], 5)))
    references = References(
        float(rng.uniform(10, 500)),
        float(rng.uniform(100, 3000)),
        float(rng.uniform(100, 2000)),
        float(rng.uniform(1000, 50000)),
    )
    return weights, references


def _same(a, b) -> bool:
    if is_missing(a) or is_missing(b):
        return is_missing(a) and is_missing(b)
    return a == b  # exactly: the same computation, not an approximation


def _check(engine, geometry, own, lot, radius, weights, references):
    sites = gpd.GeoDataFrame(
        {"radius_m": [own], "lot_area_m2": [lot]}, geometry=[geometry], crs=CRS
    )
    frame = engine.compute(sites, radius, weights=weights, references=references)
    preview = preview_site(
        engine,
        geometry,
        radius,
        own_radius=own,
        lot_area=lot,
        weights=weights,
        references=references,
        name=0,
    )
    row = dict(zip(frame.columns, frame.iloc[0].to_numpy()))
    assert list(preview.values) == list(COLUMNS)
    for column in COLUMNS:
        assert _same(preview.values[column], row[column]), (
            column,
            preview.values[column],
            row[column],
        )
    assert preview.basis == frame.attrs[BASIS]
    expected = score_breakdown(frame).to_dict("records")
    for mine, theirs in zip(preview.breakdown, expected, strict=True):
        for key, value in mine.items():
            assert _same(value, theirs[key]), (key, value, theirs[key])
    used = [part["points"] for part in preview.breakdown if part["used"]]
    if used and not math.isnan(preview.values["score"]):
        assert sum(used) == pytest.approx(preview.values["score"], abs=1e-9)
    return preview


@pytest.mark.parametrize("seed", range(6))
def test_the_preview_equals_the_engine_for_random_sites_and_settings(seed):
    rng = np.random.default_rng(seed)
    world = _world(rng, sectors=seed != 3, layers=seed < 4)
    engine = IndicatorEngine(
        world["startups"],
        world["education"],
        world["stations"],
        world["zoning"],
        coverage=world["coverage"],
    )
    partial = outside = 0
    for _ in range(25):
        geometry, own, lot = _site(rng)
        weights, references = _settings(rng)
        preview = _check(
            engine, geometry, own, lot, float(rng.uniform(0, 1200)), weights, references
        )
        partial += bool(preview.values["partial"])
        outside += preview.values["startups_coverage"] == 0
    if seed < 3 and world["coverage"]["startups"] is not None:  # the random worlds do reach
        assert partial or outside  # the cases the test is about


def test_the_preview_equals_the_engine_at_the_coverage_edge_and_outside():
    rng = np.random.default_rng(11)
    world = _world(rng)
    area = shapely.box(X0 - 1200, Y0 - 1500, X0 + 900, Y0 + 1500)
    coverage = dict.fromkeys(("startups", "education", "stations", "zoning"), area)
    engine = IndicatorEngine(
        world["startups"], world["education"], world["stations"], world["zoning"],
        coverage=coverage,
    )  # fmt: skip
    across = _check(engine, shapely.Point(X0 + 900, Y0), np.nan, np.nan, 500.0, *_settings(rng))
    assert across.values["partial"] and 0 < across.values["startups_coverage"] < 1
    nothing = _check(engine, shapely.Point(X0 + 3000, Y0), np.nan, 9.0, 500.0, *_settings(rng))
    assert nothing.basis.n_sites == 0 and math.isnan(nothing.values["score"])
    engine = IndicatorEngine(
        world["startups"], world["education"], world["stations"], world["zoning"],
        coverage={"startups": area},
    )  # fmt: skip
    far = _check(engine, shapely.Point(X0 + 1800, Y0), np.nan, 9.0, 500.0, Weights(), References())
    assert far.values["startups_n"] is None and far.values["startups_coverage"] == 0
    reasons = {item.criterion: item.reasons[0] for item in far.basis.left_out}
    assert reasons["startups"] == "outside the start-up layer's coverage"
    # a point without lot area: the floor area is left out, with its reason
    lot = _check(engine, shapely.Point(X0, Y0), np.nan, np.nan, 500.0, Weights(), References())
    assert [item.reasons for item in lot.basis.left_out] == [("point site without lot area",)]
    # the points add up to the score
    assert sum(p["points"] for p in lot.breakdown if p["used"]) == pytest.approx(
        lot.values["score"]
    )


def test_the_preview_equals_the_engine_with_a_walking_catchment():
    lines, separated = river_with_one_bridge()
    rng = np.random.default_rng(5)
    world = _world(rng)
    engine = IndicatorEngine(
        world["startups"], world["education"], world["stations"], world["zoning"],
        distances=WalkingDistances(build_network(lines, separated), name="river"),
    )  # fmt: skip
    for _ in range(8):
        x, y = rng.uniform(X0 - 1400, X0 + 1400), rng.choice([Y0 - 160, Y0 + 160, Y0 + 2000])
        _check(engine, shapely.Point(x, y), np.nan, 4000.0, 600.0, *_settings(rng))


def test_an_empty_shape_is_unknown_everywhere():
    rng = np.random.default_rng(2)
    world = _world(rng)
    engine = IndicatorEngine(world["startups"], None, None, world["zoning"])
    preview = preview_site(engine, shapely.Point(), 800.0)
    assert all(is_missing(preview.values[c]) for c in COLUMNS if c != "partial")
    assert preview.values["partial"] is False


def _sites(rng: np.random.Generator, n: int) -> gpd.GeoDataFrame:
    made = [_site(rng) for _ in range(n)]
    return gpd.GeoDataFrame(
        {"radius_m": [m[1] for m in made], "lot_area_m2": [m[2] for m in made]},
        geometry=[m[0] for m in made],
        crs=CRS,
        index=[f"S{i}" for i in range(n)],
    )


@pytest.mark.parametrize("seed", range(5))
def test_with_the_other_sites_the_preview_is_the_site_s_row_of_the_whole_table(seed):
    """Scored with the other sites of its ranking (a criterion unknown for any of them
    is left out for all), the preview is the dropped site's row of the engine's table:
    its score, partial flag, left-out notes and partial sites."""
    rng = np.random.default_rng(100 + seed)
    world = _world(rng, layers=seed != 4)
    engine = IndicatorEngine(
        world["startups"], world["education"], world["stations"], world["zoning"],
        coverage=world["coverage"],
    )  # fmt: skip
    radius = float(rng.uniform(200, 1000))
    sites = _sites(rng, int(rng.integers(2, 9)))
    weights, references = _settings(rng)
    stored = engine.compute(sites, radius, weights=weights, references=references)
    differs = 0
    for _ in range(6):
        sketch = rng.random() < 0.25  # a new site: appended after the others
        j = len(sites) if sketch else int(rng.integers(len(sites)))
        geometry, own, lot = _site(rng)
        if sketch:
            moved = pd.concat(
                [
                    sites,
                    gpd.GeoDataFrame(
                        {"radius_m": [own], "lot_area_m2": [lot]},
                        geometry=[geometry],
                        crs=CRS,
                        index=["new"],
                    ),
                ]  # fmt: skip
            )
            rest, label = sites, "new"
        else:
            own, lot = float(sites["radius_m"].iloc[j]), float(sites["lot_area_m2"].iloc[j])
            moved = sites.copy()
            moved.geometry.values[j] = geometry
            rest, label = sites.drop(index=sites.index[j]), sites.index[j]
        full = engine.compute(moved, radius, weights=weights, references=references)
        others = OtherSites.from_table(
            stored.loc[rest.index], j, zoning_shares(engine, rest.geometry.values), references
        )
        preview = preview_site(
            engine, geometry, radius, own_radius=own, lot_area=lot, weights=weights,
            references=references, name=label, others=others,
        )  # fmt: skip
        row = dict(zip(full.columns, full.iloc[j].to_numpy()))
        for column in COLUMNS:
            assert _same(preview.values[column], row[column]), column
        assert preview.basis == full.attrs[BASIS]
        expected = score_breakdown(full.iloc[[j]]).to_dict("records")
        for mine, theirs in zip(preview.breakdown, expected, strict=True):
            for key, value in mine.items():
                assert _same(value, theirs[key]), (key, value, theirs[key])
        alone = preview_site(
            engine, geometry, radius, own_radius=own, lot_area=lot, weights=weights,
            references=references, name=label,
        )  # fmt: skip
        differs += alone.basis.used != preview.basis.used
    if seed == 0:
        assert differs  # the case this is about: the ranking leaves out more than the site


def test_a_point_site_without_lot_area_leaves_the_floor_area_out_of_the_dragged_site_s_score():
    rng = np.random.default_rng(3)
    world = _world(rng)
    engine = IndicatorEngine(
        world["startups"], world["education"], world["stations"], world["zoning"]
    )
    sites = gpd.GeoDataFrame(
        {"radius_m": [np.nan, np.nan], "lot_area_m2": [np.nan, np.nan]},
        geometry=[shapely.box(X0, Y0, X0 + 80, Y0 + 80), shapely.Point(X0 + 300, Y0)],
        crs=CRS,
        index=["Lot", "Point"],
    )
    stored = engine.compute(sites, 600.0)
    others = OtherSites.from_table(
        stored.loc[["Point"]], 0, zoning_shares(engine, sites.geometry.values[1:])
    )
    geometry = shapely.box(X0 + 50, Y0 + 50, X0 + 130, Y0 + 130)
    alone = preview_site(engine, geometry, 600.0, name="Lot")
    ranked = preview_site(engine, geometry, 600.0, name="Lot", others=others)
    assert "floor_area" in alone.basis.used and "floor_area" not in ranked.basis.used
    assert ranked.basis.left_out[0].sites == ("Point",)
    moved = sites.copy()
    moved.geometry.values[0] = geometry
    assert ranked.values["score"] == engine.compute(moved, 600.0)["score"].iloc[0]
