"""One progress-and-cancel protocol for long work (Orange's task-state pattern).

A long function takes ``progress(fraction, message)`` and calls it now and then; the
caller's callable may raise :class:`Cancelled` there to stop the work (the GUI's worker
does when the user pressed Cancel). Functions that only poll take ``cancelled()``, a
callable returning True once the work should stop, and raise :class:`Cancelled`
themselves. The functions stay Qt-free and are tested without threads.
"""

from __future__ import annotations

from typing import Protocol

from app.core.errors import InnoAtlasError


class Progress(Protocol):
    """``progress(fraction, message)``: ``fraction`` in 0..1, ``message`` for the user."""

    def __call__(self, fraction: float, message: str = "", /) -> None: ...


class Cancelled(InnoAtlasError):
    """The user cancelled the work; ``str(err)`` says what was cancelled."""


def no_progress(fraction: float, message: str = "", /) -> None:
    """A :class:`Progress` that reports nothing (headless callers)."""
