"""File → Add layer… and drag and drop: from a file to an undoable new layer.

Flow: the :class:`~app.ui.layers.add_layer_dialog.ImportLayerDialog` opens at once (a file
that fails the cheap checks is reported instead) and inspects the chosen layer in a worker
(a file GDAL cannot read closes it with a message), collects the choices, the file is read
in a worker (progress bar, Cancel), and the result is added with an
:class:`~app.ui.layers.commands.AddLayerCommand`, together with the coverage area of a
layer given a role (the one chosen in the dialog, else where its features fall), in one
undo step. A failure shows a message and leaves the project exactly as it was.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QProgressDialog, QWidget

from app.core.errors import InnoAtlasError
from app.core.project.coverage import (
    DISTRICTS_LAYER,
    DONGS_LAYER,
    Coverage,
    default_coverage,
    saved_coverage,
)
from app.core.project.layer_import import ImportRequest, ImportResult, import_layer
from app.core.project.user_layers import is_user_layer, make_user_layer, table_name, user_provenance
from app.ui import worker
from app.ui.i18n import tr
from app.ui.layers.commands import add_layer_command, role_change

FILE_FILTER = (
    "Vector data (*.gpkg *.shp *.zip *.geojson *.json *.csv *.txt *.dbf *.kml "
    "*.gml *.fgb);;GeoPackage (*.gpkg);;Shapefile (*.shp *.zip);;"
    "GeoJSON (*.geojson *.json);;CSV with coordinates (*.csv *.txt);;"
    "All files (*)"
)  # shown through tr()


def show_message(
    parent: QWidget, title: str, text: str, icon=QMessageBox.Icon.Warning
) -> QMessageBox:
    """A window-modal message box that does not block the caller (tests can close it)."""
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("importMessage")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    box.open()
    return box


def grouped_paths(paths: list[Path]) -> list[Path]:
    """``paths`` with every shapefile part replaced by its .shp (when there is one), once."""
    from app.core.formats.vector import SHAPEFILE_PARTS

    result: list[Path] = []
    for path in paths:
        name = path.name.lower()
        part = next((suffix for suffix in SHAPEFILE_PARTS if name.endswith(suffix)), None)
        if part is not None:
            stem = path.name[: len(path.name) - len(part)]
            shp = next(
                (
                    c
                    for c in (path.with_name(stem + ".shp"), path.with_name(stem + ".SHP"))
                    if c.exists()
                ),
                None,
            )
            if shp is not None:
                path = shp
        if path not in result:
            result.append(path)
    return result


class LayerImporter(QObject):
    """Adds files to the window's project as layers.

    Signals
    -------
    layerAdded(Layer)
        A layer was imported and added (once per import, not on redo).
    importFailed(str)
        The one-line reason an import failed or was refused.
    """

    layerAdded = Signal(object)
    importFailed = Signal(str)

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.task: worker.Task | None = None
        self.progress: QProgressDialog | None = None
        self.dialog = None
        self._queue: list[Path] = []

    # -- entry points ---------------------------------------------------------------------
    def open_dialog(self) -> None:
        """File → Add layer…: choose one or more files."""
        names, _ = QFileDialog.getOpenFileNames(self.window, tr("Add layer"), "", tr(FILE_FILTER))
        self.import_paths([Path(name) for name in names])

    def import_paths(self, paths: list[Path]) -> None:
        """Import the files one after the other (a dialog for each).

        The parts of a shapefile (.shx, .dbf, .prj …) dropped together with it, or on
        their own next to it, become one import of the .shp, as in QGIS.
        """
        for path in grouped_paths([Path(p) for p in paths]):
            if path not in self._queue:
                self._queue.append(path)
        if self.dialog is None and self.task is None:
            self._next()

    def _next(self) -> None:
        while self._queue:
            if self.ask(self._queue.pop(0)) is not None:
                return

    def ask(self, path: Path):
        """Show the import dialog for ``path`` (non-blocking); None when the file fails the
        cheap checks (missing, empty, over a size limit …), reported at once."""
        from app.ui.layers.add_layer_dialog import ImportLayerDialog

        try:
            dialog = ImportLayerDialog(path, self.window, self.window.stack)
        except InnoAtlasError as err:
            self._fail(str(err))
            return None
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.finished.connect(lambda code, d=dialog: self._on_dialog_done(d, code))
        dialog.unreadable.connect(lambda _message, d=dialog: d.reject())
        self.dialog = dialog
        dialog.open()
        return dialog

    def _on_dialog_done(self, dialog, code: int) -> None:
        choice = dialog.dataset_choice() if code == QDialog.DialogCode.Accepted else None
        if choice is not None:  # read as a recognised official dataset in the dialog
            self.dialog = None
            self._add_dataset(*choice)
            return
        request = dialog.request() if code == QDialog.DialogCode.Accepted else None
        coverage = dialog.coverage_choice() if request is not None else None
        walking = request is not None and dialog.walking_network()
        self.dialog = None
        if dialog.refused:  # its inspection found the file unreadable
            self._fail(dialog.refused)
        elif request is not None:
            self.start(request, coverage, walking)
        else:
            self._next()

    def _add_dataset(self, result, role, title) -> None:
        from app.ui.layers.add_layer_datasets import add_dataset

        try:
            layers = add_dataset(self.window, result, role, title)
        except (InnoAtlasError, ValueError) as err:
            self._fail(str(err))
            return
        if layers:
            self.layerAdded.emit(layers[0])
        self._next()

    # -- reading ------------------------------------------------------------------------------
    def start(
        self, request: ImportRequest, coverage: Coverage | None = None, walking: bool = False
    ) -> worker.Task:
        """Read the file in a worker with a progress dialog; add the layer when done.

        ``coverage`` is the coverage area chosen for a role (None: where the features fall);
        ``walking``: the layer becomes the project's walking network (an OA-21208 CSV is
        read as published).
        """
        from app.ui.layers.add_layer_network import is_oa21208, read_oa21208_import

        stack = self.window.stack
        districts, dongs = stack.get(DISTRICTS_LAYER), stack.get(DONGS_LAYER)
        oa21208 = walking and is_oa21208(request.path)
        task = worker.Task(
            read_oa21208_import if oa21208 else import_layer,
            request,
            # the default coverage area of a role layer: where its features fall
            districts=districts.data if districts is not None else None,
            dongs=dongs.data if dongs is not None else None,
        )
        task.kwargs["cancelled"] = lambda: task.is_cancelled
        progress = QProgressDialog(
            tr("Reading {name}…", name=request.path.name), tr("Cancel"), 0, 100, self.window
        )
        progress.setObjectName("importProgress")
        progress.setWindowTitle(tr("Add layer"))
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)  # small files never flash a dialog
        progress.setAutoClose(False)
        progress.setAutoReset(False)
        progress.canceled.connect(task.cancel)
        progress.setValue(0)
        self.progress = progress
        task.on(
            progress=lambda f, m: self._on_progress(f, m),
            finished=lambda result: self._finished(result, coverage, walking),
            failed=lambda message, _details: self._failed(task, message),
            cancelled=self._cancelled,
        )
        self.task = worker.start(task)
        return task

    def _on_progress(self, fraction: float, message: str) -> None:
        progress = self.progress
        if progress is None:
            return  # a late report of a task that has ended
        progress.setLabelText(tr("Reading {name}…", name=message) if message else tr("Reading…"))
        # last: a window-modal setValue processes events, the task may end inside it
        progress.setValue(int(fraction * 100))

    def _close_progress(self) -> None:
        if self.progress is not None:
            self.progress.canceled.disconnect()  # closing emits canceled: not the user's
            self.progress.reset()
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None
        self.task = None

    def _failed(self, task: worker.Task, message: str) -> None:
        self._close_progress()
        if task.is_cancelled:
            self._cancelled()
            return
        self._fail(message)

    def _cancelled(self) -> None:
        self._close_progress()
        self.window.statusBar().showMessage(tr("Import cancelled: nothing was added"), 6000)
        self._next()

    def _fail(self, message: str) -> None:
        self.importFailed.emit(message)
        show_message(
            self.window,
            tr("Cannot add the layer"),
            tr("{message}\n\nNothing was added; the project is unchanged.", message=message),
        )
        self._next()

    def _finished(
        self, result: ImportResult, coverage: Coverage | None = None, walking: bool = False
    ) -> None:
        self._close_progress()
        try:
            layer = self.add(result, coverage, walking)
        except (InnoAtlasError, ValueError) as err:
            self._fail(str(err))
            return
        # The notes only inform (nothing to decide): a status-bar note, not a dialog.
        notes = "; ".join(result.notes)  # the engine's notes stay English
        count = f"{len(layer.data):,}"
        self.window.statusBar().showMessage(
            tr("Added {title}: {n} features", title=layer.title_en, n=count)
            + (f" — {notes}" if notes else ""),
            30000 if notes else 15000,
        )
        self.layerAdded.emit(layer)
        self._next()

    def coverage_of(self, result: ImportResult, chosen: Coverage | None) -> Coverage | None:
        """The coverage area saved with a layer given a role: the one chosen, else the
        import's own, else where its features fall; None without a role."""
        if not result.request.role:
            return None
        if chosen is not None:
            return chosen
        if result.coverage is not None:  # computed with the import, from where they fall
            return result.coverage
        stack = self.window.stack
        districts, dongs = stack.get(DISTRICTS_LAYER), stack.get(DONGS_LAYER)
        return default_coverage(
            result.frame,
            districts.data if districts is not None else None,
            dongs.data if dongs is not None else None,
        )

    def add(self, result: ImportResult, coverage: Coverage | None = None, walking: bool = False):
        """Turn an import result into a layer on top of the project (one undo step, with
        the coverage area of a role layer: see :meth:`coverage_of`; with ``walking``, the
        layer becomes the walking network in the same step, or nothing is added when the
        network is refused)."""
        window, stack = self.window, self.window.stack
        request = result.request
        if len(result.frame) == 0:
            raise InnoAtlasError(tr("{name} has no features to add", name=request.path.name))
        name = table_name(request.title or request.path.stem, stack.names())
        imported = sum(1 for layer in stack if is_user_layer(layer))
        layer = make_user_layer(
            result.frame,
            name,
            request.title or request.path.stem,
            user_provenance(request.path, result.notes),
            style=result.style,
            role=request.role,
            index=imported,
        )
        layer.opacity = result.opacity
        roles_before, roles_after, replaces = role_change(window, name, request.role)
        position = 1 if stack.names()[:1] == ["sites"] else 0
        extra = window.project.settings.extra
        if walking:
            from app.ui.layers.add_layer_network import push_walking_network

            def push_layer():
                self._push_add(layer, position, roles_before, roles_after, None, extra, result)
                return layer

            push_walking_network(window, push_layer, result.frame, layer.title_en)
            window.layer_panel.select_layer(layer)
            return layer
        self._push_add(
            layer, position, roles_before, roles_after, replaces, extra, result, coverage
        )
        window.layer_panel.select_layer(layer)
        return layer

    def _push_add(
        self, layer, position, roles_before, roles_after, replaces, extra, result, coverage=None
    ) -> None:
        window = self.window
        window.undo_stack.push(
            add_layer_command(
                window,
                layer,
                position,
                (roles_before, roles_after, replaces),
                (
                    saved_coverage(extra, layer.name),  # a record left by a removed namesake
                    self.coverage_of(result, coverage),
                ),
            )
        )
