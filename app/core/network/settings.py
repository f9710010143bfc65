"""The project's catchment setting: straight line or walking network (``extra`` key).

Stored in ``ProjectSettings.extra["walking_network"]`` as
``{"layer": table, "catchment": "network" | "line", "tolerance_m": 1.0}``: the project
table that is the walking network (the "walking network" role) and whether the
indicators use it. A scene may carry its own ``catchment``. Damaged values fall back to
the straight line.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from app.core.network.topology import DEFAULT_TOLERANCE_M

SETTINGS_KEY = "walking_network"
CATCHMENTS = ("line", "network")


@dataclass(frozen=True)
class CatchmentSetting:
    """Which catchment the project uses and which table is its walking network."""

    layer: str | None = None
    catchment: str = "line"
    tolerance_m: float = DEFAULT_TOLERANCE_M

    @property
    def uses_network(self) -> bool:
        return self.catchment == "network" and bool(self.layer)

    @classmethod
    def from_extra(cls, extra: dict[str, Any] | None) -> CatchmentSetting:
        """Read the setting (a damaged record gives the straight line)."""
        record = (extra or {}).get(SETTINGS_KEY)
        if not isinstance(record, dict):
            return cls()
        layer = record.get("layer")
        layer = layer if isinstance(layer, str) and layer else None
        catchment = record.get("catchment")
        catchment = catchment if catchment in CATCHMENTS else ("network" if layer else "line")
        tolerance = record.get("tolerance_m", DEFAULT_TOLERANCE_M)
        ok = isinstance(tolerance, int | float) and math.isfinite(tolerance) and tolerance >= 0
        return cls(layer, catchment, float(tolerance) if ok else DEFAULT_TOLERANCE_M)

    def to_extra(self, extra: dict[str, Any]) -> None:
        """Write the setting into ``extra`` (removed when there is no network)."""
        if self.layer is None and self.catchment == "line":
            extra.pop(SETTINGS_KEY, None)
            return
        extra[SETTINGS_KEY] = {
            "layer": self.layer,
            "catchment": self.catchment,
            "tolerance_m": self.tolerance_m,
        }
