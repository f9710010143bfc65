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
model's size is printed under each covering model, and under the p-median how it was
proven (Lagrangian bound, enumeration or CBC), its bound, steps and candidates left. ``--baseline PATH`` runs the same
instances with the code of another checkout (e.g. ``/work/main``) in a worker process,
alternating with ours, and prints both wall and CPU times (CBC's child process included)
and the ratio. ``--districts`` and ``--models`` narrow
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


#: The baseline worker: another checkout's suggest_sites on the instances it is sent (one
#: JSON line each on stdin), answering one JSON line (wall, CPU, objective, optimal).
BASELINE_SCRIPT = r"""
import json, resource, sys, time, warnings
warnings.simplefilter("ignore")
sys.path.insert(0, sys.argv[1])
import geopandas as gpd
from app.core.analysis.suggest import suggest_sites
from app.core.paths import DEFAULT_PROJECT
layers = {n: gpd.read_file(DEFAULT_PROJECT, layer=n) for n in ("districts", "startups", "zoning")}
def cpu():
    child = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + child.ru_utime + child.ru_stime
print("ready", flush=True)
for line in sys.stdin:
    a = json.loads(line)
    t, c = time.perf_counter(), cpu()
    r = suggest_sites(a["district"], layers["startups"], layers["zoning"], k=a["k"],
                      model=a["model"], radius=a["radius"], spacing=a["spacing"],
                      districts=layers["districts"], time_limit=a["limit"])
    print(json.dumps({"wall": time.perf_counter() - t, "cpu": cpu() - c,
                      "covered": r.covered_demand, "sites": len(r.sites),
                      "mean": r.mean_distance_m, "optimal": r.optimal}), flush=True)
"""


def cpu_seconds() -> float:
    """This process's CPU time and its finished children's (CBC)."""
    import resource

    child = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + child.ru_utime + child.ru_stime


class Baseline:
    """A worker process running another checkout's code (:data:`BASELINE_SCRIPT`)."""

    def __init__(self, path: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", BASELINE_SCRIPT, path],
            cwd=path,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        self.process.stdout.readline()  # "ready": layers read

    def run(self, district: str, model: str, time_limit: float) -> dict:
        assert self.process.stdin is not None and self.process.stdout is not None
        k = None if model == "lscp" else K
        request = {"district": district, "model": model, "k": k, "radius": RADIUS,
                   "spacing": SPACING, "limit": time_limit}  # fmt: skip
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.process.wait(timeout=60)


def load():
    return {
        name: gpd.read_file(DEFAULT_PROJECT, layer=name)
        for name in ("districts", "startups", "zoning")
    }


def ours(layers, district: str, model: str, time_limit: float):
    t, c = time.perf_counter(), cpu_seconds()
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
    return result, time.perf_counter() - t, cpu_seconds() - c


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
    import os
    import signal

    process = subprocess.Popen(
        [python, "-c", SPOPT_SCRIPT, str(path), model, str(K), str(RADIUS), str(time_limit)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its CBC child is stopped with it on a timeout
    )
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        print(f"{'':8s} {'spopt':8s} no answer within {timeout:g} s (stopped)")
        return None
    if process.returncode != 0:
        print(f"    spopt failed: {err.strip().splitlines()[-1:]}")
        return None
    return json.loads(out.strip().splitlines()[-1])


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
    parser.add_argument("--baseline", default=None, help="another checkout, run alternately")
    args = parser.parse_args()
    K, RADIUS, SPACING = args.k, args.radius, args.spacing
    layers = load()
    python = spopt_ready(args.spopt_python)
    baseline = Baseline(args.baseline) if args.baseline else None
    import scipy.optimize  # noqa: F401  (imported by the first LP bound: once per process)

    ours(layers, "magok", "mclp", args.time_limit)  # warm-up (imports)
    if baseline is not None:
        baseline.run("magok", "mclp", args.time_limit)
    print(f"R = {RADIUS:g} m, spacing {SPACING:g} m, k = {K} (mclp, pmedian); time limit "
          f"{args.time_limit:g} s")  # fmt: skip
    with tempfile.TemporaryDirectory() as folder:
        for district in args.districts:
            path = instance(layers, district, Path(folder)) if python else None
            for model in args.models:
                runs, base = [], []
                for _ in range(args.repeats):  # alternating with the baseline
                    runs.append(ours(layers, district, model, args.time_limit))
                    if baseline is not None:
                        base.append(baseline.run(district, model, args.time_limit))
                result = runs[0][0]
                wall = statistics.median(w for _, w, _ in runs)
                cpu = statistics.median(c for _, _, c in runs)
                rounds = (
                    f", cut-off rounds {result.extra.get('rounds')}, pairs "
                    f"{result.extra.get('pairs')} of {result.extra.get('dense_pairs')}"
                    if model == "pmedian"
                    else ""
                )
                print(
                    f"{district:8s} {model:8s} candidates {result.n_candidates}, demand "
                    f"{result.n_demand}: build {result.build_seconds:.2f} s, solve "
                    f"{result.solve_seconds:.2f} s, total {wall:.2f} s (CPU {cpu:.2f} s); "
                    f"{objective_text(result)}, bound {result.bound:.4g}, optimal "
                    f"{str(result.optimal).lower()}{rounds}"
                )
                if base:
                    b_wall = statistics.median(b["wall"] for b in base)
                    b_cpu = statistics.median(b["cpu"] for b in base)
                    answer = f"covered {base[0]['covered']:g}"
                    if model == "lscp":
                        answer = f"{base[0]['sites']} sites"
                    if model == "pmedian":
                        answer = f"mean distance {base[0].get('mean', float('nan')):.1f} m"
                    print(
                        f"{'':8s} {'baseline':8s} total {b_wall:.2f} s (CPU {b_cpu:.2f} s); "
                        f"{answer}, optimal {str(base[0]['optimal']).lower()}; baseline / ours "
                        f"{b_wall / wall:.1f}x wall, {b_cpu / max(cpu, 1e-9):.1f}x CPU; runs "
                        f"ours {[round(w, 2) for _, w, _ in runs]}, baseline "
                        f"{[round(b['wall'], 2) for b in base]}"
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
                if size and "proof" in size:
                    print(
                        f"{'':8s} {'proof':8s} {size['proof']}; Lagrangian bound "
                        f"{size.get('lagrangian_bound', float('nan')):.6g} after "
                        f"{size.get('lagrangian_steps', 0)} steps; candidates left for CBC "
                        f"{size.get('candidates_after_fixing', '-')}, rows "
                        f"{size.get('rows_after_fixing', '-')}"
                    )
                if model == "pmedian" and "proof" in result.extra:
                    x = result.extra
                    print(
                        f"{'':8s} {'proof':8s} {x['proof']}; Lagrangian bound "
                        f"{x.get('lagrangian_bound', float('nan')) / max(result.total_demand, 1e-9):.2f} m"
                        f" after {x.get('lagrangian_steps', 0)} steps over "
                        f"{x.get('lagrangian_pairs', 0)} pairs; candidates left "
                        f"{x.get('candidates_after_fixing', '-')}, answers enumerated "
                        f"{x.get('enumerated', '-')}, CBC rounds {x.get('rounds', 0)}"
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
    if baseline is not None:
        baseline.close()


if __name__ == "__main__":
    main()
