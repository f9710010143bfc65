"""Classes for categorized and graduated styles, Qt-free: colour ramps, unique values,
and class breaks by equal interval, quantiles or natural breaks (Jenks), vectorised.

The Symbology page builds styles with these; every renderer then reads the style.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any, Literal

import numpy as np
import pandas as pd

from layers.style import Category, LayerStyle, Range

Method = Literal["equal", "quantile", "jenks"]
METHODS: tuple[Method, ...] = ("equal", "quantile", "jenks")
#: Natural breaks look at most this many values (evenly spaced ranks), as QGIS samples.
JENKS_SAMPLE = 1500

#: Colour ramps: stops from low to high (sequential) or a list of distinct colours.
RAMPS: dict[str, tuple[str, ...]] = {
    "YlOrRd": ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"),
    "Blues": ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"),
    "Viridis": ("#440154", "#3b528b", "#21918c", "#5ec962", "#fde725"),
    "Greens": ("#edf8e9", "#bae4b3", "#74c476", "#31a354", "#006d2c"),
    "Spectral": ("#d7191c", "#fdae61", "#ffffbf", "#abdda4", "#2b83ba"),
    "Set2": (
        "#66c2a5",
        "#fc8d62",
        "#8da0cb",
        "#e78ac3",
        "#a6d854",
        "#ffd92f",
        "#e5c494",
        "#b3b3b3",
    ),
}
#: Ramps whose colours are used as they are (categories), not interpolated.
QUALITATIVE = {"Set2"}


def ramp_colours(name: str, n: int) -> list[str]:
    """``n`` colours of ramp ``name`` (``#rrggbb``): interpolated along a sequential
    ramp, repeated along a qualitative one."""
    stops = RAMPS.get(name, RAMPS["YlOrRd"])
    if n <= 0:
        return []
    if name in QUALITATIVE:
        return [stops[i % len(stops)] for i in range(n)]
    rgb = np.array([[int(c[i : i + 2], 16) for i in (1, 3, 5)] for c in stops], float)
    at = np.linspace(0, len(stops) - 1, n) if n > 1 else np.array([(len(stops) - 1) / 2])
    channels = [np.interp(at, np.arange(len(stops)), rgb[:, k]) for k in range(3)]
    return ["#" + "".join(f"{int(round(c[i])):02x}" for c in channels) for i in range(n)]


def _finite(values) -> np.ndarray:
    numbers = pd.to_numeric(pd.Series(values), errors="coerce").to_numpy(float, na_value=np.nan)
    return np.sort(numbers[np.isfinite(numbers)])


def equal_interval(values, k: int) -> np.ndarray:
    """``k + 1`` bounds cutting the values' range in ``k`` equal intervals."""
    v = _finite(values)
    if v.size == 0:
        return np.array([])
    return np.linspace(v[0], v[-1], k + 1)


def quantile_breaks(values, k: int) -> np.ndarray:
    """``k + 1`` bounds holding about as many values in each class."""
    v = _finite(values)
    if v.size == 0:
        return np.array([])
    return np.quantile(v, np.linspace(0, 1, k + 1))


def jenks_breaks(values, k: int) -> np.ndarray:
    """``k + 1`` bounds of the natural breaks (Jenks/Fisher): the classes of sorted
    values with the least total squared deviation from their class means.

    Exact by dynamic programming over at most :data:`JENKS_SAMPLE` values (an even
    sample of the sorted values beyond that); each step is vectorised over all
    (start, end) pairs, the loop runs over the ``k`` classes only.
    """
    v = _finite(values)
    if v.size == 0:
        return np.array([])
    if v.size > JENKS_SAMPLE:
        v = v[np.linspace(0, v.size - 1, JENKS_SAMPLE).round().astype(int)]
    n = v.size
    k = max(1, min(k, n))
    s1 = np.concatenate([[0.0], np.cumsum(v)])
    s2 = np.concatenate([[0.0], np.cumsum(v * v)])
    start = np.arange(n)[:, None]  # class holds v[start..end]
    end = np.arange(n)[None, :]
    count = end - start + 1
    with np.errstate(invalid="ignore", divide="ignore"):
        ssd = s2[end + 1] - s2[start] - (s1[end + 1] - s1[start]) ** 2 / count
    ssd = np.where(count >= 1, np.maximum(ssd, 0.0), np.inf)
    cost = ssd[0].copy()  # one class over v[0..end]
    choice = np.zeros((k, n), dtype=np.int64)
    for c in range(1, k):
        # the last class starts at s (1..end): cost of c classes over v[0..s-1] + ssd(s, end)
        total = np.full((n, n), np.inf)
        total[1:, :] = cost[:-1, None] + ssd[1:, :]
        choice[c] = np.argmin(total, axis=0)
        cost = total[choice[c], np.arange(n)]
    bounds = [v[-1]]
    end_at = n - 1
    for c in range(k - 1, 0, -1):
        s = int(choice[c][end_at])
        bounds.append(v[s - 1])
        end_at = s - 1
    bounds.append(v[0])
    return np.array(bounds[::-1])


def breaks(values, method: Method, k: int) -> np.ndarray:
    """Class bounds by ``method`` (``"equal"``, ``"quantile"`` or ``"jenks"``)."""
    if method == "quantile":
        return quantile_breaks(values, k)
    if method == "jenks":
        return jenks_breaks(values, k)
    return equal_interval(values, k)


def _number(value: float) -> str:
    return f"{value:,.6g}" if abs(value) < 1e6 else f"{value:,.0f}"


def graduated_style(
    base: LayerStyle, field: str, values, method: Method, k: int, ramp: str
) -> LayerStyle:
    """A graduated copy of ``base`` over ``field``: ``k`` ranges by ``method`` coloured
    along ``ramp``; the other symbol settings (size, outline, opacity) stay."""
    bounds = breaks(values, method, k)
    bounds = np.unique(bounds) if bounds.size else bounds
    if bounds.size == 1:
        bounds = np.array([bounds[0], bounds[0]])
    colours = ramp_colours(ramp, max(0, bounds.size - 1))
    ranges = tuple(
        Range(
            float(lo),
            float(hi),
            f"{_number(lo)} – {_number(hi)}",
            replace(base.symbol, fill=colour),
        )
        for lo, hi, colour in zip(bounds[:-1], bounds[1:], colours)
    )
    return replace(base, kind="graduated", field=field, ranges=ranges, categories=(), rules=())


def categorized_style(
    base: LayerStyle, field: str, values: Sequence[Any], ramp: str, limit: int = 60
) -> LayerStyle:
    """A categorized copy of ``base``: one class per distinct value of ``field`` (the
    ``limit`` most frequent; the rest take the fallback symbol), coloured along ``ramp``."""
    series = pd.Series(list(values)).dropna()
    counts = series.value_counts(sort=True)
    chosen = sorted(counts.index[:limit].tolist(), key=lambda v: (str(type(v)), v))
    colours = ramp_colours(ramp, len(chosen))
    categories = tuple(
        Category(_plain(value), str(value), replace(base.symbol, fill=colour))
        for value, colour in zip(chosen, colours)
    )
    return replace(
        base, kind="categorized", field=field, categories=categories, ranges=(), rules=()
    )


def _plain(value: Any) -> Any:
    """numpy scalars as Python values (JSON and QML keep them)."""
    return value.item() if isinstance(value, np.generic) else value


def with_class(style: LayerStyle, index: int, colour: str | None = None, label: str | None = None):
    """A copy of ``style`` whose class ``index`` has a new fill ``colour`` and/or
    ``label``."""

    def change(item):
        symbol = replace(item.symbol, fill=colour) if colour is not None else item.symbol
        return replace(item, symbol=symbol, label=item.label if label is None else label)

    if style.kind == "categorized":
        items = list(style.categories)
        items[index] = change(items[index])
        return replace(style, categories=tuple(items))
    if style.kind == "graduated":
        ranges = list(style.ranges)
        ranges[index] = change(ranges[index])
        return replace(style, ranges=tuple(ranges))
    if style.kind == "rules":
        rules = list(style.rules)
        rules[index] = change(rules[index])
        return replace(style, rules=tuple(rules))
    return style


def with_symbols(style: LayerStyle, **changes: Any) -> LayerStyle:
    """A copy of ``style`` with ``changes`` (size, stroke width, fill alpha …) applied to
    its own symbol and to every class's symbol."""

    def each(items):
        return tuple(replace(item, symbol=replace(item.symbol, **changes)) for item in items)

    return replace(
        style,
        symbol=replace(style.symbol, **changes),
        categories=each(style.categories),
        ranges=each(style.ranges),
        rules=each(style.rules),
    )


def single_style(style: LayerStyle, fill: str | None = None) -> LayerStyle:
    """A single-symbol copy of ``style`` (optionally with a new fill)."""
    symbol = style.symbol if fill is None else replace(style.symbol, fill=fill)
    return replace(
        style, kind="single", symbol=symbol, field=None, categories=(), ranges=(), rules=()
    )


__all__ = [
    "METHODS",
    "RAMPS",
    "breaks",
    "categorized_style",
    "equal_interval",
    "graduated_style",
    "jenks_breaks",
    "quantile_breaks",
    "ramp_colours",
    "single_style",
    "with_class",
    "with_symbols",
]
