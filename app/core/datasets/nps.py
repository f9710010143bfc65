"""국민연금공단 가입 사업장 내역 (data.go.kr 15083277) → employees and firms per admin
dong, and employees and founding year onto matching start-ups.

A CP949 CSV without coordinates: nothing is geocoded. Its 10-digit 행정동 code
(``고객행정동주소코드``) is turned into the project's dong code by the crosswalk
``data/dong_codes.csv``; :func:`dong_context` sums the registered workplaces
(``사업장가입상태코드`` 1) and their ``가입자수`` per dong onto the ``dong`` polygons, and
:func:`match_startups` joins workplaces to 상가(상권)정보 firms by normalised name and
행정동 code (``가입자수`` → ``employees``, the year of ``적용일자`` → ``founded``) and
reports the match rate. Qt-free.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import geopandas as gpd
import numpy as np
import pandas as pd

from app.core.datasets.common import code_text, real_provenance, stat_codes
from app.core.datasets.model import DatasetError, DatasetLayer
from app.core.datasets.recognise import Recognition
from app.core.formats.vector import InputError
from app.core.progress import Cancelled, Progress

USED = (
    "자료생성년월",
    "사업장명",
    "사업장가입상태코드 1 등록 2 탈퇴",
    "고객법정동주소코드",
    "고객행정동주소코드",
    "가입자수",
    "적용일자",
    "사업장업종코드명",
)
_CODEC = {"UTF-8": "utf-8-sig", "CP949": "cp949", "EUC-KR": "cp949"}
#: Company-form words dropped before names are compared.
_FORMS = re.compile(
    r"\(주\)|㈜|\(유\)|\(사\)|\(재\)|주식회사|유한책임회사|유한회사|합자회사|합명회사|"
    r"농업회사법인|재단법인|사단법인|\(株\)"
)


def normalise_name(values: pd.Series) -> pd.Series:
    """Firm names compared without company form, spaces, punctuation or case:
    ``"(주)이노 랩스"``, ``"주식회사 이노랩스"`` and ``"이노랩스㈜"`` are all ``"이노랩스"``."""
    text = values.astype("string").str.replace(_FORMS, "", regex=True)
    text = text.str.replace(r"[\s\W_]+", "", regex=True).str.lower()
    return text.astype(object).where(
        (text.notna() & (text != "")).to_numpy(dtype=bool, na_value=False), None
    )


def read_nps(
    recognition: Recognition,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> pd.DataFrame:
    """The used columns of an NPS file (codes as text), in chunks with progress and cancel.

    Raises
    ------
    DatasetError
        The file cannot be read as that table.
    """
    info = recognition.info
    path = info.path
    codec = _CODEC.get(info.encoding or "", info.encoding or "cp949")
    columns = {c: recognition.columns[c] for c in USED if c in recognition.columns}
    total = max(recognition.rows, 1)
    chunks = []
    try:
        with pd.read_csv(
            path,
            encoding=codec,
            usecols=list(columns.values()),
            dtype=str,
            chunksize=100_000,
            keep_default_na=False,
        ) as reader:
            for chunk in reader:
                if cancelled is not None and cancelled():
                    raise Cancelled(f"import of {path.name} cancelled")
                chunks.append(chunk)
                if progress is not None:
                    done = sum(len(c) for c in chunks)
                    progress(min(0.8 * done / total, 0.8), f"reading {path.name}: {done} rows")
    except (UnicodeDecodeError, pd.errors.ParserError, ValueError) as err:
        raise DatasetError(f"cannot read {path.name} as 국민연금 가입 사업장 내역: {err}") from None
    table = (
        pd.concat(chunks, ignore_index=True)
        if chunks
        else pd.DataFrame(columns=list(columns.values()))
    )
    return table.rename(columns={v: k for k, v in columns.items()})


def _registered(table: pd.DataFrame) -> pd.DataFrame:
    status = table.get("사업장가입상태코드 1 등록 2 탈퇴")
    if status is None:
        return table
    return table[status.astype(str).str.strip() == "1"]


def _employees(table: pd.DataFrame) -> np.ndarray:
    return (
        pd.to_numeric(table["가입자수"].astype(str).str.replace(",", ""), errors="coerce")
        .fillna(0)
        .to_numpy(dtype=float)
    )


def dong_context(
    recognition: Recognition, table: pd.DataFrame, dongs: gpd.GeoDataFrame | None
) -> DatasetLayer:
    """Registered workplaces and their employees per admin dong, on the dong polygons.

    Parameters
    ----------
    recognition : Recognition
        Dataset ``nps``.
    table : DataFrame
        From :func:`read_nps`.
    dongs : GeoDataFrame
        The project's ``dong`` layer (``code``: 7-digit Statistics Korea codes).

    Returns
    -------
    DatasetLayer
        A context layer (no role): the dongs with ``nps_firms`` and ``nps_employees``.

    Raises
    ------
    DatasetError
        The project has no dong layer, or no workplace's dong is one of its dongs.
    """
    path = recognition.info.path
    if dongs is None or "code" not in dongs.columns:
        raise DatasetError(
            f"{path.name}: the project has no admin dong layer (dong) to join "
            "국민연금 workplaces to by 행정동 code; nothing was imported"
        )
    live = _registered(table)
    stat = stat_codes(live["고객행정동주소코드"])
    known = stat.notna().to_numpy()
    per_dong = (
        pd.DataFrame({"code": stat[known].to_numpy(), "employees": _employees(live)[known]})
        .groupby("code")
        .agg(nps_firms=("employees", "size"), nps_employees=("employees", "sum"))
    )
    codes = dongs["code"].astype(str)
    hit = codes.isin(per_dong.index).to_numpy()
    if not hit.any():
        raise DatasetError(
            f"{path.name}: none of its {len(live)} registered workplaces lies in a dong of "
            "the project (행정동 codes not found); nothing was imported"
        )
    out = dongs[hit].copy().reset_index(drop=True)
    stats = per_dong.loc[out["code"].astype(str)]
    out["nps_firms"] = stats["nps_firms"].to_numpy(dtype=int)
    out["nps_employees"] = stats["nps_employees"].to_numpy(dtype=float)
    month = str(table["자료생성년월"].iloc[0]).strip() if len(table) else ""
    vintage = month or "unknown"
    unknown_codes = int((~known).sum())
    notes = []
    if unknown_codes:
        notes.append(
            f"{path.name}: {unknown_codes} of {len(live)} registered workplaces have a "
            "행정동 code outside Seoul's dongs (or a dong changed since 2021-04): not counted"
        )
    counts = {
        "rows": len(table),
        "registered": len(live),
        "in_dongs": int(known.sum()),
        "kept": len(out),
    }
    provenance = real_provenance(
        "nps",
        path,
        vintage,
        "자료생성년월",
        f"registered workplaces (가입상태 1) and 가입자수 summed per 행정동 via "
        f"data/dong_codes.csv; {counts['in_dongs']} of {counts['registered']} workplaces "
        "joined; no geocoding",
    )
    return DatasetLayer(
        "nps",
        gpd.GeoDataFrame(out, geometry=dongs.geometry.name, crs=dongs.crs),
        None,
        f"국민연금 workplaces per dong {vintage}",
        provenance,
        counts,
        notes,
        name_hint="nps_per_dong",
        title_ko=f"국민연금 사업장 (행정동별) {vintage}",
    )


def match_startups(startups: gpd.GeoDataFrame, table: pd.DataFrame) -> tuple[gpd.GeoDataFrame, int]:
    """Employees and founding year of the start-ups found among the NPS workplaces.

    Parameters
    ----------
    startups : GeoDataFrame
        A layer from 상가(상권)정보 (``상호명`` and ``행정동코드`` columns).
    table : DataFrame
        From :func:`read_nps`.

    Returns
    -------
    GeoDataFrame, int
        The start-ups with ``employees`` (가입자수) and ``founded`` (year of 적용일자)
        where a registered workplace of the same normalised name lies in the same
        행정동 (else the same 법정동), ``nps_matched`` True there; and the number
        matched. Where several workplaces match, the largest is taken.

    Raises
    ------
    InputError
        The start-ups lack the name or 행정동 code columns.
    """
    for column in ("상호명", "행정동코드"):
        if column not in startups.columns:
            raise InputError(
                f"the start-ups layer has no {column} column: only start-ups read from "
                "상가(상권)정보 can be matched with 국민연금 workplaces"
            )
    live = _registered(table)
    names = normalise_name(live["사업장명"]).astype(str)
    employees = _employees(live)
    founded = pd.to_numeric(
        live["적용일자"].astype(str).str.extract(r"^(\d{4})")[0], errors="coerce"
    ).to_numpy()
    own_names = normalise_name(startups["상호명"])
    has_name = own_names.notna().to_numpy()
    own_names = own_names.astype(str)
    matched = np.zeros(len(startups), dtype=bool)
    found_employees = np.full(len(startups), np.nan)
    found_year = np.full(len(startups), np.nan)
    # by 행정동 first, then (for the rest) by 법정동: the two codes of both files
    for nps_code, own_code in (
        ("고객행정동주소코드", "행정동코드"),
        ("고객법정동주소코드", "법정동코드"),
    ):
        if nps_code not in live.columns or own_code not in startups.columns:
            continue
        keys = pd.DataFrame(
            {
                "key": names + "|" + code_text(live[nps_code]).astype(str),
                "employees": employees,
                "founded": founded,
            }
        )
        best = keys.sort_values("employees", ascending=False).drop_duplicates("key")
        best = best.set_index("key")
        own = own_names + "|" + code_text(startups[own_code]).astype(str)
        hit = own.isin(best.index).to_numpy() & has_name & ~matched
        found_employees[hit] = best.loc[own[hit], "employees"].to_numpy()
        found_year[hit] = best.loc[own[hit], "founded"].to_numpy()
        matched |= hit
    out = startups.copy()
    if "employees" in out.columns:
        keep = ~matched
        found_employees[keep] = pd.to_numeric(out["employees"], errors="coerce").to_numpy()[keep]
    out["employees"] = found_employees
    out["founded"] = found_year
    out["nps_matched"] = matched
    return out, int(matched.sum())


__all__ = ["dong_context", "match_startups", "normalise_name", "read_nps"]
