"""Names InnoAtlas gives sites ("Site 3", "Suggested Magok 1"), shown in the UI language.

A site's name is the user's data and is stored as it was given; a name the app made
itself (:func:`display_name` recognises the patterns in both languages, and a district
named by its id, English or Korean name) is shown in the current language, so that a
Korean UI shows "후보지 3" and "제안 마곡 1" for sites named while it was English.

Qt-free.
"""

from __future__ import annotations

import re

from app.core.i18n_catalog import translate
from layers.themes.districts import DISTRICTS

_SITE = re.compile(r"^(?:Site|후보지) (\d+)$")
_SUGGESTED = re.compile(r"^(?:Suggested|제안) (.+) (\d+)$")


def _district_names() -> dict[str, tuple[str, str]]:
    names: dict[str, tuple[str, str]] = {}
    for district_id, (korean, english, _colour) in DISTRICTS.items():
        short = korean.split(" (")[0]
        for key in (district_id, english, korean, short):
            names[key.casefold()] = (short, english)
    return names


_DISTRICTS = _district_names()


def display_name(name: str, language: str) -> str:
    """``name`` as the UI shows it in ``language``.

    Parameters
    ----------
    name : str
        The stored site name.
    language : str
        ``"en"`` or ``"ko"``.

    Returns
    -------
    str
        An app-made name ("Site N", "Suggested <district> N", in either language, the
        district also as its id) in ``language``; any other name unchanged.

    Examples
    --------
    >>> display_name("Site 3", "ko")
    '후보지 3'
    >>> display_name("Suggested magok 1", "en")
    'Suggested Magok 1'
    >>> display_name("Library", "ko")
    'Library'
    """
    text = str(name)
    match = _SITE.match(text)
    if match:
        return f"{translate('Site', language)} {match.group(1)}"
    match = _SUGGESTED.match(text)
    if match and match.group(1).casefold() in _DISTRICTS:
        korean, english = _DISTRICTS[match.group(1).casefold()]
        district = korean if language == "ko" else english
        return translate(
            "Suggested {district} {rank}", language, district=district, rank=match.group(2)
        )
    return text


__all__ = ["display_name"]
