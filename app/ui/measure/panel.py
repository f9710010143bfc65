"""The small measure panel over the map: mode, segments, totals, Copy and Clear."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
)

from app.core.map.measure import Measurement, format_area, format_length
from app.ui import i18n
from app.ui.i18n import tr
from app.ui.measure.tool import MeasureTool

MARGIN = 10


class MeasurePanel(QFrame):
    """Shown over the bottom-left of the map while the measure tool is active."""

    def __init__(self, tool: MeasureTool) -> None:
        super().__init__(tool.canvas)
        self.tool = tool
        self.setObjectName("measurePanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.title = QLabel(self)
        self.title.setObjectName("measureTitle")
        self.distance = QRadioButton(self)
        self.distance.setObjectName("measureDistance")
        self.area = QRadioButton(self)
        self.area.setObjectName("measureArea")
        self.distance.setChecked(True)
        modes = QButtonGroup(self)
        modes.addButton(self.distance)
        modes.addButton(self.area)
        self.segments = QListWidget(self)
        self.segments.setObjectName("measureSegments")
        self.segments.setFixedHeight(self.segments.fontMetrics().height() * 4 + 8)
        self.setFixedWidth(max(300, self.fontMetrics().horizontalAdvance("M") * 24))
        self.planar_caption, self.planar = QLabel(self), QLabel(self)
        self.planar.setObjectName("measurePlanar")
        self.ellipsoidal_caption, self.ellipsoidal = QLabel(self), QLabel(self)
        self.ellipsoidal.setObjectName("measureEllipsoidal")
        for label in (self.planar, self.ellipsoidal):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.copy = QPushButton(self)
        self.copy.setObjectName("measureCopy")
        self.clear = QPushButton(self)
        self.clear.setObjectName("measureClear")
        for widget in (self.distance, self.area, self.copy, self.clear, self.segments):
            widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys keep going to the map
        modes_row = QHBoxLayout()
        modes_row.addWidget(self.distance)
        modes_row.addWidget(self.area)
        totals = QGridLayout()
        totals.addWidget(self.planar_caption, 0, 0)
        totals.addWidget(self.planar, 0, 1)
        totals.addWidget(self.ellipsoidal_caption, 1, 0)
        totals.addWidget(self.ellipsoidal, 1, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.copy)
        buttons.addWidget(self.clear)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self.title)
        layout.addLayout(modes_row)
        layout.addWidget(self.segments)
        layout.addLayout(totals)
        layout.addLayout(buttons)
        self.distance.toggled.connect(lambda on: tool.set_mode("distance" if on else "area"))
        self.copy.clicked.connect(self.copy_result)
        self.clear.clicked.connect(tool.clear)
        tool.measured.connect(self.show_measurement)
        i18n.notifier.languageChanged.connect(self.retranslate)
        self.retranslate()
        self.hide()

    def retranslate(self, *_args) -> None:
        """Texts in the current UI language."""
        self.title.setText(tr("Measure"))
        self.distance.setText(tr("Distance"))
        self.area.setText(tr("Area"))
        self.planar_caption.setText(tr("Planar (EPSG:5186):"))
        self.ellipsoidal_caption.setText(tr("Ellipsoidal (GRS80):"))
        self.copy.setText(tr("Copy"))
        self.copy.setToolTip(tr("Copy the segments and totals to the clipboard"))
        self.clear.setText(tr("Clear"))
        self.clear.setToolTip(tr("Start a new measurement (Esc)"))
        self.segments.setToolTip(tr("Planar length of each segment"))
        self.show_measurement(self.tool.last)

    def place(self) -> None:
        """Bottom-left of the map, above the scale bar's row."""
        self.adjustSize()
        canvas = self.parentWidget()
        self.move(MARGIN, max(MARGIN, canvas.height() - self.height() - 48))

    def show_measurement(self, m: Measurement | None) -> None:
        """Segments and totals of ``m`` (empty when None)."""
        self.segments.clear()
        if m is None:
            hint = tr("Click points on the map")
            self.planar.setText(hint)
            self.ellipsoidal.setText("–")
            return
        for number, length in enumerate(m.segments, start=1):
            self.segments.addItem(
                tr("Segment {n}: {length}", n=number, length=format_length(length))
            )
        if self.tool.mode == "area":
            self.planar.setText(format_area(m.area or 0.0))
            self.ellipsoidal.setText(format_area(m.area_ellipsoidal or 0.0))
        else:
            self.planar.setText(format_length(m.length, digits=2))
            self.ellipsoidal.setText(format_length(m.length_ellipsoidal, digits=2))
        self.segments.scrollToBottom()

    def result_text(self) -> str:
        """The measurement as plain text (what Copy puts on the clipboard)."""
        lines = [self.tool.summary()]
        lines += [self.segments.item(i).text() for i in range(self.segments.count())]
        return "\n".join(line for line in lines if line)

    def copy_result(self) -> None:
        """Copy :meth:`result_text` to the clipboard."""
        QApplication.clipboard().setText(self.result_text())

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.place()
