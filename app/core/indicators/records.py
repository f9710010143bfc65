"""Indicator tables as JSON-ready records (CLI output and the GeoJSON export)."""

from __future__ import annotations

import json
import math

import pandas as pd


def json_value(value):
    """A plain JSON value: NaN/NA/inf → None, numpy scalars → Python scalars."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if hasattr(value, "item"):  # numpy scalars
        return json_value(value.item())
    return value


def indicator_records(table: pd.DataFrame) -> list[dict]:
    """One dict per row; ``zone_shares`` as a nested object, NaN as None."""
    records = []
    for row in table.astype(object).itertuples(index=False):  # output formatting only
        record = {column: json_value(value) for column, value in zip(table.columns, row)}
        if record.get("zone_shares"):
            record["zone_shares"] = json.loads(record["zone_shares"])
        records.append(record)
    return records


def to_json(table: pd.DataFrame) -> str:
    """:func:`indicator_records` as indented JSON text."""
    return json.dumps(indicator_records(table), ensure_ascii=False, indent=2) + "\n"
