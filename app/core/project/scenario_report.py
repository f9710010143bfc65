"""A comparison of named scenarios, ready for the command line, the PDF page and the web
map (Qt-free): :func:`comparison` checks the names and computes the KPIs
(:mod:`app.core.project.scenario_kpis`); :func:`flat_table` and :func:`as_json` write it.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from app.core.errors import InnoAtlasError
from app.core.project.scenario_kpis import (
    KPI_COLUMNS,
    KPI_LABELS,
    NEAREST_PREFIX,
    SHARE_PREFIX,
    KpiContext,
    compare,
    deltas,
    district_names,
    scenario_inputs,
)
from app.core.project.scenario_model import ScenarioSet
from layers.model import Layer, LayerStack


class ScenarioError(InnoAtlasError):
    """An unknown scenario name, or a scenario with no sites (one line)."""


@dataclass(frozen=True)
class Comparison:
    """KPIs of some scenarios and their deltas against the first one.

    Attributes
    ----------
    table : DataFrame
        One row per scenario (index: names): :data:`KPI_COLUMNS` then ``share:<id>``.
    deltas : DataFrame
        The numeric columns minus the first row.
    districts : dict
        ``{district_id: {"en": name, "ko": name}}``.
    caveat : str
        The synthetic/illustrative warning of the layers the KPIs count ("" for none).
    """

    table: pd.DataFrame
    deltas: pd.DataFrame
    districts: dict[str, dict[str, str]]
    caveat: str = ""


def check_names(scenarios: ScenarioSet, layer: Layer, names: Sequence[str]) -> list[str]:
    """``names`` cleaned, each an existing scenario with at least one site.

    Raises
    ------
    ScenarioError
        A name that is no scenario (the message lists the project's), a scenario
        without sites, or no name at all.
    """
    wanted = [name.strip() for name in names if name.strip()]
    if not wanted:
        raise ScenarioError("name at least one scenario")
    for name in wanted:
        if name not in scenarios.names():
            known = ", ".join(f"'{n}'" for n in scenarios.names())
            raise ScenarioError(f"no scenario '{name}' in this project (it has {known})")
        if len(scenarios.sites_of(scenarios.index_of(name), layer)) == 0:
            raise ScenarioError(f"scenario '{name}' has no sites to compare")
    return wanted


def comparison(
    stack: LayerStack,
    scenarios: ScenarioSet,
    names: Sequence[str],
    roles: dict[str, str],
    extra: dict,
    rules=None,
    engine=None,
    context: KpiContext | None = None,
) -> Comparison:
    """The comparison of the scenarios ``names`` of a project (checked, see
    :func:`check_names`); ``context`` reuses one already built (the Compare view's maps
    share its engines)."""
    layer = stack.get("sites")
    assert layer is not None
    names = check_names(scenarios, layer, names)
    if context is None:
        context = KpiContext.build(stack, roles, extra, rules=rules, engine=engine)
    table = compare(context, scenario_inputs(scenarios, layer, names))
    caveated = [
        layer.title("en")
        for role in ("startups", "education", "stations", "zoning", "districts")
        if (layer := stack.get(roles.get(role, role))) is not None
        and layer.provenance.status.is_caveated
    ]
    caveat = f"Not real data: {', '.join(caveated)}" if caveated else ""
    return Comparison(table, deltas(table), district_names(context), caveat)


def nearest_scope(result: Comparison) -> str:
    """Which start-ups ``nearest_mean_m`` averages over (written beside it in CSV/JSON)."""
    if result.districts:
        return "start-ups of the innovation districts holding a site"
    return "every covered start-up (no districts layer)"


def flat_table(result: Comparison) -> pd.DataFrame:
    """One row per scenario: ``scenario``, the KPIs (``nearest_mean_m`` followed by
    ``nearest_mean_scope``, the start-ups it averages over), ``share_<district_id>``,
    then ``delta_<kpi>`` for each numeric KPI (for CSV)."""
    table = result.table.rename(columns=_flat_name)
    table.insert(
        list(table.columns).index("nearest_mean_m") + 1, "nearest_mean_scope", nearest_scope(result)
    )
    change = result.deltas.rename(columns=lambda c: "delta_" + _flat_name(c))
    out = pd.concat([table, change], axis=1).reset_index()
    return out


def _flat_name(column: str) -> str:
    """``share:<id>`` → ``share_<id>``, ``nearest:<id>`` → ``nearest_m_<id>`` (CSV)."""
    return column.replace(SHARE_PREFIX, "share_").replace(NEAREST_PREFIX, "nearest_m_")


def _clean(value):
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if hasattr(value, "item"):
        return _clean(value.item())
    return value


def as_json(result: Comparison) -> str:
    """The comparison as JSON: ``scenarios`` (name, ``kpis``, ``deltas``,
    ``district_shares``, ``district_nearest_m``: per district the mean distance of its
    start-ups to their nearest site), ``labels``, ``nearest_mean_scope`` (the start-ups
    ``nearest_mean_m`` averages over), ``districts`` and ``caveat``; unknown values null."""
    scenarios = []
    for name, row in result.table.iterrows():
        change = result.deltas.loc[name]
        scenarios.append(
            {
                "name": str(name),
                "kpis": {k: _clean(row[k]) for k in KPI_COLUMNS},
                "deltas": {k: _clean(change[k]) for k in KPI_COLUMNS if k in change},
                "district_shares": {
                    c[len(SHARE_PREFIX) :]: _clean(row[c])
                    for c in result.table.columns
                    if c.startswith(SHARE_PREFIX)
                },
                "district_nearest_m": {
                    c[len(NEAREST_PREFIX) :]: _clean(row[c])
                    for c in result.table.columns
                    if c.startswith(NEAREST_PREFIX)
                },
            }
        )
    document = {
        "scenarios": scenarios,
        "labels": dict(KPI_LABELS),
        "nearest_mean_scope": nearest_scope(result),
        "districts": result.districts,
        "caveat": result.caveat,
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


@dataclass(frozen=True)
class DisplayRow:
    """One row of the key-figure table as shown: label, a cell per scenario, and per
    scenario after the first its difference (text) and whether it is better (True),
    worse (False) or neither (None)."""

    key: str
    label: str
    values: tuple[str, ...]
    deltas: tuple[str, ...]
    better: tuple[bool | None, ...]


_FORMATS = {
    "sites_n": "{:,.0f}",
    "best_startups": "{:,.0f}",
    "best_employees": "{:,.0f}",
    "union_startups": "{:,.0f}",
    "union_employees": "{:,.0f}",
    "nearest_mean_m": "{:,.0f}",
    "floor_area_m2": "{:,.0f}",
    "not_permitted_n": "{:,.0f}",
    "mean_score": "{:.1f}",
}


def catchment_text(label: str, language: str = "en") -> str:
    """A recorded catchment label ("circle (straight line)", "walking network: NAME")
    in ``language``."""
    from app.core.i18n_catalog import translate

    prefix = "walking network: "
    if label.startswith(prefix):
        return translate("Walking network: {name}", language, name=label[len(prefix) :])
    return translate("Straight line (circle)", language)


def display_rows(result: Comparison, language: str = "en") -> list[DisplayRow]:
    """The comparison as text rows in ``language``: the KPIs, then one row per district
    ("Start-ups of G-Valley within R"); unknown values read "not covered" ("—" for the
    best site and the mean score)."""
    from app.core.i18n_catalog import translate
    from app.core.project.scenario_kpis import HIGHER_IS_BETTER

    unknown = translate("not covered", language)
    rows: list[DisplayRow] = []
    table, change = result.table, result.deltas
    keys = list(KPI_COLUMNS) + [c for c in table.columns if c.startswith(SHARE_PREFIX)]
    for key in keys:
        higher: bool | None
        if key.startswith(SHARE_PREFIX):
            district_id = key[len(SHARE_PREFIX) :]
            names = result.districts.get(district_id, {})
            district = names.get(language) or names.get("en") or district_id
            label = translate("Start-ups of {district} within R", language, district=district)
            pattern, higher = "{:.0%}", True
        else:
            label = translate(KPI_LABELS[key], language)
            pattern, higher = _FORMATS.get(key, "{}"), HIGHER_IS_BETTER.get(key)
        values: list[str] = []
        deltas: list[str] = []
        better: list[bool | None] = []
        for position, name in enumerate(table.index):
            value = table.at[name, key]
            if key == "best_site":
                values.append(str(value) if value else "—")
                continue
            if key == "catchment":
                values.append(catchment_text(str(value), language))
                continue
            missing = value is None or (isinstance(value, float) and math.isnan(value))
            na = "—" if key in ("mean_score", "nearest_mean_m") else unknown
            values.append(na if missing else pattern.format(value))
            if position == 0:
                continue
            diff = change.at[name, key]
            if diff is None or (isinstance(diff, float) and math.isnan(diff)):
                deltas.append("")
                better.append(None)
                continue
            shown = pattern.format(abs(diff))
            deltas.append("±0" if diff == 0 else ("+" if diff > 0 else "−") + shown)
            better.append(None if higher is None or diff == 0 else (diff > 0) == higher)
        rows.append(DisplayRow(key, label, tuple(values), tuple(deltas), tuple(better)))
    return rows


__all__ = [
    "Comparison",
    "DisplayRow",
    "catchment_text",
    "display_rows",
    "ScenarioError",
    "as_json",
    "check_names",
    "comparison",
    "flat_table",
    "nearest_scope",
]
