"""What an imported layer is for (its role) and which of its columns mean what.

A role is one of the analysis layers the indicator engine reads (start-ups, universities,
stations, zoning). :func:`guess_mapping` proposes, for each field of the role, the source
column that holds it (from the column names, Korean or English, and for zoning from the
values that are zone names); :func:`apply_role` turns the file's frame into the columns
the engine reads (app/core/indicators/engine.py, app/core/indicators/site_zoning.py): ``sector`` and
``employees`` for start-ups, ``zone_type``/``kind``/``max_height_m`` for zoning. The
source's other columns are kept. Qt-free.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from app.core.formats.vector import InputError
from app.core.zoning.names import normalise_zone_name
from layers.themes.zoning import OVERLAYS

ROLES: dict[str, str] = {
    "startups": "Start-ups",
    "education": "Universities and colleges",
    "stations": "Stations",
    "zoning": "Zoning (용도지역) and restrictions",
}

#: Overlay names (kind = "overlay"); the rest of the known names are zones.
OVERLAY_NAMES = frozenset(OVERLAYS) | {"지역특화발전특구"}


@dataclass(frozen=True)
class RoleField:
    """One field a role reads: the canonical column (``target``) and what it means."""

    target: str
    label: str
    required: bool
    description: str


ROLE_FIELDS: dict[str, tuple[RoleField, ...]] = {
    "startups": (
        RoleField("name", "Name", False, "company name"),
        RoleField("sector", "Sector", False, "sector or industry (업종), for the sector mix"),
        RoleField("employees", "Employees", False, "number of employees (종사자수), a number"),
    ),
    "education": (RoleField("name", "Name", False, "name of the university or college"),),
    "stations": (RoleField("name", "Name", False, "station name"),),
    "zoning": (
        RoleField(
            "zone_name",
            "Zone name",
            True,
            "column with 용도지역/overlay names such as 제2종일반주거지역, 준공업지역, "
            "개발제한구역",
        ),
        RoleField(
            "max_height_m",
            "Height limit (m)",
            False,
            "height limit of an overlay in metres, a number",
        ),
    ),
}

ROLE_GEOMETRY: dict[str, str] = {
    "startups": "point",
    "education": "point",
    "stations": "point",
    "zoning": "polygon",
}

#: target -> candidate column names (normalised: lower case, no spaces/underscores);
#: exact names first, then fragments a longer name may contain.
_NAMES = {
    "name": (
        (
            "name",
            "이름",
            "명칭",
            "업체명",
            "기업명",
            "회사명",
            "상호",
            "상호명",
            "company",
            "companyname",
            "firm",
            "학교명",
            "대학명",
            "대학교명",
            "school",
            "schoolname",
            "역명",
            "역이름",
            "station",
            "stationname",
            "전철역명",
            "kornm",
            "nm",
        ),
        ("명칭", "상호", "업체명", "기업명", "학교명", "역명", "name"),
    ),
    "sector": (
        (
            "sector",
            "업종",
            "업종명",
            "산업",
            "산업분류",
            "industry",
            "업태",
            "분야",
            "업종분류",
            "산업분류명",
            "category",
        ),
        ("업종", "산업", "sector", "industry"),
    ),
    "employees": (
        (
            "employees",
            "종사자수",
            "직원수",
            "종업원수",
            "근로자수",
            "employee",
            "staff",
            "headcount",
            "인원",
            "인원수",
            "종사자",
        ),
        ("종사자", "직원", "종업원", "employee"),
    ),
    "zone_name": (
        (
            "zonetype",
            "zonename",
            "용도지역",
            "용도지역명",
            "용도지역지구명",
            "uqa",
            "dgmnm",
            "prposareadstrcnm",
            "zone",
            "zoning",
            "용도",
        ),
        ("용도지역", "zone", "uqa", "dgmnm", "prpos"),
    ),
    "max_height_m": (
        ("maxheightm", "maxheight", "높이제한", "최고높이", "heightlimit", "제한높이"),
        ("height", "높이"),
    ),
}


def _norm(name: str) -> str:
    return re.sub(r"[\s_\-()\[\].]", "", str(name)).lower()


def _by_name(columns: list[str], target: str, taken: set[str]) -> str | None:
    exact, fragments = _NAMES[target]
    normal = [(c, _norm(c)) for c in columns if c not in taken and c != "geometry"]
    for name in exact:
        for column, key in normal:
            if key == name:
                return column
    for fragment in fragments:
        for column, key in normal:
            if fragment in key:
                return column
    return None


def zone_name_share(values: pd.Series) -> float:
    """Share of the non-empty values that are known zone or overlay names."""
    text = values.dropna().astype(str).str.strip()
    text = text[text != ""]
    if len(text) == 0:
        return 0.0
    uniques = text.unique()
    known = {u for u in uniques if normalise_zone_name(u) is not None}
    return float(text.isin(known).mean())


def guess_mapping(
    columns: list[str], role: str, frame: pd.DataFrame | None = None
) -> dict[str, str | None]:
    """For each field of ``role``, the source column that probably holds it (or None).

    Parameters
    ----------
    columns : list of str
        The layer's attribute columns.
    role : str
        A key of :data:`ROLES`.
    frame : DataFrame, optional
        The data; for zoning the column whose values best normalise to zone names wins
        over the column names.

    Returns
    -------
    dict
        target -> column or None, for every field of the role.
    """
    _check_role(role)
    columns = [str(c) for c in columns]
    taken: set[str] = set()
    mapping: dict[str, str | None] = {}
    for spec in ROLE_FIELDS[role]:
        column = _by_name(columns, spec.target, taken)
        if spec.target == "zone_name" and frame is not None:
            shares = {
                c: zone_name_share(frame[c])
                for c in columns
                if c in frame.columns
                and c != "geometry"
                and (frame[c].dtype == object or pd.api.types.is_string_dtype(frame[c]))
            }
            best = max(shares, key=lambda c: shares[c], default=None)
            if best is not None and shares[best] > (
                0.0 if column is None else shares.get(column, 0.0)
            ):
                column = best
        mapping[spec.target] = column
        if column is not None:
            taken.add(column)
    return mapping


@dataclass
class RoleResult:
    """The frame with the role's canonical columns, and notes on what was changed."""

    frame: gpd.GeoDataFrame
    notes: list[str] = field(default_factory=list)


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise InputError(f"unknown layer role {role!r} (one of {', '.join(ROLES)})")


_POINT_TYPES = {0, 4}
_POLYGON_TYPES = {3, 6}
_TYPE_WORDS = {
    0: "points",
    4: "points",
    1: "lines",
    2: "lines",
    5: "lines",
    3: "polygons",
    6: "polygons",
    7: "geometry collections",
}


def _check_geometry(frame: gpd.GeoDataFrame, role: str, where: str) -> None:
    ids = set(
        np.unique(shapely.get_type_id(np.asarray(frame.geometry.values, dtype=object))).tolist()
    ) - {-1}
    wanted = _POINT_TYPES if ROLE_GEOMETRY[role] == "point" else _POLYGON_TYPES
    if ids - wanted:
        held = sorted({_TYPE_WORDS.get(i, "other geometry") for i in ids - wanted})
        label = ROLES[role].split(" (")[0].lower()
        noun = "points" if ROLE_GEOMETRY[role] == "point" else "polygons"
        raise InputError(f"{where}{label} must be {noun}; this layer holds {' and '.join(held)}")


def _text(values: pd.Series) -> pd.Series:
    """Stripped text, None where missing or empty (each distinct value stripped once)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    text = pd.Series(uniques, dtype=object).astype("string").str.strip()
    text = text.where(text.notna() & (text != ""), None).astype(object).to_numpy()
    filled = np.append(text, np.array([pd.NA], dtype=object))  # the last: missing values
    return pd.Series(filled[codes], index=values.index, dtype=object)


def apply_role(
    frame: gpd.GeoDataFrame, role: str, mapping: dict[str, str | None], source: str | None = None
) -> RoleResult:
    """The frame with the canonical columns of ``role`` filled from ``mapping``.

    Parameters
    ----------
    frame : GeoDataFrame
        A layer as read by :func:`app.core.formats.vector.read_vector`.
    role : str
        A key of :data:`ROLES`.
    mapping : dict
        target -> source column (None: not in the file), e.g. from :func:`guess_mapping`.
    source : str, optional
        The file's name, for messages.

    Returns
    -------
    RoleResult
        start-ups: ``name``, ``sector`` (text), ``employees`` (float, NaN where not a
        number); education/stations: ``name``; zoning: ``zone_type`` (short name, raw text
        when not recognised), ``kind`` ("zone"/"overlay"), ``name``, ``max_height_m``.
        Only mapped fields are written (zoning's are always). Other columns are kept.

    Raises
    ------
    InputError
        Unknown role or field, a required field not mapped, a mapped column that does not
        exist, the wrong geometry type, or zoning with no known zone or overlay name.
    """
    _check_role(role)
    where = f"{source}: " if source else ""
    fields = {spec.target: spec for spec in ROLE_FIELDS[role]}
    for target, column in mapping.items():
        if target not in fields:
            raise InputError(
                f"{where}{ROLES[role]} have no field {target!r} (fields: {', '.join(fields)})"
            )
        if column is not None and column not in frame.columns:
            raise InputError(
                f"{where}no column {column!r} for {fields[target].label.lower()}"
                f" (columns: {', '.join(map(str, frame.columns[:12]))})"
            )
    for spec in fields.values():
        if spec.required and mapping.get(spec.target) is None:
            raise InputError(
                f"{where}{ROLES[role]} need a {spec.label.lower()} column "
                f"({spec.description}): choose it"
            )
    _check_geometry(frame, role, where)
    out = frame.copy()
    notes: list[str] = []

    def put(target: str, values: pd.Series) -> None:
        column = mapping.get(target)
        if target in out.columns and column != target:
            # in place: _zoning_columns holds this frame too
            out.columns = [f"{target}_source" if c == target else c for c in out.columns]
        out[target] = values

    if mapping.get("name") is not None:
        put("name", _text(frame[mapping["name"]]))
    if role == "startups":
        if mapping.get("sector") is not None:
            put("sector", _text(frame[mapping["sector"]]))
        if mapping.get("employees") is not None:
            put("employees", _numbers(frame[mapping["employees"]], "employees", where, notes))
    if role == "zoning":
        _zoning_columns(frame, mapping, out, put, where, notes)
    return RoleResult(gpd.GeoDataFrame(out, geometry=frame.geometry.name, crs=frame.crs), notes)


def _numbers(values: pd.Series, label: str, name: str, notes: list[str]) -> pd.Series:
    """Numbers (thousands separators and a trailing 명/m dropped), NaN with a note where
    a value is not a number."""
    if pd.api.types.is_numeric_dtype(values):
        return values.astype(float)
    text = _text(values)
    cleaned = text.astype("string").str.replace(r"[,\s]|명$|m$", "", regex=True)
    numbers = pd.to_numeric(cleaned, errors="coerce").astype(float)
    bad = text.notna() & numbers.isna()
    if bad.any():
        examples = ", ".join(repr(v) for v in pd.unique(text[bad])[:3])
        notes.append(
            f"{name}{int(bad.sum())} of {len(values)} {label} values are not "
            f"numbers ({examples}): left empty"
        )
    return numbers


def _zoning_columns(frame, mapping, out, put, where, notes) -> None:
    raw = _text(frame[mapping["zone_name"]])
    uniques = pd.unique(raw.dropna())
    short = {u: normalise_zone_name(u) for u in uniques}
    known = raw.map(short)  # one normalisation per distinct value
    if known.notna().sum() == 0:
        examples = ", ".join(repr(str(v)) for v in uniques[:3]) or "no values"
        raise InputError(
            f"{where}column {mapping['zone_name']!r} holds no known zone or "
            f"overlay name ({examples}): choose the column with the 용도지역 "
            "names (e.g. 제2종일반주거지역)"
        )
    zone_type = known.where(known.notna(), raw.fillna(""))
    unknown = raw.notna() & known.isna()
    if unknown.any():
        first = ", ".join(pd.unique(raw[unknown])[:3])
        notes.append(
            f"{where}{int(unknown.sum())} of {len(raw)} features have zone names not "
            f"in the rules table: {first} (first 3)"
        )
    if raw.isna().any():
        notes.append(f"{where}{int(raw.isna().sum())} of {len(raw)} features have no zone name")
    put("zone_type", zone_type.astype(object))
    put("kind", np.where(zone_type.isin(OVERLAY_NAMES), "overlay", "zone").astype(object))
    if "name" not in out.columns:
        out["name"] = raw
    if mapping.get("max_height_m") is not None:
        put("max_height_m", _numbers(frame[mapping["max_height_m"]], "max_height_m", where, notes))
