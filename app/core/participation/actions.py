"""An accepted participant action as data: a vote, a comment, a pin or a proposed site.

Actions are created only by :func:`app.core.participation.session.Session.check` (the
server thread), written to the journal, then handed to the GUI, which adds them to its
:class:`~app.core.participation.results.Results`. Every field is plain data; participant
text is never interpreted, anywhere.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

#: The kinds of action, each with its permission of the same name.
KINDS = ("vote", "comment", "pin", "propose")
#: Pin categories (the phone shows them translated).
PIN_CATEGORIES = ("good", "problem", "idea")


@dataclass(frozen=True)
class Action:
    """One accepted action.

    Attributes
    ----------
    id : str
        Unique id (random hex, 128 bits): a journal replay never duplicates it.
    kind : str
        One of :data:`KINDS`.
    participant : str
        The anonymous participant id (random; no name, no address).
    time : str
        UTC ISO-8601 time the server accepted it.
    site_id : str
        The site voted on or commented on ("" for pins and proposals).
    dots : int
        +1 or -1 for a vote (a dot given or taken back), 0 otherwise.
    text : str
        The comment, the pin's or proposal's text (plain text).
    category : str
        A pin's category (:data:`PIN_CATEGORIES`), "" otherwise.
    x, y : float
        A pin's or proposal's position in the working CRS (EPSG:5186); NaN otherwise.
    nickname : str
        Optional, as the participant typed it (plain text).
    """

    id: str
    kind: str
    participant: str
    time: str
    site_id: str = ""
    dots: int = 0
    text: str = ""
    category: str = ""
    x: float = math.nan
    y: float = math.nan
    nickname: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """As a JSON-ready dict (NaN coordinates as None)."""
        data = asdict(self)
        for key in ("x", "y"):
            if isinstance(data[key], float) and math.isnan(data[key]):
                data[key] = None
        data.pop("extra", None)
        return data

    def public(self) -> dict[str, Any]:
        """What other phones see of it (the participant id is kept: it is anonymous)."""
        return self.to_dict()

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Action:
        """Read back :meth:`to_dict` (journal, tables); raises ValueError when unusable."""
        if not isinstance(data, dict):
            raise ValueError("not an object")
        kind = str(data.get("kind", ""))
        if kind not in KINDS:
            raise ValueError(f"unknown kind {kind!r}")
        ident = str(data.get("id") or "")
        if not ident:
            raise ValueError("no id")

        def number(key: str) -> float:
            value = data.get(key)
            try:
                return math.nan if value is None else float(value)
            except (TypeError, ValueError):
                return math.nan

        return cls(
            id=ident,
            kind=kind,
            participant=str(data.get("participant") or ""),
            time=str(data.get("time") or ""),
            site_id=str(data.get("site_id") or ""),
            dots=int(data.get("dots") or 0),
            text=str(data.get("text") or ""),
            category=str(data.get("category") or ""),
            x=number("x"),
            y=number("y"),
            nickname=str(data.get("nickname") or ""),
        )


__all__ = ["KINDS", "PIN_CATEGORIES", "Action"]
