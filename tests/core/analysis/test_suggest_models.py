"""LSCP and p-median against brute-force enumeration; saturation of the MCLP.

Relations checked (objective of each model, on the same instance):

- MCLP (maximise covered demand):      greedy ≤ exact == brute force ≤ bound
- LSCP (minimise the number of sites): bound ≤ exact == brute force ≤ greedy
- p-median (minimise mean distance):   bound ≤ exact == brute force ≤ greedy
"""

import itertools

import geopandas as gpd
import numpy as np
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import app.core.analysis.suggest.pmedian as pmedian
from app.core.analysis.suggest import InvalidParameterError, NoCandidatesError, suggest_sites
from app.core.paths import DEFAULT_PROJECT

X0, Y0 = 200_000.0, 550_000.0
CRS = "EPSG:5186"
SPACING = 250.0
# a 1000 m × 750 m district: 3 × 4 = 12 grid points at 250 m strictly inside it
DISTRICT = shapely.box(X0, Y0, X0 + 1250, Y0 + 1000)
ZONING = gpd.GeoDataFrame({"kind": ["zone"], "zone_type": ["준공업"]}, geometry=[DISTRICT], crs=CRS)


def candidates():
    xs = np.arange(1, 5) * SPACING + X0
    ys = np.arange(1, 4) * SPACING + Y0
    mx, my = np.meshgrid(xs, ys)
    return np.c_[mx.ravel(), my.ravel()]


instances = st.fixed_dictionaries(
    {
        "seed": st.integers(0, 2**31 - 1),
        "n": st.integers(1, 30),
        "radius": st.floats(150, 700),
        "k": st.integers(1, 3),
        "share": st.sampled_from([1.0, 0.95, 0.8, 0.5]),
        "fixed": st.booleans(),
    }
)


def build(case):
    rng = np.random.default_rng(case["seed"])
    n = case["n"]
    xy = np.c_[X0 + rng.uniform(0, 1250, n), Y0 + rng.uniform(0, 1000, n)]
    weights = rng.integers(1, 6, n).astype(float)
    demand = gpd.GeoDataFrame(
        {"employees": weights}, geometry=shapely.points(xy[:, 0], xy[:, 1]), crs=CRS
    )
    fixed = None
    fixed_xy = np.empty((0, 2))
    if case["fixed"]:
        fixed_xy = np.array([[X0 + 130.0, Y0 + 870.0]])
        fixed = gpd.GeoDataFrame(geometry=shapely.points(fixed_xy), crs=CRS)
    return xy, weights, demand, fixed, fixed_xy


def distances(xy, points):
    return np.hypot(points[:, None, 0] - xy[None, :, 0], points[:, None, 1] - xy[None, :, 1])


def run(case, model, demand, fixed, **kw):
    return suggest_sites(
        DISTRICT,
        demand,
        ZONING,
        radius=case["radius"],
        spacing=SPACING,
        weight="employees",
        fixed=fixed,
        model=model,
        **kw,
    )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances)
def test_lscp_is_the_fewest_sites_by_enumeration(case):
    xy, w, demand, fixed, fixed_xy = build(case)
    cand = candidates()
    cover = distances(xy, cand) <= case["radius"]
    fixed_cover = (distances(xy, fixed_xy) <= case["radius"]).any(axis=0)
    reachable = cover.any(axis=0) | fixed_cover
    target = min(case["share"] * w.sum(), w[reachable].sum())
    best = None
    for size in range(0, len(cand) + 1):
        for combo in itertools.combinations(range(len(cand)), size):
            covered = fixed_cover | cover[list(combo)].any(axis=0)
            if w[covered].sum() >= target - 1e-9:
                best = size
                break
        if best is not None:
            break
    exact = run(case, "lscp", demand, fixed, k=None, share=case["share"])
    greedy = run(case, "lscp", demand, fixed, k=None, share=case["share"], exact=False)
    assert exact.n_candidates == len(cand)
    assert exact.optimal and len(exact.sites) == best and exact.objective == best
    assert exact.covered_demand >= target - 1e-9
    assert greedy.bound <= best <= greedy.objective  # bound ≤ exact ≤ greedy
    assert exact.greedy_objective == greedy.objective
    if case["share"] * w.sum() > w[reachable].sum() + 1e-9:
        assert "cannot be covered" in exact.note


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances)
def test_pmedian_is_the_shortest_mean_distance_by_enumeration(case):
    xy, w, demand, fixed, fixed_xy = build(case)
    cand = candidates()
    # D: every start-up within R of the district (all of them here: they lie inside it)
    d = distances(xy, cand)
    fixed_d = distances(xy, fixed_xy).min(axis=0) if len(fixed_xy) else np.full(len(xy), np.inf)
    best = min(
        float((w * np.minimum(d[list(combo)].min(axis=0), fixed_d)).sum()) / w.sum()
        for combo in itertools.combinations(range(len(cand)), case["k"])
    )
    exact = run(case, "pmedian", demand, fixed, k=case["k"])
    greedy = run(case, "pmedian", demand, fixed, k=case["k"], exact=False)
    assert exact.optimal and exact.solver in ("cbc", "lagrangian")
    assert exact.mean_distance_m == pytest.approx(best, rel=1e-9, abs=1e-6)
    assert exact.bound == pytest.approx(exact.mean_distance_m)
    assert greedy.bound - 1e-6 <= best <= greedy.mean_distance_m + 1e-6  # bound ≤ exact ≤ greedy
    assert exact.greedy_objective == pytest.approx(greedy.mean_distance_m)
    assigned = sum(s.assigned_demand for s in exact.sites)
    assert assigned <= w.sum() + 1e-9
    with pytest.MonkeyPatch.context() as patch:  # short first cut-offs: several rounds
        patch.setattr(pmedian, "START", 0.2)
        patch.setattr(pmedian, "GROWTH", 1.01)
        tight = run(case, "pmedian", demand, fixed, k=case["k"])
    assert tight.optimal and tight.mean_distance_m == pytest.approx(best, rel=1e-9, abs=1e-6)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances)
def test_mclp_relations_and_saturation_flag(case):
    xy, w, demand, fixed, _ = build(case)
    exact = run(case, "mclp", demand, fixed, k=case["k"])
    greedy = run(case, "mclp", demand, fixed, k=case["k"], exact=False)
    assert greedy.covered_demand <= exact.covered_demand + 1e-9 <= greedy.bound + 2e-9
    assert exact.saturated == (exact.share >= 0.99)
    assert bool(exact.note) == exact.saturated


def test_constructed_saturation_and_the_questions_that_still_discriminate():
    """Every start-up within R of one grid point: any k = 2 covers all; LSCP says 1 site
    suffices and p-median still picks the point nearest the start-ups."""
    xy = np.c_[X0 + 500 + np.arange(10.0), Y0 + 500 + np.zeros(10)]
    demand = gpd.GeoDataFrame(
        {"employees": np.ones(10)}, geometry=shapely.points(xy[:, 0], xy[:, 1]), crs=CRS
    )
    case = {"radius": 2000.0}
    mclp = run(case, "mclp", demand, None, k=2)
    assert mclp.share == 1.0 and mclp.saturated
    assert "100.0%" in mclp.note and "lscp" in mclp.note and "pmedian" in mclp.note
    lscp = run(case, "lscp", demand, None, k=None)
    assert lscp.optimal and len(lscp.sites) == 1 and not lscp.saturated
    median = run(case, "pmedian", demand, None, k=1)
    assert median.optimal and (median.sites[0].x, median.sites[0].y) == (X0 + 500, Y0 + 500)
    assert median.mean_distance_m == pytest.approx(4.5)


@pytest.fixture(scope="module")
def default_layers():
    return {
        name: gpd.read_file(DEFAULT_PROJECT, layer=name)
        for name in ("districts", "startups", "zoning")
    }


def test_magok_at_800_m_with_3_sites_is_saturated(default_layers):
    layers = default_layers
    result = suggest_sites(
        "magok",
        layers["startups"],
        layers["zoning"],
        k=3,
        radius=800,
        districts=layers["districts"],
    )
    assert result.saturated and result.share >= 0.99
    assert "tell places apart" in result.note
    assert result.district_name == "Magok"


def test_messages_name_the_district_not_its_id(default_layers):
    layers = default_layers
    no_yangjae = layers["zoning"].cx[:195_000, :]  # western zoning only (G-Valley, Magok)
    with pytest.raises(NoCandidatesError) as err:
        suggest_sites(
            "yangjae",
            layers["startups"],
            no_yangjae,
            k=1,
            radius=800,
            districts=layers["districts"],
        )
    assert "Yangjae/Gaepo" in str(err.value) and "'yangjae'" not in str(err.value)
    assert "smaller spacing" not in str(err.value)


def test_model_parameters_are_checked():
    demand = gpd.GeoDataFrame(geometry=[shapely.Point(X0 + 500, Y0 + 500)], crs=CRS)
    with pytest.raises(InvalidParameterError, match="model"):
        suggest_sites(DISTRICT, demand, ZONING, k=1, model="pcenter")
    with pytest.raises(InvalidParameterError, match="share"):
        suggest_sites(DISTRICT, demand, ZONING, model="lscp", share=0.0)
    with pytest.raises(InvalidParameterError, match="k"):
        suggest_sites(DISTRICT, demand, ZONING, k=None, model="pmedian")
