"""A project is one GeoPackage: every layer, the sites, and a settings table.

Saving is atomic: everything is written to a temporary file in the target's
folder, then moved over the target with ``os.replace``; a crash or a failure
mid-save leaves the previous file as it was.
"""

from __future__ import annotations

import copy
import json
import sqlite3
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pyogrio

from app import __version__
from app.core.errors import InnoAtlasError, ProjectLoadError
from app.core.formats.atomic_write import write_atomically
from app.core.formats.gpkg import readonly_uri
from app.core.progress import Progress
from app.core.project.loader import check_geopackage, load_project, read_layer
from app.core.sites.edits import new_sites_layer, normalise_sites
from layers.model import LayerStack
from layers.provenance import PROVENANCE_COLUMNS, PROVENANCE_TABLE
from layers.themes.sites import DEFAULT_RADIUS_M
from layers.themes.sites import SPEC as SITES_SPEC

SETTINGS_TABLE = "innoatlas_project"
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
        """Parse and check the stored JSON.

        Raises
        ------
        ValueError
            When the JSON is damaged or a value has the wrong type.
        """
        data = json.loads(text)
        if not isinstance(data, dict):
            raise ValueError("settings are not a JSON object")
        known = {f for f in cls.__dataclass_fields__}
        settings = cls(**{k: v for k, v in data.items() if k in known})
        settings._check()
        return settings

    def _check(self) -> None:
        ok = (
            isinstance(self.radius_m, (int, float))
            and self.radius_m >= 0
            and isinstance(self.language, str)
            and isinstance(self.view, list)
            and len(self.view) in (0, 3)
            and all(isinstance(v, (int, float)) for v in self.view)
            and isinstance(self.layers, list)
            and all(
                isinstance(e, dict)
                and isinstance(e.get("name"), str)
                and isinstance(e.get("visible", True), bool)
                and isinstance(e.get("opacity", 1.0), (int, float))
                for e in self.layers
            )
            and isinstance(self.weights, dict)
            and all(isinstance(v, (int, float)) for v in self.weights.values())
            and isinstance(self.extra, dict)
        )
        if not ok:
            raise ValueError("a setting has the wrong type")

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
        roles = {role: name for role, name in self.roles().items() if name in stack}
        if roles:
            self.extra["roles"] = roles
        else:
            self.extra.pop("roles", None)

    def apply_layers(self, stack: LayerStack) -> None:
        """Restore order, visibility and opacity; unknown names are ignored."""
        wanted = [entry for entry in self.layers if entry.get("name") in stack]
        for position, entry in enumerate(wanted):
            layer = stack.get(entry["name"])
            assert layer is not None  # wanted holds only names in the stack
            stack.move(stack.index(layer), position)
            layer.set_visible(bool(entry.get("visible", True)))
            layer.set_opacity(float(entry.get("opacity", 1.0)))


@dataclass
class Project:
    """A loaded project: its layers (sites included) and settings."""

    stack: LayerStack
    settings: ProjectSettings
    path: Path | None = None
    #: Things the user should know about the file (e.g. an imported layer that was skipped).
    notes: list[str] = field(default_factory=list)


def read_settings(path: Path) -> tuple[ProjectSettings, int] | None:
    """Settings and format version stored in ``path``, or ``None`` if it has none."""
    try:
        with sqlite3.connect(readonly_uri(path), uri=True) as con:
            rows = dict(con.execute(f'SELECT key, value FROM "{SETTINGS_TABLE}"').fetchall())
    except sqlite3.Error:
        return None
    try:
        version = int(rows.get("format_version", "1"))
        settings = ProjectSettings.from_json(rows.get("settings", "{}"))
    except (ValueError, TypeError) as err:
        raise ProjectLoadError(
            f"{Path(path).name} has unreadable project settings ({err})"
        ) from None
    return settings, version


def open_project(path: Path, progress: Progress | None = None) -> Project:
    """Load a project GeoPackage (the embedded default one included).

    Raises
    ------
    ProjectLoadError
        Not a GeoPackage, not an InnoAtlas project, from a newer version, or damaged.
    """
    path = Path(path)
    check_geopackage(path)
    stored = read_settings(path)
    if stored is not None and stored[1] > FORMAT_VERSION:
        raise ProjectLoadError(
            f"{path.name} was saved by a newer InnoAtlas (project format "
            f"{stored[1]}; this version reads up to {FORMAT_VERSION})"
        )
    try:
        stack = load_project(path, progress)
    except ProjectLoadError as err:
        if stored is None and "lacks the layer" in str(err):
            raise ProjectLoadError(
                f"{path.name} is not an InnoAtlas project "
                f"({str(err).split(' lacks ', 1)[1]} missing)"
            ) from None
        raise
    names = {str(name) for name, _ in pyogrio.list_layers(path)}
    if "sites" in names:
        sites = read_layer(path, SITES_SPEC)
        stack.insert(0, new_sites_layer(sites.data))
    else:
        stack.insert(0, new_sites_layer())
    settings = stored[0] if stored else ProjectSettings()
    notes = _read_user_layers(path, stack, settings, names)
    settings.apply_layers(stack)
    return Project(stack, settings, path, notes)


def _read_user_layers(
    path: Path, stack: LayerStack, settings: ProjectSettings, tables: set[str]
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
            layer = read_layer(path, spec, provenance.get(spec.name))
        except ProjectLoadError as err:
            notes.append(f"{err}; the layer was skipped")
            continue
        stack.insert(position, layer)
        position += 1
    return notes


def _write_layers(target: Path, stack: LayerStack) -> None:
    first = True
    for layer in stack.draw_order():
        data = layer.data
        if layer.name == "sites":
            data = normalise_sites(data)
        kwargs = {"layer": layer.name, "driver": "GPKG", "append": not first}
        if first:
            kwargs["dataset_options"] = {"VERSION": "1.2"}
        if layer.geometry_kind == "mixed":
            kwargs["geometry_type"] = "Unknown"
        elif len(data) == 0:
            kwargs["geometry_type"] = "Unknown"
        pyogrio.write_dataframe(data, target, **kwargs)
        first = False


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
                [layer.name] + [layer.provenance.as_record()[c] for c in PROVENANCE_COLUMNS[1:]]
                for layer in stack
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


STALE_SECONDS = 300


def _remove_stale_temporaries(folder: Path, stem: str) -> None:
    """Delete temporaries left by a save that was killed (older than 5 minutes)."""
    now = time.time()
    for leftover in folder.glob(f".{stem}.*.saving.gpkg*"):
        try:
            if now - leftover.stat().st_mtime > STALE_SECONDS:
                leftover.unlink()
        except OSError:
            pass  # another process may hold it; it is only litter


def save_project(path: Path, stack: LayerStack, settings: ProjectSettings) -> None:
    """Write the whole project to ``path`` atomically.

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
    _remove_stale_temporaries(folder, path.stem)

    def write(temp: Path) -> None:
        _write_layers(temp, stack)
        write_project_tables(temp, stack, settings)

    write_atomically(
        path,
        write,
        ProjectSaveError,
        verb="save",
        suffix=".saving.gpkg",
        folder_hint=" (read-only folder? choose another with Save As)",
        failure_hint="; the previous file is unchanged",
    )
