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


class SuggestError(InnoAtlasError):
    """A site suggestion cannot be computed; the message says why in one line."""


class InvalidParameterError(SuggestError):
    """k, radius, spacing, weight or time limit out of range."""


class UnknownDistrictError(SuggestError):
    """The district id is not in the districts layer."""


class NoCandidatesError(SuggestError):
    """No grid point of the district is on land that permits the centre."""


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
    optimal: bool  # True only when CBC proved optimality
    bound: float  # upper bound on covered_demand (== covered_demand when optimal)
    solver: str  # "cbc" or "greedy"
    greedy_covered_demand: float
    build_seconds: float
    solve_seconds: float
    message: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def gap(self) -> float:
        """Relative gap ``(bound - covered) / bound`` (0 when optimal)."""
        return 0.0 if self.bound <= 0 else max(0.0, (self.bound - self.covered_demand) / self.bound)

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
