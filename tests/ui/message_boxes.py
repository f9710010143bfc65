"""Answer the next QMessageBox from inside its modal loop (offscreen it would wait forever)."""

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox


def answer_message_box(button: QMessageBox.StandardButton, seen: list) -> None:
    """Click ``button`` of the next visible QMessageBox; append its (title, text) to ``seen``.

    Call it just before the code that shows the box: it polls every 20 ms until one shows.
    """

    def poll():
        boxes = [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, QMessageBox) and w.isVisible() and w.button(button) is not None
        ]
        if not boxes:
            QTimer.singleShot(20, poll)
            return
        seen.append((boxes[0].windowTitle(), boxes[0].text()))
        boxes[0].button(button).click()

    QTimer.singleShot(20, poll)
