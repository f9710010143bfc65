"""p-median by walking distance: on a river crossed by one bridge, the median that serves
a bank by walking differs from the straight-line one (CBC when installed, else greedy)."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from app.core.analysis.suggest.pmedian import MedianDemand, solve_pmedian, total_distance
from app.core.network.coverage import walking_pairs
from app.core.network.topology import build_network
from tests.core.network.synthetic import X0, Y0, river_with_one_bridge

# clusters of start-ups: A north-west bank, B south-west bank (heavier), C south bank
A, B, C = (-1000.0, 150.0), (-1000.0, -150.0), (0.0, -150.0)


def _demand():
    xy = [A] * 10 + [B] * 12 + [C] * 10
    points = shapely.points([X0 + x for x, _ in xy], [Y0 + y for _, y in xy])
    return points, np.ones(len(xy))


def _candidates():
    xs = np.array([-1000, -500, 0, 500, 1000] * 2, float)
    ys = np.array([150.0] * 5 + [-150.0] * 5)
    return X0 + xs, Y0 + ys


def _places(cx, cy, chosen):
    return {(round(cx[j] - X0), round(cy[j] - Y0)) for j in chosen}


def test_walking_median_puts_a_site_on_the_bank_the_circle_would_serve_from_across():
    lines, sep = river_with_one_bridge()
    walk = walking_pairs(build_network(lines, sep))
    points, weights = _demand()
    cx, cy = _candidates()
    none = np.empty(0, dtype=object)
    straight = MedianDemand.build(points, weights, none)
    walking = MedianDemand.build(points, weights, none, walk.distances, cx, cy)
    assert walking.unreached == 0 and walking.total == straight.total
    line = solve_pmedian(cx, cy, straight, 2, exact=True, time_limit=20)
    walked = solve_pmedian(cx, cy, walking, 2, exact=True, time_limit=20)
    # straight line: B serves A across the river (300 m), C gets its own site
    assert _places(cx, cy, line.chosen) == {B, C}
    # walking: A is 4.3 km from B along the streets (over the bridge): A gets a site
    assert _places(cx, cy, walked.chosen) == {A, B}
    assert total_distance(cx, cy, walking, walked.chosen) == pytest.approx(10 * 1000.0, abs=0.01)
    # the straight-line answer walks A's start-ups over the bridge: 3.3 km each
    assert total_distance(cx, cy, walking, line.chosen) == pytest.approx(10 * 3300.0, abs=0.01)
    assert total_distance(cx, cy, straight, line.chosen) == 10 * 300.0


def test_demand_no_candidate_reaches_is_left_out_and_counted():
    lines, sep = river_with_one_bridge()
    walk = walking_pairs(build_network(lines, sep))
    far = shapely.points([X0 + 5000.0, X0 - 1000.0], [Y0, Y0 + 150.0])  # off network, on it
    cx, cy = _candidates()
    demand = MedianDemand.build(
        far, np.array([3.0, 1.0]), np.empty(0, dtype=object), walk.distances, cx, cy
    )
    assert demand.unreached == 3.0 and demand.total == 1.0
    chosen = solve_pmedian(cx, cy, demand, 1, exact=False, time_limit=5).chosen
    assert _places(cx, cy, chosen) == {A}
