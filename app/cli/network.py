"""``--network FILE [--network-layer L] [--catchment network|line]``: walking catchments
on the command line (indicators, suggest, render, export-html, isochrones).

Without ``--network`` a project whose settings name a walking network layer
(app.core.network.settings) uses it unless ``--catchment line``; ``--catchment network``
without any network is an error. A network outside the project's districts, not made of
lines, without CRS or mostly disconnected is refused with one line (exit 2).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_network_options(parser: argparse.ArgumentParser) -> None:
    """Add the walking-network options to a subcommand."""
    parser.add_argument(
        "--network",
        type=Path,
        metavar="FILE",
        help="walking network: a line layer (GeoPackage, Shapefile, GeoJSON, e.g. an "
        "OpenStreetMap footway export) or the Seoul pedestrian network CSV (OA-21208); "
        "'within R' and 'nearest' then follow the streets (default: the project's "
        "walking network layer, if it has one)",
    )
    parser.add_argument(
        "--network-layer", metavar="L", dest="network_layer", help="layer of a multi-layer FILE"
    )
    parser.add_argument(
        "--catchment",
        choices=("network", "line"),
        help="catchment: 'network' (walking distance) or 'line' (straight-line circles); "
        "default: network when a network is given or set in the project",
    )


def resolve_network(args: argparse.Namespace, project: Path, saved=None):
    """The walking network the command uses, or None for straight-line circles.

    Returns
    -------
    OpenedNetwork or None

    Raises
    ------
    InputError
        ``--catchment network`` without a network, or a network that cannot serve.
    """
    from app.core.formats.vector import InputError, ReadOptions
    from app.core.network.settings import CatchmentSetting

    catchment = getattr(args, "catchment", None)
    path = getattr(args, "network", None)
    if catchment == "line":
        return None
    setting = CatchmentSetting.from_extra(saved.extra if saved is not None else None)
    layer = getattr(args, "network_layer", None)
    options = ReadOptions(
        encoding=getattr(args, "encoding", None), assumed_crs=getattr(args, "input_crs", None)
    )
    from_project = setting.layer is not None and (setting.uses_network or catchment == "network")
    if path is None and not from_project:
        if catchment == "network":
            raise InputError(
                "--catchment network needs a walking network: give --network FILE (or use a "
                "project with a walking network layer)"
            )
        return None  # straight-line circles: neither the districts nor a network read
    from app.core.network.source import open_network

    area = _districts(project)
    if path is not None:
        opened = open_network(path, layer, options=options, area=area)
    else:
        opened = open_network(project, setting.layer, tolerance=setting.tolerance_m, area=area)
    for note in opened.notes:
        print(f"innoatlas: note: {note}", file=sys.stderr)
    return opened


def _districts(project: Path):
    """The project's districts as one geometry (EPSG:5186), or None."""
    import pyogrio
    import shapely

    from app.core.formats.vector import InputError, read_vector

    try:
        if "districts" not in {str(n) for n, _ in pyogrio.list_layers(project)}:
            return None
        frame = read_vector(project, "districts", preferred_layer="districts").frame
    except (InputError, OSError, pyogrio.errors.DataSourceError):
        return None
    return shapely.union_all(frame.geometry.values)


def walking_table(opened):
    """A ``compute_indicators``-like function with walking catchments over ``opened``:
    the same columns, then ``reach_ratio`` and ``catchment`` (the network's name); the
    start-ups, stations and universities off network are noted on stderr."""
    from app.core.network.catchment import walking_indicators

    def compute(sites, startups, education, stations, zoning, **options):
        table = walking_indicators(
            sites,
            startups,
            education,
            stations,
            zoning,
            network=opened.network,
            name=opened.name,
            **options,
        )
        for family, count in table.attrs.get("off_network", {}).items():
            if count and family == "sites":
                print(
                    f"innoatlas: note: {count} site(s) farther than the off-network limit from "
                    f"every street of {opened.name}: their walking figures are unknown",
                    file=sys.stderr,
                )
            elif count:
                print(
                    f"innoatlas: note: {count} {family} farther than the off-network limit "
                    f"from every street of {opened.name}: not counted in walking catchments",
                    file=sys.stderr,
                )
        return table

    return compute


def draw_isochrones(stack, opened, radius: float):
    """Add the sites' walking isochrones (R) to ``stack`` as a layer above the sites'
    context layers, and return the indicators' distance provider for ``opened``.

    With no network (``opened`` None) nothing changes and None is returned.
    """
    if opened is None:
        return None
    from app.core.network.catchment import WalkingDistances
    from app.core.network.layer import isochrone_layer

    sites = stack.get("sites")
    if sites is not None and len(sites.data):
        layer = isochrone_layer(
            sites.data, opened.network, [radius], opened.name, sites.provenance.status
        )
        stack.insert(stack.index(sites) + 1, layer)  # just under the sites
    return WalkingDistances(opened.network, opened.name)
