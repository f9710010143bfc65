"""Indicator tables as JSON-ready records (CLI output and the GeoJSON export)."""

from __future__ import annotations

import json
import math

import pandas as pd

from app.core.indicators.score import (
    BASIS,
    CRITERIA,
    left_out_notes,
    partial_note,
    score_breakdown,
)


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


def score_records(table: pd.DataFrame) -> list[dict]:
    """:func:`indicator_records` with each site's score breakdown, so that a reader can
    recompute the score (docs/indicators.md, Composite score).

    Every record gets ``breakdown``: one object per criterion used, ``criterion``,
    ``indicator``, ``raw``, ``transform``, ``reference``, ``value01``, ``weight`` (as
    entered), ``weight_share`` and ``points`` (``score = Σ points``, ``points = 100 ×
    weight_share × value01``), and ``left_out``: the criteria left out of every score of
    the ranking, each with ``note`` and ``unknown_for`` (the sites and the reasons),
    and ``partial_data``: None, or when some sites are compared on partial data (a
    layer the score uses covers only part of their catchment) ``note`` and ``sites``
    (each ``site`` with ``coverage``, ``{family: share}`` of the families short of 1).
    The score basis is ``table.attrs[BASIS]`` (:func:`~app.core.indicators.score.score_sites`).
    """
    records = indicator_records(table)
    parts = score_breakdown(table)
    basis = table.attrs.get(BASIS)
    left_out = (
        [
            {
                "criterion": item.criterion,
                "note": note,
                "unknown_for": [
                    {"site": json_value(site), "reason": reason}
                    for site, reason in zip(item.sites, item.reasons)
                ],
            }
            for item, note in zip(basis.left_out, left_out_notes(basis)[: len(basis.left_out)])
        ]
        if basis is not None
        else []
    )
    partial = (
        {
            "note": partial_note(basis, most=len(basis.partial)),
            "sites": [
                {
                    "site": json_value(item.site),
                    "coverage": {family: json_value(share) for family, share in item.shares},
                }
                for item in basis.partial
            ],
        }
        if basis is not None and basis.partial
        else None
    )
    k = len(CRITERIA)
    for position, record in enumerate(records):
        rows = parts.iloc[position * k : (position + 1) * k]
        record["breakdown"] = [
            {
                "criterion": part.criterion,
                "indicator": part.column,
                "raw": json_value(part.raw),
                "transform": part.transform,
                "reference": json_value(part.reference),
                "value01": json_value(part.value),
                "weight": json_value(part.weight),
                "weight_share": json_value(part.weight_share),
                "points": json_value(part.points),
            }
            for part in rows[rows["used"]].itertuples(index=False)
        ]
        record["left_out"] = left_out
        record["partial_data"] = partial
    return records


def to_json(table: pd.DataFrame, *, breakdown: bool = False) -> str:
    """:func:`indicator_records` (with ``breakdown``: :func:`score_records`) as indented
    JSON text."""
    records = score_records(table) if breakdown else indicator_records(table)
    return json.dumps(records, ensure_ascii=False, indent=2) + "\n"
