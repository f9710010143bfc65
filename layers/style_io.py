"""A :class:`~layers.style.LayerStyle` as a JSON-friendly dict and back (Qt-free).

Used to keep the styles of imported layers in the project settings. The dict is
plain JSON (str, numbers, bool, None, lists, dicts)::

    {"version": 1, "kind": "categorized", "field": "sector", "other_label": "other",
     "symbol": {"fill": "#9d9d9d", "fill_alpha": 0.85, "stroke": null, ...},
     "categories": [{"value": "ICT/SW", "label": "...", "symbol": {...}}, ...],
     "label": null or {"field": "name", "size_pt": 9.0, ...},
     "ranges": [{"lower": 0, "upper": 10, "label": "0 - 10", "symbol": {...}}, ...],
     "rules": [{"expression": "\"use\" = 'R'", "label": "...", "symbol": {...}}, ...]}

``ranges`` and ``rules`` are written only when the style has some (graduated and
rule-based styles), so older InnoAtlas versions read single/categorized styles as before.

``style_from_dict(style_to_dict(s)) == s`` for every style whose category values are
JSON scalars. Missing keys take the model's defaults and unknown keys are ignored
(a newer InnoAtlas may add some); a value of the wrong type raises ``ValueError``
naming where it is (``style.categories[2].symbol.fill``).
"""

from __future__ import annotations

import math
import re
from dataclasses import fields
from typing import Any

from layers.style import (
    HATCHES,
    MARKERS,
    STROKE_STYLES,
    STYLE_KINDS,
    Category,
    LabelStyle,
    LayerStyle,
    Range,
    Rule,
    Symbol,
)

FORMAT_VERSION = 1
#: A symbol's hatch as saved: a hatch name, or None (null) for a plain fill.
SAVED_HATCHES = (None, *HATCHES)
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


def _symbol_dict(symbol: Symbol) -> dict[str, Any]:
    return {f.name: getattr(symbol, f.name) for f in fields(Symbol)}


def _label_dict(label: LabelStyle | None) -> dict[str, Any] | None:
    return None if label is None else {f.name: getattr(label, f.name) for f in fields(LabelStyle)}


def _scalar(value: Any, where: str) -> Any:
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float) and math.isfinite(value):
        return value
    raise ValueError(
        f"{where}: a category value must be text, a number, true/false or "
        f"null, not {type(value).__name__}"
    )


def style_to_dict(style: LayerStyle) -> dict[str, Any]:
    """``style`` as a JSON-friendly dict (see the module docstring).

    Raises
    ------
    ValueError
        When a category value is not a JSON scalar (str, int, finite float, bool, None).
    """
    data = {
        "version": FORMAT_VERSION,
        "kind": style.kind,
        "symbol": _symbol_dict(style.symbol),
        "field": style.field,
        "categories": [
            {
                "value": _scalar(c.value, f"style.categories[{n}].value"),
                "label": c.label,
                "symbol": _symbol_dict(c.symbol),
            }
            for n, c in enumerate(style.categories)
        ],
        "other_label": style.other_label,
        "label": _label_dict(style.label),
    }
    if style.ranges:
        data["ranges"] = [
            {"lower": r.lower, "upper": r.upper, "label": r.label, "symbol": _symbol_dict(r.symbol)}
            for r in style.ranges
        ]
    if style.rules:
        data["rules"] = [
            {"expression": r.expression, "label": r.label, "symbol": _symbol_dict(r.symbol)}
            for r in style.rules
        ]
    return data


# --- reading -------------------------------------------------------------------------
def _describe(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _mapping(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValueError(f"{where}: expected an object, got {_describe(value)}")
    return value


def _colour(value: Any, where: str, optional: bool = True) -> str | None:
    if value is None and optional:
        return None
    if isinstance(value, str) and _COLOUR.match(value):
        return value
    expected = "a colour '#rrggbb'" + (" or null" if optional else "")
    raise ValueError(f"{where}: expected {expected}, got {_describe(value)}")


def _number(value: Any, where: str, low: float = 0.0, high: float = math.inf) -> float:
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or not math.isfinite(value)
        or not low <= value <= high
    ):
        bound = f"{low:g}..{high:g}" if math.isfinite(high) else f"≥ {low:g}"
        raise ValueError(f"{where}: expected a number {bound}, got {_describe(value)}")
    return float(value)


def _text(value: Any, where: str, optional: bool = False) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise ValueError(
            f"{where}: expected text{' or null' if optional else ''}, got {_describe(value)}"
        )
    return value


def _required_text(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{where}: expected text, got {_describe(value)}")
    return value


def _required_colour(value: Any, where: str) -> str:
    colour = _colour(value, where, optional=False)
    assert colour is not None  # optional=False never returns None
    return colour


def _choice(value: Any, where: str, choices: tuple) -> Any:
    if value not in choices or isinstance(value, bool):
        options = ", ".join("null" if c is None else repr(c) for c in choices)
        raise ValueError(f"{where}: expected one of {options}, got {_describe(value)}")
    return value


def _symbol(data: Any, where: str) -> Symbol:
    data = _mapping(data, where)
    default = Symbol()
    get = lambda key: data.get(key, getattr(default, key))  # noqa: E731
    return Symbol(
        fill=_colour(get("fill"), f"{where}.fill"),
        fill_alpha=_number(get("fill_alpha"), f"{where}.fill_alpha", 0, 1),
        stroke=_colour(get("stroke"), f"{where}.stroke"),
        stroke_width=_number(get("stroke_width"), f"{where}.stroke_width"),
        stroke_style=_choice(get("stroke_style"), f"{where}.stroke_style", STROKE_STYLES),
        marker=_choice(get("marker"), f"{where}.marker", MARKERS),
        size=_number(get("size"), f"{where}.size"),
        hatch=_choice(get("hatch"), f"{where}.hatch", SAVED_HATCHES),
    )


def _label(data: Any, where: str) -> LabelStyle | None:
    if data is None:
        return None
    data = _mapping(data, where)
    if "field" not in data:
        raise ValueError(f"{where}.field is missing")
    default = LabelStyle(field="")
    get = lambda key: data.get(key, getattr(default, key))  # noqa: E731
    resolution = get("max_resolution")
    closest = get("min_resolution")
    bold = get("bold")
    if not isinstance(bold, bool):
        raise ValueError(f"{where}.bold: expected true or false, got {_describe(bold)}")
    return LabelStyle(
        field=_required_text(data["field"], f"{where}.field"),
        size_pt=_number(get("size_pt"), f"{where}.size_pt"),
        color=_required_colour(get("color"), f"{where}.color"),
        halo=_colour(get("halo"), f"{where}.halo"),
        bold=bold,
        max_resolution=None
        if resolution is None
        else _number(resolution, f"{where}.max_resolution"),
        min_resolution=None if closest is None else _number(closest, f"{where}.min_resolution"),
    )


def style_from_dict(data: Any) -> LayerStyle:
    """The :class:`~layers.style.LayerStyle` stored by :func:`style_to_dict`.

    Raises
    ------
    ValueError
        With a one-line message naming the damaged entry (wrong type, unknown kind,
        colour not ``#rrggbb``, alpha outside 0..1, a newer format version ...).
    """
    data = _mapping(data, "style")
    version = data.get("version", FORMAT_VERSION)
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise ValueError(f"style.version: expected a whole number, got {_describe(version)}")
    if version > FORMAT_VERSION:
        raise ValueError(
            f"style.version {version} is newer than this InnoAtlas reads ({FORMAT_VERSION})"
        )
    kind = _choice(data.get("kind", "single"), "style.kind", STYLE_KINDS)
    categories = data.get("categories", [])
    if not isinstance(categories, list):
        raise ValueError(f"style.categories: expected a list, got {_describe(categories)}")
    rows = []
    for number, entry in enumerate(categories):
        where = f"style.categories[{number}]"
        entry = _mapping(entry, where)
        if "value" not in entry:
            raise ValueError(f"{where}.value is missing")
        rows.append(
            Category(
                value=_scalar(entry["value"], f"{where}.value"),
                label=_required_text(entry.get("label", ""), f"{where}.label"),
                symbol=_symbol(entry.get("symbol", {}), f"{where}.symbol"),
            )
        )
    field = _text(data.get("field"), "style.field", optional=True)
    ranges, rules = [], []
    for number, entry in enumerate(_list(data.get("ranges", []), "style.ranges")):
        where = f"style.ranges[{number}]"
        entry = _mapping(entry, where)
        ranges.append(
            Range(
                lower=_number(entry.get("lower"), f"{where}.lower", -math.inf),
                upper=_number(entry.get("upper"), f"{where}.upper", -math.inf),
                label=_required_text(entry.get("label", ""), f"{where}.label"),
                symbol=_symbol(entry.get("symbol", {}), f"{where}.symbol"),
            )
        )
    for number, entry in enumerate(_list(data.get("rules", []), "style.rules")):
        where = f"style.rules[{number}]"
        entry = _mapping(entry, where)
        rules.append(
            Rule(
                expression=_required_text(entry.get("expression"), f"{where}.expression"),
                label=_required_text(entry.get("label", ""), f"{where}.label"),
                symbol=_symbol(entry.get("symbol", {}), f"{where}.symbol"),
            )
        )
    return LayerStyle(
        kind=kind,
        symbol=_symbol(data.get("symbol", {}), "style.symbol"),
        field=field,
        categories=tuple(rows),
        other_label=_required_text(data.get("other_label", "other"), "style.other_label"),
        label=_label(data.get("label"), "style.label"),
        ranges=tuple(ranges),
        rules=tuple(rules),
    )


def _list(value: Any, where: str) -> list:
    if not isinstance(value, list):
        raise ValueError(f"{where}: expected a list, got {_describe(value)}")
    return value


__all__ = ["style_to_dict", "style_from_dict", "FORMAT_VERSION"]
