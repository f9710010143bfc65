"""The selected site's card: its title, every indicator and the score breakdown.

:class:`SiteCard` is the indicators panel's first tab. It shows one site's row of the
indicator table (the selected site, or a live preview while a site is dragged): a title
with its rank, score and zoning flag, a two-column table of every indicator named and
formatted in the UI's language, and the score's breakdown into criterion points.

A partial site (a layer the score uses covers only part of its catchment) is marked
"◐ partial" in the title, with one line per layer family below 100 % under it; a value
outside a layer's coverage reads "unknown" in grey, never 0
(:mod:`app.ui.indicators.coverage_marks`).
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable

import pandas as pd
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QFrame,
    QHeaderView,
    QLabel,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.indicators.engine import COLUMNS, DEFINITIONS
from app.core.indicators.format import (
    blocked,
    format_raw,
    is_missing,
    percent,
    rounded_parts,
)
from app.core.indicators.labels import tooltip
from app.core.indicators.preview import SitePreview
from app.core.indicators.score import (
    BASIS,
    ScoreBasis,
    Weights,
    left_out_notes,
    score_breakdown,
)
from app.core.sites.names import display_name
from app.ui.i18n import language, tr
from app.ui.indicators.card_tables import (
    BREAKDOWN_COLUMNS,
    BreakdownTable,
    CardTable,
    batched,
)
from app.ui.indicators.coverage_marks import (
    PARTIAL_MARK,
    UNKNOWN,
    cell_text,
    column_label,
    columns_of,
    is_partial,
    partial_lines,
)
from app.ui.indicators.coverage_marks import (
    unknown as is_unknown,
)
from app.ui.indicators.robust_cells import card_line
from app.ui.indicators.text_line import TextLine

#: The colour of a "does not permit" value, in the card, the table and the chart.
NOT_PERMITTED = QColor("#b00020")
#: The colour of a criterion left out of the score, and of the notes that say why.
LEFT_OUT = QColor("#777777")


def _set_text(label: QLabel | TextLine, text: str) -> None:
    """Set a label's text only when it changes (a new text lays the label out again)."""
    if label.text() != text:
        label.setText(text)


class SiteCard(QWidget):
    """Title, indicator table and score breakdown of one site.

    Parameters
    ----------
    weights : callable
        Returns the current score weights (the breakdown's points follow them).
    parent : QWidget, optional
    """

    def __init__(self, weights: Callable[[], Weights], parent=None) -> None:
        super().__init__(parent)
        self._fitted: tuple = ()  # the rows and language the name column was fitted to
        self.weights = weights
        self.title = TextLine("", self)  # a QLabel would lay the panel out at every text
        self.title.setObjectName("cardTitle")
        self.coverage_note = QLabel("", self)  # "◐ partial: start-ups cover 40 % …"
        self.coverage_note.setObjectName("cardCoverageNote")
        self.coverage_note.setWordWrap(True)
        self.coverage_note.setStyleSheet("color: #8a5a00")
        self.coverage_note.hide()
        self.robust_note = QLabel("", self)  # "Ranked 1st in 83 % of weightings · …"
        self.robust_note.setObjectName("cardRobustNote")
        self.robust_note.setWordWrap(True)
        self.robust_note.setToolTip(
            tr("Analysis → Robustness of the ranking: how the weights are drawn")
        )
        self.robust_note.hide()
        self.card = CardTable(self)
        self.card.setObjectName("indicatorCard")
        self.card.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.breakdown = BreakdownTable(self)
        self.breakdown.setObjectName("scoreBreakdown")
        self.breakdown.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        # The score part scrolls on its own below the indicators; a splitter between them.
        score = QWidget(self)
        score_layout = QVBoxLayout(score)
        score_layout.setContentsMargins(0, 0, 0, 0)
        self.breakdown_label = QLabel("", score)
        self.breakdown_label.setWordWrap(True)
        score_layout.addWidget(self.breakdown_label)
        score_layout.addWidget(self.breakdown)
        self.transforms = QLabel("", score)  # the transforms when their columns are hidden
        self.transforms.setObjectName("scoreTransforms")
        self.transforms.setWordWrap(True)
        self.transforms.hide()
        self.breakdown.on_compact = lambda compact: self.transforms.setVisible(
            compact and bool(self.transforms.text())
        )
        score_layout.addWidget(self.transforms)
        # left-out criteria, entered weights, rounding (which comes and goes while live)
        self.score_note = TextLine("", score, rich=False)
        self.score_note.setObjectName("scoreNote")
        self.score_note.setStyleSheet(f"color: {LEFT_OUT.name()}")
        self.score_note.hide()
        score_layout.addWidget(self.score_note)
        score_layout.addStretch(1)
        self.score_area = QScrollArea(self)
        self.score_area.setObjectName("scoreArea")
        self.score_area.setWidgetResizable(True)
        self.score_area.setFrameShape(QFrame.Shape.NoFrame)
        self.score_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.score_area.setWidget(score)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.card)
        self.splitter.addWidget(self.score_area)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.coverage_note)
        layout.addWidget(self.robust_note)
        layout.addWidget(self.splitter, 1)
        self._frame: pd.DataFrame | SitePreview | None = None
        self._live = False
        self._shown_rows: tuple = ()  # the indicator rows shown (updated in place)
        self._sized_by_hand = False  # live: rows and columns sized where cells change
        self._adjusted = False  # a shown point differs from its own rounding
        self._transforms: list[str] = []  # "criterion transform (reference)" per row

    def retranslate(self) -> None:
        """Headers, their tooltips and the shown site in the current UI language."""
        self.card.setHorizontalHeaderLabels([tr("Indicator"), tr("Value")])
        # Short headers (a narrow dock), the whole meaning in their tooltips.
        self.breakdown.setHorizontalHeaderLabels(
            [tr("Criterion"), tr("Raw"), "f(x)", tr("Ref."), "0–1", tr("Share"), tr("Pts")]
        )
        for column, tip in enumerate(
            (
                tr("Criterion of the score"),
                tr("Raw value: the indicator the criterion reads"),
                tr("Transform: how the raw value is mapped to 0–1 (0.5 at the reference)"),
                tr("Reference value of the transform"),
                tr("The raw value mapped to 0–1 by the criterion's transform"),
                tr(
                    "Weight share: the criterion's weight / the sum of the weights of the "
                    "criteria used (entered value beside it when they do not add up to 100 %)"
                ),
                tr(
                    "Points: 100 × weight share × 0–1 value; they add up to the score, "
                    "rounded so that the shown points add up to the shown score"
                ),
            )
        ):
            self.breakdown.horizontalHeaderItem(column).setToolTip(tip)
        self.breakdown_label.setText(
            tr("Score breakdown (points = 100 × share × 0–1 value; they add up to the score):")
        )
        self.show_site(self._frame, self._live)

    def show_site(self, frame: pd.DataFrame | SitePreview | None, live: bool = False) -> None:
        """Fill the card with one site (None: empty card).

        Only the texts that changed are set: a live drag shows dozens of places a
        second, with the same rows each time.

        Parameters
        ----------
        frame : DataFrame, SitePreview or None
            One row of the indicator table (``name``, ``score``, the indicator columns
            and, unless ``live``, ``rank``); its ``attrs`` hold the ranking's score basis
            (app.core.indicators.score.BASIS), so that its points follow the ranking's.
            Or a :class:`~app.core.indicators.preview.SitePreview` (a dragged site's
            fast path: its values with ``name``, its basis and breakdown).
        live : bool
            The row is a preview of a site being moved, not saved.
        """
        self._frame, self._live = frame, live
        self._size_by_hand(live)
        if frame is None or (isinstance(frame, pd.DataFrame) and frame.empty):
            self.card.setRowCount(0)
            self.breakdown.setRowCount(0)
            for note in (self.score_note, self.transforms, self.coverage_note, self.robust_note):
                note.hide()
            self._shown_rows = ()
            _set_text(self.title, tr("Select or sketch a site to see its indicators"))
            return
        if isinstance(frame, SitePreview):
            row = frame.values  # read a hundred times per card
            basis: ScoreBasis | None = frame.basis
            parts = list(frame.breakdown)
            columns: list[str] = list(row)
            series = None
        else:
            series = frame.iloc[0]
            row = dict(zip(series.index, series.to_numpy()))
            basis = frame.attrs.get(BASIS)
            weights = None if BASIS in frame.attrs else self.weights()
            parts = score_breakdown(frame, weights).to_dict("records")
            columns = list(frame.columns)
        permitted = row.get("use_permitted")
        coverage = row.get("zoning_coverage")
        unknown = (
            tr("no zoning data under the site: ranked below permitted sites")
            if is_missing(coverage) or coverage <= 0
            else tr(
                "zoning data cover {share} of the site: ranked below permitted sites",
                share=percent(coverage),
            )
        )
        flag = (
            "  <b style='color:#b00020'>"
            + tr("zoning does not permit the centre: ranked below permitted sites")
            + "</b>"
            if blocked(permitted)
            else "  <b style='color:#666666'>" + unknown + "</b>"
            if is_missing(permitted)
            else ""
        )
        rank = "" if live or "rank" not in row else f"#{int(row['rank'])} · "
        score_text = self._fill_breakdown(parts, row["score"])
        partial = is_partial(row)
        lines = partial_lines(row)
        _set_text(
            self.title,
            f"<b>{rank}{html.escape(display_name(str(row['name']), language()))}</b> — "
            + tr("score {score}", score=score_text)
            + (" <i>" + tr("(live, not saved)") + "</i>" if live else "")
            + (
                f"  <b style='color:#8a5a00'>{PARTIAL_MARK} " + tr("partial") + "</b>"
                if partial
                else ""
            )
            + flag,
        )
        if lines:
            head = tr("Partial data (ranked after complete sites):") if partial else tr("Coverage:")
            _set_text(
                self.coverage_note,
                "\n".join([head, *(f"{PARTIAL_MARK} {x}" for x in lines)]),
            )
            self.coverage_note.setToolTip(
                tr(
                    "A layer covers only part of the catchment: its values are computed from "
                    "the covered part, and are unknown (not 0) where nothing is covered"
                )
            )
        self.coverage_note.setVisible(bool(lines))
        robust = (
            tr("Rank and robustness: updated when the site is dropped")
            if live
            else card_line(row, language())
        )
        _set_text(self.robust_note, robust)
        style = f"color: {LEFT_OUT.name()}" if live else ""
        if self.robust_note.styleSheet() != style:  # a new style sheet polishes again
            self.robust_note.setStyleSheet(style)
        self.robust_note.setVisible(bool(robust))
        self._fill_card(row, columns_of(columns, COLUMNS), series)
        self._show_notes(basis, parts)
        _set_text(
            self.transforms,
            tr("Transforms (reference): {list}", list=" · ".join(self._transforms)),
        )
        self.transforms.setVisible(self.breakdown.compact)

    def _size_by_hand(self, live: bool) -> None:
        """While live, the tables' rows (and the breakdown's number columns) are sized
        only where a cell changed: sized to their contents by the headers, every change
        measures every row again (about 0.25 ms a change)."""
        if live == self._sized_by_hand:
            return
        self._sized_by_hand = live
        mode = (
            QHeaderView.ResizeMode.Interactive if live else QHeaderView.ResizeMode.ResizeToContents
        )
        for table in (self.card, self.breakdown):
            table.verticalHeader().setSectionResizeMode(mode)
        for column in range(1, BREAKDOWN_COLUMNS):
            self.breakdown.horizontalHeader().setSectionResizeMode(column, mode)

    def _fill_card(self, row: dict, shown: list[str], series: pd.Series | None) -> None:
        """The indicator rows: changed values only when the rows are the same as shown."""
        from app.core.network.catchment import REACH_COLUMN
        from app.ui.network.card import add_reach_row

        names = (tuple(shown), language())
        reach = series is not None and REACH_COLUMN in series.index
        if names == self._shown_rows and not reach and self.card.rowCount() == len(shown):
            with batched(self.card) as changed:
                for position, column in enumerate(shown):
                    if self._set_value(self.card.item(position, 1), column, row):
                        changed.add(position)
            if self._sized_by_hand:
                for position in changed:
                    if self._may_wrap(position):
                        self.card.resizeRowToContents(position)
            return
        self.card.setRowCount(len(shown))  # at once, not a row insertion per indicator
        for position, column in enumerate(shown):
            tip = tooltip(column, DEFINITIONS.get(column, ""), language())
            name = QTableWidgetItem(column_label(column, language()))
            name.setData(Qt.ItemDataRole.UserRole, column)
            name.setToolTip(tip)
            value = QTableWidgetItem()
            value.setToolTip(tip)
            self._set_value(value, column, row)
            self.card.setItem(position, 0, name)
            self.card.setItem(position, 1, value)
        if series is not None:
            add_reach_row(self.card, series)  # walking catchment: reach ratio and catchment
        if self._sized_by_hand:
            self.card.resizeRowsToContents()
        self._shown_rows = () if reach else names
        if names != self._fitted:  # whole indicator names where the width allows
            self._fitted = names  # (a resize fits them again)
            self.card.fit_columns()

    def _may_wrap(self, position: int) -> bool:
        """Whether the card's row may need another height: a value wider than its
        column, or a row that is not one line high (measuring a row costs more)."""
        item = self.card.item(position, 1)
        one_line = self.card.verticalHeader().defaultSectionSize()
        return (
            self.card.rowHeight(position) != one_line
            or "\n" in item.text()
            or self.card.fontMetrics().horizontalAdvance(item.text()) + 12
            > self.card.columnWidth(1)
        )

    @staticmethod
    def _set_value(item: QTableWidgetItem, column: str, row: dict) -> bool:
        """The value cell's text and colour, set only where they change; True if they
        did."""
        text = cell_text(column, row, language())
        changed = item.text() != text
        if changed:
            item.setText(text)
        colour = (
            NOT_PERMITTED
            if column == "use_permitted" and blocked(row.get("use_permitted"))
            else UNKNOWN
            if is_unknown(row, column)
            else None
        )
        if item.data(Qt.ItemDataRole.ForegroundRole) != colour:
            item.setData(Qt.ItemDataRole.ForegroundRole, colour)
            changed = True
        return changed

    def _fill_breakdown(self, parts: list[dict], score) -> str:
        """One row per criterion and a total row; returns the score's text."""
        used = [bool(part["used"]) for part in parts]
        points = [part["points"] if ok else math.nan for part, ok in zip(parts, used)]
        point_texts, total = rounded_parts(points)
        share_texts, _ = rounded_parts(
            [100.0 * part["weight_share"] if ok else math.nan for part, ok in zip(parts, used)]
        )
        entered = float(sum(part["weight"] for part, ok in zip(parts, used) if ok))
        show_entered = abs(entered - 1.0) > 1e-9
        score_text = "—" if is_missing(score) else total
        self._transforms = []
        self._adjusted = any(
            text != f"{p:.1f}" for text, p in zip(point_texts, points) if text != "—"
        )
        rows: list[tuple[list[str], list[str], bool, bool]] = []
        for part, point_text, share_text in zip(parts, point_texts, share_texts, strict=True):
            column, reference = part["column"], part["reference"]
            share = (
                share_text
                + " %"
                + (
                    "\n" + tr("(entered {value})", value=f"{part['weight']:g}")
                    if show_entered
                    else ""
                )
                if part["used"]
                else tr("left out")
            )
            value = part["value"]
            cells = [
                tr(part["label"]),
                format_raw(column, part["raw"], language()),
                part["transform"],
                "—" if is_missing(reference) else format_raw(column, reference, language()),
                "—" if is_missing(value) else f"{value:.3f}",
                share,
                point_text if part["used"] else "—",
            ]
            self._transforms.append(
                f"{cells[0]} {cells[2]}" + ("" if cells[3] == "—" else f" ({cells[3]})")
            )
            tips = [f"{part['criterion']}: {part['column']}"] * (BREAKDOWN_COLUMNS - 1)
            tips[0] = f"{cells[0]} — {tips[0]}"  # the whole name where it is elided
            exact = part["points"]
            tips.append(
                tr("left out of every score (see the note below)")
                if not part["used"]
                else "—"
                if is_missing(exact)
                else f"100 × {part['weight_share']:.4f} × {value:.4f} = {exact:.4f}"
            )
            rows.append((cells, tips, not part["used"], False))
        rows.append(
            (
                [tr("Score"), "", "", "", "", "100.0 %", score_text],
                [""] * (BREAKDOWN_COLUMNS - 1) + [tr("the sum of the unrounded points")],
                False,
                True,
            )
        )
        if self.breakdown.rowCount() == len(rows):  # the same rows: changed cells only
            columns: set[int] = set()
            with batched(self.breakdown) as changed:
                for position, (cells, tips, grey, _bold) in enumerate(rows):
                    if self._update_row(position, cells, tips, grey, columns):
                        changed.add(position)
            if changed and self._sized_by_hand:  # rows are one line unless a cell has two
                self._size_breakdown(
                    [r for r in changed if any("\n" in c for c in rows[r][0])], columns
                )
            if changed:
                self.breakdown.fit_columns(columns)
            return score_text
        self.breakdown.setRowCount(0)
        for cells, tips, grey, bold in rows:
            self._add_row(cells, tips, grey=grey, bold=bold)
        if self._sized_by_hand:
            self._size_breakdown(range(len(rows)))
        self.breakdown.updateGeometry()
        self.breakdown.fit_columns()
        return score_text

    def _size_breakdown(self, rows, columns=range(1, BREAKDOWN_COLUMNS)) -> None:
        """The number ``columns`` and the ``rows`` of the breakdown to their contents."""
        for column in columns:
            if column:
                self.breakdown.resizeColumnToContents(column)
        for position in rows:
            self.breakdown.resizeRowToContents(position)

    def _update_row(
        self, position: int, cells: list[str], tips: list[str], grey: bool, columns: set[int]
    ) -> bool:
        """Set the cells of breakdown row ``position`` that differ; True if one did (its
        column added to ``columns``)."""
        changed = False
        colour = LEFT_OUT if grey else None
        for column, (text, tip) in enumerate(zip(cells, tips, strict=True)):
            item = self.breakdown.item(position, column)
            if item.text() != text:
                item.setText(text)
                changed = True
                columns.add(column)
            if item.toolTip() != tip:
                item.setToolTip(tip)
            if item.data(Qt.ItemDataRole.ForegroundRole) != colour:
                item.setData(Qt.ItemDataRole.ForegroundRole, colour)
                changed = True
        return changed

    def _add_row(self, cells: list[str], tips: list[str], grey=False, bold=False) -> None:
        position = self.breakdown.rowCount()
        self.breakdown.insertRow(position)
        for column, (text, tip) in enumerate(zip(cells, tips, strict=True)):
            item = QTableWidgetItem(text)
            item.setToolTip(tip)
            if column:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if grey:
                item.setData(Qt.ItemDataRole.ForegroundRole, LEFT_OUT)
            if bold:
                font = item.font()
                font.setBold(True)
                item.setFont(font)
            self.breakdown.setItem(position, column, item)

    def _show_notes(self, basis: ScoreBasis | None, parts: list[dict]) -> None:
        """What the score leaves out, how the weights were entered, how it is rounded."""
        notes = left_out_notes(basis, language(), name=lambda site: display_name(site, language()))
        entered = float(sum(part["weight"] for part in parts if part["used"]))
        if abs(entered - 1.0) > 1e-9:
            notes.append(
                tr(
                    "The weights of the criteria used add up to {total} as entered; "
                    "they are shown as shares of 100 %.",
                    total=f"{entered:g}",
                )
            )
        if self._adjusted:
            notes.append(
                tr(
                    "Points are rounded so that they add up to the score shown: a point can "
                    "be 0.1 off its own rounding (exact value in its tooltip)."
                )
            )
        _set_text(self.score_note, "\n".join(notes))
        # live: the note keeps its place and height (no layout at every frame)
        self.score_note.keep_height(self._live)
        self.score_note.setVisible(bool(notes) or self._live)

    def values(self) -> dict[str, str]:
        """Indicator column name (docs/indicators.md) → shown value text (tests, copy)."""
        return {
            self.card.item(r, 0).data(Qt.ItemDataRole.UserRole): self.card.item(r, 1).text()
            for r in range(self.card.rowCount())
        }

    def labels(self) -> list[str]:
        """The indicator names shown in the card, in the UI language."""
        return [self.card.item(r, 0).text() for r in range(self.card.rowCount())]

    def breakdown_rows(self) -> list[list[str]]:
        """The breakdown's cell texts, row by row, the total row last (tests, copy)."""
        table = self.breakdown
        return [
            [table.item(r, c).text() for c in range(table.columnCount())]
            for r in range(table.rowCount())
        ]
