"""QGIS rule expressions are parsed as data and evaluated on whole tables (issue 14)."""

import numpy as np
import pandas as pd
import pytest

from layers.rule_expr import RuleSyntaxError, parse_rule, rule_fields, rule_mask

FRAME = pd.DataFrame(
    {
        "use": ["주거", "상업", None, "공업", "주거"],
        "floors": [3, 12, 7, None, 25],
        "ok": [True, False, True, None, False],
    }
)


@pytest.mark.parametrize(
    ("expression", "rows"),
    [
        ("\"use\" = '주거'", [0, 4]),
        ("use <> '주거'", [1, 3]),  # NULL <> x is unknown: not a match
        ('"floors" > 7', [1, 4]),
        ('"floors" >= 7', [1, 2, 4]),
        ('"floors" < 7', [0]),
        ('"floors" <= 3', [0]),
        ("\"use\" IN ('상업', '공업')", [1, 3]),
        ("\"use\" NOT IN ('상업', '공업')", [0, 4]),
        ('"use" IS NULL', [2]),
        ('"floors" IS NOT NULL', [0, 1, 2, 4]),
        ('"use" = \'주거\' AND "floors" > 10', [4]),
        ('"use" = \'상업\' OR "floors" IS NULL', [1, 3]),
        ('NOT ("floors" > 10)', [0, 2]),
        ("\"floors\" = '12'", [1]),  # a number written as text compares as a number
        ('"ok" = TRUE', [0, 2]),
        ('"missing" = 1', []),  # an unknown field is NULL, as in QGIS
        ('"floors" == 3 or "floors" != 3 and "use" = \'공업\'', [0]),
    ],
)
def test_rules_select_the_rows_qgis_selects(expression, rows):
    assert np.flatnonzero(rule_mask(parse_rule(expression), FRAME)).tolist() == rows


@pytest.mark.parametrize(
    "expression",
    [
        "regexp_match(\"use\", '^주')",
        '"floors" + 1 > 3',
        "\"use\" LIKE '주%'",
        "__import__('os').system('true')",
        '"use" = ',
        "('a'",
        "",
    ],
)
def test_anything_else_is_refused_not_run(expression):
    with pytest.raises(RuleSyntaxError):
        parse_rule(expression)


def test_rule_fields_names_what_a_rule_reads():
    assert rule_fields(parse_rule('"a b" = 1 OR c IS NULL AND d IN (1)')) == {"a b", "c", "d"}
