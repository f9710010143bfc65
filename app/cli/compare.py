"""``innoatlas compare PROJECT --scenarios A,B``: the KPIs of named scenarios side by side,
with deltas against the first (app/core/project/scenario_report.py). Qt is never imported.

``--pdf OUT.pdf`` also writes the comparison on one A4 page (a map per scenario and the
table), as the app's Compare view does; only then is Qt loaded (offscreen).

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
    parser.add_argument(
        "--pdf",
        type=Path,
        metavar="OUT.pdf",
        help="also write the comparison on one A4 page: a map per scenario (at most "
        "three) and the table of figures with the differences",
    )
    parser.add_argument(
        "--language",
        choices=("en", "ko"),
        default=None,
        help="language of the PDF (default: the project's)",
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
    if args.pdf is not None and args.pdf.suffix.lower() != ".pdf":
        raise InputError(f"--pdf must name a .pdf file, not {args.pdf.name!r}")
    if args.pdf is not None and not args.pdf.resolve().parent.is_dir():
        raise InputError(f"cannot write to {args.pdf}: no such folder")
    project = open_cli_project(args.compare_project)
    sites = project.stack.get("sites")
    scenarios = scenarios_of(sites, project.settings.language)
    names = args.scenarios.split(",") if args.scenarios is not None else scenarios.names()
    settings = project.settings
    from app.core.project.scenario_kpis import KpiContext

    context = KpiContext.build(
        project.stack, settings.roles(), settings.extra, rules=settings.zoning_rules()
    )
    result = comparison(
        project.stack, scenarios, names, settings.roles(), settings.extra, engine=context.engine
    )
    if result.caveat:
        print(f"innoatlas: note: {result.caveat}", file=sys.stderr)
    text = as_json(result) if out_format == "json" else csv_text(flat_table(result))
    write_output(text, args.out, bom=out_format == "csv")
    if args.pdf is not None:
        _pdf(args, project, scenarios, result, context.engine)
    return 0


def _pdf(args: argparse.Namespace, project, scenarios, result, engine) -> None:
    """The comparison on one PDF page (Qt, offscreen, is loaded only here)."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from app.core.formats.vector import InputError
    from app.core.i18n_catalog import translate
    from app.ui.application import application

    application()  # QApplication and the bundled Korean font
    from app.ui.scenarios.compare_pdf import render_comparison_pdf
    from app.ui.scenarios.maps import maps_extent, scenario_map_data

    names = [str(name) for name in result.table.index]
    if len(names) > 3:
        raise InputError("a PDF page compares at most three scenarios")
    language = args.language or project.settings.language
    maps = [scenario_map_data(project.stack, scenarios, name, engine) for name in names]
    try:
        bounds = maps_extent(maps)
        assert bounds is not None  # every compared scenario has sites
        render_comparison_pdf(
            args.pdf, maps, result, bounds, language, translate("Scenario comparison", language)
        )
    finally:
        for one in maps:
            one.release()
