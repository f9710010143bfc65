"""Analysis layers and Suggest only where the start-up (and zoning) data speak (issue 12)."""

import geopandas as gpd
import numpy as np
import pytest
import shapely

from app.core.analysis.map_layers import density_layer, hotspot_layer
from app.core.analysis.suggest import NotCoveredError, suggest_sites
from app.core.formats.vector import ReadOptions
from app.core.project.coverage import Coverage
from app.core.project.layer_import import ImportRequest, import_layer
from layers.model import Layer
from layers.provenance import USER_PROVENANCE
from layers.style import LayerStyle

CRS = "EPSG:5186"
LEFT = shapely.box(0, 0, 1000, 2000)  # the coverage: the left half of the data


@pytest.fixture(scope="module")
def startups():
    rng = np.random.default_rng(3)
    xy = np.vstack([rng.normal((900, 1000), 150, (400, 2)), rng.uniform(0, 2000, (400, 2))])
    frame = gpd.GeoDataFrame(geometry=shapely.points(xy), crs=CRS)
    return Layer("startups", frame, LayerStyle(), USER_PROVENANCE, geometry_kind="point")


def test_density_has_no_cell_outside_the_coverage(startups):
    everywhere = density_layer(startups, 300.0)
    covered = density_layer(startups, 300.0, coverage=LEFT)
    cells = np.asarray(covered.data.geometry.values, dtype=object)
    assert len(cells) > 0
    assert shapely.covered_by(cells, LEFT.buffer(1e-6)).all()
    # without the coverage the hot cluster at x = 900 spreads past x = 1000
    assert (shapely.bounds(np.asarray(everywhere.data.geometry.values))[:, 2] > 1001).any()


def test_hot_spots_only_inside_the_coverage(startups):
    spots = hotspot_layer(startups, coverage=LEFT)
    cells = np.asarray(spots.data.geometry.values, dtype=object)
    assert len(cells) > 0 and shapely.covered_by(cells, LEFT.buffer(1e-6)).all()
    assert len(hotspot_layer(startups, coverage=shapely.Polygon()).data) == 0


def _zoning(box):
    return gpd.GeoDataFrame({"zone_type": ["준공업"], "kind": ["zone"]}, geometry=[box], crs=CRS)


def test_suggest_refuses_or_notes_by_the_demand_coverage(startups):
    district = shapely.box(0, 0, 2000, 2000)
    zoning = _zoning(shapely.box(-100, -100, 2100, 2100))
    args = dict(k=1, radius=300.0, spacing=200.0, time_limit=5)
    titles = {"startups": "left firms", "zoning": "zones"}
    with pytest.raises(NotCoveredError, match="the start-up layer 'left firms' does not cover"):
        suggest_sites(
            district,
            startups.data,
            zoning,
            coverage={"startups": shapely.box(5000, 0, 6000, 100)},
            titles=titles,
            **args,
        )
    with pytest.raises(NotCoveredError, match="the zoning layer 'zones' does not cover"):
        suggest_sites(
            district,
            startups.data,
            zoning,
            coverage={"zoning": shapely.box(5000, 0, 6000, 100)},
            titles=titles,
            **args,
        )
    half = suggest_sites(
        district, startups.data, zoning, coverage={"startups": LEFT}, titles=titles, **args
    )
    assert "The start-up layer 'left firms' covers 50 % of" in half.note
    assert "covers only the covered part" in half.note
    whole = suggest_sites(district, startups.data, zoning, **args)
    assert half.total_demand < whole.total_demand  # start-ups outside are unknown
    assert "covers only" not in whole.note


def test_an_import_with_a_role_gets_its_default_coverage(tmp_path):
    districts = gpd.GeoDataFrame(
        {"district_id": ["a", "b"], "name_en": ["A", "B"]},
        geometry=[shapely.box(0, 0, 100, 100), shapely.box(200, 0, 300, 100)],
        crs=CRS,
    )
    path = tmp_path / "firms.gpkg"
    gpd.GeoDataFrame(
        {"업종": ["바이오", "ICT"]},
        geometry=[shapely.Point(210, 10), shapely.Point(250, 50)],
        crs=CRS,
    ).to_file(path, layer="firms")
    request = ImportRequest(path, ReadOptions(), "firms", "startups", {"sector": "업종"})
    result = import_layer(request, districts=districts)
    assert result.coverage == Coverage("districts", ("b",))
    assert import_layer(ImportRequest(path, ReadOptions(), "firms")).coverage is None
