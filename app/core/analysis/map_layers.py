"""Map-level analysis as layers: start-up kernel density and Gi* hot spots.

Grid cells become polygon features with a class column, so the one style model,
the canvas and every export draw them like any other categorized layer.
The GUI runs these functions in a worker thread (app/ui/worker.py); the cells take
the source layer's CRS (EPSG:5186).

Coverage (docs/indicators.md): given the start-up layer's coverage area, only the
start-ups inside it count and only the cells whose centre lies in it are drawn, cut to
its outline; outside it the data say nothing, so nothing is drawn there (hot spots are
computed over the covered cells only).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

from app.core.analysis.point_patterns import (
    Grid,
    hot_spot_confidence,
    hot_spots,
    kernel_density,
    point_xy,
)
from app.core.i18n_catalog import translate
from app.core.progress import Progress
from layers.model import Layer, LayerSpec
from layers.provenance import DataStatus, Provenance
from layers.style import Symbol, categorized

DENSITY_CLASSES = ("very high", "high", "medium", "low")
#: A single-hue blue ramp: no zoning class is blue (zoning: yellows, oranges, pinks,
#: greens, lavender), so density never reads as a zone.
_DENSITY_COLOURS = ("#08306b", "#2171b5", "#6baed6", "#c6dbef")
#: Hot-spot bins: (class, confidence level %, colour), Benjamini–Hochberg corrected.
HOT_CLASSES = (
    ("99 %", 99, "#b2182b"),
    ("95 %", 95, "#ef8a62"),
    ("90 %", 90, "#fddbc7"),
)


def _derived(source: Layer, what: str) -> Provenance:
    status = (
        DataStatus.SYNTHETIC
        if source.provenance.status == DataStatus.SYNTHETIC
        else DataStatus.APPROXIMATE
    )
    return Provenance(
        status,
        f"{what} computed by InnoAtlas from the layer "
        f"'{source.name}' ({source.provenance.status.value})",
        source.provenance.licence,
        source.provenance.vintage,
        f"Derived from {source.title('en')}",
        "Inherits the status of its source: synthetic start-ups give a synthetic surface."
        if status == DataStatus.SYNTHETIC
        else "",
    )


def _cells(grid: Grid, mask: np.ndarray, area: shapely.Geometry | None = None) -> np.ndarray:
    """Square polygons of the grid cells where ``mask`` is true (cut to ``area``)."""
    xmin, ymin, _, _ = grid.bounds
    rows, cols = np.nonzero(mask)
    x0 = xmin + cols * grid.cell
    y0 = ymin + rows * grid.cell
    boxes = shapely.box(x0, y0, x0 + grid.cell, y0 + grid.cell)
    if area is not None and len(boxes):
        cut = ~shapely.contains(area, boxes)
        boxes[cut] = shapely.intersection(boxes[cut], area)
    return boxes


def _covered_xy(startups: Layer, area: shapely.Geometry | None) -> tuple[np.ndarray, np.ndarray]:
    """The start-ups' coordinates, only those inside ``area`` (None: all)."""
    x, y = point_xy(startups.data.geometry.values)
    if area is None:
        return x, y
    shapely.prepare(area)
    inside = shapely.intersects_xy(area, x, y)
    return x[inside], y[inside]


DENSITY_SPEC = LayerSpec(
    name="startup_density",
    title_ko="스타트업 밀도",
    title_en="Start-up density (kernel)",
    geometry_kind="polygon",
    columns={"density_km2": "float", "class": "str"},
    style=categorized(
        "class",
        [
            (name, f"{name}", Symbol(fill=colour, fill_alpha=0.55, stroke=None))
            for name, colour in zip(DENSITY_CLASSES, _DENSITY_COLOURS)
        ],
        other=Symbol(fill=None, stroke=None),
    ),
    provenance=Provenance(DataStatus.SYNTHETIC, "", "", ""),
    description="Quartic kernel density of start-ups, bandwidth = catchment radius.",
)

HOTSPOT_SPEC = LayerSpec(
    name="startup_hotspots",
    title_ko="스타트업 핫스팟",
    title_en="Start-up hot spots (Gi*)",
    geometry_kind="polygon",
    columns={
        "z": "float",
        "count": "float",
        "class": "str",
        "reference": "str",
        "reference_ko": "str",
    },
    style=categorized(
        "class",
        [
            (
                name,
                f"Hot spot, {name} confidence (FDR)",
                Symbol(fill=colour, fill_alpha=0.6, stroke=colour, stroke_width=0.5),
            )
            for name, _level, colour in HOT_CLASSES
        ],
        other=Symbol(fill=None, stroke=None),
    ),
    provenance=Provenance(DataStatus.SYNTHETIC, "", "", ""),
    description="Getis-Ord Gi* hot spots of start-up counts on 250 m cells, binned at 90, 95 "
    "and 99 % confidence with the Benjamini–Hochberg false-discovery-rate correction; "
    "z-scores against the start-up layer's coverage area.",
)


def hotspot_reference(data, language: str = "en") -> str:
    """ "z-scores against Magok" for a hot-spot layer's ``data`` ("" without the column).

    The area the Gi* z-scores were computed against (the start-up layer's coverage
    area when the layer was made); the legends of the canvas, PNG/PDF and web map
    show it under the layer's name.
    """
    column = "reference_ko" if language == "ko" else "reference"
    if column not in data.columns or len(data) == 0:
        column = "reference"
        if column not in data.columns or len(data) == 0:
            return ""
    area = str(data[column].iloc[0] or "").strip()
    if not area:
        return ""
    return translate("z-scores against: {area}", language, area=area)


def density_layer(
    startups: Layer,
    bandwidth: float,
    cell: float = 50.0,
    progress: Progress | None = None,
    coverage: shapely.Geometry | None = None,
) -> Layer:
    """Kernel density of ``startups`` as classed grid cells (cells above 5 % of the max).

    Classes split the drawn cells at their 50th, 75th and 90th percentiles. With
    ``coverage`` (the start-up layer's coverage area, EPSG:5186; None: the whole map)
    only the start-ups and the cells inside it count, cut to its outline.
    """
    report = progress or (lambda *_: None)
    report(0.1, "density")
    x, y = _covered_xy(startups, coverage)
    surface = kernel_density(x, y, bandwidth, cell)
    report(0.6, "cells")
    values = surface.density
    if coverage is not None:
        values = np.where(surface.grid.inside(coverage), values, 0.0)
    mask = (
        values > 0.05 * values.max()
        if values.size and values.max() > 0
        else np.zeros_like(values, bool)
    )
    kept = values[mask]
    if kept.size:
        edges = np.percentile(kept, [50, 75, 90])
        codes = np.searchsorted(edges, kept, side="right")  # 0..3, 3 = top
    else:
        codes = np.zeros(0, int)
    names = np.array(DENSITY_CLASSES[::-1])[codes] if kept.size else np.array([], str)
    frame = gpd.GeoDataFrame(
        {"density_km2": kept, "class": names},
        geometry=_cells(surface.grid, mask, coverage),
        crs=startups.data.crs,
    )
    report(1.0, "done")
    layer = Layer.from_spec(DENSITY_SPEC, frame, _derived(startups, "Kernel density"))
    layer.opacity = 0.8
    return layer


def hotspot_layer(
    startups: Layer,
    cell: float = 250.0,
    progress: Progress | None = None,
    coverage: shapely.Geometry | None = None,
    reference: tuple[str, str] = ("whole map", "지도 전체"),
) -> Layer:
    """Hot-spot cells at 90, 95 or 99 % confidence after the Benjamini–Hochberg
    false-discovery-rate correction (:func:`hot_spot_confidence`).

    With ``coverage`` (the start-up layer's coverage area; None: the whole map) the
    statistic is computed over the cells inside it only, and they are cut to it.
    ``reference`` names that area in English and Korean (the legends say "z-scores
    against …": :func:`hotspot_reference`); every cell keeps it.
    """
    report = progress or (lambda *_: None)
    report(0.1, "hot spots")
    x, y = _covered_xy(startups, coverage)
    spots = hot_spots(x, y, cell, area=coverage)
    report(0.6, "cells")
    level = hot_spot_confidence(spots.z)
    mask = level > 0
    names = np.select(
        [level[mask] == lv for _, lv, _ in HOT_CLASSES], [name for name, _, _ in HOT_CLASSES], ""
    )
    frame = gpd.GeoDataFrame(
        {
            "z": spots.z[mask],
            "count": spots.counts[mask],
            "class": names,
            "reference": reference[0],
            "reference_ko": reference[1],
        },
        geometry=_cells(spots.grid, mask, coverage),
        crs=startups.data.crs,
    )
    report(1.0, "done")
    return Layer.from_spec(HOTSPOT_SPEC, frame, _derived(startups, "Getis-Ord Gi* hot spots"))
