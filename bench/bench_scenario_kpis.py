"""Scenario KPIs (issue 20): three scenarios of 20 sites over N start-ups.

Ours: :func:`app.core.project.scenario_kpis.compare` (per scenario the indicators, then
one STRtree ``dwithin`` query for the union reach, ``bincount`` for the district
shares, ``query_nearest`` for the mean distance). Peer, in the same run and on the same
indicators: the usual geopandas way, per scenario ``sjoin`` of the sites with the
start-ups (``dwithin`` each site's R; unique start-ups for the union), ``sjoin`` with the districts and
``sjoin_nearest`` with the sites. Both answers are checked to be equal.

Run: ``/work/main/.venv/bin/python bench/bench_scenario_kpis.py [-n 200000]``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import geopandas as gpd
import numpy as np
import pandas as pd
from bench_import import startups

from app.core.indicators.score import Weights
from app.core.paths import DEFAULT_PROJECT
from app.core.project.scenario_kpis import SHARE_PREFIX, KpiContext, ScenarioInput, compare
from app.core.project.store import open_project
from app.core.sites.edits import make_site, normalise_sites
from layers.model import WORKING_CRS


def scenarios(districts: gpd.GeoDataFrame, rng) -> list[ScenarioInput]:
    out = []
    for k in range(3):
        points = districts.geometry.sample_points(7, rng=rng).explode().to_numpy()[:20]
        frame = gpd.GeoDataFrame(
            [make_site(p, f"S{k}-{i}") for i, p in enumerate(points)],
            geometry="geometry",
            crs=WORKING_CRS,
        )
        out.append(ScenarioInput(f"S{k}", normalise_sites(frame), 600.0 + 200 * k, Weights()))
    return out


def peer(context: KpiContext, scenario: ScenarioInput, points: gpd.GeoDataFrame) -> dict:
    sites = scenario.sites
    radii = np.where(sites["radius_m"].notna(), sites["radius_m"], scenario.radius_m)
    joined = gpd.sjoin(sites[["geometry"]], points, predicate="dwithin", distance=radii)
    reached = pd.Index(joined["index_right"]).unique()
    out = {"union_startups": len(reached)}
    flags = pd.Series(False, index=points.index)
    flags[reached] = True
    districts = context.districts[["district_id", "geometry"]]
    inside = gpd.sjoin(points.assign(reached=flags), districts, predicate="intersects")
    shares = inside.groupby("district_id")["reached"].mean()
    out.update({SHARE_PREFIX + k: float(v) for k, v in shares.items()})
    nearest = gpd.sjoin_nearest(points, sites[["geometry"]], distance_col="d")
    out["nearest_mean_m"] = float(nearest.groupby(level=0)["d"].first().mean())
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=200_000)
    args = parser.parse_args()
    project = open_project(DEFAULT_PROJECT)
    frame = startups(args.n).rename(columns={"업종": "sector", "종사자수": "employees"})
    project.stack.get("startups").set_data(frame.to_crs(WORKING_CRS))
    context = KpiContext.build(project.stack, {}, {})
    inputs = scenarios(context.districts, np.random.default_rng(3))
    start = time.perf_counter()
    ours = compare(context, inputs)
    t_ours = time.perf_counter() - start
    points = gpd.GeoDataFrame(geometry=context.startups, crs=WORKING_CRS)
    start = time.perf_counter()
    theirs = [
        (context.engine.compute(s.sites, s.radius_m, weights=s.weights), peer(context, s, points))
        for s in inputs
    ]
    t_peer = time.perf_counter() - start
    for (_table, answer), name in zip(theirs, ours.index):
        assert answer["union_startups"] == ours.loc[name, "union_startups"], name
        assert abs(answer["nearest_mean_m"] - ours.loc[name, "nearest_mean_m"]) < 1e-6
        for key, value in answer.items():
            if key.startswith(SHARE_PREFIX):
                assert abs(value - ours.loc[name, key]) < 1e-9, key
    print(f"{args.n} start-ups, 3 scenarios x 20 sites (indicators included in both)")
    print(
        f"InnoAtlas {t_ours:.2f} s   geopandas sjoin peer {t_peer:.2f} s   "
        f"peer/ours {t_peer / t_ours:.1f}x"
    )


if __name__ == "__main__":
    main()
