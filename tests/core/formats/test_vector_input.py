"""The import engine on the bad-input corpus (tests/bad_inputs.py) and its look-ups."""

import atexit
import re
import shutil
import tempfile
from pathlib import Path

import numpy as np
import pyproj
import pytest
import shapely

from app.core.formats.vector import read as vector_read
from app.core.formats.vector.crs import datum_shift_note
from app.core.formats.vector.inspection import inspect_vector, preview_attributes
from app.core.formats.vector.model import KOREAN_CRS_PRESETS, InputError, ReadOptions
from app.core.formats.vector.read import read_vector
from app.core.progress import Cancelled
from app.core.project.roles import apply_role, guess_mapping
from tests.bad_inputs import KOREAN_NAMES, LONLAT, build_corpus

_FOLDER = Path(tempfile.mkdtemp(prefix="innoatlas-corpus-"))
atexit.register(shutil.rmtree, _FOLDER, True)
CASES = {case.name: case for case in build_corpus(_FOLDER)}


def _import(case):
    layer = read_vector(case.path, case.role or "layer", options=case.options)
    notes = list(layer.notes)
    if case.role:
        result = apply_role(
            layer.frame,
            case.role,
            guess_mapping(list(layer.frame.columns), case.role, layer.frame),
            source=case.path.name,
        )
        layer.frame, notes = result.frame, notes + result.notes
    return layer, notes


def test_corpus_is_large_and_covers_errors_and_notes():
    assert len(CASES) >= 30
    kinds = {case.expect for case in CASES.values()}
    assert kinds == {"error", "note"}


@pytest.mark.parametrize("name", [n for n, c in CASES.items() if c.expect == "error"])
def test_bad_file_is_one_clear_line(name):
    case = CASES[name]
    with pytest.raises(InputError) as caught:
        _import(case)
    message = str(caught.value)
    assert re.search(case.pattern, message), message
    assert "\n" not in message and "Traceback" not in message
    if case.role is None:  # read_vector's messages name the file
        assert case.path.name in message


@pytest.mark.parametrize("name", [n for n, c in CASES.items() if c.expect == "note"])
def test_repairable_or_good_file_imports(name):
    case = CASES[name]
    layer, notes = _import(case)
    joined = "\n".join(notes)
    assert re.search(case.pattern, joined), joined
    frame = layer.frame
    assert str(frame.crs) == "EPSG:5186" and len(frame) > 0
    geoms = np.asarray(frame.geometry.values, dtype=object)
    assert not shapely.has_z(geoms).any() and shapely.is_valid(geoms).all()
    assert np.isfinite(shapely.get_coordinates(geoms)).all()
    if case.count is not None:
        assert len(frame) == case.count
    if case.first_xy is not None:
        point = shapely.get_coordinates(geoms[0])[0]
        assert point == pytest.approx(case.first_xy, abs=0.01)
    if case.names is not None:
        assert frame["name"].tolist() == case.names  # Korean text exactly, not garbled


def test_utm_k_point_lands_on_pyprojs_central_belt_coordinate(tmp_path):
    import geopandas as gpd

    x, y = 942_000.0, 1_943_000.0  # EPSG:5179, G-Valley
    path = tmp_path / "utmk.shp"
    gpd.GeoDataFrame({"name": ["a"]}, geometry=[shapely.Point(x, y)], crs="EPSG:5179").to_file(path)
    path.with_suffix(".prj").write_text(pyproj.CRS("EPSG:5179").to_wkt("WKT1_ESRI"))
    expected = pyproj.Transformer.from_crs(5179, 5186, always_xy=True).transform(x, y)
    layer = read_vector(path)
    got = shapely.get_coordinates(layer.frame.geometry.values)[0]
    assert got == pytest.approx(expected, abs=0.01)
    assert layer.source_crs == "EPSG:5179"


def test_encodings_and_source_crs_are_reported():
    layer = read_vector(CASES["shapefile CP949 without .cpg"].path)
    assert layer.encoding == "CP949" and layer.source_crs == "EPSG:5186"
    assert read_vector(CASES["geojson in EPSG:4326"].path).encoding is None
    assert read_vector(CASES["shapefile in EPSG:5174 (Bessel)"].path).source_crs == "EPSG:5174"


def test_choosing_the_encoding_overrides_the_detection():
    path = CASES["shapefile CP949 without .cpg"].path
    garbled = read_vector(path, options=ReadOptions(encoding="latin-1")).frame["name"]
    assert garbled.tolist() != KOREAN_NAMES
    with pytest.raises(InputError, match="unknown text encoding"):
        read_vector(path, options=ReadOptions(encoding="KLINGON"))


def test_old_positional_call_still_works_and_sites_may_mix_types():
    layer = read_vector(CASES["gpkg with two layers (second chosen)"].path, "x", "second")
    assert layer.layer == "second" and len(layer.frame) == 3
    mixed = read_vector(CASES["mixed points and polygons"].path, "sites")
    assert len(mixed.frame) == 2


def test_inspect_lists_layers_columns_encoding_and_crs():
    info = inspect_vector(CASES["gpkg with two layers (second chosen)"].path)
    assert info.driver == "GPKG"
    assert [(ly.name, ly.geometry_type, ly.features) for ly in info.layers] == [
        ("first", "Point", 2),
        ("second", "Point", 3),
    ]
    assert info.crs == "EPSG:5186" and info.columns == ["name"]
    second = inspect_vector(info.path, ReadOptions(layer="second"))
    assert second.crs == "EPSG:5179"

    cp949 = inspect_vector(CASES["shapefile CP949 without .cpg"].path)
    assert cp949.driver == "ESRI Shapefile" and cp949.encoding == "CP949"
    assert "read as CP949" in cp949.encoding_note

    lonlat = inspect_vector(CASES["no CRS, lon/lat coordinates"].path)
    assert lonlat.crs is None and lonlat.crs_guess == "EPSG:4326"
    projected = inspect_vector(CASES["no CRS, projected coordinates"].path)
    assert projected.crs is None and projected.crs_guess is None

    table = inspect_vector(CASES["csv 경도/위도, CP949"].path)
    assert table.driver == "CSV" and table.encoding == "CP949"
    assert (table.x_column, table.y_column) == ("경도", "위도")
    assert table.crs_guess == "EPSG:4326" and table.columns == ["이름", "경도", "위도"]

    assert inspect_vector(CASES["geojson in EPSG:4326"].path).crs == "EPSG:4326"
    unknown = inspect_vector(CASES["geojson naming EPSG:999999"].path)
    assert unknown.crs is None and unknown.crs_guess is None
    assert "PROJ does not know" in unknown.notes[0]
    garbage = inspect_vector(CASES["shapefile with garbage .prj"].path)
    assert garbage.crs is None and "not a CRS PROJ knows" in garbage.notes[0]
    zipped = inspect_vector(CASES["zipped CP949 shapefile in a folder"].path)
    assert zipped.encoding == "CP949" and zipped.layers[0].features == 3

    with pytest.raises(InputError, match="not a GeoPackage"):
        inspect_vector(CASES["gpkg not sqlite"].path)


def test_preview_shows_the_text_in_the_chosen_encoding():
    path = CASES["shapefile CP949 without .cpg"].path
    preview = preview_attributes(path, rows=2)
    assert preview["name"].tolist() == KOREAN_NAMES[:2] and "geometry" not in preview
    assert preview_attributes(path, ReadOptions(encoding="latin-1"))["name"][0] != KOREAN_NAMES[0]
    csv = preview_attributes(CASES["csv 경도/위도, CP949"].path, rows=1)
    assert csv["이름"].tolist() == [KOREAN_NAMES[0]]


def test_big_files_read_in_batches_with_progress_and_cancel(monkeypatch, tmp_path):
    monkeypatch.setattr(vector_read, "BATCH_ROWS", 1000)
    path = _FOLDER / "whole.gpkg"  # 3000 points, written by the corpus
    seen = []
    layer = read_vector(path, progress=lambda f, m: seen.append(f))
    assert len(layer.frame) == 3000 and layer.frame.index.is_unique
    assert len(seen) >= 4 and seen == sorted(seen) and seen[-1] == 1.0
    calls = []
    with pytest.raises(Cancelled, match="cancelled"):
        read_vector(path, cancelled=lambda: calls.append(1) or len(calls) > 1)
    assert len(calls) == 2  # the first batch was read, the second never started
    rows = "\n".join(f"a{i},126.88,37.48" for i in range(2500))
    (tmp_path / "big.csv").write_text("name,lon,lat\n" + rows + "\n")
    with pytest.raises(Cancelled):
        read_vector(tmp_path / "big.csv", cancelled=lambda: True)
    assert len(read_vector(tmp_path / "big.csv").frame) == 2500


def test_cancel_after_the_read_is_not_lost():
    """A cancel during the checks or the reprojection (as long as the read for big
    polygon layers) still raises: the layer is not returned."""
    path = _FOLDER / "whole.gpkg"  # one batch: checked before and after the read
    for late in (3, 4):  # True from the check after the repairs / the reprojection on
        calls = []
        with pytest.raises(Cancelled):
            read_vector(path, cancelled=lambda: calls.append(1) or len(calls) >= late)
        assert len(calls) == late


def test_datum_shift_note_names_the_bessel_transformation():
    note = datum_shift_note("EPSG:5174")
    assert note.startswith("EPSG:5174 -> EPSG:5186 uses Korean 1985 to KGD2002")
    assert "x=-145.907" in note and "\n" not in note
    own = datum_shift_note(
        "+proj=tmerc +lat_0=38 +lon_0=127.002890277778 +k=1 +x_0=200000 "
        "+y_0=500000 +ellps=bessel +units=m +no_defs "
        "+towgs84=-115.80,474.99,674.11,1.16,-2.31,-1.63,6.43"
    )
    assert "the file's towgs84=-115.8,474.99" in own
    for code in ("EPSG:5186", "EPSG:5179", "EPSG:5181", "EPSG:4326"):
        assert datum_shift_note(code) is None


def test_presets_are_the_korean_crss_and_all_known_to_proj():
    codes = [code for code, _ in KOREAN_CRS_PRESETS]
    assert codes == ["EPSG:5186", "EPSG:5179", "EPSG:5181", "EPSG:5174", "EPSG:4326"]
    for code, label in KOREAN_CRS_PRESETS:
        assert pyproj.CRS(code) and label


def test_csv_columns_can_be_chosen(tmp_path):
    path = tmp_path / "odd.csv"
    rows = "\n".join(f"{n};{x};{y}" for n, (x, y) in zip(KOREAN_NAMES, LONLAT))
    path.write_text("name;east_deg;north_deg\n" + rows + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="no coordinate columns"):
        read_vector(path)
    layer = read_vector(path, options=ReadOptions(x_column="east_deg", y_column="north_deg"))
    assert layer.frame["name"].tolist() == KOREAN_NAMES


@pytest.mark.parametrize("name", list(CASES))
def test_inspect_and_preview_never_fail_otherwise_than_one_line(name):
    """What the import dialog calls first: a FileInfo, or an InputError, for every file."""
    case = CASES[name]
    for call in (inspect_vector, preview_attributes):
        try:
            result = call(case.path, case.options)
        except InputError as err:
            assert "\n" not in str(err)
            continue
        if call is inspect_vector:
            assert result.layers and result.driver
        else:
            assert "geometry" not in result.columns
