"""Point shapefiles read with numpy (``shp_points``) give the same layer as GDAL's Arrow
stream (values, dtypes, column order, CRS, notes, nulls), for files GDAL writes and for
hand-made .dbf/.shp bytes (Korean text cut in a character, deleted records, blanks, dates,
logicals, null shapes); anything else, hostile files included, goes to GDAL as before."""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pyproj
import pytest
import shapely

from app.core.formats.vector import read as vector_read
from app.core.formats.vector import shp_points
from app.core.formats.vector.model import InputError, ReadOptions
from app.core.formats.vector.read import read_vector
from app.core.progress import Cancelled

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")  # GDAL's parse warnings

NAMES = ["한빛랩", "서울바이오", "마곡테크", "양재AI", "판교로보", "  앞뒤 공백  "]


def _points(n: int, seed: int = 3) -> gpd.GeoDataFrame:
    rng = np.random.default_rng(seed)
    xy = np.array([948_500.0, 1_942_300.0]) + rng.normal(0, 1500, (n, 2))
    sector = np.array([NAMES[i % 6] for i in range(n)], dtype=object)
    sector[::7] = None
    return gpd.GeoDataFrame(
        {
            "상호": [NAMES[i % 6] + str(i) for i in range(n)],
            "업종": sector,
            "종사자수": rng.integers(1, 50, n).astype("int32"),
            "큰수": rng.integers(-(10**12), 10**12, n),
            "매출": rng.random(n) * 1000,
            "설립일": pd.to_datetime("2020-01-01") + pd.to_timedelta(rng.integers(0, 900, n), "D"),
        },
        geometry=shapely.points(xy),
        crs="EPSG:5179",
    )


def _outcome(path: Path, **kwargs):
    """The layer read_vector makes of ``path``, or the InputError's message."""
    try:
        return read_vector(path, "start-ups", **kwargs)
    except InputError as err:
        return f"InputError: {err}"


def _both(monkeypatch, path: Path, **kwargs):
    fast = _outcome(path, **kwargs)
    with monkeypatch.context() as patch:
        patch.setattr(vector_read, "SHP_POINT_SUFFIXES", set())  # today's Arrow reader
        slow = _outcome(path, **kwargs)
    return fast, slow


def _same(fast, slow) -> None:
    if isinstance(slow, str) or isinstance(fast, str):
        assert fast == slow
        return
    pd.testing.assert_frame_equal(
        fast.frame.drop(columns="geometry"), slow.frame.drop(columns="geometry")
    )
    assert list(fast.frame.columns) == list(slow.frame.columns)
    assert fast.frame.crs == slow.frame.crs
    fast_geoms = np.asarray(fast.frame.geometry.values, dtype=object)
    slow_geoms = np.asarray(slow.frame.geometry.values, dtype=object)
    assert (shapely.is_missing(fast_geoms) == shapely.is_missing(slow_geoms)).all()
    assert shapely.equals_exact(fast_geoms, slow_geoms, 0)[~shapely.is_missing(slow_geoms)].all()
    assert (fast.notes, fast.source_crs, fast.encoding) == (
        slow.notes,
        slow.source_crs,
        slow.encoding,
    )
    assert (fast.xy is None) == (slow.xy is None)
    if fast.xy is not None:
        np.testing.assert_array_equal(fast.xy, slow.xy)


def _direct(path: Path, encoding: str, columns=None):
    """The numpy reader alone (None: it leaves the file to GDAL)."""
    info = pyogrio.read_info(path, encoding=encoding)
    fields = [str(f) for f in info["fields"]]
    return shp_points.read_shp_points(
        path, path, encoding, fields, columns, int(info["features"]), None, None
    )


# hand-made shapefiles ---------------------------------------------------------------


def _dbf(fields, rows, deleted=(), count=None, header_length=None, record_length=None) -> bytes:
    """A dBASE III table: ``fields`` (name, type, width, decimals), ``rows`` of raw cell
    bytes (numbers padded on the left, the rest on the right)."""
    length = 1 + sum(width for _, _, width, _ in fields)
    head = struct.pack(
        "<BBBBIHH20x",
        3,
        124,
        1,
        1,
        len(rows) if count is None else count,
        32 + 32 * len(fields) + 1 if header_length is None else header_length,
        length if record_length is None else record_length,
    )
    out = bytearray(head)
    for name, kind, width, decimals in fields:
        out += name.ljust(11, b"\0")[:11] + kind.encode() + bytes(4)
        out += bytes([width, decimals]) + bytes(14)
    out += b"\r"
    for i, row in enumerate(rows):
        out += b"*" if i in deleted else b" "
        for (_, kind, width, _), value in zip(fields, row, strict=True):
            out += (value.rjust(width) if kind in "NF" else value.ljust(width))[:width]
    return bytes(out + b"\x1a")


def _shp(xy, nulls=()) -> tuple[bytes, bytes]:
    """A Point .shp and its .shx (records in ``nulls`` are null shapes)."""
    records, index, offset = bytearray(), bytearray(), 50
    for i, (x, y) in enumerate(xy):
        content = struct.pack("<i", 0) if i in nulls else struct.pack("<idd", 1, x, y)
        records += struct.pack(">ii", i + 1, len(content) // 2) + content
        index += struct.pack(">ii", offset, len(content) // 2)
        offset += 4 + len(content) // 2
    box = np.asarray(xy).reshape(-1, 2)
    bbox = (*box.min(axis=0), *box.max(axis=0)) if len(box) else (0.0,) * 4

    def header(size: int) -> bytes:
        return struct.pack(">i20xi", 9994, size // 2) + struct.pack(
            "<ii8d", 1000, 1, *bbox, 0, 0, 0, 0
        )

    return header(100 + len(records)) + bytes(records), header(100 + len(index)) + bytes(index)


def _write(folder: Path, stem: str, fields, rows, nulls=(), cpg=None, **dbf) -> Path:
    xy = [(948_500.0 + 10 * i, 1_942_300.0 - 5 * i) for i in range(len(rows))]
    shp, shx = _shp(xy, nulls)
    (folder / f"{stem}.shp").write_bytes(shp)
    (folder / f"{stem}.shx").write_bytes(shx)
    (folder / f"{stem}.dbf").write_bytes(_dbf(fields, rows, **dbf))
    (folder / f"{stem}.prj").write_text(pyproj.CRS("EPSG:5179").to_wkt("WKT1_ESRI"))
    if cpg is not None:
        (folder / f"{stem}.cpg").write_text(cpg)
    return folder / f"{stem}.shp"


KOREAN = "한빛".encode("cp949")
FIELDS = [
    (b"NAME", "C", 8, 0),
    (b"EMP", "N", 5, 0),
    (b"BIG", "N", 12, 0),
    (b"SALES", "N", 10, 3),
    (b"RATE", "F", 8, 2),
    (b"FOUNDED", "D", 8, 0),
    (b"OPEN", "L", 1, 0),
]
ROWS = [
    [KOREAN + b"\xb7\xa6", b"12", b"123456789012", b"1.5", b"2.25", b"20200131", b"T"],
    [b"  ab  ", b"", b"", b"", b"", b"", b"?"],
    [KOREAN + b"\xb7", b"-3", b"-1", b"-0.125", b" 1e3", b"00000000", b"F"],  # cut 랩
    [b"a\0b", b"***", b"7", b"1.2345", b"-0.5", b"        ", b"y"],
    [b"", b"5", b"0", b"12", b".5", b"19991231", b" "],
    [b"\xff\xfe", b"9", b"1", b"1", b"1", b"20240229", b"N"],  # bytes CP949 lacks
    [b"deleted", b"1.7", b"x", b"abc", b"", b"2021021", b"n"],  # GDAL skips it
]


# files GDAL writes -----------------------------------------------------------------


def test_cp949_points_equal_the_arrow_reader(monkeypatch, tmp_path):
    frame = _points(2500)
    frame.loc[7, "geometry"] = shapely.Point(3_000_000.0, 1_900_000.0)  # far outside Korea
    path = tmp_path / "startups.shp"
    pyogrio.write_dataframe(frame, path, encoding="CP949")
    path.with_suffix(".cpg").unlink()  # as Korean portals ship them: CP949, no .cpg
    assert isinstance(_direct(path, "cp949"), shp_points.XYPoints)  # the numpy reader
    monkeypatch.setattr(shp_points, "CHUNK_ROWS", 1000)
    fast, slow = _both(monkeypatch, path)
    _same(fast, slow)
    assert fast.frame["상호"].tolist()[:3] == ["한빛랩0", "서울바이오1", "마곡테크2"]
    assert fast.frame["업종"].isna().sum() > 300  # empty text: null, as GDAL reads it
    assert fast.encoding == "CP949" and any("outside Korea" in n for n in fast.notes)
    for options in (
        ReadOptions(columns=("종사자수", "상호")),
        ReadOptions(columns=("없는열",)),  # no attribute at all
        ReadOptions(make_points=False),
    ):
        _same(*_both(monkeypatch, path, options=options))
    only = read_vector(path, options=ReadOptions(columns=("종사자수", "상호")))
    assert list(only.frame.columns) == ["상호", "종사자수", "geometry"]


def test_utf8_cpg_points_equal_the_arrow_reader(monkeypatch, tmp_path):
    path = tmp_path / "utf8.shp"
    frame = _points(300).rename(columns={"종사자수": "직원"})  # names of at most 10 bytes
    pyogrio.write_dataframe(frame, path, encoding="UTF-8")
    assert path.with_suffix(".cpg").read_text().strip().upper().replace("-", "") == "UTF8"
    assert isinstance(_direct(path, "utf-8"), shp_points.XYPoints)
    fast, slow = _both(monkeypatch, path)
    _same(fast, slow)
    assert fast.encoding == "UTF-8" and fast.frame["상호"][1] == "서울바이오1"


def test_progress_and_cancel_between_chunks(monkeypatch, tmp_path):
    path = tmp_path / "many.shp"
    pyogrio.write_dataframe(_points(3500), path, encoding="CP949")
    monkeypatch.setattr(shp_points, "CHUNK_ROWS", 1000)
    seen: list[tuple[float, str]] = []
    layer = read_vector(path, progress=lambda f, m: seen.append((f, m)))
    assert len(layer.frame) == 3500
    fractions = [f for f, _ in seen]
    assert len(seen) >= 5 and fractions == sorted(fractions) and fractions[-1] == 1.0
    assert "reading many.shp: 2000 of 3500 features" in [m for _, m in seen]
    calls: list[int] = []
    with pytest.raises(Cancelled, match="cancelled"):
        read_vector(path, cancelled=lambda: calls.append(1) or len(calls) > 2)
    assert len(calls) == 3  # two chunks read, the third never started


# hand-made files -------------------------------------------------------------------


def test_hand_made_dbf_cells_read_as_gdal_reads_them(monkeypatch, tmp_path):
    rows = ROWS[:6] + [ROWS[6]]
    path = _write(tmp_path, "cells", FIELDS, rows, deleted={6})
    direct = _direct(path, "cp949")
    assert isinstance(direct, shp_points.XYPoints) and len(direct) == 6  # deleted skipped
    # bytes that are not CP949 make the detection say ISO-8859-1 (each byte a letter)
    fast, slow = _both(monkeypatch, path)
    _same(fast, slow)
    assert fast.encoding == "ISO-8859-1" and fast.frame["NAME"][5] == "ÿþ"
    # the user's choice of CP949 reads them as GDAL does: what does not decode is skipped
    fast, slow = _both(monkeypatch, path, options=ReadOptions(encoding="CP949"))
    _same(fast, slow)
    frame = fast.frame.drop(columns="geometry")
    # text trimmed, cut at a NUL, blank -> null; a cut 랩 and bytes CP949 lacks skipped
    assert frame["NAME"].isna().tolist() == [False] * 4 + [True, False]
    assert frame["NAME"].fillna("-").tolist() == ["한빛랩", "ab", "한빛", "a", "-", ""]
    values = frame.drop(columns=["NAME", "FOUNDED"]).fillna(-99.0).to_dict("list")
    assert values == {
        "EMP": [12.0, -99.0, -3.0, -99.0, 5.0, 9.0],  # blank or *** -> null
        "BIG": [123456789012.0, -99.0, -1.0, 7.0, 0.0, 1.0],
        "SALES": [1.5, -99.0, -0.125, 1.2345, 12.0, 1.0],
        "RATE": [2.25, -99.0, 1000.0, -0.5, 0.5, 1.0],
        "OPEN": [1.0, -99.0, 0.0, 1.0, 0.0, 0.0],  # T/y true, ? null, else false
    }
    assert frame["FOUNDED"].dt.strftime("%Y-%m-%d").fillna("-").tolist() == [
        "2020-01-31",
        "-",
        "-",
        "-",
        "1999-12-31",
        "2024-02-29",
    ]


def test_null_shapes_and_a_utf8_cpg_with_a_cut_character(monkeypatch, tmp_path):
    fields = [(b"NAME", "C", 5, 0), (b"EMP", "N", 3, 0)]
    rows = [[KOREAN + b"\xb7\xa6", b"1"], [b"ok", b"2"], [b"x", b"3"], [b"", b"4"], [b"y", b"5"]]
    path = _write(tmp_path, "nulls", fields, rows, nulls={1, 3})
    monkeypatch.setattr(shp_points, "CHUNK_ROWS", 3)  # records read in two chunks
    direct = _direct(path, "cp949")
    assert isinstance(direct, gpd.GeoDataFrame) and direct.geometry.isna().sum() == 2
    fast, slow = _both(monkeypatch, path, options=ReadOptions(encoding="CP949"))
    _same(fast, slow)
    assert fast.frame["NAME"].tolist() == ["한빛", "x", "y"]
    assert fast.frame["EMP"].tolist() == [1, 3, 5]
    assert any("2 features without geometry" in n for n in fast.notes)
    bare = ReadOptions(encoding="CP949", columns=("없는열",))  # null shapes, no attribute
    _same(*_both(monkeypatch, path, options=bare))
    text = "서울한빛".encode()  # 12 bytes in a 10-byte field: 빛 cut after its first byte
    fields = [(b"NAME", "C", 10, 0), (b"EMP", "N", 3, 0)]
    utf8 = _write(tmp_path, "cut", fields, [[text, b"1"], ["마곡".encode(), b"2"]], cpg="UTF-8")
    assert _direct(utf8, "utf-8") is None  # invalid UTF-8: GDAL's outcome, as before
    valid = _write(tmp_path, "valid", fields, [["서울".encode(), b"1"], [b"", b"2"]], cpg="UTF-8")
    assert isinstance(_direct(valid, "utf-8"), shp_points.XYPoints)
    fast, slow = _both(monkeypatch, valid)
    _same(fast, slow)
    assert fast.encoding == "UTF-8" and fast.frame["NAME"].tolist()[0] == "서울"


def test_what_gdal_parses_loosely_is_left_to_gdal(monkeypatch, tmp_path):
    fields = [(b"EMP", "N", 5, 0), (b"SALES", "N", 10, 3), (b"FOUNDED", "D", 8, 0)]
    good = [b"1", b"1.5", b"20200101"]
    for odd in (
        [b"1.7", b"1", b"20200101"],
        [b"+5", b"1", b"20200101"],
        [b"1", b"abc", b"20200101"],
        [b"1", b"1", b"20210230"],
        [b"1", b"1", b"2021021"],
    ):
        path = _write(tmp_path, "loose", fields, [good, odd])
        assert _direct(path, "cp949") is None
        _same(*_both(monkeypatch, path))


def test_zero_records_and_other_shapes_go_to_gdal(monkeypatch, tmp_path):
    path = _write(tmp_path, "none", FIELDS, [])
    assert _direct(path, "cp949") is None
    fast, slow = _both(monkeypatch, path)
    assert fast == slow and "no features" in fast
    areas = tmp_path / "areas.shp"
    pyogrio.write_dataframe(
        gpd.GeoDataFrame({"n": range(20)}, geometry=_points(20).buffer(30.0)), areas
    )
    assert _direct(areas, "utf-8") is None
    _same(*_both(monkeypatch, areas))


def _hostile(folder: Path) -> dict[str, Path]:
    fields = [(b"NAME", "C", 6, 0), (b"EMP", "N", 4, 0)]
    rows = [[b"abc", str(i).encode()] for i in range(50)]
    paths = {}
    for name, dbf in {
        "count": {"count": 5000},  # says 5 000 records, holds 50
        "fewer": {"count": 20},  # says 20: .shp and .dbf disagree
        "record": {"record_length": 250},
        "header": {"header_length": 65535},
        "short": {"record_length": 3},
    }.items():
        paths[name] = _write(folder, name, fields, rows, **dbf)
    truncated = _write(folder, "truncated", fields, rows)
    truncated.write_bytes(truncated.read_bytes()[:-30])
    paths["truncated"] = truncated
    header = _write(folder, "badshp", fields, rows)
    data = bytearray(header.read_bytes())
    data[32:36] = struct.pack("<i", 8)  # MultiPoint in the header, points in the records
    header.write_bytes(bytes(data))
    paths["badshp"] = header
    return paths


def test_hostile_files_give_gdal_outcome_never_a_crash(monkeypatch, tmp_path):
    for name, path in _hostile(tmp_path).items():
        assert _direct(path, "cp949") is None, name
        fast, slow = _both(monkeypatch, path)
        _same(fast, slow)


@pytest.mark.parametrize("encoding", ["CP949", "EUC-KR", "ISO-8859-1"])
def test_every_byte_pair_decodes_as_gdal_decodes_it(monkeypatch, tmp_path, encoding):
    """Each two-byte sequence (and a lead byte before ASCII) in a cell, then ``x``: the
    numpy reader's text equals GDAL's (iconv's) for every one, in each encoding the
    importer detects or a .cpg names; EUC-KR and ISO-8859-1 were not recoded by GDAL
    before (their codec names were Python's)."""
    pairs = [
        bytes([a, b]) for a in range(0x81, 0xFF) for b in [*range(0x21, 0x7F), *range(0x81, 0x100)]
    ]
    pairs += [bytes([a]) + b"A" for a in range(0x21, 0x100)]
    codec = {"CP949": "cp949", "EUC-KR": "euc_kr", "ISO-8859-1": "latin-1"}[encoding]
    skip = {**shp_points._ICONV_DIFFERS, **shp_points._ICONV_DIFFERS_DECODED}.get(codec, ())
    pairs = [p for p in pairs if p not in skip]
    if encoding == "EUC-KR":  # decoded strictly: the file holds valid EUC-KR only
        pairs = [p for p in pairs if _decodes(p, "euc_kr")]
    path = _write(tmp_path, "pairs", [(b"T", "C", 3, 0)], [[p + b"x"] for p in pairs])
    assert isinstance(_direct(path, encoding), shp_points.XYPoints)
    fast, slow = _both(monkeypatch, path, options=ReadOptions(encoding=encoding))
    _same(fast, slow)
    if encoding != "CP949":
        assert fast.frame["T"].tolist() == [(p + b"x").decode(codec) for p in pairs]


def _decodes(data: bytes, codec: str) -> bool:
    try:
        data.decode(codec)
    except UnicodeDecodeError:
        return False
    return True


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_cells_read_as_gdal_reads_them(monkeypatch, tmp_path, seed):
    """Random cells (any byte in text: spaces, NULs, Korean, bytes CP949 lacks; numbers
    with blanks, ``*``, signs, decimals, exponents; dates; logicals; deleted records and
    null shapes): the numpy reader's layer equals GDAL's, and it reads the file itself
    (37 more seeds were run once while writing it)."""
    rng = np.random.default_rng(seed)
    korean = [c.encode("cp949") for c in "한빛랩서울바이오마곡테크양재"]
    pieces = [b" ", b"\0", b"a", b"Z", b"-", b"\x80", b"\xff", b"\xb7", *korean]

    def text() -> bytes:
        return b"".join(pieces[i] for i in rng.integers(0, len(pieces), rng.integers(0, 6)))

    def integer() -> bytes:
        return rng.choice([b"", b"***", str(int(rng.integers(-9999, 99999))).encode()])

    def real() -> bytes:
        value = rng.normal(0, 1e4)
        return rng.choice([b"", b"*", f"{value:.3f}".encode(), f"{value:.2e}".encode()])

    def date() -> bytes:
        day = np.datetime64("1990-01-01") + int(rng.integers(0, 15000))
        return rng.choice([b"", b"00000000", str(day).replace("-", "").encode()])

    fields = [
        (b"T1", "C", 6, 0),
        (b"T2", "C", 12, 0),
        (b"I", "N", 6, 0),
        (b"R", "N", 12, 3),
        (b"D", "D", 8, 0),
        (b"L", "L", 1, 0),
    ]
    rows = [
        [text(), text(), integer(), real(), date(), rng.choice([b"T", b"F", b"?", b" ", b"y"])]
        for _ in range(400)
    ]
    deleted = set(rng.integers(0, 400, 20).tolist())
    path = _write(tmp_path, "random", fields, rows, deleted=deleted, nulls={3, 50})
    monkeypatch.setattr(shp_points, "CHUNK_ROWS", 150)
    assert _direct(path, "CP949") is not None
    _same(*_both(monkeypatch, path, options=ReadOptions(encoding="CP949")))


def test_dates_before_year_1000_read_as_gdal_reads_them(monkeypatch, tmp_path):
    """A date starting with ``0`` (year 1 ... 999) is a date for GDAL, not a null; only
    blank, ``0`` and ``00000000`` are null; odd zero-led cells are left to GDAL."""
    cells = [b"00010101", b"01000101", b"09991231", b"00000000", b"0", b"", b"20200101"]
    path = _write(tmp_path, "early", [(b"D", "D", 8, 0)], [[c] for c in cells])
    assert isinstance(_direct(path, "cp949"), shp_points.XYPoints)
    fast, slow = _both(monkeypatch, path)
    _same(fast, slow)
    assert fast.frame["D"].dt.strftime("%Y-%m-%d").fillna("-").tolist() == [
        "0001-01-01", "0100-01-01", "0999-12-31", "-", "-", "-", "2020-01-01",
    ]  # fmt: skip
    for odd in (b"0000000", b"00001231", b"00010000", b"0000 000"):
        path = _write(tmp_path, "odd", [(b"D", "D", 8, 0)], [[odd], [b"20200101"]])
        assert _direct(path, "cp949") is None, odd
        _same(*_both(monkeypatch, path))


@pytest.mark.parametrize("width", [128, 254])
def test_wide_text_field_does_not_hide_cp949_text(monkeypatch, tmp_path, width):
    """A text field wider than 127 bytes (ESRI's usual 254) in a CP949 shapefile without
    .cpg: its width byte in the field descriptor is not text, and the Korean text is
    read as CP949 (it was read as ISO-8859-1, every name garbled), also from a .zip."""
    fields = [("상호".encode("cp949"), "C", width, 0), (b"EMP", "N", 4, 0)]
    rows = [["한빛랩".encode("cp949"), b"1"], ["서울바이오".encode("cp949"), b"2"]]
    path = _write(tmp_path, "wide", fields, rows)
    fast, slow = _both(monkeypatch, path)
    _same(fast, slow)
    assert fast.encoding == "CP949"
    assert fast.frame["상호"].tolist() == ["한빛랩", "서울바이오"]
    archive = tmp_path / "wide.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for suffix in (".shp", ".shx", ".dbf", ".prj"):
            out.write(path.with_suffix(suffix), path.with_suffix(suffix).name)
    zipped = read_vector(archive, "start-ups")
    assert zipped.encoding == "CP949" and zipped.frame["상호"].tolist() == ["한빛랩", "서울바이오"]
