"""Import one vector file as a project layer: read, check, give it a role (Qt-free).

The GUI (File → Add layer…, drag and drop) runs :func:`import_layer` in a worker with
progress and cancel, then adds the result to the project with an undo command. A
GeoPackage made by InnoAtlas or QGIS brings its style along from its ``layer_styles``
table. A layer given a role gets its default coverage area (the districts, else the
admin dongs, its features fall in: app.core.project.coverage) in
:attr:`ImportResult.coverage`, for the dialog to show and the add-layer command to save
with :func:`~app.core.project.coverage.with_coverage`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd

from app.core.formats.vector import ReadOptions, read_vector
from app.core.progress import Progress
from app.core.project.coverage import Coverage, default_coverage
from layers.style import LayerStyle


@dataclass(frozen=True)
class ImportRequest:
    """What the user chose in the import dialog.

    Parameters
    ----------
    path : Path
        The file.
    options : ReadOptions
        Layer, encoding, assumed CRS and CSV coordinate columns.
    title : str
        Display name of the new layer.
    role : str or None
        ``"startups"``, ``"education"``, ``"stations"``, ``"zoning"`` or None.
    mapping : dict
        For a role: the role's field -> the file's column (app.core.project.roles).
    """

    path: Path
    options: ReadOptions = field(default_factory=ReadOptions)
    title: str = ""
    role: str | None = None
    mapping: dict[str, str | None] = field(default_factory=dict)


@dataclass
class ImportResult:
    """The features (EPSG:5186) and everything the user should be told about them."""

    request: ImportRequest
    frame: gpd.GeoDataFrame
    notes: list[str]
    style: LayerStyle | None = None
    opacity: float = 1.0
    source_crs: str | None = None
    #: The default coverage area of a layer with a role (None without a role).
    coverage: Coverage | None = None


def _file_style(path: Path, layer: str | None) -> tuple[LayerStyle | None, float, str]:
    """The default style saved in a GeoPackage's ``layer_styles`` for ``layer``, if any,
    and a note when there is one InnoAtlas cannot read (the default style is used)."""
    from app.core.formats.qgis.layer_styles import read_layer_styles

    if path.suffix.lower() != ".gpkg":
        return None, 1.0, ""
    styles = read_layer_styles(path)
    if layer is None and len(styles) == 1:
        layer = next(iter(styles))
    if (layer or "") not in styles:
        return None, 1.0, ""
    style, opacity = styles[layer or ""]
    if style is None:
        return (
            None,
            float(opacity),
            (f"{layer}: its saved style (layer_styles) cannot be read: the default style is used"),
        )
    return style, float(opacity), ""


def import_layer(
    request: ImportRequest,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    *,
    districts: gpd.GeoDataFrame | None = None,
    dongs: gpd.GeoDataFrame | None = None,
) -> ImportResult:
    """Read ``request.path`` with the chosen options and apply its role.

    Parameters
    ----------
    request : ImportRequest
        What the user chose.
    progress, cancelled : callable, optional
        Progress report and cancel check.
    districts, dongs : GeoDataFrame, optional
        The project's ``districts`` and ``dong`` layers (EPSG:5186): a layer with a role
        gets its default coverage from them (:func:`default_coverage`; without them,
        the whole map).

    Raises
    ------
    app.core.formats.vector.InputError
        With a one-line message for every problem of the file or the mapping
        (``Cancelled`` when ``cancelled()`` became true).
    """
    from app.core.project.roles import apply_role

    def report(fraction: float, message: str) -> None:
        if progress is not None:
            progress(0.9 * fraction, message)

    layer = read_vector(
        request.path,
        request.title or "layer",
        request.options.layer,
        options=request.options,
        progress=report,
        cancelled=cancelled,
    )
    notes = list(layer.notes)
    frame = layer.frame
    if request.role:
        result = apply_role(frame, request.role, request.mapping)
        frame, notes = result.frame, notes + list(result.notes)
    style, opacity, note = (
        (None, 1.0, "") if request.role else _file_style(Path(request.path), layer.layer)
    )
    notes += [note] if note else []
    coverage = default_coverage(frame, districts, dongs) if request.role else None
    if progress is not None:
        progress(1.0, "done")
    return ImportResult(request, frame, notes, style, opacity, layer.source_crs, coverage)
