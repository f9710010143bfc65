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
