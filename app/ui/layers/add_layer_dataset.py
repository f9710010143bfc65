"""The Add layer dialog's official-dataset panel: what the file was recognised as
(app.core.datasets), the knowledge-based KSIC filter (editable), and the read of the
whole file in a worker with progress and Cancel, which says what it found
("상가(상권)정보, 412 118 rows, 38 204 in the study area, 6 812 knowledge-based").

Unticking "Read it as this dataset" leaves the dialog's general import (columns mapped
by hand); a file that only looks like a dataset shows why it is not one (one line) and
is imported the general way.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.datasets.registry import DATASETS
from app.core.datasets.tables import KsicFilter
from app.ui import worker
from app.ui.i18n import language, tr
from layers.model import LayerStack


def read_dataset_task(recognition, stack, ksic, keep_all, encoding, crs, lang, progress, cancelled):
    """The worker's call: :func:`app.core.datasets.project_import.read_dataset`. Qt-free."""
    from app.core.datasets.project_import import read_dataset

    return read_dataset(
        recognition,
        stack,
        ksic=ksic,
        keep_all=keep_all,
        encoding=encoding,
        crs=crs,
        progress=progress,
        cancelled=cancelled,
        language=lang,
    )


class DatasetSection:
    """The dialog's side of the panel: presets from a recognised dataset, the mapping and
    coverage that give way to the dataset's own, and the choice handed to the importer.
    A mixin of :class:`~app.ui.layers.add_layer_dialog.ImportLayerDialog`."""

    def _preset_dataset(self, recognition) -> None:
        """A recognised dataset: its role and name preset (both still editable)."""
        from app.core.datasets.registry import DATASETS

        role = {"semas": "startups", "zoning": "zoning"}.get(recognition.dataset)
        self.role_box.blockSignals(True)
        self.role_box.setCurrentIndex(max(0, self.role_box.findData(role)))
        self.role_box.blockSignals(False)
        if self.title_edit.text().strip() == self._default_title():
            self.title_edit.setText(DATASETS[recognition.dataset].name_ko)
        self.resize(max(self.width(), 760), max(self.height(), 800))  # room for the panel

    def _on_dataset_changed(self) -> None:
        """The dataset panel's choice or read changed: mapping, coverage and OK follow."""
        active = self.dataset_panel.active
        role = self.role_box.currentData()
        self.mapping_group.setVisible(role is not None and not active)
        # a dataset without coordinates (국민연금) is joined by dong code: no CRS, no x/y
        no_xy = active and self.dataset_panel.recognition.dataset == "nps"
        if no_xy:
            for widget in (self.crs_label, self.crs_box, self.x_box, self.y_box):
                self._set_row_visible(widget, False)
        elif getattr(self, "_xy_hidden", False):
            self._apply_info()
        self._xy_hidden = no_xy
        self._update_coverage()
        self._set_problem(self._base_problem())

    def dataset_choice(self):
        """``(DatasetImport, role, title)`` when the file is added as the recognised
        dataset, else None (the general import: :meth:`request`)."""
        panel = self.dataset_panel
        if not panel.active or panel.result is None:
            return None
        title = self.title_edit.text().strip() or panel.recognition.name
        return panel.result, self.role_box.currentData(), title


class DatasetPanel(QGroupBox):
    """Recognised dataset, its filter and its read.

    Signals
    -------
    changed()
        The choice, the filter or the read's state changed (the dialog re-checks OK).
    read()
        A read finished (``result`` is set) or failed (``problem`` says why).
    """

    changed = Signal()
    read = Signal()

    def __init__(self, stack: LayerStack | None, parent: QWidget | None = None) -> None:
        super().__init__(tr("Official dataset"), parent)
        self.setObjectName("importDatasetPanel")
        self.stack = stack
        self.recognition = None
        self.result = None  # the DatasetImport of the last read
        self.problem = ""  # why the last read failed
        self.task: worker.Task | None = None
        self._encoding: str | None = None
        self._crs: str | None = None
        self._read_ksic: KsicFilter | None = None
        self.found_label = QLabel("", self)
        self.found_label.setObjectName("importDatasetFound")
        self.found_label.setWordWrap(True)
        self.use_check = QCheckBox(
            tr("Read it as this dataset (filtered, mapped, clipped to the study area)"), self
        )
        self.use_check.setObjectName("importDatasetUse")
        self.use_check.setChecked(True)
        self.ksic_edit = QLineEdit(KsicFilter.default().text(), self)
        self.ksic_edit.setObjectName("importKsicEdit")
        self.ksic_edit.setToolTip(
            tr(
                "KSIC (10th revision) codes of the firms kept as knowledge-based: a "
                "section letter (J), a division (C21) or a range (M70-M73)"
            )
        )
        self.keep_all_check = QCheckBox(tr("Also add the other businesses as a layer"), self)
        self.keep_all_check.setObjectName("importKeepAll")
        self.summary_label = QLabel("", self)
        self.summary_label.setObjectName("importDatasetSummary")
        self.summary_label.setWordWrap(True)
        for label in (self.found_label, self.summary_label):  # file text is data, not HTML
            label.setTextFormat(Qt.TextFormat.PlainText)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("importDatasetProgress")
        self.progress.setRange(0, 100)
        self.stop_button = QPushButton(tr("Cancel reading"), self)
        self.stop_button.setObjectName("importDatasetCancel")
        self.stop_button.clicked.connect(self.cancel)
        self.form = QFormLayout()
        self.form.addRow(tr("Knowledge-based KSIC"), self.ksic_edit)
        self.form.addRow("", self.keep_all_check)
        busy = QHBoxLayout()
        busy.addWidget(self.progress, 1)
        busy.addWidget(self.stop_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.found_label)
        layout.addWidget(self.use_check)
        layout.addLayout(self.form)
        layout.addWidget(self.summary_label)
        layout.addLayout(busy)
        self._set_busy(False)
        self.setVisible(False)
        self.use_check.toggled.connect(self._on_use)
        self.ksic_edit.editingFinished.connect(self._on_filter)
        self.keep_all_check.toggled.connect(lambda _on: self.start())

    # -- state ------------------------------------------------------------------------------
    @property
    def active(self) -> bool:
        """True when the file is imported as the recognised dataset."""
        return self.recognition is not None and self.use_check.isChecked()

    def ksic(self) -> KsicFilter | None:
        """The filter typed (None when it is not valid)."""
        try:
            return KsicFilter.parse(self.ksic_edit.text())
        except ValueError:
            return None

    def blocker(self) -> str:
        """Why the dataset cannot be added yet ('' when it can, or when not active)."""
        if not self.active:
            return ""
        if self.recognition.dataset == "semas" and self.ksic() is None:
            try:
                KsicFilter.parse(self.ksic_edit.text())
            except ValueError as err:
                return tr("Knowledge-based KSIC: {problem}", problem=str(err))
        if self.problem:
            return self.problem
        if self.result is None:
            return tr("Reading the whole file…") if self.task else tr("Reading…")
        return ""

    def show_recognition(
        self, recognition, refusal: str, encoding: str | None, crs: str | None = None
    ) -> None:
        """Show what the inspection recognised (or why the file is not the dataset it
        looks like) and read it when it is one."""
        same = (
            self.recognition is not None
            and recognition is not None
            and recognition.dataset == self.recognition.dataset
            and (encoding, crs) == (self._encoding, self._crs)
        )
        self.recognition = recognition
        self._encoding, self._crs = encoding, crs
        if recognition is None:
            self.cancel()
            self.result = None
            self.setVisible(bool(refusal))
            self.found_label.setText(refusal)
            self.found_label.setStyleSheet("color: #b00020;" if refusal else "")
            for widget in (self.use_check, self.ksic_edit, self.keep_all_check):
                widget.setVisible(False)
            self.form.setRowVisible(self.ksic_edit, False)
            self.form.setRowVisible(self.keep_all_check, False)
            self.summary_label.setText("")
            self.changed.emit()
            return
        spec = DATASETS[recognition.dataset]
        self.found_label.setStyleSheet("")
        self.found_label.setText(
            tr(
                "Recognised: {name} — {publisher}, {where}; {rows} rows",
                name=spec.name_ko,
                publisher=spec.publisher,
                where=spec.where.split(" (")[0].split(";")[0],
                rows=f"{recognition.rows:,}",
            )
        )
        semas = recognition.dataset == "semas"
        self.use_check.setVisible(True)
        self.form.setRowVisible(self.ksic_edit, semas)
        self.form.setRowVisible(self.keep_all_check, semas)
        self.setVisible(True)
        if not same or self.result is None:
            self.start()
        self.changed.emit()

    # -- reading ----------------------------------------------------------------------------
    def start(self) -> None:
        """Read the whole file in a worker (a running read is dropped)."""
        self.cancel()
        self.result, self.problem = None, ""
        self.summary_label.setText("")
        if not self.active:
            self.changed.emit()
            return
        ksic = self.ksic()
        if self.recognition.dataset == "semas" and ksic is None:
            self.changed.emit()
            return
        task = worker.Task(
            read_dataset_task,
            self.recognition,
            self.stack,
            ksic,
            self.keep_all_check.isChecked(),
            self._encoding,
            self._crs,
            language(),
        )
        task.kwargs["cancelled"] = lambda: task.is_cancelled
        task.on(
            progress=lambda f, _m: self._on_progress(task, f),
            finished=lambda result: self._on_read(task, result, ""),
            failed=lambda message, _details: self._on_read(task, None, message),
            cancelled=lambda: self._on_cancelled(task),
        )
        self.task = task
        self._read_ksic = ksic
        self.progress.setValue(0)
        self._set_busy(True)
        self.changed.emit()
        worker.start(task)

    def cancel(self) -> None:
        """Stop a running read (nothing is added)."""
        if self.task is not None:
            self.task.cancel()
            self.task = None
            self._set_busy(False)
            self.problem = tr("Reading cancelled: tick the box again or change the filter")
            self.summary_label.setText(self.problem)
            self.changed.emit()

    def _set_busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.stop_button.setVisible(busy)

    def _on_progress(self, task: worker.Task, fraction: float) -> None:
        if task is self.task:
            self.progress.setValue(int(fraction * 100))

    def _on_cancelled(self, task: worker.Task) -> None:
        if task is self.task:
            self.task = None
            self._set_busy(False)

    def _on_read(self, task: worker.Task, result, message: str) -> None:
        if task is not self.task:
            return  # dropped: another filter or encoding, or the dialog closed
        self.task = None
        self._set_busy(False)
        self.result, self.problem = result, message
        if result is not None:
            notes = [n for layer in result.layers for n in layer.own_notes]
            self.summary_label.setStyleSheet("")
            self.summary_label.setText(
                result.summary + ("\n" + "\n".join(notes[:4]) if notes else "")
            )
        else:
            self.summary_label.setStyleSheet("color: #b00020;")
            self.summary_label.setText(message)
        self.changed.emit()
        self.read.emit()

    def _on_use(self, on: bool) -> None:
        self.form.setRowVisible(self.ksic_edit, on and self.recognition.dataset == "semas")
        self.form.setRowVisible(self.keep_all_check, on and self.recognition.dataset == "semas")
        if on:
            self.start()
        else:
            self.cancel()
            self.problem = ""
            self.summary_label.setText("")
        self.changed.emit()

    def _on_filter(self) -> None:
        ksic = self.ksic()
        if ksic is None or (self.result is not None and ksic == self._read_ksic):
            self.changed.emit()  # not valid, or what was read already
            return
        self.start()
