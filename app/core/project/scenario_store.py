"""How a project's scenarios are kept: with the sites layer in the app, and in the
GeoPackage as a ``scenario`` column of the sites tables plus the ``innoatlas_scenarios``
attribute table (docs/geopackage.md, "Scenarios").

- :func:`scenarios_of` gives the :class:`~app.core.project.scenario_model.ScenarioSet` that
  travels with a ``sites`` layer (made on first use: one scenario, "Scenario 1").
- :func:`stored_sites` gives every scenario's sites as one frame with a ``scenario``
  column, for :func:`app.core.project.site_tables.write_site_tables`.
- :func:`split_scenarios` does the reverse when a project is read: the current scenario's
  sites for the layer and a set holding the others.
- :func:`write_scenarios_table` / :func:`read_scenarios_table`: the attribute table
  (``name``, ``position``, ``is_current``, ``radius_m``, ``weights`` JSON,
  ``catchment_mode``, ``network_layer``).
"""

from __future__ import annotations

import json
import math
import sqlite3
import weakref
from collections.abc import Mapping
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from app.core.formats.gpkg import readonly_uri
from app.core.project.scenario_model import (
    DEFAULT_CATCHMENT_MODE,
    SCENARIO_COLUMN,
    Scenario,
    ScenarioSet,
    clean_name,
)
from app.core.sites.edits import normalise_sites
from layers.model import Layer
from layers.themes.sites import COLUMNS, DEFAULT_RADIUS_M

#: The attribute table of the scenarios.
SCENARIOS_TABLE = "innoatlas_scenarios"
#: Its columns after ``fid``, with their SQL types.
TABLE_COLUMNS = (
    ("name", "TEXT NOT NULL UNIQUE"),
    ("position", "INTEGER"),
    ("is_current", "BOOLEAN"),
    ("radius_m", "REAL"),
    ("weights", "TEXT"),
    ("catchment_mode", "TEXT"),
    ("network_layer", "TEXT"),
)
#: Columns a table written by an older InnoAtlas may lack (read as NULL).
OPTIONAL_COLUMNS = ("network_layer",)

_SETS: weakref.WeakKeyDictionary[Layer, ScenarioSet] = weakref.WeakKeyDictionary()


def attach(layer: Layer, scenarios: ScenarioSet) -> None:
    """Make ``scenarios`` the set that travels with the sites ``layer``."""
    _SETS[layer] = scenarios


def scenarios_of(layer: Layer, language: str = "en") -> ScenarioSet:
    """The scenarios of the sites ``layer`` (one, "Scenario 1" in ``language``, made and
    attached on first use)."""
    found = _SETS.get(layer)
    if found is None:
        found = _SETS[layer] = ScenarioSet.single(language)
    return found


# -- sites tables -----------------------------------------------------------------------
def stored_sites(layer: Layer, frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Every scenario's sites as one frame with a ``scenario`` column, scenario by
    scenario in order (``frame`` is the current one's, as it is to be written).

    Columns of the other scenarios take ``frame``'s types where they can (nullable
    integers and booleans stay so); columns ``frame`` lacks come after its own.
    """
    scenarios = scenarios_of(layer)
    parts = []
    for index, scenario in enumerate(scenarios.scenarios):
        part = frame if index == scenarios.current else scenarios.sites_of(index, layer)
        part = _align(part, frame).copy()
        part[SCENARIO_COLUMN] = pd.Series(
            [scenario.name] * len(part), index=part.index, dtype=object
        )
        parts.append(part)
    geometry = frame.geometry.name
    combined = pd.concat(parts, ignore_index=True)
    columns = [c for c in combined.columns if c not in (SCENARIO_COLUMN, geometry)]
    at = len([c for c in columns if c in COLUMNS])
    ordered = columns[:at] + [SCENARIO_COLUMN] + columns[at:] + [geometry]
    return gpd.GeoDataFrame(combined[ordered], geometry=geometry, crs=frame.crs)


def _align(part: gpd.GeoDataFrame, like: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """``part`` with ``like``'s geometry name, CRS and (where possible) column types."""
    if part.geometry.name != like.geometry.name:
        part = part.rename_geometry(like.geometry.name)
    if like.crs is not None and part.crs is not None and part.crs != like.crs:
        part = part.to_crs(like.crs)
    part = part.drop(columns=SCENARIO_COLUMN, errors="ignore").copy()
    for column in like.columns:
        if column == like.geometry.name or column == SCENARIO_COLUMN:
            continue
        dtype = like[column].dtype
        if column not in part.columns:
            part[column] = pd.Series(
                pd.array([None] * len(part), dtype=_nullable(dtype)), index=part.index
            )
            continue
        if part[column].dtype != dtype:
            try:
                part[column] = part[column].astype(dtype)
            except (TypeError, ValueError):
                pass  # written with its own type
    return part


def _nullable(dtype) -> Any:
    if pd.api.types.is_integer_dtype(dtype) or pd.api.types.is_bool_dtype(dtype):
        return "Int64" if pd.api.types.is_integer_dtype(dtype) else "boolean"
    if pd.api.types.is_float_dtype(dtype):
        return "float64"
    if isinstance(dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_any_dtype(dtype):
        return dtype
    return object


@dataclass(frozen=True)
class StoredScenario:
    """One row of :data:`SCENARIOS_TABLE` as read (checked)."""

    name: str
    is_current: bool
    radius_m: float
    weights: dict[str, float]
    catchment_mode: str
    network_layer: str | None = None


def split_scenarios(
    frame: gpd.GeoDataFrame, stored: list[StoredScenario], language: str = "en"
) -> tuple[gpd.GeoDataFrame, ScenarioSet, list[str]]:
    """Split the sites read from a project into its scenarios.

    Parameters
    ----------
    frame : GeoDataFrame
        Every site of the file, in stored order, with or without a ``scenario`` column.
    stored : list of StoredScenario
        The rows of :data:`SCENARIOS_TABLE` (empty for a project written before).
    language : str
        Names the one scenario of a project without any ("Scenario 1" / "시나리오 1").

    Returns
    -------
    GeoDataFrame, ScenarioSet, list of str
        The current scenario's sites (for the layer, without the ``scenario`` column),
        the set holding every scenario (the others with their sites), and notes. A site
        whose ``scenario`` is empty (drawn in another tool) joins the current scenario;
        one naming a scenario the table lacks makes that scenario (radius 800 m, default
        weights).
    """
    notes: list[str] = []
    values = (
        frame[SCENARIO_COLUMN].map(clean_name).to_numpy(dtype=object)
        if SCENARIO_COLUMN in frame
        else np.full(len(frame), "", dtype=object)
    )
    scenarios = [
        Scenario(
            s.name,
            s.radius_m,
            dict(s.weights),
            s.catchment_mode,
            network_layer=s.network_layer,
        )
        for s in stored
    ]
    known = {s.name for s in scenarios}
    extra = [v for v in pd.unique(values) if v and v not in known]
    scenarios += [Scenario(str(name)) for name in extra]
    if extra:
        shown = ", ".join(f"'{n}'" for n in extra[:5])
        notes.append(f"sites name scenario(s) the scenarios table lacks ({shown}); added")
    if not scenarios:
        scenarios = ScenarioSet.single(language).scenarios
    current = next((i for i, s in enumerate(stored) if s.is_current), 0)
    names = np.array([s.name for s in scenarios], dtype=object)
    values = np.where(values == "", names[current], values)
    body = frame.drop(columns=SCENARIO_COLUMN, errors="ignore")
    for index, scenario in enumerate(scenarios):
        if index != current:
            scenario.sites = normalise_sites(body[values == scenario.name])
    scenario_set = ScenarioSet(scenarios, current)
    scenario_set.implicit = not stored and not extra  # a project saved before scenarios
    return normalise_sites(body[values == names[current]]), scenario_set, notes


def live_catchment(extra: Mapping | None) -> tuple[str | None, str | None]:
    """The project's catchment setting (``settings.extra``, the walking network's) as
    ``(walking network or None, network layer)``: what the current scenario uses."""
    from app.core.network.settings import CatchmentSetting

    setting = CatchmentSetting.from_extra(dict(extra or {}))
    return (setting.layer if setting.uses_network else None), setting.layer


def catchment_extra(
    extra: Mapping | None, network: str | None, layer: str | None
) -> dict[str, Any]:
    """The ``settings.extra`` catchment record for a scenario walking along ``network``
    (None: straight line, ``layer`` kept as the network), the tolerance kept."""
    from app.core.network.settings import CatchmentSetting

    before = CatchmentSetting.from_extra(dict(extra or {}))
    setting = CatchmentSetting(
        network or layer or before.layer, "network" if network else "line", before.tolerance_m
    )
    out: dict[str, Any] = {}
    setting.to_extra(out)
    return out


# -- the attribute table ----------------------------------------------------------------
def write_scenarios_table(
    target: Path,
    scenarios: ScenarioSet,
    radius_m: float,
    weights: Mapping[str, float],
    extra: Mapping | None = None,
) -> None:
    """Write :data:`SCENARIOS_TABLE` into the GeoPackage ``target`` (a new table).

    Parameters
    ----------
    target : Path
        The GeoPackage being written.
    scenarios : ScenarioSet
        The project's scenarios.
    radius_m, weights
        The live radius and weights, recorded as the current scenario's.
    extra : mapping, optional
        ``settings.extra``: its catchment setting is recorded as the current scenario's.
    """
    scenarios.sync_current(radius_m, weights, live_catchment(extra) if extra is not None else None)
    rows = [
        (
            s.name,
            position,
            int(position == scenarios.current),
            float(s.radius_m),
            json.dumps(dict(s.weights), sort_keys=True),
            s.catchment_mode,
            s.network_layer,
        )
        for position, s in enumerate(scenarios.scenarios)
    ]
    column_sql = ", ".join(f'"{name}" {kind}' for name, kind in TABLE_COLUMNS)
    names = ", ".join(f'"{name}"' for name, _ in TABLE_COLUMNS)
    with sqlite3.connect(target) as con:
        con.execute(
            f'CREATE TABLE "{SCENARIOS_TABLE}" '
            f"(fid INTEGER PRIMARY KEY AUTOINCREMENT, {column_sql})"
        )
        con.execute(
            "INSERT INTO gpkg_contents (table_name, data_type, identifier, description) "
            "VALUES (?, 'attributes', ?, ?)",
            (SCENARIOS_TABLE, SCENARIOS_TABLE, "InnoAtlas scenarios (sites: column scenario)"),
        )
        con.executemany(
            f'INSERT INTO "{SCENARIOS_TABLE}" ({names}) VALUES (?, ?, ?, ?, ?, ?, ?)', rows
        )
    con.close()


def read_scenarios_table(path: Path, notes: list[str] | None = None) -> list[StoredScenario]:
    """The rows of :data:`SCENARIOS_TABLE` in ``path`` (empty when it has none), ordered by
    ``position``; an unusable value gets its default and a note."""
    notes = notes if notes is not None else []
    wanted = [name for name, _ in TABLE_COLUMNS]
    try:
        with closing(sqlite3.connect(readonly_uri(path), uri=True)) as con:
            found = {row[1] for row in con.execute(f'PRAGMA table_info("{SCENARIOS_TABLE}")')}
            if not found:
                return []  # a project saved before scenarios
            missing = [n for n in wanted if n not in found and n not in OPTIONAL_COLUMNS]
            network = '"network_layer"' if "network_layer" in found else "NULL"
            if missing:
                raise sqlite3.DatabaseError(f"no column {', '.join(missing)}")
            rows = con.execute(
                f'SELECT "name", "is_current", "radius_m", "weights", "catchment_mode", {network} '
                f'FROM "{SCENARIOS_TABLE}" ORDER BY "position", fid'
            ).fetchall()
    except sqlite3.Error as err:
        notes.append(
            f"the scenarios table is unreadable ({str(err).splitlines()[0]}); the sites "
            "keep their scenarios, with the default radius and weights"
        )
        return []
    out: list[StoredScenario] = []
    seen: set[str] = set()
    for name, current, radius, weights, mode, network in rows:
        name = clean_name(name)
        if not name or name in seen:
            notes.append("a scenario without a name or with a repeated name was skipped")
            continue
        seen.add(name)
        out.append(
            StoredScenario(
                name,
                bool(current) if isinstance(current, (int, float)) else False,
                _radius(radius, name, notes),
                _weights(weights, name, notes),
                str(mode) if isinstance(mode, str) and mode.strip() else DEFAULT_CATCHMENT_MODE,
                str(network) if isinstance(network, str) and network.strip() else None,
            )
        )
    return out


def _radius(value: object, name: str, notes: list[str]) -> float:
    if isinstance(value, (int, float)) and math.isfinite(value) and 0 <= value <= 10_000:
        return float(value)
    notes.append(f"scenario '{name}': radius_m is unusable; {DEFAULT_RADIUS_M:.0f} m is used")
    return DEFAULT_RADIUS_M


def _weights(value: object, name: str, notes: list[str]) -> dict[str, float]:
    try:
        data = json.loads(value) if isinstance(value, str) else None
    except ValueError:
        data = None
    if isinstance(data, dict) and all(
        isinstance(v, (int, float)) and math.isfinite(v) and 0 <= v <= 1e6 for v in data.values()
    ):
        return {str(k): float(v) for k, v in data.items()}
    if value not in (None, ""):
        notes.append(f"scenario '{name}': its weights are unreadable; the defaults are used")
    return {}


__all__ = [
    "SCENARIOS_TABLE",
    "StoredScenario",
    "attach",
    "catchment_extra",
    "live_catchment",
    "read_scenarios_table",
    "scenarios_of",
    "split_scenarios",
    "stored_sites",
    "write_scenarios_table",
]
