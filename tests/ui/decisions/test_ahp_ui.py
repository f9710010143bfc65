"""Pairwise weights (AHP) dialog: typed judgements, CR warning, Apply as one undo step."""

import os

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit

SHOTS = os.environ.get("INNOATLAS_SHOTS")


def type_into(qtbot, table, row, column, text):
    """Click the cell, F2 to edit, select all, type, Return (as a user would)."""
    rect = table.visualItemRect(table.item(row, column))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert table.currentRow() == row and table.currentColumn() == column
    qtbot.keyClick(table, Qt.Key.Key_F2)
    editor = next(e for e in table.viewport().findChildren(QLineEdit) if e.isVisible())
    qtbot.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()  # the delegate commits the edit in a queued call


def test_typed_judgements_set_the_weights_as_one_undo_step(qtbot, gvalley):
    w, _, _ = gvalley
    before = w.indicators.weights
    dialog = w.decisions.pairwise()
    qtbot.waitExposed(dialog)
    assert dialog.apply_button.isEnabled()  # starts consistent: the current weights' ratios
    table = dialog.table
    # start-ups 3× as important as diversity; reciprocal shown below the diagonal
    type_into(qtbot, table, 0, 1, "3")
    assert table.item(1, 0).text() == "1/3"
    assert "CR = " in dialog.consistency.text()
    weights = dialog.weights()
    assert weights is not None and weights.startups > before.startups
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    w.indicators.wait()
    assert w.indicators.weights == weights
    assert w.editing.undo_stack.undoText() == "Apply pairwise (AHP) weights"
    w.editing.undo_stack.undo()
    w.indicators.wait()
    assert w.indicators.weights == before


def test_inconsistent_or_bad_judgements_disable_apply_with_a_message(qtbot, gvalley):
    w, _, _ = gvalley
    dialog = w.decisions.pairwise()
    qtbot.waitExposed(dialog)
    table = dialog.table
    # start-ups ≫ diversity ≫ education, yet education ≫ start-ups: a cycle
    type_into(qtbot, table, 0, 1, "9")
    type_into(qtbot, table, 1, 2, "9")
    type_into(qtbot, table, 0, 2, "1/9")
    assert not dialog.apply_button.isEnabled()
    text = dialog.consistency.text()
    assert "above 0.10" in text and "revise" in text
    if SHOTS:
        dialog.grab().save(os.path.join(SHOTS, "ahp.png"))
    type_into(qtbot, table, 0, 1, "abc")
    assert not dialog.apply_button.isEnabled()
    assert "type a number > 0" in dialog.consistency.text()
    before = w.indicators.weights
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)  # disabled: nothing
    assert w.indicators.weights == before
