"""Qt fixtures: main windows on the default project or on small hand-made layers."""

import geopandas as gpd
import pytest
import shapely

from app.core.project.loader import load_project
from layers.model import Layer, LayerStack
from layers.provenance import DataStatus, Provenance
from layers.style import LabelStyle, LayerStyle, Symbol

PROV = Provenance(DataStatus.REAL, "test", "CC0", "2026")


@pytest.fixture(autouse=True)
def _isolated_user_data(tmp_path, monkeypatch):
    """Recovery files and settings of each test go to its own folder."""
    monkeypatch.setenv("INNOATLAS_DATA_DIR", str(tmp_path / "userdata"))
    from PySide6.QtCore import QSettings

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings")
    )
    # The UI language follows the (isolated, empty) settings and an English locale, so that
    # a Korean machine runs the tests as a CI runner does; each test starts afresh.
    from PySide6.QtCore import QLocale

    from app.ui import i18n

    previous = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    i18n.reset()
    yield
    i18n.reset()
    QLocale.setDefault(previous)


@pytest.fixture
def main_window(qtbot, default_project_path):
    """The real main window on the default project, shown at 1280x800."""
    from app.ui.gui import application, fit_window, wait_until_drawn
    from app.ui.window.main_window import MainWindow

    application()
    window = MainWindow(load_project(default_project_path))
    fit_window(window, (1280, 800), clamp_to_screen=False)
    window.show()
    qtbot.waitExposed(window)
    assert wait_until_drawn(window)
    yield window
    _forget_changes(window)


@pytest.fixture
def gvalley(main_window):
    """The real project zoomed to G-Valley with one square site in its middle (its
    card filled, snapping off): ``(window, cx, cy)``, the site's centre."""
    from PySide6.QtWidgets import QApplication

    from app.core.sites.geometry import polygon_from_vertices

    w = main_window
    w.actions_by_name["actionSnapping"].setChecked(False)
    w.zoom_to_district("gvalley")
    districts = w.stack.get("districts").data
    centre = districts[districts.district_id == "gvalley"].geometry.iloc[0].representative_point()
    cx, cy = centre.x, centre.y
    w.editing.add_site(
        polygon_from_vertices(
            [(cx - 60, cy - 60), (cx + 60, cy - 60), (cx + 60, cy + 60), (cx - 60, cy + 60)]
        )
    )
    w.indicators.wait()
    QApplication.processEvents()
    return w, cx, cy


def _forget_changes(window):
    """Close without the "save changes?" question (which would wait for a click)."""
    window.project._set_clean()
    window.project.discard_recovery()
    window.close()
    window.deleteLater()


def square_layer(name: str, colour: str, box, label: str = "") -> Layer:
    frame = gpd.GeoDataFrame(
        {"name": [label or name]}, geometry=[shapely.box(*box)], crs="EPSG:5186"
    )
    style = LayerStyle(symbol=Symbol(fill=colour, fill_alpha=1.0, stroke=None))
    return Layer(name, frame, style, PROV, title_en=name, geometry_kind="polygon")


def point_layer(name: str, colour: str, xs, ys, names) -> Layer:
    frame = gpd.GeoDataFrame(
        {"name": list(names)}, geometry=shapely.points(xs, ys), crs="EPSG:5186"
    )
    style = LayerStyle(
        symbol=Symbol(fill=colour, stroke=None, size=10), label=LabelStyle(field="name")
    )
    return Layer(name, frame, style, PROV, title_en=name, geometry_kind="point")


@pytest.fixture
def square_window(qtbot):
    """A main window on three hand-made layers: points over red over blue squares."""
    from app.ui.gui import application, wait_until_drawn
    from app.ui.window.main_window import MainWindow

    application()
    stack = LayerStack(
        [
            point_layer("dots", "#00ff00", [500.0], [500.0], ["초록점"]),
            square_layer("red", "#ff0000", (0, 0, 1000, 1000)),
            square_layer("blue", "#0000ff", (0, 0, 1000, 1000)),
        ]
    )
    window = MainWindow(stack)
    window.resize(1000, 700)
    window.show()
    qtbot.waitExposed(window)
    window.canvas.zoom_to_extent((0, 0, 1000, 1000), margin=0.1)
    assert wait_until_drawn(window)
    yield window
    _forget_changes(window)
