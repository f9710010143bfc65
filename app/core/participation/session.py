"""The participation session: tokens, permissions, dot budget, limits and the checks.

A :class:`Session` is owned by the server thread while it runs (the GUI changes it only
through :meth:`app.core.participation.server.ParticipationServer.configure`). Every
participant request passes :meth:`Session.check`, which either returns an
:class:`~app.core.participation.actions.Action` or raises :class:`Rejected` with an HTTP
status and a short code — never a detail of the server or the project.
"""

from __future__ import annotations

import hmac
import math
import secrets
import time
import unicodedata
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from app.core.participation.actions import KINDS, PIN_CATEGORIES, Action

#: Bytes of randomness of the join token (phones) and the facilitator token: 128 bits each.
TOKEN_BYTES = 16


@dataclass
class Limits:
    """What one participant and one request may do.

    Attributes
    ----------
    max_body : int
        Largest request body in bytes (larger: 413).
    max_text : int
        Longest comment, pin or proposal text, in characters.
    max_nickname : int
        Longest nickname, in characters.
    max_comments, max_pins, max_proposals : int
        Per participant, for the whole session.
    rate_count, rate_seconds : int, float
        At most ``rate_count`` requests in ``rate_seconds`` per participant (else 429).
    max_participants : int
        Joins beyond this are refused (503), so a flood cannot fill the memory.
    joins_per_minute : int
        Joins per client address per minute (else 429).
    """

    max_body: int = 4096
    max_text: int = 280
    max_nickname: int = 24
    max_comments: int = 20
    max_pins: int = 10
    max_proposals: int = 3
    rate_count: int = 20
    rate_seconds: float = 10.0
    max_participants: int = 500
    joins_per_minute: int = 30


class Rejected(Exception):
    """A request refused: ``status`` (4xx/5xx) and a short ``code`` the phone may show."""

    def __init__(self, status: int, code: str) -> None:
        super().__init__(code)
        self.status, self.code = status, code


@dataclass
class Participant:
    """One phone: its anonymous id, what it spent and its recent request times."""

    id: str
    dots: dict[str, int] = field(default_factory=dict)
    comments: int = 0
    pins: int = 0
    proposals: int = 0
    recent: deque = field(default_factory=deque)

    @property
    def dots_spent(self) -> int:
        return sum(self.dots.values())


def _now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def clean_text(value: Any, limit: int, *, required: bool = False) -> str:
    """Participant text as plain, bounded text: NFC, controls removed (newlines kept),
    stripped; raises :class:`Rejected` (400) when not a string, empty when required, or
    longer than ``limit`` characters."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise Rejected(400, "bad_text")
    text = unicodedata.normalize("NFC", value)
    text = "".join(
        c for c in text if c in "\n" or unicodedata.category(c)[0] != "C" or c == "\u200d"
    ).strip()
    if len(text) > limit:
        raise Rejected(400, "text_too_long")
    if required and not text:
        raise Rejected(400, "empty_text")
    return text


class Session:
    """A participation session.

    Parameters
    ----------
    site_ids : iterable of str
        The sites participants may vote and comment on (the current scene's).
    bounds : tuple of float, optional
        ``(xmin, ymin, xmax, ymax)`` in EPSG:5186 where pins and proposals may fall.
    permissions : iterable of str
        Of :data:`~app.core.participation.actions.KINDS`.
    dot_budget : int
        Dots each participant may spend (1–20).
    limits : Limits, optional
    """

    def __init__(
        self,
        site_ids=(),
        bounds: tuple[float, float, float, float] | None = None,
        permissions=("vote", "comment", "pin"),
        dot_budget: int = 3,
        limits: Limits | None = None,
    ) -> None:
        self.join_token = secrets.token_urlsafe(TOKEN_BYTES)
        self.facilitator_token = secrets.token_urlsafe(TOKEN_BYTES)
        self.limits = limits or Limits()
        self.site_ids: set[str] = {str(s) for s in site_ids}
        self.bounds = bounds
        self.permissions: set[str] = set()
        self.set_permissions(permissions)
        self.dot_budget = 3
        self.set_dot_budget(dot_budget)
        self.voting_open = True
        self.participants: dict[str, Participant] = {}
        #: participant key (secret, held by the phone) → participant
        self._keys: dict[str, Participant] = {}
        self._joins: dict[str, deque] = {}

    # -- facilitator ---------------------------------------------------------------------
    def set_permissions(self, permissions) -> None:
        """What participants may do; unknown names are ignored."""
        self.permissions = {p for p in permissions if p in KINDS}

    def set_dot_budget(self, budget: int) -> None:
        """Dots per participant, clamped to 1–20. Dots spent beyond a lowered budget stay."""
        self.dot_budget = max(1, min(20, int(budget)))

    def settings(self) -> dict[str, Any]:
        """What a phone is told of the session's rules."""
        return {
            "permissions": sorted(self.permissions),
            "dot_budget": self.dot_budget,
            "voting_open": self.voting_open,
            "max_text": self.limits.max_text,
            "max_nickname": self.limits.max_nickname,
        }

    # -- tokens --------------------------------------------------------------------------
    def join_ok(self, token: str) -> bool:
        """True when ``token`` is the join token (constant-time comparison)."""
        return hmac.compare_digest(str(token).encode(), self.join_token.encode())

    def facilitator_ok(self, token: str) -> bool:
        """True when ``token`` is the facilitator token (constant-time comparison)."""
        return hmac.compare_digest(str(token).encode(), self.facilitator_token.encode())

    # -- participants --------------------------------------------------------------------
    def join(self, address: str, now: float | None = None) -> tuple[str, Participant]:
        """A new participant: ``(key, participant)``; the key is the phone's secret."""
        now = time.monotonic() if now is None else now
        joins = self._joins.setdefault(address, deque())
        while joins and now - joins[0] > 60:
            joins.popleft()
        if len(joins) >= self.limits.joins_per_minute:
            raise Rejected(429, "too_many_joins")
        if len(self.participants) >= self.limits.max_participants:
            raise Rejected(503, "session_full")
        joins.append(now)
        key = secrets.token_urlsafe(TOKEN_BYTES)
        participant = Participant(id="p" + secrets.token_hex(6))
        self.participants[participant.id] = participant
        self._keys[key] = participant
        return key, participant

    def participant(self, key: Any) -> Participant:
        """The participant of ``key``; raises :class:`Rejected` (403) when unknown."""
        if not isinstance(key, str) or not key or len(key) > 64:
            raise Rejected(403, "unknown_participant")
        participant = self._keys.get(key)
        if participant is None:
            raise Rejected(403, "unknown_participant")
        return participant

    def throttle(self, participant: Participant, now: float | None = None) -> None:
        """Count one request; raises :class:`Rejected` (429) past the rate limit."""
        now = time.monotonic() if now is None else now
        recent = participant.recent
        while recent and now - recent[0] > self.limits.rate_seconds:
            recent.popleft()
        if len(recent) >= self.limits.rate_count:
            raise Rejected(429, "too_many_requests")
        recent.append(now)

    # -- actions -------------------------------------------------------------------------
    def check(self, participant: Participant, body: Any) -> Action:
        """The action ``body`` asks for, checked against the rules, as an :class:`Action`.

        Nothing is counted here: :meth:`commit` counts an action once it is journalled.

        Raises
        ------
        Rejected
            400 malformed, 403 not permitted or voting closed, 404 unknown site, 409 no
            dots left / nothing to take back, 429 a per-participant limit reached.
        """
        if not isinstance(body, dict):
            raise Rejected(400, "bad_request")
        kind = body.get("kind")
        if kind not in KINDS:
            raise Rejected(400, "bad_kind")
        if kind not in self.permissions:
            raise Rejected(403, "not_permitted")
        limits = self.limits
        nickname = clean_text(body.get("nickname"), limits.max_nickname)
        base: dict[str, Any] = {
            "id": secrets.token_hex(16),
            "kind": kind,
            "participant": participant.id,
            "time": _now_iso(),
            "nickname": nickname,
        }
        if kind in ("vote", "comment"):
            site = body.get("site_id")
            if not isinstance(site, str) or site not in self.site_ids:
                raise Rejected(404, "unknown_site")
            base["site_id"] = site
        if kind == "vote":
            if not self.voting_open:
                raise Rejected(403, "voting_closed")
            dots = body.get("dots")
            if dots not in (1, -1) or isinstance(dots, bool):
                raise Rejected(400, "bad_dots")
            if dots == 1 and participant.dots_spent >= self.dot_budget:
                raise Rejected(409, "no_dots_left")
            if dots == -1 and participant.dots.get(base["site_id"], 0) <= 0:
                raise Rejected(409, "no_dot_here")
            return Action(dots=dots, **base)
        if kind == "comment":
            if participant.comments >= limits.max_comments:
                raise Rejected(429, "too_many_comments")
            text = clean_text(body.get("text"), limits.max_text, required=True)
            return Action(text=text, **base)
        # pin or propose: a point
        x, y = self._point(body)
        text = clean_text(body.get("text"), limits.max_text, required=kind == "propose")
        if kind == "pin":
            if participant.pins >= limits.max_pins:
                raise Rejected(429, "too_many_pins")
            category = body.get("category")
            if category not in PIN_CATEGORIES:
                raise Rejected(400, "bad_category")
            return Action(text=text, category=category, x=x, y=y, **base)
        if participant.proposals >= limits.max_proposals:
            raise Rejected(429, "too_many_proposals")
        return Action(text=text, x=x, y=y, **base)

    def _point(self, body: dict) -> tuple[float, float]:
        values = []
        for key in ("x", "y"):
            value = body.get(key)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise Rejected(400, "bad_point")
            value = float(value)
            if not math.isfinite(value):
                raise Rejected(400, "bad_point")
            values.append(value)
        x, y = values
        if self.bounds is not None:
            xmin, ymin, xmax, ymax = self.bounds
            if not (xmin <= x <= xmax and ymin <= y <= ymax):
                raise Rejected(400, "outside_map")
        return x, y

    def commit(self, participant: Participant, action: Action) -> None:
        """Count an accepted (journalled) action against the participant's limits."""
        if action.kind == "vote":
            spent = participant.dots.get(action.site_id, 0) + action.dots
            participant.dots[action.site_id] = max(0, spent)
        elif action.kind == "comment":
            participant.comments += 1
        elif action.kind == "pin":
            participant.pins += 1
        elif action.kind == "propose":
            participant.proposals += 1

    def restore(self, actions) -> None:
        """Count earlier actions (journal, project) against their participants' limits
        (a restarted session keeps each participant's spent dots)."""
        for action in actions:
            participant = self.participants.setdefault(
                action.participant, Participant(id=action.participant)
            )
            self.commit(participant, action)


__all__ = ["TOKEN_BYTES", "Limits", "Participant", "Rejected", "Session", "clean_text"]
