"""Everything participants said in a project: :class:`Results` (owned by the GUI thread).

Actions are added once each (by id: a journal replay or a repeated hand-over never
duplicates one); the facilitator hides and restores them (moderation). Tallies count the
dots of the visible votes per site.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from app.core.participation.actions import Action


class Results:
    """The accepted actions of a project, in arrival order, and which are hidden."""

    def __init__(self, actions: Iterable[Action] = (), hidden: Iterable[str] = ()) -> None:
        self.actions: list[Action] = []
        self._ids: set[str] = set()
        self.hidden: set[str] = set(hidden)
        self._dots: dict[str, int] | None = None
        self.add_all(actions)

    def __len__(self) -> int:
        return len(self.actions)

    def __contains__(self, action_id: object) -> bool:
        return action_id in self._ids

    def add(self, action: Action) -> bool:
        """Add ``action`` unless one with its id is here; True when it was added."""
        if action.id in self._ids:
            return False
        self._ids.add(action.id)
        self.actions.append(action)
        self._dots = None
        return True

    def add_all(self, actions: Iterable[Action]) -> list[Action]:
        """Add each new action; the ones added, in order."""
        return [a for a in actions if self.add(a)]

    def of_kind(self, kind: str, visible_only: bool = True) -> list[Action]:
        """The actions of ``kind`` (by default without the hidden ones)."""
        return [
            a for a in self.actions if a.kind == kind and not (visible_only and a.id in self.hidden)
        ]

    def set_hidden(self, action_id: str, hidden: bool) -> None:
        """Hide or restore one action (the facilitator's moderation)."""
        if hidden:
            self.hidden.add(action_id)
        else:
            self.hidden.discard(action_id)
        self._dots = None

    def dots(self) -> dict[str, int]:
        """Visible dots per site id (sites with none are absent); kept until an action
        arrives or is hidden or restored (the map asks on every frame)."""
        if self._dots is None:
            tally: Counter[str] = Counter()
            for action in self.of_kind("vote"):
                tally[action.site_id] += action.dots
            self._dots = {site: count for site, count in tally.items() if count > 0}
        return dict(self._dots)

    def participants(self) -> int:
        """How many participants have done anything."""
        return len({a.participant for a in self.actions})


__all__ = ["Results"]
