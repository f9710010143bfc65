"""LayerStyle <-> plain dict (JSON), for styles saved in project settings."""
from __future__ import annotations

from dataclasses import asdict, fields
from typing import Any

from layers.style import Category, LabelStyle, LayerStyle, Symbol


def style_to_dict(style: LayerStyle) -> dict[str, Any]:
    """A JSON-friendly dict of ``style`` (inverse: :func:`style_from_dict`)."""
    return asdict(style)


def _symbol(data: Any) -> Symbol:
    if not isinstance(data, dict):
        raise ValueError("a symbol must be an object")
    known = {f.name for f in fields(Symbol)}
    return Symbol(**{k: v for k, v in data.items() if k in known})


def style_from_dict(data: Any) -> LayerStyle:
    """The :class:`LayerStyle` of a dict made by :func:`style_to_dict`.

    Raises
    ------
    ValueError
        When the dict is damaged.
    """
    if not isinstance(data, dict):
        raise ValueError("a style must be an object")
    try:
        label = data.get("label")
        categories = tuple(Category(c["value"], str(c["label"]), _symbol(c["symbol"]))
                           for c in data.get("categories") or ())
        return LayerStyle(kind=str(data.get("kind", "single")),
                          symbol=_symbol(data.get("symbol", {})),
                          field=data.get("field"), categories=categories,
                          other_label=str(data.get("other_label", "other")),
                          label=None if label is None else LabelStyle(**label))
    except (TypeError, KeyError) as err:
        raise ValueError(f"damaged style ({err})") from None
