"""``innoatlas isochrones SITES --network FILE --radius M [--bands 400,800] --out FILE.gpkg``.

The area each site reaches within R (or each band) along the walking network, as
polygons (the reached streets buffered, docs/indicators.md), one row per site and band:
``site_id``, ``name``, ``band_m``, ``reached_m`` (street length reached), ``off_network``,
``catchment``. SITES is any vector file of points/polygons or a project GeoPackage (its
sites). Qt is never imported.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from app.cli.common import check_radius, run_guarded


def add_isochrones_parser(commands: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add the ``isochrones`` subcommand to the ``innoatlas`` parser."""
    from app.cli.network import add_network_options

    parser = commands.add_parser(
        "isochrones",
        help="walking isochrones of sites along a street network (GeoPackage)",
        description="Write, for each site, the area reached within R along the walking "
        "network (reached streets buffered by 25 m) as polygons to a GeoPackage.",
    )
    parser.add_argument("sites", type=Path, metavar="SITES", help="sites file or project")
    parser.add_argument(
        "--radius",
        type=float,
        metavar="M",
        default=800.0,
        help="walking radius in metres (default 800)",
    )
    parser.add_argument("--bands", metavar="M,M", help="several radii, e.g. 400,800,1200")
    parser.add_argument(
        "--out",
        type=Path,
        metavar="FILE.gpkg",
        required=True,
        help="GeoPackage to write (layer 'walking_isochrones')",
    )
    parser.add_argument(
        "--project",
        type=Path,
        metavar="GPKG",
        dest="sub_project",
        help="project whose districts the network must touch and whose "
        "walking network is used without --network (default: embedded)",
    )
    add_network_options(parser)
    return parser


def run_isochrones(args: argparse.Namespace, error: Callable[[str], int]) -> int:
    """Run the subcommand; every failure is ``error(one line)`` (exit code 2)."""
    return run_guarded(_run, args, error)


def parse_bands(text: str | None, radius: float) -> list[float]:
    """``"400,800"`` -> ``[400.0, 800.0]`` (default: ``[radius]``)."""
    from app.core.errors import InnoAtlasError

    if not text:
        return [radius]
    try:
        bands = sorted({float(part) for part in text.split(",") if part.strip()})
    except ValueError:
        raise InnoAtlasError(f"--bands must be metres separated by commas, not {text!r}") from None
    if not bands or any(not (b > 0 and b < 100_000) for b in bands):
        raise InnoAtlasError(f"--bands must be metres between 0 and 100 000, not {text!r}")
    return bands


def _run(args: argparse.Namespace) -> int:
    from app.cli.common import file_sites, saved_settings
    from app.cli.network import resolve_network
    from app.core.errors import InnoAtlasError
    from app.core.formats.atomic_write import write_atomically
    from app.core.network.layer import ISOCHRONE_LAYER, isochrone_frame
    from app.core.paths import DEFAULT_PROJECT

    check_radius(args.radius)
    if args.out.suffix.lower() != ".gpkg":
        raise InnoAtlasError(f"cannot write isochrones to {args.out.name!r}: use a .gpkg name")
    if not args.out.resolve().parent.is_dir():
        raise InnoAtlasError(f"cannot write to {args.out}: no such folder")
    bands = parse_bands(args.bands, args.radius)
    project = args.sub_project or DEFAULT_PROJECT
    if args.catchment == "line":
        raise InnoAtlasError("isochrones follow a walking network: drop --catchment line")
    opened = resolve_network(args, project, saved_settings(args))
    if opened is None:
        raise InnoAtlasError("isochrones need a walking network: give --network FILE")
    sites = file_sites(args.sites)
    frame = isochrone_frame(sites, opened.network, bands, opened.name)
    off = int(frame.loc[frame["band_m"] == bands[0], "off_network"].sum())
    if off:
        print(
            f"innoatlas: note: {off} site(s) farther than the off-network limit from "
            f"every street of {opened.name}",
            file=sys.stderr,
        )
    write_atomically(
        args.out,
        lambda temp: frame.to_file(temp, layer=ISOCHRONE_LAYER, driver="GPKG"),
        InnoAtlasError,
        verb="write",
        suffix=".part.gpkg",
    )
    reached = f" ({off} off the network, without isochrone)" if off else ""
    print(f"wrote {args.out}: {len(sites)} site(s){reached} × {len(bands)} band(s)")
    return 0
