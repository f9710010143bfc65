"""Large layers read after the window shows: the map draws the rest at once.

A project whose GeoPackage holds a table of more than :data:`LARGE_LAYER` features
(a million start-ups) opens with that layer empty (``open_project(defer=...)``); the
window shows and draws every other layer, and a worker thread reads the large table
and builds its drawing arrays (:func:`~app.ui.canvas.render.layer_painter.build_cache`).
When it arrives the layer takes its features and the map draws it. Meanwhile the
status bar shows a busy bar with the layer's name; Save and autosave wait for it, and
after a failed read they refuse to write (the file's features would be lost).
"""

from __future__ import annotations

import logging
import sqlite3
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal
from PySide6.QtWidgets import QMainWindow, QProgressBar

from app.core.formats.gpkg import readonly_uri
from app.core.project.kept_rows import keep_rows, kept_rows
from app.core.project.loader import read_layer, read_provenance
from app.core.project.store import ProjectSettings
from app.core.project.user_layers import user_layer_specs
from app.ui import worker
from app.ui.canvas.render.layer_painter import build_cache
from app.ui.i18n import tr
from layers.model import Layer, LayerSpec
from layers.style_io import style_from_dict
from layers.themes.registry import DEFAULT_SPECS

log = logging.getLogger("innoatlas")

#: Tables with more features than this are read after the window shows.
LARGE_LAYER = 100_000


def large_tables(path: Path, threshold: int = LARGE_LAYER) -> set[str]:
    """Feature tables of the GeoPackage ``path`` with more than ``threshold`` features
    (GDAL's ``gpkg_ogr_contents`` counts; none when the file has no such table)."""
    try:
        with sqlite3.connect(readonly_uri(Path(path)), uri=True) as db:
            rows = db.execute(
                "SELECT table_name FROM gpkg_ogr_contents WHERE feature_count > ?", (threshold,)
            ).fetchall()
    except sqlite3.Error:
        return set()
    return {str(name) for (name,) in rows}


def layer_specs(settings: ProjectSettings) -> dict[str, LayerSpec]:
    """The specs of the default and the imported layers, by table name."""
    specs = {spec.name: spec for spec in DEFAULT_SPECS}
    specs.update({spec.name: spec for spec in user_layer_specs(settings.extra, style_from_dict)[0]})
    return specs


def _read(path: Path, spec: LayerSpec, style, progress=None):
    """Worker thread: the table's layer and its drawing arrays in ``style``."""
    provenance = read_provenance(path).get(spec.name)
    layer = read_layer(path, spec, provenance, arrow=True)
    styled = Layer(spec.name, layer.data, style, layer.provenance, geometry_kind=spec.geometry_kind)
    return layer, build_cache(styled), style


class DeferredLayers(QObject):
    """Reads a project's large layers in the background and hands them to the map.

    Parameters
    ----------
    window : QMainWindow
        The main window (its ``canvas``, ``stack`` and status bar).
    path : Path
        The project GeoPackage.
    layers : dict of str to LayerSpec
        The layers opened empty (``open_project(defer=...)``), by name, with their specs.

    Signals
    -------
    arrived(str)
        A layer's features are in and drawn on the next paint.
    """

    arrived = Signal(str)

    def __init__(self, window: QMainWindow, path: Path, layers: dict[str, LayerSpec]) -> None:
        super().__init__(window)
        self.window, self.path = window, Path(path)
        #: Layers whose read failed, kept empty (save refuses while they are open).
        self.failed: dict[str, Layer] = {}
        self._tasks: list[worker.Task] = []
        self._bar: QProgressBar | None = None
        stack = window.stack
        self._started = False
        self._specs = {name: spec for name, spec in layers.items() if stack.get(name) is not None}
        self.pending = {name: stack.get(name) for name in self._specs}
        if self.pending:
            self._show_busy()
            # The reading starts once the window has drawn its map: the worker holds
            # Python's lock for long stretches, which would slow the first frame down.
            window.canvas.rendered.connect(self._first_frame)

    def _first_frame(self, *_args) -> None:
        self.window.canvas.rendered.disconnect(self._first_frame)
        QTimer.singleShot(0, self._start_all)  # once this paint (labels too) is done

    def _start_all(self) -> None:
        if self._started:
            return
        self._started = True
        for name, spec in self._specs.items():
            if name in self.pending:
                self._start(self.pending[name], spec)

    def _start(self, layer: Layer, spec: LayerSpec) -> None:
        started = time.perf_counter()
        task = worker.Task(_read, self.path, spec, layer.style).on(
            finished=lambda result, layer=layer, started=started: self._arrived(
                layer, result, started
            ),
            failed=lambda message, details, layer=layer: self._failed(layer, message, details),
        )
        self._tasks.append(task)
        worker.start(task)

    def _titles(self) -> str:
        language = getattr(self.window.canvas, "language", "en")
        return ", ".join(layer.title(language) for layer in self.pending.values())

    def _show_busy(self) -> None:
        bar = self._bar = QProgressBar()
        bar.setObjectName("deferredLayersProgress")
        bar.setRange(0, 0)  # busy: the reading itself reports nothing
        bar.setMaximumWidth(140)
        bar.setMaximumHeight(14)
        bar.setTextVisible(False)
        self.window.statusBar().addPermanentWidget(bar)
        self.window.statusBar().showMessage(tr("Reading {layers}…", layers=self._titles()))

    def _done(self, layer: Layer) -> None:
        self.pending.pop(layer.name, None)
        if self.pending:
            self.window.statusBar().showMessage(tr("Reading {layers}…", layers=self._titles()))
        elif self._bar is not None:
            self.window.statusBar().removeWidget(self._bar)
            self._bar.deleteLater()
            self._bar = None

    def _arrived(self, layer: Layer, result, started: float) -> None:
        loaded, cache, style = result
        stack = self.window.stack
        if layer.name not in stack or stack.get(layer.name) is not layer:
            self._done(layer)  # another project was opened meanwhile
            return
        layer.set_data(loaded.data)
        keep_rows(layer, kept_rows(loaded))
        if layer.style is style:  # the arrays were built in the layer's current style
            self.window.canvas.renderer.adopt_cache(layer, cache)
        self._done(layer)
        seconds = time.perf_counter() - started
        log.info("read %s (%d features) in %.2f s", layer.name, len(loaded.data), seconds)
        self.window.statusBar().showMessage(
            tr(
                "{layer}: {count} features read",
                layer=layer.title(getattr(self.window.canvas, "language", "en")),
                count=f"{len(loaded.data):,}",
            ),
            6000,
        )
        self.arrived.emit(layer.name)

    def _failed(self, layer: Layer, message: str, details: str) -> None:
        log.error("cannot read %s\n%s", layer.name, details)
        self.failed[layer.name] = layer
        self._done(layer)
        self.window.statusBar().showMessage(
            tr("Cannot read the layer {layer}: {error}", layer=layer.name, error=message)
        )

    def wait(self, timeout_s: float = 600.0) -> bool:
        """Process events until every pending layer has arrived (or failed); True when
        none is left pending. Save and autosave call this first."""
        if self.pending and not self._started:  # the map was not drawn yet: start now
            self.window.canvas.rendered.disconnect(self._first_frame)
            self._start_all()
        deadline = time.monotonic() + timeout_s
        while self.pending and time.monotonic() < deadline:
            worker.wait_all(100)
            QCoreApplication.processEvents()
        return not self.pending

    def blocks_saving(self) -> str:
        """Why a save would lose features now (a layer not read), or ``""``."""
        if not self.wait():
            return tr("The layer {layer} is still being read.", layer=", ".join(self.pending))
        stack = self.window.stack
        lost = [name for name, layer in self.failed.items() if stack.get(name) is layer]
        if lost:
            return tr(
                "The layer {layer} could not be read; saving now would lose its features.",
                layer=", ".join(lost),
            )
        return ""


__all__ = ["LARGE_LAYER", "DeferredLayers", "large_tables", "layer_specs"]
