"""Map-level analysis: kernel density, Getis-Ord Gi*, Clark-Evans.

The module under test is app.core.analysis.point_patterns.
"""

import math

import numpy as np
import pytest
import shapely

from app.core.analysis.point_patterns import (
    Grid,
    clark_evans,
    clark_evans_in,
    getis_ord_gi_star,
    hot_spots,
    kernel_density,
)


def test_grid_is_aligned_and_counts_points():
    grid = Grid.covering((10, 10, 490, 240), 100)
    assert (grid.x0, grid.y0, grid.nx, grid.ny) == (0, 0, 5, 3)
    counts = grid.counts(np.array([50, 60, 450]), np.array([50, 70, 250]))
    assert counts[0, 0] == 2 and counts[2, 4] == 1 and counts.sum() == 3


def test_kernel_density_conserves_mass_and_peaks_at_the_point():
    surface = kernel_density(np.array([1025.0]), np.array([2025.0]), bandwidth=500, cell=50)
    mass = surface.density.sum() * 50 * 50 / 1e6
    assert mass == pytest.approx(1.0)
    row, col = np.unravel_index(np.argmax(surface.density), surface.density.shape)
    x, y = surface.grid.centres()
    assert (x[row, col], y[row, col]) == (1025.0, 2025.0)
    peak = 3 / (math.pi * 500**2) * 1e6  # K(0) in points per km²
    assert surface.density[row, col] == pytest.approx(peak, rel=0.02)
    # quartic: zero at and beyond the bandwidth
    far = np.hypot(x - 1025, y - 2025) >= 500
    assert np.allclose(surface.density[far], 0, atol=1e-9)


def test_kernel_density_scales_with_points():
    one = kernel_density(
        np.array([0.0]), np.array([0.0]), 300, cell=25, bounds=(-500, -500, 500, 500)
    )
    three = kernel_density(np.zeros(3), np.zeros(3), 300, cell=25, bounds=(-500, -500, 500, 500))
    assert np.allclose(three.density, 3 * one.density)


def gi_star_brute_force(values, cell, band):
    ny, nx = values.shape
    yy, xx = np.mgrid[0:ny, 0:nx]
    cx, cy = (xx.ravel() + 0.5) * cell, (yy.ravel() + 0.5) * cell
    x = values.ravel().astype(float)
    n = x.size
    w = (np.hypot(cx[:, None] - cx[None, :], cy[:, None] - cy[None, :]) <= band).astype(float)
    mean, s = x.mean(), math.sqrt((x**2).mean() - x.mean() ** 2)
    wi = w.sum(axis=1)
    z = (w @ x - mean * wi) / (s * np.sqrt((n * (w**2).sum(axis=1) - wi**2) / (n - 1)))
    return z.reshape(ny, nx)


@pytest.mark.parametrize("band", [250.0, 353.6, 500.0, 800.0])
def test_gi_star_matches_the_formula(band):
    rng = np.random.default_rng(3)
    counts = rng.poisson(3, size=(9, 12)).astype(float)
    counts[4, 5] = 40
    got = getis_ord_gi_star(counts, 250.0, band)
    assert np.allclose(got, gi_star_brute_force(counts, 250.0, band))


def test_gi_star_finds_the_cluster_and_rejects_a_small_band():
    rng = np.random.default_rng(5)
    x = np.concatenate([rng.uniform(0, 5000, 500), rng.normal(2500, 100, 300)])
    y = np.concatenate([rng.uniform(0, 5000, 500), rng.normal(2500, 100, 300)])
    spots = hot_spots(x, y, cell=250)
    xs, ys = spots.grid.centres()
    hot_x, hot_y = xs[spots.hot], ys[spots.hot]
    assert len(hot_x) and np.all(np.hypot(hot_x - 2500, hot_y - 2500) < 800)
    with pytest.raises(ValueError):
        getis_ord_gi_star(np.ones((3, 3)), 250, 100)
    assert np.isnan(getis_ord_gi_star(np.ones((3, 3)), 250, 250)).all()  # no variance


def test_clark_evans_of_a_lattice_and_of_a_cluster():
    xs, ys = np.meshgrid(np.arange(10) * 100.0, np.arange(10) * 100.0)
    lattice = clark_evans(xs.ravel(), ys.ravel(), 1000.0 * 1000.0)
    assert lattice.mean_nnd == pytest.approx(100)
    assert lattice.ratio == pytest.approx(2.0)  # expected 0.5 / sqrt(100 / 1e6) = 50
    clustered = clark_evans(np.array([0, 1, 500, 501.0]), np.zeros(4), 1e6)
    assert clustered.ratio < 1 and clustered.z < 0
    dup = clark_evans(np.array([0, 0, 10.0]), np.zeros(3), 100.0)
    assert dup.mean_nnd == pytest.approx(10 / 3)  # coincident points: 0, 0, 10
    assert math.isnan(clark_evans(np.array([1.0]), np.array([1.0]), 10).ratio)


def test_clark_evans_in_a_district():
    district = shapely.box(0, 0, 1000, 1000)
    geoms = shapely.points([[100, 100], [200, 100], [5000, 5000]])
    summary = clark_evans_in(geoms, district)
    assert summary.n == 2 and summary.area_m2 == 1e6 and summary.mean_nnd == 100


def test_hot_spot_bins_follow_benjamini_hochberg_against_a_brute_reference():
    from app.core.analysis.point_patterns import (
        fdr_significant,
        hot_spot_confidence,
        two_sided_p,
    )

    rng = np.random.default_rng(7)
    z = np.concatenate([rng.normal(0, 1, 300), rng.normal(3.2, 0.6, 40), [np.nan, -4.0]])
    p = two_sided_p(z)
    assert math.isclose(p[-1], 2 * 0.5 * math.erfc(4.0 / math.sqrt(2)))
    for alpha in (0.10, 0.05, 0.01):
        finite = [(v, i) for i, v in enumerate(p) if np.isfinite(v)]
        finite.sort()
        m, k_max = len(finite), 0
        for k, (v, _) in enumerate(finite, start=1):  # the textbook step-up loop
            if v <= k / m * alpha:
                k_max = k
        expected = np.zeros(len(p), bool)
        for _, i in finite[:k_max]:
            expected[i] = True
        assert (fdr_significant(p, alpha) == expected).all()
    level = hot_spot_confidence(z)
    # uncorrected, z = 1.7 would be "90 %": among 340 tests the correction drops it
    assert set(np.unique(level)) <= {-99, -95, -90, 0, 90, 95, 99}
    assert (level[(z > 0) & (z < 1.7)] == 0).all()
    assert level[-1] < 0 and level[-2] == 0  # a cold spot; NaN is no spot
    assert (level[300:] >= 90).mean() > 0.8  # the planted hot cells are found
    assert ((np.abs(z) >= 1.645) & (level == 0)).any()  # stricter than z >= 1.645
