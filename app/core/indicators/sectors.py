"""Start-up sectors as the UI shows them: the legend's words in the UI language.

A sector value ("Bio/Health") is a stable key of the data; the Korean UI shows the
Korean words of its legend label ("바이오·헬스", from "바이오·헬스 Bio/Health" in
:data:`layers.themes.startups.SECTORS`), the English UI the value. Qt-free.
"""

from __future__ import annotations

from layers.themes.startups import SECTORS


def sector_name(value: str, language: str) -> str:
    """The sector ``value`` in ``language``, as the legend names it.

    Parameters
    ----------
    value : str
        A ``sector`` value of the start-ups layer.
    language : str
        ``"en"`` or ``"ko"``.

    Returns
    -------
    str
        The Korean words of a known sector in Korean; else ``value`` unchanged.

    Examples
    --------
    >>> sector_name("Bio/Health", "ko")
    '바이오·헬스'
    >>> sector_name("Bio/Health", "en")
    'Bio/Health'
    >>> sector_name("Robotics", "ko")
    'Robotics'
    """
    known = SECTORS.get(str(value))
    if language != "ko" or known is None:
        return str(value)
    return known[0].split(" ", 1)[0]


__all__ = ["sector_name"]
