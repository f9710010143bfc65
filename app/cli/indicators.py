"""``innoatlas indicators SITES``: the site indicators of docs/indicators.md, headless.

Reads the sites (any vector file pyogrio reads, any CRS), takes the start-up,
education, station and zoning layers from the project GeoPackage (default: the
embedded project) unless a file overrides one, and writes one row per site: ``site``
(its name, else its ``site_id``, else its row number) then exactly the docs/indicators.md
columns, as CSV (default) or JSON; JSON adds each site's score ``breakdown``, the
criteria ``left_out`` of every score and the sites compared on partial data
(``partial_data``), also noted on stderr. The project's role layers speak only for their
coverage areas (saved in the project; docs/indicators.md, Coverage areas): outside them a
site's values are empty, never 0; an override file covers the whole map. Qt is never
imported.
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from app.cli.common import (
    check_radius,
    role_table,
    run_guarded,
    saved_settings,
    table_coverages,
    write_output,
)

if TYPE_CHECKING:  # pandas is imported when the command runs, not when the parser is built
    import pandas as pd

LAYERS = ("startups", "education", "stations", "zoning")
FORMATS = ("csv", "json")


def add_indicators_parser(commands: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add the ``indicators`` subcommand to the ``innoatlas`` parser."""
    parser = commands.add_parser(
        "indicators",
        help="compute the cluster indicators of candidate sites",
        description="Compute every site indicator of docs/indicators.md (catchment counts, "
        "sector mix, access, zoning, buildable area, score) for the sites in "
        "SITES against the project's layers. Output: one row per site, "
        "'site' first, then the indicator columns.",
    )
    parser.add_argument(
        "sites",
        type=Path,
        metavar="SITES",
        help="sites file (GeoPackage, GeoJSON, Shapefile ...; any CRS); points and/or polygons",
    )
    parser.add_argument(
        "--radius",
        type=float,
        metavar="M",
        help="catchment radius in metres for every site (default: each "
        "site's radius_m where set, else the project's radius, 800 m "
        "unless the project says otherwise)",
    )
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default=None,
        help="output format (default: from --out's suffix, else csv)",
    )
    parser.add_argument(
        "--project",
        type=Path,
        metavar="GPKG",
        dest="sub_project",
        help="project GeoPackage with the layers (default: the embedded project)",
    )
    for name, what in (
        ("startups", "start-ups (columns such as sector/업종, employees/종사자수 are recognised)"),
        ("education", "universities/colleges"),
        ("stations", "stations"),
        (
            "zoning",
            "zoning polygons (a column of 용도지역 names such as "
            "제2종일반주거지역, 준공업지역, 개발제한구역)",
        ),
    ):
        parser.add_argument(
            f"--{name}",
            type=Path,
            metavar="F",
            help=f"file with the {what} instead of the project's layer "
            "(GeoPackage, Shapefile, GeoJSON, CSV with lon/lat ...)",
        )
    parser.add_argument(
        "--input-crs",
        metavar="CRS",
        dest="input_crs",
        help="CRS of SITES and override files that have none (e.g. "
        "EPSG:5186, EPSG:5179, EPSG:5181, EPSG:5174; default: refuse "
        "unless the coordinates are longitude/latitude)",
    )
    parser.add_argument(
        "--encoding",
        metavar="ENC",
        help="text encoding of SITES and override shapefiles/CSV files "
        "(e.g. UTF-8, CP949; default: UTF-8 when the text is valid "
        "UTF-8, else CP949)",
    )
    parser.add_argument(
        "--robust",
        type=int,
        nargs="?",
        const=2000,
        metavar="DRAWS",
        help="how sure the ranking is: add p_first (share of weightings drawn around the "
        "weights in which the site ranks first), rank_low and rank_high (its 5-95 %% rank "
        "interval), and note which single weight change would swap the top two "
        "(default 2000 draws, seeded; docs/indicators.md)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        metavar="FILE",
        help="write to FILE instead of standard output (CSV files get a "
        "UTF-8 BOM so that Excel shows Korean text)",
    )
    from app.cli.network import add_network_options

    add_network_options(parser)
    return parser


def run_indicators(args: argparse.Namespace, error: Callable[[str], int]) -> int:
    """Run the subcommand; every failure is ``error(one line)`` (exit code 2)."""
    return run_guarded(_run, args, error)


def _run(args: argparse.Namespace) -> int:
    from app.core.formats.csv_text import csv_text
    from app.core.formats.vector import InputError, read_vector
    from app.core.indicators.engine import compute_indicators
    from app.core.indicators.records import to_json
    from app.core.indicators.score import BASIS, left_out_notes
    from app.core.sites.identity import derive_ids
    from layers.themes.sites import DEFAULT_RADIUS_M

    check_radius(args.radius)
    from app.core.decisions.robust import RobustSettings

    robust = RobustSettings(draws=args.robust) if args.robust is not None else None
    out_format = args.format or (
        "json" if args.out and args.out.suffix.lower() == ".json" else "csv"
    )
    if args.out is not None and not args.out.resolve().parent.is_dir():
        raise InputError(f"cannot write to {args.out}: no such folder")

    from types import SimpleNamespace

    from app.cli.common import read_project_sites

    project_sites = read_project_sites(args.sites)  # a saved project: its two sites tables
    if project_sites is not None:
        sites = SimpleNamespace(frame=project_sites, notes=[])
    else:
        sites = read_vector(
            args.sites,
            "sites",
            preferred_layer="sites",
            options=_read_options(args),
            allow_mixed=True,
        )
    saved = saved_settings(args)
    layers, tables = _project_layers(args, saved)
    for note in sites.notes + [n for layer in layers.values() if layer for n in layer.notes]:
        print(f"innoatlas: note: {note}", file=sys.stderr)
    frames = {name: layer.frame for name, layer in layers.items()}
    radius = (
        args.radius
        if args.radius is not None
        else (saved.radius_m if saved is not None else DEFAULT_RADIUS_M)
    )
    coverage = table_coverages(_project(args), saved, tables)[0] if tables else None
    from app.cli.network import resolve_network, walking_table

    walking = resolve_network(args, _project(args), saved)
    compute = compute_indicators if walking is None else walking_table(walking)
    table = compute(
        sites.frame,
        frames["startups"],
        frames["education"],
        frames["stations"],
        frames["zoning"],
        coverage=coverage,
        startup_xy=layers["startups"].xy if args.startups is not None else None,
        radius=radius,
        site_radius=args.radius is None,
        rules=saved.zoning_rules() if saved else None,
        weights=saved.score_weights() if saved else None,
    )
    labels = site_labels(sites.frame)
    table.insert(0, "site", labels)
    # a file without site_id gets ids derived from its features: the same on every run
    identified, id_notes = derive_ids(sites.frame)
    for note in id_notes:
        print(f"innoatlas: note: {note}", file=sys.stderr)
    table.insert(1, "site_id", identified["site_id"].to_numpy())
    basis = table.attrs.get(BASIS)
    if basis is not None:  # say which criteria no score counts, naming the sites
        table.attrs[BASIS] = basis = basis.named(dict(zip(sites.frame.index, labels)))
        for note in left_out_notes(basis):
            print(f"innoatlas: note: {note}", file=sys.stderr)
    if robust is not None:
        _add_robustness(table, robust)
    text = to_json(table, breakdown=True) if out_format == "json" else csv_text(table)
    write_output(text, args.out, bom=out_format == "csv")
    return 0


def _add_robustness(table: pd.DataFrame, settings) -> None:
    """``--robust``: the Monte Carlo's columns after ``score`` and the winner's sentences
    as notes on stderr."""
    import pandas as pd

    from app.core.decisions.robust import robustness_columns
    from app.core.decisions.swap import winner_change, winner_sentences

    extra = robustness_columns(table, settings)
    table["p_first"] = extra["p_first"].to_numpy()
    for column in ("rank_low", "rank_high"):
        table[column] = pd.array(extra[column].round(), dtype="Int64")
    names = dict(zip(table.index, table["site"].astype(str)))
    change = winner_change(table) if len(table) >= 2 else None
    for note in winner_sentences(change, names):
        print(f"innoatlas: note: {note}", file=sys.stderr)


def _project(args: argparse.Namespace) -> Path:
    from app.core.paths import DEFAULT_PROJECT

    return getattr(args, "sub_project", None) or getattr(args, "project", None) or DEFAULT_PROJECT


def _project_layers(args: argparse.Namespace, saved=None) -> tuple[dict, dict]:
    """The four analysis layers: each override file, else the project's layer (the one
    its saved settings assign to that role, see :func:`app.cli.common.role_table`); and
    ``{role: (table, frame)}`` of those read from the project (for their coverage)."""
    import pyogrio

    from app.core.formats.vector import InputError, read_vector
    from app.core.project.loader import check_geopackage

    project = _project(args)
    available: set[str] = set()
    if any(getattr(args, name) is None for name in LAYERS):
        check_geopackage(project)
        available = {str(layer) for layer, _ in pyogrio.list_layers(project)}
    layers = {}
    tables = {}
    for name in LAYERS:
        override = getattr(args, name)
        if override is not None:
            layers[name] = _read_override(override, name, args)
        elif name in available:
            table = role_table(saved, name, available)
            layers[name] = read_vector(project, name, preferred_layer=table)
            tables[name] = (table, layers[name].frame)
        else:
            raise InputError(f"project {project} has no '{name}' layer: give --{name} F")
    return layers, tables


def _read_options(args: argparse.Namespace):
    from app.core.formats.vector import ReadOptions

    return ReadOptions(
        encoding=getattr(args, "encoding", None), assumed_crs=getattr(args, "input_crs", None)
    )


def _read_override(path: Path, role: str, args: argparse.Namespace):
    """An override file read and mapped to the role's columns (``업종`` -> ``sector`` ...)."""
    from app.core.formats.vector import read_vector
    from app.core.project.roles import apply_role, guess_mapping

    options = _read_options(args)
    # start-ups: only the columns used, and their coordinates without shapely points
    options = dataclasses.replace(
        options, columns=_used_columns(path, role, options), make_points=role != "startups"
    )
    layer = read_vector(path, role, preferred_layer=role, options=options)
    mapping = guess_mapping([str(c) for c in layer.frame.columns], role, layer.frame)
    result = apply_role(layer.frame, role, mapping, source=str(path))
    layer.frame = result.frame
    layer.notes.extend(result.notes)
    return layer


def _used_columns(path: Path, role: str, options) -> tuple[str, ...] | None:
    """The start-up columns the indicators use (sector, employees: not the names), so that
    a large file is read without them; None (read all) for other roles, CSV files and
    files the look-up cannot open (the read then says what is wrong)."""
    from app.core.formats.vector import CSV_SUFFIXES, InputError, ReadOptions, inspect_vector
    from app.core.project.roles import guess_mapping

    if role != "startups" or path.suffix.lower() in CSV_SUFFIXES:
        return None
    try:
        info = inspect_vector(path, ReadOptions(layer=role, encoding=options.encoding))
    except InputError:
        return None
    mapping = guess_mapping(list(info.columns), role)
    return tuple(c for target, c in mapping.items() if c is not None and target != "name")


def site_labels(sites: pd.DataFrame) -> pd.Series:
    """Each site's name, else its ``site_id``, else its row number (from 1)."""
    import pandas as pd

    label = pd.Series([str(i + 1) for i in range(len(sites))], index=sites.index, dtype=object)
    for column in ("site_id", "name"):  # name wins where both are set
        if column in sites.columns:
            values = sites[column].astype(object)
            text = values.map(
                lambda v: (
                    "" if v is None or (isinstance(v, float) and math.isnan(v)) else str(v).strip()
                )
            )
            label = label.where(text == "", text)
    return label
