"""Every saved project setting is checked when a project is opened (docs/geopackage.md).

A value that is not usable (the wrong type, NaN, infinite, absurd, out of range) is
replaced by a safe default and named in a note; the project still opens. Only settings
that cannot be read at all (damaged JSON, not an object, an ``extra`` that is not an
object: it holds the scenes and imported layers, which a default would lose on the next
save) refuse the project with one line.
"""

from __future__ import annotations

import json
import math
from typing import Any

from app.core.map.viewport import MAX_RESOLUTION, MIN_RESOLUTION
from layers.themes.sites import DEFAULT_RADIUS_M

#: The largest radius the app offers (the radius boxes' range), in metres.
MAX_RADIUS_M = 10_000.0
#: Saved map coordinates (EPSG:5186 metres) beyond this are refused (Korea is < 2e6).
MAX_COORDINATE = 1.0e7
#: Score weights are normalised on use; larger saved values are refused.
MAX_WEIGHT = 1.0e6
LANGUAGES = ("en", "ko")


class SettingsUnreadable(ValueError):
    """The settings cannot be read at all; the message is one short line."""


def _number(value: Any) -> bool:
    """A finite int or float (``bool`` is not a number here)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _shown(value: Any) -> str:
    """``value`` for a note: JSON-like and at most 40 characters."""
    try:
        text = json.dumps(value, ensure_ascii=False, allow_nan=True)
    except (TypeError, ValueError, RecursionError):
        text = type(value).__name__
    return text if len(text) <= 40 else text[:37] + "..."


def parse_settings(text: Any) -> tuple[dict[str, Any], list[str]]:
    """Parse the stored settings JSON and check every value.

    Parameters
    ----------
    text : str
        The ``settings`` value of the ``innoatlas_project`` table.

    Returns
    -------
    dict, list of str
        Keyword arguments for ``ProjectSettings`` (only usable values; a replaced value
        is its default) and one note per replaced setting, naming it.

    Raises
    ------
    SettingsUnreadable
        Damaged JSON, not a JSON object, or an ``extra`` that is not an object.
    """
    if not isinstance(text, str):
        raise SettingsUnreadable("the settings are not text")
    try:
        data = json.loads(text)
    except RecursionError:
        raise SettingsUnreadable("the settings JSON is nested too deeply") from None
    except ValueError as err:
        raise SettingsUnreadable(f"damaged JSON: {str(err)[:80]}") from None
    if not isinstance(data, dict):
        raise SettingsUnreadable("the settings are not a JSON object")
    extra = data.get("extra", {})
    if not isinstance(extra, dict):
        raise SettingsUnreadable("the setting 'extra' (scenes, imported layers) is not an object")
    notes: list[str] = []
    values: dict[str, Any] = {"extra": _checked_extra(dict(extra), notes)}
    for key, check in (
        ("radius_m", _radius),
        ("language", _language),
        ("view", _view),
        ("layers", _layers),
        ("weights", _weights),
    ):
        if key in data:
            value, note = check(data[key])
            if note:
                notes.append(f"the saved setting '{key}' {note}")
            if value is not None:
                values[key] = value
    return values, notes


def _radius(value: Any) -> tuple[Any, str]:
    if _number(value) and 0 <= value <= MAX_RADIUS_M:
        return float(value), ""
    return None, (
        f"= {_shown(value)} is not a radius of 0 to {MAX_RADIUS_M:,.0f} m; "
        f"{DEFAULT_RADIUS_M:,.0f} m is used"
    )


def _language(value: Any) -> tuple[Any, str]:
    if value in LANGUAGES:
        return value, ""
    return None, f"= {_shown(value)} is not a language (en, ko); en is used"


def _view(value: Any) -> tuple[Any, str]:
    if isinstance(value, list) and len(value) == 0:
        return [], ""
    if (
        isinstance(value, list)
        and len(value) == 3
        and all(_number(v) for v in value)
        and abs(value[0]) <= MAX_COORDINATE
        and abs(value[1]) <= MAX_COORDINATE
        and MIN_RESOLUTION <= value[2] <= MAX_RESOLUTION
    ):
        return [float(v) for v in value], ""
    return [], (
        f"= {_shown(value)} is not a map view (centre x, y within "
        f"{MAX_COORDINATE:.0e} m, {MIN_RESOLUTION} to {MAX_RESOLUTION:.0f} m per pixel); "
        "the map opens on the districts"
    )


def _layers(value: Any) -> tuple[Any, str]:
    if not isinstance(value, list):
        return [], f"= {_shown(value)} is not a list of layers; the default order is used"
    kept, bad = [], 0
    for entry in value:
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            bad += 1
            continue
        visible, opacity = entry.get("visible", True), entry.get("opacity", 1.0)
        if not isinstance(visible, bool) or not (_number(opacity) and 0 <= opacity <= 1):
            bad += 1
            visible = visible if isinstance(visible, bool) else True
            opacity = opacity if _number(opacity) and 0 <= opacity <= 1 else 1.0
        kept.append({"name": entry["name"], "visible": visible, "opacity": float(opacity)})
    if bad:
        return kept, (
            f"has {bad} unreadable layer entr{'y' if bad == 1 else 'ies'}; their defaults "
            "(visible, opaque, default order) are used"
        )
    return kept, ""


def _weights(value: Any) -> tuple[Any, str]:
    if not isinstance(value, dict):
        return {}, f"= {_shown(value)} is not a set of weights; the default weights are used"
    kept = {
        key: float(v)
        for key, v in value.items()
        if isinstance(key, str) and _number(v) and 0 <= v <= MAX_WEIGHT
    }
    bad = sorted(_shown(key) for key in value if key not in kept)  # quoted: one line
    if bad:
        return kept, (
            f"has weights that are not numbers of 0 to {MAX_WEIGHT:.0e} ({', '.join(bad)[:80]}); "
            "their defaults are used"
        )
    return kept, ""


def _checked_extra(extra: dict[str, Any], notes: list[str]) -> dict[str, Any]:
    """The unfinished polygon's corners must be finite map coordinates (it is drawn)."""
    sketch = extra.get("pending_sketch")
    if sketch is None:
        return extra
    if not (
        isinstance(sketch, list)
        and all(
            isinstance(corner, list)
            and len(corner) == 2
            and all(_number(v) and abs(v) <= MAX_COORDINATE for v in corner)
            for corner in sketch
        )
    ):
        extra.pop("pending_sketch")
        notes.append(
            "the saved unfinished polygon ('pending_sketch') has unusable corners; "
            "it was not restored"
        )
    return extra
