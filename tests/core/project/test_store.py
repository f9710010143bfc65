"""Project files (issue 3): save → open round trip, bad input, atomic save. Qt-free."""

import hashlib
import math
import shutil
import sqlite3
import struct
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely

from app.core.errors import ProjectLoadError
from app.core.project.store import (
    FORMAT_VERSION,
    SETTINGS_TABLE,
    ProjectSaveError,
    ProjectSettings,
    open_project,
    read_settings,
    save_project,
)
from app.core.sites import edits as site_ops
from layers.themes.sites import COLUMNS

# Points with many significant digits, a polygon with a hole, a MultiPolygon.
POINT = shapely.Point(190123.123456789, 545678.987654321)
POLYGON = shapely.Polygon(
    [(191000.5, 546000.25), (191120.125, 546010.0), (191100.0, 546130.75), (190990.0, 546100.0)],
    [[(191040.0, 546040.0), (191060.0, 546040.0), (191050.0, 546060.0)]],
)
MULTI = shapely.MultiPolygon(
    [
        shapely.box(192000.0, 547000.0, 192050.0, 547040.0),
        shapely.box(192100.0, 547000.0, 192180.5, 547033.3),
    ]
)


def sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def base_project(default_project_path):
    """The default project as a Project (sites empty); read once, never modified by a test."""
    return open_project(default_project_path)


@pytest.fixture
def project(default_project_path):
    return open_project(default_project_path)


def add_sites(project):
    layer = project.stack.get("sites")
    records = [
        site_ops.make_site(
            POINT,
            "가산디지털단지 후보지 ①",
            radius_m=650.0,
            notes="역에서 도보 5분 — 임대료 확인 필요\n둘째 줄 \"따옴표\" 'quote'",
            lot_area_m2=None,
        ),
        site_ops.make_site(POLYGON, "마곡 R&D 부지", notes="", lot_area_m2=None),
        site_ops.make_site(
            MULTI, "양재·개포 (두 필지)", radius_m=1200.0, notes="multi", lot_area_m2=3456.75
        ),
        site_ops.make_site(shapely.Point(0.5, -0.25), "Point with lot", lot_area_m2=812.5),
    ]
    for record in records:
        site_ops.insert_site(layer, record)
    return records


def assert_sites_equal(actual: gpd.GeoDataFrame, expected: gpd.GeoDataFrame) -> None:
    assert list(actual.columns) == list(expected.columns)
    assert actual.crs.to_epsg() == 5186
    pd.testing.assert_frame_equal(
        pd.DataFrame(actual.drop(columns=actual.geometry.name)),
        pd.DataFrame(expected.drop(columns=expected.geometry.name)),
    )
    for got, want in zip(actual.geometry.values, expected.geometry.values):
        assert got.geom_type == want.geom_type
        assert shapely.equals_exact(got, want, tolerance=0.0), (got.wkt, want.wkt)
        np.testing.assert_array_equal(shapely.get_coordinates(got), shapely.get_coordinates(want))


# -- round trip --------------------------------------------------------------------------


def test_round_trip_keeps_sites_geometry_attributes_and_settings(tmp_path, project):
    records = add_sites(project)
    stack = project.stack
    # Layer panel state: order, visibility, opacity.
    stack.move(stack.index(stack.get("sites")), 3)
    stack.move(stack.index(stack.get("gu")), 0)
    stack.get("zoning").set_visible(False)
    stack.get("dong").set_opacity(0.35)
    stack.get("startups").set_opacity(0.0)
    settings = ProjectSettings(
        radius_m=725.0,
        language="ko",
        view=[191234.5, 546789.25, 3.125],
        weights={"startups": 0.5, "stations": 0.3, "education": 0.2},
        extra={"메모": "워크숍 2차"},
    )
    expected_sites = stack.get("sites").data.copy()
    expected_order = stack.names()
    path = tmp_path / "프로젝트 가산.gpkg"

    save_project(path, stack, settings)
    loaded = open_project(path)

    assert loaded.path == path
    sites = loaded.stack.get("sites").data
    assert len(sites) == len(records) == 4
    assert_sites_equal(sites, expected_sites)
    assert sites["name"].tolist()[0] == "가산디지털단지 후보지 ①"
    assert sites["notes"].tolist()[0].endswith("'quote'")
    assert sites["kind"].tolist() == ["point", "polygon", "polygon", "point"]
    assert math.isnan(sites["lot_area_m2"].iloc[0]) and math.isnan(sites["lot_area_m2"].iloc[1])
    assert sites["lot_area_m2"].iloc[2] == 3456.75
    assert sites.geometry.iloc[2].geom_type == "MultiPolygon"
    assert len(sites.geometry.iloc[1].interiors) == 1
    # Settings: every field, layer order/visibility/opacity applied to the stack.
    got = loaded.settings
    assert got.radius_m == 725.0 and got.language == "ko"
    assert got.view == [191234.5, 546789.25, 3.125]
    assert got.weights == {"startups": 0.5, "stations": 0.3, "education": 0.2}
    assert got.extra == {"메모": "워크숍 2차"}
    assert [entry["name"] for entry in got.layers] == expected_order  # captured at save
    assert loaded.stack.names() == expected_order
    assert [layer.visible for layer in loaded.stack] == [layer.visible for layer in stack]
    assert [layer.opacity for layer in loaded.stack] == [layer.opacity for layer in stack]
    assert loaded.stack.get("zoning").visible is False
    assert loaded.stack.get("dong").opacity == 0.35
    assert loaded.stack.get("startups").opacity == 0.0
    # The other layers come back unchanged too, provenance included.
    for layer in stack:
        if layer.name == "sites":
            continue
        other = loaded.stack.get(layer.name)
        assert len(other.data) == len(layer.data), layer.name
        assert other.provenance == layer.provenance, layer.name
        assert shapely.equals_exact(
            other.data.geometry.values, layer.data.geometry.values, tolerance=0.0
        ).all(), layer.name


def test_second_round_trip_is_stable(tmp_path, project):
    """Open → save → open again gives the same sites (no drift, no added columns)."""
    add_sites(project)
    first, second = tmp_path / "one.gpkg", tmp_path / "two.gpkg"
    save_project(first, project.stack, project.settings)
    again = open_project(first)
    save_project(second, again.stack, again.settings)
    assert_sites_equal(
        open_project(second).stack.get("sites").data, project.stack.get("sites").data
    )


def test_empty_sites_layer_round_trip(tmp_path, project):
    path = tmp_path / "empty.gpkg"
    assert len(project.stack.get("sites").data) == 0
    save_project(path, project.stack, ProjectSettings())
    tables = {str(name) for name, _ in pyogrio.list_layers(path)}
    assert {"sites_points", "sites_areas"} <= tables and "sites" not in tables
    loaded = open_project(path)
    sites = loaded.stack.get("sites").data
    assert len(sites) == 0
    assert list(sites.columns) == list(COLUMNS) + [sites.geometry.name]
    assert sites.crs.to_epsg() == 5186
    assert loaded.stack.names()[0] == "sites"
    # ... and an empty project can be edited and saved again.
    site_ops.insert_site(loaded.stack.get("sites"), site_ops.make_site(POINT, "첫 후보지"))
    save_project(path, loaded.stack, loaded.settings)
    assert open_project(path).stack.get("sites").data["name"].tolist() == ["첫 후보지"]


def test_saved_file_is_a_valid_geopackage_1_2(tmp_path, project):
    path = tmp_path / "valid.gpkg"
    add_sites(project)
    save_project(path, project.stack, project.settings)
    header = path.read_bytes()[:100]
    assert header[:16] == b"SQLite format 3\x00"
    assert header[68:72] == b"GPKG"  # application_id
    assert struct.unpack(">I", header[60:64])[0] == 10200  # user_version: GeoPackage 1.2.0
    with sqlite3.connect(path) as con:
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        assert con.execute("PRAGMA application_id").fetchone()[0] == 0x47504B47
        contents = dict(con.execute("SELECT table_name, data_type FROM gpkg_contents"))
        srs = {row[0] for row in con.execute("SELECT srs_id FROM gpkg_geometry_columns")}
        rows = dict(con.execute(f'SELECT key, value FROM "{SETTINGS_TABLE}"'))
    con.close()
    layers = {str(name): kind for name, kind in pyogrio.list_layers(path)}
    for name in project.stack.names():
        for table in ("sites_points", "sites_areas") if name == "sites" else (name,):
            assert contents[table] == "features"
            assert table in layers
    assert contents["innoatlas_project"] == contents["innoatlas_provenance"] == "attributes"
    assert "innoatlas_project" in layers and "innoatlas_provenance" in layers
    assert srs == {5186}
    assert rows["format_version"] == str(FORMAT_VERSION)
    assert pyogrio.read_info(path, layer="sites_points")["features"] == 2
    assert pyogrio.read_info(path, layer="sites_areas")["features"] == 2
    assert pyogrio.read_info(path, layer="sites_areas")["crs"] == "EPSG:5186"


# -- bad input ---------------------------------------------------------------------------


def test_non_project_geopackage_is_refused(tmp_path):
    path = tmp_path / "roads.gpkg"
    frame = gpd.GeoDataFrame(
        {"name": ["강남대로"]}, geometry=[shapely.LineString([(0, 0), (100, 50)])], crs="EPSG:5186"
    )
    pyogrio.write_dataframe(frame, path, layer="roads", driver="GPKG")
    before = sha256(path)
    with pytest.raises(ProjectLoadError, match="not an InnoAtlas project"):
        open_project(path)
    assert sha256(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["roads.gpkg"]


def test_project_from_a_newer_version_is_refused(tmp_path, base_project):
    path = tmp_path / "future.gpkg"
    save_project(path, base_project.stack, base_project.settings)
    with sqlite3.connect(path) as con:
        con.execute(f"UPDATE \"{SETTINGS_TABLE}\" SET value = '99' WHERE key = 'format_version'")
    con.close()
    assert read_settings(path)[1] == 99
    with pytest.raises(ProjectLoadError, match="newer InnoAtlas") as info:
        open_project(path)
    assert "99" in str(info.value) and str(FORMAT_VERSION) in str(info.value)


@pytest.mark.parametrize("fraction", [0.0, 0.02, 0.5, 0.97])
def test_truncated_project_is_refused(tmp_path, base_project, fraction):
    good = tmp_path / "good.gpkg"
    save_project(good, base_project.stack, base_project.settings)
    data = good.read_bytes()
    path = tmp_path / "truncated.gpkg"
    path.write_bytes(data[: int(len(data) * fraction)])
    with pytest.raises(ProjectLoadError) as info:
        open_project(path)
    message = str(info.value)
    assert "truncated.gpkg" in message and "\n" not in message
    assert (
        "not a GeoPackage" in message
        or "not a valid GeoPackage" in message
        or "unreadable" in message
    )


def test_project_with_overwritten_pages_is_refused(tmp_path, base_project):
    path = tmp_path / "garbled.gpkg"
    save_project(path, base_project.stack, base_project.settings)
    data = bytearray(path.read_bytes())
    rng = np.random.default_rng(3)
    data[4096 : 4096 + 65536] = rng.integers(0, 256, 65536, dtype=np.uint8).tobytes()
    path.write_bytes(bytes(data))
    with pytest.raises(ProjectLoadError):
        open_project(path)


def test_unreadable_settings_value_is_refused(tmp_path, base_project):
    path = tmp_path / "settings.gpkg"
    save_project(path, base_project.stack, base_project.settings)
    with sqlite3.connect(path) as con:
        con.execute(f"UPDATE \"{SETTINGS_TABLE}\" SET value = '{{not json' WHERE key = 'settings'")
    con.close()
    with pytest.raises(ProjectLoadError, match="unreadable project settings"):
        open_project(path)


@pytest.mark.parametrize("name", ["plan #2.gpkg", "what?.gpkg", "50%41 done.gpkg"])
def test_project_with_uri_characters_in_its_name_reopens(tmp_path, base_project, name):
    """Regression: f"file:{path}?mode=ro" cut the name at '#'/'?' (and created a stray
    file there) or decoded '%41', so such a project could be saved but not reopened."""
    path = tmp_path / name
    save_project(path, base_project.stack, base_project.settings)  # saving works...
    try:
        loaded = open_project(path)  # ... opening must too
    finally:
        stray = sorted(p.name for p in tmp_path.iterdir())
    assert len(loaded.stack.get("sites").data) == len(base_project.stack.get("sites").data)
    assert stray == [name]


# -- atomic save ---------------------------------------------------------------------------


def test_save_into_missing_folder_fails_cleanly(tmp_path, base_project):
    target = tmp_path / "no such folder" / "p.gpkg"
    with pytest.raises(ProjectSaveError, match="does not exist"):
        save_project(target, base_project.stack, base_project.settings)
    assert not target.parent.exists()
    assert list(tmp_path.iterdir()) == []


def test_save_into_unwritable_folder_fails_cleanly(base_project):
    # /proc refuses new files even for root, unlike a chmod-ed folder.
    before = set(p.name for p in Path("/proc").iterdir() if not p.name.isdigit())
    with pytest.raises(ProjectSaveError) as info:
        save_project(Path("/proc/innoatlas-test.gpkg"), base_project.stack, base_project.settings)
    assert "cannot save" in str(info.value) and "\n" not in str(info.value)
    after = set(p.name for p in Path("/proc").iterdir() if not p.name.isdigit())
    assert not any("innoatlas" in name or name.endswith(".saving.gpkg") for name in after - before)


def test_failure_in_the_middle_of_a_save_keeps_the_previous_file(tmp_path, project):
    path = tmp_path / "keep.gpkg"
    add_sites(project)
    save_project(path, project.stack, project.settings)
    before, listing = sha256(path), sorted(p.name for p in tmp_path.iterdir())
    # Change the sites, then make the start-ups layer unwritable. Layers are written
    # bottom first (gu, dong, zoning, ...), so several are already in the temporary file
    # when the start-ups fail.
    site_ops.remove_site(
        project.stack.get("sites"), project.stack.get("sites").data["site_id"].iloc[0]
    )
    startups = project.stack.get("startups")
    assert project.stack.draw_order()[-2] is startups
    broken = startups.data.copy()
    broken["bad"] = np.full(len(broken), 1 + 2j)
    startups.set_data(broken)
    with pytest.raises(ProjectSaveError, match="previous file is unchanged"):
        save_project(path, project.stack, project.settings)
    assert sha256(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == listing == ["keep.gpkg"]
    assert not list(tmp_path.glob("*.saving.gpkg*"))
    assert len(open_project(path).stack.get("sites").data) == 4


def test_save_replaces_an_existing_project(tmp_path, project):
    path = tmp_path / "replace.gpkg"
    save_project(path, project.stack, project.settings)
    add_sites(project)
    save_project(path, project.stack, project.settings)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["replace.gpkg"]
    assert len(open_project(path).stack.get("sites").data) == 4


def test_open_of_a_copy_equals_the_original(tmp_path, project):
    """A project is one self-contained file: copying it elsewhere loses nothing."""
    add_sites(project)
    path = tmp_path / "a" / "orig.gpkg"
    path.parent.mkdir()
    save_project(path, project.stack, project.settings)
    copy = tmp_path / "copy.gpkg"
    shutil.copy(path, copy)
    assert_sites_equal(
        open_project(copy).stack.get("sites").data, open_project(path).stack.get("sites").data
    )


def test_project_io_does_not_load_qt():
    code = (
        "import sys, app.core.project.store, app.core.sites.edits, app.core.sites.geometry; "
        "sys.exit(any(m.startswith(('PySide6', 'shiboken6')) for m in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


def test_temporaries_of_a_killed_save_are_cleaned_by_the_next_save(tmp_path):
    """A save killed mid-write leaves '.NAME.*.saving.gpkg'; the next save removes it."""
    import os
    import time

    from app.core.paths import DEFAULT_PROJECT
    from app.core.project.store import open_project, save_project
    from app.core.project.temporaries import STALE_SECONDS

    project = open_project(DEFAULT_PROJECT)
    target = tmp_path / "plan.gpkg"
    leftover = tmp_path / ".plan.abc123.saving.gpkg"
    journal = tmp_path / ".plan.abc123.saving.gpkg-journal"
    fresh = tmp_path / ".plan.new999.saving.gpkg"  # maybe another save right now: kept
    for path in (leftover, journal, fresh):
        path.write_bytes(b"partial")
    old = time.time() - STALE_SECONDS - 60
    for path in (leftover, journal):
        os.utime(path, (old, old))
    settings_before = project.settings.layers
    save_project(target, project.stack, project.settings)
    assert not leftover.exists() and not journal.exists()
    assert fresh.exists()
    assert project.settings.layers == settings_before  # the caller's object is untouched
