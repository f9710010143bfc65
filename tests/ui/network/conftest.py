"""The window of the walking-network tests: streets over a river crossed by one bridge
and 3 000 start-ups."""

from __future__ import annotations

import numpy as np
import pytest

from layers.model import LayerStack
from tests.ui.conftest import _forget_changes, point_layer
from tests.ui.network.test_walking import _streets


@pytest.fixture
def w(qtbot):
    from app.ui.gui import application, wait_until_drawn
    from app.ui.window.main_window import MainWindow

    application()
    rng = np.random.default_rng(5)
    xs, ys = rng.uniform(0, 2000, 3000), rng.uniform(0, 2000, 3000)
    startups = point_layer("startups", "#3366cc", xs, ys, [""] * 3000)
    window = MainWindow(LayerStack([startups, _streets()]))
    window.resize(1000, 750)
    window.show()
    qtbot.waitExposed(window)
    window.canvas.zoom_to_extent((0, 0, 2000, 2000), margin=0.05)
    window.actions_by_name["actionSnapping"].setChecked(False)
    assert wait_until_drawn(window)
    yield window
    _forget_changes(window)
