"""How sure is the ranking: the Monte Carlo of app.core.decisions.robust, vectorised over
all draws × sites, against a plain Python loop over the draws (each draw scored and
ranked with numpy over the sites, the same draws) in the same run.

    .venv/bin/python bench/bench_robust.py [--draws 10000] [--sites 50] [--repeats 5]

Prints the median time of each and the ratio, and checks that both count the same ranks.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.core.decisions import robust
from app.core.decisions.robust import RobustSettings, robust_ranking
from app.core.indicators.criteria import transform
from app.core.indicators.score import BASIS, CRITERIA, REFERENCE_OF, score_sites


def sites(n: int, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "startups_n": rng.integers(0, 600, n),
            "sector_evenness": rng.uniform(0, 1, n),
            "education_nearest_m": rng.uniform(0, 3000, n),
            "station_nearest_m": rng.uniform(0, 2000, n),
            "max_gfa_m2": rng.uniform(0, 50_000, n),
            "use_permitted": rng.uniform(0, 1, n) < 0.8,
        }
    )
    score_sites(frame)
    return frame


def loop_over_draws(frame: pd.DataFrame, settings: RobustSettings) -> np.ndarray:
    """The same Monte Carlo, one draw at a time (the peer)."""
    basis = frame.attrs[BASIS]
    keys = [c.key for c in CRITERIA if c.key in basis.used]
    raw = frame[[c.column for c in CRITERIA if c.key in keys]].to_numpy(float)
    shares = basis.shares()
    share = np.array([shares[k] for k in keys])
    refs = np.array(
        [
            np.nan if REFERENCE_OF[k] is None else getattr(basis.references, REFERENCE_OF[k])
            for k in keys
        ]
    )
    rng = np.random.default_rng(settings.seed)
    weights = robust._dirichlet(rng, share, settings.concentration, settings.draws)
    factors = np.exp(settings.reference_spread * rng.standard_normal((settings.draws, len(keys))))
    group = robust._groups(frame)
    n = len(frame)
    counts = np.zeros((n, n), dtype=np.int64)
    for d in range(settings.draws):
        score = np.zeros(n)
        for k, key in enumerate(keys):
            score += weights[d, k] * transform(key, raw[:, k], refs[k] * factors[d, k])
        key_ = group * 1000.0 + np.where(np.isfinite(score), -100 * score, 500.0)
        order = np.argsort(key_, kind="stable")
        counts[order, np.arange(n)] += 1
    return counts


def median_time(function, repeats: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=10_000)
    parser.add_argument("--sites", type=int, default=50)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    frame = sites(args.sites)
    settings = RobustSettings(draws=args.draws)
    ours, result = median_time(lambda: robust_ranking(frame, settings), args.repeats)
    peer, counts = median_time(lambda: loop_over_draws(frame, settings), max(1, args.repeats // 2))
    same = bool((result.rank_counts == counts).all())
    print(f"{args.draws} draws × {args.sites} sites")
    print(f"  vectorised (robust_ranking): {ours * 1000:8.1f} ms")
    print(f"  loop over draws (peer):      {peer * 1000:8.1f} ms")
    print(f"  peer / ours: {peer / ours:.1f}×   same rank counts: {same}")


if __name__ == "__main__":
    main()
