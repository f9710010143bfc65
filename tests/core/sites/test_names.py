"""App-made site names in the UI language; the user's names as they are."""

import pytest
import shapely

from app.core.sites.edits import insert_site, make_site, new_sites_layer, next_site_name
from app.core.sites.names import display_name


@pytest.mark.parametrize(
    ("name", "ko", "en"),
    [
        ("Site 3", "후보지 3", "Site 3"),
        ("후보지 12", "후보지 12", "Site 12"),
        ("Suggested magok 1", "제안 마곡 1", "Suggested Magok 1"),
        ("Suggested Yangjae/Gaepo 2", "제안 양재·개포 2", "Suggested Yangjae/Gaepo 2"),
        ("제안 G밸리 4", "제안 G밸리 4", "Suggested G-Valley 4"),
        ("Library", "Library", "Library"),
        ("Suggested nowhere 1", "Suggested nowhere 1", "Suggested nowhere 1"),
        ("Site 3 east", "Site 3 east", "Site 3 east"),
    ],
)
def test_display_name(name, ko, en):
    assert display_name(name, "ko") == ko
    assert display_name(name, "en") == en


def test_next_name_counts_names_made_in_either_language():
    layer = new_sites_layer()
    for name in ("Site 1", "후보지 2"):
        insert_site(layer, make_site(shapely.Point(0, 0), name))
    assert next_site_name(layer, "후보지") == "후보지 3"
    assert next_site_name(layer, "Site") == "Site 3"
