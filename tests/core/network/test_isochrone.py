"""Isochrones: reached streets cut at the remaining distance, buffered, per band."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from app.core.network.isochrone import ISOCHRONE_BUFFER_M, isochrones, substrings
from app.core.network.topology import build_network
from tests.core.network.synthetic import X0, Y0, line, pt, river_with_one_bridge


def test_substrings_cut_pieces_with_inner_vertices():
    net = build_network(np.array([line((0, 0), (100, 0), (100, 100))], dtype=object))
    piece = substrings(net, np.array([0]), np.array([50.0]), np.array([150.0]))[0]
    assert piece.length == pytest.approx(100.0)
    assert shapely.get_coordinates(piece).tolist() == [
        [X0 + 50, Y0],
        [X0 + 100, Y0],
        [X0 + 100, Y0 + 50],
    ]


def test_straight_street_reach_is_twice_the_radius():
    net = build_network(np.array([line((-2000, 0), (2000, 0))], dtype=object))
    iso = isochrones(net, np.array([pt(0, 0)], dtype=object), [400, 800])
    assert iso.band.tolist() == [400, 800]
    assert iso.reached_m.tolist() == pytest.approx([800.0, 1600.0])
    # a band of 2 × 25 m around 1600 m of street, with round ends
    area = 1600 * 2 * ISOCHRONE_BUFFER_M
    assert iso.geometry[1].area == pytest.approx(area + np.pi * ISOCHRONE_BUFFER_M**2, rel=0.01)
    assert iso.geometry[1].contains(pt(790, 0)) and not iso.geometry[1].contains(pt(830, 0))


def test_river_isochrone_stays_on_its_bank():
    lines, sep = river_with_one_bridge()
    net = build_network(lines, sep)
    iso = isochrones(net, np.array([pt(0, -160)], dtype=object), [800])
    polygon = iso.geometry[0]
    circle = pt(0, -160).buffer(800)
    assert circle.contains(pt(0, 140))  # the circle claims the far bank
    assert not polygon.intersects(pt(0, 150).buffer(5))  # the walk does not
    assert polygon.contains(pt(700, -150))
    assert polygon.area < circle.area


def test_site_off_every_street_gets_an_empty_isochrone_when_too_far():
    net = build_network(np.array([line((0, 0), (100, 0))], dtype=object))
    iso = isochrones(net, np.array([pt(0, 1000)], dtype=object), [800])
    assert iso.geometry[0].is_empty and iso.reached_m[0] == 0
