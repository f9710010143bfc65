"""GeoPackage and Shapefile layers read through pyogrio's Arrow stream give the same layer
(values, dtypes, CRS, notes) as the row-by-row reader, for plain points (decoded with
numpy) and for anything else (decoded by shapely), with progress and cancel per batch."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely

from app.core.formats.vector import arrow_read
from app.core.formats.vector import read as vector_read
from app.core.formats.vector.model import ReadOptions
from app.core.formats.vector.read import read_vector
from app.core.progress import Cancelled

NAMES = ["한빛랩", "서울바이오", "마곡테크", "양재AI", "판교로보"]


def _points(n: int, seed: int = 3) -> gpd.GeoDataFrame:
    rng = np.random.default_rng(seed)
    xy = np.array([948_500.0, 1_942_300.0]) + rng.normal(0, 1500, (n, 2))
    return gpd.GeoDataFrame(
        {
            "상호": [NAMES[i % 5] for i in range(n)],
            "종사자수": rng.integers(1, 50, n).astype("int32"),
            "매출": rng.random(n),
            "설립일": pd.to_datetime("2020-01-01") + pd.to_timedelta(rng.integers(0, 900, n), "D"),
        },
        geometry=shapely.points(xy),
        crs="EPSG:5179",
    )


def _both(monkeypatch, path, **kwargs):
    fast = read_vector(path, "start-ups", **kwargs)
    monkeypatch.setattr(vector_read, "ARROW_SUFFIXES", set())
    slow = read_vector(path, "start-ups", **kwargs)
    monkeypatch.undo()
    return fast, slow


def _same(fast, slow) -> None:
    pd.testing.assert_frame_equal(
        fast.frame.drop(columns="geometry"), slow.frame.drop(columns="geometry")
    )
    assert fast.frame.geometry.name == slow.frame.geometry.name == "geometry"
    assert fast.frame.crs == slow.frame.crs
    assert shapely.equals_exact(
        np.asarray(fast.frame.geometry.values), np.asarray(slow.frame.geometry.values), 0
    ).all()
    assert (fast.notes, fast.source_crs, fast.encoding) == (
        slow.notes,
        slow.source_crs,
        slow.encoding,
    )


@pytest.mark.parametrize("suffix", [".gpkg", ".shp"])
def test_points_read_through_arrow_equal_the_row_reader(monkeypatch, tmp_path, suffix):
    frame = _points(2500)
    frame.loc[7, "geometry"] = shapely.Point(3_000_000.0, 1_900_000.0)  # far outside Korea
    path = tmp_path / f"startups{suffix}"
    kwargs = {"encoding": "CP949"} if suffix == ".shp" else {}
    pyogrio.write_dataframe(frame, path, **kwargs)
    monkeypatch.setattr(vector_read, "BATCH_ROWS", 1000)
    encoding = "CP949" if suffix == ".shp" else None
    direct = arrow_read.read_arrow(path, path, None, encoding, None, 2500, 1000, None, None)
    assert isinstance(direct, arrow_read.XYPoints)  # the numpy-decoded points
    fast, slow = _both(monkeypatch, path)
    _same(fast, slow)
    assert fast.frame["상호"].tolist()[:5] == NAMES
    assert any("outside Korea" in note for note in fast.notes)
    only, only_slow = _both(monkeypatch, path, options=ReadOptions(columns=("종사자수",)))
    _same(only, only_slow)
    assert list(only.frame.columns) == ["종사자수", "geometry"]


def test_mixed_empty_and_3d_geometry_falls_back_to_shapely(monkeypatch, tmp_path):
    frame = _points(30)
    geoms = np.asarray(frame.geometry.values, dtype=object)
    geoms[3] = shapely.Point(948_000.0, 1_942_000.0, 12.0)  # Z: dropped, with a note
    geoms[4] = None  # no geometry: dropped, with a note
    frame = frame.set_geometry(gpd.GeoSeries(geoms, crs="EPSG:5179"))
    path = tmp_path / "odd.gpkg"
    pyogrio.write_dataframe(frame, path)
    fast, slow = _both(monkeypatch, path)
    _same(fast, slow)
    assert len(fast.frame) == 29 and any("without geometry" in n for n in fast.notes)
    nulls = gpd.GeoDataFrame(
        {
            "i": pd.array([1, None, 3], dtype="Int64"),
            "b": pd.array([True, None, False], dtype="boolean"),
            "s": ["가", None, "c"],
        },
        geometry=shapely.points([[948_000.0, 1_942_000.0]] * 3),
        crs="EPSG:5179",
    )
    pyogrio.write_dataframe(nulls, tmp_path / "nulls.gpkg")
    fast, slow = _both(monkeypatch, tmp_path / "nulls.gpkg")
    _same(fast, slow)  # integers and booleans with nulls as floats, as the row reader
    polygons = _points(20).buffer(50.0)
    pyogrio.write_dataframe(gpd.GeoDataFrame(geometry=polygons), tmp_path / "areas.gpkg")
    fast, slow = _both(monkeypatch, tmp_path / "areas.gpkg")
    _same(fast, slow)


def test_arrow_batches_report_progress_and_cancel(monkeypatch, tmp_path):
    path = tmp_path / "many.gpkg"
    pyogrio.write_dataframe(_points(3500), path)
    monkeypatch.setattr(vector_read, "BATCH_ROWS", 1000)
    seen: list[float] = []
    layer = read_vector(path, progress=lambda f, m: seen.append(f))
    assert len(layer.frame) == 3500
    assert len(seen) >= 5 and seen == sorted(seen) and seen[-1] == 1.0
    calls: list[int] = []
    with pytest.raises(Cancelled, match="cancelled"):
        read_vector(path, cancelled=lambda: calls.append(1) or len(calls) > 2)
    assert len(calls) == 3  # two batches read, the third never started


def test_point_decoder_refuses_what_it_does_not_know():
    import pyarrow as pa

    wkb = shapely.to_wkb(shapely.points([[1.0, 2.0], [3.0, 4.0]]))
    assert arrow_read._point_coords(pa.chunked_array([pa.array(list(wkb))])).tolist() == [
        [1.0, 2.0],
        [3.0, 4.0],
    ]
    big_endian = shapely.to_wkb(shapely.points([[1.0, 2.0]]), byte_order=0)
    z = shapely.to_wkb(shapely.points([[1.0, 2.0, 3.0]]), output_dimension=3)
    empty = shapely.to_wkb(shapely.from_wkt(["POINT EMPTY"]))
    for odd in (big_endian, z, empty):
        assert arrow_read._point_coords(pa.chunked_array([pa.array(list(odd))])) is None
