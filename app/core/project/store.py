"""A project is one GeoPackage: every layer, the sites, and a settings table.

Saving is atomic: everything is written to a temporary file in the target's
folder, then moved over the target with ``os.replace``; a crash or a failure
mid-save leaves the previous file as it was.
"""

from __future__ import annotations

import copy
import json
import sqlite3
from collections.abc import Collection, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol

import pyogrio

from app import __version__
from app.core.errors import InnoAtlasError, ProjectLoadError, first_line
from app.core.formats.atomic_write import write_atomically
from app.core.formats.gpkg import readonly_uri
from app.core.progress import Progress
from app.core.project.foreign import copy_foreign
from app.core.project.kept_rows import kept_note, kept_rows, write_kept_rows
from app.core.project.loader import check_geopackage, load_project, read_layer
from app.core.project.origins import (
    origin_of,
    rebase,
    set_origin,
    source_file,
    typed_for_writing,
)
from app.core.project.saved_styles import apply_saved_styles, write_saved_styles
from app.core.project.scenario_store import (
    SCENARIOS_TABLE,
    live_catchment,
    scenarios_of,
    stored_sites,
    write_scenarios_table,
)
from app.core.project.settings_check import parse_settings
from app.core.project.site_tables import (
    SITE_TABLES,
    read_sites,
    site_origin,
    table_names,
    write_site_tables,
)
from app.core.project.temporaries import remove_stale_temporaries, temporary_suffix
from app.core.sites.edits import normalise_sites
from layers.model import LayerStack
from layers.provenance import PROVENANCE_COLUMNS, PROVENANCE_TABLE
from layers.themes.sites import DEFAULT_RADIUS_M
from layers.themes.sites import SPEC as SITES_SPEC

SETTINGS_TABLE = "innoatlas_project"
#: ``extra`` key of the sites layer's style when the user changed it.
SITES_STYLE_KEY = "sites_style"
SITES_STYLE_LAYER = "sites"
#: Bumped when a project written by this version cannot be read by older ones.
FORMAT_VERSION = 1


class ProjectSaveError(InnoAtlasError):
    """The project could not be written; the previous file is unchanged."""


@dataclass
class ProjectSettings:
    """Everything about a project that is not a layer's features."""

    radius_m: float = DEFAULT_RADIUS_M
    language: str = "en"
    #: ``[centre_x, centre_y, resolution]`` of the map, or empty for the districts.
    view: list[float] = field(default_factory=list)
    #: Panel order, top first: ``[{"name", "visible", "opacity"}, ...]``.
    layers: list[dict[str, Any]] = field(default_factory=list)
    weights: dict[str, float] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> ProjectSettings:
        """Parse the stored JSON; unusable values get their default (see :meth:`parse`)."""
        return cls.parse(text)[0]

    @classmethod
    def parse(cls, text: str) -> tuple[ProjectSettings, list[str]]:
        """Parse and check the stored JSON (app/core/project/settings_check.py).

        Returns
        -------
        ProjectSettings, list of str
            The settings, each unusable value (NaN, infinite, absurd, wrong type)
            replaced by its default, and one note per replaced setting.

        Raises
        ------
        ValueError
            When the JSON is damaged or is not an object (one short line).
        """
        values, notes = parse_settings(text)
        return cls(**values), notes

    def score_weights(self):
        """The saved score weights (defaults for missing keys)."""
        from app.core.indicators.score import Weights

        return Weights.from_dict(self.weights)

    def zoning_rules(self):
        """The shipped zoning rules with this project's saved permission overrides.

        Raises
        ------
        InnoAtlasError
            When the saved overrides name an unknown zone, use class or symbol.
        """
        from app.core.zoning.rules import ZoningRules

        records = self.extra.get("zoning_overrides") or []
        try:
            overrides = ZoningRules.overrides_from_records(records)
        except (TypeError, KeyError, AttributeError):
            raise InnoAtlasError("the project's zoning overrides are unreadable") from None
        return ZoningRules.default().with_overrides(overrides)

    def roles(self) -> dict[str, str]:
        """Which layer plays each role for the indicators: ``{role: layer name}``."""
        from app.core.project.user_layers import roles_of

        return roles_of(self.extra)

    def capture_layers(self, stack: LayerStack) -> None:
        """Record the stack's order, visibility and opacity, and the imported layers."""
        from app.core.project.user_layers import USER_LAYERS_KEY, user_layer_records
        from layers.style_io import style_to_dict

        self.layers = [
            {"name": layer.name, "visible": layer.visible, "opacity": layer.opacity}
            for layer in stack
        ]
        records = user_layer_records(stack, style_to_dict)
        if records:
            self.extra[USER_LAYERS_KEY] = records
        else:
            self.extra.pop(USER_LAYERS_KEY, None)
        sites = stack.get(SITES_STYLE_LAYER)
        if sites is not None and sites.style != SITES_SPEC.style:
            # the sites' style whole (layer_styles holds it split by geometry type)
            self.extra[SITES_STYLE_KEY] = style_to_dict(sites.style)
        else:
            self.extra.pop(SITES_STYLE_KEY, None)
        _capture_titles(self.extra, stack)
        roles = {role: name for role, name in self.roles().items() if name in stack}
        if roles:
            self.extra["roles"] = roles
        else:
            self.extra.pop("roles", None)
        from app.core.project.coverage import COVERAGE_KEY, prune_coverage

        kept = prune_coverage(self.extra, [layer.name for layer in stack]).get(COVERAGE_KEY)
        if kept:  # a removed or renamed layer's coverage record goes
            self.extra[COVERAGE_KEY] = kept
        else:
            self.extra.pop(COVERAGE_KEY, None)

    def apply_layers(self, stack: LayerStack) -> None:
        """Restore order, visibility and opacity; unknown names are ignored."""
        wanted = [entry for entry in self.layers if entry.get("name") in stack]
        for position, entry in enumerate(wanted):
            layer = stack.get(entry["name"])
            assert layer is not None  # wanted holds only names in the stack
            stack.move(stack.index(layer), position)
            layer.set_visible(bool(entry.get("visible", True)))
            layer.set_opacity(float(entry.get("opacity", 1.0)))
        _apply_titles(self.extra, stack)


#: ``extra`` key of the display titles of renamed default layers: ``{name: [en, ko]}``
#: (imported layers keep theirs in their own record).
TITLES_KEY = "layer_titles"


def _capture_titles(extra: dict[str, Any], stack: LayerStack) -> None:
    from app.core.project.user_layers import is_user_layer
    from layers.themes.registry import SPECS_BY_NAME

    titles = {}
    for layer in stack:
        spec = SPECS_BY_NAME.get(layer.name)
        if spec is None or is_user_layer(layer):
            continue
        if (layer.title_en, layer.title_ko) != (spec.title_en, spec.title_ko):
            titles[layer.name] = [layer.title_en, layer.title_ko]
    if titles:
        extra[TITLES_KEY] = titles
    else:
        extra.pop(TITLES_KEY, None)


def _apply_titles(extra: dict[str, Any], stack: LayerStack) -> None:
    titles = extra.get(TITLES_KEY)
    if not isinstance(titles, dict):
        return
    for name, pair in titles.items():
        layer = stack.get(str(name))
        if layer is not None and isinstance(pair, list) and len(pair) == 2:
            layer.set_titles(str(pair[0]), str(pair[1]))


@dataclass
class Project:
    """A loaded project: its layers (sites included) and settings."""

    stack: LayerStack
    settings: ProjectSettings
    path: Path | None = None
    #: Things the user should know about the file (e.g. an imported layer that was skipped).
    notes: list[str] = field(default_factory=list)


def read_settings(path: Path, notes: list[str] | None = None) -> tuple[ProjectSettings, int] | None:
    """Settings and format version stored in ``path``, or ``None`` if it has none.

    Parameters
    ----------
    path : Path
        A project GeoPackage.
    notes : list of str, optional
        Receives one note per saved setting that was unusable and replaced by its
        default (app/core/project/settings_check.py).

    Raises
    ------
    ProjectLoadError
        When the format version or the settings cannot be read (one short line).
    """
    try:
        with sqlite3.connect(readonly_uri(path), uri=True) as con:
            rows = dict(con.execute(f'SELECT key, value FROM "{SETTINGS_TABLE}"').fetchall())
    except sqlite3.Error:
        return None
    version = _format_version(Path(path), rows.get("format_version", "1"))
    if version > FORMAT_VERSION:
        return ProjectSettings(), version  # not read: a newer format may differ
    try:
        settings, found = ProjectSettings.parse(rows.get("settings", "{}"))
    except ValueError as err:
        raise ProjectLoadError(
            f"{Path(path).name} has unreadable project settings ({err})"
        ) from None
    if notes is not None:
        notes.extend(f"{Path(path).name}: {note}" for note in found)
    return settings, version


def _format_version(path: Path, value: object) -> int:
    """The stored ``format_version``: a whole number >= 1, else a one-line error."""
    text = str(value).strip() if isinstance(value, (str, int)) else ""
    if not (text.isascii() and text.isdigit() and len(text) <= 9 and int(text) >= 1):
        raise ProjectLoadError(f"{path.name} has an unreadable project format version")
    return int(text)


def check_format_version(path: Path, version: int) -> None:
    """Refuse a project saved in a newer format than this version reads.

    Raises
    ------
    ProjectLoadError
        ``version`` is above :data:`FORMAT_VERSION`.
    """
    if version > FORMAT_VERSION:
        raise ProjectLoadError(
            f"{Path(path).name} was saved by a newer InnoAtlas (project format "
            f"{version}; this version reads up to {FORMAT_VERSION})"
        )


def open_project(
    path: Path, progress: Progress | None = None, defer: Collection[str] = ()
) -> Project:
    """Load a project GeoPackage (the embedded default one included).

    Unusable saved settings get their defaults, and features whose geometry cannot be
    read are kept aside (:mod:`app.core.project.kept_rows`) to be written back unchanged
    by :func:`save_project`; both are named in ``Project.notes``. Stale temporaries of
    killed saves of this project are deleted.

    ``defer`` names layers (default or imported) read without their features, for the
    caller to read later with :func:`~app.core.project.loader.read_layer` (the app reads
    a large table after its window shows).

    Raises
    ------
    ProjectLoadError
        Not a GeoPackage, not an InnoAtlas project, from a newer version, or damaged.
    """
    path = Path(path)
    check_geopackage(path)
    notes: list[str] = []
    stored = read_settings(path, notes)
    if stored is not None:
        check_format_version(path, stored[1])
    remove_stale_temporaries(path)
    try:
        stack = load_project(path, progress, defer)
    except ProjectLoadError as err:
        if stored is None and "lacks the layer" in str(err):
            raise ProjectLoadError(
                f"{path.name} is not an InnoAtlas project "
                f"({str(err).split(' lacks ', 1)[1]} missing)"
            ) from None
        raise
    names = {str(name) for name, _ in pyogrio.list_layers(path)}
    settings = stored[0] if stored else ProjectSettings()
    # sites_points + sites_areas (or legacy sites): the current scenario's, the others attached
    sites, site_notes = read_sites(path, names, settings.language)
    scenarios_of(sites).sync_current(
        settings.radius_m, settings.weights, live_catchment(settings.extra)
    )
    set_origin(sites, site_origin(path, names))
    stack.insert(0, sites)
    notes += site_notes
    notes += _read_user_layers(path, stack, settings, names, defer)
    settings.apply_layers(stack)
    notes += _apply_sites_style(sites, settings)
    notes += apply_saved_styles(path, stack)  # a style QGIS gave the sites tables wins
    notes += [note for layer in stack if (note := kept_note(layer, path.name))]
    return Project(stack, settings, path, notes)


def _read_user_layers(
    path: Path,
    stack: LayerStack,
    settings: ProjectSettings,
    tables: set[str],
    defer: Collection[str] = (),
) -> list[str]:
    """Add the imported layers listed in the settings (under the sites, over the rest)."""
    from app.core.project.loader import read_provenance
    from app.core.project.user_layers import user_layer_specs
    from layers.style_io import style_from_dict

    specs, notes = user_layer_specs(settings.extra, style_from_dict)
    provenance = read_provenance(path) if specs else {}  # most projects have none
    position = 1
    for spec in specs:
        if spec.name not in tables:
            notes.append(f"imported layer '{spec.title_en}' is missing from {path.name}")
            continue
        if spec.name in stack:
            continue
        try:
            layer = read_layer(path, spec, provenance.get(spec.name), empty=spec.name in defer)
        except ProjectLoadError as err:
            notes.append(f"{err}; the layer was skipped")
            continue
        stack.insert(position, layer)
        position += 1
    return notes


def _apply_sites_style(sites, settings: ProjectSettings) -> list[str]:
    """Give the sites the style saved in the settings, if any (a note when unreadable)."""
    from layers.style_io import style_from_dict

    record = settings.extra.get(SITES_STYLE_KEY)
    if record is None:
        return []
    try:
        sites.set_style(style_from_dict(record))
    except (TypeError, KeyError, ValueError, AttributeError):
        return ["the saved style of the sites is damaged; the default style is used"]
    return []


def _write_layers(target: Path, stack: LayerStack) -> None:
    first = True
    for layer in stack.draw_order():
        data = layer.data
        if layer.name == "sites":  # one table per geometry type (site_tables.py)
            origin = origin_of(layer)
            if origin is not None:  # columns added in QGIS keep their declared type
                data = typed_for_writing(data, origin.column_types)
            data = stored_sites(layer, normalise_sites(data))  # every scenario's sites
            write_site_tables(target, data, append=not first, layer=layer)
            first = False
            continue
        kwargs: dict[str, Any] = {"layer": layer.name, "driver": "GPKG", "append": not first}
        origin = origin_of(layer)
        if origin is not None:
            data = typed_for_writing(data, origin.column_types)
            if origin.geometry_column:
                kwargs["layer_options"] = {"GEOMETRY_NAME": origin.geometry_column}
        if first:
            kwargs["dataset_options"] = {"VERSION": "1.2"}
        if layer.geometry_kind == "mixed":
            kwargs["geometry_type"] = "Unknown"
        elif len(data) == 0:
            kwargs["geometry_type"] = "Unknown"
        pyogrio.write_dataframe(data, target, **kwargs)
        first = False
        kept = kept_rows(layer)
        if kept is not None:
            write_kept_rows(target, layer.name, kept)


def write_project_tables(target: Path, stack: LayerStack, settings: ProjectSettings) -> None:
    """Add the provenance and settings attribute tables to the GeoPackage ``target``.

    Both have an INTEGER primary key ``fid`` (GeoPackage requirement 119: a user
    table's key must be an integer; ``key`` is UNIQUE instead) and a ``gpkg_contents``
    row of data type ``attributes``.
    """
    with sqlite3.connect(target) as con:
        for table, columns in (
            (PROVENANCE_TABLE, PROVENANCE_COLUMNS),
            (SETTINGS_TABLE, ("key", "value")),
        ):
            column_sql = ", ".join(
                f'"{c}" TEXT' + (" NOT NULL UNIQUE" if c == "key" else "") for c in columns
            )
            con.execute(
                f'CREATE TABLE "{table}" (fid INTEGER PRIMARY KEY AUTOINCREMENT, {column_sql})'
            )
            con.execute(
                "INSERT INTO gpkg_contents (table_name, data_type, identifier) "
                "VALUES (?, 'attributes', ?)",
                (table, table),
            )
        con.executemany(
            f'INSERT INTO "{PROVENANCE_TABLE}" ({", ".join(PROVENANCE_COLUMNS)}) '
            f"VALUES ({', '.join('?' for _ in PROVENANCE_COLUMNS)})",
            [
                [name] + [layer.provenance.as_record()[c] for c in PROVENANCE_COLUMNS[1:]]
                for layer in stack
                for name in table_names(layer.name)
            ],
        )
        con.executemany(
            f'INSERT INTO "{SETTINGS_TABLE}" ("key", "value") VALUES (?, ?)',
            [
                ("format_version", str(FORMAT_VERSION)),
                ("app_version", __version__),
                ("settings", settings.to_json()),
            ],
        )
    con.close()


class ExtraTables(Protocol):
    """Tables a save writes besides the layers (see ``save_project(extra_tables=…)``)."""

    def owned_tables(self) -> set[str]:
        """The names of the tables :meth:`write_tables` writes."""
        ...

    def write_tables(self, target: Path) -> None:
        """Write them into the GeoPackage being saved (which does not hold them yet)."""
        ...


def save_project(
    path: Path,
    stack: LayerStack,
    settings: ProjectSettings,
    *,
    remember: bool = True,
    extra_tables: Sequence[ExtraTables] = (),
) -> list[str]:
    """Write the whole project to ``path`` atomically, keeping what it does not own.

    The app's layers and tables are written; every other table, metadata row and
    style row of the file the project was opened from is copied unchanged
    (:mod:`app.core.project.foreign`, :mod:`app.core.project.saved_styles`).

    Parameters
    ----------
    path : Path
        The project file (replaced atomically).
    stack : LayerStack
        The layers.
    settings : ProjectSettings
        Settings saved alongside.
    remember : bool
        True (a real save): ``path`` becomes where the layers come from, with the styles
        saved. False for a recovery copy (autosave), which must not change that.
    extra_tables : sequence of ExtraTables
        More tables the app owns (the participation results): each writes them into the
        new file and names them, so that the copy of the source's tables leaves them out.

    Returns
    -------
    list of str
        Notes for the user: what of the source file could not be carried over.

    Raises
    ------
    ProjectSaveError
        When the folder is not writable, the disk is full, or a layer cannot be
        written; the previous file at ``path`` is left unchanged.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise ProjectSaveError(f"cannot save to {path}: the folder does not exist")
    settings = copy.deepcopy(settings)  # the caller's settings change only on success
    settings.capture_layers(stack)
    remove_stale_temporaries(path)

    source = source_file(stack)
    notes: list[str] = []

    def write(temp: Path) -> None:
        _write_layers(temp, stack)
        write_project_tables(temp, stack, settings)
        sites = stack.get("sites")
        if sites is not None:
            write_scenarios_table(
                temp, scenarios_of(sites), settings.radius_m, settings.weights, settings.extra
            )
        for extra in extra_tables:
            extra.write_tables(temp)
        if source is not None:
            owned = _owned_tables(source, stack)
            for extra in extra_tables:
                owned |= set(extra.owned_tables())
            try:
                copy_foreign(source, temp, owned)
            except sqlite3.Error as err:
                notes.append(
                    f"the tables of {source.name} that InnoAtlas does not own could not be "
                    f"read ({first_line(err)}); they are not in {path.name}"
                )
        write_saved_styles(temp, stack, source)

    write_atomically(
        path,
        write,
        ProjectSaveError,
        verb="save",
        suffix=temporary_suffix(),
        folder_hint=" (read-only folder? choose another with Save As)",
        failure_hint="; the previous file is unchanged",
    )
    if remember:
        rebase(stack, path)
    return notes


def _owned_tables(source: Path, stack: LayerStack) -> set[str]:
    """The app's tables: its layers now, the default ones, and every layer the source's
    settings list (a layer removed in this session is not brought back)."""
    from app.core.project.user_layers import USER_LAYERS_KEY
    from layers.themes.registry import DEFAULT_SPECS

    owned = {layer.name for layer in stack} | {spec.name for spec in DEFAULT_SPECS}
    owned |= {"sites", *SITE_TABLES, SETTINGS_TABLE, PROVENANCE_TABLE, SCENARIOS_TABLE}
    try:
        stored = read_settings(source)
    except ProjectLoadError:
        stored = None
    if stored is not None:
        saved = stored[0]
        owned |= {str(entry.get("name")) for entry in saved.layers if isinstance(entry, dict)}
        records = saved.extra.get(USER_LAYERS_KEY) or []
        owned |= {str(r.get("name")) for r in records if isinstance(r, dict)}
    return owned
