"""The offline gazetteer: Korean and English names, prefix, substring, initial consonants
and typed coordinates (issue 17)."""

import pytest

from app.core.geodesy import to_lonlat
from app.core.map.gazetteer import Gazetteer, initials, parse_coordinates
from app.core.project.loader import load_project


@pytest.fixture(scope="module")
def gazetteer(default_project_path):
    return Gazetteer(load_project(default_project_path))


def test_initials():
    assert initials("마곡동") == "ㅁㄱㄷ"
    assert initials("G밸리 1") == "Gㅂㄹ 1"


def test_initial_consonants_find_magok_first(gazetteer):
    hits = gazetteer.search("ㅁㄱ")
    assert hits[0].name == "마곡" and hits[0].layer == "districts"
    assert any(h.layer == "stations" and h.name == "마곡" for h in hits)


@pytest.mark.parametrize(
    ("query", "layer", "name"),
    [
        ("magok", "districts", "마곡"),
        ("Gangseo", "gu", "강서구"),
        ("강서", "gu", "강서구"),
        ("sajik-dong", "dong", "사직동"),
        ("마곡역", "stations", "마곡"),
        ("seoul national", "education", "서울대학교"),
        ("서울대", "education", "서울대학교"),
    ],
)
def test_names_in_korean_and_english(gazetteer, query, layer, name):
    hits = gazetteer.search(query)
    assert any(h.layer == layer and h.name == name for h in hits), hits[:5]


def test_prefix_before_substring_and_one_hit_per_feature(gazetteer):
    hits = gazetteer.search("가산")
    keys = [(h.layer, h.row) for h in hits]
    assert len(keys) == len(set(keys))
    assert hits[0].name.startswith("가산")
    assert gazetteer.search("디지털")  # a substring of a longer name


def test_a_station_on_several_lines_is_one_result(gazetteer):
    names = [h.name for h in gazetteer.search("고속터미널") if h.layer == "stations"]
    assert names == ["고속터미널"]


def test_nothing_for_nothing(gazetteer):
    assert gazetteer.search("") == [] and gazetteer.search("zzzz없는곳") == []


def test_coordinates():
    x, y, how = parse_coordinates("37.5602, 126.8254")
    lon, lat = to_lonlat(x, y)
    assert how == "latlon" and lon == pytest.approx(126.8254) and lat == pytest.approx(37.5602)
    assert parse_coordinates("126.8254 37.5602")[:2] == pytest.approx((x, y))
    assert parse_coordinates("190000, 550000") == (190000.0, 550000.0, "xy")
    assert parse_coordinates("(190000.5; 550000)") == (190000.5, 550000.0, "xy")
    for text in ("magok", "1, 2", "37.5", "0 0", "-37.5, 126.8"):
        assert parse_coordinates(text) is None


@pytest.mark.parametrize(
    ("query", "name", "english"),
    [
        ("Gasan Digital Complex", "가산디지털단지", "Gasan Digital Complex"),
        ("Magongnaru", "마곡나루", "Magongnaru"),
        ("Yangjae", "양재(서초구청)", "Yangjae (Seocho-gu Office)"),
        ("guro digital", "구로디지털단지", "Guro Digital Complex"),
    ],
)
def test_stations_are_found_by_their_english_names(gazetteer, query, name, english):
    hits = [h for h in gazetteer.search(query) if h.layer == "stations"]
    assert hits, f"no station for {query!r}"
    assert hits[0].name == name and hits[0].other_name == english


def test_every_bundled_station_has_an_english_name(default_project_path):
    from app.core.map.gazetteer import station_names_en

    names = set(load_project(default_project_path).get("stations").data["name"])
    english = station_names_en()
    assert names <= set(english), sorted(names - set(english))
    assert all(value.isascii() and value.strip() for value in english.values())
