"""Helpers shared by the ``innoatlas`` subcommands (Qt-free)."""

from __future__ import annotations

import argparse
import math
import os
import sys
import warnings
from collections.abc import Callable
from pathlib import Path

from app.core.errors import InnoAtlasError


def run_guarded(
    run: Callable[[argparse.Namespace], int], args: argparse.Namespace, error: Callable[[str], int]
) -> int:
    """``run(args)`` with every failure turned into ``error(one line)`` (exit code 2)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # stderr carries errors and notes only
            return run(args)
    except InnoAtlasError as err:
        return error(str(err))
    except Exception as err:  # never a traceback on the command line
        detail = str(err).strip().splitlines()[0] if str(err).strip() else ""
        return error(f"unexpected {type(err).__name__}: {detail}")


SITES_HELP = (
    "sites file (any vector format and CRS; points and/or polygons) instead of "
    "the project's sites layer"
)


def add_project_sites_radius(parser: argparse.ArgumentParser, sites_help: str = SITES_HELP) -> None:
    """The ``--project``, ``--sites`` and ``--radius`` options the exports share."""
    parser.add_argument(
        "--project",
        type=Path,
        metavar="GPKG",
        dest="sub_project",
        help="project GeoPackage (default: the embedded project)",
    )
    parser.add_argument("--sites", type=Path, metavar="SITES", help=sites_help)
    parser.add_argument(
        "--radius",
        type=float,
        metavar="M",
        help="catchment radius in metres for every site (default: each "
        "site's radius_m where set, else the project's radius)",
    )


def check_radius(radius: float | None) -> None:
    """Raise InnoAtlasError unless ``--radius`` is unset or a number of metres >= 0."""
    if radius is not None and not (math.isfinite(radius) and radius >= 0):
        raise InnoAtlasError(f"--radius must be a number of metres >= 0, not {radius}")


def file_sites(path: Path):
    """Sites read from a file (``--sites``), with the sites schema; missing ids and
    kinds filled. Ids are derived from the features (:func:`~app.core.sites.identity.derive_ids`:
    the same file, the same ids, and the file is not changed). Read notes go to stderr;
    anything but points/polygons is refused."""
    from app.core.formats.vector import InputError, read_vector
    from app.core.sites.edits import normalise_sites
    from app.core.sites.identity import derive_ids

    project_sites = read_project_sites(path)
    if project_sites is not None:  # an InnoAtlas GeoPackage: sites_points + sites_areas
        return project_sites
    sites = read_vector(path, "sites", preferred_layer="sites")
    for note in sites.notes:
        print(f"innoatlas: note: {note}", file=sys.stderr)
    frame = sites.frame
    types = set(frame.geom_type.unique()) - {"Point", "MultiPoint", "Polygon", "MultiPolygon"}
    if types:
        raise InputError(
            f"sites file {path} must hold points or polygons, not {', '.join(sorted(types))}"
        )
    if frame.geometry.name != "geometry":
        frame = frame.rename_geometry("geometry")
    frame, notes = derive_ids(frame)  # the same file gives the same ids every time
    for note in notes:
        print(f"innoatlas: note: sites file {path.name}: {note}", file=sys.stderr)
    frame = normalise_sites(frame)
    return frame


def read_project_sites(path: Path):
    """The sites of a GeoPackage the app wrote (its ``sites_points`` and ``sites_areas``
    tables, merged as the app opens them), or None when ``path`` has no such tables."""
    import pyogrio

    from layers.themes.sites import LEGACY_TABLE, SITE_TABLES

    if Path(path).suffix.lower() != ".gpkg" or not Path(path).is_file():
        return None
    try:
        tables = {str(name) for name, _ in pyogrio.list_layers(path)}
    except Exception:
        return None  # the ordinary reader gives the error
    if not set(SITE_TABLES) & tables or LEGACY_TABLE in tables:
        return None
    from app.core.project.site_tables import read_sites

    layer, notes = read_sites(Path(path), tables)
    print_notes(notes)
    frame = layer.data
    return frame.rename_geometry("geometry") if frame.geometry.name != "geometry" else frame


def parse_size(text: str) -> tuple[int, int] | None:
    """``"1280x800"`` → ``(1280, 800)``; None unless at least 200x150."""
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        return None
    return (width, height) if width >= 200 and height >= 150 else None


def has_display() -> bool:
    """False on Linux with neither an X11/Wayland display nor a Qt platform set."""
    if sys.platform != "linux" or os.environ.get("QT_QPA_PLATFORM"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def write_output(text: str, out: Path | None, bom: bool) -> None:
    """Write ``text`` to ``out`` (UTF-8, with a BOM if asked) or to standard output."""
    from app.core.formats.atomic_write import write_text_atomically
    from app.core.formats.vector import InputError

    if out is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    write_text_atomically(out, text, InputError, encoding="utf-8-sig" if bom else "utf-8")


def saved_settings(args: argparse.Namespace):
    """The ProjectSettings saved in ``--project`` (radius, weights, zoning overrides),
    or None when no project was given or it has none.

    A project of a newer format is refused (InnoAtlasError); settings replaced by their
    defaults are ``innoatlas: note:`` lines."""
    project = getattr(args, "sub_project", None) or getattr(args, "project", None)
    if project is None:
        return None
    from app.core.project.loader import check_geopackage
    from app.core.project.store import check_format_version, read_settings

    check_geopackage(project)
    notes: list[str] = []
    stored = read_settings(project, notes)
    if stored is None:
        return None
    check_format_version(project, stored[1])
    print_notes(notes)
    return stored[0]


def open_cli_project(path: Path):
    """:func:`~app.core.project.store.open_project` with its notes (settings replaced
    by defaults, features that cannot be read) as ``innoatlas: note:`` lines."""
    from app.core.project.store import open_project

    project = open_project(path)
    print_notes(project.notes)
    return project


def print_notes(notes) -> None:
    """Each note as one ``innoatlas: note:`` line on stderr."""
    for note in notes:
        print(f"innoatlas: note: {note}", file=sys.stderr)


def role_table(saved, role: str, available: set[str]) -> str:
    """The project table that plays ``role`` ("startups", "zoning" ...).

    Parameters
    ----------
    saved : ProjectSettings or None
        From :func:`saved_settings`.
    role : str
        The role, also the name of the default layer that plays it.
    available : set of str
        The tables of the project GeoPackage.

    Returns
    -------
    str
        The layer the project assigned to ``role`` (File → Add layer… with a role) when
        it is among ``available``, else ``role``: the indicators then read what the app
        reads for this project.
    """
    assigned = saved.roles().get(role) if saved is not None else None
    return assigned if assigned in available else role


def table_coverages(project: Path, saved, tables: dict) -> tuple[dict, dict]:
    """The coverage areas and titles of the role layers read as tables (the command line).

    Parameters
    ----------
    project : Path
        The project GeoPackage.
    saved : ProjectSettings or None
        From :func:`saved_settings` (roles, coverage records, imported layers' titles).
    tables : dict
        ``{role: (table name, frame)}`` of the project layers that play the roles
        (override files are not included: they cover the whole map).

    Returns
    -------
    (dict, dict)
        ``{role: covered area or None}`` (app.core.project.coverage) and ``{role:
        the layer's title}``.
    """
    import pyogrio

    from app.core.formats.vector import read_vector
    from app.core.project.coverage import coverage_geometry, named_coverage, saved_coverage
    from app.core.project.user_layers import USER_LAYERS_KEY, is_user_name
    from layers.themes.registry import SPECS_BY_NAME

    extra = saved.extra if saved is not None else {}
    titles = {}
    records = extra.get(USER_LAYERS_KEY)
    named = {
        str(r.get("name")): str(r.get("title_en") or r.get("name"))
        for r in (records if isinstance(records, list) else [])
        if isinstance(r, dict)
    }
    for role, (table, _) in tables.items():
        spec = SPECS_BY_NAME.get(table)
        titles[role] = named.get(table) or (spec.title_en if spec is not None else table)
    if not any(is_user_name(t) or saved_coverage(extra, t) for t, _ in tables.values()):
        return {role: None for role in tables}, titles
    available = {str(layer) for layer, _ in pyogrio.list_layers(project)}
    areas = {
        name: read_vector(project, name, preferred_layer=name).frame if name in available else None
        for name in ("districts", "dong")
    }
    coverage = {
        role: coverage_geometry(
            named_coverage(table, frame, extra, areas["districts"], areas["dong"]),
            areas["districts"],
            areas["dong"],
            frame,
        )
        for role, (table, frame) in tables.items()
    }
    return coverage, titles
