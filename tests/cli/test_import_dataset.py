"""``innoatlas import FILE --project P.gpkg`` writes each official dataset into the project
in its role, with real-data provenance and its coverage area; ``innoatlas datasets``
lists them; bad input is one line and exit code 2 with the project unchanged."""

from pathlib import Path

import pytest

from app.cli.main import main
from app.core.datasets.project_import import dataset_of
from app.core.project.coverage import saved_coverage
from app.core.project.store import open_project
from layers.provenance import DataStatus
from tests.cli.run import assert_one_line_error, run_innoatlas

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "datasets"


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """A project into which the four datasets were imported, in the order a planner
    might: start-ups, workplaces, greenbelt, zoning."""
    target = tmp_path_factory.mktemp("import") / "real.gpkg"
    for name in (
        "store_info_seoul_202403.csv",
        "nps_workplaces_202403.csv",
        "seoul_greenbelt_OA-21123.zip",
        "seoul_zoning_OA-21136.zip",
    ):
        assert main(["import", str(FIXTURES / name), "--project", str(target)]) == 0
    return open_project(target)


def test_the_start_ups_take_their_role_with_real_provenance(imported):
    roles = imported.settings.roles()
    firms = imported.stack.get(roles["startups"])
    assert dataset_of(imported.settings.extra, firms.name) == "semas"
    assert len(firms.data) == 20
    assert firms.provenance.status is DataStatus.REAL
    assert "C21, C26-C28, J58-J63, M70-M73" in firms.provenance.notes
    # the synthetic start-ups stay hidden behind it and count only outside its coverage
    assert not imported.stack.get("startups").visible
    coverage = saved_coverage(imported.settings.extra, firms.name)
    assert coverage.mode == "districts"
    assert set(coverage.ids) == {"gvalley", "magok", "yangjae"}


def test_the_workplaces_are_a_dong_layer_and_matched_onto_the_start_ups(imported):
    roles = imported.settings.roles()
    firms = imported.stack.get(roles["startups"]).data
    assert firms["nps_matched"].sum() == 16
    assert firms.loc[firms["nps_matched"], "employees"].notna().all()
    per_dong = imported.stack.get("nps_per_dong")
    assert per_dong.provenance.status is DataStatus.REAL
    gasan = per_dong.data.set_index("name").loc["가산동"]
    assert (gasan["nps_firms"], gasan["nps_employees"]) == (2, 47)


def test_zoning_takes_its_role_with_the_greenbelt_and_its_own_polygons_as_coverage(imported):
    roles = imported.settings.roles()
    zoning = imported.stack.get(roles["zoning"])
    assert dataset_of(imported.settings.extra, zoning.name) == "zoning"
    assert saved_coverage(imported.settings.extra, zoning.name).mode == "polygons"
    kinds = zoning.data.groupby("kind")["zone_type"].agg(set)
    assert kinds["overlay"] == {"개발제한구역"}
    assert "unknown zone (UQA999)" in kinds["zone"]
    assert zoning.provenance.vintage == "2024-05-31 (dbf header)"
    assert "KOGL Type 1" in zoning.provenance.licence
    assert not imported.stack.get("zoning").visible  # the illustrative one


def test_datasets_lists_where_each_is_published(capsys):
    assert main(["datasets"]) == 0
    out = capsys.readouterr().out
    for text in ("상가(상권)정보", "15083033", "15083277", "OA-21136", "OA-21123", "UDV100"):
        assert text in out


def test_import_says_what_each_layer_covers(tmp_path, capsys):
    target = tmp_path / "p.gpkg"
    args = ["import", str(FIXTURES / "store_info_seoul_202403.csv"), "--project", str(target)]
    assert main([*args, "--keep-all"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "상가(상권)정보, 60 rows, 40 in the study area, 20 knowledge-based"
    assert out[1].startswith("semas_firms: 20 features, role startups (covers G-Valley, Magok")
    assert out[2].startswith("semas_all_businesses: 20 features, context layer")


def test_an_old_release_is_one_line_naming_what_is_missing(tmp_path):
    target = tmp_path / "p.gpkg"
    result = run_innoatlas("import", FIXTURES / "store_info_2015_release.csv", "--project", target)
    assert_one_line_error(result, "lacks 표준산업분류코드")
    assert "assumed CP949" in result.stderr
    assert not target.exists()


def test_bad_input_leaves_the_project_unchanged(tmp_path, capsys):
    target = tmp_path / "p.gpkg"
    assert (
        main(["import", str(FIXTURES / "seoul_zoning_OA-21136.zip"), "--project", str(target)]) == 0
    )
    before = target.read_bytes()
    for args in (
        [str(FIXTURES / "zoning_lookalike.zip")],
        [str(FIXTURES / "store_info_seoul_202403.csv"), "--dataset", "nps"],
        [str(FIXTURES / "store_info_seoul_202403.csv"), "--ksic", "J62, banana"],
    ):
        capsys.readouterr()
        assert main(["import", *args, "--project", str(target)]) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and err[0].startswith("innoatlas: error:"), err
    assert target.read_bytes() == before
