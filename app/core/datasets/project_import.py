"""An official dataset into a project in one step (Qt-free; the command line and the
GUI's worker share it): :func:`read_dataset` reads a recognised file into layers with
their roles, :func:`add_dataset_layers` puts them into a project's stack and settings
(role, coverage area, which dataset each layer came from).

The coverage area of a start-ups layer is the districts its (study-area clipped)
features fall in; a zoning layer's is its own polygons. The synthetic start-ups and the
illustrative zoning thus stay what count outside that area (docs/inputs.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd

from app.core.datasets.common import study_area
from app.core.datasets.greenbelt import merge_overlay
from app.core.datasets.model import DatasetError, DatasetLayer
from app.core.datasets.nps import dong_context, match_startups, read_nps
from app.core.datasets.recognise import Recognition, recognise
from app.core.datasets.registry import DATASETS
from app.core.datasets.semas import read_semas
from app.core.datasets.tables import KsicFilter
from app.core.datasets.zoning import read_zoning
from app.core.formats.vector import ReadOptions
from app.core.progress import Progress
from app.core.project.coverage import (
    DISTRICTS_LAYER,
    DONGS_LAYER,
    Coverage,
    default_coverage,
    with_coverage,
)
from app.core.project.user_layers import (
    make_user_layer,
    role_layer,
    role_style,
    roles_of,
    table_name,
)
from layers.model import Layer, LayerStack

#: ``ProjectSettings.extra`` key: ``{layer name: dataset key}`` of the layers made from
#: official datasets.
DATASETS_KEY = "datasets"


@dataclass
class DatasetImport:
    """What :func:`read_dataset` made of a file, and what to tell the user."""

    recognition: Recognition
    layers: list[DatasetLayer]
    summary: str
    notes: list[str] = field(default_factory=list)
    #: NPS only: the workplaces table, for matching onto the start-ups.
    table: Any = None


def recognise_or_refuse(
    path: Path | str, forced: str | None = None, options: ReadOptions | None = None
) -> Recognition:
    """:func:`recognise`, with a file that is no known dataset refused in one line."""
    found = recognise(path, None if forced in (None, "auto") else forced, options)
    if found is None:
        names = ", ".join(f"{d.name_ko} ({key})" for key, d in DATASETS.items())
        raise DatasetError(
            f"{Path(path).name} is none of the recognised datasets ({names}): its header "
            "matches none of them; use --dataset to say which it is, or Add layer to map "
            "its columns by hand"
        )
    return found


def read_dataset(
    recognition: Recognition,
    stack: LayerStack,
    *,
    ksic: KsicFilter | None = None,
    keep_all: bool = False,
    encoding: str | None = None,
    crs: str | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    language: str = "en",
) -> DatasetImport:
    """Read a recognised file into its layers, clipped to the project's study area.

    Parameters
    ----------
    recognition : Recognition
        From :func:`recognise_or_refuse`.
    stack : LayerStack
        The project's layers (its ``districts`` are the study area, its ``dong``
        polygons carry the NPS counts).
    ksic : KsicFilter, optional
        The knowledge-based filter (SEMAS).
    keep_all : bool
        SEMAS: also the "all businesses" context layer.
    encoding : str, optional
        Overrides the detected encoding.
    crs : str, optional
        SEMAS: the CRS of 경도/위도 when it is not WGS 84 (default EPSG:4326).
    progress, cancelled : callable, optional
        Progress report and cancel check (the readers check it between batches).
    language : str
        Of the summary line.

    Returns
    -------
    DatasetImport
    """
    from app.core.datasets import semas, zoning

    districts = stack.get(DISTRICTS_LAYER)
    area = study_area(districts.data if districts is not None else None)
    dataset = recognition.dataset
    if dataset == "semas":
        layers = read_semas(
            recognition,
            area,
            ksic,
            keep_all=keep_all,
            encoding=encoding,
            crs=crs,
            progress=progress,
            cancelled=cancelled,
        )
        return DatasetImport(recognition, layers, semas.summary(layers, language))
    if dataset == "nps":
        table = read_nps(recognition, progress, cancelled)
        dongs = stack.get(DONGS_LAYER)
        layer = dong_context(recognition, table, dongs.data if dongs is not None else None)
        from app.core.i18n_catalog import translate

        text = translate(
            "국민연금 가입 사업장, {rows} rows, {joined} workplaces joined to {dongs} dongs",
            language,
            rows=f"{layer.counts['rows']:,}",
            joined=f"{layer.counts['in_dongs']:,}",
            dongs=layer.counts["kept"],
        )
        return DatasetImport(recognition, [layer], text, table=table)
    layer = read_zoning(
        recognition, area, encoding=encoding, progress=progress, cancelled=cancelled
    )
    return DatasetImport(recognition, [layer], zoning.summary(layer, language))


def dataset_of(extra: dict[str, Any], name: str) -> str | None:
    """The dataset the layer ``name`` was made from (None: not from a dataset)."""
    saved = extra.get(DATASETS_KEY)
    return saved.get(name) if isinstance(saved, dict) else None


@dataclass
class DatasetPlan:
    """What importing a dataset changes in a project, before anything is changed (the
    GUI turns it into undo commands, the command line applies it).

    ``additions``: each new layer with its role (or None) and coverage area (or None);
    ``changes``: layers whose features are replaced (a greenbelt joining the zoning
    layer, employees matched onto the start-ups); ``datasets``: which dataset each new
    layer comes from (``extra["datasets"]``); ``notes`` for the user.
    """

    additions: list[tuple[Layer, str | None, Coverage | None]] = field(default_factory=list)
    changes: list[tuple[Layer, gpd.GeoDataFrame]] = field(default_factory=list)
    datasets: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def plan_dataset_layers(
    stack: LayerStack,
    extra: dict[str, Any],
    result: DatasetImport,
    role: str | None | bool = True,
    title: str | None = None,
) -> DatasetPlan:
    """The layers of ``result`` as a :class:`DatasetPlan` for ``stack`` (not changed).

    A start-ups or zoning layer takes its role with its coverage area (its features'
    districts; a zoning layer's own polygons); a greenbelt joins the zoning role's layer
    when that is a real 용도지역 layer, and a 용도지역 layer takes in an imported
    greenbelt; NPS workplaces are matched onto the start-ups made from 상가(상권)정보.

    Parameters
    ----------
    stack : LayerStack
    extra : dict
        The project's ``ProjectSettings.extra``.
    result : DatasetImport
        From :func:`read_dataset`.
    role : str, None or True
        The first layer's role: True for the dataset's own, None for none (only shown
        on the map), or another role the user chose.
    title : str, optional
        The first layer's display name (default: the dataset's).
    """
    roles = roles_of(extra)
    plan = DatasetPlan()
    districts, dongs = stack.get(DISTRICTS_LAYER), stack.get(DONGS_LAYER)
    taken = set(stack.names())
    for index, item in enumerate(result.layers):
        frame = item.frame
        item_role: str | None = (
            item.role if (index or role is True) else (role if isinstance(role, str) else None)
        )
        item_title = (title or item.title) if index == 0 else item.title
        if item.dataset == "greenbelt":  # the overlay joins the zoning role's layer, if real
            current = role_layer(stack, "zoning", roles)
            if current is not None and dataset_of(extra, current.name) == "zoning":
                plan.changes.append((current, merge_overlay(current.data, frame)))
                plan.notes.append(f"the greenbelt joined the zoning layer '{current.title_en}'")
            else:
                plan.notes.append(
                    "the greenbelt is added as its own layer; it counts in the indicators "
                    "once the 용도지역 file is imported too (it then joins that layer)"
                )
        if item.dataset == "zoning":
            for layer in stack:
                if dataset_of(extra, layer.name) == "greenbelt":
                    frame = merge_overlay(frame, layer.data)
                    plan.notes.append(
                        f"the greenbelt of '{layer.title_en}' joined the zoning layer"
                    )
        name = table_name(item.name_hint or item_title, taken)
        taken.add(name)
        style = role_style("zoning", "polygon", 0, frame) if item.dataset == "greenbelt" else None
        layer = make_user_layer(
            frame, name, item_title, item.provenance, style, role=item_role, index=index
        )
        if item.title_ko and item_title == item.title:  # the dataset's names, both languages
            layer.title_ko = item.title_ko
        coverage = None
        if item_role:
            coverage = (
                Coverage.of("polygons")
                if item.polygons_cover and item_role == "zoning"
                else default_coverage(
                    item.coverage_frame if item.coverage_frame is not None else frame,
                    districts.data if districts is not None else None,
                    dongs.data if dongs is not None else None,
                )
            )
        plan.additions.append((layer, item_role, coverage))
        plan.datasets[name] = item.dataset
    if result.recognition.dataset == "nps" and result.table is not None:
        startups = role_layer(stack, "startups", roles)
        if startups is not None and dataset_of(extra, startups.name) == "semas":
            matched_frame, matched = match_startups(startups.data, result.table)
            plan.changes.append((startups, gpd.GeoDataFrame(matched_frame, crs=startups.data.crs)))
            rate = matched / len(matched_frame) if len(matched_frame) else 0.0
            plan.notes.append(
                f"국민연금 workplaces matched {matched} of {len(matched_frame)} start-ups "
                f"({rate:.0%}) by name and 행정동: employees and founding year added"
            )
        else:
            plan.notes.append(
                "no start-ups from 상가(상권)정보 in the project: nothing to match the "
                "국민연금 workplaces with (import the 상가(상권)정보 file first)"
            )
    return plan


def with_datasets(extra: dict[str, Any], datasets: dict[str, str]) -> dict[str, Any]:
    """A copy of ``extra`` recording which dataset each named layer comes from."""
    out = dict(extra)
    saved = dict(out.get(DATASETS_KEY) or {}) if isinstance(out.get(DATASETS_KEY), dict) else {}
    saved.update(datasets)
    out[DATASETS_KEY] = saved
    return out


def add_dataset_layers(
    stack: LayerStack, extra: dict[str, Any], result: DatasetImport
) -> tuple[list[Layer], dict[str, Any], list[str]]:
    """Apply :func:`plan_dataset_layers` to ``stack`` at once (the command line).

    Returns
    -------
    list of Layer, dict, list of str
        The new layers, the new ``extra`` (roles, coverage, datasets) and notes.
    """
    plan = plan_dataset_layers(stack, extra, result)
    extra = with_datasets(extra, plan.datasets)
    roles = roles_of(extra)
    position = 1 if stack.names()[:1] == ["sites"] else 0
    for layer, data in plan.changes:
        layer.set_data(data)
    for layer, role, coverage in plan.additions:
        stack.insert(position, layer)
        if role:
            old = role_layer(stack, role, roles)
            if old is not None and old is not layer:
                old.set_visible(False)
            roles[role] = layer.name
            extra = with_coverage(extra, layer.name, coverage)
    extra["roles"] = roles
    return [layer for layer, _, _ in plan.additions], extra, plan.notes


__all__ = [
    "DATASETS_KEY",
    "DatasetImport",
    "DatasetPlan",
    "plan_dataset_layers",
    "with_datasets",
    "add_dataset_layers",
    "dataset_of",
    "read_dataset",
    "recognise_or_refuse",
]
