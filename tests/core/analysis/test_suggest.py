"""Site suggestion (maximal covering location problem): optimum, zoning, fixed sites."""

import itertools

import geopandas as gpd
import numpy as np
import pytest
import shapely

import app.core.analysis.suggest.solvers as suggest_solvers
from app.core.analysis.suggest import (
    InvalidParameterError,
    NoCandidatesError,
    TooFewCandidatesError,
    UnknownDistrictError,
    suggest_sites,
)
from app.core.analysis.suggest.candidates import candidate_grid, permitted_candidates
from app.core.indicators.site_zoning import IndexedZoning, site_zoning
from app.core.paths import DEFAULT_PROJECT
from app.core.zoning.rules import ZoningRules

X0, Y0 = 200_000.0, 550_000.0  # EPSG:5186 metres, multiples of every spacing used
CRS = "EPSG:5186"
DISTRICT = shapely.box(X0, Y0, X0 + 1000, Y0 + 1000)


def zoning_frame(zones, overlays=()):
    """zones/overlays: [(zone_type, geometry)]."""
    rows = [("zone", t, g) for t, g in zones] + [("overlay", t, g) for t, g in overlays]
    return gpd.GeoDataFrame(
        {"kind": [r[0] for r in rows], "zone_type": [r[1] for r in rows]},
        geometry=[r[2] for r in rows],
        crs=CRS,
    )


def startups_frame(xy, employees=None):
    xy = np.asarray(xy, dtype=float).reshape(-1, 2)
    data = {} if employees is None else {"employees": employees}
    return gpd.GeoDataFrame(data, geometry=shapely.points(xy[:, 0], xy[:, 1]), crs=CRS)


def cluster(cx, cy, n):
    """n start-ups within 10 m of (X0 + cx, Y0 + cy)."""
    angles = np.linspace(0, 2 * np.pi, n, endpoint=False)
    return np.c_[X0 + cx + 5 * np.cos(angles), Y0 + cy + 5 * np.sin(angles)]


PERMITTED_ALL = zoning_frame([("준공업", DISTRICT)])


@pytest.fixture(scope="module")
def clusters():
    """Clusters of 5, 4 and 3 start-ups at three grid points 500 m apart."""
    return startups_frame(
        np.vstack([cluster(250, 250, 5), cluster(750, 250, 4), cluster(750, 750, 3)])
    )


def chosen_xy(result):
    return {(round(s.x - X0), round(s.y - Y0)) for s in result.sites}


# --- hand-built optimum -----------------------------------------------------------------
@pytest.mark.parametrize(
    "k, covered, points",
    [
        (1, 5, {(250, 250)}),
        (2, 9, {(250, 250), (750, 250)}),
        (3, 12, {(250, 250), (750, 250), (750, 750)}),
    ],
)
def test_hand_built_optimum(clusters, k, covered, points):
    result = suggest_sites(DISTRICT, clusters, PERMITTED_ALL, k=k, radius=50, spacing=250)
    assert result.n_candidates == 9 and result.total_demand == 12
    assert result.covered_demand == covered and result.optimal
    assert result.solver == "lagrangian"  # proven by the bound: CBC not needed
    assert result.share == pytest.approx(covered / 12) and result.bound == covered
    assert chosen_xy(result) == points
    marginals = [s.marginal_demand for s in result.sites]
    assert sum(marginals) == covered and marginals == sorted(marginals, reverse=True)


def test_overlapping_catchments_on_a_line():
    """Clusters 6, 1, 6 at x = 300, 500, 700; a point covers what lies within 110 m, so the
    best pair is 400 (6 + 1) with 700 (6), or 300 with 600: 13."""
    district = shapely.box(X0, Y0, X0 + 1000, Y0 + 200)
    demand = startups_frame(
        np.vstack([cluster(300, 100, 6), cluster(500, 100, 1), cluster(700, 100, 6)])
    )
    result = suggest_sites(
        district, demand, zoning_frame([("준공업", district)]), k=2, radius=110, spacing=100
    )
    assert result.optimal and result.covered_demand == 13 and result.share == 1.0
    assert result.greedy_covered_demand <= result.covered_demand


def test_share_counts_demand_within_r_of_the_district(clusters):
    outside = startups_frame(np.vstack([cluster(250, -30, 2), cluster(250, -300, 7)]))
    demand = gpd.GeoDataFrame(
        geometry=np.concatenate([clusters.geometry.values, outside.geometry.values]), crs=CRS
    )
    result = suggest_sites(DISTRICT, demand, PERMITTED_ALL, k=1, radius=50, spacing=250)
    assert result.n_demand == 14 and result.total_demand == 14  # the far cluster is not in D
    assert result.covered_demand == 5


def test_employee_weights_with_missing_values(clusters):
    employees = [1.0] * 5 + [10.0] * 4 + [None, -3, 2]
    demand = clusters.assign(employees=employees)
    result = suggest_sites(
        DISTRICT, demand, PERMITTED_ALL, k=1, radius=50, spacing=250, weight="employees"
    )
    assert result.total_demand == 47 and result.covered_demand == 40
    assert chosen_xy(result) == {(750, 250)}


# --- brute force on tiny grids ------------------------------------------------------------
def brute_force(result_candidates, demand_xy, weights, radius, k):
    cand = np.asarray(result_candidates)
    d = np.hypot(cand[:, None, 0] - demand_xy[None, :, 0], cand[:, None, 1] - demand_xy[None, :, 1])
    cover = d <= radius
    best = 0.0
    for combo in itertools.combinations(range(len(cand)), k):
        best = max(best, float(weights[cover[list(combo)].any(axis=0)].sum()))
    return best


@pytest.mark.parametrize("seed", range(12))
def test_objective_equals_brute_force(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(5, 40))
    xy = np.c_[X0 + rng.uniform(-100, 1100, n), Y0 + rng.uniform(-100, 1100, n)]
    employees = rng.integers(0, 20, n).astype(float)
    radius = float(rng.uniform(100, 400))
    k = int(rng.integers(1, 4))
    # left half permitted (준공업), right half not (자연녹지: △ only)
    zoning = zoning_frame(
        [
            ("준공업", shapely.box(X0, Y0, X0 + 500, Y0 + 1000)),
            ("자연녹지", shapely.box(X0 + 500, Y0, X0 + 1000, Y0 + 1000)),
        ]
    )
    rules = ZoningRules.default()
    gx, gy = candidate_grid(DISTRICT, 200.0)
    keep, _ = permitted_candidates(gx, gy, IndexedZoning.from_frame(zoning, rules), rules)
    candidates = np.c_[gx[keep], gy[keep]]
    demand = startups_frame(xy, employees)
    in_d = shapely.dwithin(DISTRICT, demand.geometry.values, radius)
    for weight, w in ((None, np.ones(n)), ("employees", employees)):
        result = suggest_sites(
            DISTRICT, demand, zoning, k=k, radius=radius, spacing=200, weight=weight
        )
        expected = brute_force(candidates, xy[in_d], w[in_d], radius, k)
        assert result.optimal
        assert result.n_candidates == len(candidates)
        assert result.covered_demand == pytest.approx(expected)
        assert result.total_demand == pytest.approx(w[in_d].sum())
        greedy = suggest_sites(
            DISTRICT, demand, zoning, k=k, radius=radius, spacing=200, weight=weight, exact=False
        )
        assert greedy.solver == "greedy" and not greedy.optimal
        assert greedy.covered_demand <= result.covered_demand + 1e-9
        assert greedy.bound >= expected - 1e-9  # its bound is a true upper bound
        assert result.greedy_covered_demand == pytest.approx(greedy.covered_demand)


# --- zoning ----------------------------------------------------------------------------
def test_points_only_on_permitted_land_and_outside_greenbelt(clusters):
    zoning = zoning_frame(
        [
            ("자연녹지", shapely.box(X0, Y0, X0 + 500, Y0 + 500)),  # the 5-cluster: not permitted
            ("준공업", shapely.box(X0 + 500, Y0, X0 + 1000, Y0 + 1000)),
            ("제2종일반주거", shapely.box(X0, Y0 + 500, X0 + 500, Y0 + 1000)),
        ],
        overlays=[("개발제한구역", shapely.box(X0 + 600, Y0 + 100, X0 + 900, Y0 + 400))],
    )
    result = suggest_sites(DISTRICT, clusters, zoning, k=1, radius=50, spacing=250)
    assert result.optimal and chosen_xy(result) == {(750, 750)}  # 3: the others are barred
    assert result.sites[0].zone_type == "준공업"


@pytest.mark.parametrize("district", ["magok", "yangjae"])
def test_default_data_suggestions_are_permitted_per_indicators(district):
    layers = {
        name: gpd.read_file(DEFAULT_PROJECT, layer=name)
        for name in ("districts", "startups", "zoning")
    }
    result = suggest_sites(
        district,
        layers["startups"],
        layers["zoning"],
        k=3,
        radius=600,
        spacing=100,
        districts=layers["districts"],
    )
    assert result.optimal and len(result.sites) == 3
    points = np.array([shapely.Point(s.x, s.y) for s in result.sites], dtype=object)
    rules = ZoningRules.default()
    zoning = site_zoning(
        points, np.full(3, np.nan), IndexedZoning.from_frame(layers["zoning"], rules), rules
    )
    assert list(zoning.use_permitted) == [True] * 3
    assert all("개발제한구역" not in r for r in zoning.restrictions)
    district_geom = layers["districts"].set_index("district_id").geometry[district]
    assert all(district_geom.contains(p) for p in points)
    assert 0 < result.share <= 1 and result.covered_demand <= result.total_demand
    lonlat = np.array([(s.lon, s.lat) for s in result.sites])
    assert ((126.7 < lonlat[:, 0]) & (lonlat[:, 0] < 127.2)).all()
    assert ((37.4 < lonlat[:, 1]) & (lonlat[:, 1] < 37.7)).all()


# --- fixed sites -------------------------------------------------------------------------
def test_fixed_sites_are_respected(clusters):
    fixed = gpd.GeoDataFrame(geometry=[shapely.Point(X0 + 250, Y0 + 250)], crs=CRS)
    result = suggest_sites(
        DISTRICT, clusters, PERMITTED_ALL, k=1, radius=50, spacing=250, fixed=fixed
    )
    assert result.optimal
    assert result.fixed_covered_demand == 5 and result.new_covered_demand == 4
    assert result.covered_demand == 9 and result.share == pytest.approx(9 / 12)
    assert chosen_xy(result) == {(750, 250)}
    assert result.n_candidates == 8  # the candidate on the fixed site is dropped


def test_fixed_polygon_and_other_crs(clusters):
    fixed = gpd.GeoDataFrame(
        geometry=[shapely.box(X0 + 700, Y0 + 200, X0 + 800, Y0 + 800)], crs=CRS
    ).to_crs("EPSG:4326")
    result = suggest_sites(
        DISTRICT, clusters, PERMITTED_ALL, k=1, radius=50, spacing=250, fixed=fixed
    )
    assert result.fixed_covered_demand == 7 and result.covered_demand == 12
    assert chosen_xy(result) == {(250, 250)}
    site = result.sites[0]
    assert site.marginal_demand == 5 and site.unique_demand == 5 and site.demand_within_r == 5


# --- errors, progress, fallback ----------------------------------------------------------
def test_errors(clusters):
    districts = gpd.GeoDataFrame({"district_id": ["box"]}, geometry=[DISTRICT], crs=CRS)
    with pytest.raises(InvalidParameterError):
        suggest_sites(DISTRICT, clusters, PERMITTED_ALL, k=0, radius=50, spacing=250)
    with pytest.raises(InvalidParameterError):
        suggest_sites(DISTRICT, clusters, PERMITTED_ALL, k=1, radius=-1, spacing=250)
    with pytest.raises(TooFewCandidatesError, match="10"):
        suggest_sites(DISTRICT, clusters, PERMITTED_ALL, k=10, radius=50, spacing=250)
    with pytest.raises(NoCandidatesError):
        suggest_sites(
            DISTRICT, clusters, zoning_frame([("자연녹지", DISTRICT)]), k=1, radius=50, spacing=250
        )
    with pytest.raises(UnknownDistrictError, match="box"):
        suggest_sites("nowhere", clusters, PERMITTED_ALL, districts=districts)
    assert (
        suggest_sites(
            "BOX", clusters, PERMITTED_ALL, radius=50, spacing=250, districts=districts
        ).covered_demand
        == 5
    )


def test_progress_and_greedy_fallback(clusters, monkeypatch):
    calls = []
    monkeypatch.setattr(suggest_solvers, "_cbc_available", lambda: False)
    result = suggest_sites(
        DISTRICT,
        clusters,
        PERMITTED_ALL,
        k=2,
        radius=50,
        spacing=250,
        progress=lambda f, m: calls.append((f, m)),
    )
    assert result.solver == "greedy" and not result.optimal
    assert result.covered_demand == 9 and result.bound >= 9
    fractions = [f for f, _ in calls]
    assert fractions == sorted(fractions) and fractions[0] == 0.0 and fractions[-1] == 1.0
    assert all(isinstance(m, str) and m for _, m in calls)


def test_to_frame_gives_candidate_sites(clusters):
    frame = suggest_sites(DISTRICT, clusters, PERMITTED_ALL, k=2, radius=50, spacing=250).to_frame()
    assert list(frame["name"]) == ["suggested 1", "suggested 2"]
    assert (frame["radius_m"] == 50).all() and frame.crs.to_epsg() == 5186
