"""Class breaks (equal interval, quantiles, natural breaks) and style building."""

import itertools

import numpy as np
import pandas as pd
import pytest

from layers.classify import (
    categorized_style,
    equal_interval,
    graduated_style,
    jenks_breaks,
    quantile_breaks,
    ramp_colours,
    with_class,
    with_symbols,
)
from layers.style import LayerStyle
from layers.style_classes import class_codes


def total_ssd(values, bounds):
    """Sum of squared deviations of the classes cut by inner ``bounds`` (upper included)."""
    v = np.sort(values)
    edges = np.searchsorted(v, bounds[1:-1], side="right")
    return sum(((part - part.mean()) ** 2).sum() for part in np.split(v, edges) if part.size)


def brute_force(values, k):
    """The least total SSD over every way to cut the sorted values in k classes."""
    v = np.sort(values)
    best = np.inf
    for cuts in itertools.combinations(range(1, len(v)), k - 1):
        parts = np.split(v, cuts)
        best = min(best, sum(((p - p.mean()) ** 2).sum() for p in parts))
    return best


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("k", [2, 3, 4])
def test_jenks_finds_the_brute_force_optimum(seed, k):
    values = np.random.default_rng(seed).gamma(2.0, 10.0, 11).round(2)
    bounds = jenks_breaks(values, k)
    assert len(bounds) == k + 1
    assert bounds[0] == values.min() and bounds[-1] == values.max()
    assert total_ssd(values, bounds) == pytest.approx(brute_force(values, k), rel=1e-9, abs=1e-9)


def test_jenks_separates_obvious_groups():
    values = [1, 2, 3, 50, 51, 52, 100, 101]
    assert jenks_breaks(values, 3).tolist() == [1, 3, 52, 101]


def test_equal_and_quantile_breaks():
    values = np.arange(101)
    assert equal_interval(values, 4).tolist() == [0, 25, 50, 75, 100]
    assert quantile_breaks(values, 2).tolist() == [0, 50, 100]
    assert equal_interval([np.nan, "x"], 3).size == 0


def test_ramps_interpolate_between_their_ends():
    colours = ramp_colours("Blues", 3)
    assert colours[0] == "#eff3ff" and colours[-1] == "#08519c" and len(set(colours)) == 3


def test_graduated_style_classifies_every_feature():
    frame = pd.DataFrame({"v": [1.0, 2.0, 3.0, 50.0, 51.0, 100.0]})
    style = graduated_style(LayerStyle(), "v", frame["v"], "jenks", 3, "YlOrRd")
    codes, table = class_codes(style, frame)
    assert codes.tolist() == [0, 0, 0, 1, 1, 2]
    assert len(table) == 4 and table[0][1].fill == "#ffffb2"


def test_categorized_edit_and_symbol_changes():
    style = categorized_style(LayerStyle(), "s", ["AI", "Bio", "AI", None], "Set2")
    assert [c.value for c in style.categories] == ["AI", "Bio"]
    edited = with_class(style, 1, colour="#123456", label="Biotech")
    assert edited.categories[1].symbol.fill == "#123456"
    assert edited.categories[1].label == "Biotech"
    bigger = with_symbols(edited, size=12.0)
    assert {c.symbol.size for c in bigger.categories} == {12.0} and bigger.symbol.size == 12.0
