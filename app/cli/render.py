"""``innoatlas render OUT.png|OUT.pdf``: a print-ready map (PNG or vector PDF), headless.

Draws the project (default: the embedded project) with the canvas renderer, plus
title, legend, scale bar, north arrow, date and the data attribution, and the sites
(the project's or ``--sites``) with their catchments and rank/score badges from the
indicators computed here, as the app shows them, through
:func:`app.ui.export.map_export.render_map`: the whole districts' extent, one district, one
of the project's scenes (``--scene``), or a PDF handout with a page per scene
(``--all-scenes``). ``--dossier OUT.pdf`` writes a site dossier instead: one A4 page per
site (app/ui/export/dossier.py); ``--ahp MATRIX.csv`` scores it with the weights of a
pairwise matrix. Qt is imported only when the subcommand runs.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path

from app.cli.common import (
    add_project_sites_radius,
    check_radius,
    file_sites,
    has_display,
    parse_size,
    run_guarded,
)


def add_render_parser(commands: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add the ``render`` subcommand to the ``innoatlas`` parser."""
    parser = commands.add_parser(
        "render",
        help="export the map as PNG or vector PDF (title, legend, scale bar)",
        description="Render the project's visible layers, as the desktop app draws them, "
        "to a PNG image or a vector PDF page with a title, legend, scale bar, "
        "north arrow, date and data attribution (synthetic/illustrative notes "
        "included).",
    )
    parser.add_argument(
        "out",
        type=Path,
        nargs="?",
        metavar="OUT.png|OUT.pdf",
        help="output file; the suffix picks the format",
    )
    parser.add_argument(
        "--dossier",
        type=Path,
        metavar="OUT.pdf",
        help="write a site dossier instead: one A4 page per site (map inset, indicators, "
        "score breakdown and its robustness, zoning, nearest stations and universities, "
        "data notes) in the --lang language",
    )
    parser.add_argument(
        "--ahp",
        type=Path,
        metavar="MATRIX.csv",
        help="with --dossier: score with the weights of a 5 × 5 pairwise (AHP) matrix, rows and "
        "columns in criterion order (startups, diversity, education, transit, floor_area); "
        "refused when its consistency ratio is above 0.1",
    )
    parser.add_argument(
        "--size",
        default="1600x1000",
        metavar="WxH",
        help="PNG size in pixels (default 1600x1000); for a PDF its aspect "
        "picks landscape or portrait",
    )
    parser.add_argument(
        "--dpi",
        type=int,
        default=150,
        metavar="N",
        help="PNG resolution; text and symbols scale with it (default 150)",
    )
    parser.add_argument(
        "--title",
        default="",
        metavar="T",
        help='map title; with --all-scenes the handout\'s title, each page reads "T — scene title"',
    )
    parser.add_argument(
        "--page",
        default="A4",
        choices=("A4", "A3"),
        type=str.upper,
        help="PDF page size (default A4)",
    )
    parser.add_argument(
        "--orientation",
        choices=("portrait", "landscape"),
        type=str.lower,
        help="PDF orientation (default: from the --size aspect)",
    )
    add_project_sites_radius(
        parser,
        sites_help="candidate sites file (GeoPackage, GeoJSON, "
        "...) drawn as the project's sites layer, with catchment "
        "circles and rank/score badges",
    )
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--scene",
        metavar="ID",
        help="map one of the project's scenes (its extent, layers and title); "
        "a project without saved scenes has gvalley, magok, yangjae",
    )
    where.add_argument(
        "--all-scenes",
        action="store_true",
        help="PDF only: one page per scene (a workshop handout)",
    )
    where.add_argument(
        "--district",
        metavar="ID",
        help="map one innovation district (its district_id) instead of all",
    )
    parser.add_argument(
        "--lang",
        default="en",
        choices=("en", "ko"),
        help="language of the legend, layer names and notes (default en)",
    )
    from app.cli.network import add_network_options

    add_network_options(parser)
    return parser


def run_render(args: argparse.Namespace, error: Callable[[str], int]) -> int:
    """Run the subcommand; every failure is ``error(one line)`` (exit code 2)."""
    return run_guarded(_run, args, error)


def _run(args: argparse.Namespace) -> int:
    from app.core.errors import InnoAtlasError as Error

    if args.dossier is not None:
        return _run_dossier(args)
    if args.out is None:
        raise Error("render needs an output file OUT.png or OUT.pdf (or --dossier OUT.pdf)")
    if args.ahp is not None:
        raise Error("--ahp sets the weights of a --dossier: add --dossier OUT.pdf")
    check_radius(args.radius)
    size = parse_size(args.size)
    if size is None:
        raise Error(f"--size must look like 1600x1000 (at least 200x150), not {args.size!r}")
    suffix = args.out.suffix.lower()
    if suffix not in (".png", ".pdf"):
        raise Error(f"cannot export a map as {args.out.name!r}: use a .png or .pdf file name")
    if args.all_scenes and suffix != ".pdf":
        raise Error("--all-scenes writes one page per scene: use a .pdf file name")
    if not has_display():
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # rendering needs no screen
    from app.cli.common import open_cli_project
    from app.core.map.catchments import mode_of
    from app.core.paths import DEFAULT_PROJECT
    from app.core.project.scenes import find_scene, scenes_from_settings
    from app.ui.export.map_export import district_extent, render_map, render_scenes

    project = open_cli_project(args.sub_project or DEFAULT_PROJECT)
    stack = project.stack
    if args.sites is not None:
        _use_sites(stack, args.sites)
    radius = args.radius if args.radius is not None else project.settings.radius_m
    from app.cli.network import draw_isochrones, resolve_network

    walking = resolve_network(args, args.sub_project or DEFAULT_PROJECT, project.settings)
    distances = draw_isochrones(stack, walking, radius)
    indicators = _site_indicators(
        stack, project.settings, radius, args.radius is None, distances=distances
    )
    scenes = (
        scenes_from_settings(project.settings.extra, stack, args.lang)
        if args.scene or args.all_scenes
        else []
    )
    if args.all_scenes:
        layouts = render_scenes(
            stack,
            args.out,
            scenes,
            size=size,
            page=args.page,
            orientation=args.orientation,
            language=args.lang,
            title=args.title,
            indicators=indicators,
            radius_m=radius,
            catchments=mode_of(project.settings.extra),
        )
    else:
        scene = find_scene(scenes, args.scene) if args.scene else None
        extent = district_extent(stack, args.district) if args.district else None
        layouts = [
            render_map(
                stack,
                args.out,
                extent=extent,
                size=size,
                dpi=args.dpi,
                title=args.title,
                page=args.page,
                orientation=args.orientation,
                scene=scene,
                language=args.lang,
                indicators=indicators,
                radius_m=radius,
                catchments=mode_of(project.settings.extra),
            )
        ]
    for note in dict.fromkeys(n for layout in layouts for n in layout.notes):
        print(f"innoatlas: note: {note}", file=sys.stderr)
    pages = f" ({len(layouts)} pages)" if len(layouts) > 1 else ""
    print(f"wrote {args.out}{pages}")
    return 0


def _run_dossier(args: argparse.Namespace) -> int:
    """``--dossier OUT.pdf``: one page per site; one line and exit 2 when there is none."""
    from app.core.errors import InnoAtlasError as Error

    if args.out is not None:
        raise Error("--dossier writes the PDF itself: drop the OUT argument")
    if args.dossier.suffix.lower() != ".pdf":
        raise Error(f"a dossier is a PDF: use a .pdf file name, not {args.dossier.name!r}")
    if args.scene or args.all_scenes or args.district:
        raise Error("--dossier maps each site: drop --scene, --all-scenes and --district")
    check_radius(args.radius)
    weights = _ahp_weights(args.ahp) if args.ahp is not None else None
    if not has_display():
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from app.cli.common import open_cli_project
    from app.core.paths import DEFAULT_PROJECT
    from app.ui.export.dossier import export_dossiers

    project = open_cli_project(args.sub_project or DEFAULT_PROJECT)
    stack = project.stack
    if args.sites is not None:
        _use_sites(stack, args.sites)
    sites = stack.get("sites")
    if sites is None or len(sites.data) == 0:
        raise Error(
            "there are no sites to write a dossier for: give --sites FILE or a project with sites"
        )
    radius = args.radius if args.radius is not None else project.settings.radius_m
    settings = project.settings
    if weights is not None:
        from dataclasses import replace

        settings = replace(settings, weights=weights.to_dict())
    from app.cli.network import draw_isochrones, resolve_network
    from app.core.network.catchment import catchment_label
    from app.core.network.layer import ISOCHRONE_LAYER

    walking = resolve_network(args, args.sub_project or DEFAULT_PROJECT, project.settings)
    distances = draw_isochrones(stack, walking, radius)  # each page's inset draws them
    indicators = _site_indicators(stack, settings, radius, args.radius is None, distances=distances)
    iso = stack.get(ISOCHRONE_LAYER) if walking is not None else None
    isochrones = (
        dict(zip(iso.data["site_id"].astype(str), iso.data.geometry.values))
        if iso is not None and "site_id" in iso.data
        else None
    )
    pages = export_dossiers(
        stack,
        args.dossier,
        indicators,
        roles=settings.roles(),
        rules=settings.zoning_rules(),
        radius_m=radius,
        language=args.lang,
        isochrones=isochrones,
        catchment=catchment_label(walking.name) if walking is not None else None,
    )
    print(f"wrote {args.dossier} ({pages} page{'s' if pages != 1 else ''})")
    return 0


def _ahp_weights(path: Path):
    """The score weights of a pairwise matrix CSV (one line of error when bad or
    inconsistent)."""
    import numpy as np

    from app.core.decisions import DecisionError
    from app.core.decisions.ahp import CR_LIMIT, ahp_weights
    from app.core.indicators.score import CRITERIA, Weights

    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise DecisionError(f"cannot read the pairwise matrix {path.name!r}: {err}") from None
    try:
        rows = [
            [_fraction(cell) for cell in line.replace(";", ",").split(",")]
            for line in text.splitlines()
            if line.strip()
        ]
    except ValueError as err:
        raise DecisionError(f"pairwise matrix {path.name!r}: {err}") from None
    if len(rows) != len(CRITERIA) or any(len(r) != len(CRITERIA) for r in rows):
        raise DecisionError(
            f"the pairwise matrix {path.name!r} must have {len(CRITERIA)} rows of "
            f"{len(CRITERIA)} numbers (startups, diversity, education, transit, floor_area)"
        )
    result = ahp_weights(np.array(rows))
    if not result.consistent:
        raise DecisionError(
            f"the pairwise matrix {path.name!r} is inconsistent: consistency ratio "
            f"{result.cr:.2f} > {CR_LIMIT:.2f}; revise its judgements"
        )
    return Weights(**{c.key: float(w) for c, w in zip(CRITERIA, result.weights, strict=True)})


def _fraction(cell: str) -> float:
    """``"3"``, ``"0.5"`` or ``"1/3"``."""
    cell = cell.strip()
    try:
        if "/" in cell:
            top, bottom = cell.split("/", 1)
            return float(top) / float(bottom)
        return float(cell)
    except (ValueError, ZeroDivisionError):
        raise ValueError(f"{cell!r} is not a number") from None


def _site_indicators(stack, settings, radius: float, site_radius: bool, distances=None):
    """The sites' indicators with rank (their badges), as the app computes them.

    The project's roles, zoning overrides and weights apply; ``site_radius`` False
    (``--radius``) gives every site the one radius, also for its catchment circle.
    """
    from app.core.export.webmap.records import site_indicators

    sites = stack.get("sites")
    if sites is None or len(sites.data) == 0:
        return None
    indicators = site_indicators(
        stack,
        radius,
        settings.roles(),
        settings.extra,
        site_radius=site_radius,
        rules=settings.zoning_rules(),
        weights=settings.score_weights(),
        distances=distances,
    )
    if not site_radius:
        sites.data["radius_m"] = float("nan")  # one R for every catchment circle
    return indicators


def _use_sites(stack, path: Path) -> None:
    """Draw the sites of ``path`` as the project's ``sites`` layer (replacing its own)."""
    from app.core.sites.edits import new_sites_layer

    layer = new_sites_layer(file_sites(path))
    old = stack.get("sites")
    if old is not None:
        index = stack.index(old)
        stack.remove(old)
        stack.insert(index, layer)
    else:
        stack.insert(0, layer)
