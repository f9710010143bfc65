"""The zoning rules dialog (Analysis → Zoning rules): a status never cut ("not …") when a
changed cell makes a zone not permitted, and a legend of the use-class symbols, in both
languages."""

import pytest
from PySide6.QtCore import Qt, QTimer

from app.core.zoning.rules import SYMBOLS


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", ["permitted", "only where the city ordinance allows", "limited", "not permitted"]),
        ("ko", ["허용", "시 조례가 허용하는 경우에만", "제한적", "불허", "알 수 없음"]),
    ],
)
def test_not_permitted_is_whole_and_the_symbols_have_a_legend(qtbot, main_window, language, words):
    from app.ui import i18n
    from app.ui.analysis.zoning_rules_dialog import ZoningRulesDialog

    i18n.set_language(language)
    w = main_window
    seen = {}

    def inspect():
        dialog = next(d for d in w.findChildren(ZoningRulesDialog) if d.isVisible())
        try:
            zones = list(dialog.base.zones)
            row = zones.index("제1종일반주거")  # ○ for education, ? for offices
            combo = dialog.combos[("제1종일반주거", "교육연구시설")]
            combo.setFocus()
            qtbot.keyClick(combo, Qt.Key.Key_End)  # the last symbol: "?"
            status = dialog.table.item(row, 6)
            seen["symbol"] = combo.currentText()
            seen["status"] = status.text()
            seen["needed"] = dialog.table.fontMetrics().horizontalAdvance(status.text())
            seen["width"] = dialog.table.columnWidth(6)
            seen["legend"] = dialog.symbol_legend.text()
            seen["legend_shown"] = dialog.symbol_legend.isVisible()
        finally:
            dialog.reject()  # nothing applied

    QTimer.singleShot(50, inspect)
    assert not w.analysis.edit_rules()
    assert seen["symbol"] == "?"
    assert seen["status"] == ("not permitted" if language == "en" else "불허")
    assert seen["needed"] + 6 <= seen["width"], seen  # the whole word, not "not …"
    assert seen["legend_shown"]
    for symbol in SYMBOLS:
        assert f"<b>{symbol}</b>" in seen["legend"]
    for word in words:
        assert word in seen["legend"], (word, seen["legend"])
