"""What a coverage area can be made of: the districts and dongs to choose from (Qt-free).

The coverage editor of the import dialog and the layer properties
(``app.ui.layers.coverage_editor``) lists the project's innovation districts by their
display names and the administrative dongs of the ``dong`` layer with their gu, so
that a user picks names, never internal ids (app.core.project.coverage).
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd


@dataclass(frozen=True)
class Choice:
    """One district or dong a coverage may name.

    Parameters
    ----------
    id : str
        ``district_id`` of a district, ``code`` of a dong (what a coverage saves).
    name : str
        Display name in the requested language.
    group : str
        The dong's gu ("" for a district).
    alias : str
        Another name it is searched by (a dong's romanised name in English, else "").
    """

    id: str
    name: str
    group: str = ""
    alias: str = ""

    def text(self) -> str:
        """``"가산동 Gasan-dong (Geumcheon-gu)"`` for a dong, the name for a district."""
        name = f"{self.name} {self.alias}" if self.alias and self.alias != self.name else self.name
        return f"{name} ({self.group})" if self.group else name


def _column(frame: gpd.GeoDataFrame, wanted: str, fallback: str) -> pd.Series:
    if wanted in frame.columns:
        values = frame[wanted].astype("string")
        if fallback in frame.columns:
            values = values.fillna(frame[fallback].astype("string"))
        return values.fillna("").astype(str)
    if fallback in frame.columns:
        return frame[fallback].astype("string").fillna("").astype(str)
    return pd.Series([""] * len(frame), index=frame.index, dtype=str)


def district_choices(districts: gpd.GeoDataFrame | None, language: str = "en") -> list[Choice]:
    """The project's districts, in the layer's order, by display name.

    Parameters
    ----------
    districts : GeoDataFrame or None
        The ``districts`` layer (``district_id``, ``name_en``, ``name_ko``).
    language : str
        ``"ko"`` for the Korean names, else English (the id where a name is missing).
    """
    if districts is None or "district_id" not in districts.columns:
        return []
    ids = districts["district_id"].astype(str)
    names = _column(districts, "name_ko" if language == "ko" else "name_en", "name_en")
    return [
        Choice(i, n or i)
        for i, n in zip(ids.tolist(), names.tolist(), strict=True)
        if i and i != "nan"
    ]


def dong_choices(dongs: gpd.GeoDataFrame | None, language: str = "en") -> list[Choice]:
    """The admin dongs with their gu, sorted by gu then name (one entry per code).

    The name is the layer's Korean ``name`` in both languages (as
    :func:`app.core.project.coverage.describe` writes it); in English the romanised
    ``name_eng`` is its alias and the gu is ``gu_eng``.

    Parameters
    ----------
    dongs : GeoDataFrame or None
        The ``dong`` layer (``code``, ``name``, ``gu``; ``name_eng``/``gu_eng``).
    language : str
        ``"en"`` or ``"ko"``.
    """
    if dongs is None or "code" not in dongs.columns:
        return []
    english = language != "ko"
    names = _column(dongs, "name", "name_eng")
    aliases = _column(dongs, "name_eng", "name") if english else pd.Series("", index=names.index)
    groups = _column(dongs, "gu_eng" if english else "gu", "gu")
    table = pd.DataFrame(
        {
            "id": dongs["code"].astype(str).to_numpy(),
            "name": names.to_numpy(),
            "alias": aliases.to_numpy(),
            "group": groups.to_numpy(),
        }
    )
    table = table[table["id"].ne("") & table["id"].ne("nan")].drop_duplicates("id")
    table = table.sort_values(["group", "name", "id"], kind="stable")
    return [
        Choice(i, n or i, g, a)
        for i, n, g, a in zip(
            table["id"], table["name"], table["group"], table["alias"], strict=True
        )
    ]


__all__ = ["Choice", "district_choices", "dong_choices"]
