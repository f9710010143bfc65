"""Which scene the map's view is in (presentation mode starts there)."""

from app.core.project.scenes import Scene, scene_for_view

CITY = Scene("city", "City", (0.0, 0.0, 10_000.0, 10_000.0))
WEST = Scene("west", "West", (1_000.0, 1_000.0, 3_000.0, 3_000.0))
EAST = Scene("east", "East", (7_000.0, 7_000.0, 9_000.0, 9_000.0))


def test_the_scene_that_fits_the_view_best_wins():
    scenes = [CITY, WEST, EAST]
    assert scene_for_view(scenes, (7_500.0, 7_500.0, 8_500.0, 8_500.0)) == 2
    assert scene_for_view(scenes, (1_200.0, 1_200.0, 2_800.0, 2_800.0)) == 1
    assert scene_for_view(scenes, (-1_000.0, -1_000.0, 11_000.0, 11_000.0)) == 0


def test_no_scene_contains_the_view_centre():
    assert scene_for_view([WEST, EAST], (4_000.0, 4_000.0, 6_000.0, 6_000.0)) is None
    assert scene_for_view([], (0.0, 0.0, 1.0, 1.0)) is None
