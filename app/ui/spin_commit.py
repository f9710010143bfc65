"""Spin boxes that apply their value when the edit is committed, not at every keystroke.

Typing 5000 into a plain spin box emits ``valueChanged`` for 5, 50, 500 and 5000, and a
setting that recomputes on each would show figures for values nobody chose.
:class:`CommitOnPause` turns Qt's keyboard tracking off, so that ``valueChanged`` comes
when the edit is committed (Enter, focus out, the arrows, the wheel), and also commits
after a short pause in typing, so that a user who types and waits sees the result.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QAbstractSpinBox, QLineEdit

#: Typing pause (ms) after which a typed value is applied without Enter.
COMMIT_PAUSE_MS = 600


class CommitOnPause(QObject):
    """Makes ``spin`` emit ``valueChanged`` once per committed edit.

    Parameters
    ----------
    spin : QAbstractSpinBox
        A QSpinBox or QDoubleSpinBox; the helper becomes its child.
    pause_ms : int
        Typing pause after which the typed value is committed.

    Attributes
    ----------
    timer : QTimer
        The pause timer, restarted by every edit of the text.
    """

    def __init__(self, spin: QAbstractSpinBox, pause_ms: int = COMMIT_PAUSE_MS) -> None:
        super().__init__(spin)
        self.spin = spin
        spin.setKeyboardTracking(False)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(pause_ms)
        self.timer.timeout.connect(self.commit)
        editor = spin.findChild(QLineEdit)
        if editor is not None:
            editor.textEdited.connect(lambda _text: self.timer.start())
        spin.editingFinished.connect(self.timer.stop)  # Enter or focus out committed it

    def commit(self) -> None:
        """Apply the typed value now (an incomplete text, e.g. empty, waits for more)."""
        self.timer.stop()
        if self.spin.hasAcceptableInput():
            self.spin.interpretText()  # emits valueChanged only when the value changed
