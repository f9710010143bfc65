"""Text encoding of shapefiles (.dbf, .cpg, also inside a .zip) and CSV files: UTF-8 when
the text bytes are valid UTF-8, else CP949 (which includes EUC-KR), else ISO-8859-1; a
.cpg that names the wrong encoding is overruled with a note (docs/zoning.md).
"""

from __future__ import annotations

import codecs
import zipfile
from pathlib import Path

from app.core.formats.vector.limits import read_capped
from app.core.formats.vector.model import _SAMPLE_BYTES, InputError
from app.core.formats.vector.paths import _sibling, _zip_shapefile


def _codec(name: str) -> str | None:
    """Python's name for an encoding name as written in .cpg files, or None."""
    text = name.strip().strip("\ufeff").strip()
    if not text:
        return None
    upper = text.upper().replace("ANSI ", "CP").replace("WINDOWS-", "CP")
    if upper.isdigit():
        upper = "UTF-8" if upper == "65001" else f"CP{upper}"
    try:
        return codecs.lookup(upper).name
    except LookupError:
        return None


def _display(codec: str) -> str:
    return {
        "utf-8": "UTF-8",
        "cp949": "CP949",
        "euc_kr": "EUC-KR",
        "latin-1": "ISO-8859-1",
        "iso8859-1": "ISO-8859-1",
        "utf-8-sig": "UTF-8",
    }.get(codec, codec.upper())


def gdal_encoding(codec: str | None) -> str | None:
    """The name to give GDAL for a Python codec (None stays None).

    GDAL recodes through iconv, which does not know Python's ``latin-1`` or ``euc_kr``:
    it then leaves the text as the file's bytes (invalid UTF-8). ``ISO-8859-1``,
    ``EUC-KR``, ``CP949`` and ``UTF-8`` are names both know.
    """
    return None if codec is None else _display(codec)


def _decodes(data: bytes, codec: str) -> bool:
    try:
        codecs.getincrementaldecoder(codec)().decode(data, final=False)  # sample may cut
        return True
    except UnicodeDecodeError:
        return False


def _detect(data: bytes) -> str:
    """UTF-8 when the bytes are valid UTF-8 (or ASCII), else CP949, else ISO-8859-1."""
    if _decodes(data, "utf-8"):
        return "utf-8"
    if _decodes(data, "cp949"):
        return "cp949"
    return "latin-1"


def _field_names(descriptors: bytes) -> bytes:
    """The field names of a .dbf's field descriptors (32 bytes each, up to the 0x0D that
    ends them), each followed by a NUL: their widths, types and flags are not text (a
    text field 128 bytes wide or more has a width byte no encoding decodes)."""
    names = []
    for start in range(0, len(descriptors) - 31, 32):
        if descriptors[start] == 0x0D:
            break
        names.append(descriptors[start : start + 11].split(b"\0", 1)[0])
    return b"\0".join(names) + b"\0"


def _dbf_sample(handle) -> bytes:
    """The field names and the first records of a .dbf open at its start: the bytes that
    hold text."""
    head = handle.read(32)
    header_length = int.from_bytes(head[8:10], "little") if len(head) >= 32 else 32
    names = _field_names(handle.read(max(header_length - 32, 0)))
    return names + handle.read(_SAMPLE_BYTES)


def _dbf_text(dbf: Path) -> bytes:
    """The field names and the first records of a .dbf: the bytes that hold text."""
    with dbf.open("rb") as handle:
        return _dbf_sample(handle)


def _choose_encoding(
    name: str, data: bytes, declared: str | None, source: str, user: str | None
) -> tuple[str, str]:
    """The codec to read with and the note explaining it ('' when nothing to say).

    ``declared`` is the encoding a .cpg names (``source`` says where it came from).
    """
    if user is not None:
        codec = _codec(user)
        if codec is None:
            raise InputError(f"unknown text encoding {user!r} for {name} (try UTF-8 or CP949)")
        return codec, ""
    detected = _detect(data)
    plain_ascii = _decodes(data, "ascii")
    if declared is not None:
        codec = _codec(declared)
        if codec is None:
            return detected, (
                f"{name}: {source} names an unknown encoding "
                f"{declared.strip()!r}: read as {_display(detected)}"
            )
        if plain_ascii or (
            _decodes(data, codec) and not (detected == "utf-8" and codec != "utf-8")
        ):
            return codec, ""
        return detected, (
            f"{name}: {source} says {_display(codec)} but the text is "
            f"{'not ' + _display(codec) if detected != 'utf-8' else 'UTF-8'}:"
            f" read as {_display(detected)}"
        )
    if detected == "cp949":
        return detected, f"{name}: no .cpg file: text is not valid UTF-8, read as CP949"
    if detected == "latin-1":
        return detected, (
            f"{name}: no .cpg file: text is neither UTF-8 nor CP949, read as "
            "ISO-8859-1 (choose the encoding if it looks garbled)"
        )
    return detected, ""


def _shapefile_encoding(path: Path, user: str | None) -> tuple[str | None, str]:
    """Encoding of a .shp/.dbf (see :func:`_choose_encoding`); None when not a shapefile."""
    if path.suffix.lower() == ".zip":
        parts = _zip_shapefile(path)
        if ".dbf" not in parts:
            return None, ""
        with zipfile.ZipFile(path) as archive:
            with archive.open(parts[".dbf"]) as handle:
                data = _dbf_sample(handle)
            declared = None
            if ".cpg" in parts:  # at most its limit, whatever its header says
                with archive.open(parts[".cpg"]) as handle:
                    declared = read_capped(handle, parts[".cpg"]).decode("latin-1")
        stem = Path(parts[".shp"]).stem
        return _choose_encoding(path.name, data, declared, f"{stem}.cpg", user)
    if path.suffix.lower() not in {".shp", ".dbf"}:
        return None, ""
    dbf = path if path.suffix.lower() == ".dbf" else _sibling(path, ".dbf")
    if dbf is None:
        return None, ""
    cpg = _sibling(path, ".cpg")
    declared = read_capped(cpg, cpg.name).decode("latin-1") if cpg is not None else None
    return _choose_encoding(path.name, _dbf_text(dbf), declared, f"{path.stem}.cpg", user)


def _csv_encoding(path: Path, user: str | None) -> tuple[str, str]:
    with path.open("rb") as handle:
        data = handle.read(_SAMPLE_BYTES)
    if user is None and data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", ""
    codec, note = _choose_encoding(path.name, data, None, "", user)
    return codec, note.replace("no .cpg file: ", "")
