"""Attribute table with 200 000 start-ups: open, scroll and filter time.

Issue 17: "Large layers (200 000 rows) scroll smoothly (a model over the column arrays,
not items per cell)". Ours: :class:`app.ui.table.window.AttributeTableWindow` (a
QAbstractTableModel over numpy column arrays, the filter evaluated by
:func:`layers.rule_expr.filter_mask`). Peer, in the same run: a ``QStandardItemModel``
with one item per cell behind a ``QSortFilterProxyModel`` (the usual Qt way), in the
same QTableView size; its filter is a regular expression on one column
(``QSortFilterProxyModel.setFilterRegularExpression``), which is less than ours does.

Open: build the model and show the view until the first frame is painted. Scroll: 40
page-down steps, each followed by a synchronous ``repaint()`` (median and worst per
frame). Filter: ``"sector" LIKE 'AI%' AND "employees" > 10`` (ours) against
``^AI`` on the sector column (peer), until the filtered view is painted.

Run: ``.venv/bin/python bench/bench_attribute_table.py [--rows 200000] [--peer-rows N]``.
The peer builds one QStandardItem per cell; ``--peer-rows`` (default: the same rows)
can cap it on a slow machine, and the figure is then scaled linearly and marked so.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QRegularExpression, QSortFilterProxyModel
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QApplication, QTableView

from app.core.paths import DEFAULT_PROJECT
from app.core.project.loader import load_project
from app.ui.gui import application
from app.ui.table.selection import FeatureSelection
from app.ui.table.window import AttributeTableWindow
from layers.model import LayerStack
from layers.themes.synthetic import generate_startups

EXPRESSION = '"sector" LIKE \'AI%\' AND "employees" > 10'
STEPS = 40
SIZE = (900, 600)


def startups(n: int):
    stack = load_project(DEFAULT_PROJECT)
    layer = stack.get("startups")
    layer.set_data(
        generate_startups(
            n, stack.get("districts").data, stack.get("stations").data, stack.get("education").data
        )
    )
    return LayerStack([layer]), layer


def scroll(view: QTableView) -> tuple[float, float]:
    bar = view.verticalScrollBar()
    times = []
    for i in range(STEPS):
        start = time.perf_counter()
        bar.setValue(bar.maximum() * (i + 1) // STEPS)  # jumps across the whole table
        view.viewport().repaint()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def ours(stack, layer) -> dict[str, float]:
    t0 = time.perf_counter()
    window = AttributeTableWindow(layer, FeatureSelection(stack), set(), None)
    window.resize(*SIZE)
    window.show()
    window.view.viewport().repaint()
    QApplication.processEvents()
    opened = (time.perf_counter() - t0) * 1000
    median, worst = scroll(window.view)
    t0 = time.perf_counter()
    window.filter.setText(EXPRESSION)
    window.apply_filter()
    window.view.viewport().repaint()
    filtered = (time.perf_counter() - t0) * 1000
    shown = window.model.rowCount()
    window.close()
    return {"open": opened, "scroll": median, "worst": worst, "filter": filtered, "shown": shown}


def peer(layer, rows: int) -> dict[str, float]:
    data = layer.data.drop(columns=layer.data.geometry.name).iloc[:rows]
    t0 = time.perf_counter()
    model = QStandardItemModel(len(data), len(data.columns))
    model.setHorizontalHeaderLabels([str(c) for c in data.columns])
    for c, column in enumerate(data.columns):
        for r, value in enumerate(data[column].tolist()):  # the peer: one item per cell
            model.setItem(r, c, QStandardItem(str(value)))
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(model)
    view = QTableView()
    view.setModel(proxy)
    view.setSortingEnabled(True)
    view.resize(*SIZE)
    view.show()
    view.viewport().repaint()
    QApplication.processEvents()
    opened = (time.perf_counter() - t0) * 1000
    median, worst = scroll(view)
    t0 = time.perf_counter()
    proxy.setFilterKeyColumn(list(data.columns).index("sector"))
    proxy.setFilterRegularExpression(QRegularExpression("^AI"))
    view.viewport().repaint()
    filtered = (time.perf_counter() - t0) * 1000
    shown = proxy.rowCount()
    view.close()
    return {"open": opened, "scroll": median, "worst": worst, "filter": filtered, "shown": shown}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--peer-rows", type=int, default=0)
    args = parser.parse_args()
    application()
    stack, layer = startups(args.rows)
    peer_rows = args.peer_rows or args.rows
    a = ours(stack, layer)
    b = peer(layer, peer_rows)
    scale = args.rows / peer_rows
    note = "" if scale == 1 else f" (peer built {peer_rows:,} rows, open/filter scaled ×{scale:g})"
    b["open"] *= scale
    b["filter"] *= scale
    print(f"attribute table, {args.rows:,} rows{note}")
    print(f"{'':22}{'ours':>12}{'peer':>14}{'peer/ours':>11}")
    for key, label in (
        ("open", "open (ms)"),
        ("scroll", "scroll/frame median"),
        ("worst", "scroll/frame worst"),
        ("filter", "filter (ms)"),
    ):
        ratio = b[key] / a[key] if a[key] else float("inf")
        print(f"{label:22}{a[key]:12.1f}{b[key]:14.1f}{ratio:10.1f}×")
    print(f"rows after filter: ours {a['shown']:,} ({EXPRESSION}); peer {b['shown']:,} (^AI)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
