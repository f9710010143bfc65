"""Hostile archives and sidecars for the bad-input corpus (tests/bad_inputs.py).

Zip bombs are written without ever holding or writing their unpacked size: a raw deflate
block of 1 MiB of zeros, flushed so that it stands alone, is repeated (a 3 GiB member
is about 3 MB on disk), and the zip's headers are written by hand. Forged headers
declare sizes the data does not have. A huge plain sidecar is a sparse file (its size on
disk is a few bytes). See docs/inputs.md for the limits these cases cross.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path

_MIB = 1 << 20


def deflated(mib: int, fill: bytes = b"\0", head: bytes = b"") -> tuple[bytes, int, int]:
    """Raw deflate data that unpacks to ``head`` then ``mib`` MiB of ``fill`` bytes, with
    the unpacked size and CRC-32: each MiB is one stand-alone block, repeated."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = compressor.compress(head) + compressor.flush(zlib.Z_FULL_FLUSH)
    chunk = fill * _MIB
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    crc = zlib.crc32(head)
    for _ in range(mib):
        crc = zlib.crc32(chunk, crc)
    return first + block * mib + compressor.flush(), len(head) + mib * _MIB, crc


def raw_zip(path: Path, members: list[tuple[str, bytes, int, int, int]]) -> Path:
    """A zip written header by header: ``(name, data, method, declared unpacked size,
    crc)`` per member (method 0 stored, 8 deflated), the compressed size being
    ``len(data)``; sizes are written as given (forged when they do not match)."""
    body, directory = bytearray(), bytearray()
    for name, data, method, size, crc in members:
        encoded, offset = name.encode("utf-8"), len(body)
        fields = (method, 0, 0x21, crc, len(data), size, len(encoded))
        body += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0x800, *fields, 0) + encoded + data
        directory += struct.pack(
            "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0x800, *fields, 0, 0, 0, 0, 0, offset
        )
        directory += encoded
    end = struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(directory), len(body), 0
    )
    path.write_bytes(bytes(body + directory + end))
    return path


def _shapefile_members(shp: Path, prefix: str = "") -> list[tuple[str, bytes, int, int, int]]:
    """The parts of a real shapefile, stored, as :func:`raw_zip` members."""
    members = []
    for suffix in (".shp", ".shx", ".dbf", ".prj"):
        data = shp.with_suffix(suffix).read_bytes()
        members.append((prefix + shp.stem + suffix, data, 0, len(data), zlib.crc32(data)))
    return members


def zip_cases(folder: Path, shp: Path) -> list[tuple[str, Path, str]]:
    """Write the hostile archives next to ``shp`` (a small good shapefile with .prj);
    ``(case name, path, pattern of the one-line refusal)`` each."""
    folder = Path(folder)
    cases = []
    stem = shp.stem
    good = _shapefile_members(shp)

    bomb, size, crc = deflated(3 * 1024)  # 3 GiB of zeros in about 3 MB
    raw_zip(folder / "cpg_bomb.zip", [*good, (f"{stem}.cpg", bomb, 8, size, crc)])
    cases.append(
        (
            "zip bomb: a 3 GiB .cpg",
            folder / "cpg_bomb.zip",
            rf"refused before reading: {stem}\.cpg unpacks to 3\.0 GiB \(a \.cpg file holds "
            r"at most 1\.0 MiB\)",
        )
    )
    wkt = shp.with_suffix(".prj").read_bytes()  # a valid CRS, then 1 GiB of spaces
    bomb, size, crc = deflated(1024, b" ", head=wkt)
    prj = [m for m in good if not m[0].endswith(".prj")] + [(f"{stem}.prj", bomb, 8, size, crc)]
    raw_zip(folder / "prj_bomb.zip", prj)
    cases.append(
        (
            "zip bomb: a 1 GiB .prj (GDAL reads it whole)",
            folder / "prj_bomb.zip",
            rf"refused before reading: {stem}\.prj unpacks to 1\.0 GiB \(a \.prj file holds",
        )
    )
    bomb, size, crc = deflated(1024)
    dbf = [m for m in good if not m[0].endswith(".dbf")] + [(f"{stem}.dbf", bomb, 8, size, crc)]
    raw_zip(folder / "dbf_bomb.zip", dbf)
    cases.append(
        (
            "zip bomb: a 1 GiB .dbf from 1 MB",
            folder / "dbf_bomb.zip",
            rf"refused before reading: {stem}\.dbf unpacks to 1\.0 GiB from 1\.0 MiB "
            r"\(\d+:1; at most 200:1 .*zip bomb",
        )
    )
    # 41 members of 60 MiB each, as their (forged) headers say: none is a bomb alone
    forged = [(f"extra{i}.bin", b"x" * 16, 0, 60 * _MIB, 0) for i in range(41)]
    raw_zip(folder / "forged_total.zip", [*good, *forged])
    cases.append(
        (
            "zip declaring 2.4 GiB in all (forged headers)",
            folder / "forged_total.zip",
            r"refused before reading: it unpacks to 2\.4 GiB \(at most 2\.0 GiB\)",
        )
    )
    raw_zip(folder / "slip.zip", _shapefile_members(shp, prefix="../"))
    cases.append(
        (
            "zip-slip member names ('../')",
            folder / "slip.zip",
            r"refused before reading: the member '\.\./.*' points outside the archive",
        )
    )
    with zipfile.ZipFile(folder / "many_members.zip", "w") as archive:
        for name, data, *_ in good:
            archive.writestr(name, data)
        for i in range(10_001):
            archive.writestr(f"empty/{i}.txt", b"")
    cases.append(
        (
            "zip with 10 005 members",
            folder / "many_members.zip",
            r"refused before reading: 10005 files inside \(at most 10000\)",
        )
    )
    return cases


def sparse_sidecar_shapefile(folder: Path, shp: Path, suffix: str, size: int) -> Path:
    """A copy of ``shp`` whose ``suffix`` sidecar is a sparse file of ``size`` bytes."""
    stem = f"huge{suffix.replace('.', '_')}"
    for part in (".shp", ".shx", ".dbf", ".prj", ".cpg"):
        source = shp.with_suffix(part)
        if source.exists():
            (folder / f"{stem}{part}").write_bytes(source.read_bytes())
    with (folder / f"{stem}{suffix}").open("wb") as handle:
        handle.truncate(size)  # sparse: no data block is written
    return folder / f"{stem}.shp"
