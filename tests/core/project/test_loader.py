"""Loading the project GeoPackage, and clear errors for bad files."""

import shutil
import sqlite3

import pytest

from app.core.errors import ProjectLoadError
from app.core.project.loader import load_project
from layers.provenance import DataStatus


def test_default_project_loads_every_layer_with_provenance(default_project_path):
    progress = []
    stack = load_project(default_project_path, lambda f, name: progress.append((f, name)))
    assert stack.names() == [
        "startups",
        "stations",
        "education",
        "districts",
        "zoning",
        "dong",
        "gu",
    ]
    assert progress[-1][0] == pytest.approx(1.0)
    for layer in stack:
        assert layer.data.crs.to_epsg() == 5186
        assert len(layer.data) > 0
    assert stack.get("startups").provenance.status == DataStatus.SYNTHETIC
    assert stack.get("zoning").provenance.status == DataStatus.ILLUSTRATIVE
    assert stack.get("districts").provenance.status == DataStatus.APPROXIMATE
    assert stack.get("gu").provenance.status == DataStatus.REAL
    assert "KOGL" in stack.get("gu").provenance.licence
    assert sorted(stack.get("districts").data["district_id"]) == ["gvalley", "magok", "yangjae"]
    assert stack.get("startups").data["synthetic"].all()


@pytest.mark.parametrize(
    "content, expected",
    [
        (b"", "not a GeoPackage"),
        (b"hello, this is text", "not a GeoPackage"),
    ],
)
def test_non_geopackage_files_are_refused(tmp_path, content, expected):
    path = tmp_path / "bad.gpkg"
    path.write_bytes(content)
    with pytest.raises(ProjectLoadError, match=expected):
        load_project(path)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(ProjectLoadError, match="not found"):
        load_project(tmp_path / "nope.gpkg")
    with pytest.raises(ProjectLoadError, match="folder"):
        load_project(tmp_path)


def test_truncated_geopackage_is_refused(tmp_path, default_project_path):
    data = default_project_path.read_bytes()
    path = tmp_path / "truncated.gpkg"
    path.write_bytes(data[: len(data) // 3])
    with pytest.raises(ProjectLoadError):
        load_project(path)


def test_missing_layer_is_named(tmp_path, default_project_path):
    path = tmp_path / "no_stations.gpkg"
    shutil.copy(default_project_path, path)
    with sqlite3.connect(path) as con:
        con.execute("DELETE FROM gpkg_contents WHERE table_name = 'stations'")
        con.execute("DELETE FROM gpkg_geometry_columns WHERE table_name = 'stations'")
        con.execute("DROP TABLE stations")
    with pytest.raises(ProjectLoadError, match="stations"):
        load_project(path)


def test_missing_column_is_named(tmp_path, default_project_path):
    path = tmp_path / "no_sector.gpkg"
    shutil.copy(default_project_path, path)
    with sqlite3.connect(path) as con:
        con.execute("ALTER TABLE startups DROP COLUMN sector")
    with pytest.raises(ProjectLoadError, match="sector"):
        load_project(path)
