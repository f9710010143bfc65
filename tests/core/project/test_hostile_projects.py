"""Damaged project files (issue 13): unreadable features kept byte for byte and named,
absurd settings replaced by defaults with a note, newer formats refused in one line,
temporaries of killed saves cleaned, lock files. Qt-free."""

import json
import math
import os
import sqlite3
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.errors import InnoAtlasError, ProjectLoadError
from app.core.project.lock import ProjectLock, lock_path, read_lock
from app.core.project.processes import host_tag
from app.core.project.store import ProjectSettings, open_project, save_project
from tests.hostile_projects import (
    ABSURD_SETTINGS,
    flip_geometry,
    project_with_sites,
    set_project_value,
    with_settings,
)


@pytest.fixture(scope="module")
def sites_project(tmp_path_factory):
    """The default project with three sites, saved once; tests copy it."""
    return project_with_sites(tmp_path_factory.mktemp("sites") / "three.gpkg")


@pytest.fixture
def copy_of(sites_project, tmp_path):
    def make(name="plan.gpkg"):
        path = tmp_path / name
        path.write_bytes(sites_project.read_bytes())
        return path

    return make


def rows(path, table, where="1"):
    with sqlite3.connect(path) as con:
        found = con.execute(f'SELECT * FROM "{table}" WHERE {where} ORDER BY fid').fetchall()
    con.close()
    return found


def without_fid(row):
    return row[1:]


def test_a_damaged_site_is_named_and_kept_byte_for_byte_across_open_and_save(copy_of, tmp_path):
    path = copy_of()
    (damaged,) = flip_geometry(path, "sites_points", "name = 's1'")
    project = open_project(path)
    assert sorted(project.stack.get("sites").data["name"]) == ["s0", "s2"]
    (note,) = [n for n in project.notes if "sites" in n]
    assert f"fid {damaged[0]}" in note and "'sites_points'" in note and "damaged geometry" in note

    saved = tmp_path / "saved.gpkg"
    save_project(saved, project.stack, project.settings)
    assert len(rows(saved, "sites_points")) == 3
    (kept,) = rows(saved, "sites_points", "name = 's1'")
    assert without_fid(kept) == without_fid(damaged)  # the blob's bytes included
    # And again: a second round trip keeps it too.
    again = open_project(saved)
    save_project(saved, again.stack, again.settings)
    (kept,) = rows(saved, "sites_points", "name = 's1'")
    assert without_fid(kept) == without_fid(damaged)
    assert sorted(open_project(saved).stack.get("sites").data["name"]) == ["s0", "s2"]


def test_all_districts_damaged_opens_with_a_note_and_saves_them_unchanged(copy_of, tmp_path):
    path = copy_of()
    damaged = flip_geometry(path, "districts")
    assert len(damaged) == 3
    project = open_project(path)
    assert len(project.stack.get("districts").data) == 0
    (note,) = [n for n in project.notes if "districts" in n]
    assert "3 features cannot be read" in note
    assert all(f"fid {row[0]}" in note for row in damaged)
    saved = tmp_path / "saved.gpkg"
    save_project(saved, project.stack, project.settings)
    assert sorted(map(without_fid, rows(saved, "districts"))) == sorted(map(without_fid, damaged))


def test_an_intact_project_has_no_notes(copy_of):
    assert open_project(copy_of()).notes == []


@pytest.mark.parametrize("case", list(ABSURD_SETTINGS))
def test_absurd_settings_open_with_a_note_and_safe_defaults(copy_of, case):
    changes, setting = ABSURD_SETTINGS[case]
    path = copy_of()
    with_settings(path, changes)
    project = open_project(path)
    assert any(setting in note for note in project.notes), project.notes
    values = project.settings
    assert math.isfinite(values.radius_m) and 0 <= values.radius_m <= 10_000
    assert values.view == [] or (all(math.isfinite(v) for v in values.view) and values.view[2] > 0)
    assert all(math.isfinite(w) and w >= 0 for w in values.weights.values())
    values.score_weights()  # usable
    assert all(0 <= e["opacity"] <= 1 for e in values.layers)
    assert values.language in ("en", "ko")
    assert "pending_sketch" not in values.extra or all(
        math.isfinite(v) for corner in values.extra["pending_sketch"] for v in corner
    )


def test_a_wrong_type_setting_opens_with_a_note_instead_of_refusing(copy_of):
    """Changed on purpose (issue 13): ``radius_m: "wide"`` and damaged layer entries
    used to refuse the whole project; now each gets its default and a note."""
    path = copy_of()
    set_project_value(path, "settings", '{"layers": [1, 2], "radius_m": "wide"}')
    project = open_project(path)
    assert project.settings.radius_m == 800
    assert [n for n in project.notes if "'layers'" in n] and [
        n for n in project.notes if "'radius_m'" in n
    ]


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=10), inner),
    max_leaves=30,
)
KEYS = ["radius_m", "language", "view", "layers", "weights", "extra", "other"]
settings_objects = st.dictionaries(
    st.sampled_from(KEYS),
    json_values
    | st.lists(st.floats(allow_nan=True), min_size=3, max_size=3)
    | st.fixed_dictionaries({"pending_sketch": json_values}),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        settings_objects.map(json.dumps),
        json_values.map(json.dumps),
        st.text(max_size=60),
        st.integers(1, 3000).map(lambda depth: "[" * depth + "]" * depth),
    )
)
def test_fuzz_any_settings_json_gives_valid_settings_or_a_clear_error(text):
    try:
        values, notes = ProjectSettings.parse(text)
    except ValueError as err:  # read_settings turns it into a one-line ProjectLoadError
        assert "\n" not in str(err) and len(str(err)) < 200
        return
    assert all(isinstance(n, str) and "\n" not in n and len(n) < 300 for n in notes)
    assert isinstance(values.radius_m, float) and 0 <= values.radius_m <= 10_000
    assert values.language in ("en", "ko")
    assert values.view == [] or (
        len(values.view) == 3 and all(math.isfinite(v) for v in values.view)
    )
    assert 0.05 <= (values.view or [0, 0, 1])[2] <= 2000
    values.score_weights()
    again, new_notes = ProjectSettings.parse(values.to_json())  # saved, then reopened
    assert new_notes == [] and again.radius_m == values.radius_m and again.view == values.view


@pytest.mark.parametrize("version", ["2", "99"])
def test_a_newer_format_is_refused_in_one_line(copy_of, version):
    path = copy_of()
    set_project_value(path, "format_version", version)
    with pytest.raises(ProjectLoadError, match="newer InnoAtlas") as info:
        open_project(path)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("value", ["x" * 20_000, "9" * 20_000, "1e300", "-1", "0", ""])
def test_an_absurd_format_version_is_one_short_line(copy_of, value):
    path = copy_of()
    set_project_value(path, "format_version", value)
    with pytest.raises(InnoAtlasError) as info:
        open_project(path)
    assert len(str(info.value)) < 120 and "format version" in str(info.value)


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_temporaries_of_killed_saves_are_cleaned_at_the_next_open(copy_of, tmp_path):
    path = copy_of()
    dead = dead_pid()
    killed = [tmp_path / f".plan.k{n}.{host_tag()}-{dead}.saving.gpkg" for n in range(5)]
    journal = tmp_path / f".plan.k0.{host_tag()}-{dead}.saving.gpkg-journal"
    live = tmp_path / f".plan.k9.{host_tag()}-{os.getpid()}.saving.gpkg"  # a save running now
    other_host = tmp_path / f".plan.k8.{'0' * 8}-{dead}.saving.gpkg"  # maybe saving remotely
    for leftover in [*killed, journal, live, other_host]:
        leftover.write_bytes(b"partial")
    open_project(path)
    assert not any(p.exists() for p in [*killed, journal])
    assert live.exists() and other_host.exists()


def test_a_lock_is_seen_by_another_instance_and_a_stale_one_is_ignored(copy_of):
    path = copy_of()
    first, second = ProjectLock(), ProjectLock()
    assert first.acquire(path)
    holder = second.holder(path)
    assert holder is not None and holder.pid == os.getpid() and holder.user
    assert first.holder(path) is None  # its own lock
    first.release()
    assert not lock_path(path).exists() and second.holder(path) is None

    assert second.acquire(path)
    stale = json.loads(lock_path(path).read_text())
    stale.update(pid=dead_pid(), instance="crashed")
    lock_path(path).write_text(json.dumps(stale))
    assert read_lock(path).stale and first.holder(path) is None
