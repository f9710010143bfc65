"""Shapefile field names: at most 10 bytes, unique, by one documented rule.

The rule (docs/geopackage.md, "Shapefile, GeoJSON and FlatGeobuf"), applied to the column
names of one table:

1. A name of at most 10 bytes (in the file's encoding) is kept.
2. A longer name is abbreviated: in each ``_``-separated word every vowel (a, e, i, o, u)
   after the word's first letter is dropped (``top_sector_lq`` → ``tp_sctr_lq``,
   ``employees_sum`` → ``emplys_sm``); if that is still too long the underscores go,
   then the end is cut to 10 bytes (never inside a character).
3. Names are compared without case (a DBF does not tell ``A`` from ``a``). When an
   abbreviation clashes with a kept name or an earlier abbreviation (long names taken in
   alphabetical order), it is cut to 8 bytes and numbered ``01``, ``02`` … (the first
   number not taken).

The same columns always give the same short names, whatever their order in the table.
"""

from __future__ import annotations

import re

#: A DBF field name holds at most this many bytes.
MAX_BYTES = 10
_VOWELS = re.compile(r"[aeiouAEIOU]")


def _cut(text: str, limit: int, encoding: str) -> str:
    """``text`` cut to at most ``limit`` bytes in ``encoding``, at a character boundary."""
    while len(text.encode(encoding, errors="replace")) > limit:
        text = text[:-1]
    return text


def _fits(text: str, encoding: str) -> bool:
    return len(text.encode(encoding, errors="replace")) <= MAX_BYTES


def abbreviate(name: str, encoding: str = "utf-8") -> str:
    """Step 2 of the rule: the name without inner vowels, then without ``_``, then cut."""
    if _fits(name, encoding):
        return name
    words = [word[:1] + _VOWELS.sub("", word[1:]) for word in name.split("_")]
    for candidate in ("_".join(words), "".join(words)):
        if candidate and _fits(candidate, encoding):
            return candidate
    return _cut("".join(words) or name, MAX_BYTES, encoding)


def short_names(names: list[str], encoding: str = "utf-8") -> dict[str, str]:
    """The short (DBF) name of every column, unique without case and at most 10 bytes.

    Parameters
    ----------
    names : list of str
        The columns of one table (unique).
    encoding : str, optional
        The DBF's encoding: a Korean letter takes 3 bytes in UTF-8, 2 in CP949.

    Returns
    -------
    dict
        ``{full name: short name}``, by the rule of this module.

    Examples
    --------
    >>> short_names(["top_sector", "top_sector_lq", "startups_n"])
    {'top_sector': 'top_sector', 'top_sector_lq': 'tp_sctr_lq', 'startups_n': 'startups_n'}
    """
    result: dict[str, str] = {}
    taken: set[str] = set()
    for name in sorted(name for name in names if _fits(name, encoding)):
        if name.lower() not in taken:  # "Name" after "NAME" is numbered below
            result[name] = name
            taken.add(name.lower())
    for name in sorted(set(names) - set(result)):
        short = abbreviate(name, encoding)
        if short.lower() in taken:
            stem = _cut(short, MAX_BYTES - 2, encoding)
            number = 1
            while f"{stem}{number:02d}".lower() in taken:
                number += 1
            short = f"{stem}{number:02d}"
        result[name] = short
        taken.add(short.lower())
    return {name: result[name] for name in names}


__all__ = ["MAX_BYTES", "abbreviate", "short_names"]
