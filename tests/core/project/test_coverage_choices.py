"""The districts and dongs a coverage area is chosen from (app.core.project.coverage_choices)."""

import geopandas as gpd
import shapely

from app.core.project.coverage_choices import district_choices, dong_choices


def test_districts_by_display_name_and_dongs_by_gu_with_their_romanised_names():
    districts = gpd.GeoDataFrame(
        {
            "district_id": ["gvalley", "magok"],
            "name_ko": ["G밸리", "마곡"],
            "name_en": ["G-Valley", None],
        },
        geometry=[shapely.box(0, 0, 1, 1)] * 2,
    )
    assert [(c.id, c.text()) for c in district_choices(districts)] == [
        ("gvalley", "G-Valley"),
        ("magok", "magok"),  # no English name: the id, never an empty entry
    ]
    assert [c.text() for c in district_choices(districts, "ko")] == ["G밸리", "마곡"]
    dongs = gpd.GeoDataFrame(
        {
            "code": ["2", "1", "1"],
            "name": ["구로3동", "가산동", "가산동"],
            "name_eng": ["Guro 3-dong", "Gasan-dong", "Gasan-dong"],
            "gu": ["구로구", "금천구", "금천구"],
            "gu_eng": ["Guro-gu", "Geumcheon-gu", "Geumcheon-gu"],
        },
        geometry=[shapely.box(0, 0, 1, 1)] * 3,
    )
    assert [c.text() for c in dong_choices(dongs)] == [
        "가산동 Gasan-dong (Geumcheon-gu)",
        "구로3동 Guro 3-dong (Guro-gu)",
    ]
    assert [(c.id, c.text()) for c in dong_choices(dongs, "ko")] == [
        ("2", "구로3동 (구로구)"),
        ("1", "가산동 (금천구)"),
    ]
    assert dong_choices(None) == [] and district_choices(None) == []
