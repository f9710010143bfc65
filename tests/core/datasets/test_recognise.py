"""Official datasets are recognised by their header or fields, whatever their file name,
with their encoding and CRS; a file that only looks like one is refused in one line."""

import shutil

import pytest

from app.core.datasets.model import DatasetError
from app.core.datasets.project_import import recognise_or_refuse
from app.core.datasets.recognise import recognise


@pytest.mark.parametrize(
    "name, dataset, encoding, crs, rows",
    [
        ("store_info_seoul_202403.csv", "semas", "UTF-8", None, 60),
        ("store_info_old_cp949.csv", "semas", "CP949", None, 60),
        ("nps_workplaces_202403.csv", "nps", "CP949", None, 16),
        ("seoul_zoning_OA-21136.zip", "zoning", "CP949", "EPSG:5174", 40),
        ("LSMD_CONT_UQ111_11_202405.shp", "zoning", "CP949", "EPSG:5174", 40),
        ("seoul_greenbelt_OA-21123.zip", "greenbelt", "CP949", "EPSG:5174", 2),
    ],
)
def test_each_dataset_is_recognised_with_its_encoding_and_crs(
    fixtures, name, dataset, encoding, crs, rows
):
    found = recognise(fixtures / name)
    assert found is not None
    assert (found.dataset, found.info.encoding, found.info.crs, found.rows) == (
        dataset,
        encoding,
        crs,
        rows,
    )


def test_recognition_reads_the_header_not_the_file_name(fixtures, tmp_path):
    for source, renamed in [
        ("store_info_seoul_202403.csv", "download (3).csv"),
        ("nps_workplaces_202403.csv", "data.csv"),
        ("seoul_zoning_OA-21136.zip", "upis.zip"),
    ]:
        copy = tmp_path / renamed
        shutil.copy(fixtures / source, copy)
        assert recognise(copy) is not None, renamed
    plain = tmp_path / "points.csv"
    plain.write_text("name,lon,lat\na,126.9,37.5\n", encoding="utf-8")
    assert recognise(plain) is None


def test_an_old_release_with_other_headers_names_what_is_missing_and_assumed(fixtures):
    with pytest.raises(DatasetError) as err:
        recognise(fixtures / "store_info_2015_release.csv")
    message = str(err.value)
    assert "\n" not in message
    assert "looks like 상가(상권)정보" in message
    assert "표준산업분류코드" in message and "경도" in message
    assert "assumed CP949" in message and "nothing was imported" in message


def test_a_zoning_lookalike_without_code_fields_is_refused(fixtures):
    with pytest.raises(DatasetError, match="lacks MLSFC_CL, SCLAS_CL"):
        recognise(fixtures / "zoning_lookalike.zip")


def test_a_forced_dataset_must_match(fixtures):
    with pytest.raises(DatasetError, match="국민연금"):
        recognise(fixtures / "store_info_seoul_202403.csv", forced="nps")
    with pytest.raises(DatasetError, match="its codes are 용도지역 codes"):
        recognise(fixtures / "seoul_zoning_OA-21136.zip", forced="greenbelt")
    with pytest.raises(DatasetError, match="unknown dataset"):
        recognise(fixtures / "seoul_zoning_OA-21136.zip", forced="parcels")


def test_a_file_of_no_dataset_is_refused_in_one_line(tmp_path):
    plain = tmp_path / "points.csv"
    plain.write_text("name,lon,lat\na,126.9,37.5\n", encoding="utf-8")
    with pytest.raises(DatasetError) as err:
        recognise_or_refuse(plain)
    assert "none of the recognised datasets" in str(err.value)
    assert "\n" not in str(err.value)


def test_zoning_fields_with_codes_outside_the_table_are_refused(fixtures, project_stack):
    from app.core.datasets.project_import import read_dataset

    found = recognise(fixtures / "zoning_uqq_codes.zip")
    with pytest.raises(DatasetError) as err:
        read_dataset(found, project_stack)
    message = str(err.value)
    assert "none of its zone codes is in the 용도지역 table (UQQ311)" in message
    assert "assumed CP949 text, CRS EPSG:5174" in message and "\n" not in message
