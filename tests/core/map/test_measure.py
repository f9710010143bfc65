"""Measured lengths and areas: planar EPSG:5186 metres and GRS80 ellipsoidal values."""

import math

import pytest

from app.core.geodesy import from_lonlat
from app.core.map.measure import format_area, format_length, measure


def test_planar_segments_and_total_of_a_polyline():
    m = measure([(200000, 550000), (200300, 550000), (200300, 550400)])
    assert m.segments == (300.0, 400.0)
    assert m.length == 700.0 and m.area is None
    # near Seoul the projection's scale differs from the ellipsoid by well under 0.1 %
    assert m.length_ellipsoidal == pytest.approx(700.0, rel=1e-3)
    assert m.length_ellipsoidal != m.length


def test_area_closes_the_ring():
    m = measure([(200000, 550000), (200100, 550000), (200100, 550050), (200000, 550050)], area=True)
    assert m.segments == (100.0, 50.0, 100.0, 50.0)
    assert m.length == 300.0
    assert m.area == 5000.0
    assert m.area_ellipsoidal == pytest.approx(5000.0, rel=2e-3)


def test_one_degree_of_latitude_on_the_ellipsoid():
    a = from_lonlat(127.0, 37.0)
    b = from_lonlat(127.0, 38.0)
    m = measure([a, b])
    assert m.length_ellipsoidal == pytest.approx(110_990, rel=2e-3)  # GRS80 at 37.5°N


@pytest.mark.parametrize("points", [[], [(1, 1)], [(1, 1), (2, 2)]])
def test_too_few_points_measure_nothing_without_error(points):
    m = measure(points, area=True)
    assert m.area == 0.0 and m.area_ellipsoidal == 0.0
    assert not math.isnan(m.length)


def test_formats():
    assert format_length(850.25) == "850.2 m" or format_length(850.25) == "850.3 m"
    assert format_length(12345) == "12.345 km"
    assert format_length(2109.2834, digits=2) == "2,109.28 m"
    assert format_area(5000) == "5,000.0 m²"
    assert format_area(25000) == "25,000 m² (2.50 ha)"
    assert format_area(2.5e6) == "2.500 km²"
