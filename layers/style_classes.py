"""Which class of its style each feature of a layer is drawn with, for every renderer
(canvas, PNG/PDF, web map, legends): one vectorised function, Qt-free.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from layers.rule_expr import RuleSyntaxError, parse_rule, rule_mask
from layers.style import LayerStyle, Symbol


def class_codes(
    style: LayerStyle, frame: pd.DataFrame
) -> tuple[np.ndarray, list[tuple[str, Symbol]]]:
    """The class of each feature and the table of classes.

    Parameters
    ----------
    style : LayerStyle
        Any kind of style.
    frame : DataFrame
        The layer's features.

    Returns
    -------
    codes : ndarray of int64
        Per row of ``frame``, the index of its class in ``table``.
    table : list of (str, Symbol)
        Label and symbol of each class (categories, ranges or rules, in order), then
        the style's own symbol labelled ``other_label``: the class of the features no
        other class takes (every feature for a single-symbol style, and when the
        classified field is missing).

    Notes
    -----
    Categories: the first whose value equals the field's. Ranges: the first that
    holds the number (bounds included). Rules: the first whose expression is true; an
    ``ELSE`` rule takes what no ordinary rule matched; a rule that cannot be parsed
    matches nothing (the QML reader refuses such rules before they get here).
    """
    n = len(frame)
    classes = style.classes()
    fallback = len(classes)
    table = classes + [(style.other_label, style.symbol)]
    codes = np.full(n, fallback, dtype=np.int64)
    if style.kind == "single":
        return codes, [("", style.symbol)]
    if not classes:
        return codes, table
    if style.kind == "rules":
        else_rules = []
        for number, rule in enumerate(style.rules):  # a loop over rules, not features
            if rule.expression.strip().upper() == "ELSE":
                else_rules.append(number)
                continue
            try:
                mask = rule_mask(parse_rule(rule.expression), frame)
            except RuleSyntaxError:
                continue
            codes[mask & (codes == fallback)] = number
        unmatched = codes == fallback
        for number in else_rules[:1]:
            codes[unmatched] = number
        return codes, table
    if style.field not in frame.columns:
        return codes, table
    column = frame[style.field]
    if style.kind == "graduated":
        values = pd.to_numeric(column, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
        for number, item in enumerate(style.ranges):  # a loop over classes, not features
            inside = (values >= item.lower) & (values <= item.upper)
            codes[inside & (codes == fallback)] = number
        return codes, table
    objects = column.to_numpy(dtype=object)
    for number, category in enumerate(style.categories):
        codes[(objects == category.value) & (codes == fallback)] = number
    return codes, table


def legend_rows(style: LayerStyle, frame: pd.DataFrame | None) -> list[tuple[str, Symbol]]:
    """Legend rows of a classified style: the drawn classes some feature of ``frame``
    takes (all drawn classes when ``frame`` is None), plus the fallback row when some
    feature takes it and it is drawn."""
    if style.kind == "single":
        return [("", style.symbol)]
    if frame is None:
        return [row for row in style.classes() if _drawn(row[1])]
    if style.kind == "categorized":
        present = frame[style.field].unique().tolist() if style.field in frame else None
        return style.legend(present)
    codes, table = class_codes(style, frame)
    used = set(np.unique(codes).tolist())
    rows = [row for number, row in enumerate(table[:-1]) if number in used and _drawn(row[1])]
    fallback = table[-1]
    if len(table) - 1 in used and _drawn(fallback[1]):
        rows.append(fallback)
    return rows


def _drawn(symbol: Symbol) -> bool:
    """False for the symbol of a class QGIS does not draw (no fill, no outline)."""
    return bool(symbol.fill or (symbol.stroke and symbol.stroke_width > 0))


__all__ = ["class_codes", "legend_rows"]
