"""startups_per_km2 with a walking catchment: the walk's count over the R circle's area,
so the density a planner reads falls by exactly the reach ratio (docs/indicators.md says
why the isochrone's area is not the denominator)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from app.core.indicators.engine import compute_indicators
from app.core.network.catchment import REACH_COLUMN, walking_indicators
from app.core.network.isochrone import isochrones
from app.core.network.topology import build_network
from tests.core.network.synthetic import points, river_with_one_bridge
from tests.core.network.test_indicators import _startups


def test_walking_density_is_the_circle_density_times_the_reach_ratio():
    lines, sep = river_with_one_bridge()
    river = build_network(lines, sep)
    sites = points((0, -160), (900, -160))
    straight = compute_indicators(sites, _startups(), None, None, None, radius=800)
    walked = walking_indicators(sites, _startups(), None, None, None, network=river, radius=800)
    circle_km2 = math.pi * 0.8**2
    assert walked["startups_per_km2"].iloc[0] == pytest.approx(2 / circle_km2)
    expected = straight["startups_per_km2"] * walked[REACH_COLUMN]
    assert np.allclose(walked["startups_per_km2"], expected)
    assert walked["startups_per_km2"].iloc[0] < straight["startups_per_km2"].iloc[0]
    # the isochrone's area is a drawing band: twice the band, nearly twice the area,
    # which a density over it would halve (the reason it is not the denominator)
    narrow = isochrones(river, sites.geometry.values[:1], [800.0], buffer_m=25.0)
    wide = isochrones(river, sites.geometry.values[:1], [800.0], buffer_m=50.0)
    assert wide.geometry[0].area > 1.8 * narrow.geometry[0].area
