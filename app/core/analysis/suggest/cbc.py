"""Running CBC (through PuLP) on a model: warm start, ``gapRel=0``, a time limit, and
CBC's bound read from its log (:func:`run_cbc`)."""

from __future__ import annotations

import os
import re
import tempfile
import time
from dataclasses import dataclass

_BOUND_RE = re.compile(r"^(?:Upper|Lower) bound:\s*(-?[0-9.eE+-]+)", re.MULTILINE)
_LOWER_BOUND_RE = re.compile(r"^Lower bound:\s*(-?[0-9.eE+-]+)", re.MULTILINE)
_BEST_POSSIBLE_RE = re.compile(r"best possible\s*(-?[0-9.eE+-]+)")


@dataclass(frozen=True)
class CbcRun:
    """How a CBC run ended: proven optimal, a feasible integer solution, its bound."""

    optimal: bool
    feasible: bool  # an integer solution was found (read it from the variables)
    bound: float | None  # CBC's bound on the optimum from its log (None when absent)
    seconds: float


def run_cbc(
    prob, time_limit: float, name: str, options: tuple[str, ...] = (), presolve: bool | None = None
) -> CbcRun:
    """Solve a PuLP problem with CBC (warm start, ``gapRel=0``, time limit), read its bound.

    The bound is the last "Upper bound"/"Lower bound"/"best possible" of CBC's log: an
    upper bound on the optimum of a maximisation, a lower bound of a minimisation.
    ``options`` are passed to CBC (``"heur off"`` ...), ``presolve=False`` turns its
    presolve off.
    """
    import pulp

    t1 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix=f"innoatlas_{name}_") as folder:
        log = os.path.join(folder, "cbc.log")
        solver = pulp.PULP_CBC_CMD(
            msg=False,
            timeLimit=max(float(time_limit), 0.01),
            warmStart=True,
            logPath=log,
            gapRel=0.0,
            keepFiles=False,
            options=list(options),
            presolve=presolve,
        )
        prob.solve(solver)
        try:
            with open(log, encoding="utf-8", errors="replace") as handle:
                text = handle.read()
        except OSError:
            text = ""
    seconds = time.perf_counter() - t1
    optimal = prob.status == pulp.LpStatusOptimal and prob.sol_status == pulp.LpSolutionOptimal
    feasible = prob.sol_status in (pulp.LpSolutionOptimal, pulp.LpSolutionIntegerFeasible)
    bound = None
    pattern = _BOUND_RE if prob.sense == pulp.LpMaximize else _LOWER_BOUND_RE
    found = pattern.findall(text) or _BEST_POSSIBLE_RE.findall(text)
    if found:
        try:
            bound = float(found[-1])
        except ValueError:
            bound = None
    return CbcRun(bool(optimal), bool(feasible), bound, seconds)
