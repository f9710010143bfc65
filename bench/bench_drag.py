"""Live drag of a site with 200 000 start-ups: the whole frame, indicators included.

A point site in G-Valley (the densest cluster) is dragged with the edit tool by real
QMouseEvents sent to the canvas (press, ``--moves`` moves of a few pixels, release),
offscreen. One frame is timed from the mouse-move event until the window shows the
move **and** the indicators of the dragged site at that place: after the event the
bench processes Qt events until the indicator preview of this move has been published
(``previewChanged``; this services the preview timer however the window throttles it),
then processes the events once more, so that every paint the window has queued is done
(the canvas with the site, catchment and badges, the card); a frame whose canvas was
not painted by the window's own updates is repainted once, synchronously. The canvas'
paint events are counted (printed per frame): the window paints it once per frame.
(Before round 4 the bench always added a synchronous ``repaint`` of the canvas after
the window's own paint: two canvas paints per frame, one more than the user gets.)

Printed: median and p95 per frame, for snapping on (default) and off, and the share of
the frame spent before the preview (move + snap), in the preview, and in the paints after it;
then the GUI thread's CPU time per frame (``time.thread_time``), which a loaded shared
machine inflates far less than the wall-clock time.
With ``--baseline /work/main`` the same bench runs on that checkout in a child process,
in the same run.

Run: ``/work/main/.venv/bin/python bench/bench_drag.py [--startups 200000] [--moves 80]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(startups: int, moves: int, drags: int) -> dict[str, tuple[float, float]]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import numpy as np
    import shapely
    from PySide6.QtCore import QEvent, QObject, QPointF, Qt
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    from app.core.paths import DEFAULT_PROJECT
    from app.core.project.loader import load_project
    from app.ui.gui import application, wait_until_drawn
    from app.ui.window.main_window import MainWindow
    from layers.themes.synthetic import generate_startups

    left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton

    def mouse(canvas, kind, pos, button, buttons) -> None:
        event = QMouseEvent(
            kind, pos, canvas.mapToGlobal(pos), button, buttons, Qt.KeyboardModifier.NoModifier
        )
        QApplication.sendEvent(canvas, event)

    app = application()
    stack = load_project(DEFAULT_PROJECT)
    stack.get("startups").set_data(
        generate_startups(
            startups,
            stack.get("districts").data,
            stack.get("stations").data,
            stack.get("education").data,
        )
    )
    window = MainWindow(stack)
    window.resize(1280, 800)
    window.show()
    assert wait_until_drawn(window)
    window.zoom_to_district("gvalley")
    canvas = window.canvas
    vp = canvas.viewport
    from app.core.sites.geometry import CheckedGeometry

    window.editing.add_site(CheckedGeometry(shapely.Point(vp.center_x, vp.center_y)))
    window.indicators.wait()
    window.set_tool("edit_tool")
    canvas.repaint()
    published = []
    window.indicators.previewChanged.connect(lambda frame: published.append(frame))

    class PaintCounter(QObject):
        count = 0

        def eventFilter(self, watched, event) -> bool:
            if event.type() == QEvent.Type.Paint:
                self.count += 1
            return False

    paints = PaintCounter()
    canvas.installEventFilter(paints)
    canvas_paints: list[int] = []

    cpu: list[float] = []  # the GUI thread's CPU time per frame (steadier under load)

    def drag(frames: list[float], parts: list[tuple[float, float, float]]) -> None:
        geometry = window.editing.selected_geometry()
        start = canvas.map_to_screen(geometry.x, geometry.y)
        mouse(canvas, QEvent.Type.MouseButtonPress, start, left, left)
        assert window.edit_tool.mode == "move", "the press did not grab the site"
        for i in range(1, moves + 1):
            pos = QPointF(start.x() + 3.0 * i, start.y() + 1.5 * np.sin(i / 4) * 10)
            count = len(published)
            before = paints.count
            c0 = time.thread_time()
            t0 = time.perf_counter()
            mouse(canvas, QEvent.Type.MouseMove, pos, none, left)
            t1 = time.perf_counter()
            while len(published) == count and time.perf_counter() - t0 < 1.0:
                app.processEvents()
            t2 = time.perf_counter()
            app.processEvents()  # the paints the window queued (canvas, card)
            if paints.count == before:  # not painted yet: the user sees it only then
                canvas.repaint()
            t3 = time.perf_counter()
            if i > 3:  # the drag threshold and the first preview
                canvas_paints.append(paints.count - before)
                frames.append((t3 - t0) * 1000)
                cpu.append((time.thread_time() - c0) * 1000)
                parts.append(((t1 - t0) * 1000, (t2 - t1) * 1000, (t3 - t2) * 1000))
        mouse(canvas, QEvent.Type.MouseButtonRelease, pos, left, none)
        window.indicators.wait()
        canvas.repaint()
        window.undo_stack.undo()  # back to the start for the next drag
        window.indicators.wait()

    drag([], [])  # warm-up: indexes, caches
    results = {}
    for label, snapping in (("snapping on", True), ("snapping off", False)):
        window.editing.snapping = snapping
        frames: list[float] = []
        parts: list[tuple[float, float, float]] = []
        cpu.clear()
        canvas_paints.clear()
        for _ in range(drags):
            drag(frames, parts)
        share = np.median(np.array(parts), axis=0)
        results[label] = (statistics.median(frames), float(np.percentile(frames, 95)))
        print(
            f"  {label:13s} median {results[label][0]:6.2f} ms  p95 {results[label][1]:6.2f} ms"
            f"   (median parts: move+snap {share[0]:.1f}, indicators {share[1]:.1f}, "
            f"paint {share[2]:.1f} ms)\n"
            f"  {'':13s} GUI-thread CPU per frame: median {statistics.median(cpu):6.2f} ms"
            f"  p95 {float(np.percentile(cpu, 95)):6.2f} ms\n"
            f"  {'':13s} canvas paints per frame: median {statistics.median(canvas_paints):g}"
            f", max {max(canvas_paints)}",
            flush=True,
        )
    window.undo_stack.clear()
    window.project._set_clean()
    window.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--startups", type=int, default=200_000)
    parser.add_argument("--moves", type=int, default=80)
    parser.add_argument("--drags", type=int, default=3)
    parser.add_argument("--baseline", type=Path, help="another checkout (e.g. /work/main)")
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(args.root))
    print(f"{args.root}: {args.startups:,} start-ups, {args.drags} drags x {args.moves} moves")
    run(args.startups, args.moves, args.drags)
    if args.baseline:
        command = [sys.executable, __file__, "--root", str(args.baseline)]
        command += ["--startups", str(args.startups), "--moves", str(args.moves)]
        command += ["--drags", str(args.drags)]
        subprocess.run(command, check=True, env=dict(os.environ, PYTHONPATH=str(args.baseline)))
    print(f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
