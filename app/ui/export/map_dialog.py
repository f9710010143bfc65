"""File → Export map…: one dialog for PNG/PDF maps of the view, a scene or every scene.

The format follows the file name's suffix; the page size and orientation apply to a
PDF, the pixel size and DPI to a PNG. "Every scene" writes a PDF handout with one
page per scene (a title given makes each page "<title> — <scene title>"). A failure
(unwritable path, no scenes) shows a warning and leaves
the dialog open with everything as typed; the project is never changed (scenes are
drawn on a copy of the layer visibility, see :func:`app.ui.export.map_export.scene_stack`).
"""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QSettings, Qt
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import InnoAtlasError
from app.core.project.scenes import scenes_from_settings
from app.ui import i18n
from app.ui.i18n import tr

#: The "what" choices, in combo-box order.
VIEW, SCENE, ALL_SCENES = "view", "scene", "all"
#: English texts of the "what" choices (shown through ``tr``).
WHAT_TEXTS = {
    VIEW: "Current view",
    SCENE: "One scene",
    ALL_SCENES: "Every scene (PDF, one page each)",
}
ORIENTATION_TEXTS = {"landscape": "Landscape", "portrait": "Portrait"}
#: Form rows: (attribute of the field, English label).
ROWS = (
    ("path_box", "File"),
    ("format_label", "Format"),
    ("title_edit", "Title"),
    ("what_combo", "Map"),
    ("scene_combo", "Scene"),
    ("page_combo", "Page (PDF)"),
    ("orientation_combo", "Orientation (PDF)"),
    ("size_box", "Size (PNG)"),
    ("dpi_spin", "Resolution (PNG)"),
)

#: Where the dialog's last choices are kept: the project's ``extra`` and QSettings.
CHOICES_KEY = "export_map"


def _parse(value) -> dict:
    """Saved choices from QSettings (a JSON object), {} when absent or damaged."""
    try:
        parsed = json.loads(value) if isinstance(value, str) else None
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


class MapExportDialog(QDialog):
    """Title, file, format, page/orientation or size/dpi, and what to map."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window_ = window
        self.setObjectName("mapExportDialog")
        self.setMinimumWidth(520)
        self.error_box: QMessageBox | None = None
        self.scenes = scenes_from_settings(
            window.project.capture_settings().extra, window.stack, window.language
        )

        self.path_edit = QLineEdit(str(self.default_folder() / "innoatlas-map.pdf"))
        self.path_edit.setObjectName("exportPath")
        self.browse_button = QPushButton()
        self.browse_button.setObjectName("exportBrowse")
        self.browse_button.clicked.connect(self.browse)
        path_row = QHBoxLayout()
        path_row.setContentsMargins(0, 0, 0, 0)
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(self.browse_button)
        self.path_box = QWidget()
        self.path_box.setLayout(path_row)
        self.format_label = QLabel()
        self.format_label.setObjectName("exportFormat")

        self.title_edit = QLineEdit()
        self.title_edit.setObjectName("exportTitle")

        self.what_combo = QComboBox()
        self.what_combo.setObjectName("exportWhat")
        for what, text in WHAT_TEXTS.items():
            self.what_combo.addItem(text, what)
        self.scene_combo = QComboBox()
        self.scene_combo.setObjectName("exportScene")
        for scene in self.scenes:
            self.scene_combo.addItem(scene.title, scene.scene_id)

        self.page_combo = QComboBox()
        self.page_combo.setObjectName("exportPage")
        self.page_combo.addItems(["A4", "A3"])
        self.orientation_combo = QComboBox()
        self.orientation_combo.setObjectName("exportOrientation")
        for orientation, text in ORIENTATION_TEXTS.items():
            self.orientation_combo.addItem(text, orientation)
        self.width_spin = self._spin(200, 20000, 1600, "exportWidth", " px")
        self.height_spin = self._spin(150, 20000, 1000, "exportHeight", " px")
        self.dpi_spin = self._spin(30, 1200, 150, "exportDpi", " dpi")
        size_row = QHBoxLayout()
        size_row.setContentsMargins(0, 0, 0, 0)
        size_row.addWidget(self.width_spin)
        size_row.addWidget(QLabel("×"))
        size_row.addWidget(self.height_spin)
        self.size_box = QWidget()
        self.size_box.setLayout(size_row)

        form = QFormLayout()
        #: field attribute -> its label (tests and :meth:`retranslate` use them)
        self.labels: dict[str, QLabel] = {}
        for attribute, _text in ROWS:
            label = self.labels[attribute] = QLabel()
            form.addRow(label, getattr(self, attribute))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        # Qt gives its standard buttons their own texts again on a language change.
        self.buttons.installEventFilter(self)
        self.buttons.accepted.connect(self.export)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

        self.path_edit.textChanged.connect(self._update)
        self.what_combo.currentIndexChanged.connect(self._update)
        self.scene_combo.currentIndexChanged.connect(self._update)
        self._restore_choices()
        self.retranslate()
        i18n.notifier.languageChanged.connect(self.retranslate)

    # -- memory ------------------------------------------------------------------------
    def default_folder(self) -> Path:
        """The project's folder (the home folder for a project not saved yet)."""
        path = self.window_.project.path
        return Path(path).parent if path is not None else Path.home()

    def choices(self) -> dict:
        """What the dialog remembers: title, folder, file name, format and sizes."""
        path = self.path()
        return {
            "title": self.title_edit.text(),
            "folder": str(path.parent),
            "name": path.stem,
            "format": path.suffix.lower().lstrip("."),
            "width": self.width_spin.value(),
            "height": self.height_spin.value(),
            "dpi": self.dpi_spin.value(),
            "page": self.page_combo.currentText(),
            "orientation": self.orientation_combo.currentData(),
        }

    def _restore_choices(self) -> None:
        """The project's last choices (``extra["export_map"]``), else the session's."""
        saved = self.window_.project.settings.extra.get(CHOICES_KEY)
        if not isinstance(saved, dict):
            saved = _parse(QSettings().value(CHOICES_KEY, None))
        if not saved:
            return
        if isinstance(saved.get("title"), str):
            self.title_edit.setText(saved["title"])
        folder = saved.get("folder")
        folder = Path(folder) if isinstance(folder, str) and folder else self.default_folder()
        if not folder.is_dir():
            folder = self.default_folder()
        name = saved.get("name") if isinstance(saved.get("name"), str) else ""
        suffix = saved.get("format") if saved.get("format") in ("pdf", "png") else "pdf"
        self.path_edit.setText(str(folder / f"{name or 'innoatlas-map'}.{suffix}"))
        for key, spin in (
            ("width", self.width_spin),
            ("height", self.height_spin),
            ("dpi", self.dpi_spin),
        ):
            value = saved.get(key)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                spin.setValue(int(value))  # clamped to the box's range
        index = self.page_combo.findText(str(saved.get("page", "")))
        if index >= 0:
            self.page_combo.setCurrentIndex(index)
        index = self.orientation_combo.findData(saved.get("orientation"))
        if index >= 0:
            self.orientation_combo.setCurrentIndex(index)

    def _remember_choices(self) -> None:
        """Keep the choices in the project (saved with it) and for the session."""
        choices = self.choices()
        self.window_.project.settings.extra[CHOICES_KEY] = choices
        QSettings().setValue(CHOICES_KEY, json.dumps(choices))

    def retranslate(self) -> None:
        """Every label, choice and button in the current UI language.

        The scene list is read again: untouched default district scenes follow the
        language (the chosen scene stays chosen).
        """
        self.setWindowTitle(tr("Export map"))
        self.browse_button.setText(tr("Browse…"))
        for attribute, text in ROWS:
            self.labels[attribute].setText(tr(text))
        for i, text in enumerate(WHAT_TEXTS.values()):
            self.what_combo.setItemText(i, tr(text))
        for i, text in enumerate(ORIENTATION_TEXTS.values()):
            self.orientation_combo.setItemText(i, tr(text))
        self._name_export_button()
        self.scenes = scenes_from_settings(
            self.window_.project.capture_settings().extra, self.window_.stack, i18n.language()
        )
        for i, scene in enumerate(self.scenes[: self.scene_combo.count()]):
            self.scene_combo.setItemText(i, scene.title)
        self._update()

    def _name_export_button(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("Export"))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.buttons and event.type() == QEvent.Type.LanguageChange:
            self.buttons.event(event)  # Qt's texts (Cancel, and OK in place of Export)…
            self._name_export_button()  # …then the dialog's own
            return True
        return super().eventFilter(watched, event)

    def _spin(self, low: int, high: int, value: int, name: str, suffix: str) -> QSpinBox:
        spin = QSpinBox()
        spin.setRange(low, high)
        spin.setValue(value)
        spin.setSuffix(suffix)
        spin.setObjectName(name)
        return spin

    # -- state -------------------------------------------------------------------------
    def path(self) -> Path:
        """The output file as typed (``~`` expanded)."""
        return Path(self.path_edit.text().strip()).expanduser()

    def is_pdf(self) -> bool:
        """True when the file name ends in ``.pdf``."""
        return self.path().suffix.lower() == ".pdf"

    def what(self) -> str:
        """``"view"``, ``"scene"`` or ``"all"``."""
        return self.what_combo.currentData()

    def default_title(self) -> str:
        """The title used for the current view when the title field is empty."""
        return f"InnoAtlas — {self.window_.project.display_name}"

    def _update(self) -> None:
        suffix = self.path().suffix.lower()
        self.format_label.setText(
            tr(
                {".pdf": "PDF (vector)", ".png": "PNG image"}.get(
                    suffix, "use a file name ending in .png or .pdf"
                )
            )
        )
        pdf = suffix == ".pdf"
        what = self.what()
        self.page_combo.setEnabled(pdf)
        self.orientation_combo.setEnabled(pdf)
        self.size_box.setEnabled(not pdf)
        self.dpi_spin.setEnabled(not pdf)
        self.scene_combo.setEnabled(what == SCENE and bool(self.scenes))
        if what == SCENE and self.scenes:
            self.title_edit.setPlaceholderText(self.scene_combo.currentText())
        else:
            # Every scene: an optional handout title, each page "title — scene title".
            self.title_edit.setPlaceholderText(
                self.default_title()
                if what == VIEW
                else tr("optional: each page reads “title — its scene's title”")
            )

    # -- actions -----------------------------------------------------------------------
    def browse(self) -> None:
        """Choose the output file (the suffix picks the format)."""
        name, _ = QFileDialog.getSaveFileName(
            self, tr("Export map"), str(self.path()), tr("PDF (*.pdf);;PNG image (*.png)")
        )
        if name:
            self.path_edit.setText(name)

    def export(self) -> bool:
        """Render as chosen; on success close and report in the status bar.

        With the basemap on, the map is drawn in the worker, which waits for the tiles
        with a progress dialog whose Cancel stops it (the window stays responsive); the
        dialog closes when the file is written. A failure shows a (window-modal,
        non-blocking) warning and keeps the dialog open.
        """
        window = self.window_
        window.indicators.wait()  # the sites' rank badges as the canvas shows them
        try:
            job = self._job()
        except InnoAtlasError as err:
            self._warn(str(err))
            return False
        if window.basemap.current().enabled:
            from app.ui import worker

            task, progress = window.exports.map_task(job, parent=self)
            progress.canceled.connect(task.cancel)

            def end() -> None:
                progress.reset()
                progress.close()

            def failed(message: str, _details: str) -> None:
                end()
                self._warn(message)

            def cancelled() -> None:
                end()
                window.statusBar().showMessage(tr("Export cancelled"), 8000)

            def finished(layouts) -> None:
                end()
                self._exported(layouts)

            task.on(
                progress=lambda fraction, _m: progress.setValue(int(fraction * 100)),
                finished=finished,
                failed=failed,
                cancelled=cancelled,
            )
            self.task = worker.start(task)
            return True
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            layouts = job()
        except InnoAtlasError as err:
            self._warn(str(err))
            return False
        finally:  # also when rendering fails unexpectedly: never leave the busy cursor
            QApplication.restoreOverrideCursor()
        self._exported(layouts)
        return True

    def _job(self):
        """The export as chosen: ``job(progress=None)`` draws it and returns its layouts
        (everything it reads of the window is read here, in the GUI thread)."""
        from app.ui.export.map_export import render_map, render_scenes

        path, what = self.path(), self.what()
        window = self.window_
        stack = window.exports.export_stack()  # with the isochrones and workshop pins shown
        sites = {
            "indicators": window.indicators.results,
            "radius_m": window.editing.radius_m,
            "basemap": window.basemap.spec(),  # drawn under the layers when it is on
            "catchments": window.catchments.current(),
        }
        size = (self.width_spin.value(), self.height_spin.value())
        page = self.page_combo.currentText()
        orientation = self.orientation_combo.currentData()
        language = window.language
        if what == ALL_SCENES:
            scenes, title = list(self.scenes), self.title_edit.text()

            def all_scenes(progress=None):
                return render_scenes(
                    stack,
                    path,
                    scenes,
                    size=size,
                    page=page,
                    orientation=orientation,
                    language=language,
                    title=title,
                    progress=progress,
                    **sites,
                )

            return all_scenes
        scene = None
        if what == SCENE:
            if not self.scenes:
                raise InnoAtlasError(tr("this project has no scenes"))
            scene = self.scenes[self.scene_combo.currentIndex()]
        title = self.title_edit.text().strip() or (
            scene.title if scene is not None else self.default_title()
        )
        extent = None if scene else window.canvas.viewport.extent
        dpi = self.dpi_spin.value()

        def one(progress=None):
            return [
                render_map(
                    stack,
                    path,
                    extent=extent,
                    size=size,
                    dpi=dpi,
                    title=title,
                    page=page,
                    orientation=orientation,
                    language=language,
                    scene=scene,
                    progress=progress,
                    **sites,
                )
            ]

        return one

    def _exported(self, layouts) -> None:
        """The file is written: say so in the status bar, remember the choices, close."""
        window, path = self.window_, self.path()
        notes = list(dict.fromkeys(n for layout in layouts for n in layout.notes))
        message = (
            tr("Map exported to {name} ({pages} pages)", name=path.name, pages=len(layouts))
            if len(layouts) > 1
            else tr("Map exported to {name}", name=path.name)
        )
        if notes:
            message += tr(" — note: {note}", note=notes[0])
        window.statusBar().showMessage(message, 12000)
        self._remember_choices()
        self.accept()

    def _warn(self, text: str) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            tr("Cannot export the map"),
            text,
            QMessageBox.StandardButton.Ok,
            self,
        )
        box.setObjectName("mapExportError")
        box.setWindowModality(Qt.WindowModality.WindowModal)
        self.error_box = box
        box.open()


__all__ = ["MapExportDialog", "VIEW", "SCENE", "ALL_SCENES"]
