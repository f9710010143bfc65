"""The project's catchment setting survives a save (settings JSON) and damage."""

from __future__ import annotations

from app.core.network.settings import SETTINGS_KEY, CatchmentSetting
from app.core.project.store import ProjectSettings


def test_setting_round_trips_through_the_saved_settings():
    settings = ProjectSettings()
    CatchmentSetting("streets", "network", 2.0).to_extra(settings.extra)
    back = ProjectSettings.from_json(settings.to_json())
    assert CatchmentSetting.from_extra(back.extra) == CatchmentSetting("streets", "network", 2.0)


def test_circles_leave_no_record_and_damage_means_circles():
    extra: dict = {}
    CatchmentSetting().to_extra(extra)
    assert SETTINGS_KEY not in extra
    for damaged in ("x", {"layer": 5}, {"layer": "s", "catchment": "bus", "tolerance_m": -1}):
        setting = CatchmentSetting.from_extra({SETTINGS_KEY: damaged})
        assert setting.tolerance_m == 1.0
        assert setting.uses_network == (isinstance(damaged, dict) and damaged.get("layer") == "s")
