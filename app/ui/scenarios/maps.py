"""What one scenario's map shows (the Compare view and its PDF page): a stack with the
scenario's sites over the project's other layers, its radius and its indicator results
(rank first, for the badges); a scenario walking along a network also gets its sites'
walking isochrones (the "Walking isochrones" layer, under its sites), measured as its
Compare figures are."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from app.core.indicators.score import Weights, rank_sites
from app.core.project.scenario_model import ScenarioSet
from app.core.sites.edits import new_sites_layer
from layers.model import Layer, LayerStack


@dataclass
class ScenarioMapData:
    """One scenario's map: its name, stack (its sites first), radius and results."""

    name: str
    stack: LayerStack
    radius_m: float
    indicators: pd.DataFrame | None

    def release(self) -> None:
        """Take the layers out of the stack (the project's layers forget it)."""
        for layer in list(self.stack):
            self.stack.remove(layer)


def scenario_map_data(
    project_stack: LayerStack, scenarios: ScenarioSet, name: str, engine, walking=None
) -> ScenarioMapData:
    """The map of scenario ``name`` over the layers of ``project_stack``.

    Parameters
    ----------
    project_stack : LayerStack
        The project's layers; its ``sites`` layer holds the current scenario.
    scenarios : ScenarioSet
        The project's scenarios.
    name : str
        An existing scenario.
    engine : IndicatorEngine
        Computes the sites' indicators (ranks and scores for the badges).
    walking : WalkingDistances, optional
        The scenario's walking network (None: straight-line circles).
    """
    sites_layer: Layer | None = project_stack.get("sites")
    assert sites_layer is not None
    index = scenarios.index_of(name)
    scenario = scenarios.scenarios[index]
    sites = new_sites_layer(scenarios.sites_of(index, sites_layer))
    sites.set_style(sites_layer.style)
    others = [layer for layer in project_stack if layer is not sites_layer]
    if walking is not None and len(sites.data):
        from app.core.network.layer import ISOCHRONE_LAYER, isochrone_layer

        others = [layer for layer in others if layer.name != ISOCHRONE_LAYER]
        iso = isochrone_layer(
            sites.data, walking.network, [scenario.radius_m], walking.name, sites.provenance.status
        )
        others.insert(0, iso)
    stack = LayerStack([sites] + others)
    indicators = None
    if len(sites.data):
        indicators = engine.compute(
            sites.data, scenario.radius_m, weights=Weights.from_dict(scenario.weights)
        )
        indicators.index = sites.data["site_id"].astype(str).to_numpy()
        indicators.insert(0, "rank", rank_sites(indicators).to_numpy())
    return ScenarioMapData(name, stack, scenario.radius_m, indicators)


def maps_extent(maps: list[ScenarioMapData]) -> tuple[float, float, float, float] | None:
    """The extent of every map's sites and catchments (None without sites)."""
    bounds = []
    for one in maps:
        sites = one.stack.get("sites")
        if sites is not None and len(sites.data):
            x0, y0, x1, y1 = sites.data.total_bounds
            pad = max(float(one.radius_m), 200.0)
            bounds.append((x0 - pad, y0 - pad, x1 + pad, y1 + pad))
    if not bounds:
        return None
    return (
        min(b[0] for b in bounds),
        min(b[1] for b in bounds),
        max(b[2] for b in bounds),
        max(b[3] for b in bounds),
    )
