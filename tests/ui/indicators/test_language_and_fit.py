"""The indicators panel in the UI language and at its width (issue 16): sector values and
app-made site names as the legend and the Sites panel show them, the Compare table's score
column wide enough for its header and values, the chart's axis titled."""

import shapely
from PySide6.QtCore import QPoint, Qt

from app.core.sites.geometry import CheckedGeometry
from layers.themes.startups import SECTORS
from tests.ui.indicators.test_panel import click_tab


def test_card_table_and_chart_speak_korean(qtbot, gvalley):
    from app.ui import i18n

    w, _cx, _cy = gvalley
    panel = w.indicators_panel
    name = w.stack.get("sites").data["name"].iloc[0]
    assert name == "Site 1"  # a name the app made
    raw = w.indicators.results["top_sector"].iloc[0]
    assert raw in SECTORS
    i18n.set_language("ko")
    click_tab(qtbot, panel, 0)
    # the sector as the legend names it: "바이오·헬스", not "Bio/Health"
    korean = SECTORS[raw][0].split(" ", 1)[0]
    assert panel.card_values()["top_sector"] == korean
    assert "후보지 1" in panel.title.text() and "Site 1" not in panel.title.text()
    click_tab(qtbot, panel, 1)
    model = panel.table.model()
    names = panel.table_model.columns.index("name")
    sector = panel.table_model.columns.index("top_sector")
    assert model.index(0, names).data() == "후보지 1"
    assert model.index(0, sector).data() == korean
    click_tab(qtbot, panel, 2)
    panel.chart.repaint()
    assert panel.chart.bars and panel.chart.bars[0][1].startswith("후보지 1: ")
    i18n.set_language("en")
    click_tab(qtbot, panel, 0)
    assert panel.card_values()["top_sector"] == raw
    assert "Site 1" in panel.title.text()


def test_compare_table_shows_the_whole_score(qtbot, gvalley):
    from app.ui import i18n

    w, cx, cy = gvalley
    w.editing.add_site(CheckedGeometry(shapely.Point(cx + 600, cy + 400)))
    w.indicators.wait()
    panel = w.indicators_panel
    for language in ("en", "ko"):
        i18n.set_language(language)
        click_tab(qtbot, panel, 1)
        table = panel.table
        column = panel.table_model.columns.index("score")
        width = table.columnWidth(column)
        header = table.horizontalHeader()
        # neither the header ("Score (0–100)") nor a value is cut
        assert header.sectionSizeHint(column) <= width, language
        assert table.sizeHintForColumn(column) <= width, language
        metrics = table.fontMetrics()
        for row in range(table.model().rowCount()):
            text = table.model().index(row, column).data()
            assert metrics.horizontalAdvance(text) < width, (language, text)
        # a click on the header still sorts by score
        qtbot.mouseClick(
            header.viewport(),
            Qt.MouseButton.LeftButton,
            pos=QPoint(header.sectionViewportPosition(column) + 5, 5),
        )
        assert header.sortIndicatorSection() == column


def test_chart_axis_is_titled_in_both_languages(qtbot, gvalley):
    from app.ui import i18n

    w, _cx, _cy = gvalley
    panel = w.indicators_panel
    for language, title in (("en", "Score points (of 100)"), ("ko", "점수 (100점 만점)")):
        i18n.set_language(language)
        click_tab(qtbot, panel, 2)
        chart = panel.chart
        chart.repaint()
        assert chart.axis_title is not None, language
        rect, text = chart.axis_title
        assert text == title
        # under the bars, inside the chart, not cut
        assert rect.top() >= max(bar.bottom() for bar, _tip in chart.bars)
        assert chart.rect().toRectF().contains(rect), (language, rect, chart.rect())
