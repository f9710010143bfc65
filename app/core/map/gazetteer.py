"""An offline gazetteer of the project's named places, and coordinates typed by hand.

Built from the layers' name fields (districts, gu, admin dongs, stations, universities,
the user's sites and imported layers), in Korean and English. :meth:`Gazetteer.search`
finds names by prefix, then by substring, and by Hangul initial consonants (``ㅁㄱ``
finds 마곡); :func:`parse_coordinates` reads ``37.56, 126.83`` (lat/lon, either order)
or EPSG:5186 ``x, y``. Everything is computed on whole columns (pandas string methods).

The bundled station data have Korean names only; their English names come from
``data/station_names_en.csv`` (the stations' English names as the Seoul Metro signs
spell them, Revised Romanization; see data/SOURCES.md), so "Magongnaru" finds 마곡나루.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely

from app.core.geodesy import from_lonlat
from app.core.paths import DATA_DIR
from layers.model import Layer, LayerStack

#: The bundled layers searched, in the order their hits are listed for equal matches.
BUNDLED_LAYERS = ("districts", "gu", "dong", "stations", "education", "sites")
#: Column names read as names (case-insensitive), Korean first.
NAME_FIELDS = ("name_ko", "name", "이름", "명칭", "name_en", "name_eng", "title", "label")
#: Korean suffixes also searchable without their place-type word (마곡역 → 마곡 station).
_SUFFIX = {"stations": "역"}
#: English names of the bundled stations, by their Korean name.
STATION_NAMES_EN = DATA_DIR / "station_names_en.csv"
_ENGLISH_FIELDS = ("name_en", "name_eng")


def station_names_en() -> dict[str, str]:
    """The English name of each bundled station, by its Korean name ({} when the table
    is missing)."""
    try:
        table = pd.read_csv(STATION_NAMES_EN, dtype=str, encoding="utf-8").dropna()
    except (OSError, ValueError):
        return {}
    return dict(zip(table["name"], table["name_en"]))


_CHOSEONG = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_JAMO_ONLY = re.compile(f"^[{_CHOSEONG}ㄳㄵㄶㄺㄻㄼㄽㄾㄿㅀㅄ ]+$")


def initials(text: str) -> str:
    """The Hangul initial consonants of ``text`` (other characters kept): 마곡동 → ㅁㄱㄷ."""
    out = []
    for char in text:
        code = ord(char) - 0xAC00
        out.append(_CHOSEONG[code // 588] if 0 <= code < 11172 else char)
    return "".join(out)


def _key(text: str) -> str:
    return re.sub(r"[\s·\-_()]+", "", text).casefold()


@dataclass(frozen=True)
class Place:
    """One search result: its names, where it is and what it belongs to.

    ``layer`` is the layer's name (``""`` for typed coordinates), ``row`` the feature's
    position in that layer's data, ``x``/``y`` a point on it and ``bounds`` its extent
    (EPSG:5186).
    """

    name: str
    other_name: str
    layer: str
    row: int
    x: float
    y: float
    bounds: tuple[float, float, float, float]


def name_fields(layer: Layer) -> list[str]:
    """The layer's columns that hold names, in :data:`NAME_FIELDS` order."""
    lower = {str(column).casefold(): column for column in layer.data.columns}
    return [lower[field] for field in NAME_FIELDS if field in lower]


class Gazetteer:
    """Searchable names of features.

    Parameters
    ----------
    stack : LayerStack
        Where the features are.
    layer_names : iterable of str, optional
        Layers to index (default :data:`BUNDLED_LAYERS`); layers without a name field
        or without features are skipped.
    """

    def __init__(self, stack: LayerStack, layer_names: Iterable[str] | None = None) -> None:
        frames = []
        order = list(layer_names) if layer_names is not None else list(BUNDLED_LAYERS)
        for rank, name in enumerate(order):
            layer = stack.get(name)
            if layer is None or len(layer.data) == 0:
                continue
            fields = name_fields(layer)
            if not fields:
                continue
            data = layer.data
            geometry = np.asarray(data.geometry.values)
            valid = ~(shapely.is_missing(geometry) | shapely.is_empty(geometry))
            points = shapely.point_on_surface(np.where(valid, geometry, shapely.Point(0, 0)))
            bounds = shapely.bounds(np.where(valid, geometry, shapely.Point(0, 0)))
            texts = [data[f].astype(object).where(data[f].notna(), "").astype(str) for f in fields]
            if name == "stations" and not {f.casefold() for f in fields} & set(_ENGLISH_FIELDS):
                texts.append(texts[0].map(station_names_en()).fillna(""))
            primary = texts[0].to_numpy()
            secondary = texts[-1].to_numpy() if len(texts) > 1 else np.full(len(data), "")
            for text in texts:
                keys = [text]
                if name in _SUFFIX:
                    keys.append(text + _SUFFIX[name])
                for key in keys:
                    frames.append(
                        pd.DataFrame(
                            {
                                "key": key.map(_key).to_numpy(),
                                "name": primary,
                                "other": secondary,
                                "layer": name,
                                "rank": rank,
                                "row": np.arange(len(data)),
                                "x": shapely.get_x(points),
                                "y": shapely.get_y(points),
                                "x0": bounds[:, 0],
                                "y0": bounds[:, 1],
                                "x1": bounds[:, 2],
                                "y1": bounds[:, 3],
                            }
                        )[valid & (key.str.strip() != "").to_numpy()]
                    )
        columns = ["key", "name", "other", "layer", "rank", "row", "x", "y", "x0", "y0", "x1", "y1"]
        self.table = (
            pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)
        )
        self.table["initials"] = self.table["key"].map(initials)

    def __len__(self) -> int:
        return len(self.table)

    def search(self, query: str, limit: int = 20) -> list[Place]:
        """Places whose name starts with, then contains, ``query`` (case, spaces ignored).

        A query of Hangul initial consonants only (``ㅁㄱ``) matches names by their
        initials. Each feature is listed once, prefix matches first, then by layer
        (districts before gu, dongs, stations ...) and shorter names first.
        """
        key = _key(query or "")
        if not key or self.table.empty:
            return []
        column = self.table["initials" if _JAMO_ONLY.match(key) else "key"]
        if _JAMO_ONLY.match(key):
            key = key.replace(" ", "")
        prefix = column.str.startswith(key).to_numpy()
        inside = column.str.contains(key, regex=False).to_numpy()
        hits = self.table[inside].assign(
            score=np.where(prefix[inside], 0, 1), length=self.table["key"].str.len()[inside]
        )
        hits = hits.sort_values(["score", "rank", "length", "row"], kind="stable")
        hits = hits.drop_duplicates(["layer", "row"])
        # A station served by several lines is one stop (its platforms are features of
        # their own): one result per station name.
        repeated = (hits["layer"] == "stations") & hits.duplicated(["layer", "name"])
        hits = hits[~repeated].head(limit)
        return [
            Place(
                str(r.name),
                str(r.other) if r.other != r.name else "",
                str(r.layer),
                int(r.row),
                float(r.x),
                float(r.y),
                (float(r.x0), float(r.y0), float(r.x1), float(r.y1)),
            )
            for r in hits.itertuples(index=False)
        ]


_NUMBER = r"[-+]?\d+(?:\.\d+)?"
_PAIR = re.compile(rf"^\s*\(?\s*({_NUMBER})\s*(?:[,;/]\s*|\s+)({_NUMBER})\s*\)?\s*$")
#: Where typed coordinates may be (a generous box around Korea).
LON_RANGE, LAT_RANGE = (124.0, 132.0), (33.0, 39.0)
X_RANGE, Y_RANGE = (0.0, 1_000_000.0), (0.0, 1_000_000.0)


def parse_coordinates(text: str) -> tuple[float, float, str] | None:
    """EPSG:5186 ``(x, y, how)`` for typed coordinates, or ``None`` when ``text`` is not.

    ``how`` is ``"latlon"`` for degrees (``37.56, 126.83`` or ``126.83 37.56``) and
    ``"xy"`` for EPSG:5186 metres (``x, y``). Pairs outside Korea are not coordinates.
    """
    match = _PAIR.match(text or "")
    if match is None:
        return None
    a, b = float(match.group(1)), float(match.group(2))

    def inside(value: float, limits: tuple[float, float]) -> bool:
        return limits[0] <= value <= limits[1]

    if inside(a, LAT_RANGE) and inside(b, LON_RANGE):
        x, y = from_lonlat(b, a)
        return float(x), float(y), "latlon"
    if inside(a, LON_RANGE) and inside(b, LAT_RANGE):
        x, y = from_lonlat(a, b)
        return float(x), float(y), "latlon"
    if inside(a, X_RANGE) and inside(b, Y_RANGE) and min(a, b) >= 1000:
        return a, b, "xy"
    return None


__all__ = [
    "BUNDLED_LAYERS",
    "Gazetteer",
    "Place",
    "initials",
    "name_fields",
    "parse_coordinates",
]
