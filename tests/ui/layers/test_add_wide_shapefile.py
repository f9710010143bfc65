"""File → Add layer with a CP949 shapefile (no .cpg) whose text field is ESRI's usual
254 bytes wide: detected as CP949 and previewed and added in Korean (it was taken for
ISO-8859-1, every name garbled)."""

from PySide6.QtCore import Qt

from tests.core.formats.test_vector_shp_points import _write
from tests.ui.layers.test_add_layer import _close_messages, _finish_import, ask


def test_a_wide_cp949_text_field_is_previewed_and_added_in_korean(main_window, qtbot, tmp_path):
    names = ["가산스타트업", "마곡바이오", "양재AI랩"]
    fields = [("상호".encode("cp949"), "C", 254, 0), (b"EMP", "N", 4, 0)]
    path = _write(tmp_path, "wide", fields, [[n.encode("cp949"), b"3"] for n in names])
    dialog = ask(main_window, qtbot, path)
    assert dialog.encoding_box.currentData() == "CP949"
    model = dialog.table_model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert "상호" in headers
    assert model.item(0, headers.index("상호")).text() == names[0]
    layer = _finish_import(main_window, qtbot)
    _close_messages(main_window, qtbot)
    assert layer.data["상호"].tolist() == names
