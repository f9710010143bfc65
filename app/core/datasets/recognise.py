"""Recognise an official dataset by its header or fields (never by its file name).

:func:`recognise` inspects a file with the vector readers' cheap look-ups
(:func:`~app.core.formats.vector.inspect_vector`, a sample from
:func:`~app.core.formats.vector.preview_attributes`) and says which dataset it is, what
its encoding and CRS are, how many rows it has, and, for a file that looks like a
dataset but is not a usable release of it, which columns are missing. Qt-free.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from app.core.datasets.common import short_where
from app.core.datasets.model import DatasetError
from app.core.datasets.registry import (
    DATASETS,
    NATIONAL_ZONING_FIELDS,
    NPS_COLUMNS,
    SEMAS_COLUMNS,
    SEOUL_ZONING_FIELDS,
)
from app.core.formats.vector import FileInfo, ReadOptions, inspect_vector, preview_attributes

#: Columns a reader cannot do without, per dataset (the rest of the header is optional).
REQUIRED: dict[str, tuple[str, ...]] = {
    "semas": ("상호명", "표준산업분류코드", "행정동코드", "경도", "위도"),
    "nps": ("자료생성년월", "사업장명", "고객행정동주소코드", "가입자수", "적용일자"),
    "zoning-seoul": ("MLSFC_CL", "SCLAS_CL"),
    "zoning-national": ("ATRB_SE",),
}
#: A file sharing this share of a dataset's header "looks like" it.
LOOKS_LIKE = 0.5


def norm(name: str) -> str:
    """A column name compared without spaces, BOM or case."""
    return re.sub(r"[\s\ufeff]", "", str(name)).upper()


@dataclass
class Recognition:
    """What :func:`recognise` found.

    ``dataset`` is the key (``semas``, ``nps``, ``zoning``, ``greenbelt``); ``variant``
    says which schema (``seoul`` / ``national`` for the zoning files); ``columns`` maps
    the dataset's column names to the file's; ``rows`` counts the features or rows.
    """

    dataset: str
    variant: str
    info: FileInfo
    columns: dict[str, str]
    rows: int
    notes: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        """The dataset's Korean name."""
        return DATASETS[self.dataset].name_ko


def _columns(info: FileInfo) -> dict[str, str]:
    return {norm(c): c for c in info.columns}


def _share(have: dict[str, str], wanted) -> float:
    wanted = [norm(c) for c in wanted]
    return sum(1 for c in wanted if c in have) / len(wanted)


def _missing(have: dict[str, str], wanted) -> list[str]:
    return [c for c in wanted if norm(c) not in have]


def _assumed(info: FileInfo, dataset: str) -> str:
    parts = []
    if info.encoding:
        parts.append(f"{info.encoding} text")
    crs = info.crs or info.crs_guess
    if crs:
        parts.append(f"CRS {crs}")
    elif dataset in ("semas",):
        parts.append("WGS 84 경도/위도")
    return ", ".join(parts) or "nothing"


def _refuse(info: FileInfo, dataset: str, missing: list[str], what: str = "") -> DatasetError:
    spec = DATASETS[dataset]
    shown = ", ".join(missing[:6]) + (f" (and {len(missing) - 6} more)" if len(missing) > 6 else "")
    return DatasetError(
        f"{info.path.name} looks like {spec.name_ko} ({short_where(dataset)}) but "
        f"{what or 'lacks ' + shown}: an older release or another file? "
        f"assumed {_assumed(info, dataset)}; nothing was imported"
    )


def _rows(info: FileInfo) -> int:
    chosen = next((i for i in info.layers if i.name == info.layer), None) or info.layers[0]
    return int(chosen.features or 0)


def recognise(
    path: Path | str,
    forced: str | None = None,
    options: ReadOptions | None = None,
    info: FileInfo | None = None,
) -> Recognition | None:
    """Which official dataset ``path`` is.

    Parameters
    ----------
    path : path-like
        A CSV or any vector file the readers read (a zipped Shapefile included).
    forced : str, optional
        A dataset key the user chose (``--dataset``): the file must be that dataset.
    options : ReadOptions, optional
        Encoding or layer chosen by the user.
    info : FileInfo, optional
        The file's inspection when it was made already (the Add layer dialog's).

    Returns
    -------
    Recognition or None
        None when the file looks like no dataset (and none was forced).

    Raises
    ------
    DatasetError
        The file looks like a dataset (or was said to be one) but lacks columns it
        needs, or its codes are not that dataset's: one line naming what is missing and
        what was assumed.
    InputError
        The file cannot be read at all.
    """
    info = info if info is not None else inspect_vector(path, options)
    have = _columns(info)
    scores = {
        "semas": _share(have, SEMAS_COLUMNS),
        "nps": _share(have, NPS_COLUMNS),
        "zoning-seoul": _share(have, SEOUL_ZONING_FIELDS),
        "zoning-national": _share(have, NATIONAL_ZONING_FIELDS),
    }
    if forced:
        best = max(forced_candidates(forced), key=lambda k: scores[k])
    else:
        best = max(scores, key=lambda k: scores[k])
        if scores[best] < LOOKS_LIKE:
            return None
    dataset = "semas" if best == "semas" else "nps" if best == "nps" else "zoning"
    missing = _missing(have, REQUIRED[best])
    if missing:
        raise _refuse(info, forced or dataset, missing)
    columns = {c: have[norm(c)] for c in _wanted(best) if norm(c) in have}
    notes = list(info.notes)
    if dataset == "zoning":
        dataset = _zoning_or_greenbelt(info, columns, best, options)
        if forced and forced != dataset:
            raise _refuse(
                info,
                forced,
                [],
                f"its codes are {DATASETS[dataset].name_ko} codes "
                f"({'UDV100' if dataset == 'greenbelt' else 'UQA…'})",
            )
    variant = best.split("-")[1] if "-" in best else ""
    return Recognition(dataset, variant, info, columns, _rows(info), notes)


def forced_candidates(forced: str) -> list[str]:
    """The schemas a dataset key may come in."""
    if forced in ("zoning", "greenbelt"):
        return ["zoning-seoul", "zoning-national"]
    if forced in ("semas", "nps"):
        return [forced]
    raise DatasetError(f"unknown dataset {forced!r} (one of auto, {', '.join(DATASETS)})")


def _wanted(schema: str):
    return {
        "semas": SEMAS_COLUMNS,
        "nps": NPS_COLUMNS,
        "zoning-seoul": SEOUL_ZONING_FIELDS,
        "zoning-national": (*NATIONAL_ZONING_FIELDS, "DGM_AR", "NTFC_SN"),
    }[schema]


def zone_codes(frame: pd.DataFrame, columns: dict[str, str]) -> pd.Series:
    """The most precise code of each row: SCLAS_CL, else MLSFC_CL, else LCLAS_CL (Seoul)
    or ATRB_SE (national)."""
    code = pd.Series([None] * len(frame), index=frame.index, dtype=object)
    for name in ("ATRB_SE", "LCLAS_CL", "MLSFC_CL", "SCLAS_CL"):
        if name in columns:
            text = frame[columns[name]].astype("string").str.strip()
            filled = (text.notna() & (text != "")).to_numpy()
            code[filled] = text[filled].astype(object)
    return code


def _zoning_or_greenbelt(
    info: FileInfo, columns: dict[str, str], schema: str, options: ReadOptions | None
) -> str:
    """Greenbelt when the sampled codes are UD… (UDV100) or the names say 개발제한구역."""
    layer_options = ReadOptions(layer=info.layer, encoding=(options.encoding if options else None))
    sample = preview_attributes(info.path, layer_options, rows=500)
    codes = zone_codes(sample, columns).dropna().astype(str).str.upper()
    if len(codes):
        return "greenbelt" if codes.str.startswith("UD").mean() > 0.5 else "zoning"
    names = (
        sample[columns["DGM_NM"]].astype(str) if "DGM_NM" in columns else pd.Series([], dtype=str)
    )
    return "greenbelt" if names.str.contains("개발제한").mean() > 0.5 else "zoning"


__all__ = ["REQUIRED", "Recognition", "norm", "recognise", "zone_codes"]
