import numpy as np
import pytest

from app.core.map.viewport import Viewport, format_distance, nice_scale_length


def test_map_screen_round_trip_arrays():
    vp = Viewport(center_x=190000.0, center_y=545000.0, resolution=3.7, width=1013, height=641)
    x = np.array([185000.0, 190000.0, 196543.21])
    y = np.array([540000.0, 545000.0, 551234.5])
    sx, sy = vp.map_to_screen(x, y)
    bx, by = vp.screen_to_map(sx, sy)
    np.testing.assert_allclose(bx, x, atol=1e-6)
    np.testing.assert_allclose(by, y, atol=1e-6)


def test_north_is_up_and_centre_is_middle():
    vp = Viewport(center_x=1000.0, center_y=2000.0, resolution=2.0, width=400, height=300)
    assert vp.map_to_screen(1000.0, 2000.0) == (200.0, 150.0)
    _, sy_north = vp.map_to_screen(1000.0, 2100.0)
    assert sy_north < 150.0  # north is towards the top of the screen
    assert vp.extent == (600.0, 1700.0, 1400.0, 2300.0)


def test_zoom_keeps_anchor_point_fixed():
    vp = Viewport(center_x=0.0, center_y=0.0, resolution=10.0, width=800, height=600)
    anchor = (123.0, 456.0)
    before = vp.screen_to_map(*anchor)
    vp.zoom_by(2.0, anchor)
    assert vp.resolution == pytest.approx(5.0)
    after = vp.screen_to_map(*anchor)
    assert after[0] == pytest.approx(before[0]) and after[1] == pytest.approx(before[1])


def test_zoom_to_extent_shows_the_whole_box():
    vp = Viewport(width=1000, height=500)
    vp.zoom_to_extent((0, 0, 1000, 1000), margin=0.0)
    xmin, ymin, xmax, ymax = vp.extent
    assert xmin <= 0 and ymin <= 0 and xmax >= 1000 and ymax >= 1000
    assert vp.resolution == pytest.approx(2.0)


def test_pan_moves_content_with_the_drag():
    vp = Viewport(center_x=0.0, center_y=0.0, resolution=1.0, width=100, height=100)
    sx0, sy0 = vp.map_to_screen(10.0, 10.0)
    vp.pan_pixels(30, -20)
    sx1, sy1 = vp.map_to_screen(10.0, 10.0)
    assert (sx1 - sx0, sy1 - sy0) == pytest.approx((30, -20))


def test_scale_bar_lengths_are_round():
    for resolution in (0.3, 1.0, 7.5, 42.0, 300.0):
        length = nice_scale_length(resolution, 120)
        mantissa = length / 10 ** np.floor(np.log10(length))
        assert mantissa in (1.0, 2.0, 5.0)
        assert 40 <= length / resolution <= 120
    assert format_distance(500) == "500 m"
    assert format_distance(2000) == "2 km"
    assert format_distance(2500) == "2.5 km"


def test_scale_denominator_at_96_dpi():
    vp = Viewport(resolution=1.0)
    assert vp.scale_denominator(96) == pytest.approx(3779.5275, rel=1e-6)


def test_zoom_to_extent_within_a_part_of_the_view():
    vp = Viewport(width=1000, height=800)
    # A legend 300 px wide on the left and a band 100 px high on top cover the rest.
    vp.zoom_to_extent_within((0.0, 0.0, 700.0, 350.0), (300, 100, 1000, 800), margin=0.0)
    assert vp.resolution == pytest.approx(1.0)
    left, top = vp.map_to_screen(0.0, 350.0)
    right, bottom = vp.map_to_screen(700.0, 0.0)
    assert (left, right) == pytest.approx((300.0, 1000.0))
    assert (top + bottom) / 2 == pytest.approx(450.0)  # centred in the free height
