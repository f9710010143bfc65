"""The app's exact path (``solve_cover_model``: swap search and Lagrangian bound in-process,
CBC through PuLP only on the candidates the bound cannot fix, warm-started) against HiGHS
(``scipy.optimize.milp`` on the whole reduced model built as scipy.sparse arrays), the
MCLP goals of issue 15. The column "cbc" is the app's path (its proof printed beside it).

The instances are those of ``bench_suggest.py``: Magok k = 3, R = 400 m, 50 m grid and
Yangjae k = 5, R = 800 m, 25 m grid (``suggest_sites`` builds the coverage; the exact
solve is then timed for each solver in turn, ``--repeats`` times, medians). Both must
reach the same objective; HiGHS gets the same time limit.

Run: ``/work/main/.venv/bin/python bench/bench_solvers.py [--repeats 1] [--time-limit 60]``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
warnings.simplefilter("ignore")

import bench_suggest

from app.core.analysis.suggest import solvers
from app.core.analysis.suggest.cover_model import solve_cover_highs, solve_cover_model
from app.core.analysis.suggest.solvers import greedy_cover

CASES = (("magok", 3, 400.0, 50.0), ("yangjae", 5, 800.0, 25.0))


def coverage_of(layers, district: str, k: int, radius: float, spacing: float):
    """The coverage ``suggest_sites`` builds for the MCLP (caught at its exact solve)."""
    caught = {}
    original = solvers.solve_exact

    def catch(coverage, k, warm, time_limit, progress=None):
        caught["coverage"] = coverage
        raise RuntimeError("caught")  # suggest_sites falls back to greedy: fast

    solvers.solve_exact = catch
    try:
        bench_suggest.K, bench_suggest.RADIUS, bench_suggest.SPACING = k, radius, spacing
        bench_suggest.ours(layers, district, "mclp", 1.0)
    finally:
        solvers.solve_exact = original
    return caught["coverage"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=60.0)
    args = parser.parse_args()
    layers = bench_suggest.load()
    for district, k, radius, spacing in CASES:
        coverage = coverage_of(layers, district, k, radius, spacing)
        greedy = greedy_cover(coverage, k)
        times: dict[str, list[float]] = {"cbc": [], "highs": []}
        runs = {}
        for _ in range(args.repeats):
            for name in ("cbc", "highs"):
                t = time.perf_counter()
                if name == "cbc":
                    run = solve_cover_model(coverage, greedy, args.time_limit, k=k)
                else:
                    run = solve_cover_highs(coverage, args.time_limit, k=k)
                times[name].append(time.perf_counter() - t)
                runs[name] = run

        def text(name: str) -> str:
            run = runs[name]
            value = "no solution" if run.chosen is None else f"{coverage.value(run.chosen):g}"
            proof = "optimal" if run.optimal else "not proven"
            if run.sizes.get("proof"):
                proof += f", proof {run.sizes['proof']}"
            return f"{name} {statistics.median(times[name]):6.2f} s ({value}, {proof})"

        ratio = statistics.median(times["highs"]) / statistics.median(times["cbc"])
        print(
            f"{district} k={k} R={radius:g} {spacing:g} m ({coverage.n_candidates} candidates): "
            f"{text('cbc')} | {text('highs')} | HiGHS / CBC {ratio:.1f}x",
            flush=True,
        )


if __name__ == "__main__":
    main()
