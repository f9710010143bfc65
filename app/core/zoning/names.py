"""Normalise Korean zoning names to the short names the app uses (docs/zoning.md).

Official data writes 용도지역 in full (``제2종일반주거지역``, ``준공업지역``), often with
spaces or a qualifier in brackets (``제2종일반주거지역(7층이하)``); the app and the
rules table (data/zoning_rules.csv) use the short names of ``layers.themes.zoning.ZONE_COLOURS``
(``제2종일반주거``, ``준공업``). Overlay names are normalised the same way.
"""

from __future__ import annotations

import re

from layers.themes.zoning import OVERLAYS, ZONE_COLOURS

ZONE_TYPES: tuple[str, ...] = tuple(ZONE_COLOURS)

#: Other spellings seen in the wild -> short name (after spaces and brackets are removed).
_ALIASES = {
    "1종전용주거": "제1종전용주거",
    "2종전용주거": "제2종전용주거",
    "1종일반주거": "제1종일반주거",
    "2종일반주거": "제2종일반주거",
    "3종일반주거": "제3종일반주거",
    "그린벨트": "개발제한구역",
    "개발진흥지구": "특정개발진흥지구",
    "비행안전제1구역": "비행안전구역",
    "비행안전제2구역": "비행안전구역",
    "비행안전제3구역": "비행안전구역",
    "비행안전제4구역": "비행안전구역",
    "비행안전제5구역": "비행안전구역",
    "비행안전제6구역": "비행안전구역",
    "고도제한구역": "비행안전구역",
}
_KNOWN = frozenset(ZONE_TYPES) | frozenset(OVERLAYS) | {"지역특화발전특구"}
_BRACKETS = re.compile(r"[(\[（][^)\]）]*[)\]）]")


def normalise_zone_name(name: object) -> str | None:
    """The short name of a zone type or overlay, or None if it is not recognised.

    Parameters
    ----------
    name : object
        A name such as ``"제2종일반주거지역"``, ``"제2종 일반주거지역(7층이하)"``,
        ``"2종일반주거"``, ``"준공업지역"`` or already a short name.

    Returns
    -------
    str or None
        ``"제2종일반주거"``, ``"준공업"``, ... ; None for empty or unknown names.

    Examples
    --------
    >>> normalise_zone_name("일반상업지역")
    '일반상업'
    """
    if name is None or not isinstance(name, str):
        return None
    text = _BRACKETS.sub("", re.sub(r"\s+", "", name))
    for candidate in (text, text.removesuffix("지역")):
        if candidate in _KNOWN:
            return candidate
        if candidate in _ALIASES:
            return _ALIASES[candidate]
    return None
