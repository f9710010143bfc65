"""Run a Qt-free function in a background thread with progress and cancel.

The function takes ``progress(fraction, message)``; calling it after the user
pressed Cancel raises :class:`app.core.progress.Cancelled` inside the worker (Orange's task state
pattern), so the function itself needs no Qt and is tested without threads.

Tasks run in Python threads, not in a QThreadPool: a QThreadPool reuses native threads
that Python sees as foreign, creating and dropping a thread state for each task, and
pyproj's per-thread PROJ context then dangles — the second task in the same pool thread
that built a CRS crashed with a segmentation fault (reproduced with PySide6 6.11.3 and
pyproj 3.7.2). In a Python thread pyproj, pyogrio and geopandas are safe to use.
"""

from __future__ import annotations

import threading
import time
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Signal

from app.core.errors import first_line
from app.core.progress import Cancelled


class _Signals(QObject):
    progress = Signal(float, str)
    finished = Signal(object)
    failed = Signal(str, str)
    cancelled = Signal()


class _Relay(QObject):
    """Lives in the GUI thread: signals from the worker reach its slots queued, so the
    callbacks (plain Python callables, often lambdas) always run in the GUI thread."""

    def __init__(self, callbacks: dict[str, Callable]) -> None:
        super().__init__()
        self.callbacks = callbacks

    def on_progress(self, fraction: float, message: str) -> None:
        self._call("progress", fraction, message)

    def on_finished(self, result) -> None:
        self._call("finished", result)

    def on_failed(self, message: str, details: str) -> None:
        self._call("failed", message, details)

    def on_cancelled(self) -> None:
        self._call("cancelled")

    def _call(self, name: str, *args) -> None:
        callback = self.callbacks.get(name)
        if callback is not None:
            callback(*args)


class Task:
    """A cancellable background call of ``function(*args, progress=..., **kwargs)``.

    Signals (on ``task.signals``, delivered in the GUI thread)
    -------
    progress(float, str), finished(result), failed(message, details), cancelled()
    """

    def __init__(self, function: Callable[..., Any], *args, **kwargs) -> None:
        self.function, self.args, self.kwargs = function, args, kwargs
        self.signals = _Signals()
        self._cancel = threading.Event()
        self.thread: threading.Thread | None = None

    def on(self, **callbacks: Callable) -> Task:
        """Register ``progress``/``finished``/``failed``/``cancelled`` callbacks, run in
        the GUI thread (never connect a lambda to ``signals`` directly: it would run in
        the worker thread)."""
        self._relay = _Relay(callbacks)
        self.signals.progress.connect(self._relay.on_progress)
        self.signals.finished.connect(self._relay.on_finished)
        self.signals.failed.connect(self._relay.on_failed)
        self.signals.cancelled.connect(self._relay.on_cancelled)
        return self

    def cancel(self) -> None:
        """Ask the task to stop at its next progress report."""
        self._cancel.set()

    @property
    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def _progress(self, fraction: float, message: str = "") -> None:
        if self._cancel.is_set():
            raise Cancelled()
        self.signals.progress.emit(float(fraction), str(message))

    def run(self) -> None:
        """Call the function here (the worker thread) and emit exactly one of
        ``finished``, ``failed`` or ``cancelled``."""
        try:
            result = self.function(*self.args, progress=self._progress, **self.kwargs)
        except Cancelled:
            self.signals.cancelled.emit()
        except Exception as err:
            message = first_line(err)
            self.signals.failed.emit(message, traceback.format_exc())
        else:
            if self._cancel.is_set():
                self.signals.cancelled.emit()
            else:
                self.signals.finished.emit(result)


_running: set[Task] = set()
_lock = threading.Lock()


def _run_and_forget(task: Task) -> None:
    try:
        task.run()
    finally:
        with _lock:
            _running.discard(task)


def start(task: Task) -> Task:
    """Run ``task`` in a new background (daemon) thread and return it."""
    task.thread = threading.Thread(
        target=_run_and_forget,
        args=(task,),
        daemon=True,
        name=f"innoatlas-{getattr(task.function, '__name__', 'task')}",
    )
    with _lock:
        _running.add(task)
    task.thread.start()
    return task


def wait_all(timeout_ms: int = 10_000) -> bool:
    """Block until every running task has finished (tests, exports, quitting).

    Returns False when some task was still running after ``timeout_ms``. Queued
    callbacks are delivered afterwards by the caller's event processing.
    """
    deadline = time.monotonic() + timeout_ms / 1000.0
    while True:
        with _lock:
            tasks = list(_running)
        if not tasks:
            return True
        for task in tasks:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            task.thread.join(remaining)
        QCoreApplication.processEvents()
