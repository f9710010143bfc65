"""The one style model: every renderer (Qt canvas, PNG/PDF, QGIS QML, folium) reads it.

Qt-free on purpose. Colours are ``#rrggbb`` strings, widths and sizes are screen
pixels at 96 dpi (renderers for print scale them), alpha is 0..1. The kinds of style,
outline, marker and hatch are plain strings typed as ``Literal`` aliases
(:data:`StyleKind` ...), so saved styles and QML keep the same words.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any, Literal, get_args

#: How a layer's features get their symbol: all the same, by a field's value, by the
#: range a field's number falls in, or by the first attribute rule a feature matches.
StyleKind = Literal["single", "categorized", "graduated", "rules"]
#: Outline pattern of a :class:`Symbol`.
StrokeStyle = Literal["solid", "dash", "dot"]
#: Point marker shape of a :class:`Symbol`.
Marker = Literal["circle", "square", "triangle", "diamond"]
#: Polygon hatch of a :class:`Symbol` (None: a flat fill).
Hatch = Literal["diagonal", "cross"]

STYLE_KINDS: tuple[StyleKind, ...] = get_args(StyleKind)
STROKE_STYLES: tuple[StrokeStyle, ...] = get_args(StrokeStyle)
MARKERS: tuple[Marker, ...] = get_args(Marker)
HATCHES: tuple[Hatch, ...] = get_args(Hatch)


@dataclass(frozen=True)
class Symbol:
    """How one feature is drawn.

    Parameters
    ----------
    fill : str or None
        Fill colour, ``None`` for no fill.
    fill_alpha : float
        Fill opacity (0..1), multiplied by the layer opacity.
    stroke : str or None
        Outline colour, ``None`` for no outline.
    stroke_width : float
        Outline width in pixels.
    stroke_style : StrokeStyle
        ``"solid"``, ``"dash"`` or ``"dot"``.
    marker : Marker
        Point marker: ``"circle"``, ``"square"``, ``"triangle"`` or ``"diamond"``.
    size : float
        Point marker diameter in pixels.
    hatch : Hatch or None
        Polygon hatch instead of a flat fill: ``"diagonal"``, ``"cross"`` or ``None``.
    """

    fill: str | None = "#888888"
    fill_alpha: float = 1.0
    stroke: str | None = "#333333"
    stroke_width: float = 1.0
    stroke_style: StrokeStyle = "solid"
    marker: Marker = "circle"
    size: float = 6.0
    hatch: Hatch | None = None


@dataclass(frozen=True)
class Category:
    """One class of a categorized style: features whose field equals ``value``."""

    value: Any
    label: str
    symbol: Symbol


@dataclass(frozen=True)
class Range:
    """One class of a graduated style: features whose field is in ``lower..upper``.

    Both bounds are included; a value on the bound of two ranges takes the first
    (QGIS's rule). ``color_ramp`` is not kept per range: each range has its colour.
    """

    lower: float
    upper: float
    label: str
    symbol: Symbol


@dataclass(frozen=True)
class Rule:
    """One rule of a rule-based style: features for which ``expression`` is true.

    ``expression`` is QGIS expression text limited to attribute comparisons
    (:mod:`layers.rule_expr` parses it as data, never ``eval``); the text ``ELSE``
    matches the features no other rule matched.
    """

    expression: str
    label: str
    symbol: Symbol


@dataclass(frozen=True)
class LabelStyle:
    """Text drawn at each feature (polygons: at a point inside; points: beside)."""

    field: str
    size_pt: float = 9.0
    color: str = "#222222"
    halo: str | None = "#ffffff"
    bold: bool = False
    #: Labels are drawn only when the map is at least this zoomed in (metres per pixel).
    max_resolution: float | None = None
    #: ... and at most this zoomed in (metres per pixel; QGIS's maximum scale).
    min_resolution: float | None = None


@dataclass(frozen=True)
class LayerStyle:
    """Single-symbol, categorized, graduated or rule-based style, with optional labels.

    ``kind == "single"`` draws every feature with ``symbol``; ``"categorized"``
    picks the :class:`Category` whose ``value`` equals the feature's ``field``
    value, ``"graduated"`` the first :class:`Range` holding the ``field``'s number,
    ``"rules"`` the first :class:`Rule` whose expression is true (``ELSE`` rules:
    when no other rule is); a feature no class takes falls back to ``symbol``
    (labelled ``other_label``). :func:`layers.style_classes.class_codes` does the
    matching for every renderer, vectorised.
    """

    kind: StyleKind = "single"
    symbol: Symbol = field(default_factory=Symbol)
    field: str | None = None
    categories: tuple[Category, ...] = ()
    other_label: str = "other"
    label: LabelStyle | None = None
    ranges: tuple[Range, ...] = ()
    rules: tuple[Rule, ...] = ()

    def classes(self) -> list[tuple[str, Symbol]]:
        """``(label, symbol)`` of each class in order (categories, ranges or rules),
        without the fallback class; empty for a single-symbol style."""
        if self.kind == "categorized":
            return [(c.label, c.symbol) for c in self.categories]
        if self.kind == "graduated":
            return [(r.label, r.symbol) for r in self.ranges]
        if self.kind == "rules":
            return [(r.label, r.symbol) for r in self.rules]
        return []

    def symbol_for(self, value: Any) -> Symbol:
        """The symbol a feature with attribute ``value`` is drawn with."""
        for category in self.categories:
            if category.value == value:
                return category.symbol
        return self.symbol

    def legend(self, present: Iterable[Any] | None = None) -> list[tuple[str, Symbol]]:
        """Legend rows ``(label, symbol)``.

        Parameters
        ----------
        present : iterable, optional
            Attribute values that occur in the data; when given, the legend lists
            only those categories, plus an "other" row if some value has no category.
        """
        if self.kind == "single":
            return [("", self.symbol)]
        if self.kind != "categorized":
            return self.classes()  # ranges and rules: every class (see style_classes)
        if present is None:
            return [(c.label, c.symbol) for c in self.categories]
        values = set(present)
        rows = [(c.label, c.symbol) for c in self.categories if c.value in values]
        known = {c.value for c in self.categories}
        if values - known:
            rows.append((self.other_label, self.symbol))
        return rows

    def with_symbol(self, **changes: Any) -> LayerStyle:
        """A copy whose default symbol has ``changes`` applied."""
        return replace(self, symbol=replace(self.symbol, **changes))


def categorized(
    field_name: str,
    categories: Iterable[tuple[Any, str, Symbol]],
    other: Symbol,
    other_label: str = "other",
    label: LabelStyle | None = None,
) -> LayerStyle:
    """Build a categorized :class:`LayerStyle` from ``(value, label, symbol)`` rows."""
    return LayerStyle(
        kind="categorized",
        symbol=other,
        field=field_name,
        categories=tuple(Category(v, lab, s) for v, lab, s in categories),
        other_label=other_label,
        label=label,
    )
