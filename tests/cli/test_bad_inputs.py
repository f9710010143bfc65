"""``innoatlas indicators`` with bad and good override files from the corpus.

Every corpus error case goes through the command line: most in one child process that
calls ``app.cli.main.main`` per case with its stdout/stderr file descriptors redirected (so
that anything GDAL prints at C level is caught too), a handful as real
``python -m app indicators`` runs.
"""

import io
import json
import subprocess
import sys
import textwrap

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from tests.bad_inputs import LONLAT, build_corpus

FLAG = {
    None: "--startups",
    "startups": "--startups",
    "education": "--education",
    "stations": "--stations",
    "zoning": "--zoning",
}


def case_args(case, sites):
    args = ["indicators", str(sites), FLAG[case.role], str(case.path), "--format", "json"]
    if case.options is not None and case.options.assumed_crs:
        args += ["--input-crs", case.options.assumed_crs]
    if case.options is not None and case.options.encoding:
        args += ["--encoding", case.options.encoding]
    return args


def run_cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "app", *map(str, args)], capture_output=True, text=True, timeout=120
    )


def assert_one_line_error(rc, out, err, pattern=None):
    lines = err.strip().splitlines()
    assert rc == 2, err
    assert len(lines) == 1 and lines[0].startswith("innoatlas: error:"), err
    assert "Traceback" not in err and out == ""
    if pattern is not None:
        import re

        assert re.search(pattern, lines[0]), lines[0]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus")
    sites = folder / "sites.geojson"
    gpd.GeoDataFrame(
        {"name": ["가산 A", "가산 B"]},
        geometry=[shapely.Point(*LONLAT[0]), shapely.Point(126.8800, 37.4790)],
        crs="EPSG:4326",
    ).to_file(sites, driver="GeoJSON")
    return sites, {case.name: case for case in build_corpus(folder / "files")}


def test_every_corpus_error_is_one_line_on_the_command_line(corpus, tmp_path):
    sites, cases = corpus
    # every error case but those of a layer choice, which the command line does not offer
    errors = [
        c
        for c in cases.values()
        if c.expect == "error" and (c.options is None or c.options.layer is None)
    ]
    runs = [case_args(c, sites) for c in errors]
    script = textwrap.dedent("""
        import json, os, sys
        from app.cli.main import main
        runs, folder = json.loads(sys.argv[1]), sys.argv[2]
        results = []
        for i, argv in enumerate(runs):
            paths = [os.path.join(folder, f"{i}.{n}") for n in ("out", "err")]
            saved = [os.dup(1), os.dup(2)]
            files = [open(p, "w") for p in paths]
            sys.stdout.flush(); sys.stderr.flush()
            os.dup2(files[0].fileno(), 1); os.dup2(files[1].fileno(), 2)
            try:
                rc = main(argv)
            except SystemExit as exit_:
                rc = exit_.code
            finally:
                sys.stdout.flush(); sys.stderr.flush()
                os.dup2(saved[0], 1); os.dup2(saved[1], 2)
                for f in files:
                    f.close()
            results.append([rc] + [open(p).read() for p in paths])
        print(json.dumps(results))
    """)
    child = subprocess.run(
        [sys.executable, "-c", script, json.dumps(runs), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert child.returncode == 0, child.stderr
    results = json.loads(child.stdout)
    assert len(results) == len(errors) >= 20
    for case, (rc, out, err) in zip(errors, results):
        assert_one_line_error(rc, out, err, case.pattern), case.name


@pytest.mark.parametrize(
    "name",
    [
        "shapefile missing .dbf",
        "invalid json",
        "gpkg truncated",
        "zoning as points",
        "universities as polygons",
        "shapefile with garbage .prj",
    ],
)
def test_real_subprocess_error(corpus, name):
    sites, cases = corpus
    result = run_cli(*case_args(cases[name], sites))
    assert_one_line_error(result.returncode, result.stdout, result.stderr, cases[name].pattern)


def _memory_cap():
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


MEMORY_CAP = 1536 << 20  # the whole app runs in about 600 MB; a bomb needs GBs


@pytest.mark.parametrize(
    "name",
    [
        "zip bomb: a 3 GiB .cpg",
        "zip bomb: a 1 GiB .prj (GDAL reads it whole)",
        "zip bomb: a 1 GiB .dbf from 1 MB",
        "zip-slip member names ('../')",
        "shapefile with a 3 GiB .prj (sparse)",
    ],
)
def test_zip_bombs_and_huge_sidecars_are_refused_under_a_memory_cap(corpus, name):
    """With the address space capped at 1.5 GB, a file that unpacks to GBs is refused
    with its one line (exit 2), never a MemoryError, an abort or a garbled import."""
    sites, cases = corpus
    result = subprocess.run(
        [sys.executable, "-m", "app", *map(str, case_args(cases[name], sites))],
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=_memory_cap,
    )
    assert_one_line_error(result.returncode, result.stdout, result.stderr, cases[name].pattern)
    assert "MemoryError" not in result.stderr


def test_cp949_startups_with_korean_columns_change_the_indicators(corpus, tmp_path):
    """A CP949 shapefile without .cpg whose columns are 업종/종사자수 is read as Korean
    text, 업종 becomes the sector and 종사자수 the employees."""
    sites, _ = corpus
    path = tmp_path / "startups.shp"
    gpd.GeoDataFrame(
        {
            "업체명": ["가산소프트", "구로바이오", "디지털랩"],
            "업종": ["소프트웨어", "바이오", "소프트웨어"],
            "종사자수": [12, 30, 5],
        },
        geometry=[shapely.Point(*LONLAT[0])] * 3,
        crs="EPSG:4326",
    ).to_file(path, encoding="CP949")
    path.with_suffix(".cpg").unlink()
    default = run_cli("indicators", sites, "--format", "json")
    custom = run_cli("indicators", sites, "--format", "json", "--startups", path, "--radius", "300")
    assert default.returncode == 0 and custom.returncode == 0, custom.stderr
    first = json.loads(custom.stdout)[0]
    assert first["startups_n"] == 3 and first["employees_sum"] == 47
    assert first["top_sector"] == "소프트웨어"  # exact Korean text: CP949 detected
    assert json.loads(default.stdout)[0]["top_sector"] != "소프트웨어"
    assert (
        "innoatlas: note: startups.shp: no .cpg file: text is not valid UTF-8, read as "
        "CP949" in custom.stderr
    )


def test_zoning_file_with_full_korean_names_and_csv_with_input_crs(corpus, tmp_path):
    sites, cases = corpus
    x, y = gpd.GeoSeries([shapely.Point(*LONLAT[0])], crs="EPSG:4326").to_crs(5186)[0].coords[0]
    zoning = tmp_path / "zoning.gpkg"
    gpd.GeoDataFrame(
        {"용도지역명": ["일반상업지역"]},
        geometry=[shapely.box(x - 2000, y - 2000, x + 2000, y + 2000)],
        crs="EPSG:5186",
    ).to_file(zoning)
    csv = tmp_path / "startups.csv"
    pd.DataFrame({"name": ["a", "b"], "X좌표": [x, x + 5], "Y좌표": [y, y + 5]}).to_csv(
        csv, index=False, encoding="cp949"
    )
    result = run_cli(
        "indicators",
        sites,
        "--format",
        "json",
        "--zoning",
        zoning,
        "--startups",
        csv,
        "--input-crs",
        "EPSG:5186",
        "--radius",
        "100",
    )
    assert result.returncode == 0, result.stderr
    first = json.loads(result.stdout)[0]
    assert first["dominant_zone"] == "일반상업" and first["startups_n"] == 2, (result.stderr, first)
    without_crs = run_cli("indicators", sites, "--startups", csv)
    assert_one_line_error(
        without_crs.returncode, without_crs.stdout, without_crs.stderr, r"no CRS .*pick its CRS"
    )


def test_encoding_option_is_used_and_checked(corpus):
    sites, cases = corpus
    path = cases["shapefile CP949 without .cpg"].path
    ok = run_cli("indicators", sites, "--stations", path, "--encoding", "CP949", "--format", "csv")
    assert ok.returncode == 0 and "read as CP949" not in ok.stderr, ok.stderr
    assert list(pd.read_csv(io.StringIO(ok.stdout))["site"]) == ["가산 A", "가산 B"]
    bad = run_cli("indicators", sites, "--stations", path, "--encoding", "KLINGON")
    assert_one_line_error(bad.returncode, bad.stdout, bad.stderr, "unknown text encoding")


def test_help_documents_the_new_options():
    result = run_cli("indicators", "--help")
    assert "--input-crs CRS" in result.stdout and "--encoding ENC" in result.stdout


def test_an_address_csv_names_its_columns_on_the_command_line(tmp_path):
    """A CSV of addresses without coordinates (issue 16): one stderr line, exit 2, saying it
    has no coordinate columns and which columns it has."""
    from tests.cli.run import assert_one_line_error, run_innoatlas

    path = tmp_path / "addresses.csv"
    path.write_text("이름,주소,업종\n가산 A,서울 금천구 가산디지털1로 1,ICT/SW\n", encoding="utf-8")
    result = run_innoatlas("indicators", path)
    assert_one_line_error(result, "has no coordinate columns")
    assert "its columns: 이름, 주소, 업종" in result.stderr
    assert "주소 holds addresses, which are not geocoded" in result.stderr
