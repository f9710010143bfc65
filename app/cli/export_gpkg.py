"""``innoatlas export-gpkg OUT.gpkg``: the project as a GeoPackage QGIS opens styled.

Every layer of the project (default: the embedded one), the sites (from ``--sites``
or the project's sites layer) with all their indicator columns computed against the
project's layers and settings (radius, weights, zoning overrides), a ``layer_styles``
table and provenance metadata (app/core/export/geopackage.py). Qt is never imported.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from app.cli.common import add_project_sites_radius, check_radius, file_sites, run_guarded


def add_export_gpkg_parser(commands: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add the ``export-gpkg`` subcommand to the ``innoatlas`` parser."""
    parser = commands.add_parser(
        "export-gpkg",
        help="export the project as a styled GeoPackage (QGIS, GDAL)",
        description="Write every layer of the project, the sites with their indicator "
        "columns, QGIS default styles (layer_styles) and provenance metadata "
        "to a GeoPackage 1.2 file in EPSG:5186.",
    )
    parser.add_argument(
        "out",
        type=Path,
        metavar="OUT.gpkg",
        help="GeoPackage to write (replaced atomically if it exists)",
    )
    add_project_sites_radius(parser)
    parser.add_argument(
        "--indicators-csv",
        type=Path,
        metavar="FILE",
        help="also write the indicators table as CSV (UTF-8 with BOM)",
    )
    parser.add_argument(
        "--indicators-geojson",
        type=Path,
        metavar="FILE",
        help="also write the sites with their indicators as GeoJSON",
    )
    return parser


def run_export_gpkg(args: argparse.Namespace, error: Callable[[str], int]) -> int:
    """Run the subcommand; every failure is ``error(one line)`` (exit code 2)."""
    return run_guarded(_run, args, error)


def _run(args: argparse.Namespace) -> int:
    from app.cli.common import open_cli_project
    from app.core.export.geopackage import (
        export_geopackage,
        export_indicators_csv,
        export_indicators_geojson,
    )
    from app.core.formats.vector import InputError
    from app.core.indicators.engine import IndicatorEngine
    from app.core.paths import DEFAULT_PROJECT

    check_radius(args.radius)
    for option, target in (
        ("OUT.gpkg", args.out),
        ("--indicators-csv", args.indicators_csv),
        ("--indicators-geojson", args.indicators_geojson),
    ):
        if target is not None and not target.resolve().parent.is_dir():
            raise InputError(f"cannot write {option} to {target}: no such folder")
    if args.out.suffix.lower() != ".gpkg":
        raise InputError(f"OUT must end in .gpkg, not {args.out.name!r}")
    project_path = args.sub_project or DEFAULT_PROJECT
    if args.out.resolve() == Path(project_path).resolve():
        raise InputError("OUT.gpkg must not be the project file itself")

    project = open_cli_project(project_path)
    stack, settings = project.stack, project.settings
    sites_layer = stack.get("sites")
    if args.sites is not None:
        sites_layer.set_data(file_sites(args.sites))
    sites = sites_layer.data
    indicators = None
    if len(sites):
        from app.core.project.coverage import role_coverages
        from app.core.project.user_layers import ROLE_NAMES, role_layer

        context = (role_layer(stack, name, settings.roles()) for name in ROLE_NAMES)
        engine = IndicatorEngine(
            *(None if layer is None else layer.data for layer in context),
            rules=settings.zoning_rules(),
            coverage=role_coverages(stack, settings.roles(), settings.extra),
        )
        radius = args.radius if args.radius is not None else settings.radius_m
        indicators = engine.compute(
            sites, radius, site_radius=args.radius is None, weights=settings.score_weights()
        )
        table = indicators.copy()
        table.insert(0, "site_id", sites["site_id"].to_numpy())
        table.insert(1, "name", sites["name"].to_numpy())
        if args.indicators_csv is not None:
            export_indicators_csv(args.indicators_csv, table)
        if args.indicators_geojson is not None:
            export_indicators_geojson(args.indicators_geojson, table, sites)
        indicators.index = sites["site_id"].astype(str).to_numpy()
    elif args.indicators_csv is not None or args.indicators_geojson is not None:
        raise InputError(
            "no sites: nothing to write for --indicators-csv/--indicators-"
            "geojson (give --sites SITES)"
        )
    export_geopackage(args.out, stack, indicators=indicators, settings=settings)
    print(
        f"wrote {args.out}: {len(stack)} layers, {len(sites)} site(s)"
        + (" with indicators" if indicators is not None else "")
    )
    return 0
