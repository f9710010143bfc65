"""How the sites' catchment circles are drawn: the mode, saved with the project.

One rule for every renderer (the canvas and PNG/PDF through
``app.ui.canvas.render.sites_painter``, the web map): ``"auto"`` fills the circles
faintly unless two of them overlap (then outlines only, so overlapping discs do not
muddy the map), ``"outline"`` and ``"fill"`` always do so, and ``"off"`` hides them.
The project keeps its mode in ``settings.extra["catchments"]`` and each scene may keep
its own (``Scene.catchments``). Qt-free.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

#: The modes, in menu order.
CATCHMENT_MODES = ("auto", "outline", "fill", "off")
#: The default mode (a project without a saved one).
DEFAULT_MODE = "auto"
#: Where a project keeps its mode.
CATCHMENTS_KEY = "catchments"


def checked_mode(value: Any) -> str:
    """``value`` when it is one of :data:`CATCHMENT_MODES`, else :data:`DEFAULT_MODE`."""
    return value if isinstance(value, str) and value in CATCHMENT_MODES else DEFAULT_MODE


def mode_of(extra: Mapping[str, Any] | None) -> str:
    """The project's catchment mode from its settings' ``extra`` dict."""
    return checked_mode((extra or {}).get(CATCHMENTS_KEY))


def catchments_overlap(x: np.ndarray, y: np.ndarray, radii: np.ndarray) -> bool:
    """True when two of the circles (centres ``x, y``, ``radii``) overlap."""
    x, y, radii = (np.asarray(v, dtype=float) for v in (x, y, radii))
    if len(x) < 2:
        return False
    d = np.hypot(x[:, None] - x[None, :], y[:, None] - y[None, :])
    reach = radii[:, None] + radii[None, :]
    np.fill_diagonal(d, np.inf)
    return bool((d < reach).any())


def filled(mode: str, x: np.ndarray, y: np.ndarray, radii: np.ndarray) -> bool:
    """Whether the circles are filled in ``mode`` (outlines only otherwise).

    Examples
    --------
    >>> filled("auto", [0, 100], [0, 0], [80, 80])  # they overlap: outlines
    False
    >>> filled("auto", [0, 1000], [0, 0], [80, 80])
    True
    """
    if mode == "fill":
        return True
    if mode == "auto":
        return not catchments_overlap(x, y, radii)
    return False


__all__ = [
    "CATCHMENTS_KEY",
    "CATCHMENT_MODES",
    "DEFAULT_MODE",
    "catchments_overlap",
    "checked_mode",
    "filled",
    "mode_of",
]
