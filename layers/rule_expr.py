"""The attribute comparisons of QGIS rule-based styles, parsed as data and evaluated
with numpy on a whole table (never ``eval``; Qt-free).

Understood (keywords in any case)::

    "field" = 'text'      "field" <> 3      field >= 2.5     "a" = "b"
    "field" IN ('a', 'b')  "field" NOT IN (1, 2)
    "field" IS NULL        "field" IS NOT NULL
    ... AND ...   ... OR ...   NOT ...   ( ... )

Operators ``=`` ``==`` ``<>`` ``!=`` ``<`` ``>`` ``<=`` ``>=``; literals are quoted
text (``''`` for a quote), numbers, ``TRUE``/``FALSE`` and ``NULL``; a field is a
double-quoted name (``""`` for a quote) or a bare name. Anything else (functions,
arithmetic, ``LIKE``, ``$geometry`` ...) raises :class:`RuleSyntaxError` in
:func:`parse_rule` (the grammar QML and SLD styles share).

:func:`parse_filter` (the attribute table's filter) reads the same grammar plus::

    "name" LIKE '마곡%'    "name" NOT LIKE '%_x'    "name" ILIKE 'ai%'
    "employees" * 2 + 1 > "floors" / 3    -"x" < 0    "gu" || ' ' || "name" = '...'

(``%`` any text, ``_`` one character; ``ILIKE`` ignores case; arithmetic on numbers,
a division by zero is NULL; ``||`` joins text). Nothing is ever evaluated as Python:
the text becomes nested tuples and numpy/pandas compute them on the whole table.

Evaluation follows SQL/QGIS three-valued logic: a comparison with NULL is unknown,
unknown is not a match, ``NOT unknown`` is unknown. A number literal compares the
field as numbers (text that is not a number is NULL); a text literal compares the
field as text unless the field is numeric and the text is a number.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd


class RuleSyntaxError(ValueError):
    """A rule expression this parser does not understand (one-line message)."""


_TOKEN = re.compile(
    r"""\s*(?:
        (?P<string>'(?:[^']|'')*')
      | (?P<field>"(?:[^"]|"")+")
      | (?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)
      | (?P<op><>|!=|<=|>=|==|=|<|>)
      | (?P<arith>\|\||[-+*/%])
      | (?P<punct>[(),])
      | (?P<word>[A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)
    )""",
    re.VERBOSE,
)
_KEYWORDS = {"AND", "OR", "NOT", "IN", "IS", "NULL", "TRUE", "FALSE", "LIKE", "ILIKE"}
#: Longest expression and deepest nesting accepted (a clear error, never a RecursionError).
MAX_LENGTH = 10_000
MAX_DEPTH = 60
#: A parsed expression: nested tuples (see :func:`parse_rule`).
Node = tuple[Any, ...]
_VALUE_NODES = {"field", "lit", "arith"}
_CONDITION_NODES = {"or", "and", "not", "cmp", "isnull", "in", "like"}


def _tokens(text: str) -> list[tuple[str, Any]]:
    tokens: list[tuple[str, Any]] = []
    position = 0
    text = text.rstrip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise RuleSyntaxError(f"unexpected {text[position : position + 12]!r}")
        position = match.end()
        kind = match.lastgroup or ""
        value: Any = match.group(kind)
        if kind == "string":
            value = value[1:-1].replace("''", "'")
        elif kind == "field":
            value = value[1:-1].replace('""', '"')
        elif kind == "number":
            value = float(value) if any(c in value for c in ".eE") else int(value)
        elif kind == "word" and value.upper() in _KEYWORDS:
            kind, value = "kw", value.upper()
        tokens.append((kind, value))
    return tokens


class _Parser:
    def __init__(self, text: str, extended: bool = False) -> None:
        self.tokens = _tokens(text)
        self.at = 0
        self.extended = extended
        self.depth = 0

    def deeper(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise RuleSyntaxError("expression nested too deeply")

    def peek(self, offset: int = 0) -> tuple[str, Any]:
        index = self.at + offset
        return self.tokens[index] if index < len(self.tokens) else ("end", None)

    def take(self) -> tuple[str, Any]:
        token = self.peek()
        self.at += 1
        return token

    def keyword(self, word: str) -> bool:
        if self.peek() == ("kw", word):
            self.at += 1
            return True
        return False

    def expect(self, kind: str, value: Any) -> None:
        if self.take() != (kind, value):
            raise RuleSyntaxError(f"expected {value!r}")

    def parse(self) -> Node:
        node = self.disjunction()
        if self.peek()[0] != "end":
            raise RuleSyntaxError(f"unexpected {self.peek()[1]!r}")
        return node

    def disjunction(self) -> Node:
        parts = [self.conjunction()]
        while self.keyword("OR"):
            parts.append(self.conjunction())
        return parts[0] if len(parts) == 1 else ("or", tuple(parts))

    def conjunction(self) -> Node:
        parts = [self.negation()]
        while self.keyword("AND"):
            parts.append(self.negation())
        return parts[0] if len(parts) == 1 else ("and", tuple(parts))

    def negation(self) -> Node:
        if self.keyword("NOT"):
            self.deeper()
            node = ("not", self.negation())
            self.depth -= 1
            return node
        return self.comparison()

    def comparison(self) -> Node:
        if self.peek() == ("punct", "(") and not self.extended:
            self.take()
            self.deeper()
            node = self.disjunction()
            self.depth -= 1
            self.expect("punct", ")")
            return node
        left = self.additive()
        if left[0] not in _VALUE_NODES:  # a parenthesised condition
            return left
        kind, value = self.peek()
        if kind == "op":
            self.take()
            return ("cmp", "=" if value == "==" else "<>" if value == "!=" else value, left,
                    self.value(self.additive()))  # fmt: skip
        if self.keyword("IS"):
            negate = self.keyword("NOT")
            self.expect("kw", "NULL")
            return ("isnull", left, negate)
        negate = self.keyword("NOT")
        if self.extended and self.peek() in (("kw", "LIKE"), ("kw", "ILIKE")):
            insensitive = self.take()[1] == "ILIKE"
            pattern = self.literal()
            if not isinstance(pattern, str):
                raise RuleSyntaxError("LIKE needs a quoted pattern")
            return ("like", left, pattern, insensitive, negate)
        if self.keyword("IN"):
            self.expect("punct", "(")
            values = [self.literal()]
            while self.peek() == ("punct", ","):
                self.take()
                values.append(self.literal())
            self.expect("punct", ")")
            return ("in", left, tuple(values), negate)
        if negate:
            raise RuleSyntaxError("expected IN after NOT")
        if self.peek() in (("end", None), ("kw", "AND"), ("kw", "OR"), ("punct", ")")):
            return left  # a bare value or field: its truth
        raise RuleSyntaxError("expected a comparison")

    def value(self, node: Node) -> Node:
        if node[0] not in _VALUE_NODES:
            raise RuleSyntaxError("expected a value, got a condition")
        return node

    def additive(self) -> Node:
        node = self.term()
        while self.extended and self.peek() in (("arith", "+"), ("arith", "-"), ("arith", "||")):
            op = self.take()[1]
            node = ("arith", op, self.value(node), self.value(self.term()))
        return node

    def term(self) -> Node:
        node = self.unary()
        while self.extended and self.peek() in (("arith", "*"), ("arith", "/"), ("arith", "%")):
            op = self.take()[1]
            node = ("arith", op, self.value(node), self.value(self.unary()))
        return node

    def unary(self) -> Node:
        if self.extended and self.peek() in (("arith", "-"), ("arith", "+")):
            op = self.take()[1]
            self.deeper()
            node = self.value(self.unary())
            self.depth -= 1
            return ("arith", "*", ("lit", -1), node) if op == "-" else node
        if self.extended and self.peek() == ("punct", "("):
            self.take()
            self.deeper()
            node = self.disjunction()
            self.depth -= 1
            self.expect("punct", ")")
            return node
        return self.operand()

    def operand(self) -> Node:
        kind, value = self.peek()
        if kind == "field":
            self.take()
            return ("field", value)
        if kind == "word":
            self.take()
            if self.peek() == ("punct", "("):
                raise RuleSyntaxError(f"function {value}() is not supported")
            return ("field", value)
        return ("lit", self.literal())

    def literal(self) -> Any:
        kind, value = self.take()
        if kind in ("string", "number"):
            return value
        if (kind, value) == ("arith", "-") and self.peek()[0] == "number":
            return -self.take()[1]
        if kind == "kw" and value in ("TRUE", "FALSE"):
            return value == "TRUE"
        if kind == "kw" and value == "NULL":
            return None
        raise RuleSyntaxError(f"expected a value, got {value!r}")


def parse_rule(text: str) -> Node:
    """Parse one rule expression into nested tuples.

    Returns
    -------
    tuple
        ``("or"|"and", parts)``, ``("not", node)``, ``("cmp", op, left, right)``,
        ``("isnull", operand, negated)``, ``("in", operand, values, negated)``; operands
        are ``("field", name)`` or ``("lit", value)``.

    Raises
    ------
    RuleSyntaxError
        Anything outside the grammar in the module docstring.
    """
    if not isinstance(text, str) or not text.strip():
        raise RuleSyntaxError("empty rule")
    if len(text) > MAX_LENGTH:
        raise RuleSyntaxError("expression too long")
    return _Parser(text).parse()


def parse_filter(text: str) -> Node:
    """Parse a filter expression: the rule grammar plus ``LIKE``/``ILIKE`` and arithmetic.

    Returns
    -------
    tuple
        As :func:`parse_rule`, plus ``("like", operand, pattern, ignore_case, negated)``
        and ``("arith", op, left, right)`` operands (op one of ``+ - * / % ||``).

    Raises
    ------
    RuleSyntaxError
        Anything outside the grammar (functions, unknown words, unbalanced brackets ...).
    """
    if not isinstance(text, str) or not text.strip():
        raise RuleSyntaxError("empty expression")
    if len(text) > MAX_LENGTH:
        raise RuleSyntaxError("expression too long")
    return _Parser(text, extended=True).parse()


def filter_mask(text: str, frame: pd.DataFrame) -> np.ndarray:
    """Which rows of ``frame`` the filter expression ``text`` keeps (bool array).

    Raises
    ------
    RuleSyntaxError
        The text is not a filter expression (never any other error for any text).
    """
    node = parse_filter(text)
    try:
        return _evaluate(node, frame, len(frame))[0]
    except RuleSyntaxError:
        raise
    except (TypeError, ValueError, OverflowError, ZeroDivisionError) as err:
        raise RuleSyntaxError(f"cannot evaluate: {err}") from None


def rule_fields(node: Node) -> set[str]:
    """The field names a parsed rule reads."""
    if node[0] == "field":
        return {node[1]}
    if node[0] in ("or", "and"):
        return set().union(*(rule_fields(part) for part in node[1]))
    if node[0] == "not":
        return rule_fields(node[1])
    if node[0] == "cmp":
        return rule_fields(node[2]) | rule_fields(node[3])
    if node[0] in ("isnull", "in", "like"):
        return rule_fields(node[1])
    if node[0] == "arith":
        return rule_fields(node[2]) | rule_fields(node[3])
    return set()


# --- evaluation ----------------------------------------------------------------------
def _column(frame: pd.DataFrame, operand: Node, n: int) -> pd.Series:
    if operand[0] == "arith":
        return _arithmetic(frame, operand, n)
    if operand[0] in _CONDITION_NODES:  # a condition used as a value: TRUE/FALSE/NULL
        true, false = _evaluate(operand, frame, n)
        out = pd.Series([None] * n, dtype=object)
        out[true] = True
        out[false] = False
        return out
    if operand[0] == "field":
        if operand[1] not in frame.columns:
            return pd.Series([None] * n, dtype=object)  # QGIS: an unknown field is NULL
        return frame[operand[1]].reset_index(drop=True)
    return pd.Series([operand[1]] * n, dtype=object)


def _arithmetic(frame: pd.DataFrame, node: Node, n: int) -> pd.Series:
    op = node[1]
    left, right = _column(frame, node[2], n), _column(frame, node[3], n)
    if op == "||":
        known = (left.notna() & right.notna()).to_numpy()
        joined = np.full(n, None, dtype=object)
        joined[known] = _as_text(left)[known] + _as_text(right)[known]
        return pd.Series(joined, dtype=object)
    a, b = _as_numbers(left), _as_numbers(right)
    with np.errstate(all="ignore"):
        if op == "+":
            out = a + b
        elif op == "-":
            out = a - b
        elif op == "*":
            out = a * b
        else:
            out = a / b if op == "/" else np.fmod(a, b)
            out[b == 0] = np.nan  # a division by zero is NULL, as in QGIS
    out[~np.isfinite(out)] = np.nan
    return pd.Series(out, dtype="float64")


def _like(series: pd.Series, pattern: str, insensitive: bool) -> np.ndarray:
    known = series.notna().to_numpy()
    if pd.api.types.is_string_dtype(series.dtype) and not pd.api.types.is_object_dtype(
        series.dtype
    ):
        texts = series  # a string column: pandas' own string methods, vectorised
    else:
        texts = pd.Series(_as_text(series), dtype=object)
    if insensitive:
        texts, pattern = texts.str.casefold(), pattern.casefold()
    core = pattern.strip("%")
    plain = "_" not in pattern and "%" not in core
    if plain and pattern.startswith("%") and pattern.endswith("%") and len(pattern) > 1:
        hit = texts.str.contains(core, regex=False)
    elif plain and pattern.endswith("%") and not pattern.startswith("%"):
        hit = texts.str.startswith(core)
    elif plain and pattern.startswith("%") and not pattern.endswith("%"):
        hit = texts.str.endswith(core)
    else:
        regex = "".join(".*" if c == "%" else "." if c == "_" else re.escape(c) for c in pattern)
        hit = texts.str.fullmatch(regex, flags=re.DOTALL)
    return hit.fillna(False).to_numpy(dtype=bool) & known


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, np.number)) and not isinstance(value, bool)


def _as_numbers(series: pd.Series) -> np.ndarray:
    return pd.to_numeric(series, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)


def _as_text(series: pd.Series) -> np.ndarray:
    return series.map(lambda v: v if isinstance(v, str) else str(v)).to_numpy(dtype=object)


def _numeric(series: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(
        series.dtype
    )


def _compare(op: str, left: pd.Series, right: pd.Series, hint: list[Any]) -> tuple[Any, Any]:
    """(result, known) of ``left op right`` element-wise."""
    known = (left.notna() & right.notna()).to_numpy().copy()
    use_numbers = any(_is_number(v) for v in hint) or (_numeric(left) and _numeric(right))
    if not use_numbers and any(isinstance(v, str) for v in hint):
        numeric_side = _numeric(left) or _numeric(right)
        texts = [v for v in hint if isinstance(v, str)]
        use_numbers = numeric_side and all(_number_text(t) for t in texts)
    if use_numbers:
        a, b = _as_numbers(left), _as_numbers(right)
        known &= ~(np.isnan(a) | np.isnan(b))
    else:
        a, b = _as_text(left), _as_text(right)
    with np.errstate(invalid="ignore"):
        result = {
            "=": lambda: a == b,
            "<>": lambda: a != b,
            "<": lambda: a < b,
            ">": lambda: a > b,
            "<=": lambda: a <= b,
            ">=": lambda: a >= b,
        }[op]()
    return np.asarray(result, dtype=bool) & known, known


def _number_text(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _evaluate(node: Node, frame: pd.DataFrame, n: int) -> tuple[np.ndarray, np.ndarray]:
    """(known true, known false) masks of ``node``."""
    kind = node[0]
    if kind == "or" or kind == "and":
        parts = [_evaluate(part, frame, n) for part in node[1]]
        trues = np.array([p[0] for p in parts], dtype=bool).reshape(len(parts), n)
        falses = np.array([p[1] for p in parts], dtype=bool).reshape(len(parts), n)
        if kind == "or":
            return np.asarray(trues.any(axis=0)), np.asarray(falses.all(axis=0))
        return np.asarray(trues.all(axis=0)), np.asarray(falses.any(axis=0))
    if kind == "not":
        true, false = _evaluate(node[1], frame, n)
        return false, true
    if kind == "isnull":
        missing = _column(frame, node[1], n).isna().to_numpy()
        hit = ~missing if node[2] else missing
        return hit, ~hit
    if kind == "in":
        series = _column(frame, node[1], n)
        values = [v for v in node[2] if v is not None]
        hit = np.zeros(n, dtype=bool)
        known = series.notna().to_numpy()
        for value in values:  # a loop over the listed values, not over features
            equal, _ = _compare("=", series, pd.Series([value] * n, dtype=object), [value])
            hit |= equal
        if node[3]:
            return known & ~hit, known & hit
        return hit, known & ~hit
    if kind == "like":
        series = _column(frame, node[1], n)
        known = series.notna().to_numpy()
        hit = _like(series, node[2], node[3])
        if node[4]:
            return known & ~hit, hit
        return hit, known & ~hit
    if kind == "arith":
        series = _column(frame, node, n)
        known = series.notna().to_numpy()
        truth = _as_numbers(series) != 0
        return truth & known, ~truth & known
    if kind == "cmp":
        op, left_node, right_node = node[1], node[2], node[3]
        left, right = _column(frame, left_node, n), _column(frame, right_node, n)
        hint = [side[1] for side in (left_node, right_node) if side[0] == "lit"]
        result, known = _compare(op, left, right, hint)
        return result, known & ~result
    if kind == "lit":
        value = node[1]
        if value is None:
            return np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
        return np.full(n, bool(value)), np.full(n, not bool(value))
    if kind == "field":
        series = _column(frame, node, n)
        known = series.notna().to_numpy()
        truth = series.astype(object).where(known, False).astype(bool).to_numpy()
        return truth & known, ~truth & known
    raise RuleSyntaxError(f"cannot evaluate {kind!r}")


def rule_mask(node: Node, frame: pd.DataFrame) -> np.ndarray:
    """Which rows of ``frame`` the parsed rule ``node`` matches (bool array)."""
    return _evaluate(node, frame, len(frame))[0]


__all__ = [
    "RuleSyntaxError",
    "parse_rule",
    "parse_filter",
    "filter_mask",
    "rule_fields",
    "rule_mask",
    "Node",
]
