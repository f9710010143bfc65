"""What a phone may see of the current scene: :func:`scene_payload`.

Only the scene's title, its candidate sites (id, name, rank, position, readable indicator
names and values), simplified district outlines for orientation, the map's bounds and the
page's strings in the project's language. No file path, layer name, note, setting or any
other project data is put in: the payload is built from the records given here only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from app.core.i18n_catalog import translate

#: The page's strings (English source; Korean from the app's catalog).
PAGE_STRINGS = {
    "title": "Workshop participation",
    "sites": "Candidate sites",
    "rank": "Rank {rank}",
    "dots_left": "Dots left: {count}",
    "give_dot": "Give a dot",
    "take_dot": "Take back",
    "comment": "Comment",
    "send": "Send",
    "close": "Close",
    "pin": "Drop a pin",
    "propose": "Propose a site",
    "tap_map": "Tap the map where it is",
    "good": "Good spot",
    "problem": "Problem",
    "idea": "Idea",
    "nickname": "Nickname (optional)",
    "text": "Short text",
    "voting_closed": "Voting is closed",
    "sent": "Sent",
    "refused": "Not accepted",
    "offline": "Reconnecting…",
    "dots": "Dots: {count}",
    "comments": "Comments",
    "cancel": "Cancel",
    "participants": "{count} taking part",
    "error_no_dots_left": "No dots left",
    "error_too_many_requests": "Too fast: wait a moment",
    "error_not_permitted": "Not allowed in this session",
    "error_voting_closed": "Voting is closed",
    "error_empty_text": "Write a few words first",
    "error_text_too_long": "The text is too long",
    "error_outside_map": "Tap inside the map",
    "error_too_many_pins": "You have dropped the most pins allowed",
    "error_too_many_comments": "You have written the most comments allowed",
}


@dataclass
class SiteCard:
    """One site as a phone sees it.

    Attributes
    ----------
    site_id, name : str
    rank : int or None
    x, y : float
        Position (EPSG:5186; a polygon's representative point).
    indicators : list of (str, str)
        Readable indicator names and formatted values, in the project's language.
    """

    site_id: str
    name: str
    rank: int | None
    x: float
    y: float
    indicators: list[tuple[str, str]] = field(default_factory=list)


def _finite(value: float) -> float | None:
    return round(float(value), 1) if math.isfinite(float(value)) else None


def scene_payload(
    title: str,
    sites: list[SiteCard],
    bounds: tuple[float, float, float, float],
    language: str,
    outlines: list[list[tuple[float, float]]] | None = None,
    caveat: str = "",
) -> dict[str, Any]:
    """The JSON-ready scene for phones.

    Parameters
    ----------
    title : str
        The scene's title (or the project's name).
    sites : list of SiteCard
    bounds : tuple of float
        ``(xmin, ymin, xmax, ymax)`` shown on the phone's map; pins must fall inside.
    language : str
        ``"en"`` or ``"ko"``: the page's strings.
    outlines : list of rings, optional
        Simplified district outlines (lists of ``(x, y)``), for orientation only.
    caveat : str
        The "Not real data" note of the map, shown on the page when not empty.
    """
    xmin, ymin, xmax, ymax = (float(v) for v in bounds)
    return {
        "title": str(title),
        "language": "ko" if language == "ko" else "en",
        "caveat": str(caveat),
        "bounds": [xmin, ymin, xmax, ymax],
        "sites": [
            {
                "site_id": str(s.site_id),
                "name": str(s.name),
                "rank": None if s.rank is None else int(s.rank),
                "x": _finite(s.x),
                "y": _finite(s.y),
                "indicators": [[str(k), str(v)] for k, v in s.indicators],
            }
            for s in sites
        ],
        "outlines": [
            [[round(float(x), 1), round(float(y), 1)] for x, y in ring] for ring in (outlines or [])
        ],
        "strings": page_strings(language),
    }


def page_strings(language: str) -> dict[str, str]:
    """:data:`PAGE_STRINGS` in ``language`` (placeholders left for the page to fill)."""
    return {key: translate(text, language) for key, text in PAGE_STRINGS.items()}


__all__ = ["PAGE_STRINGS", "SiteCard", "page_strings", "scene_payload"]
