"""One placement pass for every text drawn over the map: labels and the sites' badges.

The canvas and the PNG/PDF export measure their texts (Qt) and hand the boxes here;
:func:`place_labels` picks, in priority order, a free position for each among candidate
positions around its anchor, and hides what finds none. It is Qt-free and works in
screen units (pixels of the view or the page).

How a box is placed
-------------------
* Labels are taken by ``priority`` (lower first: the sites' badges and names, then
  districts, stations, other labels), then in the order given.
* Each label tries the positions of its ``mode`` around its anchor, ``gap`` away from it:
  ``AROUND`` (a point: right, upper right, lower right, above, below, left, upper left,
  lower left), ``ABOVE`` (a badge: above first, then the others) or ``CENTRE`` (an area:
  centred on the anchor first, then shifted by its size, then by twice its size).
* A position is free when its box, grown by ``pad``, lies inside ``bounds`` and meets no
  box placed before it and no obstacle (e.g. the sites' markers). The test is one numpy
  comparison of the label's candidates against every placed box.
* A label allowed a ``leader`` that finds no free position tries rings farther out
  (:data:`LEADER_RINGS`) and, when one is free there, is drawn there with a leader line
  to its anchor.
* Labels with the same ``key`` (a station served by two lines) closer than ``dedupe`` to
  one already placed are dropped: one label is enough.
* What finds no free position is hidden (``placed`` False).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Candidate directions (dx, dy) in screen axes (y down), in order of preference.
AROUND = 0
ABOVE = 1
CENTRE = 2
_DIRECTIONS = {
    AROUND: [(1, 0), (1, -1), (1, 1), (0, -1), (0, 1), (-1, 0), (-1, -1), (-1, 1)],
    ABOVE: [(0, -1), (1, -1), (-1, -1), (1, 0), (-1, 0), (0, 1), (1, 1), (-1, 1)],
    CENTRE: [(0, 0), (0, -1), (0, 1), (1, 0), (-1, 0), (1, -1), (-1, -1), (1, 1), (-1, 1)],
}
# an area's name may also shift twice its size (still inside the area at the scales drawn)
_DIRECTIONS[CENTRE] += [(2 * dx, 2 * dy) for dx, dy in _DIRECTIONS[CENTRE][1:]]


#: Outer rings (multiples of 1.5 label heights farther out) tried with a leader line.
LEADER_RINGS = (1, 2, 3, 4)


@dataclass(frozen=True)
class Placement:
    """Where each label went, in the order the labels were given.

    Attributes
    ----------
    boxes : numpy.ndarray
        ``(n, 4)`` boxes ``x0, y0, x1, y1`` (without padding); NaN where hidden.
    placed : numpy.ndarray
        True where the label is drawn.
    leader : numpy.ndarray
        True where the label sits on the outer ring and needs a leader line.
    """

    boxes: np.ndarray
    placed: np.ndarray
    leader: np.ndarray

    def drawn_boxes(self) -> np.ndarray:
        """The boxes of the labels that are drawn, ``(k, 4)``."""
        return self.boxes[self.placed]


def overlaps(boxes: np.ndarray, others: np.ndarray) -> np.ndarray:
    """``(len(boxes), len(others))`` True where two boxes ``x0, y0, x1, y1`` overlap
    (touching edges do not)."""
    a = np.asarray(boxes, float)[:, None, :]
    b = np.asarray(others, float)[None, :, :]
    return (
        (a[..., 0] < b[..., 2])
        & (b[..., 0] < a[..., 2])
        & (a[..., 1] < b[..., 3])
        & (b[..., 1] < a[..., 3])
    )


def candidate_boxes(
    x: float, y: float, width: float, height: float, gap: float, mode: int
) -> np.ndarray:
    """The candidate boxes ``(k, 4)`` of one label, in order of preference."""
    d = np.asarray(_DIRECTIONS[mode], float)
    cx = x + d[:, 0] * (gap + width / 2)
    cy = y + d[:, 1] * (gap + height / 2)
    if mode == CENTRE:  # an area's label shifts by its own size, not away from a marker
        cx = x + d[:, 0] * (width / 2 + gap)
        cy = y + d[:, 1] * (height + gap)
    return np.column_stack([cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2])


def place_labels(
    x,
    y,
    width,
    height,
    *,
    priority=None,
    gap=None,
    mode=None,
    leader=None,
    key=None,
    obstacles=None,
    bounds: tuple[float, float, float, float] | None = None,
    pad: float = 2.0,
    dedupe: float = 80.0,
) -> Placement:
    """Place labels without overlaps, best candidate position first.

    Parameters
    ----------
    x, y : array_like
        Anchors of the labels in screen units (y down).
    width, height : array_like
        Sizes of the labels' boxes.
    priority : array_like of int, optional
        Lower is placed first (default all 0: the given order).
    gap : array_like, optional
        Distance between anchor and box (default 0).
    mode : array_like of int, optional
        :data:`AROUND`, :data:`ABOVE` or :data:`CENTRE` per label (default ``AROUND``).
    leader : array_like of bool, optional
        Labels that may move to an outer ring with a leader line when the inner one is full.
    key : array_like of int, optional
        Labels with the same non-negative key within ``dedupe`` of a placed one are dropped.
    obstacles : array_like, optional
        ``(m, 4)`` boxes no label may cover.
    bounds : (x0, y0, x1, y1), optional
        Boxes must lie inside (the view); default unbounded.
    pad : float
        Margin kept free around each box.
    dedupe : float
        Distance (screen units) within which a same-key label is a duplicate.

    Returns
    -------
    Placement
        Boxes, drawn flags and leader flags in the input order.
    """
    x = np.asarray(x, float)
    y = np.asarray(y, float)
    n = len(x)
    width = np.broadcast_to(np.asarray(width, float), (n,))
    height = np.broadcast_to(np.asarray(height, float), (n,))
    priority = np.zeros(n, int) if priority is None else np.asarray(priority)
    gap = np.broadcast_to(np.asarray(0.0 if gap is None else gap, float), (n,))
    mode = np.broadcast_to(np.asarray(AROUND if mode is None else mode, int), (n,))
    leader = np.broadcast_to(np.asarray(False if leader is None else leader, bool), (n,))
    key = np.broadcast_to(np.asarray(-1 if key is None else key, int), (n,))
    fixed = np.empty((0, 4)) if obstacles is None else np.asarray(obstacles, float).reshape(-1, 4)
    occupied = np.empty((n + len(fixed), 4))
    occupied[: len(fixed)] = fixed
    count = len(fixed)
    boxes = np.full((n, 4), np.nan)
    placed = np.zeros(n, bool)
    on_leader = np.zeros(n, bool)
    seen: dict[int, list[tuple[float, float]]] = {}
    ok_anchor = np.isfinite(x) & np.isfinite(y) & (width > 0) & (height > 0)
    for i in np.lexsort((np.arange(n), priority)).tolist():  # one pass, by priority
        if not ok_anchor[i]:
            continue
        if key[i] >= 0 and any(
            abs(px - x[i]) + abs(py - y[i]) < dedupe for px, py in seen.get(int(key[i]), ())
        ):
            continue
        rings = [(gap[i], False)]
        if leader[i]:
            rings += [(gap[i] + k * (1.5 * height[i] + 4.0), True) for k in LEADER_RINGS]
        for ring_gap, is_leader in rings:
            cands = candidate_boxes(x[i], y[i], width[i], height[i], ring_gap, mode[i])
            grown = cands + np.array([-pad, -pad, pad, pad])
            free = ~overlaps(grown, occupied[:count]).any(axis=1)
            if bounds is not None:
                free &= (
                    (cands[:, 0] >= bounds[0])
                    & (cands[:, 1] >= bounds[1])
                    & (cands[:, 2] <= bounds[2])
                    & (cands[:, 3] <= bounds[3])
                )
            if free.any():
                choice = int(np.argmax(free))
                boxes[i] = cands[choice]
                occupied[count] = grown[choice]
                count += 1
                placed[i] = True
                on_leader[i] = is_leader
                if key[i] >= 0:
                    seen.setdefault(int(key[i]), []).append((x[i], y[i]))
                break
    return Placement(boxes, placed, on_leader)


__all__ = ["ABOVE", "AROUND", "CENTRE", "Placement", "candidate_boxes", "overlaps", "place_labels"]
