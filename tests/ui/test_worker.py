"""Background tasks: results arrive in the GUI thread, pyproj is safe inside them."""

import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent("""
    import os
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication
    app = QApplication([])
    import threading
    from app.ui import worker

    def job(progress):
        from pyproj import CRS, Transformer
        progress(0.5, "reprojecting")
        x, y = Transformer.from_crs("EPSG:4326", "EPSG:5186", always_xy=True).transform(127, 38)
        return CRS("EPSG:5174").name, round(x), threading.current_thread() is threading.main_thread()

    results, threads = [], []
    for _ in range(6):
        task = worker.Task(job)
        task.on(finished=lambda r: (results.append(r),
                                    threads.append(threading.current_thread() is threading.main_thread())))
        worker.start(task)
    assert worker.wait_all(30000)
    app.processEvents()
    print(len(results), set(results), all(threads))
""")


def test_pyproj_in_several_tasks_does_not_crash(tmp_path):
    # Run in a child: the old QThreadPool worker died with SIGSEGV on the second task.
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split()[0] == "6"
    assert "Korean 1985 / Modified Central Belt" in result.stdout
    assert "False)}" in result.stdout.replace(" ", "")  # the tasks ran off the main thread
    assert result.stdout.strip().endswith("True")  # callbacks ran in the GUI thread


def test_cancel_stops_a_task(qtbot):
    import time

    from app.ui import worker
    from app.ui.gui import application

    application()
    events = []

    def slow(progress):
        for i in range(200):
            progress(i / 200, "step")
            time.sleep(0.005)
        return "finished"

    task = worker.Task(slow).on(
        finished=events.append, cancelled=lambda: events.append("cancelled")
    )
    worker.start(task)
    task.cancel()
    assert worker.wait_all(5000)
    qtbot.waitUntil(lambda: bool(events), timeout=2000)
    assert events == ["cancelled"]
