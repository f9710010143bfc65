"""What each dataset becomes: start-ups filtered by KSIC and mapped to sectors, zones
translated from their codes (unknown codes kept and never permitted), workplaces per
dong and matched onto the start-ups, with real-data provenance dated from the file."""

import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely

from app.core.datasets.common import study_area
from app.core.datasets.nps import match_startups, normalise_name, read_nps
from app.core.datasets.project_import import read_dataset
from app.core.datasets.recognise import recognise
from app.core.datasets.tables import KsicFilter, zone_columns
from app.core.indicators.site_zoning import IndexedZoning, site_zoning
from app.core.zoning.rules import ZoningRules
from layers.provenance import DataStatus
from tests.data import make_dataset_fixtures


def _read(fixtures, stack, name, **kwargs):
    return read_dataset(recognise(fixtures / name), stack, **kwargs)  # name may be a path


def test_semas_utf8_and_cp949_give_the_same_knowledge_based_firms(fixtures, project_stack):
    utf8 = _read(fixtures, project_stack, "store_info_seoul_202403.csv")
    cp949 = _read(fixtures, project_stack, "store_info_old_cp949.csv")
    firms = utf8.layers[0].frame
    assert utf8.layers[0].counts == {"rows": 60, "in_study_area": 40, "kept": 20}
    assert firms["name"].tolist() == cp949.layers[0].frame["name"].tolist()
    assert "(주)이노랩스" in set(firms["상호명"])
    assert utf8.summary == "상가(상권)정보, 60 rows, 40 in the study area, 20 knowledge-based"
    assert set(firms["sector"]) >= {"ICT/SW", "Bio/Health", "Electronics", "AI/Data"}
    software = firms[firms["표준산업분류코드"] == "J58221"]["sector"]
    assert set(software) == {"ICT/SW"}  # J582 wins over J58 (publishing)
    assert firms.crs.to_epsg() == 5186
    area = study_area(project_stack.get("districts").data)
    assert shapely.contains_xy(area, firms.geometry.x, firms.geometry.y).all()
    assert firms["행정동코드"].str.len().eq(10).all()  # codes stay text


def test_the_ksic_filter_is_editable(fixtures, project_stack):
    food = _read(
        fixtures, project_stack, "store_info_seoul_202403.csv", ksic=KsicFilter.parse("I56")
    )
    assert set(food.layers[0].frame["표준산업분류코드"].str[:3]) == {"I56"}
    everything = _read(fixtures, project_stack, "store_info_seoul_202403.csv", keep_all=True)
    firms, others = everything.layers
    assert len(firms.frame) + len(others.frame) == 40
    assert others.role is None and firms.role == "startups"


def test_default_ksic_filter_is_the_documented_one():
    assert KsicFilter.default().text() == "C21, C26-C28, J58-J63, M70-M73"
    assert KsicFilter.parse("J, M70-M73, C21, C26–C28").text() == "J, M70-M73, C21, C26-C28"
    with pytest.raises(ValueError, match="not a KSIC"):
        KsicFilter.parse("J62, banana")
    codes = pd.Series(["J62010", "62010", "I56111", None, "C27100", "M73203"])
    assert KsicFilter.default().matches(codes).tolist() == [True, True, False, False, True, True]


def test_semas_provenance_is_real_dated_and_names_the_filter(fixtures, project_stack):
    layer = _read(fixtures, project_stack, "store_info_seoul_202403.csv").layers[0]
    prov = layer.provenance
    assert prov.status is DataStatus.REAL and not prov.status.is_caveated
    assert prov.vintage == "2024-03 (file name)"
    assert "15083033" in prov.source and "제한 없음" in prov.licence
    assert "KSIC 10th rev. C21, C26-C28, J58-J63, M70-M73" in prov.notes


def test_zoning_codes_are_translated_with_the_blank_sclas_falling_back(fixtures, project_stack):
    result = _read(fixtures, project_stack, "seoul_zoning_OA-21136.zip")
    layer = result.layers[0]
    zones = layer.frame
    assert layer.role == "zoning" and layer.polygons_cover
    assert layer.provenance.vintage == "2024-05-31 (dbf header)"
    assert "KOGL Type 1" in layer.provenance.licence
    by_code = dict(zip(zones["zone_code"], zones["zone_type"], strict=False))
    assert by_code["UQA122"] == "제2종일반주거"
    assert by_code["UQA124"] == "제2종일반주거"  # 7층이하
    assert by_code["UQA330"] == "준공업"  # SCLAS_CL blank: MLSFC_CL
    assert by_code["UQA999"] == "unknown zone (UQA999)"
    coarse = zones[zones["zone_code"] == "UQA120"]
    assert len(coarse) and not coarse["zone_precise"].any()
    assert zones["dgm_nm" if "dgm_nm" in zones else "DGM_NM"].str.contains("주거").any()
    assert any("have no SCLAS_CL" in n for n in layer.notes)
    assert any("UQA999" in n and "never counted as permitted" in n for n in layer.notes)


def test_the_national_layer_reads_the_same_zones(fixtures, project_stack):
    seoul = _read(fixtures, project_stack, "seoul_zoning_OA-21136.zip").layers[0].frame
    national = _read(fixtures, project_stack, "LSMD_CONT_UQ111_11_202405.shp").layers[0].frame
    assert national["zone_type"].tolist() == seoul["zone_type"].tolist()


def test_zones_land_where_they_were_drawn(fixtures, project_stack):
    """EPSG:5174 from the .prj: the zones come back within a metre of where the script
    drew them in EPSG:5186."""
    districts = pyogrio.read_dataframe(make_dataset_fixtures.DEFAULT_PROJECT, layer="districts")
    drawn = make_dataset_fixtures.zoning_frame(districts).to_crs("EPSG:5186")
    read = _read(fixtures, project_stack, "seoul_zoning_OA-21136.zip").layers[0].frame
    drawn = drawn.set_index("PRESENT_SN").loc[read["PRESENT_SN"]]
    shift = shapely.distance(
        shapely.centroid(np.asarray(read.geometry.values)),
        shapely.centroid(np.asarray(drawn.geometry.values)),
    )
    assert shift.max() < 1.0


def test_an_unknown_or_class_only_zone_is_never_permitted(fixtures, project_stack):
    zones = _read(fixtures, project_stack, "seoul_zoning_OA-21136.zip").layers[0].frame
    rules = ZoningRules.default()
    indexed = IndexedZoning.from_frame(zones, rules)
    codes = ["UQA330", "UQA999", "UQA120"]
    points = [zones[zones["zone_code"] == c].geometry.iloc[0].representative_point() for c in codes]
    result = site_zoning(np.array(points, dtype=object), np.full(3, 100.0), indexed, rules)
    assert result.use_permitted.tolist() == [True, False, False]
    assert result.dominant_zone.tolist()[1] == "unknown zone (UQA999)"
    assert np.isnan(result.max_gfa_m2[1:]).all()


def test_zone_columns_keep_unknown_codes():
    out = zone_columns(pd.Series(["UQA430", "uqa999 ", "", None]))
    assert out["zone_label"].tolist()[:2] == ["자연녹지지역", "unknown zone (UQA999)"]
    assert out["known"].tolist() == [True, False, False, False]


def test_greenbelt_becomes_an_overlay(fixtures, project_stack):
    layer = _read(fixtures, project_stack, "seoul_greenbelt_OA-21123.zip").layers[0]
    assert set(layer.frame["kind"]) == {"overlay"}
    assert set(layer.frame["zone_type"]) == {"개발제한구역"}


def test_nps_counts_registered_workplaces_per_dong(fixtures, project_stack):
    result = _read(fixtures, project_stack, "nps_workplaces_202403.csv")
    layer = result.layers[0]
    per = layer.frame.set_index("name")
    # 가산동: (주)이노랩스 5 and (주)가산물류 42; the withdrawn 폐업상사 is not counted
    assert per.loc["가산동", "nps_firms"] == 2
    assert per.loc["가산동", "nps_employees"] == 47
    assert layer.role is None
    assert layer.provenance.vintage == "2024-03 (자료생성년월)"
    assert any("outside Seoul" in n for n in layer.notes)  # the Busan workplace


def test_nps_matches_startups_by_normalised_name_and_dong(fixtures, project_stack):
    firms = _read(fixtures, project_stack, "store_info_seoul_202403.csv").layers[0].frame
    table = read_nps(recognise(fixtures / "nps_workplaces_202403.csv"))
    matched, n = match_startups(firms, table)
    assert 0 < n < len(firms)
    row = matched[(matched["상호명"] == "(주)이노랩스") & (matched["행정동코드"] == "1154551000")]
    assert row["employees"].iloc[0] == 5 and row["founded"].iloc[0] == 2012
    assert matched["employees"].isna().sum() == len(matched) - n


def test_name_normalisation_drops_company_forms():
    names = pd.Series(["(주)이노 랩스", "주식회사 이노랩스", "이노랩스㈜", "이노랩스 주식회사", ""])
    assert normalise_name(names).tolist() == ["이노랩스"] * 4 + [None]


def test_the_fixture_script_reproduces_the_committed_files(fixtures, tmp_path):
    make_dataset_fixtures.main(tmp_path)
    for name in (
        "store_info_seoul_202403.csv",
        "store_info_old_cp949.csv",
        "store_info_2015_release.csv",
        "nps_workplaces_202403.csv",
        "LSMD_CONT_UQ111_11_202405.dbf",
    ):
        assert (tmp_path / name).read_bytes() == (fixtures / name).read_bytes(), name


def test_a_file_with_nothing_in_the_study_area_is_refused(fixtures, project_stack, tmp_path):
    from app.core.datasets.model import DatasetError

    lines = (fixtures / "store_info_seoul_202403.csv").read_text(encoding="utf-8").splitlines()
    busan = tmp_path / "busan.csv"
    busan.write_text("\n".join([lines[0], *lines[41:]]) + "\n", encoding="utf-8")
    with pytest.raises(DatasetError, match="none of its 20 businesses lies in the study area"):
        _read(fixtures, project_stack, busan)


def test_nps_matching_falls_back_to_the_legal_dong():
    import geopandas as gpd

    startups = gpd.GeoDataFrame(
        {
            "상호명": ["(주)이노랩스", "가산전자", "없는회사"],
            "행정동코드": ["1154551000", "1154551000", "1154551000"],
            "법정동코드": ["1154510100", "1154510100", "1154510100"],
        },
        geometry=gpd.points_from_xy([0, 1, 2], [0, 1, 2]),
        crs="EPSG:5186",
    )
    table = pd.DataFrame(
        {
            "사업장명": ["주식회사 이노랩스", "가산전자", "가산전자"],
            "사업장가입상태코드 1 등록 2 탈퇴": ["1", "1", "2"],
            "고객행정동주소코드": ["1154551000", "1154599999", "1154551000"],
            "고객법정동주소코드": ["1154510100", "1154510100", "1154510100"],
            "가입자수": ["5", "9", "30"],
            "적용일자": ["2015-03-01", "2019-07-01", "2010-01-01"],
        }
    )
    out, n = match_startups(startups, table)
    assert n == 2
    assert out["employees"].tolist()[:2] == [5, 9]  # 가산전자 by 법정동; withdrawn one ignored
    assert out["founded"].tolist()[:2] == [2015, 2019]
    assert out["nps_matched"].tolist() == [True, True, False]


def test_the_coverage_is_where_the_file_has_businesses_not_only_the_kept_firms(
    fixtures, project_stack
):
    """A filter that keeps firms in one district only: the others still count 0, not
    unknown, as the file has businesses there."""
    from app.core.datasets.project_import import plan_dataset_layers

    result = _read(
        fixtures, project_stack, "store_info_seoul_202403.csv", ksic=KsicFilter.parse("C21")
    )
    kept = result.layers[0].frame
    assert 0 < len(kept) < 20
    plan = plan_dataset_layers(project_stack, {}, result)
    _layer, role, coverage = plan.additions[0]
    assert role == "startups"
    assert set(coverage.ids) == {"gvalley", "magok", "yangjae"}
