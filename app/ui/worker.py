"""Run a Qt-free function in a background thread with progress and cancel.

The function takes ``progress(fraction, message)``; calling it after the user
pressed Cancel raises :class:`Cancelled` inside the worker (Orange's task state
pattern), so the function itself needs no Qt and is tested without threads.
"""
from __future__ import annotations

import threading
import traceback
from typing import Any, Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class Cancelled(Exception):
    """Raised in the worker when the user cancelled the task."""


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


class Task(QRunnable):
    """A cancellable background call of ``function(*args, progress=..., **kwargs)``.

    Signals (on ``task.signals``, delivered in the GUI thread)
    -------
    progress(float, str), finished(result), failed(message, details), cancelled()
    """

    def __init__(self, function: Callable[..., Any], *args, **kwargs) -> None:
        super().__init__()
        self.function, self.args, self.kwargs = function, args, kwargs
        self.signals = _Signals()
        self._cancel = threading.Event()
        self.setAutoDelete(False)

    def on(self, **callbacks: Callable) -> "Task":
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

    def run(self) -> None:  # noqa: D401 (Qt name)
        try:
            result = self.function(*self.args, progress=self._progress, **self.kwargs)
        except Cancelled:
            self.signals.cancelled.emit()
        except Exception as err:  # noqa: BLE001 - reported to the GUI as a message
            message = str(err).splitlines()[0] if str(err) else type(err).__name__
            self.signals.failed.emit(message, traceback.format_exc())
        else:
            if self._cancel.is_set():
                self.signals.cancelled.emit()
            else:
                self.signals.finished.emit(result)


def start(task: Task) -> Task:
    """Queue ``task`` on the global thread pool and return it."""
    QThreadPool.globalInstance().start(task)
    return task
