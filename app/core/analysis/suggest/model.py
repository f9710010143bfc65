"""The site suggestion's vocabulary: its defaults, its errors and its results.

:class:`Suggestion` is what :func:`~app.core.analysis.suggest.engine.suggest_sites`
returns, one :class:`SuggestedSite` per chosen point; the errors say in one line why a
suggestion cannot be computed. This module depends on no other part of the package, so
that every part can raise these errors and build these results.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd
import shapely

from app.core.errors import InnoAtlasError
from layers.model import WORKING_CRS

DEFAULT_SPACING_M = 100.0
DEFAULT_TIME_LIMIT_S = 10.0
#: The demand weights :func:`suggest_sites` accepts: one per start-up, or its employees.
WEIGHTS = (None, "employees")
#: The location models: maximal covering, location set covering, p-median.
MODELS = ("mclp", "lscp", "pmedian")
#: An MCLP answer covering at least this share of demand is *saturated*: nearly any k
#: points would do as well, so the answer does not discriminate between places.
SATURATION_SHARE = 0.99


class SuggestError(InnoAtlasError):
    """A site suggestion cannot be computed; the message says why in one line."""


class InvalidParameterError(SuggestError):
    """k, radius, spacing, weight or time limit out of range."""


class UnknownDistrictError(SuggestError):
    """The district id is not in the districts layer."""


class NoCandidatesError(SuggestError):
    """No grid point of the district is on land that permits the centre."""


class NotCoveredError(NoCandidatesError):
    """The demand or the zoning layer's coverage area does not reach the district."""


class TooFewCandidatesError(SuggestError):
    """k is larger than the number of permitted candidate points."""


@dataclass(frozen=True)
class SuggestedSite:
    """One chosen point and why it was chosen (weights in demand units)."""

    rank: int  # 1 = largest marginal contribution
    x: float  # EPSG:5186
    y: float
    lon: float
    lat: float
    zone_type: str
    demand_within_r: float  # demand of D within R of this point alone
    marginal_demand: float  # added on top of the fixed sites and the better-ranked points
    unique_demand: float  # covered by this point and by no other chosen or fixed site
    startups_within_r: int
    assigned_demand: float = 0.0  # demand whose nearest chosen or fixed site is this one
    mean_distance_m: float = 0.0  # mean distance of that demand to this point


@dataclass(frozen=True)
class Suggestion:
    """Result of :func:`~app.core.analysis.suggest.engine.suggest_sites`."""

    district: str
    k: int
    radius_m: float
    spacing_m: float
    weight: str | None
    sites: tuple[SuggestedSite, ...]
    n_candidates: int
    n_demand: int  # start-ups in D
    total_demand: float  # weight of D: the denominator of share
    covered_demand: float  # by the fixed and the new sites
    fixed_covered_demand: float
    new_covered_demand: float  # covered by the new sites and not by a fixed one
    share: float  # covered_demand / total_demand (0 when total is 0)
    optimal: bool  # True only when proven (by CBC or by the Lagrangian bound)
    #: Bound on the optimum of the model's objective (== objective when optimal): an upper
    #: bound on covered_demand (mclp), a lower bound on the number of sites (lscp) or on
    #: the mean distance in metres (pmedian).
    bound: float
    solver: str  # "cbc", "lagrangian" (proven in-process, no CBC run) or "greedy"
    greedy_covered_demand: float
    build_seconds: float
    solve_seconds: float
    message: str = ""
    extra: dict = field(default_factory=dict)
    model: str = "mclp"
    #: Demand-weighted mean distance (m) from demand to its nearest chosen or fixed site.
    mean_distance_m: float = 0.0
    target_share: float | None = None  # lscp: the share of demand asked for
    greedy_objective: float = 0.0  # the greedy warm start's objective (as ``objective``)
    saturated: bool = False  # mclp: share >= SATURATION_SHARE
    note: str = ""  # one sentence on what the answer means (saturation, unreachable demand)
    district_name: str = ""  # the district's display name (``name_en``), for messages

    @property
    def objective(self) -> float:
        """The model's objective: covered demand (mclp, maximised), number of new sites
        (lscp, minimised) or mean distance in metres (pmedian, minimised)."""
        if self.model == "lscp":
            return float(len(self.sites))
        if self.model == "pmedian":
            return self.mean_distance_m
        return self.covered_demand

    @property
    def gap(self) -> float:
        """Relative gap between objective and bound (0 when optimal).

        ``(bound - objective) / bound`` when maximising, ``(objective - bound) / objective``
        when minimising.
        """
        if self.model == "mclp":
            top = self.bound
            return 0.0 if top <= 0 else max(0.0, (top - self.covered_demand) / top)
        value = self.objective
        return 0.0 if value <= 0 else max(0.0, (value - self.bound) / value)

    def to_frame(self) -> gpd.GeoDataFrame:
        """The chosen points as a GeoDataFrame (EPSG:5186), ready to become candidate sites.

        Columns: ``name`` ("suggested N"), ``radius_m``, ``x``, ``y``, ``lon``, ``lat``,
        ``zone_type``, ``demand_within_r``, ``marginal_demand``, ``unique_demand``,
        ``startups_within_r``.
        """
        rows = [
            {
                "name": f"suggested {s.rank}",
                "radius_m": self.radius_m,
                "x": s.x,
                "y": s.y,
                "lon": s.lon,
                "lat": s.lat,
                "zone_type": s.zone_type,
                "demand_within_r": s.demand_within_r,
                "marginal_demand": s.marginal_demand,
                "unique_demand": s.unique_demand,
                "startups_within_r": s.startups_within_r,
            }
            for s in self.sites
        ]
        frame = pd.DataFrame(
            rows,
            columns=[
                "name",
                "radius_m",
                "x",
                "y",
                "lon",
                "lat",
                "zone_type",
                "demand_within_r",
                "marginal_demand",
                "unique_demand",
                "startups_within_r",
            ],
        )
        return gpd.GeoDataFrame(
            frame, geometry=shapely.points(frame["x"], frame["y"]), crs=WORKING_CRS
        )
