"""What a site dossier page says, Qt-free (docs/indicators.md, "Site dossiers").

One page per site, in the given language: the indicator card with readable names, the
score breakdown and the ranking's robustness, the zoning (zones, permitted use, BCR/FAR,
floor areas, restrictions, rule confidence) and the nearest stations and universities
with distances. :func:`dossier_pages` builds the texts; ``app/ui/export/dossier.py``
lays them out on A4 with the map inset and the data notes.
"""

from __future__ import annotations

import json
from collections.abc import Hashable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely

from app.core.decisions import DecisionError
from app.core.decisions.robust import (
    ROBUST_COLUMNS,
    RobustSettings,
    p_first_line,
    robustness_columns,
)
from app.core.decisions.swap import winner_change, winner_sentences
from app.core.i18n_catalog import translate
from app.core.indicators.engine import COLUMNS
from app.core.indicators.format import format_cell, format_raw, is_missing
from app.core.indicators.labels import label
from app.core.indicators.score import BASIS, left_out_notes, score_breakdown
from app.core.sites.names import display_name
from app.core.zoning.rules import ZoningRules

#: How many nearest stations and universities a page lists.
NEAREST = 3


@dataclass(frozen=True)
class Section:
    """A heading with ``(label, value)`` rows and/or free lines."""

    heading: str
    rows: tuple[tuple[str, str], ...] = ()
    lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class DossierPage:
    """One site's page: its id, title, one-line summary and sections (two columns)."""

    site: Hashable
    title: str
    summary: str
    left: tuple[Section, ...]
    right: tuple[Section, ...]


def check_dossier_input(results: pd.DataFrame) -> None:
    """One-line :class:`DecisionError` when there is nothing to write a dossier for.

    Raises
    ------
    DecisionError
        No sites, or the weights of the criteria used are all 0 (no site has a score).
    """
    if results is None or len(results) == 0:
        raise DecisionError("there are no sites to write a dossier for: sketch or load sites")
    basis = results.attrs.get(BASIS)
    if basis is not None and basis.used and basis.entered_total() <= 0:
        raise DecisionError("the weights of the criteria used are all 0: set at least one above 0")


def nearest(
    geometry, features: pd.DataFrame | None, name_columns: tuple[str, ...], most: int = NEAREST
) -> list[tuple[str, float]]:
    """The ``most`` nearest features of ``geometry``: ``(name, distance in m)``, nearest first.

    ``features`` is a GeoDataFrame in the working CRS (None or empty: no rows); the name is
    the first non-empty of ``name_columns`` joined with the second in parentheses.
    """
    if features is None or len(features) == 0 or geometry is None or geometry.is_empty:
        return []
    distance = shapely.distance(geometry, np.asarray(features.geometry.values, dtype=object))
    distance = np.where(np.isfinite(distance), distance, np.inf)
    order = np.argsort(distance, kind="stable")[:most]
    out = []
    for position in order.tolist():  # the few nearest only
        if not np.isfinite(distance[position]):
            continue
        record = features.iloc[position]
        parts = [
            str(record[c]) for c in name_columns if c in features and not is_missing(record[c])
        ]
        name = parts[0] if parts else "—"
        if len(parts) > 1 and parts[1]:
            name = f"{name} ({parts[1]})"
        out.append((name, float(distance[position])))
    return out


def _metres(value: float, language: str) -> str:
    return format_raw("station_nearest_m", value, language)


def _zoning_rows(row: Mapping, rules: ZoningRules, language: str) -> tuple[tuple[str, str], ...]:
    t = lambda text, **kw: translate(text, language, **kw)  # noqa: E731
    rows: list[tuple[str, str]] = []
    shares = row.get("zone_shares")
    zones: dict[str, float] = {}
    if isinstance(shares, str) and shares:
        try:
            zones = {str(k): float(v) for k, v in json.loads(shares).items()}
        except (ValueError, TypeError, AttributeError):
            zones = {}
    for zone, share in zones.items():  # the few zones under one site
        rule = rules.rule(zone)
        status = rules.status(zone)
        words = {
            "permitted": t("permitted"),
            "conditional": t("conditional"),
            "not_permitted": t("not permitted"),
        }
        if rule is None:
            detail = t("no rule for this zone")
        else:
            confidence = t(rule.confidence) if rule.confidence else "—"
            detail = t(
                "{status} · BCR {bcr} % · FAR {far} % · rule {confidence}",
                status=words.get(status, status),
                bcr=f"{rule.bcr_seoul:g}",
                far=f"{rule.far_seoul:g}",
                confidence=confidence,
            )
        rows.append((f"{zone} {share * 100:.0f} %", detail))
    for column in ("use_permitted", "max_footprint_m2", "max_gfa_m2", "restrictions"):
        rows.append((label(column, language), format_cell(column, row, language)))
    return tuple(rows)


def dossier_pages(
    results: pd.DataFrame,
    *,
    names: Mapping[Hashable, str] | None = None,
    geometries: Mapping[Hashable, object] | None = None,
    stations: pd.DataFrame | None = None,
    education: pd.DataFrame | None = None,
    rules: ZoningRules | None = None,
    robust: RobustSettings | None = None,
    language: str = "en",
) -> list[DossierPage]:
    """The texts of one page per site of ``results``, in rank order.

    Parameters
    ----------
    results : DataFrame
        Scored indicators with ``rank`` (``attrs[BASIS]``), indexed by site; ``p_first``,
        ``rank_low``, ``rank_high`` are used when present, else computed here.
    names : mapping, optional
        Site -> stored name (default: ``results["name"]``, else the index).
    geometries : mapping, optional
        Site -> its geometry (EPSG:5186), for the nearest stations and universities.
    stations, education : GeoDataFrame, optional
        The role layers' features (EPSG:5186), for the nearest ones.
    rules : ZoningRules, optional
        The project's rules (default rules).
    robust : RobustSettings, optional
        How to draw the robustness when ``results`` lacks it.
    language : str
        ``"en"`` or ``"ko"``.

    Raises
    ------
    DecisionError
        :func:`check_dossier_input`.
    """
    check_dossier_input(results)
    t = lambda text, **kw: translate(text, language, **kw)  # noqa: E731
    rules = rules or ZoningRules.default()
    if names is None:
        names = dict(zip(results.index, results["name"])) if "name" in results else {}
    shown = {site: display_name(str(names.get(site, site)), language) for site in results.index}
    frame = results.copy()
    frame.attrs = dict(results.attrs)
    if "p_first" not in frame:
        extra = robustness_columns(frame, robust)
        for column in ROBUST_COLUMNS:
            frame[column] = extra[column].to_numpy()
    if frame.attrs.get(BASIS) is not None:  # the notes name the sites
        frame.attrs[BASIS] = frame.attrs[BASIS].named(shown)
    change = winner_sentences(winner_change(frame) if len(frame) >= 2 else None, shown, language)
    notes = left_out_notes(frame.attrs.get(BASIS), language)
    parts = score_breakdown(frame)
    order = frame.sort_values("rank", kind="stable").index if "rank" in frame else frame.index
    pages = []
    for site in order:  # one page per site
        row = frame.loc[site]
        name = shown[site]
        rank = "" if is_missing(row.get("rank")) else f"#{int(row['rank'])} · "
        score = format_cell("score", row, language)
        card = Section(
            t("Indicators"),
            tuple((label(c, language), format_cell(c, row, language)) for c in COLUMNS),
        )
        mine = parts[parts["site"] == site]
        breakdown_rows = tuple(
            (
                t(str(p.label)),
                (
                    t("left out")
                    if not p.used
                    else f"{format_raw(str(p.column), p.raw, language)} → {p.value:.3f} × "
                    f"{p.weight_share * 100:.1f} % = {p.points:.1f}"
                ),
            )
            for p in mine.itertuples()
        )
        breakdown = Section(
            t("Score breakdown"),
            (*breakdown_rows, (t("Score (0–100)"), score)),
            tuple(notes),
        )
        robust_lines: list[str] = []
        if not is_missing(row.get("p_first")):
            robust_lines.append(p_first_line(float(row["p_first"]), language))
            low, high = int(row["rank_low"]), int(row["rank_high"])
            robust_lines.append(
                t(
                    "Rank {interval} in 90 % of the drawn weightings",
                    interval=str(low) if low == high else f"{low}–{high}",
                )
            )
        else:
            robust_lines.append(t("A single site: no ranking to test."))
        robust_lines.extend(change)
        robustness_section = Section(t("Robustness of the ranking"), lines=tuple(robust_lines))
        zoning = Section(t("Zoning"), _zoning_rows(row, rules, language))
        where = (geometries or {}).get(site)
        near_rows = tuple(
            (n, _metres(d, language)) for n, d in nearest(where, stations, ("name", "line"))
        )
        uni_rows = tuple(
            (n, _metres(d, language)) for n, d in nearest(where, education, ("name", "campus"))
        )
        near = Section(
            t("Nearest stations"), near_rows, () if near_rows else (t("no station data"),)
        )
        unis = Section(
            t("Nearest universities"), uni_rows, () if uni_rows else (t("no university data"),)
        )
        pages.append(
            DossierPage(
                site,
                t("Site dossier: {name}", name=name),
                f"{rank}" + t("score {score}", score=score),
                (card, breakdown),
                (robustness_section, zoning, near, unis),
            )
        )
    return pages
