"""Composite site score: weighted mean of monotone 0–1 transforms (docs/indicators.md).

| criterion    | indicator             | transform               | reference (default) |
|--------------|-----------------------|-------------------------|---------------------|
| startups     | ``startups_n``        | ``n / (n + n_ref)``     | n_ref = 250         |
| diversity    | ``sector_evenness``   | identity (already 0–1)  | —                   |
| education    | ``education_nearest_m`` | ``exp(-d / d_ref)``   | d_ref = 1000 m      |
| transit      | ``station_nearest_m`` | ``exp(-d / d_ref)``     | d_ref = 500 m       |
| floor_area   | ``max_gfa_m2``        | ``g / (g + g_ref)``     | g_ref = 10 000 m²   |

Each transform is 0.5 at its reference value. Sites scored together (one ranking) are
scored on the same criteria: a criterion unknown for any of them (e.g. the floor area of a
point site without lot area) is left out for every one, and :func:`left_out_notes` says
so. ``points_k = 100 × share_k × c_k`` with ``share_k = w_k / Σ w`` over the criteria
used, and ``score = Σ points``. Sites whose use is not permitted rank below every
permitted site, whatever their score.

Coverage: a criterion unknown because the site lies outside its layer's coverage area
follows the same left-out rule. A site whose catchment is only partly inside the
coverage of a layer a used criterion reads (``partial``) is scored on the covered part
and ranks after the complete sites of its permission group; :func:`left_out_notes` names
these sites too.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Mapping
from dataclasses import asdict, dataclass, field, fields, replace

import numpy as np
import pandas as pd

from app.core.errors import InnoAtlasError
from app.core.i18n_catalog import translate


class ScoreSettingsError(InnoAtlasError):
    """Weights or reference values are invalid."""


@dataclass(frozen=True)
class Weights:
    """User weights of the score criteria (any non-negative numbers; normalised on use)."""

    startups: float = 0.30
    diversity: float = 0.15
    education: float = 0.20
    transit: float = 0.20
    floor_area: float = 0.15

    def __post_init__(self):
        for item in fields(self):
            value = getattr(self, item.name)
            if not (isinstance(value, (int, float)) and math.isfinite(value) and value >= 0):
                raise ScoreSettingsError(f"weight {item.name} must be a number >= 0, not {value!r}")

    def to_dict(self) -> dict[str, float]:
        """Plain dict for saving with a project."""
        return {key: float(value) for key, value in asdict(self).items()}

    @classmethod
    def from_dict(cls, data: Mapping[str, float] | None) -> Weights:
        """Weights from a saved dict; missing keys keep their default, unknown keys are ignored."""
        known = {item.name for item in fields(cls)}
        return cls(**{key: float(value) for key, value in (data or {}).items() if key in known})


@dataclass(frozen=True)
class References:
    """Reference values: each transform gives 0.5 there."""

    startups_n: float = 250.0
    education_m: float = 1000.0
    station_m: float = 500.0
    gfa_m2: float = 10_000.0

    def __post_init__(self):
        for item in fields(self):
            value = getattr(self, item.name)
            if not (isinstance(value, (int, float)) and math.isfinite(value) and value > 0):
                raise ScoreSettingsError(
                    f"reference {item.name} must be a number > 0, not {value!r}"
                )

    def to_dict(self) -> dict[str, float]:
        """Plain dict for saving with a project."""
        return {key: float(value) for key, value in asdict(self).items()}

    @classmethod
    def from_dict(cls, data: Mapping[str, float] | None) -> References:
        """References from a saved dict; missing keys keep their default."""
        known = {item.name for item in fields(cls)}
        return cls(**{key: float(value) for key, value in (data or {}).items() if key in known})


@dataclass(frozen=True)
class Criterion:
    """One score criterion: its indicator column and how it is transformed."""

    key: str
    column: str
    label: str
    transform: str  # human-readable formula, with the reference named


CRITERIA: tuple[Criterion, ...] = (
    Criterion("startups", "startups_n", "Start-up concentration", "n / (n + n_ref)"),
    Criterion("diversity", "sector_evenness", "Sector diversity", "clip(e, 0, 1)"),
    Criterion("education", "education_nearest_m", "Education access", "exp(-d / d_ref)"),
    Criterion("transit", "station_nearest_m", "Transit access", "exp(-d / d_ref)"),
    Criterion("floor_area", "max_gfa_m2", "Buildable floor area", "g / (g + g_ref)"),
)
#: Criterion key -> the References field it uses (None: no reference).
REFERENCE_OF = {
    "startups": "startups_n",
    "diversity": None,
    "education": "education_m",
    "transit": "station_m",
    "floor_area": "gfa_m2",
}


def _column(frame: pd.DataFrame, name: str) -> np.ndarray:
    if name not in frame:
        return np.full(len(frame), np.nan)
    return pd.to_numeric(frame[name], errors="coerce").to_numpy(dtype=float)


def criterion_values(
    indicators: pd.DataFrame, references: References | None = None
) -> pd.DataFrame:
    """Transformed criteria (0–1, NaN where the indicator is unknown), one column each.

    Parameters
    ----------
    indicators : DataFrame
        Per-site indicators (at least the columns named in :data:`CRITERIA`).
    references : References, optional
        Reference values (defaults shipped).

    Returns
    -------
    DataFrame
        Columns ``startups``, ``diversity``, ``education``, ``transit``, ``floor_area``,
        the index of ``indicators``.
    """
    ref = references or References()
    n = np.maximum(_column(indicators, "startups_n"), 0)
    gfa = np.maximum(_column(indicators, "max_gfa_m2"), 0)
    values = {
        "startups": n / (n + ref.startups_n),
        "diversity": np.clip(_column(indicators, "sector_evenness"), 0, 1),
        "education": np.exp(
            -np.maximum(_column(indicators, "education_nearest_m"), 0) / ref.education_m
        ),
        "transit": np.exp(-np.maximum(_column(indicators, "station_nearest_m"), 0) / ref.station_m),
        "floor_area": gfa / (gfa + ref.gfa_m2),
    }
    return pd.DataFrame(values, index=indicators.index)


#: The layer families whose coverage a site's values depend on (docs/indicators.md).
FAMILIES: tuple[str, ...] = ("startups", "education", "stations", "zoning")
#: Criterion key -> the layer family it reads.
FAMILY_OF = {
    "startups": "startups",
    "diversity": "startups",
    "education": "education",
    "transit": "stations",
    "floor_area": "zoning",
}
#: Family -> its coverage share column (zoning: the polygon-based ``zoning_coverage``).
SHARE_COLUMNS = {
    "startups": "startups_coverage",
    "education": "education_coverage",
    "stations": "stations_coverage",
}
#: Family -> the words a note uses for it (English; translated where shown).
FAMILY_WORDS = {
    "startups": "start-ups",
    "education": "universities",
    "stations": "stations",
    "zoning": "zoning",
}
#: Why a criterion is unknown where the site is outside its layer's coverage area.
OUTSIDE_COVERAGE = {
    "startups": "outside the start-up layer's coverage",
    "education": "outside the university layer's coverage",
    "stations": "outside the station layer's coverage",
}

#: ``DataFrame.attrs`` key of the :class:`ScoreBasis` a table was scored on.
BASIS = "score_basis"
#: Why a criterion's indicator can be unknown for a site (English; translated where shown).
POINT_WITHOUT_LOT = "point site without lot area"
NO_ZONING = "no zoning data under the site"
UNKNOWN_REASONS = {
    "startups": "no start-up data",
    "diversity": "no sector data",
    "education": "no university data",
    "transit": "no station data",
    "floor_area": "floor area unknown",
}


@dataclass(frozen=True)
class LeftOut:
    """A criterion left out of every score of a ranking, and the sites that lack it.

    ``sites`` are the sites' index labels until :meth:`ScoreBasis.named` replaces them
    with names; ``reasons`` holds one English reason per site.
    """

    criterion: str
    sites: tuple[Hashable, ...]
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class PartialSite:
    """A site compared on partial data: the families the score uses that cover only
    part of its catchment, with their shares (0–1), in :data:`FAMILIES` order.

    ``site`` is the index label until :meth:`ScoreBasis.named` replaces it with a name.
    """

    site: Hashable
    shares: tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class ScoreBasis:
    """What one ranking is scored on: the criteria used, those left out, the settings.

    Attributes
    ----------
    used : tuple of str
        Keys of the criteria that count, in :data:`CRITERIA` order.
    left_out : tuple of LeftOut
        The criteria unknown for at least one scored site, left out for every site.
    weights, references : Weights, References
        The settings the scores were computed with.
    n_sites : int
        The sites scored together (those with at least one known criterion).
    partial : tuple of PartialSite
        The sites compared on partial data (ranked after the complete ones).
    """

    used: tuple[str, ...]
    left_out: tuple[LeftOut, ...] = ()
    weights: Weights = field(default_factory=Weights)
    references: References = field(default_factory=References)
    n_sites: int = 0
    partial: tuple[PartialSite, ...] = ()

    def shares(self) -> dict[str, float]:
        """Weight share of each criterion: ``weight / Σ weights of the used criteria``
        (0 for a left-out criterion; all 0 when the used weights sum to 0)."""
        total = self.entered_total()
        return {
            c.key: getattr(self.weights, c.key) / total if c.key in self.used and total > 0 else 0.0
            for c in CRITERIA
        }

    def entered_total(self) -> float:
        """The sum of the weights as entered, over the used criteria (1 when normalised)."""
        return float(sum(getattr(self.weights, key) for key in self.used))

    def named(self, names: Mapping[Hashable, str]) -> ScoreBasis:
        """The same basis with the left-out sites' labels replaced by ``names[label]``."""
        left_out = tuple(
            replace(item, sites=tuple(names.get(site, site) for site in item.sites))
            for item in self.left_out
        )
        partial = tuple(
            replace(item, site=names.get(item.site, item.site)) for item in self.partial
        )
        return replace(self, left_out=left_out, partial=partial)


def score_basis(
    indicators: pd.DataFrame, weights: Weights | None = None, references: References | None = None
) -> ScoreBasis:
    """The criteria a ranking of ``indicators`` is scored on (docs/indicators.md).

    A criterion whose indicator is unknown for any site that has at least one known
    criterion is left out for every site (a site with none, e.g. without geometry, is
    not scored and does not count). A single site follows the same rule on its own.

    Parameters
    ----------
    indicators : DataFrame
        Per-site indicators (the columns of :data:`CRITERIA`; ``site_area_m2`` and
        ``dominant_zone`` give the reason a floor area is unknown).
    weights, references : Weights, References, optional
        The settings (defaults shipped).

    Returns
    -------
    ScoreBasis
    """
    weights, references = weights or Weights(), references or References()
    keys = [c.key for c in CRITERIA]
    values = criterion_values(indicators, references)[keys].to_numpy(dtype=float)
    missing = _missing(values)
    used = _used_keys(missing)
    left_out = []
    for position, key in enumerate(keys):  # five criteria: a loop over criteria, not sites
        rows = np.flatnonzero(missing[:, position])
        if len(rows):
            reasons = _unknown_reasons(indicators, key)[rows]
            left_out.append(
                LeftOut(key, tuple(indicators.index[rows]), tuple(str(r) for r in reasons))
            )
    scored = int(np.isfinite(values).any(axis=1).sum())
    return ScoreBasis(used, tuple(left_out), weights, references, scored)


def _used_keys(missing: np.ndarray) -> tuple[str, ...]:
    """The criteria known for every scored site (``missing``: :func:`_missing`)."""
    gaps = np.atleast_1d(np.asarray(missing, dtype=bool).any(axis=0)).tolist()
    return tuple(c.key for c, gap in zip(CRITERIA, gaps, strict=True) if not gap)


def _missing(values: np.ndarray) -> np.ndarray:
    """Sites × criteria: unknown for a site that has at least one known criterion."""
    known = np.isfinite(values)
    return ~known & known.any(axis=1)[:, None]


def _unknown_reasons(indicators: pd.DataFrame, key: str) -> np.ndarray:
    """The English reason the criterion ``key`` is unknown, for every site."""
    n = len(indicators)
    reason = np.full(n, UNKNOWN_REASONS[key], dtype=object)
    if key == "diversity":
        reason[~np.isfinite(_column(indicators, "startups_n"))] = UNKNOWN_REASONS["startups"]
    family = FAMILY_OF[key]
    if family in OUTSIDE_COVERAGE:
        reason[_column(indicators, SHARE_COLUMNS[family]) == 0] = OUTSIDE_COVERAGE[family]
    if key == "floor_area":
        zone = (
            indicators["dominant_zone"].isna().to_numpy()
            if "dominant_zone" in indicators
            else np.ones(n, bool)
        )
        reason[zone] = NO_ZONING
        reason[~np.isfinite(_column(indicators, "site_area_m2"))] = POINT_WITHOUT_LOT
    return reason


def _points(values: np.ndarray, basis: ScoreBasis) -> tuple[np.ndarray, np.ndarray]:
    """Points (sites × criteria; NaN where left out) and scores ``Σ points`` (NaN when a
    site has no known criterion or the used weights sum to 0)."""
    shares = basis.shares()
    share = np.array([shares[c.key] for c in CRITERIA])
    used = np.array([c.key in basis.used for c in CRITERIA])
    points = 100.0 * share[None, :] * values
    points[:, ~used] = np.nan
    if not used.any() or basis.entered_total() <= 0:
        return points, np.full(len(values), np.nan)
    return points, points[:, used].sum(axis=1)


def composite_score(
    criteria: pd.DataFrame, weights: Weights | None = None, basis: ScoreBasis | None = None
) -> pd.Series:
    """``Σ points = 100 × Σ_k share_k c_k`` over the criteria of the ranking's basis.

    Parameters
    ----------
    criteria : DataFrame
        :func:`criterion_values` of the sites.
    weights : Weights, optional
        The weights (defaults shipped); ignored when ``basis`` is given.
    basis : ScoreBasis, optional
        The criteria used; default: :func:`score_basis` of these sites (a criterion
        unknown for any of them is left out for all).
    """
    keys = [c.key for c in CRITERIA]
    values = criteria[keys].to_numpy(dtype=float)
    if basis is None:
        missing = _missing(values)
        used = _used_keys(missing)
        basis = ScoreBasis(used, weights=weights or Weights())
    return pd.Series(_points(values, basis)[1], index=criteria.index, name="score")


def score_sites(
    frame: pd.DataFrame,
    weights: Weights | None = None,
    references: References | None = None,
    *,
    shares: Mapping[str, np.ndarray] | None = None,
) -> None:
    """Set ``frame["score"]`` and ``frame["partial"]``, and record the :class:`ScoreBasis`
    in ``frame.attrs[BASIS]``.

    Every site of ``frame`` is scored on the same criteria (:func:`score_basis`).

    Parameters
    ----------
    frame : DataFrame
        Per-site indicators; changed in place.
    weights, references : optional
        The settings (defaults shipped).
    shares : mapping, optional
        ``{family: share per site (0–1, NaN unknown)}`` of :data:`FAMILIES`: the share of
        each site's catchment inside the family's coverage area. Default: the
        ``*_coverage`` columns of start-ups, education and stations; zoning 1.
    """
    basis = score_basis(frame, weights, references)
    frame["score"] = composite_score(criterion_values(frame, basis.references), basis=basis)
    partial, sites = partial_sites(frame, basis.used, shares)
    frame["partial"] = partial
    frame.attrs[BASIS] = replace(basis, partial=sites)


def partial_sites(
    frame: pd.DataFrame, used: tuple[str, ...], shares: Mapping[str, np.ndarray] | None = None
) -> tuple[np.ndarray, tuple[PartialSite, ...]]:
    """Which sites are compared on partial data: a family that a used criterion reads
    covers only part of the site's catchment (0 ≤ share < 1). A site without a score
    (no known criterion) is compared on nothing and is not partial.

    Returns
    -------
    (ndarray of bool, tuple of PartialSite)
        The ``partial`` flag per site and the partial sites with their shares.
    """
    n = len(frame)
    families = [f for f in FAMILIES if any(FAMILY_OF[key] == f for key in used)]
    given = dict(shares or {})
    matrix = np.ones((n, len(families)))
    for position, family in enumerate(families):
        if family in given:
            values = np.asarray(given[family], dtype=float)
        elif family in SHARE_COLUMNS:
            values = _column(frame, SHARE_COLUMNS[family])
        else:
            values = np.ones(n)
        matrix[:, position] = np.where(np.isfinite(values), values, 1.0)
    short = matrix < 1.0
    scored = np.isfinite(_column(frame, "score"))
    flag = np.asarray(short.any(axis=1), dtype=bool).reshape(n) & scored
    sites = tuple(
        PartialSite(
            frame.index[row],
            tuple(
                (family, float(matrix[row, col]))
                for col, family in enumerate(families)
                if short[row, col]
            ),
        )
        for row in np.flatnonzero(flag)  # the partial sites only, for the note
    )
    return flag, sites


def score_breakdown(
    indicators: pd.DataFrame,
    weights: Weights | None = None,
    references: References | None = None,
    basis: ScoreBasis | None = None,
) -> pd.DataFrame:
    """Each site's criteria: raw value, transform, reference, 0–1 value, share, points.

    Parameters
    ----------
    indicators : DataFrame
        Per-site indicators, e.g. a table scored by :func:`score_sites` or some rows
        of it: its ``attrs[BASIS]`` (the whole ranking's basis) is then used.
    weights, references : optional
        Override the basis' settings.
    basis : ScoreBasis, optional
        Default: ``indicators.attrs[BASIS]``, else :func:`score_basis` of ``indicators``.

    Returns
    -------
    DataFrame
        ``len(CRITERIA)`` rows per site, sites in their order, criteria in
        :data:`CRITERIA` order, with columns ``site`` (the index label), ``criterion``,
        ``label``, ``column``, ``raw``, ``transform``, ``reference``, ``value`` (0–1),
        ``weight`` (as entered), ``used`` (False: left out for every site),
        ``weight_share`` (``weight / Σ used weights``; 0 when left out) and ``points``
        (``100 × weight_share × value``, NaN when left out). A site's points add up to
        its score exactly.
    """
    basis = basis or indicators.attrs.get(BASIS)
    if basis is None:
        basis = score_basis(indicators, weights, references)
    basis = replace(
        basis, weights=weights or basis.weights, references=references or basis.references
    )
    keys = [c.key for c in CRITERIA]
    values = criterion_values(indicators, basis.references)[keys].to_numpy(dtype=float)
    points, _ = _points(values, basis)
    n, k = len(indicators), len(CRITERIA)
    shares = basis.shares()
    refs = [
        np.nan if (name := REFERENCE_OF[c.key]) is None else getattr(basis.references, name)
        for c in CRITERIA
    ]
    raw = np.column_stack([_column(indicators, c.column) for c in CRITERIA]) if n else values
    return pd.DataFrame(
        {
            "site": np.repeat(np.asarray(indicators.index, dtype=object), k),
            "criterion": np.tile(keys, n),
            "label": np.tile([c.label for c in CRITERIA], n),
            "column": np.tile([c.column for c in CRITERIA], n),
            "raw": raw.reshape(-1),
            "transform": np.tile([c.transform for c in CRITERIA], n),
            "reference": np.tile(refs, n),
            "value": values.reshape(-1),
            "weight": np.tile([getattr(basis.weights, key) for key in keys], n),
            "used": np.tile([key in basis.used for key in keys], n),
            "weight_share": np.tile([shares[key] for key in keys], n),
            "points": points.reshape(-1),
        }
    )


def left_out_notes(
    basis: ScoreBasis | None, language: str = "en", most: int = 3, name: Callable = str
) -> list[str]:
    """One sentence per left-out criterion, naming it, the sites and why.

    ``name(site)`` gives a site's name as the reader sees it (the UI passes
    ``app.core.sites.names.display_name`` in its language: "후보지 2" in Korean).

    Examples
    --------
    >>> basis = ScoreBasis(("startups",), (LeftOut("floor_area", ("Site 2",),
    ...     (POINT_WITHOUT_LOT,)),), n_sites=2)
    >>> print(left_out_notes(basis)[0])
    Buildable floor area left out of every score: unknown for Site 2 (point site without lot area)
    """
    if basis is None:
        return []
    labels = {c.key: c.label for c in CRITERIA}
    notes = []
    for item in basis.left_out:
        criterion = translate(labels[item.criterion], language)
        if basis.n_sites <= 1:
            reason = translate(item.reasons[0], language)
            notes.append(
                translate(
                    "{criterion} left out of the score: unknown ({reason})",
                    language,
                    criterion=criterion,
                    reason=reason,
                )
            )
            continue
        groups: dict[str, list[str]] = {}
        for site, why in zip(item.sites, item.reasons):
            groups.setdefault(why, []).append(str(name(site)))
        parts = []
        for why, sites in groups.items():
            names = ", ".join(sites[:most])
            if len(sites) > most:
                names = translate(
                    "{names} and {count} more", language, names=names, count=len(sites) - most
                )
            parts.append(f"{names} ({translate(why, language)})")
        notes.append(
            translate(
                "{criterion} left out of every score: unknown for {sites}",
                language,
                criterion=criterion,
                sites="; ".join(parts),
            )
        )
    note = partial_note(basis, language, most, name)
    return notes + ([note] if note else [])


def partial_note(
    basis: ScoreBasis | None, language: str = "en", most: int = 3, name: Callable = str
) -> str:
    """The sentence naming the sites compared on partial data ("" when none).

    Examples
    --------
    >>> basis = ScoreBasis(("startups",), partial=(PartialSite("B", (("startups", 0.4),)),),
    ...     n_sites=2)
    >>> partial_note(basis).split(": ", 1)[1]
    'B (start-ups cover 40 % of the catchment)'
    """
    if basis is None or not basis.partial:
        return ""
    parts = []
    for item in basis.partial[:most]:
        covers = ", ".join(
            translate(
                "{layer} cover {share} of the catchment",
                language,
                layer=translate(FAMILY_WORDS[family], language),
                share=_percent(share),
            )
            for family, share in item.shares
        )
        parts.append(f"{name(item.site)} ({covers})")
    names = "; ".join(parts)
    if len(basis.partial) > most:
        names = translate(
            "{names} and {count} more", language, names=names, count=len(basis.partial) - most
        )
    return translate(
        "Compared on partial data, ranked after the complete sites: {sites}",
        language,
        sites=names,
    )


def _percent(share: float) -> str:
    whole = math.floor(share * 100 + 1e-6)
    return "< 1 %" if whole == 0 and share > 0 else f"{whole} %"


def rank_sites(indicators: pd.DataFrame) -> pd.Series:
    """Rank 1..n: permitted sites first by score (high first), then all the others.

    A site counts as permitted only when ``use_permitted`` is True (False and unknown
    rank below); within each group the sites compared on partial data (``partial``
    True) rank after the complete ones; an unknown score ranks last within its group;
    ties keep input order.
    """
    permitted = (
        indicators["use_permitted"].map(lambda v: v is True or v is np.True_)
        if "use_permitted" in indicators
        else pd.Series(False, index=indicators.index)
    )
    partial = (
        indicators["partial"].map(lambda v: v is True or v is np.True_).to_numpy(dtype=bool)
        if "partial" in indicators
        else np.zeros(len(indicators), bool)
    )
    score = _column(indicators, "score")
    key_score = np.where(np.isfinite(score), -score, np.inf)
    order = np.lexsort(
        (np.arange(len(indicators)), key_score, partial, ~permitted.to_numpy(dtype=bool))
    )
    rank = np.empty(len(indicators), dtype=np.int64)
    rank[order] = np.arange(1, len(indicators) + 1)
    return pd.Series(rank, index=indicators.index, name="rank")
