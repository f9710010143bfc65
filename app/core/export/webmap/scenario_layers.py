"""The web map's scenario switcher: one sites layer per scenario, one shown at a time.

The current scenario is the page's ordinary ``sites`` layer; every other scenario with
sites becomes a layer ``sites_scenario_N`` of its own (its popups with the indicators
computed with its radius and weights, hidden at first). The page's data gets
``scenarios``: ``[{"name", "layer"}]`` in the project's order, and the script adds a
select control that shows one of them (names set as text, never as HTML).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from app.core.export.webmap.records import layer_record, site_indicators
from app.core.i18n_catalog import translate
from app.core.indicators.score import Weights
from app.core.project.scenario_store import scenarios_of
from app.core.project.user_layers import roles_of
from app.core.sites.edits import new_sites_layer
from layers.model import LayerStack


def scenario_layers(
    stack: LayerStack, language: str, extra: Mapping[str, Any] | None = None
) -> tuple[list[dict], dict | None]:
    """Layer records of the scenarios that are not current, and the switcher's data.

    Parameters
    ----------
    stack : LayerStack
        The project's layers (the sites layer holds the current scenario).
    language : str
        Titles and the control's label.
    extra : mapping, optional
        ``ProjectSettings.extra`` (roles and coverage areas of the indicators).

    Returns
    -------
    list of dict, dict or None
        The records (as :func:`~app.core.export.webmap.records.layer_record`, hidden), and
        ``{"label", "scenarios": [{"name", "layer"}]}``; ``[]``, None for a project with
        one scenario or without sites.
    """
    sites = stack.get("sites")
    if sites is None:
        return [], None
    scenarios = scenarios_of(sites)
    if len(scenarios) < 2:
        return [], None
    records: list[dict] = []
    entries: list[dict] = []
    roles = roles_of(dict(extra or {}))
    for index, scenario in enumerate(scenarios.scenarios):
        if index == scenarios.current:
            entries.append({"name": scenario.name, "layer": "sites" if len(sites.data) else None})
            continue
        frame = scenarios.sites_of(index, sites)
        if len(frame) == 0:
            entries.append({"name": scenario.name, "layer": None})
            continue
        name = f"sites_scenario_{index + 1}"
        layer = replace(
            new_sites_layer(frame),
            name=name,
            title_en=f"{sites.title_en} — {scenario.name}",
            title_ko=f"{sites.title_ko} — {scenario.name}",
            style=sites.style,
            visible=False,
        )
        scratch = LayerStack([replace(layer, name="sites")] + [x for x in stack if x is not sites])
        try:
            indicators = site_indicators(
                scratch,
                scenario.radius_m,
                roles,
                extra,
                weights=Weights.from_dict(scenario.weights),
            )
        finally:
            for member in list(scratch):
                scratch.remove(member)  # the project's layers forget the scratch stack
        record = layer_record(layer, language, indicators, scenario.radius_m)
        if record:
            records.append(record)
            entries.append({"name": scenario.name, "layer": name})
        else:
            entries.append({"name": scenario.name, "layer": None})
    return records, {"label": translate("Scenario", language), "scenarios": entries}


__all__ = ["scenario_layers"]
