"""File → Export of the main window: the map as PNG/PDF, the web map and the GeoPackage.

:class:`WindowExports` asks for the file (the ``*_dialog`` methods) and writes it. Every
export first waits for the indicators (the files show the sites' ranks as the canvas
does) and says in the status bar where it went; an :class:`InnoAtlasError` shows a
message box instead and changes nothing. The map image and the GeoPackage are written
under a wait cursor; the web map and the vector files in the worker
(:mod:`app.ui.worker`) with a progress dialog whose Cancel stops them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from app.core.decisions.robust import ROBUST_COLUMNS  # the files keep their columns
from app.core.errors import InnoAtlasError
from app.core.project.scenes import scenes_from_settings
from app.ui.i18n import tr

#: File-type choices of the web map dialog; the second adds the online basemap.
HTML_FILTERS = (
    "Web map, works offline (*.html)",
    "Web map with OpenStreetMap basemap, online (*.html)",
)


class WindowExports:
    """The export actions of one main window.

    Parameters
    ----------
    window : MainWindow
        Supplies the layers, the view, the indicators and the project settings, and
        parents the dialogs.
    """

    def __init__(self, window) -> None:
        self.window = window

    def map_dialog(self):
        """File → Export map…: open the (non-modal) PNG/PDF export dialog.

        Returns
        -------
        MapExportDialog
            The dialog, deleted when it closes.
        """
        from app.ui.export.map_dialog import MapExportDialog

        dialog = MapExportDialog(self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.open()
        return dialog

    def export_map(self, path: Path, title: str | None = None):
        """Render the current view to ``path`` (.png or .pdf) with the map furniture.

        With the basemap on, its tiles are waited for in the worker (a progress dialog
        whose Cancel stops it; the window stays responsive) and the running task is
        returned; otherwise the map is drawn at once.

        Parameters
        ----------
        path : Path
            The image or PDF to write.
        title : str, optional
            The map title; by default "InnoAtlas — " and the project's name.

        Returns
        -------
        bool or Task
            True when the file was written; the running export when the basemap is on.
        """
        from app.ui.export.map_export import render_map

        w = self.window
        # the indicators are awaited first: the sites' rank badges as the canvas shows them
        w.indicators.wait()
        options = {  # read here, in the GUI thread; the worker only draws
            "extent": w.canvas.viewport.extent,
            "title": title or f"InnoAtlas — {w.project.display_name}",
            "language": w.language,
            "indicators": w.indicators.results,
            "radius_m": w.editing.radius_m,
            "basemap": w.basemap.spec(),
            "catchments": w.catchments.current(),
        }

        stack = self.export_stack()  # read in the GUI thread too

        def job(progress=None):
            return render_map(stack, path, progress=progress, **options)

        failure, done = tr("Cannot export the map"), tr("Map exported to {name}", name=path.name)
        if w.basemap.current().enabled:
            return self._start_with_progress(
                *self.map_task(job), failure, lambda _layout: (done, 8000)
            )
        return self._run(job, failure, done)

    def map_task(self, job: Callable[..., object], parent=None):
        """``(task, dialog)``: a map export ``job(progress=…)`` as a worker task, and its
        progress dialog (shown, window-modal, with Cancel) while tiles are waited for."""
        from PySide6.QtWidgets import QProgressDialog

        from app.ui import worker

        dialog = QProgressDialog(
            tr("Waiting for the basemap tiles…"), tr("Cancel"), 0, 100, parent or self.window
        )
        dialog.setObjectName("mapExportProgress")
        dialog.setWindowTitle(tr("Export map"))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.show()
        self.map_progress = dialog
        return worker.Task(job), dialog

    def export_stack(self):
        """The layers to export: the project's, plus the walking isochrones shown on the map
        (app/ui/network/setup.py) and the workshop participants' pins and proposals when there
        are any (app/ui/participation/workshop.py)."""
        walking = getattr(self.window, "walking", None)  # with the walking isochrones shown
        base = walking.export_stack() if walking is not None else self.window.stack
        workshop = getattr(self.window, "workshop", None)
        return workshop.export_stack(base) if workshop is not None else base

    def html_dialog(self) -> bool:
        """File → Export web map…: ask for a file (and whether to add a basemap).

        Returns
        -------
        bool
            True when a web map was written.
        """
        filters = [tr(text) for text in HTML_FILTERS]
        source = self.window.basemap.web_source()
        if isinstance(source, tuple) and "openstreetmap" not in source[1].casefold():
            # the project's own basemap, named by its credit
            credit = source[1].replace("(", "").replace(")", "")
            filters[1] = tr("Web map with the basemap {credit}, online (*.html)", credit=credit)
        name, chosen = QFileDialog.getSaveFileName(
            self.window, tr("Export web map"), "innoatlas-map.html", ";;".join(filters)
        )
        return bool(name) and self.export_html(Path(name), basemap=chosen == filters[1])

    def export_html(self, path: Path, basemap: bool = False):
        """Write the interactive web map, opening at the map's current view, in the
        background with a progress dialog whose Cancel stops it (the window stays
        responsive; the dialog keeps the project from changing meanwhile).

        Parameters
        ----------
        path : Path
            The page to write; another suffix than .html/.htm becomes .html.
        basemap : bool
            Add the online OpenStreetMap basemap.

        Returns
        -------
        Task
            The running export; its end shows a status message, a failure a message
            box, a cancel a status note (and no file).
        """
        from PySide6.QtWidgets import QProgressDialog

        from app.core.export.webmap.page import export_html
        from app.ui import worker

        if path.suffix.lower() not in (".html", ".htm"):
            path = path.with_suffix(".html")
        w = self.window
        w.indicators.wait()  # the page shows the sites' ranks as the canvas does
        task = worker.Task(
            export_html,
            path,
            self.export_stack(),
            title=f"InnoAtlas — {w.project.display_name}",
            language=w.language,
            indicators=w.indicators.results,
            scenes=scenes_from_settings(w.project.capture_settings().extra, w.stack, w.language),
            basemap=w.basemap.web_source() if basemap else False,
            radius_m=w.editing.radius_m,
            view=w.canvas.viewport.extent,  # opens where the user looks
            extra=dict(w.project.settings.extra),  # names each role layer's coverage
        )
        dialog = QProgressDialog(tr("Exporting the web map…"), tr("Cancel"), 0, 100, w)
        dialog.setWindowTitle(tr("Export web map"))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        self.html_progress = dialog
        done = tr("Web map exported to {name}", name=path.name)
        failure = tr("Cannot export the web map")
        dialog.show()
        return self._start_with_progress(task, dialog, failure, lambda _result: (done, 8000))

    def gpkg_dialog(self) -> bool:
        """File → Export GeoPackage…: ask for a file, then :meth:`export_gpkg`.

        Returns
        -------
        bool
            True when the GeoPackage was written.
        """
        name, _ = QFileDialog.getSaveFileName(
            self.window, tr("Export GeoPackage"), "innoatlas-export.gpkg", "GeoPackage (*.gpkg)"
        )
        return bool(name) and self.export_gpkg(Path(name))

    def export_gpkg(self, path: Path) -> bool:
        """Write the styled GeoPackage (opens styled in QGIS).

        Parameters
        ----------
        path : Path
            The file to write; another suffix than .gpkg becomes .gpkg.

        Returns
        -------
        bool
            True when the GeoPackage was written.
        """
        from app.core.export.geopackage import export_geopackage

        if path.suffix.lower() != ".gpkg":
            path = path.with_suffix(".gpkg")
        w = self.window

        def write():
            results = w.indicators.results
            # the sites layer already has the names; rank and the indicators are added
            export_geopackage(
                path,
                self.export_stack(),
                indicators=results.drop(columns=["name", *ROBUST_COLUMNS], errors="ignore")
                if len(results)
                else None,
                settings=w.project.capture_settings(),
            )

        return self._run(
            write, tr("Cannot export"), tr("Exported {name}: opens styled in QGIS", name=path.name)
        )

    #: The format choices of :meth:`files_dialog`: (label, format, encoding).
    FILE_FORMATS = (
        ("Shapefile, UTF-8", "shp", "utf-8"),
        ("Shapefile, CP949 (older Korean tools)", "shp", "cp949"),
        ("GeoJSON (WGS 84)", "geojson", "utf-8"),
        ("FlatGeobuf", "fgb", "utf-8"),
    )

    def files_dialog(self):
        """File → Export Shapefiles, GeoJSON or FlatGeobuf…: ask for a format and a
        folder, then :meth:`export_files`.

        Returns
        -------
        Task or None
            The running export, None when the user cancelled a question.
        """
        from PySide6.QtWidgets import QInputDialog

        labels = [tr(label) for label, _fmt, _enc in self.FILE_FORMATS]
        chosen, ok = QInputDialog.getItem(
            self.window, tr("Format"), tr("Export format:"), labels, 0, False
        )
        if not ok:
            return None
        folder = QFileDialog.getExistingDirectory(self.window, tr("Export to folder"))
        if not folder:
            return None
        _label, fmt, encoding = self.FILE_FORMATS[labels.index(chosen)]
        return self.export_files(Path(folder), fmt, encoding)

    def export_files(self, folder: Path, fmt: str = "shp", encoding: str = "utf-8"):
        """Write every layer as ``fmt`` files into ``folder`` in the background, with a
        progress dialog whose Cancel stops it (app/core/export/vector_files.py).

        Parameters
        ----------
        folder : Path
            The target folder (created when its parent exists).
        fmt : {"shp", "geojson", "fgb"}
            The format.
        encoding : {"utf-8", "cp949"}
            The Shapefiles' encoding.

        Returns
        -------
        Task
            The running export; its end shows a status message (and the notes on
            text the format lost), or a message box on failure.
        """
        from PySide6.QtWidgets import QProgressDialog

        from app.core.export.vector_files import export_vector_files
        from app.ui import worker

        w = self.window
        w.indicators.wait()  # the files carry the indicators the canvas shows
        results = w.indicators.results
        indicators = (
            results.drop(columns=["name", *ROBUST_COLUMNS], errors="ignore")
            if len(results)
            else None
        )
        task = worker.Task(
            export_vector_files,
            folder,
            self.export_stack(),
            fmt=fmt,
            encoding=encoding,
            indicators=indicators,
        )
        dialog = QProgressDialog(tr("Exporting files…"), tr("Cancel"), 0, 100, w)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(400)

        def done(result) -> tuple[str, int]:
            count = sum(p.suffix in (".shp", ".geojson", ".fgb") for p in result.paths)
            message = tr("Exported {count} file(s) to {name}", count=count, name=folder.name)
            return " — ".join([message, *result.notes]), 15000

        return self._start_with_progress(task, dialog, tr("Cannot export"), done)

    def _start_with_progress(self, task, dialog, failure_title: str, done):
        """Start ``task`` in the worker with ``dialog`` showing its progress and Cancel;
        ``done(result)`` gives the status-bar message and its duration (ms)."""
        from app.ui import worker

        w = self.window
        dialog.canceled.connect(task.cancel)

        def end() -> None:
            dialog.reset()  # also stops a pending delayed show
            dialog.close()

        def finished(result) -> None:
            end()
            w.statusBar().showMessage(*done(result))

        def failed(message: str, _details: str) -> None:
            end()
            QMessageBox.warning(w, failure_title, message)

        def cancelled() -> None:
            end()
            w.statusBar().showMessage(tr("Export cancelled"), 8000)

        task.on(
            progress=lambda fraction, _m: dialog.setValue(int(fraction * 100)),
            finished=finished,
            failed=failed,
            cancelled=cancelled,
        )
        return worker.start(task)

    def _run(self, write: Callable[[], object], failure_title: str, done: str) -> bool:
        """Wait for the indicators, then call ``write()`` under a wait cursor; an
        :class:`InnoAtlasError` shows ``failure_title`` and the error, success shows
        ``done`` in the status bar."""
        self.window.indicators.wait()
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            write()
        except InnoAtlasError as err:
            error = str(err)
        else:
            error = None
        finally:
            QApplication.restoreOverrideCursor()
        if error is not None:
            QMessageBox.warning(self.window, failure_title, error)
            return False
        self.window.statusBar().showMessage(done, 8000)
        return True
