"""``innoatlas compare PROJECT --scenarios A,B``: the KPIs of named scenarios side by side,
with deltas against the first (app/core/project/scenario_report.py). Qt is never imported.

CSV (default): one row per scenario, its KPIs, ``share_<district>`` and ``delta_<kpi>``
columns. JSON: per scenario its ``kpis``, ``deltas`` and ``district_shares``. An unknown
scenario name or a scenario without sites is one line on stderr, exit code 2.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from app.cli.common import run_guarded, write_output

FORMATS = ("csv", "json")


def add_compare_parser(commands: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add the ``compare`` subcommand to the ``innoatlas`` parser."""
    parser = commands.add_parser(
        "compare",
        help="compare named scenarios of a project (KPIs and deltas)",
        description="Compute, for each named scenario of PROJECT, the start-ups and "
        "employees reached by its best site and by all its sites together, the share of "
        "each district's start-ups within R of a site, the mean distance from a start-up "
        "to its nearest site, the buildable floor area, the sites where the use is not "
        "permitted and the mean score, with deltas against the first scenario.",
    )
    parser.add_argument("compare_project", type=Path, metavar="PROJECT", help="project GeoPackage")
    parser.add_argument(
        "--scenarios",
        metavar="A,B",
        help="comma-separated scenario names, the first is the baseline (default: all)",
    )
    parser.add_argument("--format", choices=FORMATS, default=None, help="csv (default) or json")
    parser.add_argument(
        "--out", type=Path, metavar="FILE", help="write to FILE instead of standard output"
    )
    return parser


def run_compare(args: argparse.Namespace, error: Callable[[str], int]) -> int:
    """Run the subcommand; every failure is ``error(one line)`` (exit code 2)."""
    return run_guarded(_run, args, error)


def _run(args: argparse.Namespace) -> int:
    from app.cli.common import open_cli_project
    from app.core.formats.csv_text import csv_text
    from app.core.formats.vector import InputError
    from app.core.project.scenario_report import as_json, comparison, flat_table
    from app.core.project.scenario_store import scenarios_of

    out_format = args.format or (
        "json" if args.out and args.out.suffix.lower() == ".json" else "csv"
    )
    if args.out is not None and not args.out.resolve().parent.is_dir():
        raise InputError(f"cannot write to {args.out}: no such folder")
    project = open_cli_project(args.compare_project)
    sites = project.stack.get("sites")
    scenarios = scenarios_of(sites, project.settings.language)
    names = args.scenarios.split(",") if args.scenarios is not None else scenarios.names()
    settings = project.settings
    result = comparison(
        project.stack,
        scenarios,
        names,
        settings.roles(),
        settings.extra,
        rules=settings.zoning_rules(),
    )
    if result.caveat:
        print(f"innoatlas: note: {result.caveat}", file=sys.stderr)
    text = as_json(result) if out_format == "json" else csv_text(flat_table(result))
    write_output(text, args.out, bom=out_format == "csv")
    return 0
