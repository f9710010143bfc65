"""The web map draws catchments as View › Catchments says and names the chosen basemap
in its layer list (issues 16 and 17)."""

import re

import pytest
import shapely

from app.core.export.webmap.legend import basemap_label, catchment_mode
from app.core.export.webmap.page import build_html
from app.core.project.loader import load_project
from app.core.sites import edits


@pytest.fixture(scope="module")
def stack(default_project_path):
    stack = load_project(default_project_path)
    sites = edits.new_sites_layer()
    stack.insert(0, sites)
    magok = stack.get("districts").data.query("district_id == 'magok'").geometry.iloc[0]
    centre = magok.representative_point()
    for number, dx in enumerate((0.0, 300.0), start=1):  # 800 m circles 300 m apart
        point = shapely.Point(centre.x + dx, centre.y)
        edits.insert_site(sites, edits.make_site(point, f"Site {number}"))
    return stack


def page(stack, **kwargs) -> str:
    return build_html(stack, embed_font=False, **kwargs)


@pytest.mark.parametrize(
    ("mode", "fill"), [("auto", "false"), ("outline", "false"), ("fill", "true")]
)
def test_the_project_mode_reaches_the_page(stack, mode, fill):
    text = page(stack, extra={"catchments": mode})
    assert re.search(r'"catchments":\s*\[\[', text)
    assert re.search(rf'"catchmentFill":\s*{fill}', text)


def test_hidden_catchments_are_not_on_the_page(stack):
    assert not re.search(r'"catchments":\s*\[\[', page(stack, extra={"catchments": "off"}))


def test_apart_circles_are_filled_in_auto_mode():
    records = [{"catchments": [[37.56, 126.83, 300.0], [37.56, 126.90, 300.0]]}]
    catchment_mode(records, "auto")
    assert records[0]["catchmentFill"] is True


def test_the_layer_list_names_the_chosen_basemap(stack):
    custom = page(stack, basemap=("https://tiles.example/{z}/{x}/{y}.png", "© Example tiles"))
    assert "Basemap: © Example tiles (online)" in custom
    assert "OpenStreetMap basemap" not in custom
    assert "OpenStreetMap basemap (online)" in page(stack, basemap=True)
    assert basemap_label("© Example tiles", "ko") == "배경지도: © Example tiles (온라인)"
