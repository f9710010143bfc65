"""What a site dossier page says (app.core.decisions.dossier), Qt-free."""

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from app.core.decisions import DecisionError
from app.core.decisions.dossier import check_dossier_input, dossier_pages, nearest
from app.core.indicators.engine import COLUMNS
from app.core.indicators.format import format_cell
from app.core.indicators.labels import label
from app.core.indicators.score import Weights, rank_sites, score_sites


def results(weights=None):
    frame = pd.DataFrame(
        {
            "name": ["Site 1", "Site 2"],
            "startups_n": [400, 100],
            "sector_evenness": [0.8, 0.5],
            "education_nearest_m": [300.0, 900.0],
            "station_nearest_m": [200.0, 700.0],
            "max_gfa_m2": [20_000.0, 8_000.0],
            "use_permitted": [True, True],
            "zone_shares": ['{"준공업": 1.0}', '{"일반상업": 0.6, "준공업": 0.4}'],
            "dominant_zone": ["준공업", "일반상업"],
            "restrictions": ["", "비행안전구역"],
        },
        index=["a", "b"],
    )
    score_sites(frame, weights)
    frame.insert(0, "rank", rank_sites(frame).to_numpy())
    return frame


STATIONS = gpd.GeoDataFrame(
    {"name": ["Near", "Far", "Middle"], "line": ["1", "2", "3"]},
    geometry=[shapely.Point(10, 0), shapely.Point(500, 0), shapely.Point(100, 0)],
    crs="EPSG:5186",
)


@pytest.mark.parametrize("language", ["en", "ko"])
def test_every_indicator_of_the_site_is_on_its_page(language):
    frame = results()
    pages = dossier_pages(frame, language=language)
    assert [p.site for p in pages] == ["a", "b"]  # rank order
    for page in pages:
        rows = dict(page.left[0].rows)
        row = frame.loc[page.site]
        for column in COLUMNS:
            assert rows[label(column, language)] == format_cell(column, row, language)


def test_robustness_zoning_and_nearest_sections():
    frame = results()
    geometries = {"a": shapely.Point(0, 0), "b": shapely.Point(1000, 0)}
    pages = dossier_pages(frame, geometries=geometries, stations=STATIONS)
    right = {section.heading: section for section in pages[0].right}
    assert right["Robustness of the ranking"].lines[0].startswith("Ranked 1st in ")
    zoning = dict(right["Zoning"].rows)
    assert zoning["준공업 100 %"].startswith("permitted · BCR ")
    assert "rule " in zoning["준공업 100 %"]
    assert [n for n, _ in right["Nearest stations"].rows] == ["Near (1)", "Middle (3)", "Far (2)"]
    assert right["Nearest stations"].rows[0][1] == "10 m"
    assert "no university data" in right["Nearest universities"].lines


def test_nearest_lists_at_most_three_by_distance():
    found = nearest(shapely.Point(600, 0), STATIONS, ("name",))
    assert [n for n, _ in found] == ["Far", "Middle", "Near"]
    assert nearest(shapely.Point(0, 0), None, ("name",)) == []


def test_nothing_to_write_is_one_clear_line():
    with pytest.raises(DecisionError, match="no sites to write a dossier"):
        check_dossier_input(results().iloc[0:0])
    zero = Weights(startups=0, diversity=0, education=0, transit=0, floor_area=0)
    with pytest.raises(DecisionError, match="all 0"):
        dossier_pages(results(zero))
