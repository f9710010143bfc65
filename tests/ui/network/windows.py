"""A main window over the river-with-one-bridge streets and random start-ups, shared by
the walking-network and scenario-catchment tests."""

from __future__ import annotations

import numpy as np

from layers.model import LayerStack
from tests.ui.conftest import _forget_changes, point_layer
from tests.ui.network.test_walking import _streets


def walking_window(qtbot, startups: int = 3000, size: tuple[int, int] = (1000, 750)):
    """Yield a shown, drawn window with ``startups`` start-ups over 2 km × 2 km and the
    streets; its changes are forgotten afterwards (use with ``yield from``)."""
    from app.ui.gui import application, wait_until_drawn
    from app.ui.window.main_window import MainWindow

    application()
    rng = np.random.default_rng(5)
    xs, ys = rng.uniform(0, 2000, startups), rng.uniform(0, 2000, startups)
    layer = point_layer("startups", "#3366cc", xs, ys, [""] * startups)
    window = MainWindow(LayerStack([layer, _streets()]))
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    window.canvas.zoom_to_extent((0, 0, 2000, 2000), margin=0.05)
    window.actions_by_name["actionSnapping"].setChecked(False)
    assert wait_until_drawn(window)
    yield window
    _forget_changes(window)
