"""Size limits on what an import reads, checked before anything is read (docs/inputs.md).

A .zip is checked from its central directory alone (nothing is decompressed): member
names, number of members, total uncompressed size, each sidecar's size and the
compression ratio of large members. A sidecar file (.cpg, .prj, .qmd, .qml) next to a
shapefile is checked by its size on disk, and every sidecar is read with
:func:`read_capped`, so a file that grows (or a zip member whose header lies) is still
never read past its limit. A file over a limit is refused with one line.
"""

from __future__ import annotations

import zipfile
from pathlib import Path, PurePosixPath
from typing import IO

from app.core.formats.vector.model import InputError

#: The largest sidecar InnoAtlas or GDAL reads whole, by suffix (a .cpg names an
#: encoding, a .prj holds one CRS in a few kB, a .qml/.qmd a style or metadata).
SIDECAR_LIMITS: dict[str, int] = {
    ".cpg": 1 << 20,
    ".prj": 1 << 20,
    ".qmd": 16 << 20,
    ".qml": 16 << 20,
}
#: At most this many uncompressed bytes in all the members of a .zip together.
ZIP_MAX_TOTAL_BYTES = 2 << 30
#: At most this many members (files and folders) in a .zip.
ZIP_MAX_MEMBERS = 10_000
#: A member larger than :data:`ZIP_RATIO_FLOOR_BYTES` uncompressed may be at most this
#: many times smaller compressed (real shapefiles: 1.5 to 30; a zip bomb: about 1000).
ZIP_MAX_RATIO = 200
ZIP_RATIO_FLOOR_BYTES = 64 << 20


def size_text(size: int) -> str:
    """``size`` bytes in binary units, as people read them (``4.0 GiB``, ``12 bytes``)."""
    value = float(size)
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{size} bytes" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GiB"  # pragma: no cover (the loop always returns)


def _sidecar_limit(name: str) -> int | None:
    return SIDECAR_LIMITS.get(PurePosixPath(name).suffix.lower())


def unsafe_member(name: str) -> bool:
    """True for a member name that points outside the archive (``..``, absolute, drive)."""
    text = name.replace("\\", "/")
    parts = PurePosixPath(text).parts
    drive = len(text) > 1 and text[0].isalpha() and text[1] == ":"
    return text.startswith("/") or ".." in parts or drive


def _zip_entries(path: Path) -> int | None:
    """The number of members a .zip's end record declares (None when there is none)."""
    try:
        with path.open("rb") as handle:
            size = handle.seek(0, 2)
            handle.seek(max(0, size - (1 << 16) - 22))
            tail = handle.read()
            end = tail.rfind(b"PK\x05\x06")
            if end < 0 or len(tail) < end + 22:
                return None
            count = int.from_bytes(tail[end + 10 : end + 12], "little")
            locator = tail.rfind(b"PK\x06\x07", 0, end)
            if count == 0xFFFF and locator >= 0 and len(tail) >= locator + 16:  # zip64
                handle.seek(int.from_bytes(tail[locator + 8 : locator + 16], "little"))
                record = handle.read(56)
                if record[:4] == b"PK\x06\x06" and len(record) == 56:
                    count = int.from_bytes(record[32:40], "little")
            return count
    except OSError:
        return None


def check_zip(path: Path, what: str) -> None:
    """Refuse a .zip whose directory breaks a limit, before any member is read.

    Parameters
    ----------
    path : Path
        The .zip file.
    what : str
        What the file is for, for the message (``"input"``, ``"startups"`` ...).

    Raises
    ------
    InputError
        One line naming the file, the member and the limit. A file that is not a zip
        archive passes: GDAL's own message then says so.
    """
    refused = f"{what} file {path} refused before reading"
    count = _zip_entries(path)  # before zipfile builds one object per member
    if count is not None and count > ZIP_MAX_MEMBERS:
        raise InputError(f"{refused}: {count} files inside (at most {ZIP_MAX_MEMBERS})")
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return
    if len(members) > ZIP_MAX_MEMBERS:
        raise InputError(f"{refused}: {len(members)} files inside (at most {ZIP_MAX_MEMBERS})")
    for member in members:
        if unsafe_member(member.filename):
            raise InputError(
                f"{refused}: the member {member.filename!r} points outside the archive "
                "(a '..' or absolute path)"
            )
    for member in members:
        limit = _sidecar_limit(member.filename)
        if limit is not None and member.file_size > limit:
            raise InputError(
                f"{refused}: {member.filename} unpacks to {size_text(member.file_size)} "
                f"(a {PurePosixPath(member.filename).suffix.lower()} file holds at most "
                f"{size_text(limit)})"
            )
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > ZIP_RATIO_FLOOR_BYTES and ratio > ZIP_MAX_RATIO:
            raise InputError(
                f"{refused}: {member.filename} unpacks to {size_text(member.file_size)} "
                f"from {size_text(member.compress_size)} ({ratio:.0f}:1; at most "
                f"{ZIP_MAX_RATIO}:1 above {size_text(ZIP_RATIO_FLOOR_BYTES)}): a zip bomb?"
            )
    total = sum(member.file_size for member in members)
    if total > ZIP_MAX_TOTAL_BYTES:
        raise InputError(
            f"{refused}: it unpacks to {size_text(total)} "
            f"(at most {size_text(ZIP_MAX_TOTAL_BYTES)})"
        )


def check_sidecars(path: Path, what: str) -> None:
    """Refuse a shapefile whose .cpg, .prj, .qmd or .qml next to it is over its limit."""
    for suffix, limit in SIDECAR_LIMITS.items():
        for candidate in (path.with_suffix(suffix), path.with_suffix(suffix.upper())):
            try:
                size = candidate.stat().st_size
            except OSError:
                continue
            if size > limit:
                raise InputError(
                    f"{what} file {path} refused before reading: its {candidate.name} is "
                    f"{size_text(size)} (a {suffix} file holds at most {size_text(limit)})"
                )


def read_capped(source: Path | IO[bytes], name: str) -> bytes:
    """The bytes of a sidecar (a path, or an open zip member), never more than its limit.

    Raises
    ------
    InputError
        The sidecar is longer than its limit (its header or size on disk said otherwise).
    """
    limit = _sidecar_limit(name) or min(SIDECAR_LIMITS.values())
    if isinstance(source, Path):
        with source.open("rb") as handle:
            data = handle.read(limit + 1)
    else:
        data = source.read(limit + 1)
    if len(data) > limit:
        raise InputError(f"{name} is longer than {size_text(limit)}: refused, not read")
    return data
