"""The Add layer dialog: layer, encoding, CRS, CSV columns, role mapping and a preview.

Everything it shows comes from app.core.formats.vector (``list_layers``,
``inspect_vector``, ``preview_attributes``) and app.core.project.roles; the dialog only
collects the user's choices into an :class:`~app.core.project.layer_import.ImportRequest`.
The preview follows every change, so a user who picks another encoding sees the Korean
text come out right (or wrong) before anything is added.

The dialog opens at once: the file's cheap checks and a GeoPackage's layer list (one
query, docs/inputs.md) run before it shows; the chosen layer is inspected and previewed
in a background :class:`~app.ui.worker.Task` with a progress bar, and again whenever
another layer or encoding is chosen (the previous inspection is dropped). Cancel closes
the dialog and drops the inspection.

A layer given a role gets a coverage area (:mod:`app.ui.layers.coverage_editor`): the
dialog reads the features in another worker to find its default, the districts (or
dongs) they fall in, and pre-selects it; the user may choose another.

An official dataset recognised by its header (app.core.datasets) gets a panel above the
form (:mod:`app.ui.layers.add_layer_dataset`): what was found, its filter and the read of
the whole file, whose result is added as it is (:mod:`app.ui.layers.add_layer_datasets`).

Parts: ``add_layer_tasks`` (the workers' calls), ``add_layer_preview`` (the table),
``add_layer_mapping`` (role columns and the checks), ``add_layer_coverage``,
``add_layer_dataset``.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd
from PySide6.QtCore import Signal
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QProgressBar,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.core.formats.vector import (
    KOREAN_CRS_PRESETS,
    FileInfo,
    ReadOptions,
    check_input,
    datum_shift_note,
)
from app.core.project.coverage import DISTRICTS_LAYER, DONGS_LAYER
from app.core.project.layer_import import ImportRequest
from app.ui import worker
from app.ui.i18n import tr
from app.ui.layers.add_layer_coverage import CoverageSection
from app.ui.layers.add_layer_dataset import DatasetPanel, DatasetSection
from app.ui.layers.add_layer_mapping import NO_COLUMN, MappingSection
from app.ui.layers.add_layer_network import WALKING_ROLE, is_oa21208
from app.ui.layers.add_layer_preview import fill_preview
from app.ui.layers.add_layer_tasks import (
    inspect_preview_recognise,
    layer_data,
    listed_layers,
)
from app.ui.layers.coverage_editor import CoverageEditor
from layers.model import LayerStack

ENCODINGS = ("UTF-8", "CP949", "EUC-KR", "ISO-8859-1")
PREVIEW_ROWS = 20


class ImportLayerDialog(CoverageSection, DatasetSection, MappingSection, QDialog):
    """Choose how one file is read and what it is used for.

    Parameters
    ----------
    path : Path
        The file the user picked or dropped.
    parent : QWidget, optional
    stack : LayerStack, optional
        The project: its ``districts`` and ``dong`` layers are what a coverage area
        is chosen from.

    Signals
    -------
    inspected()
        An inspection finished and the dialog shows its result (``ready`` is True).
    located()
        The default coverage of the features was found (or could not be).
    unreadable(str)
        The first inspection found the file unreadable: the one-line reason.

    Raises
    ------
    app.core.formats.vector.InputError
        When the file fails the cheap checks (missing, empty, over a size limit, a
        truncated GeoPackage …; the caller shows the message).
    """

    inspected = Signal()
    unreadable = Signal(str)
    located = Signal()

    def __init__(
        self, path: Path, parent: QWidget | None = None, stack: LayerStack | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("importLayerDialog")
        self.setWindowTitle(tr("Add layer — {name}", name=Path(path).name))
        self.path = Path(path)
        check_input(self.path)  # raises InputError: the caller reports it
        layers = listed_layers(self.path)
        self.info = FileInfo(self.path, "", layers, [], None, "", None, None, None, None)
        self.detected_encoding: str | None = None
        self.preview: pd.DataFrame = pd.DataFrame()
        self.ready = False  # an inspection has been shown
        self.task: worker.Task | None = None
        self.refused = ""  # why the file cannot be read at all (then the dialog closes)
        self._read_problem = ""
        self._building = True

        self.file_label = QLabel(self._file_text(), self)
        self.file_label.setWordWrap(True)
        self.layer_box = QComboBox(self)
        self.layer_box.setObjectName("importLayerBox")
        self._fill_layer_box()
        self.layer_box.setToolTip(tr("This file holds several layers: choose the one to add"))
        self.encoding_box = QComboBox(self)
        self.encoding_box.setObjectName("importEncodingBox")
        for encoding in ENCODINGS:
            self.encoding_box.addItem(encoding, encoding)
        self.encoding_box.setToolTip(
            tr(
                "Text encoding of the attributes. Shapefiles from "
                "Korean portals are often CP949 without a .cpg file; "
                "check the preview below"
            )
        )
        self.encoding_note = QLabel("", self)
        self.encoding_note.setObjectName("importEncodingNote")
        self.encoding_note.setWordWrap(True)
        self.crs_box = QComboBox(self)
        self.crs_box.setObjectName("importCrsBox")
        self.crs_box.addItem(tr("Choose the CRS of the coordinates…"), None)
        for code, name in KOREAN_CRS_PRESETS:
            self.crs_box.addItem(f"{code} — {tr(name)}", code)
        self.crs_box.setToolTip(
            tr(
                "The file does not say which coordinate reference system "
                "it uses: pick the one its publisher states"
            )
        )
        self.crs_label = QLabel("", self)
        self.crs_label.setObjectName("importCrsLabel")
        self.crs_label.setWordWrap(True)
        self.x_box, self.y_box = QComboBox(self), QComboBox(self)
        self.x_box.setObjectName("importXBox")
        self.y_box.setObjectName("importYBox")
        self.title_edit = QLineEdit(self._default_title(), self)
        self.title_edit.setObjectName("importTitleEdit")
        self.role_box = QComboBox(self)
        self.role_box.setObjectName("importRoleBox")
        self.role_box.setToolTip(
            tr(
                "Use the layer for the indicators instead of the "
                "project's layer of that kind (its columns are mapped "
                "below)"
            )
        )
        from app.core.project.roles import ROLES

        self.role_box.addItem(tr("Only show it on the map"), None)
        for role, label in ROLES.items():  # the core keeps English; shown translated
            self.role_box.addItem(
                tr("Use as {role} for the indicators", role=tr(label).lower()), role
            )
        self.role_box.addItem(
            tr("Use as walking network (catchments along the streets)"), WALKING_ROLE
        )
        self.coverage_group = QGroupBox(tr("Coverage area: where the layer's data speak"), self)
        self.coverage_group.setObjectName("importCoverageGroup")
        self.coverage_group.setToolTip(
            tr(
                "Sites whose catchment reaches outside this area are marked partial; "
                "outside it the layer's values are unknown, never 0"
            )
        )
        self.coverage_editor = CoverageEditor(
            layer_data(stack, DISTRICTS_LAYER), layer_data(stack, DONGS_LAYER), False, self
        )
        QVBoxLayout(self.coverage_group).addWidget(self.coverage_editor)
        self.coverage_group.setVisible(False)
        self.locate_task: worker.Task | None = None
        self._located: tuple | None = None  # the read options the default was found for
        self.mapping_group = QGroupBox(tr("Columns"), self)
        self.mapping_form = QFormLayout(self.mapping_group)
        self.mapping_boxes: dict[str, QComboBox] = {}
        self.problem = QLabel("", self)
        self.problem.setObjectName("importProblem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b00020;")
        self.table = QTableView(self)
        self.table.setObjectName("importPreview")
        self.table_model = QStandardItemModel(self)
        self.table.setModel(self.table_model)
        self.table.setMinimumHeight(160)
        self.busy_label = QLabel("", self)
        self.busy_label.setObjectName("importBusyLabel")
        self.busy = QProgressBar(self)
        self.busy.setObjectName("importInspectProgress")
        self.busy.setRange(0, 100)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        # not the standard OK: Qt would name it again ("OK") on a language change
        self.ok_button = self.buttons.addButton(
            tr("Add layer"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.ok_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow(tr("File"), self.file_label)
        form.addRow(tr("Layer"), self.layer_box)
        form.addRow(tr("Encoding"), self.encoding_box)
        form.addRow("", self.encoding_note)
        form.addRow(tr("CRS"), self.crs_label)
        form.addRow("", self.crs_box)
        form.addRow(tr("X / longitude column"), self.x_box)
        form.addRow(tr("Y / latitude column"), self.y_box)
        form.addRow(tr("Name"), self.title_edit)
        form.addRow(tr("Use"), self.role_box)
        self.form = form
        self.dataset_panel = DatasetPanel(stack, self)
        self.dataset_panel.changed.connect(self._on_dataset_changed)
        layout = QVBoxLayout(self)
        layout.addWidget(self.dataset_panel)
        layout.addLayout(form)
        layout.addWidget(self.mapping_group)
        layout.addWidget(self.coverage_group)
        layout.addWidget(QLabel(tr("Preview (first {n} rows)", n=PREVIEW_ROWS), self))
        layout.addWidget(self.table, 1)
        layout.addWidget(self.busy_label)
        layout.addWidget(self.busy)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.resize(720, 620)

        self._set_row_visible(self.layer_box, len(self.info.layers) > 1)
        self._apply_info()
        for box in (self.layer_box, self.encoding_box, self.crs_box, self.x_box, self.y_box):
            box.currentIndexChanged.connect(self._refresh)
        self.layer_box.currentIndexChanged.connect(self._follow_layer_title)
        self.role_box.currentIndexChanged.connect(self._rebuild_mapping)
        self._building = False
        self._inspect(replace(self.options(), layer=None))  # the core picks the layer

    # -- helpers ---------------------------------------------------------------------------
    def _fill_layer_box(self) -> None:
        """One entry per layer, with its feature count where it is known."""
        box = self.layer_box
        current = box.currentData()
        box.blockSignals(True)
        box.clear()
        for info in self.info.layers:
            kind = info.geometry_type or tr("no geometry")
            text = (
                tr("{name} — {kind}", name=info.name, kind=kind)
                if info.features is None
                else tr(
                    "{name} — {kind}, {n} features",
                    name=info.name,
                    kind=kind,
                    n=f"{info.features:,}",
                )
            )
            box.addItem(text, info.name)
        box.setCurrentIndex(max(0, box.findData(self.info.layer or current)))
        box.blockSignals(False)

    def _file_text(self) -> str:
        return f"{self.path}  ({self.info.driver})"

    def _default_title(self) -> str:
        """The chosen layer's name in a file of several layers, else the file's name."""
        layers = self.info.layers
        if len(layers) > 1:
            return self.layer_box.currentData() or layers[0].name
        return self.path.stem

    def _follow_layer_title(self) -> None:
        """Another layer chosen: the name follows it unless the user typed one."""
        if self.title_edit.text().strip() in {info.name for info in self.info.layers}:
            self.title_edit.setText(self._default_title())

    def _set_row_visible(self, widget: QWidget, visible: bool) -> None:
        self.form.setRowVisible(widget, visible)

    def _apply_info(self) -> None:
        """Show what the file says: encoding, CRS, coordinate columns."""
        info = self.info
        has_encoding = info.encoding is not None
        self._set_row_visible(self.encoding_box, has_encoding)
        self._set_row_visible(self.encoding_note, has_encoding and bool(info.encoding_note))
        if has_encoding:
            index = self.encoding_box.findData(info.encoding.upper())
            if index < 0:
                self.encoding_box.addItem(info.encoding, info.encoding)
                index = self.encoding_box.count() - 1
            self.encoding_box.blockSignals(True)
            self.encoding_box.setCurrentIndex(index)
            self.encoding_box.blockSignals(False)
            self.encoding_note.setText(info.encoding_note)
        is_csv = info.x_column is not None or info.driver.upper() == "CSV"
        for box, guess in ((self.x_box, info.x_column), (self.y_box, info.y_column)):
            box.blockSignals(True)
            current = box.currentData()
            box.clear()
            box.addItem(tr(NO_COLUMN), None)
            for column in info.columns:
                box.addItem(column, column)
            wanted = current if current in info.columns else guess
            box.setCurrentIndex(max(0, box.findData(wanted)) if wanted else 0)
            box.blockSignals(False)
            self._set_row_visible(box, is_csv)
        self._set_row_visible(self.crs_box, info.crs is None and self.ready)
        if info.crs is None and self.crs_box.currentData() is None and info.crs_guess:
            self.crs_box.blockSignals(True)
            self.crs_box.setCurrentIndex(max(0, self.crs_box.findData(info.crs_guess)))
            self.crs_box.blockSignals(False)
        self._update_crs_label()

    def _update_crs_label(self) -> None:
        crs = self.info.crs or self.crs_box.currentData()
        if not self.ready:
            self.crs_label.setText(tr("Reading {name}…", name=self.path.name))
            return
        if self.info.crs:
            text = tr("{crs} (from the file); reprojected to EPSG:5186", crs=self.info.crs)
        elif crs and crs == self.info.crs_guess:
            text = tr(
                "The file has no CRS: read as {crs} (guessed from the coordinates); "
                "reprojected to EPSG:5186",
                crs=crs,
            )
        elif crs:
            text = tr("The file has no CRS: read as {crs}; reprojected to EPSG:5186", crs=crs)
        else:
            text = tr("The file has no CRS: choose one below")
        note = datum_shift_note(crs) if crs else None
        self.crs_label.setText(text + (f"\n{note}" if note else ""))

    def options(self) -> ReadOptions:
        """The read options chosen now."""
        layer = self.layer_box.currentData() if len(self.info.layers) > 1 else None
        encoding = self.encoding_box.currentData() if self.info.encoding is not None else None
        if encoding is not None and encoding == self.detected_encoding:
            encoding = None  # what detection found: the note then says how it was found
        return ReadOptions(
            layer=layer,
            encoding=encoding,
            assumed_crs=None if self.info.crs else self.crs_box.currentData(),
            x_column=self.x_box.currentData(),
            y_column=self.y_box.currentData(),
        )

    # -- inspection ------------------------------------------------------------------------
    def _refresh(self) -> None:
        """Inspect and preview the file again with the current choices."""
        if not self._building:
            self._inspect(self.options())

    def _inspect(self, options: ReadOptions) -> None:
        """Inspect the chosen layer in a worker; a running inspection is dropped."""
        if self.task is not None:
            self.task.cancel()
        task = worker.Task(inspect_preview_recognise, self.path, options, PREVIEW_ROWS)
        task.on(
            progress=lambda f, m: self._on_progress(task, f),
            finished=lambda result: self._on_inspected(task, result),
            failed=lambda message, _details: self._on_failed(task, message),
        )
        self.task = task
        self.busy.setValue(0)
        self.busy_label.setText(tr("Reading {name}…", name=options.layer or self.path.name))
        self.busy.setVisible(True)
        self.busy_label.setVisible(True)
        self._set_problem(self._base_problem())  # OK waits for the inspection
        worker.start(task)

    def _on_progress(self, task: worker.Task, fraction: float) -> None:
        if task is self.task:
            self.busy.setValue(int(fraction * 100))

    def _end(self, task: worker.Task) -> bool:
        """True when ``task`` is the current inspection (now over)."""
        if task is not self.task:
            return False  # dropped: another layer was chosen, or the dialog closed
        self.task = None
        self.busy.setVisible(False)
        self.busy_label.setVisible(False)
        return True

    def _on_inspected(self, task: worker.Task, result) -> None:
        if not self._end(task):
            return
        info, preview, problem, recognition, refusal = result
        first = not self.ready
        untouched = self.title_edit.text().strip() == self._default_title()
        self.info = info
        if first:
            self.detected_encoding = info.encoding
        self.ready = True
        self._building = True
        self._fill_layer_box()
        self._set_row_visible(self.layer_box, len(info.layers) > 1)
        if first and untouched:
            self.title_edit.setText(self._default_title())
        self._apply_info()
        self._building = False
        self.preview = preview
        self._read_problem = problem
        self._fill_table()
        if first and recognition is not None:
            self._preset_dataset(recognition)
        elif first and is_oa21208(self.path):  # the Seoul pedestrian network (OA-21208)
            self.role_box.setCurrentIndex(self.role_box.findData(WALKING_ROLE))
        options = self.options()
        self.dataset_panel.show_recognition(
            recognition, refusal, options.encoding, options.assumed_crs
        )
        self._rebuild_mapping(keep=True)
        self.inspected.emit()

    def _on_failed(self, task: worker.Task, message: str) -> None:
        if not self._end(task):
            return
        if not self.ready:  # the file cannot be read at all: the caller says why
            self.refused = message
            self.unreadable.emit(message)
            return
        self.preview = pd.DataFrame()
        self._read_problem = message
        self._fill_table()
        self._rebuild_mapping(keep=True)
        self.inspected.emit()

    def done(self, result: int) -> None:
        """Closing (Add layer, Cancel, Esc) drops a running inspection."""
        if self.task is not None:
            self.task.cancel()
            self.task = None
        if self.locate_task is not None:
            self.locate_task.cancel()
            self.locate_task = None
        if self.dataset_panel.task is not None:
            self.dataset_panel.task.cancel()
            self.dataset_panel.task = None
        super().done(result)

    def _fill_table(self) -> None:
        fill_preview(self.table_model, self.table, self.preview)

    def _set_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setVisible(bool(text))
        self.ok_button.setEnabled(not text and self.ready and self.task is None)

    # -- result ------------------------------------------------------------------------------
    def request(self) -> ImportRequest:
        """The user's choices."""
        mapping = {target: box.currentData() for target, box in self.mapping_boxes.items()}
        title = self.title_edit.text().strip() or self._default_title()
        role = None if self.walking_network() else self.role_box.currentData()
        return ImportRequest(self.path, self.options(), title, role, mapping)

    def walking_network(self) -> bool:
        """True when the layer is added as the project's walking network."""
        return self.role_box.currentData() == WALKING_ROLE
