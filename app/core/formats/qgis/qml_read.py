"""Read QGIS QML styles back into the app's one style model (issue 5, round trip).

:func:`style_from_qml` inverts :func:`app.core.formats.qgis.qml_write.style_qml` and also reads
ordinary QGIS-made QML of simple layers
(:func:`app.core.formats.qgis.layer_styles.read_layer_styles` reads them from a
GeoPackage's ``layer_styles`` table). Qt-free (``xml.etree``).

What is read:

- renderers ``singleSymbol``, ``categorizedSymbol`` (the empty-value category is the
  "all other values" fallback; without one, other values are not drawn, as in QGIS)
  and the ``RuleRenderer`` InnoAtlas writes for mixed layers (top rules
  ``geometry_type($geometry) = 'Point'/'Polygon'``, optionally one child rule
  ``"field" = literal`` per category plus ``ELSE``): a polygon or mixed layer takes
  the polygon rule's symbols (a mixed layer adds the point rule's marker and size),
  a point layer the point rule's;
- symbol layers ``SimpleFill`` (with an outline from a ``SimpleLine`` layer when the
  fill has none), ``SimpleMarker`` and ``SimpleLine``; colours ``r,g,b,a`` and the
  newer ``r,g,b,a,rgb:...`` form; widths and sizes in pixels, mm, points or inches
  (converted to pixels at 96 dpi; map units cannot be, the model's default is used);
  a symbol's opacity multiplies the fill alpha;
- ``<labeling type="simple">`` (field, size, colour, bold, halo, the minimum scale as
  ``max_resolution``), ``labelsEnabled``, and ``<layerOpacity>`` (:func:`qml_opacity`).

- ``graduatedSymbol`` (ranges with their symbols; a range without one takes the source
  symbol in its gradient colour-ramp colour) and ``RuleRenderer`` trees of attribute
  rules (:mod:`layers.rule_expr`), flattened into the model's first-match rule list
  (docs/geopackage.md); a rule the parser does not understand makes the layer a single
  colour, with a note.

Anything else (heatmap, point-cluster ... renderers, SVG or font markers only) raises
:class:`StyleImportError`; the caller falls back to a default style.

Normalisation: ``style_from_qml(style_qml(s, layer), kind) == qml_normalised(s, kind)``
and ``qml_normalised(s, kind) == s`` for every default layer. It resets what a QML
cannot carry, nothing else:

1. fields the geometry kind does not draw take the :class:`~layers.style.Symbol`
   defaults (polygons: marker, size; points: hatch; lines: fill, fill_alpha, hatch,
   marker, size); a point fill with alpha 0 is no fill;
2. no fill → ``fill_alpha`` 1 and no hatch; no visible outline (no colour or width
   ≤ 0) → ``stroke`` None, ``stroke_style`` "solid";
3. ``fill_alpha`` is stored in 1/255 steps and ``max_resolution`` as an integer scale:
   both read back as the shortest decimal in the same step (exact for two decimals);
4. a style that is not categorized (or has no field) is single: field, categories and
   other label take their defaults.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from typing import Any

from app.core.formats.qgis.qml_graduated import _graduated
from app.core.formats.qgis.qml_symbols import (
    _DEFAULT,
    _GEOMETRY_TYPES,
    _INVISIBLE,
    _PENS,
    _POINTS,
    StyleImportError,
    _alpha_from_code,
    _colour,
    _float,
    _for_kind,
    _scale_resolution,
    _symbol,
    _symbol_map,
    skipped_layers,
)
from app.core.formats.qgis.qml_write import PIXELS_PER_METRE, alpha_code
from layers.model import GEOMETRY_KINDS
from layers.rule_expr import RuleSyntaxError, parse_rule
from layers.style import Category, LabelStyle, LayerStyle, Range, Rule, Symbol

_GEOMETRY_RULE = re.compile(
    r"^\s*geometry_type\(\s*\$geometry\s*\)\s*=\s*'(\w+)'\s*$", re.IGNORECASE
)
_NUMBER = r"(-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)"
_RANGE_RULE = re.compile(
    rf'^\s*"((?:[^"]|"")+)"\s*>=\s*{_NUMBER}\s+AND\s+"((?:[^"]|"")+)"\s*<=\s*{_NUMBER}\s*$'
)
_FIELD_EQUALS = re.compile(r'^\s*"((?:[^"]|"")+)"\s*=\s*(.+?)\s*$', re.DOTALL)


# --- renderers -----------------------------------------------------------------------
def _typed(value: str, value_type: str | None) -> Any:
    try:
        if value_type in ("long", "ulong"):
            return int(value)
        if value_type == "double":
            return float(value)
    except ValueError:
        return value
    if value_type == "bool":
        return value in ("1", "true")
    return value


def _single(renderer: ET.Element, kind: str) -> LayerStyle:
    symbols = renderer.findall("symbols/symbol")
    element = _symbol_map(renderer).get("0", symbols[0] if symbols else None)
    if element is None:
        raise StyleImportError("the single-symbol renderer has no symbol")
    return LayerStyle(symbol=_for_kind(*_symbol(element), kind))


def _categorized(renderer: ET.Element, kind: str) -> LayerStyle:
    field = renderer.get("attr", "")
    if len(field) > 1 and field[0] == field[-1] == '"':
        field = field[1:-1].replace('""', '"')
    if not field:
        raise StyleImportError("the categorized renderer names no field")
    symbols = _symbol_map(renderer)
    categories: list[Category] = []
    other, other_label = _INVISIBLE, "other"
    for element in renderer.findall("categories/category"):
        symbol_element = symbols.get(element.get("symbol"))
        if symbol_element is None:
            continue  # QGIS drops such a category too
        symbol = _for_kind(*_symbol(symbol_element), kind)
        if element.get("render") == "false":
            symbol = _INVISIBLE
        label = element.get("label", "")
        if "value" in element.attrib:
            values = [_typed(element.attrib["value"], element.get("type"))]
        else:  # a merged category: one Category per value
            values = [_typed(v.get("value", ""), v.get("type")) for v in element.findall("val")]
        for value in values:
            if value == "":
                other, other_label = symbol, label
            else:
                categories.append(Category(value, label, symbol))
    return LayerStyle(
        kind="categorized",
        symbol=other,
        field=field,
        categories=tuple(categories),
        other_label=other_label,
    )


def _literal(text: str) -> Any:
    """A QGIS expression literal as written by ``qml_write._quote_literal``."""
    if len(text) >= 2 and text[0] == text[-1] == "'":
        return text[1:-1].replace("''", "'")
    if text.upper() in ("TRUE", "FALSE"):
        return text.upper() == "TRUE"
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        raise StyleImportError(f"rule value {text!r} is not a literal") from None


def _rule_branch(rule: ET.Element, symbols: dict[str | None, ET.Element], kind: str) -> LayerStyle:
    """One geometry type's top rule: a symbol, or one child rule per category."""
    if rule.get("symbol") is not None:
        element = symbols.get(rule.get("symbol"))
        if element is None:
            raise StyleImportError("a rule refers to a missing symbol")
        return LayerStyle(symbol=_for_kind(*_symbol(element), kind))
    children = []
    for child in rule.findall("rule"):
        element = symbols.get(child.get("symbol"))
        symbol = _INVISIBLE if element is None else _for_kind(*_symbol(element), kind)
        expression = child.get("filter", "")
        if expression.strip().upper() == "ELSE" or child.get("else") == "1":
            expression = "ELSE"
        children.append((expression, child.get("label", ""), symbol))
    field, categories = None, []
    other, other_label = _INVISIBLE, "other"
    for expression, label, symbol in children:
        if expression == "ELSE":
            other, other_label = symbol, label
            continue
        match = _FIELD_EQUALS.match(expression)
        name = match.group(1).replace('""', '"') if match else None
        value = _literal_or_none(match.group(2)) if match else None
        if match is None or value is None or field not in (None, name):
            return _branch_rules(children)
        field = name
        categories.append(Category(value, label, symbol))
    if field is None:
        return LayerStyle(symbol=other)
    return LayerStyle(
        kind="categorized",
        symbol=other,
        field=field,
        categories=tuple(categories),
        other_label=other_label,
    )


def _literal_or_none(text: str) -> Any:
    try:
        return _literal(text)
    except StyleImportError:
        return None


def _branch_rules(children: list[tuple[str, str, Symbol]]) -> LayerStyle:
    """Child rules that are not one field's categories: a rule-based style."""
    for expression, _label, _drawn in children:
        if expression != "ELSE":
            try:
                parse_rule(expression)
            except RuleSyntaxError:
                raise StyleImportError(f"rule '{expression}' not understood") from None
    ranges, fields, other, other_label = [], set(), _INVISIBLE, "other"
    for expression, label, symbol in children:
        match = _RANGE_RULE.match(expression)
        if expression == "ELSE":
            other, other_label = symbol, label
        elif match and match.group(1) == match.group(3):
            fields.add(match.group(1).replace('""', '"'))
            ranges.append(Range(float(match.group(2)), float(match.group(4)), label, symbol))
    if len(fields) == 1 and len(ranges) == sum(1 for c in children if c[0] != "ELSE"):
        return LayerStyle(  # the form qml_write gives a graduated style of a mixed layer
            kind="graduated",
            symbol=other,
            field=fields.pop(),
            ranges=tuple(ranges),
            other_label=other_label,
        )
    return LayerStyle(
        kind="rules",
        symbol=_INVISIBLE,
        rules=tuple(Rule(expression, label, symbol) for expression, label, symbol in children),
    )


def _is_else(rule: ET.Element) -> bool:
    return (rule.get("filter") or "").strip().upper() == "ELSE" or rule.get("else") == "1"


def _joined(chain: list[str]) -> str:
    return " AND ".join(f"({p})" if len(chain) > 1 else p for p in chain)


def _flat_rules(
    parent: ET.Element, above: list[str], symbols: dict[str | None, ET.Element], kind: str
) -> list[Rule]:
    """QGIS's rule tree under ``parent`` as the model's first-match list.

    A rule's filter is ANDed with its parents'; children come before their parent (QGIS
    draws them on top); a group without a symbol ends with an undrawn rule for the
    features it matched that no child took; ``ELSE`` rules come after their siblings,
    with the parents' filter only (a top-level one stays ``ELSE``).
    """
    children = [r for r in parent.findall("rule") if r.get("checkstate", "1") != "0"]
    ordered = [r for r in children if not _is_else(r)] + [r for r in children if _is_else(r)]
    found: list[Rule] = []
    for rule in ordered:
        if _is_else(rule):
            chain = list(above)
            expression = _joined(chain) if chain else "ELSE"
        else:
            own = (rule.get("filter") or "").strip()
            chain = [*above, own] if own else list(above)
            expression = _joined(chain) if chain else "TRUE"
        label = rule.get("label") or rule.get("description") or expression
        below = _flat_rules(rule, chain, symbols, kind)
        found += below
        if rule.get("symbol") is not None:
            element = symbols.get(rule.get("symbol"))
            if element is None:
                raise StyleImportError("a rule refers to a missing symbol")
            found.append(Rule(expression, label, _for_kind(*_symbol(element), kind)))
        elif below:
            found.append(Rule(expression, label, _INVISIBLE))
    return found


def _attribute_rules(renderer: ET.Element, kind: str, notes: list[str]) -> LayerStyle:
    """A QGIS rule-based renderer whose rules compare attributes (:mod:`layers.rule_expr`).

    A rule the parser does not understand makes the whole layer a single colour (the
    first rule's symbol), with a note naming the rule.
    """
    root = renderer.find("rules")
    if root is None:
        raise StyleImportError("the rule-based renderer has no rules")
    rules = _flat_rules(root, [], _symbol_map(renderer), kind)
    if not rules:
        raise StyleImportError("the rule-based renderer has no rule with a symbol")
    for rule in rules:
        if rule.expression == "ELSE":
            continue
        try:
            parse_rule(rule.expression)
        except RuleSyntaxError:
            shown = rule.expression if len(rule.expression) <= 60 else rule.expression[:57] + "..."
            notes.append(f"rule '{shown}' not understood; drawn with a single colour")
            return LayerStyle(symbol=rules[0].symbol)
    return LayerStyle(kind="rules", symbol=_INVISIBLE, rules=tuple(rules))


def _with_marker(style: LayerStyle, points: LayerStyle | None) -> LayerStyle:
    """Polygon symbols + the point rule's marker and size (same category order)."""
    if points is None:
        return style

    def merged(polygon: Symbol, point: Symbol) -> Symbol:
        return replace(polygon, marker=point.marker, size=point.size)

    by_value = {c.value: c.symbol for c in points.categories}
    categories = tuple(
        replace(c, symbol=merged(c.symbol, by_value[c.value])) if c.value in by_value else c
        for c in style.categories
    )
    by_rule = {r.expression: r.symbol for r in points.rules}
    rules = tuple(
        replace(r, symbol=merged(r.symbol, by_rule[r.expression])) if r.expression in by_rule else r
        for r in style.rules
    )
    return replace(
        style, symbol=merged(style.symbol, points.symbol), categories=categories, rules=rules
    )


def _rules(renderer: ET.Element, kind: str, notes: list[str]) -> LayerStyle:
    symbols = _symbol_map(renderer)
    branches: dict[str, ET.Element] = {}
    for rule in renderer.findall("rules/rule"):
        match = _GEOMETRY_RULE.match(rule.get("filter", ""))
        if match:
            branches.setdefault(match.group(1).lower(), rule)
    if not branches:
        return _attribute_rules(renderer, kind, notes)
    try:
        read = {name: _rule_branch(rule, symbols, "mixed") for name, rule in branches.items()}
    except StyleImportError:
        return _attribute_rules(renderer, kind, notes)
    if kind == "point":
        if "point" not in read:
            raise StyleImportError("the rule-based style has no rule for points")
        return read["point"]
    wanted = "line" if kind == "line" else "polygon"
    if wanted not in read:
        raise StyleImportError(f"the rule-based style has no rule for {wanted}s")
    style = read[wanted]
    return _with_marker(style, read.get("point")) if kind == "mixed" else style


# --- labels --------------------------------------------------------------------------
def _label(root: ET.Element, notes: list[str] | None = None) -> LabelStyle | None:
    labeling = root.find("labeling")
    if root.get("labelsEnabled") == "0" or labeling is None:
        return None
    settings = labeling.find("settings")
    if labeling.get("type") == "rule-based":
        enabled = [r for r in labeling.iter("rule") if r.get("active", "1") != "0"]
        with_settings = [r for r in enabled if r.find("settings") is not None]
        if not with_settings:
            return None
        settings = with_settings[0].find("settings")
        if (len(with_settings) > 1 or with_settings[0].get("filter")) and notes is not None:
            notes.append("rule-based labels: the first rule's labels are drawn for every feature")
    elif labeling.get("type") != "simple":
        if notes is not None:
            notes.append(f"labels of type {labeling.get('type')!r} are not read; no labels drawn")
        return None
    text = None if settings is None else settings.find("text-style")
    if text is None or settings is None:
        return None
    field = text.get("fieldName", "")
    if text.get("isExpression") == "1":
        if not (len(field) > 2 and field[0] == field[-1] == '"'):
            return None  # an expression: the model labels with a field only
        field = field[1:-1].replace('""', '"')
    if not field:
        return None
    factor = _POINTS.get(text.get("fontSizeUnit", "Point"))  # map units: the default
    size = _float(text.get("fontSize"), 10.0) * factor if factor else LabelStyle("").size_pt
    weight = int(_float(text.get("fontWeight"), 50))
    bold = weight >= (600 if weight > 100 else 63) or "bold" in text.get("namedStyle", "").lower()
    colour = _colour(text.get("textColor")) or ("#000000", 1.0)
    buffer = text.find("text-buffer")
    halo = None
    if buffer is not None and buffer.get("bufferDraw") == "1":
        halo = (_colour(buffer.get("bufferColor")) or ("#ffffff", 1.0))[0]
    rendering = settings.find("rendering")
    max_resolution = min_resolution = None
    if rendering is not None and rendering.get("scaleVisibility") == "1":
        scale = _float(rendering.get("scaleMax"), 0.0)  # QGIS's minimumScale
        if scale > 0:
            max_resolution = (
                _scale_resolution(round(scale))
                if scale == round(scale)
                else scale / PIXELS_PER_METRE
            )
        closest = _float(rendering.get("scaleMin"), 0.0)  # QGIS's maximumScale
        if closest > 0:
            min_resolution = (
                _scale_resolution(round(closest))
                if closest == round(closest)
                else closest / PIXELS_PER_METRE
            )
    return LabelStyle(
        field=field,
        size_pt=size,
        color=colour[0],
        halo=halo,
        bold=bold,
        max_resolution=max_resolution,
        min_resolution=min_resolution,
    )


# --- public API ----------------------------------------------------------------------
def _parse(qml_text: str) -> ET.Element:
    if not isinstance(qml_text, str):
        raise StyleImportError("the QML style is not text")
    if "<!ENTITY" in qml_text:  # QGIS never declares entities; refuse entity expansion
        raise StyleImportError("the QML style declares XML entities")
    try:
        root = ET.fromstring(qml_text.strip())
    except ET.ParseError as err:
        raise StyleImportError(f"the QML style is not valid XML ({err})") from None
    if root.tag != "qgis":
        raise StyleImportError(f"not a QGIS QML style (root element <{root.tag}>)")
    return root


def style_from_qml(qml_text: str, geometry_kind: str, notes: list[str] | None = None) -> LayerStyle:
    """The :class:`~layers.style.LayerStyle` of a QGIS QML document.

    Parameters
    ----------
    qml_text : str
        A QML document (``<qgis>`` root), from InnoAtlas or from QGIS.
    geometry_kind : str
        ``"point"``, ``"line"``, ``"polygon"`` or ``"mixed"``: the layer the style is for.
    notes : list of str, optional
        Receives one line per part read only in part (e.g. a rule not understood, so
        the layer is drawn with a single colour).

    Raises
    ------
    StyleImportError
        Not QML, an unsupported renderer or symbol, or a style for another geometry
        type; the message is one line.
    """
    if geometry_kind not in GEOMETRY_KINDS:
        raise ValueError(f"unknown geometry kind {geometry_kind!r}")
    return _style_of(_parse(qml_text), geometry_kind, notes)


def _style_of(root: ET.Element, geometry_kind: str, notes: list[str] | None = None) -> LayerStyle:
    """:func:`style_from_qml` of a parsed document; what was replaced goes to ``notes``."""
    notes = [] if notes is None else notes
    declared = _GEOMETRY_TYPES.get((root.findtext("layerGeometryType") or "").strip())
    if declared and geometry_kind != "mixed" and declared != geometry_kind:
        raise StyleImportError(
            f"the style is for {declared} layers, the layer has {geometry_kind}s"
        )
    renderer = root.find("renderer-v2")
    if renderer is None:
        raise StyleImportError("the QML style has no renderer")
    readers = {
        "singleSymbol": _single,
        "categorizedSymbol": _categorized,
        "graduatedSymbol": _graduated,
        "RuleRenderer": lambda element, kind: _rules(element, kind, notes),
    }
    reader = readers.get(renderer.get("type", ""))
    if reader is None:
        raise StyleImportError(
            f"QGIS renderer {renderer.get('type')!r} is not supported "
            "(single symbol, categorized, graduated and rule-based styles are)"
        )
    try:
        with skipped_layers() as skipped:
            style = reader(renderer, geometry_kind)
    except (TypeError, KeyError, AttributeError, ValueError) as err:  # a damaged document
        raise StyleImportError(f"the QML style is damaged ({type(err).__name__})") from None
    if skipped:
        notes.append(
            f"QGIS symbol layers {', '.join(sorted(skipped))} are not supported; "
            "drawn with the simple fill, line or marker layers only"
        )
    return replace(style, label=_label(root, notes))


def qml_opacity(qml_text: str) -> float:
    """The layer opacity (0..1) of a QML document; 1 when absent or unreadable."""
    try:
        return _opacity_of(_parse(qml_text))
    except StyleImportError:
        return 1.0


def _opacity_of(root: ET.Element) -> float:
    """:func:`qml_opacity` of a parsed document."""
    text = root.findtext("layerOpacity")
    if text is not None:
        return min(1.0, max(0.0, _float(text.strip(), 1.0)))
    transparency = root.findtext("layerTransparency")  # QGIS 2
    if transparency is not None:
        return min(1.0, max(0.0, 1 - _float(transparency.strip(), 0.0) / 100))
    return 1.0


def qml_normalised(style: LayerStyle, geometry_kind: str) -> LayerStyle:
    """``style`` as it comes back from a QML round trip (see the module docstring)."""
    kind = geometry_kind if geometry_kind in GEOMETRY_KINDS else "polygon"

    def symbol(s: Symbol) -> Symbol:
        if kind in ("polygon", "line"):
            s = replace(s, marker=_DEFAULT.marker, size=_DEFAULT.size)
        if kind in ("point", "line"):
            s = replace(s, hatch=_DEFAULT.hatch)
        if kind == "line":
            s = replace(s, fill=_DEFAULT.fill, fill_alpha=_DEFAULT.fill_alpha)
        elif kind == "point" and s.fill and alpha_code(s.fill_alpha) == 0:
            s = replace(s, fill=None)
        if kind != "line":
            if not s.fill:
                s = replace(s, fill=None, fill_alpha=1.0, hatch=None)
            else:
                s = replace(
                    s, fill=s.fill.lower(), fill_alpha=_alpha_from_code(alpha_code(s.fill_alpha))
                )
        if not s.stroke or s.stroke_width <= 0:
            s = replace(s, stroke=None, stroke_style="solid")
        else:
            s = replace(s, stroke=s.stroke.lower(), stroke_style=_PENS.get(s.stroke_style, "solid"))
        return s

    label = style.label
    if label is not None:
        resolution = label.max_resolution
        if resolution:
            resolution = _scale_resolution(round(resolution * PIXELS_PER_METRE))
        closest = label.min_resolution
        if closest:
            closest = _scale_resolution(round(closest * PIXELS_PER_METRE))
        label = replace(
            label,
            color=label.color.lower(),
            max_resolution=resolution or None,
            min_resolution=closest or None,
            halo=label.halo.lower() if label.halo else None,
        )
    if style.kind != "categorized" or not style.field:
        return LayerStyle(symbol=symbol(style.symbol), label=label)
    return replace(
        style,
        symbol=symbol(style.symbol),
        label=label,
        categories=tuple(
            replace(c, symbol=symbol(c.symbol), label=str(c.label)) for c in style.categories
        ),
        other_label=str(style.other_label),
    )


__all__ = [
    "StyleImportError",
    "style_from_qml",
    "qml_opacity",
    "qml_normalised",
]
