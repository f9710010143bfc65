"""Site suggestion (MCLP) on Magok, k = 3, R = 400 m, spacing 50 m, default data.

Reports the candidate count, the time to build the model (grid, zoning filter, coverage
sets, greedy, PuLP model) and to solve it (CBC), whether CBC proved optimality, and the
same instance through PySAL spopt's MCLP (``spopt.locate.MCLP.from_geodataframe``, which
builds a dense distance matrix and its PuLP model in Python) when spopt is installed in
the venv (bench-only, not a dependency: ``.venv/bin/python -m pip install spopt``).
Run: ``.venv/bin/python bench/bench_suggest.py``.
"""

from __future__ import annotations

import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
warnings.simplefilter("ignore")

import geopandas as gpd
import numpy as np

from app.core.analysis.suggest import suggest_sites
from app.core.analysis.suggest.candidates import (
    candidate_grid,
    permitted_candidates,
    resolve_district,
)
from app.core.indicators.site_zoning import IndexedZoning
from app.core.paths import DEFAULT_PROJECT
from app.core.zoning.rules import ZoningRules

DISTRICT, K, RADIUS, SPACING, RUNS = "magok", 3, 400.0, 50.0, 5


def main() -> None:
    layers = {
        name: gpd.read_file(DEFAULT_PROJECT, layer=name)
        for name in ("districts", "startups", "zoning")
    }
    suggest_sites(
        DISTRICT,
        layers["startups"],
        layers["zoning"],
        k=K,
        radius=RADIUS,
        spacing=SPACING,
        districts=layers["districts"],
    )  # warm-up (imports)
    totals, builds, solves = [], [], []
    for _ in range(RUNS):
        t = time.perf_counter()
        result = suggest_sites(
            DISTRICT,
            layers["startups"],
            layers["zoning"],
            k=K,
            radius=RADIUS,
            spacing=SPACING,
            districts=layers["districts"],
        )
        totals.append(time.perf_counter() - t)
        builds.append(result.build_seconds)
        solves.append(result.solve_seconds)
    ours = float(np.median(totals))
    print(f"InnoAtlas suggest_sites: {DISTRICT}, k={K}, R={RADIUS:g} m, spacing={SPACING:g} m")
    print(
        f"  candidates {result.n_candidates}, demand points {result.n_demand}, "
        f"coverage pairs {result.extra['n_pairs']}"
    )
    print(
        f"  build {np.median(builds):.3f} s, solve {np.median(solves):.3f} s, "
        f"total {ours:.3f} s (median of {RUNS})"
    )
    print(
        f"  covered {result.covered_demand:g} / {result.total_demand:g} "
        f"({result.share:.1%}), optimal: {str(result.optimal).lower()}, "
        f"solver {result.solver}, greedy {result.greedy_covered_demand:g}"
    )

    try:
        import pulp
        from spopt.locate import MCLP
    except ImportError as err:
        print(f"spopt: not installed ({err}); no peer figure")
        return
    # The same instance: the same candidates and the same demand set D.
    rules = ZoningRules.default()
    _, polygon = resolve_district(DISTRICT, layers["districts"])
    gx, gy = candidate_grid(polygon, SPACING)
    keep, _ = permitted_candidates(gx, gy, IndexedZoning.from_frame(layers["zoning"], rules), rules)
    facilities = gpd.GeoDataFrame(
        geometry=gpd.points_from_xy(gx[keep], gy[keep]), crs=layers["startups"].crs
    )
    startups = layers["startups"]
    demand = startups[startups.geometry.dwithin(polygon, RADIUS)].copy()
    demand["w"] = 1
    assert len(facilities) == result.n_candidates and len(demand) == result.n_demand
    t = time.perf_counter()
    model = MCLP.from_geodataframe(
        demand, facilities, "geometry", "geometry", "w", service_radius=RADIUS, p_facilities=K
    )
    built = time.perf_counter() - t
    model = model.solve(pulp.PULP_CBC_CMD(msg=False))
    theirs = time.perf_counter() - t
    objective = pulp.value(model.problem.objective)
    print(f"spopt MCLP: build {built:.3f} s, total {theirs:.3f} s, objective {objective:g}")
    print(
        f"  ratio spopt / InnoAtlas (total): {theirs / ours:.1f}x; "
        f"same objective: {abs(objective - result.covered_demand) < 1e-6}"
    )


if __name__ == "__main__":
    main()
