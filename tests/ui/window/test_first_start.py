"""First start: the default project fitted to the three districts; the window's size and
place are remembered for the next start."""

from PySide6.QtWidgets import QApplication

from app.core.paths import DEFAULT_PROJECT


def districts_bounds(window):
    return window.stack.get("districts").data.total_bounds


def test_the_default_project_opens_on_the_three_districts(qtbot):
    from app.ui.gui import application, open_main_window, wait_until_drawn

    application()
    window = open_main_window(DEFAULT_PROJECT, (1280, 800), clamp_to_screen=False)
    window.show()
    qtbot.waitExposed(window)
    assert wait_until_drawn(window)
    x0, y0, x1, y1 = window.canvas.viewport.extent
    dx0, dy0, dx1, dy1 = districts_bounds(window)
    assert x0 <= dx0 and y0 <= dy0 and x1 >= dx1 and y1 >= dy1  # none clipped
    # ... and they fill the map: not the whole city around them.
    assert (dx1 - dx0) / (x1 - x0) > 0.7 or (dy1 - dy0) / (y1 - y0) > 0.7
    # Another size of the window (maximised, smaller) keeps all three in view.
    width = window.canvas.width()
    window.resize(820, 640)
    qtbot.waitUntil(lambda: window.canvas.width() < width, timeout=2000)
    QApplication.processEvents()
    x0, y0, x1, y1 = window.canvas.viewport.extent
    assert x0 <= dx0 and y0 <= dy0 and x1 >= dx1 and y1 >= dy1
    window.close()


def test_the_window_opens_as_large_as_it_was_closed(qtbot):
    from app.ui.gui import application, open_main_window

    application()
    first = open_main_window(DEFAULT_PROJECT, (1280, 800), clamp_to_screen=False, remember=True)
    first.show()
    qtbot.waitExposed(first)
    first.resize(830, 620)
    qtbot.waitUntil(lambda: first.height() == 620, timeout=2000)
    size = first.size()
    assert first.close()
    second = open_main_window(DEFAULT_PROJECT, (1280, 800), clamp_to_screen=False, remember=True)
    # The height as it was (the 800-pixel-wide test screen may narrow the width).
    assert second.height() == size.height() == 620  # not the 1280×800 default
    second.close()
