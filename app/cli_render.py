"""``innoatlas render OUT.png|OUT.pdf``: a print-ready map (PNG or vector PDF), headless.

Draws the project (default: the embedded project) with the canvas renderer, plus
title, legend, scale bar, north arrow, date and the data attribution, through
:func:`app.ui.map_export.render_map`. Qt is imported only when the subcommand runs.
"""
from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Callable

from app.cli_common import has_display, parse_size, run_guarded


def add_render_parser(commands: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add the ``render`` subcommand to the ``innoatlas`` parser."""
    parser = commands.add_parser(
        "render", help="export the map as PNG or vector PDF (title, legend, scale bar)",
        description="Render the project's visible layers, as the desktop app draws them, "
                    "to a PNG image or a vector PDF page with a title, legend, scale bar, "
                    "north arrow, date and data attribution (synthetic/illustrative notes "
                    "included).")
    parser.add_argument("out", type=Path, metavar="OUT.png|OUT.pdf",
                        help="output file; the suffix picks the format")
    parser.add_argument("--size", default="1600x1000", metavar="WxH",
                        help="PNG size in pixels (default 1600x1000); for a PDF its aspect "
                             "picks landscape or portrait")
    parser.add_argument("--dpi", type=int, default=150, metavar="N",
                        help="PNG resolution; text and symbols scale with it (default 150)")
    parser.add_argument("--title", default="", metavar="T", help="map title")
    parser.add_argument("--page", default="A4", choices=("A4", "A3"), type=str.upper,
                        help="PDF page size (default A4)")
    parser.add_argument("--project", type=Path, metavar="GPKG", dest="sub_project",
                        help="project GeoPackage (default: the embedded project)")
    parser.add_argument("--district", metavar="ID",
                        help="map one innovation district (its district_id) instead of all")
    parser.add_argument("--lang", default="en", choices=("en", "ko"),
                        help="language of the legend, layer names and notes (default en)")
    return parser


def run_render(args: argparse.Namespace, error: Callable[[str], int]) -> int:
    """Run the subcommand; every failure is ``error(one line)`` (exit code 2)."""
    return run_guarded(_run, args, error)


def _run(args: argparse.Namespace) -> int:
    from app.core.errors import InnoAtlasError as Error

    size = parse_size(args.size)
    if size is None:
        raise Error(f"--size must look like 1600x1000 (at least 200x150), not {args.size!r}")
    if args.out.suffix.lower() not in (".png", ".pdf"):
        raise Error(f"cannot export a map as {args.out.name!r}: use a .png or .pdf file name")
    if not args.out.resolve().parent.is_dir():
        raise Error(f"cannot write the map to {args.out}: no such folder")
    if not has_display():
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # rendering needs no screen
    from app.core.paths import DEFAULT_PROJECT
    from app.core.project_io import open_project
    from app.ui.map_export import district_extent, render_map

    project = open_project(args.sub_project or DEFAULT_PROJECT)
    extent = district_extent(project.stack, args.district) if args.district else None
    render_map(project.stack, args.out, extent=extent, size=size, dpi=args.dpi,
               title=args.title, page=args.page, language=args.lang)
    print(f"wrote {args.out}")
    return 0
