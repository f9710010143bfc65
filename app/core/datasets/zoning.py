"""용도지역 polygons → the zoning role: Seoul Open Data Plaza OA-21136 (fields
``PRESENT_SN, LCLAS_CL, MLSFC_CL, SCLAS_CL, DGM_NM, DGM_AR, NTFC_SN``) and the national
용도지역지구정보 layers (LSMD_CONT_UQ111 …, code in ``ATRB_SE``, name in ``DGM_NM``).

Zipped Shapefiles, CP949 without .cpg, EPSG:5174 from the .prj: all of that is read by
:func:`~app.core.formats.vector.read_vector`. The code of each polygon is its most
precise one (``SCLAS_CL``, blank on about a quarter of the Seoul rows, else
``MLSFC_CL``, else ``LCLAS_CL``; ``ATRB_SE``), translated by ``data/zoning_codes.csv``.
A class-only code (일반주거지역 UQA120 …) keeps its class name and is flagged
``zone_precise = False``; a code outside the table is kept as "unknown zone (CODE)".
Neither matches a zoning rule, so neither is ever counted as permitted
(docs/zoning.md). Qt-free.
"""

from __future__ import annotations

from collections.abc import Callable

import geopandas as gpd
import shapely

from app.core.datasets.common import dbf_date, file_date, inside, real_provenance
from app.core.datasets.model import DatasetError, DatasetLayer
from app.core.datasets.recognise import Recognition, zone_codes
from app.core.datasets.tables import zone_columns
from app.core.formats.vector import ReadOptions, read_vector
from app.core.progress import Progress
from app.core.project.roles import apply_role


def read_zoning(
    recognition: Recognition,
    area: shapely.Geometry | None,
    *,
    encoding: str | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> DatasetLayer:
    """The zoning (or greenbelt) layer of a recognised 용도지역/개발제한구역 file.

    Parameters
    ----------
    recognition : Recognition
        Dataset ``zoning`` or ``greenbelt``.
    area : shapely geometry or None
        The study area: polygons that do not reach it are left out (None: all kept).
    encoding : str, optional
        Overrides the detected encoding.
    progress, cancelled : callable, optional
        Progress report and cancel check.

    Returns
    -------
    DatasetLayer
        Role ``zoning`` (a greenbelt: no role of its own, it joins the zoning layer),
        with ``zone_code``, ``zone_label``, ``zone_precise`` and the role's
        ``zone_type``/``kind``/``name``; its own polygons are its coverage.

    Raises
    ------
    DatasetError
        No polygon has a code, or none reaches the study area.
    """
    path = recognition.info.path
    dataset = recognition.dataset
    options = ReadOptions(layer=recognition.info.layer, encoding=encoding)
    layer = read_vector(path, dataset, options=options, progress=progress, cancelled=cancelled)
    frame = layer.frame
    codes = zone_codes(frame, recognition.columns)
    if codes.isna().all():
        fields = [c for c in ("SCLAS_CL", "MLSFC_CL", "ATRB_SE") if c in recognition.columns]
        raise DatasetError(
            f"{path.name}: no polygon has a zone code in {', '.join(fields)}; nothing was imported"
        )
    zones = zone_columns(codes)
    if not zones["known"].any():
        seen = ", ".join(sorted(set(zones["zone_code"].dropna()))[:3])
        raise DatasetError(
            f"{path.name}: none of its zone codes is in the 용도지역 table ({seen}): "
            f"another 용도지역·지구 layer (UQQ… are 용도지구)? assumed "
            f"{recognition.info.encoding or 'detected'} text, CRS {layer.source_crs}; "
            "nothing was imported"
        )
    notes = list(layer.notes)
    rows = len(frame)
    keep = inside(frame, area)
    if area is not None and not keep.any():
        raise DatasetError(
            f"{path.name}: none of its {rows} polygons reaches the study area "
            "(G-Valley, Magok, Yangjae); nothing was imported"
        )
    frame = frame.assign(
        zone_code=zones["zone_code"].to_numpy(),
        zone_label=zones["zone_label"].to_numpy(),
        zone_precise=zones["zone_precise"].to_numpy(),
    )[keep].reset_index(drop=True)
    known = zones["known"].to_numpy()[keep]
    blank = frame["zone_code"].isna().to_numpy()
    unknown = ~known & ~blank
    coarse = known & ~frame["zone_precise"].to_numpy()
    if "SCLAS_CL" in recognition.columns:
        sclas = frame[recognition.columns["SCLAS_CL"]].astype("string").str.strip()
        fallback = int((sclas.isna() | (sclas == "")).to_numpy()[~blank].sum())
        if fallback:
            notes.append(
                f"{path.name}: {fallback} of {len(frame)} polygons have no SCLAS_CL: "
                "their MLSFC_CL (or LCLAS_CL) code is used"
            )
    if coarse.any():
        notes.append(
            f"{path.name}: {int(coarse.sum())} polygons have only a class code "
            f"({', '.join(sorted(set(frame['zone_code'][coarse])))}): less precise, "
            "matched by no zoning rule (not permitted)"
        )
    if unknown.any():
        codes_text = ", ".join(sorted(set(frame["zone_code"][unknown]))[:5])
        notes.append(
            f"{path.name}: {int(unknown.sum())} polygons have codes outside the 용도지역 "
            f"table ({codes_text}): kept as 'unknown zone (code)', never counted as permitted"
        )
    if blank.any():
        frame.loc[blank, "zone_label"] = "unknown zone (no code)"
        notes.append(f"{path.name}: {int(blank.sum())} polygons have no zone code")
    role = apply_role(frame, "zoning", {"zone_name": "zone_label"}, path.name)
    out = role.frame
    out["name"] = frame["zone_label"].to_numpy()
    notes += [n for n in role.notes if "zone names not in the rules table" not in n]
    stamp = dbf_date(path)
    vintage, where = (stamp, "dbf header") if stamp else file_date(path)
    counts = {"rows": rows, "in_study_area": int(keep.sum()), "kept": len(out)}
    what = "greenbelt polygons" if dataset == "greenbelt" else "zone polygons"
    provenance = real_provenance(
        dataset,
        path,
        vintage,
        where,
        f"{counts['kept']} of {rows} {what} reach the study area; codes translated by "
        "data/zoning_codes.csv; unknown codes kept as 'unknown zone (code)'",
    )
    title = "개발제한구역" if dataset == "greenbelt" else "용도지역"
    return DatasetLayer(
        dataset,
        gpd.GeoDataFrame(out, geometry=frame.geometry.name, crs=frame.crs),
        None if dataset == "greenbelt" else "zoning",
        f"{title} {vintage}",
        provenance,
        counts,
        notes,
        polygons_cover=True,
        name_hint="greenbelt" if dataset == "greenbelt" else "zoning_real",
        reader_notes=len(layer.notes),
    )


def summary(layer: DatasetLayer, language: str = "en") -> str:
    """ "용도지역, 8 000 polygons, 1 234 in the study area"."""
    from app.core.datasets.semas import _thin
    from app.core.i18n_catalog import translate

    name = "개발제한구역" if layer.dataset == "greenbelt" else "용도지역"
    return translate(
        "{name}, {rows} polygons, {inside} in the study area",
        language,
        name=name,
        rows=_thin(layer.counts.get("rows", 0)),
        inside=_thin(layer.counts.get("in_study_area", 0)),
    )


__all__ = ["read_zoning", "summary"]
