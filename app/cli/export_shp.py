"""``innoatlas export-shp OUTDIR``: the project as Shapefiles (or GeoJSON, FlatGeobuf).

One file per layer and geometry type, with a .qml and an .sld beside each, the sites
(from ``--sites`` or the project) with their indicator columns, and README.txt with the
provenance (app/core/export/vector_files.py). Shapefiles get a .cpg (``--encoding``) and
fields.csv (full ↔ short field names). Qt is never imported.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from app.cli.common import add_project_sites_radius, check_radius, file_sites, run_guarded


def add_export_shp_parser(commands: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add the ``export-shp`` subcommand to the ``innoatlas`` parser."""
    parser = commands.add_parser(
        "export-shp",
        help="export the project as Shapefiles (or GeoJSON, FlatGeobuf) into a folder",
        description="Write every layer of the project, one file per layer and geometry type, "
        "with the sites' indicator columns, a QGIS style (.qml) and an SLD beside each file "
        "and README.txt with the provenance. Files of the same names in OUTDIR are replaced.",
    )
    parser.add_argument(
        "out", type=Path, metavar="OUTDIR", help="folder to write (created if its parent exists)"
    )
    parser.add_argument(
        "--format",
        default="shp",
        choices=("shp", "geojson", "fgb"),
        help="shp (default), geojson (RFC 7946, WGS 84) or fgb (FlatGeobuf)",
    )
    parser.add_argument(
        "--encoding",
        default="utf-8",
        choices=("utf-8", "cp949"),
        help="text encoding of the Shapefiles, written to each .cpg (default utf-8; "
        "cp949 for older Korean tools)",
    )
    add_project_sites_radius(parser)
    return parser


def run_export_shp(args: argparse.Namespace, error: Callable[[str], int]) -> int:
    """Run the subcommand; every failure is ``error(one line)`` (exit code 2)."""
    return run_guarded(_run, args, error)


def _run(args: argparse.Namespace) -> int:
    from app.cli.common import open_cli_project, print_notes
    from app.core.export.vector_files import export_vector_files
    from app.core.formats.vector import InputError
    from app.core.paths import DEFAULT_PROJECT

    check_radius(args.radius)
    if args.out.exists() and not args.out.is_dir():
        raise InputError(f"OUTDIR {args.out} is a file, not a folder")
    if not args.out.exists() and not args.out.resolve().parent.is_dir():
        raise InputError(f"cannot write to {args.out}: no such folder {args.out.parent}")
    if args.encoding != "utf-8" and args.format != "shp":
        raise InputError(
            "--encoding applies to --format shp only (GeoJSON and FlatGeobuf are UTF-8)"
        )
    project = open_cli_project(args.sub_project or DEFAULT_PROJECT)
    stack, settings = project.stack, project.settings
    sites_layer = stack.get("sites")
    if args.sites is not None:
        sites_layer.set_data(file_sites(args.sites))
    indicators = site_indicators(stack, settings, args.radius)
    result = export_vector_files(
        args.out, stack, fmt=args.format, encoding=args.encoding, indicators=indicators
    )
    print_notes(result.notes)
    files = [p for p in result.paths if p.suffix in (".shp", ".geojson", ".fgb")]
    print(
        f"wrote {len(files)} {args.format} file(s) to {args.out}: "
        f"{len(sites_layer.data)} site(s)" + (" with indicators" if indicators is not None else ""),
        file=sys.stdout,
    )
    return 0


def site_indicators(stack, settings, radius: float | None):
    """The sites' indicators indexed by ``site_id`` (None without sites), computed against
    the project's layers and settings as ``export-gpkg`` does."""
    from app.core.indicators.engine import IndicatorEngine
    from app.core.project.user_layers import ROLE_NAMES, role_layer

    sites = stack.get("sites").data
    if len(sites) == 0:
        return None
    context = (role_layer(stack, name, settings.roles()) for name in ROLE_NAMES)
    engine = IndicatorEngine(
        *(None if layer is None else layer.data for layer in context),
        rules=settings.zoning_rules(),
    )
    indicators = engine.compute(
        sites,
        radius if radius is not None else settings.radius_m,
        site_radius=radius is None,
        weights=settings.score_weights(),
    )
    indicators.index = sites["site_id"].astype(str).to_numpy()
    return indicators
