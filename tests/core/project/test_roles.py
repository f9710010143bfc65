"""Layer roles: which column is what, and the canonical columns the engine reads."""

import geopandas as gpd
import numpy as np
import pytest
import shapely

from app.core.formats.vector import InputError
from app.core.indicators.engine import compute_indicators
from app.core.project.roles import ROLE_FIELDS, ROLE_GEOMETRY, ROLES, apply_role, guess_mapping

X0, Y0 = 189_000.0, 543_000.0  # G-Valley, EPSG:5186


def points(n=3, **columns):
    return gpd.GeoDataFrame(
        columns, geometry=[shapely.Point(X0 + 10 * i, Y0) for i in range(n)], crs="EPSG:5186"
    )


def boxes(**columns):
    n = len(next(iter(columns.values())))
    return gpd.GeoDataFrame(
        columns,
        geometry=[shapely.box(X0 + 100 * i, Y0, X0 + 100 * i + 90, Y0 + 90) for i in range(n)],
        crs="EPSG:5186",
    )


def test_roles_fields_and_geometry_are_declared():
    assert (
        set(ROLES)
        == set(ROLE_FIELDS)
        == set(ROLE_GEOMETRY)
        == {"startups", "education", "stations", "zoning"}
    )
    assert [f.target for f in ROLE_FIELDS["startups"]] == ["name", "sector", "employees"]
    required = {r: [f.target for f in fields if f.required] for r, fields in ROLE_FIELDS.items()}
    assert required == {"startups": [], "education": [], "stations": [], "zoning": ["zone_name"]}


def test_startups_with_korean_columns_become_sector_and_employees():
    frame = points(
        업체명=["가", "나", "다"],
        업종=["ICT/SW", "Bio/Health", "ICT/SW"],
        종사자수=["1,200", "없음", "7명"],
    )
    mapping = guess_mapping(list(frame.columns), "startups", frame)
    assert mapping == {"name": "업체명", "sector": "업종", "employees": "종사자수"}
    result = apply_role(frame, "startups", mapping, source="s.csv")
    out = result.frame
    assert out["sector"].tolist() == ["ICT/SW", "Bio/Health", "ICT/SW"]
    assert out["employees"].tolist()[0] == 1200.0 and np.isnan(out["employees"][1])
    assert out["employees"][2] == 7.0 and out["name"].tolist() == ["가", "나", "다"]
    assert "업종" in out.columns  # the source's columns are kept
    assert result.notes == ["s.csv: 1 of 3 employees values are not numbers ('없음'): left empty"]
    # the engine reads them: the top sector of a catchment over all three
    site = gpd.GeoDataFrame(geometry=[shapely.Point(X0, Y0)], crs="EPSG:5186")
    table = compute_indicators(site, out, None, None, None, radius=100)
    assert table["top_sector"][0] == "ICT/SW" and table["employees_sum"][0] == 1207


def test_english_names_and_unmapped_fields():
    frame = points(Sector=["a", "b", "c"], staff=[1, 2, 3])
    assert guess_mapping(list(frame.columns), "startups") == {
        "name": None,
        "sector": "Sector",
        "employees": "staff",
    }
    out = apply_role(frame, "startups", {"sector": "Sector"}).frame
    assert "employees" not in out.columns and out["sector"].tolist() == ["a", "b", "c"]


def test_education_and_stations_names():
    schools = points(학교명=["서울대학교", "카이스트", "고려대"])
    assert guess_mapping(list(schools.columns), "education") == {"name": "학교명"}
    stations = points(역명=["가산디지털단지", "마곡나루", "양재"], 호선=["1", "9", "3"])
    mapping = guess_mapping(list(stations.columns), "stations")
    assert mapping == {"name": "역명"}
    assert apply_role(stations, "stations", mapping).frame["name"][0] == "가산디지털단지"


def test_zoning_names_normalise_and_overlays_are_marked():
    frame = boxes(
        DGM_NM=["제2종일반주거지역", "준공업지역", "개발제한구역", "제3종 일반주거지역(7층이하)"]
    )
    mapping = guess_mapping(list(frame.columns), "zoning", frame)
    assert mapping["zone_name"] == "DGM_NM"
    result = apply_role(frame, "zoning", mapping)
    out = result.frame
    assert out["zone_type"].tolist() == ["제2종일반주거", "준공업", "개발제한구역", "제3종일반주거"]
    assert out["kind"].tolist() == ["zone", "zone", "overlay", "zone"]
    assert out["name"][0] == "제2종일반주거지역" and result.notes == []


def test_zoning_guess_prefers_the_column_whose_values_are_zone_names():
    frame = boxes(zone=["A1", "A2", "A3"], 비고=["준공업지역", "일반상업지역", "자연녹지지역"])
    assert guess_mapping(list(frame.columns), "zoning")["zone_name"] == "zone"  # names only
    assert guess_mapping(list(frame.columns), "zoning", frame)["zone_name"] == "비고"


def test_unknown_zone_names_are_kept_and_counted():
    names = ["준공업지역"] * 36 + ["과수원", "묘지", "연못", "창고"]
    frame = boxes(용도지역명=names, height=["12"] * 40)
    result = apply_role(frame, "zoning", guess_mapping(list(frame.columns), "zoning", frame))
    assert result.frame["zone_type"].tolist()[-4:] == ["과수원", "묘지", "연못", "창고"]
    assert result.notes == [
        "4 of 40 features have zone names not in the rules table: 과수원, 묘지, 연못 (first 3)"
    ]
    assert result.frame["max_height_m"][0] == 12.0


@pytest.mark.parametrize(
    "role, frame, mapping, message",
    [
        ("parks", points(a=[1, 2, 3]), {}, "unknown layer role 'parks'"),
        ("zoning", boxes(a=["준공업지역"]), {}, "need a zone name column"),
        ("zoning", boxes(a=["준공업지역"]), {"zone_name": "b"}, "no column 'b' for zone name"),
        ("startups", points(a=[1, 2, 3]), {"colour": "a"}, "have no field 'colour'"),
        ("startups", boxes(a=[1]), {}, "start-ups must be points; this layer holds polygons"),
        ("stations", boxes(a=[1]), {}, "stations must be points; this layer holds polygons"),
        (
            "zoning",
            points(a=["준공업지역"] * 3),
            {"zone_name": "a"},
            "zoning must be polygons; this layer holds points",
        ),
        ("zoning", boxes(a=["x", "y"]), {"zone_name": "a"}, "holds no known zone or overlay name"),
    ],
)
def test_refusals_are_one_line(role, frame, mapping, message):
    with pytest.raises(InputError, match=message) as caught:
        apply_role(frame, role, mapping, source="f.gpkg")
    assert "\n" not in str(caught.value)
