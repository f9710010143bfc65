"""A scene keeps its catchment mode and basemap through the project file; damaged values
fall back instead of losing the scene (issues 16 and 17)."""

from app.core.basemap.sources import CUSTOM, BasemapSettings
from app.core.project.scenes import Scene, scenes_from_settings, scenes_to_settings


def test_catchments_and_basemap_round_trip_and_damaged_values_fall_back():
    faint = BasemapSettings(True, CUSTOM, 0.3, True, "https://t.example/{z}/{x}/{y}.png", "© T")
    scene = Scene("s1", "Lots", (0.0, 0.0, 10.0, 10.0), ("zoning",), "outline", faint)
    extra: dict = {}
    scenes_to_settings(extra, [scene, Scene("s2", "Old", (0.0, 0.0, 1.0, 1.0))])
    again = scenes_from_settings(extra, None)
    assert again[0] == scene
    assert again[1].catchments is None and again[1].basemap is None  # keeps the current ones
    extra["scenes"][0]["catchments"] = "<script>"
    extra["scenes"][0]["basemap"] = {"source": "nowhere", "opacity": "lots"}
    damaged = scenes_from_settings(extra, None)[0]
    assert damaged.catchments == "auto"
    assert damaged.basemap == BasemapSettings()  # off: a project never fetches by surprise
