"""Named scenarios of a project: each a set of candidate sites with its own radius, score
weights and catchment mode (Qt-free).

The app shows one scenario at a time, the **current** one: its sites are the ``sites``
layer's features, so the map, the Sites panel, the indicators, sketching and Suggest all
work on it unchanged. The other scenarios keep their sites here (:attr:`Scenario.sites`).
Switching scenario stashes the layer's features in the scenario that was current and
puts the new one's in the layer (:meth:`ScenarioSet.switch`), one ``Layer.set_data``.

The current scenario's radius and weights live in the project's settings while it is
current (the radius box and weight boxes edit them there); :meth:`ScenarioSet.sync_current`
copies them into its record before a switch, a save or a comparison.

Storage: :mod:`app.core.project.scenario_store` (docs/geopackage.md, "Scenarios").
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd

from app.core.i18n_catalog import translate
from app.core.sites.edits import normalise_sites, now_iso
from app.core.sites.identity import new_site_id
from layers.model import Layer
from layers.themes.sites import DEFAULT_RADIUS_M, empty_sites

#: The column of the stored sites tables naming each site's scenario.
SCENARIO_COLUMN = "scenario"
#: The catchment mode of a scenario: circles of radius R around each site (straight line).
DEFAULT_CATCHMENT_MODE = "circle"
#: The other mode: walks of R along the scenario's walking network (``network_layer``).
NETWORK_MODE = "network"
#: Modes read as the straight line ("line" is the walking-network setting's word for it).
LINE_MODES = ("circle", "line")
#: Longest scenario name kept (longer ones are cut).
MAX_NAME = 80


def default_name(number: int, language: str = "en") -> str:
    """``"Scenario N"`` in ``language`` (``"시나리오 N"`` in Korean)."""
    return translate("Scenario {n}", language, n=number)


def clean_name(name: object) -> str:
    """A scenario name as stored: text, one line, surrounding spaces removed, at most
    :data:`MAX_NAME` characters ("" when nothing is left)."""
    text = "" if name is None or (isinstance(name, float) and math.isnan(name)) else str(name)
    return " ".join(text.split())[:MAX_NAME]


@dataclass
class Scenario:
    """One scenario.

    Parameters
    ----------
    name : str
        Unique within the project.
    radius_m : float
        The catchment radius R of its sites (a site's own ``radius_m`` overrides it).
    weights : dict of str to float
        Score weights (:class:`~app.core.indicators.score.Weights` as a dict).
    catchment_mode : str
        :data:`DEFAULT_CATCHMENT_MODE` (circles, straight line) or :data:`NETWORK_MODE`
        (walks along ``network_layer``); another stored value is kept and read as circles.
    sites : GeoDataFrame or None
        Its sites while it is not current; None while it is current (then they are the
        sites layer's features).
    network_layer : str or None
        The project table that is its walking network (kept in straight-line mode too, so
        that switching back to the network remembers which).
    """

    name: str
    radius_m: float = DEFAULT_RADIUS_M
    weights: dict[str, float] = field(default_factory=dict)
    catchment_mode: str = DEFAULT_CATCHMENT_MODE
    sites: gpd.GeoDataFrame | None = None
    network_layer: str | None = None

    @property
    def walking_network(self) -> str | None:
        """The walking network its catchments follow (None: straight-line circles)."""
        return self.network_layer if self.catchment_mode == NETWORK_MODE else None

    def set_catchment(self, network: str | None, layer: str | None = None) -> None:
        """Walk along ``network`` (a table name) or, when None, use circles (remembering
        ``layer`` as its network)."""
        if network:
            self.catchment_mode, self.network_layer = NETWORK_MODE, network
        else:
            self.catchment_mode = DEFAULT_CATCHMENT_MODE
            self.network_layer = layer if layer else self.network_layer


class ScenarioSet:
    """The scenarios of a project, in order, and which one is current.

    Parameters
    ----------
    scenarios : list of Scenario
        At least one; names unique.
    current : int
        Position of the current scenario.
    """

    def __init__(self, scenarios: list[Scenario], current: int = 0) -> None:
        if not scenarios:
            raise ValueError("a project has at least one scenario")
        self.scenarios = scenarios
        self.current = int(current)
        #: True for the one scenario of a project saved before scenarios (its name may
        #: follow the UI language); any change of the list makes it explicit.
        self.implicit = False

    @classmethod
    def single(
        cls,
        language: str = "en",
        radius_m: float = DEFAULT_RADIUS_M,
        weights: Mapping[str, float] | None = None,
    ) -> ScenarioSet:
        """One scenario, "Scenario 1" (what a project written before scenarios opens as)."""
        made = cls([Scenario(default_name(1, language), float(radius_m), dict(weights or {}))])
        made.implicit = True
        return made

    # -- reading ------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.scenarios)

    def names(self) -> list[str]:
        """The scenarios' names, in order."""
        return [s.name for s in self.scenarios]

    def index_of(self, name: str) -> int:
        """Position of the scenario called ``name``; KeyError when there is none."""
        names = self.names()
        if name not in names:
            raise KeyError(name)
        return names.index(name)

    @property
    def current_scenario(self) -> Scenario:
        return self.scenarios[self.current]

    def sites_of(self, index: int, layer: Layer) -> gpd.GeoDataFrame:
        """The sites of scenario ``index`` (the layer's features for the current one)."""
        if index == self.current:
            return layer.data
        stored = self.scenarios[index].sites
        return normalise_sites(stored) if stored is not None else _empty_like(layer.data)

    def unique_name(self, wanted: str, language: str = "en") -> str:
        """``wanted`` (cleaned) if no scenario has it, else with " (2)", " (3)" …; the
        next "Scenario N" when ``wanted`` is empty."""
        taken = set(self.names())
        base = clean_name(wanted)
        if not base:
            number = len(self.scenarios) + 1
            while default_name(number, language) in taken:
                number += 1
            return default_name(number, language)
        name, number = base, 2
        while name in taken:
            name = f"{base[: MAX_NAME - 6]} ({number})"
            number += 1
        return name

    # -- changes (called by the undo commands) ------------------------------------------
    def sync_current(
        self,
        radius_m: float,
        weights: Mapping[str, float],
        catchment: tuple[str | None, str | None] | None = None,
    ) -> None:
        """Record the live radius and weights (and, when given, the live catchment as
        ``(walking network or None, network layer)``) as the current scenario's."""
        self.current_scenario.radius_m = float(radius_m)
        self.current_scenario.weights = dict(weights)
        if catchment is not None:
            self.current_scenario.set_catchment(*catchment)

    def switch(self, layer: Layer, index: int) -> Scenario:
        """Make scenario ``index`` current: the layer's features are stashed in the one
        that was current and replaced by the new one's (one ``changed`` event).

        Returns
        -------
        Scenario
            The new current scenario (its radius and weights are for the caller to apply).
        """
        if not 0 <= index < len(self.scenarios):
            raise IndexError(index)
        if index == self.current:
            return self.current_scenario
        incoming = self.sites_of(index, layer)
        self.current_scenario.sites = layer.data
        self.current = index
        self.current_scenario.sites = None
        layer.set_data(normalise_sites(incoming))
        return self.current_scenario

    def insert(self, index: int, scenario: Scenario) -> None:
        """Add ``scenario`` (not current; its sites in :attr:`Scenario.sites`) at ``index``."""
        self.implicit = False
        if scenario.name in self.names():
            raise ValueError(f"a scenario is already called '{scenario.name}'")
        if scenario.sites is None:
            scenario.sites = empty_sites()
        self.scenarios.insert(index, scenario)
        if index <= self.current:
            self.current += 1

    def remove(self, index: int) -> Scenario:
        """Take out scenario ``index``, which must not be current; returns it, sites and all."""
        self.implicit = False
        if index == self.current:
            raise ValueError("the current scenario cannot be removed; switch first")
        if len(self.scenarios) == 1:
            raise ValueError("a project has at least one scenario")
        scenario = self.scenarios.pop(index)
        if index < self.current:
            self.current -= 1
        return scenario

    def rename(self, index: int, name: str) -> None:
        """Give scenario ``index`` the name ``name`` (unique, cleaned, not empty)."""
        self.implicit = False
        name = clean_name(name)
        if not name:
            raise ValueError("a scenario needs a name")
        if name in self.names() and self.names().index(name) != index:
            raise ValueError(f"a scenario is already called '{name}'")
        self.scenarios[index].name = name


def copied_sites(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """A copy of ``frame`` for a duplicated scenario: every site gets a new ``site_id``
    and new ``created``/``modified`` times (names, notes, radii and shapes stay)."""
    frame = normalise_sites(frame).copy()
    frame["site_id"] = pd.Series([new_site_id() for _ in range(len(frame))], dtype=object)
    stamp = now_iso()
    frame["created"] = stamp
    frame["modified"] = stamp
    return frame


def _empty_like(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    empty = frame.iloc[np.zeros(0, dtype=int)].copy()
    return normalise_sites(empty) if len(empty.columns) else empty_sites()


__all__ = [
    "DEFAULT_CATCHMENT_MODE",
    "LINE_MODES",
    "MAX_NAME",
    "NETWORK_MODE",
    "SCENARIO_COLUMN",
    "Scenario",
    "ScenarioSet",
    "clean_name",
    "copied_sites",
    "default_name",
]
