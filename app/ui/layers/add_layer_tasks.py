"""What the Add layer dialog runs in its workers, Qt-free: the inspection and preview of
the chosen layer (and which official dataset the file is), the read that finds a role
layer's default coverage area, the read of a recognised dataset.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd

from app.core.errors import InnoAtlasError
from app.core.formats.vector import (
    FileInfo,
    LayerInfo,
    ReadOptions,
    inspect_vector,
    list_layers,
    preview_attributes,
)
from app.core.progress import Progress
from app.core.project.coverage import Coverage, default_coverage
from layers.model import LayerStack


def inspect_and_preview(
    path: Path, options: ReadOptions, rows: int, progress: Progress
) -> tuple[FileInfo, pd.DataFrame, str]:
    """The worker's call: the chosen layer's description, its first ``rows`` rows and
    why they cannot be previewed ('' when they can). Qt-free."""
    info = inspect_vector(path, options, progress=progress)
    progress(0.8, f"previewing {info.layer or path.name}")
    try:
        preview = preview_attributes(path, options, rows=rows)
    except InnoAtlasError as err:
        return info, pd.DataFrame(), str(err)
    return info, preview, ""


def recognise_dataset(path: Path, info: FileInfo, options: ReadOptions):
    """Which official dataset the inspected file is: ``(Recognition or None, why it is
    refused or '')`` (app.core.datasets.recognise)."""
    from app.core.datasets.recognise import recognise

    try:
        return recognise(path, None, options, info=info), ""
    except InnoAtlasError as err:
        return None, str(err)
    except Exception:  # never let the recognition break the general import
        return None, ""


def inspect_preview_recognise(
    path: Path, options: ReadOptions, rows: int, progress: Progress
) -> tuple[FileInfo, pd.DataFrame, str, object, str]:
    """:func:`inspect_and_preview` and :func:`recognise_dataset` in one worker call."""
    info, preview, problem = inspect_and_preview(path, options, rows, progress)
    recognition, refusal = recognise_dataset(path, info, options)
    return info, preview, problem, recognition, refusal


def locate_features(
    path: Path,
    options: ReadOptions,
    districts: gpd.GeoDataFrame | None,
    dongs: gpd.GeoDataFrame | None,
    progress: Progress,
) -> Coverage:
    """The worker's call for the coverage: read the features, return where they fall
    (:func:`~app.core.project.coverage.default_coverage`). Qt-free."""
    from app.core.formats.vector import read_vector

    layer = read_vector(
        path, path.stem or "layer", options.layer, options=options, progress=progress
    )
    return default_coverage(layer.frame, districts, dongs)


def listed_layers(path: Path) -> list[LayerInfo]:
    """The layers known before any inspection: a GeoPackage's (one query), else none."""
    if path.suffix.lower() != ".gpkg":
        return []
    try:
        return list_layers(path)
    except InnoAtlasError:
        return []  # the inspection says why


def layer_data(stack: LayerStack | None, name: str) -> gpd.GeoDataFrame | None:
    """The features of the layer ``name`` of ``stack`` (None when there is none)."""
    layer = stack.get(name) if stack is not None else None
    return layer.data if layer is not None else None
