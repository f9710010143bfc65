"""Site suggestion: the three models (MCLP, LSCP, p-median) on the three districts.

For each district of the default data (R = 800 m, spacing 100 m, k = 3 for MCLP and
p-median, all coverable demand for LSCP) prints the candidate and demand counts, the time
to build (grid, zoning filter, coverage sets, greedy, PuLP model) and to solve (CBC),
the objective, the bound and whether CBC proved optimality.

``--spopt-python PYTHON`` solves the same instances (the same candidates, the same demand
set D, weight 1) with PySAL spopt (``MCLP``, ``LSCP``, ``PMedian`` ``.from_geodataframe``,
dense distance matrix, CBC through PuLP) in that interpreter, which is *not* the project's
venv (spopt is no dependency), and prints the time ratios::

    python3 -m venv /tmp/spoptenv && /tmp/spoptenv/bin/pip install spopt geopandas pulp
    .venv/bin/python bench/bench_suggest.py --spopt-python /tmp/spoptenv/bin/python

Without it (or when that interpreter lacks spopt) the comparison is skipped with a message.
``-k``, ``--radius`` and ``--spacing`` change the instance (the goals of issue 15: ``--districts
magok -k 3 --radius 400 --spacing 50`` and ``--districts yangjae -k 5 --spacing 25``,
``--models mclp``), ``--repeats`` takes the median of several of our runs; the reduced
model's size is printed under each covering model. ``--districts`` and ``--models`` narrow
the runs; ``--time-limit`` is CBC's limit (both,
default 10 s as the CLI); ``--spopt-timeout`` stops a spopt run that takes longer (its
dense p-median model is built in Python).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
warnings.simplefilter("ignore")

import geopandas as gpd
import numpy as np
import shapely

from app.core.analysis.suggest import suggest_sites
from app.core.analysis.suggest.candidates import (
    candidate_grid,
    permitted_candidates,
    resolve_district,
)
from app.core.indicators.site_zoning import IndexedZoning
from app.core.paths import DEFAULT_PROJECT
from app.core.zoning.rules import ZoningRules

RADIUS, SPACING, K = 800.0, 100.0, 3
DISTRICTS = ("gvalley", "magok", "yangjae")
MODELS = ("mclp", "lscp", "pmedian")

#: Run in the spopt interpreter: reads the instance (.npz), solves one model, prints JSON.
SPOPT_SCRIPT = r"""
import json, sys, time, warnings
warnings.simplefilter("ignore")
import numpy as np, geopandas as gpd, pulp
from spopt.locate import LSCP, MCLP, PMedian
data = np.load(sys.argv[1])
model, k, radius, limit = sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
crs = "EPSG:5186"
facilities = gpd.GeoDataFrame(geometry=gpd.points_from_xy(data["cx"], data["cy"]), crs=crs)
demand = gpd.GeoDataFrame({"w": np.ones(len(data["dx"]))},
                          geometry=gpd.points_from_xy(data["dx"], data["dy"]), crs=crs)
if model == "lscp":  # demand no candidate reaches would make LSCP infeasible: leave it out
    d = np.hypot(data["dx"][:, None] - data["cx"][None, :], data["dy"][:, None] - data["cy"][None, :])
    demand = demand[(d <= radius).any(axis=1)]
t = time.perf_counter()
if model == "mclp":
    m = MCLP.from_geodataframe(demand, facilities, "geometry", "geometry", "w",
                               service_radius=radius, p_facilities=k)
elif model == "lscp":
    m = LSCP.from_geodataframe(demand, facilities, "geometry", "geometry", service_radius=radius)
else:
    m = PMedian.from_geodataframe(demand, facilities, "geometry", "geometry", "w",
                                  p_facilities=k)
built = time.perf_counter() - t
m = m.solve(pulp.PULP_CBC_CMD(msg=False, timeLimit=limit))
total = time.perf_counter() - t
objective = pulp.value(m.problem.objective)
if model == "pmedian":
    objective = objective / float(demand["w"].sum())
print(json.dumps({"build": built, "total": total, "objective": objective,
                  "status": pulp.LpStatus[m.problem.status]}))
"""


def load():
    return {
        name: gpd.read_file(DEFAULT_PROJECT, layer=name)
        for name in ("districts", "startups", "zoning")
    }


def ours(layers, district: str, model: str, time_limit: float):
    t = time.perf_counter()
    result = suggest_sites(
        district,
        layers["startups"],
        layers["zoning"],
        k=None if model == "lscp" else K,
        model=model,
        radius=RADIUS,
        spacing=SPACING,
        districts=layers["districts"],
        time_limit=time_limit,
    )
    return result, time.perf_counter() - t


def instance(layers, district: str, folder: Path) -> Path:
    """The same candidates and demand set D as suggest_sites, for spopt."""
    rules = ZoningRules.default()
    _, polygon = resolve_district(district, layers["districts"])
    gx, gy = candidate_grid(polygon, SPACING)
    keep, _ = permitted_candidates(gx, gy, IndexedZoning.from_frame(layers["zoning"], rules), rules)
    startups = layers["startups"]
    demand = startups[startups.geometry.dwithin(polygon, RADIUS)]
    xy = shapely.get_coordinates(demand.geometry.values)
    path = folder / f"{district}.npz"
    np.savez(path, cx=gx[keep], cy=gy[keep], dx=xy[:, 0], dy=xy[:, 1])
    return path


def theirs(python: str, path: Path, model: str, time_limit: float, timeout: float):
    try:
        run = subprocess.run(
            [python, "-c", SPOPT_SCRIPT, str(path), model, str(K), str(RADIUS), str(time_limit)],
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        print(f"{'':8s} {'spopt':8s} no answer within {timeout:g} s (stopped)")
        return None
    if run.returncode != 0:
        print(f"    spopt failed: {run.stderr.strip().splitlines()[-1:]}")
        return None
    return json.loads(run.stdout.strip().splitlines()[-1])


def spopt_ready(python: str | None) -> str | None:
    if python is None:
        print("spopt: no --spopt-python given; no peer figures (see the module docstring)")
        return None
    try:
        check = subprocess.run(
            [python, "-c", "import spopt, pulp, geopandas"], capture_output=True, timeout=120
        )
    except (OSError, subprocess.TimeoutExpired) as err:
        print(f"spopt: cannot run {python} ({err}); no peer figures")
        return None
    if check.returncode != 0:
        print(f"spopt: {python} has no spopt/pulp/geopandas; no peer figures")
        return None
    return python


def objective_text(result) -> str:
    if result.model == "mclp":
        return f"covered {result.covered_demand:g} ({result.share:.1%})"
    if result.model == "lscp":
        return f"{len(result.sites)} sites ({result.share:.1%} covered)"
    return f"mean distance {result.mean_distance_m:.1f} m"


def main() -> None:
    global K, RADIUS, SPACING
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spopt-python", default=None, help="an interpreter with spopt")
    parser.add_argument("--districts", nargs="+", default=list(DISTRICTS), choices=DISTRICTS)
    parser.add_argument("--models", nargs="+", default=list(MODELS), choices=MODELS)
    parser.add_argument("--time-limit", type=float, default=10.0, help="CBC's, both (s)")
    parser.add_argument(
        "--spopt-timeout", type=float, default=600.0, help="stop a spopt run after this (s)"
    )
    parser.add_argument("-k", type=int, default=K, help="sites (mclp, pmedian)")
    parser.add_argument("--radius", type=float, default=RADIUS, help="R in metres")
    parser.add_argument("--spacing", type=float, default=SPACING, help="grid spacing (m)")
    parser.add_argument("--repeats", type=int, default=1, help="ours: median of this many")
    args = parser.parse_args()
    K, RADIUS, SPACING = args.k, args.radius, args.spacing
    layers = load()
    python = spopt_ready(args.spopt_python)
    ours(layers, "magok", "mclp", args.time_limit)  # warm-up (imports)
    print(f"R = {RADIUS:g} m, spacing {SPACING:g} m, k = {K} (mclp, pmedian); time limit "
          f"{args.time_limit:g} s")  # fmt: skip
    with tempfile.TemporaryDirectory() as folder:
        for district in args.districts:
            path = instance(layers, district, Path(folder)) if python else None
            for model in args.models:
                runs = [ours(layers, district, model, args.time_limit) for _ in range(args.repeats)]
                result = runs[0][0]
                wall = statistics.median(w for _, w in runs)
                rounds = (
                    f", cut-off rounds {result.extra.get('rounds')}, pairs "
                    f"{result.extra.get('pairs')} of {result.extra.get('dense_pairs')}"
                    if model == "pmedian"
                    else ""
                )
                print(
                    f"{district:8s} {model:8s} candidates {result.n_candidates}, demand "
                    f"{result.n_demand}: build {result.build_seconds:.2f} s, solve "
                    f"{result.solve_seconds:.2f} s, total {wall:.2f} s; "
                    f"{objective_text(result)}, bound {result.bound:.4g}, optimal "
                    f"{str(result.optimal).lower()}{rounds}"
                )
                size = result.extra.get("reduced")
                if size:
                    print(
                        f"{'':8s} {'reduced':8s} candidates {size['candidates']} -> "
                        f"{size['candidates_reduced']} ({size['identical']} identical, "
                        f"{size['dominated']} dominated), demand {size['demand']} -> "
                        f"{size['demand_reduced']} rows, nonzeros {size['nonzeros']} -> "
                        f"{size['nonzeros_reduced']}"
                    )
                if python and path is not None:
                    peer = theirs(python, path, model, args.time_limit, args.spopt_timeout)
                    if peer is not None:
                        print(
                            f"{'':8s} {'spopt':8s} build {peer['build']:.2f} s, total "
                            f"{peer['total']:.2f} s, objective {peer['objective']:.6g} "
                            f"({peer['status']}); ratio spopt / InnoAtlas "
                            f"{peer['total'] / wall:.1f}x"
                        )


if __name__ == "__main__":
    main()
