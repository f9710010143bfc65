"""The layer panel changes what the canvas draws: visibility, order, opacity, legend."""

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QStyle, QStyleOptionViewItem

from tests.ui.canvas.test_canvas import pixel


def _check_box_point(tree, index) -> QPoint:
    option = QStyleOptionViewItem()
    tree.initViewItemOption(option)
    option.rect = tree.visualRect(index)
    option.features |= QStyleOptionViewItem.ViewItemFeature.HasCheckIndicator
    rect = tree.style().subElementRect(
        QStyle.SubElement.SE_ItemViewItemCheckIndicator, option, tree
    )
    return rect.center()


def _row(panel, name):
    return panel.model.index(panel.stack.names().index(name), 0)


def test_clicking_the_check_box_hides_and_shows_a_layer(qtbot, square_window):
    panel = square_window.layer_panel
    assert pixel(square_window, 200, 200).name() == "#ff0000"
    index = _row(panel, "red")
    point = _check_box_point(panel.tree, index)
    qtbot.mouseClick(panel.tree.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert not square_window.stack.get("red").visible
    assert pixel(square_window, 200, 200).name() == "#0000ff"  # blue shows through
    qtbot.mouseClick(panel.tree.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert square_window.stack.get("red").visible
    assert pixel(square_window, 200, 200).name() == "#ff0000"


def test_space_toggles_the_selected_layer(qtbot, square_window):
    panel = square_window.layer_panel
    panel.tree.setFocus()
    panel.tree.setCurrentIndex(_row(panel, "dots"))
    qtbot.keyClick(panel.tree, Qt.Key.Key_Space)
    assert not square_window.stack.get("dots").visible
    assert pixel(square_window, 500, 500).name() == "#ff0000"


def test_ctrl_down_moves_the_layer_and_changes_the_drawing(qtbot, square_window):
    panel = square_window.layer_panel
    panel.tree.setCurrentIndex(_row(panel, "red"))
    qtbot.keyClick(square_window, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert square_window.stack.names() == ["sites", "dots", "blue", "red"]
    assert panel.current_layer().name == "red"  # the selection follows the layer
    assert pixel(square_window, 200, 200).name() == "#0000ff"
    qtbot.keyClick(square_window, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    assert square_window.stack.names() == ["sites", "dots", "red", "blue"]
    assert pixel(square_window, 200, 200).name() == "#ff0000"


def test_drop_reorders_through_the_model(square_window):
    """Drag and drop ends in the model's dropMimeData: drop 'blue' onto the top row."""
    model = square_window.layer_panel.model
    mime = model.mimeData([model.index(3, 0)])
    model.dropMimeData(mime, Qt.DropAction.MoveAction, 0, 0, model.index(0, 0).parent())
    assert square_window.stack.names() == ["blue", "sites", "dots", "red"]
    assert pixel(square_window, 200, 200).name() == "#0000ff"


def test_opacity_slider_blends_the_layer(qtbot, square_window):
    panel = square_window.layer_panel
    panel.tree.setCurrentIndex(_row(panel, "red"))
    panel.opacity.setFocus()
    qtbot.keyClick(panel.opacity, Qt.Key.Key_Home)  # slider to 0 %
    assert square_window.stack.get("red").opacity == 0.0
    assert pixel(square_window, 200, 200).name() == "#0000ff"
    for _ in range(5):
        qtbot.keyClick(panel.opacity, Qt.Key.Key_PageUp)  # +10 % each
    assert square_window.stack.get("red").opacity == 0.5
    colour = pixel(square_window, 200, 200)
    assert 100 < colour.red() < 160 and 100 < colour.blue() < 160
    assert "50 %" in panel.opacity_label.text()


def test_legend_lists_categories_of_categorized_layers(main_window):
    model = main_window.layer_panel.model
    stack = main_window.stack
    startups = model.index(stack.names().index("startups"), 0)
    labels = [model.index(r, 0, startups).data() for r in range(model.rowCount(startups))]
    assert any("ICT/SW" in label for label in labels)
    assert any("AI/Data" in label for label in labels)
    assert model.index(0, 0, startups).data(Qt.ItemDataRole.DecorationRole) is not None
    districts = model.index(stack.names().index("districts"), 0)
    assert model.rowCount(districts) == 3
    # Synthetic and illustrative layers say so in the panel itself.
    assert "synthetic" in startups.data().lower()
    zoning = model.index(stack.names().index("zoning"), 0)
    assert "illustrative" in zoning.data().lower()


def test_double_click_opens_properties_with_provenance(qtbot, main_window):
    panel = main_window.layer_panel
    index = panel.model.index(main_window.stack.names().index("startups"), 0)
    rect = panel.tree.visualRect(index)
    target = rect.center() + QPoint(30, 0)
    # A real double click starts with a click; Qt's item views rely on that press.
    qtbot.mouseClick(panel.tree.viewport(), Qt.MouseButton.LeftButton, pos=target)
    qtbot.mouseDClick(panel.tree.viewport(), Qt.MouseButton.LeftButton, pos=target)
    from app.ui.layers.properties import LayerPropertiesDialog

    dialogs = [w for w in main_window.findChildren(LayerPropertiesDialog) if w.isVisible()]
    assert dialogs, "no properties dialog opened"
    text = dialogs[-1].browser.toPlainText()
    assert "SYNTHETIC" in text and "Licence" in text and "CC0" in text
    for dialog in dialogs:
        dialog.close()
