"""The ``innoatlas`` command: no subcommand opens the GUI; subcommands run headless.

``innoatlas [--project GPKG] [--screenshot FILE] [--size WxH]`` opens the desktop app;
``innoatlas indicators SITES ...`` computes the site indicators (app/cli/indicators.py);
``innoatlas suggest --district D -k K ...`` suggests centre sites (app/cli/suggest.py);
``innoatlas export-gpkg OUT.gpkg ...`` exports a styled GeoPackage (app/cli/export_gpkg.py);
``innoatlas export-shp OUTDIR ...`` exports Shapefiles, GeoJSON, FlatGeobuf (app/cli/export_shp.py);
``innoatlas render OUT.png|OUT.pdf ...`` exports a print map (app/cli/render.py);
``innoatlas export-html OUT.html ...`` exports an offline web map (app/cli/export_html.py);
``innoatlas import FILE --project P`` and ``innoatlas datasets``: official datasets
(app/cli/import_dataset.py).
``innoatlas isochrones SITES --network FILE ...`` writes walking isochrones (app/cli/isochrones.py).
Nothing here imports Qt until the GUI starts. Every error is one line on stderr,
``innoatlas: error: ...``, with exit code 2.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from app import __version__
from app.cli.common import has_display, parse_size


class OneLineErrorParser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line, like every other error."""

    def error(self, message: str):
        self.exit(2, f"innoatlas: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    """Argument parser of the ``innoatlas`` command and its subcommands."""
    parser = OneLineErrorParser(
        prog="innoatlas",
        description="InnoAtlas: plan innovation-support centres in Seoul's G-Valley, Magok "
        "and Yangjae/Gaepo innovation districts. With no option it opens the "
        "desktop app on the embedded default project.",
    )
    parser.add_argument("--version", action="version", version=f"InnoAtlas {__version__}")
    parser.add_argument(
        "--project",
        type=Path,
        metavar="GPKG",
        help="project GeoPackage to open (default: the embedded project)",
    )
    parser.add_argument(
        "--screenshot",
        type=Path,
        metavar="FILE.png",
        help="open the app, wait until the map is drawn, save the window to FILE and exit",
    )
    parser.add_argument(
        "--size",
        default="1280x800",
        metavar="WxH",
        help="window size for --screenshot (default 1280x800)",
    )
    commands = parser.add_subparsers(
        dest="command", metavar="COMMAND", title="headless commands (no window)"
    )
    from app.cli.compare import add_compare_parser
    from app.cli.export_gpkg import add_export_gpkg_parser
    from app.cli.export_html import add_export_html_parser
    from app.cli.export_shp import add_export_shp_parser
    from app.cli.import_dataset import add_import_parser
    from app.cli.indicators import add_indicators_parser
    from app.cli.isochrones import add_isochrones_parser
    from app.cli.render import add_render_parser
    from app.cli.suggest import add_suggest_parser

    add_indicators_parser(commands)
    add_suggest_parser(commands)
    add_export_gpkg_parser(commands)
    add_export_shp_parser(commands)
    add_render_parser(commands)
    add_export_html_parser(commands)
    add_compare_parser(commands)
    add_import_parser(commands)
    add_isochrones_parser(commands)
    return parser


def error(message: str) -> int:
    """Print the one-line error every subcommand uses and return exit code 2."""
    print(f"innoatlas: error: {message}", file=sys.stderr)
    return 2


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``innoatlas`` console script."""
    args = build_parser().parse_args(argv)
    if args.command == "indicators":
        from app.cli.indicators import run_indicators

        return run_indicators(args, error)
    if args.command == "suggest":
        from app.cli.suggest import run_suggest

        return run_suggest(args, error)
    if args.command == "export-gpkg":
        from app.cli.export_gpkg import run_export_gpkg

        return run_export_gpkg(args, error)
    if args.command == "export-shp":
        from app.cli.export_shp import run_export_shp

        return run_export_shp(args, error)
    if args.command == "render":
        from app.cli.render import run_render

        return run_render(args, error)
    if args.command == "isochrones":
        from app.cli.isochrones import run_isochrones

        return run_isochrones(args, error)
    if args.command == "export-html":
        from app.cli.export_html import run_export_html

        return run_export_html(args, error)
    if args.command == "compare":
        from app.cli.compare import run_compare

        return run_compare(args, error)
    if args.command in ("import", "datasets"):
        from app.cli.import_dataset import run_datasets, run_import

        return (run_import if args.command == "import" else run_datasets)(args, error)
    from app.core.paths import DEFAULT_PROJECT

    project = args.project or DEFAULT_PROJECT
    size = parse_size(args.size)
    if size is None:
        return error(f"--size must look like 1280x800 (at least 200x150), not {args.size!r}")
    if args.screenshot is not None and not args.screenshot.resolve().parent.is_dir():
        return error(f"cannot write the screenshot to {args.screenshot}: no such folder")
    if args.screenshot is not None and not has_display():
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # a screenshot needs no screen
    if not has_display():
        return error(
            "no display found: run under a desktop session or xvfb-run, or set "
            "QT_QPA_PLATFORM=offscreen"
        )
    return _gui(project, args.screenshot, size)


def _gui(project: Path, screenshot: Path | None, size: tuple[int, int]) -> int:
    # The kept picture of an unchanged project is shown before the heavy imports below
    # (pandas, geopandas, the window's modules): app/ui/window/first_frame.py.
    from app.ui.window.first_frame_state import likely_shown

    if not likely_shown(project):
        # Nothing to show first: import the heavy Qt-free modules before PySide6, which
        # reads the source of every module imported after it.
        import app.core.export.geopackage
        import app.core.indicators.engine
        import app.core.project.store  # noqa: F401
    from app.ui.window.first_frame import begin

    start = begin(project, size if screenshot is not None else None)
    if start.frame is not None:  # the picture stays painted while the rest is imported
        start.frame.import_in_steps(
            ("pandas", "geopandas", "app.core.project.store", "app.ui.window.main_window")
        )
        if start.frame.cancelled:  # the user closed the picture: the start ends
            return 0
    from app.ui.gui import run_gui

    return run_gui(project, screenshot, size, start)


if __name__ == "__main__":
    sys.exit(main())
