"""Running CBC (through PuLP) on a model: warm start, ``gapRel=0``, a time limit, and
CBC's bound read from its log (:func:`run_cbc`)."""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TextIO

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
        solver = pulp.COIN_CMD(
            path=cbc_path(),
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
    bound = _bound(text, prob.sense == pulp.LpMaximize)
    return CbcRun(bool(optimal), bool(feasible), bound, seconds)


def cbc_path() -> str:
    """The CBC binary bundled with PuLP (run through ``pulp.COIN_CMD``: PuLP 3.3 deprecates
    its ``PULP_CBC_CMD`` wrapper of the same binary)."""
    from pulp.apis.coin_api import PULP_CBC_CMD

    return str(PULP_CBC_CMD.pulp_cbc_path)


def _bound(log: str, maximise: bool) -> float | None:
    """CBC's last bound in its log (see :func:`run_cbc`)."""
    pattern = _BOUND_RE if maximise else _LOWER_BOUND_RE
    found = pattern.findall(log) or _BEST_POSSIBLE_RE.findall(log)
    if found:
        try:
            return float(found[-1])
        except ValueError:
            return None
    return None


def run_cbc_mps(
    write_model: Callable[[TextIO], None],
    names: list[str],
    start: list[float],
    time_limit: float,
    name: str,
    *,
    maximise: bool,
    options: tuple[str, ...] = (),
    presolve: bool | None = None,
) -> tuple[CbcRun, dict[str, float]]:
    """Run PuLP's CBC on a free-format MPS model written by ``write_model`` (no PuLP
    model: a large model is written straight from arrays), as :func:`run_cbc` does:
    warm start, ``ratio 0``, a time limit, the bound from the log.

    Parameters
    ----------
    write_model : callable
        Writes the MPS text to the open file it is given.
    names, start : list
        Every column's name in the model's order and its warm-start value.
    time_limit : float
        Seconds.
    name : str
        Prefix of the temporary folder.
    maximise : bool
        The objective's sense (CBC's ``-max``).
    options : tuple of str
        CBC options (``"heur off"`` ...); ``presolve=False`` turns its presolve off.

    Returns
    -------
    (CbcRun, dict)
        How the run ended and the columns' values by name (empty without a solution).
    """

    t1 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix=f"innoatlas_{name}_") as folder:
        model, mst, sol, log = (os.path.join(folder, f) for f in ("m.mps", "m.mst", "m.sol", "l"))
        with open(model, "w", encoding="ascii") as handle:
            write_model(handle)
        with open(mst, "w", encoding="ascii") as handle:  # as PuLP's writesol
            handle.write("Stopped on time - objective value 0\n")
            handle.writelines(
                f"{i:>7} {n} {v:>15} {0:>23}\n" for i, (n, v) in enumerate(zip(names, start))
            )
        args = [cbc_path(), model] + (["-max"] if maximise else [])
        args += ["-mips", mst, "-sec", str(max(float(time_limit), 0.01))]
        if presolve is not None:
            args += ["-presolve", "on" if presolve else "off"]
        for option in (*options, "ratio 0.0"):
            args += ("-" + option).split()
        args += ["-solve", "-printingOptions", "all", "-solution", sol]
        with open(log, "w") as pipe:
            code = subprocess.call(args, stdout=pipe, stderr=pipe, stdin=subprocess.DEVNULL)
        with open(log, encoding="utf-8", errors="replace") as handle:
            text = handle.read()
        if code != 0 or not os.path.exists(sol):
            raise RuntimeError(f"CBC failed ({code}): {text[-500:]}")
        with open(sol, encoding="ascii", errors="replace") as handle:
            status = handle.readline().split()
            values = {}
            for line in handle:
                parts = line.split()
                if len(parts) < 3:
                    break
                if parts[0] == "**":
                    parts = parts[1:]
                values[parts[1]] = float(parts[2])
    seconds = time.perf_counter() - t1
    # as PuLP reads the status line (pulp.apis.coin_api.COIN_CMD.get_status)
    head = status[0] if status else ""
    optimal = head == "Optimal"
    feasible = optimal or (head == "Stopped" and len(status) >= 5 and status[4] == "objective")
    return CbcRun(optimal, feasible, _bound(text, maximise), seconds), (values if feasible else {})
