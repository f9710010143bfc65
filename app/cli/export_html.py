"""``innoatlas export-html OUT.html``: the project as an interactive web map, offline.

Every visible layer of the project (default: the embedded one) styled as in the app,
labels, a layer control, a legend, the sites (from ``--sites`` or the project) with
their indicators in popups, the attribution with the synthetic/illustrative notes and
the project's scenes as buttons (app/core/export/webmap/page.py). All JavaScript and CSS are
inline: the file opens in a browser without internet. Qt is never imported.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from app.cli.common import add_project_sites_radius, check_radius, file_sites, run_guarded


def add_export_html_parser(commands: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add the ``export-html`` subcommand to the ``innoatlas`` parser."""
    parser = commands.add_parser(
        "export-html",
        help="export the project as an interactive web map (works offline)",
        description="Write one self-contained HTML file with the project's visible layers "
        "styled as in the app, labels, a layer control, a legend, site popups "
        "with their indicators, the data attribution and the project's scenes "
        "as buttons. Leaflet is inline: no internet needed to open it.",
    )
    parser.add_argument(
        "out",
        type=Path,
        metavar="OUT.html",
        help="HTML file to write (replaced atomically if it exists)",
    )
    add_project_sites_radius(parser)
    parser.add_argument("--title", default="", metavar="T", help="map title")
    parser.add_argument(
        "--language",
        choices=("ko", "en"),
        type=str.lower,
        help="language of layer names, legend and popups (default: the project's)",
    )
    parser.add_argument(
        "--scene",
        metavar="ID",
        help="open the map on this scene (its id or title; default: the "
        "innovation districts; the page's Full extent button shows "
        "every visible layer)",
    )
    parser.add_argument(
        "--basemap",
        action="store_true",
        help="add an OpenStreetMap basemap (needs internet; blank offline)",
    )
    from app.cli.network import add_network_options

    add_network_options(parser)
    return parser


def run_export_html(args: argparse.Namespace, error: Callable[[str], int]) -> int:
    """Run the subcommand; every failure is ``error(one line)`` (exit code 2)."""
    return run_guarded(_run, args, error)


def _run(args: argparse.Namespace) -> int:
    from app.cli.common import open_cli_project
    from app.core.export.webmap.font import unavailable_reason
    from app.core.export.webmap.page import HtmlExportError, export_html
    from app.core.export.webmap.records import site_indicators
    from app.core.paths import DEFAULT_PROJECT
    from app.core.project.scenes import find_scene, scenes_from_settings

    check_radius(args.radius)
    if args.out.suffix.lower() not in (".html", ".htm"):
        raise HtmlExportError(
            f"cannot export a web map as {args.out.name!r}: use a .html file name"
        )
    if not args.out.resolve().parent.is_dir():
        raise HtmlExportError(f"cannot write the web map to {args.out}: no such folder")

    project = open_cli_project(args.sub_project or DEFAULT_PROJECT)
    stack, settings = project.stack, project.settings
    language = args.language or ("ko" if settings.language == "ko" else "en")
    scenes = scenes_from_settings(settings.extra, stack, language)
    if args.scene is not None:
        find_scene(scenes, args.scene)  # an unknown scene fails before any work
    sites_layer = stack.get("sites")
    if args.sites is not None:
        sites_layer.set_data(file_sites(args.sites))
    radius = args.radius if args.radius is not None else settings.radius_m
    from app.cli.network import draw_isochrones, resolve_network

    walking = resolve_network(args, args.sub_project or DEFAULT_PROJECT, settings)
    distances = draw_isochrones(stack, walking, radius)
    indicators = site_indicators(
        stack,
        radius,
        settings.roles(),
        settings.extra,
        site_radius=args.radius is None,
        rules=settings.zoning_rules(),
        weights=settings.score_weights(),
        distances=distances,
    )
    if args.radius is not None and len(sites_layer.data):
        sites_layer.data["radius_m"] = float("nan")  # one R for every catchment circle
    missing = unavailable_reason()
    if missing:  # the page still works, with the system's fonts
        print(
            f"innoatlas: note: {missing}: the web map uses the system's fonts (Hangul "
            "may show as boxes where no Korean font is installed)",
            file=sys.stderr,
        )
    export_html(
        args.out,
        stack,
        title=args.title,
        language=language,
        indicators=indicators,
        scenes=scenes,
        basemap=args.basemap,
        start_scene=args.scene,
        radius_m=radius,
        extra=settings.extra,
    )
    size = args.out.stat().st_size
    print(
        f"wrote {args.out}: {size / 1e6:.1f} MB, {len(sites_layer.data)} site(s), "
        f"{len(scenes)} scene(s)"
    )
    return 0
