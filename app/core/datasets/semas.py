"""소상공인시장진흥공단 상가(상권)정보 (data.go.kr 15083033) → the start-ups role.

One CSV per 시도, UTF-8 (older releases CP949), WGS 84 ``경도``/``위도``. The file is read
by :func:`~app.core.formats.vector.read_vector` (encoding detected, points made and
moved to EPSG:5186), clipped to the study area, filtered to the knowledge-based firms by
KSIC (:class:`~app.core.datasets.tables.KsicFilter`, editable) and mapped onto the app's
sectors (``data/ksic_sectors.csv``). The other businesses of the study area can be kept
as an "all businesses" context layer. Qt-free.
"""

from __future__ import annotations

from collections.abc import Callable

import geopandas as gpd
import shapely

from app.core.datasets.common import code_text, file_date, inside, real_provenance
from app.core.datasets.model import DatasetError, DatasetLayer
from app.core.datasets.recognise import Recognition
from app.core.datasets.tables import KsicFilter, ksic_sectors, normalise_ksic
from app.core.formats.vector import ReadOptions, read_vector
from app.core.progress import Progress

#: Code columns kept as text (leading zeros, no float conversion).
CODE_COLUMNS = ("상가업소번호", "시도코드", "시군구코드", "행정동코드", "법정동코드", "지번코드")


def read_semas(
    recognition: Recognition,
    area: shapely.Geometry | None,
    ksic: KsicFilter | None = None,
    *,
    keep_all: bool = False,
    encoding: str | None = None,
    crs: str | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> list[DatasetLayer]:
    """The start-ups layer (and optionally the "all businesses" layer) of a SEMAS file.

    Parameters
    ----------
    recognition : Recognition
        From :func:`~app.core.datasets.recognise.recognise` (dataset ``semas``).
    area : shapely geometry or None
        The study area (EPSG:5186); None keeps the whole file.
    ksic : KsicFilter, optional
        The knowledge-based filter (default :meth:`KsicFilter.default`).
    keep_all : bool
        Also return the study area's other businesses as a context layer.
    encoding : str, optional
        Overrides the detected text encoding.
    crs : str, optional
        The CRS of 경도/위도 (default: EPSG:4326, as published).
    progress, cancelled : callable, optional
        Progress report and cancel check, passed to the reader.

    Returns
    -------
    list of DatasetLayer
        The start-ups (role ``startups``), then the other businesses when asked.

    Raises
    ------
    DatasetError
        No row has coordinates in the study area's CRS range.
    """
    path = recognition.info.path
    ksic = ksic or KsicFilter.default()
    cols = recognition.columns
    options = ReadOptions(
        encoding=encoding,
        assumed_crs=crs or "EPSG:4326",
        x_column=cols["경도"],
        y_column=cols["위도"],
    )
    layer = read_vector(
        path, "상가(상권)정보", options=options, progress=progress, cancelled=cancelled
    )
    frame = layer.frame
    rows = recognition.rows or len(frame)
    keep = inside(frame, area)
    local = frame[keep].reset_index(drop=True)
    for name in CODE_COLUMNS:  # only the rows kept: text ops on 400 000 rows cost seconds
        if name in cols and cols[name] in local.columns:
            local[cols[name]] = code_text(local[cols[name]])
    codes = normalise_ksic(local[cols["표준산업분류코드"]])
    knowledge = ksic.matches(codes)
    firms = local[knowledge].reset_index(drop=True)
    firms["ksic"] = codes[knowledge].to_numpy()
    firms["sector"] = ksic_sectors(firms["ksic"]).to_numpy()
    firms["name"] = firms[cols["상호명"]].astype("string").str.strip().astype(object)
    if "지점명" in cols:
        branch = firms[cols["지점명"]].astype("string").str.strip()
        has = (branch.notna() & (branch != "")).to_numpy()
        firms.loc[has, "name"] = (firms["name"][has] + " " + branch[has]).to_numpy()
    notes = list(layer.notes)
    if len(firms) == 0:
        notes.append(f"{path.name}: no knowledge-based firm ({ksic.text()}) in the study area")
    vintage, where = file_date(path)
    counts = {"rows": int(rows), "in_study_area": int(keep.sum()), "kept": len(firms)}
    filter_text = (
        f"filter: knowledge-based firms by KSIC 10th rev. {ksic.text()}; "
        f"{counts['in_study_area']} of {counts['rows']} businesses in the study area, "
        f"{counts['kept']} knowledge-based"
    )
    if knowledge.sum() == 0 and keep.sum() == 0 and area is not None:
        raise DatasetError(
            f"{path.name}: none of its {rows} businesses lies in the study area "
            "(G-Valley, Magok, Yangjae): download the 서울 file; nothing was imported"
        )
    result = [
        DatasetLayer(
            "semas",
            gpd.GeoDataFrame(firms, geometry=frame.geometry.name, crs=frame.crs),
            "startups",
            f"상가(상권)정보 knowledge-based firms {vintage}",
            real_provenance("semas", path, vintage, where, filter_text),
            counts,
            notes,
            name_hint="semas_firms",
            reader_notes=len(layer.notes),
            title_ko=f"상가(상권)정보 지식기반 기업 {vintage}",
            coverage_frame=gpd.GeoDataFrame(geometry=local.geometry.to_numpy(), crs=frame.crs),
        )
    ]
    if keep_all:
        others = local[~knowledge].reset_index(drop=True)
        others["ksic"] = codes[~knowledge].to_numpy()
        others["sector"] = ksic_sectors(others["ksic"]).to_numpy()
        result.append(
            DatasetLayer(
                "semas",
                gpd.GeoDataFrame(others, geometry=frame.geometry.name, crs=frame.crs),
                None,
                f"상가(상권)정보 all other businesses {vintage}",
                real_provenance(
                    "semas",
                    path,
                    vintage,
                    where,
                    f"the businesses of the study area outside the filter {ksic.text()}",
                ),
                {"rows": int(rows), "kept": len(others)},
                [],
                name_hint="semas_all_businesses",
                title_ko=f"상가(상권)정보 나머지 업소 {vintage}",
            )
        )
    return result


def summary(layers: list[DatasetLayer], language: str = "en") -> str:
    """What the import found, for the dialog and the command line:
    "상가(상권)정보, 412 118 rows, 38 204 in the study area, 6 812 knowledge-based"."""
    from app.core.i18n_catalog import translate

    counts = layers[0].counts
    return translate(
        "상가(상권)정보, {rows} rows, {inside} in the study area, {kept} knowledge-based",
        language,
        rows=_thin(counts.get("rows", 0)),
        inside=_thin(counts.get("in_study_area", 0)),
        kept=_thin(counts.get("kept", 0)),
    )


def _thin(n: int) -> str:
    """412118 → "412 118" (a thin space groups the thousands, as in the issue)."""
    return f"{n:,}".replace(",", "\u202f")


__all__ = ["CODE_COLUMNS", "read_semas", "summary"]
