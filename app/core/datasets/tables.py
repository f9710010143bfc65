"""The shipped code tables: 용도지역 codes (``data/zoning_codes.csv``) and KSIC → sector
with the default knowledge-based filter (``data/ksic_sectors.csv``), and the editable
KSIC filter (:class:`KsicFilter`). Lookups are made once per distinct code, then mapped
onto the rows (vectorised). Qt-free.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from app.core.paths import DATA_DIR

ZONING_CODES_CSV = DATA_DIR / "zoning_codes.csv"
KSIC_CSV = DATA_DIR / "ksic_sectors.csv"


@functools.cache
def zoning_codes() -> pd.DataFrame:
    """The 용도지역 code table, indexed by ``code`` (UQA122 …)."""
    table = pd.read_csv(ZONING_CODES_CSV, dtype=str, keep_default_na=False)
    table["precise"] = table["precise"].str.lower() == "true"
    return table.set_index("code")


@functools.cache
def ksic_table() -> pd.DataFrame:
    """The KSIC prefix → sector table (``ksic``, ``name_ko``, ``sector``, ``knowledge_based``)."""
    table = pd.read_csv(KSIC_CSV, dtype=str, keep_default_na=False)
    table["knowledge_based"] = table["knowledge_based"].str.lower() == "true"
    return table


def unknown_zone_label(code: str) -> str:
    """How a zone code outside the table is shown: ``"unknown zone (UQA999)"``."""
    return f"unknown zone ({code})"


def zone_columns(codes: pd.Series) -> pd.DataFrame:
    """The zone name, short type, kind and precision of each code.

    Parameters
    ----------
    codes : Series of str
        용도지역 codes (blank or None where there is none).

    Returns
    -------
    DataFrame
        ``zone_code`` (stripped, upper case), ``zone_label`` (the Korean name, or
        "unknown zone (CODE)" for a code outside the table, None for a blank code),
        ``zone_precise`` (False for class-only codes and unknown codes) and ``known``.
    """
    table = zoning_codes()
    text = codes.astype("string").str.strip().str.upper()
    text = text.astype(object).where(
        (text.notna() & (text != "")).to_numpy(dtype=bool, na_value=False), None
    )
    uniques = pd.unique(text.dropna())
    label = {
        c: (table.at[c, "name_ko"] if c in table.index else unknown_zone_label(str(c)))
        for c in uniques
    }
    precise = {c: bool(table.at[c, "precise"]) if c in table.index else False for c in uniques}
    return pd.DataFrame(
        {
            "zone_code": text,
            "zone_label": text.map(label).astype(object),
            "zone_precise": text.map(precise).fillna(False).astype(bool),
            "known": text.isin(table.index),
        },
        index=codes.index,
    )


# -- KSIC ------------------------------------------------------------------------------------
_CODE = re.compile(r"^([A-U])?(\d{0,5})$")


def normalise_ksic(values: pd.Series) -> pd.Series:
    """KSIC codes as a section letter plus digits (``"J62010"``); the letter is taken from
    the table when a code has digits only. Empty text → None."""
    text = values.astype("string").str.strip().str.upper().str.replace(r"[\s.\-]", "", regex=True)
    return text.astype(object).where(
        (text.notna() & (text != "")).to_numpy(dtype=bool, na_value=False), None
    )


_DIVISION_SECTION = {
    **{d: "A" for d in range(1, 4)},
    **{d: "B" for d in range(5, 9)},
    **{d: "C" for d in range(10, 35)},
    35: "D",
    **{d: "E" for d in range(36, 40)},
    **{d: "F" for d in range(41, 43)},
    **{d: "G" for d in range(45, 48)},
    **{d: "H" for d in range(49, 53)},
    **{d: "I" for d in range(55, 57)},
    **{d: "J" for d in range(58, 64)},
    **{d: "K" for d in range(64, 67)},
    68: "L",
    **{d: "M" for d in range(70, 74)},
    **{d: "N" for d in range(74, 77)},
    84: "O",
    85: "P",
    **{d: "Q" for d in range(86, 88)},
    **{d: "R" for d in range(90, 92)},
    **{d: "S" for d in range(94, 97)},
    **{d: "T" for d in range(97, 99)},
    99: "U",
}


def _lettered(code: str) -> str:
    """``"62010"`` → ``"J62010"`` (KSIC divisions belong to one section each)."""
    if code[:1].isalpha() or len(code) < 2 or not code[:2].isdigit():
        return code
    section = _DIVISION_SECTION.get(int(code[:2]))
    return f"{section}{code}" if section else code


@dataclass(frozen=True)
class KsicFilter:
    """Which KSIC codes count as knowledge-based firms: a set of code prefixes.

    Written and read as text, e.g. ``"J58-J63, M70-M73, C21, C26-C28"``: a section letter
    alone (``J``) takes the whole section, a range takes every division (two digits)
    between its ends. :meth:`default` is the shipped table's filter.
    """

    prefixes: tuple[str, ...]

    @classmethod
    def default(cls) -> KsicFilter:
        """The documented default (``knowledge_based`` rows of ``data/ksic_sectors.csv``),
        as divisions: J58–J63, M70–M73, C21, C26–C28."""
        table = ksic_table()
        rows = table[table["knowledge_based"]]["ksic"]
        divisions = sorted({code[:3] for code in rows})
        return cls(tuple(divisions))

    @classmethod
    def parse(cls, text: str) -> KsicFilter:
        """Parse ``"J, M70-M73, C21, C26-C28"``.

        Raises
        ------
        ValueError
            One line naming the part that is not a KSIC code or range.
        """
        prefixes: list[str] = []
        for part in re.split(r"[,;\s]+", text.strip()):
            if not part:
                continue
            token = part.upper().replace("–", "-")
            if "-" in token:
                start, _, end = token.partition("-")
                start, end = _lettered(start), _lettered(end)
                m1, m2 = _CODE.match(start), _CODE.match(end)
                if not (m1 and m2 and len(m1[2]) == 2 and len(m2[2]) == 2):
                    raise ValueError(f"not a KSIC division range: {part!r} (e.g. M70-M73)")
                if m1[1] != m2[1] or int(m1[2]) > int(m2[2]):
                    raise ValueError(f"not a KSIC division range: {part!r} (e.g. M70-M73)")
                prefixes += [f"{m1[1]}{d:02d}" for d in range(int(m1[2]), int(m2[2]) + 1)]
                continue
            token = _lettered(token)
            match = _CODE.match(token)
            if not match or not (match[1] or match[2]):
                raise ValueError(f"not a KSIC code: {part!r} (e.g. J, M70, C21 or C26-C28)")
            prefixes.append(token)
        if not prefixes:
            raise ValueError("the KSIC filter is empty (e.g. J58-J63, M70-M73, C21, C26-C28)")
        return cls(tuple(dict.fromkeys(prefixes)))

    def text(self) -> str:
        """The filter as text, consecutive divisions as ranges (``"C26-C28"``)."""
        parts: list[str] = []
        run: list[str] = []

        def flush() -> None:
            if run:
                parts.append(run[0] if len(run) == 1 else f"{run[0]}-{run[-1]}")
                run.clear()

        for prefix in self.prefixes:
            division = len(prefix) == 3 and prefix[0].isalpha() and prefix[1:].isdigit()
            if (
                division
                and run
                and run[-1][0] == prefix[0]
                and int(run[-1][1:]) + 1 == int(prefix[1:])
            ):
                run.append(prefix)
                continue
            flush()
            if division:
                run.append(prefix)
            else:
                parts.append(prefix)
        flush()
        return ", ".join(parts)

    def matches(self, codes: pd.Series) -> np.ndarray:
        """True for each code (letter + digits, see :func:`normalise_ksic`) under a prefix."""
        text = normalise_ksic(codes)
        uniques = pd.unique(text.dropna())
        hit = {c: any(_lettered(str(c)).startswith(p) for p in self.prefixes) for c in uniques}
        return text.map(hit).fillna(False).astype(bool).to_numpy()


def ksic_sectors(codes: pd.Series) -> pd.Series:
    """The app sector of each KSIC code by the longest prefix in ``data/ksic_sectors.csv``;
    None where no prefix matches."""
    table = ksic_table()
    prefixes = sorted(zip(table["ksic"], table["sector"], strict=True), key=lambda r: -len(r[0]))
    text = normalise_ksic(codes)
    uniques = pd.unique(text.dropna())
    sector = {
        c: next((s for p, s in prefixes if _lettered(str(c)).startswith(p)), None) for c in uniques
    }
    return text.map(sector).astype(object)


__all__ = [
    "KsicFilter",
    "ksic_sectors",
    "ksic_table",
    "normalise_ksic",
    "unknown_zone_label",
    "zone_columns",
    "zoning_codes",
]
