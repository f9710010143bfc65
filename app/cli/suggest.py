"""``innoatlas suggest``: where the support centres should go, headless.

The engine is the package app/core/analysis/suggest/.

Takes the districts, start-up and zoning layers from the project GeoPackage (default:
the embedded project) and prints the chosen points with the summary:

- JSON (default): one object, the summary fields (:data:`SUMMARY_FIELDS`: ``model``,
  ``district``, ``k``, … ``share``, ``target_share`` (lscp), ``mean_distance_m``,
  ``objective`` (covered demand, number of sites or mean distance), ``optimal``, ``bound``
  (on that objective), ``gap``, ``solver``, ``greedy_objective``, ``saturated``, ``note``,
  ``message``) and a ``sites`` list (:data:`SITE_FIELDS`: ``rank``, ``x``, ``y`` in
  EPSG:5186, ``lon``, ``lat``, ``zone_type``, ``demand_within_r``, ``marginal_demand``,
  ``unique_demand``, ``startups_within_r``, ``assigned_demand``, ``mean_distance_m``).
- CSV: the summary as commented header lines ``# key: value`` (e.g. ``# optimal: true``),
  then one row per point with the ``sites`` columns (read it with ``comment="#"``).

A saturated answer (the MCLP covers >= 99 % of demand) and demand LSCP cannot reach are
also said on stderr as an ``innoatlas: note:`` line. Qt is never imported.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Callable
from pathlib import Path

from app.cli.common import (
    role_table,
    run_guarded,
    saved_settings,
    table_coverages,
    write_output,
)

DISTRICTS = ("gvalley", "magok", "yangjae")
FORMATS = ("json", "csv")
SITE_FIELDS = (
    "rank",
    "x",
    "y",
    "lon",
    "lat",
    "zone_type",
    "demand_within_r",
    "marginal_demand",
    "unique_demand",
    "startups_within_r",
    "assigned_demand",
    "mean_distance_m",
)
MODELS = ("mclp", "lscp", "pmedian")
SUMMARY_FIELDS = (
    "model",
    "district",
    "k",
    "radius_m",
    "spacing_m",
    "weight",
    "n_candidates",
    "n_demand",
    "total_demand",
    "covered_demand",
    "fixed_covered_demand",
    "new_covered_demand",
    "share",
    "target_share",
    "mean_distance_m",
    "objective",
    "optimal",
    "bound",
    "gap",
    "solver",
    "greedy_objective",
    "greedy_covered_demand",
    "saturated",
    "note",
    "message",
)


def add_suggest_parser(commands: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add the ``suggest`` subcommand to the ``innoatlas`` parser."""
    parser = commands.add_parser(
        "suggest",
        help="suggest centre sites (most start-ups covered, fewest sites, shortest distance)",
        description="Choose grid points of a district, on land whose zoning permits the "
        "centre and outside greenbelt: the K that cover the most start-ups within the "
        "radius (--model mclp, maximal covering), the fewest that cover all of them or "
        "--share of them (--model lscp, location set covering) or the K with the shortest "
        "mean distance from the start-ups (--model pmedian). Solved exactly by CBC with a "
        "time limit. Prints the points, covered demand, mean distance and whether the "
        "answer is proven optimal.",
    )
    parser.add_argument(
        "--model",
        choices=MODELS,
        default="mclp",
        help="mclp: K sites covering the most demand (default); lscp: the fewest sites "
        "covering --share of it; pmedian: K sites with the shortest mean distance",
    )
    parser.add_argument(
        "--district",
        required=True,
        type=str.lower,
        metavar="DISTRICT",
        help=f"district: {', '.join(DISTRICTS)}",
    )
    parser.add_argument(
        "-k",
        type=int,
        default=None,
        metavar="K",
        help="number of new centres (required for mclp and pmedian; lscp finds it)",
    )
    parser.add_argument(
        "--share",
        type=float,
        default=None,
        metavar="S",
        help="lscp only: the share of demand to cover, > 0 and <= 1 (default 1: all of it)",
    )
    parser.add_argument(
        "--radius",
        type=float,
        metavar="M",
        help="coverage radius in metres (default: the project's radius, "
        "800 m unless the project says otherwise)",
    )
    parser.add_argument(
        "--spacing",
        type=float,
        default=100.0,
        metavar="M",
        help="candidate grid spacing in metres (default 100)",
    )
    parser.add_argument(
        "--weight",
        choices=("employees",),
        default=None,
        help="weight start-ups by employees (default: 1 each)",
    )
    parser.add_argument(
        "--fixed",
        type=Path,
        metavar="SITES",
        help="existing centres (any vector file, points/polygons): what "
        "they cover counts as covered; K new sites come on top",
    )
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default=None,
        help="output format (default: from --out's suffix, else json)",
    )
    parser.add_argument(
        "--out", type=Path, metavar="FILE", help="write to FILE instead of standard output"
    )
    parser.add_argument(
        "--project",
        type=Path,
        metavar="GPKG",
        dest="sub_project",
        help="project GeoPackage with the layers (default: the embedded project)",
    )
    parser.add_argument(
        "--time-limit",
        type=float,
        default=10.0,
        metavar="S",
        dest="time_limit",
        help="solver time limit in seconds (default 10); past it the best "
        "solution found is printed with optimal: false",
    )
    from app.cli.network import add_network_options

    add_network_options(parser)
    return parser


def run_suggest(args: argparse.Namespace, error: Callable[[str], int]) -> int:
    """Run the subcommand; every failure is ``error(one line)`` (exit code 2)."""
    return run_guarded(_run, args, error)


def _run(args: argparse.Namespace) -> int:
    import pyogrio

    from app.core.analysis.suggest import UnknownDistrictError, suggest_sites
    from app.core.formats.vector import InputError, read_vector
    from app.core.paths import DEFAULT_PROJECT
    from app.core.project.loader import check_geopackage

    if args.district not in DISTRICTS:
        raise UnknownDistrictError(
            f"unknown district {args.district!r} (one of {', '.join(DISTRICTS)})"
        )
    if args.radius is not None and not (math.isfinite(args.radius) and args.radius >= 0):
        raise InputError(f"--radius must be a number of metres >= 0, not {args.radius:g}")
    if not (math.isfinite(args.spacing) and args.spacing > 0):
        raise InputError(f"--spacing must be a number of metres > 0, not {args.spacing:g}")
    if not (math.isfinite(args.time_limit) and args.time_limit > 0):
        raise InputError(f"--time-limit must be > 0 seconds, not {args.time_limit:g}")
    if args.model == "lscp":
        if args.k is not None:
            raise InputError("-k does not apply to --model lscp: it finds the fewest sites")
        share = 1.0 if args.share is None else args.share
        if not (math.isfinite(share) and 0 < share <= 1):
            raise InputError(f"--share must be > 0 and <= 1, not {share:g}")
    else:
        if args.share is not None:
            raise InputError(f"--share applies to --model lscp only, not {args.model}")
        if args.k is None:
            raise InputError(f"-k is required for --model {args.model}")
        if args.k <= 0:
            raise InputError(f"-k must be at least 1, not {args.k}")
        share = 1.0
    out_format = args.format or (
        "csv" if args.out and args.out.suffix.lower() == ".csv" else "json"
    )
    if args.out is not None and not args.out.resolve().parent.is_dir():
        raise InputError(f"cannot write to {args.out}: no such folder")

    project = args.sub_project or getattr(args, "project", None) or DEFAULT_PROJECT
    check_geopackage(project)
    saved = saved_settings(args)
    available = {str(layer) for layer, _ in pyogrio.list_layers(project)}
    tables = {name: role_table(saved, name, available) for name in ("startups", "zoning")}
    layers = {
        name: read_vector(project, name, preferred_layer=tables.get(name, name)).frame
        for name in ("districts", "startups", "zoning")
    }
    coverage, titles = table_coverages(
        project, saved, {role: (table, layers[role]) for role, table in tables.items()}
    )
    fixed = None
    if args.fixed is not None:
        fixed_layer = read_vector(
            args.fixed, "fixed sites", preferred_layer="sites", allow_mixed=True
        )
        for note in fixed_layer.notes:
            print(f"innoatlas: note: {note}", file=sys.stderr)
        fixed = fixed_layer.frame
    radius = (
        args.radius if args.radius is not None else (saved.radius_m if saved is not None else 800.0)
    )
    from app.cli.network import resolve_network

    walking = resolve_network(args, project, saved)
    pairs_within = None
    if walking is not None:
        from app.core.network.coverage import walking_pairs

        pairs_within = walking_pairs(walking.network)
        print(
            "innoatlas: note: "
            + ("distances" if args.model == "pmedian" else "coverage")
            + f" by walking distance along {walking.name}",
            file=sys.stderr,
        )
    result = suggest_sites(
        args.district,
        layers["startups"],
        layers["zoning"],
        k=args.k,
        radius=radius,
        spacing=args.spacing,
        weight=args.weight,
        fixed=fixed,
        rules=saved.zoning_rules() if saved else None,
        time_limit=args.time_limit,
        districts=layers["districts"],
        model=args.model,
        share=share,
        coverage=coverage,
        titles=titles,
        pairs_within=pairs_within,
    )
    if result.note:
        print(f"innoatlas: note: {result.note}", file=sys.stderr)
    reduced = result.extra.get("reduced")
    if reduced:
        print(f"innoatlas: note: {reduction_text(reduced)}", file=sys.stderr)
    text = to_json(result) if out_format == "json" else to_csv(result)
    write_output(text, args.out, bom=False)
    return 0


def _clean(value):
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        return round(value, 9)
    return value


def summary(result) -> dict:
    """The summary fields of a Suggestion as plain values."""
    return {name: _clean(getattr(result, name)) for name in SUMMARY_FIELDS}


def reduction_text(sizes: dict) -> str:
    """One line: the exact model's candidates and demand rows before and after reduction."""
    return (
        f"exact model reduced from {sizes['candidates']} to {sizes['candidates_reduced']} "
        f"candidates ({sizes['identical']} identical, {sizes['dominated']} dominated, "
        f"{sizes['empty']} covering nothing) and from {sizes['demand']} start-ups to "
        f"{sizes['demand_reduced']} demand rows"
    )


def site_records(result) -> list[dict]:
    return [{name: _clean(getattr(site, name)) for name in SITE_FIELDS} for site in result.sites]


def to_json(result) -> str:
    """One JSON object: the summary and ``sites``."""
    record = summary(result)
    if result.extra.get("reduced"):  # the exact covering model's size, before and after
        record["model_size"] = {k: _clean(v) for k, v in result.extra["reduced"].items()}
    record["sites"] = site_records(result)
    return json.dumps(record, ensure_ascii=False, indent=2) + "\n"


def to_csv(result) -> str:
    """Summary as ``# key: value`` lines, then one row per chosen point."""
    import csv
    import io

    from app.core.formats.csv_text import neutralise_cell

    buffer = io.StringIO()
    for key, value in summary(result).items():
        shown = (
            json.dumps(value, ensure_ascii=False)
            if isinstance(value, bool) or value is None
            else value
        )
        buffer.write(f"# {key}: {shown}\n")
    writer = csv.DictWriter(buffer, fieldnames=SITE_FIELDS, lineterminator="\n")
    writer.writeheader()
    # Text cells cannot start a spreadsheet formula (app.core.formats.csv_text).
    writer.writerows(
        {k: neutralise_cell(v) for k, v in row.items()} for row in site_records(result)
    )
    return buffer.getvalue()
