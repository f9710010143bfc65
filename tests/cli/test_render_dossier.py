"""``innoatlas render --dossier OUT.pdf``: one A4 page per site whose text (pdftotext)
holds every indicator of that site; bad input is one line and exit 2, never a PDF."""

import json
import shutil
import subprocess
from functools import partial

import geopandas as gpd
import pytest
import shapely

from app.core.indicators.engine import COLUMNS
from app.core.indicators.labels import label
from tests.cli.run import assert_one_line_error, run_innoatlas

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed"
)
render = partial(run_innoatlas, "render", timeout=240)


@pytest.fixture(scope="module")
def sites_file(tmp_path_factory):
    """Two sites in G-Valley and one in Magok, in longitude/latitude."""
    path = tmp_path_factory.mktemp("sites") / "sites.geojson"
    gpd.GeoDataFrame(
        {"name": ["가산 A", "가산 B", "마곡 C"], "site_id": ["a1", "b2", "c3"]},
        geometry=[
            shapely.Point(126.8826, 37.4776),
            shapely.box(126.8870, 37.4790, 126.8885, 37.4800),
            shapely.Point(126.8330, 37.5605),
        ],
        crs="EPSG:4326",
    ).to_file(path, driver="GeoJSON")
    return path


def page_text(pdf, number):
    out = subprocess.run(
        ["pdftotext", "-layout", "-f", str(number), "-l", str(number), str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return " ".join(out.split())


@pytest.fixture(scope="module")
def korean_dossier(sites_file, tmp_path_factory):
    out = tmp_path_factory.mktemp("dossier") / "dossier.pdf"
    result = render("--dossier", out, "--sites", sites_file, "--lang", "ko")
    assert result.returncode == 0, result.stderr
    assert "(3 pages)" in result.stdout
    return out


def test_every_indicator_of_each_site_is_on_its_page(korean_dossier, sites_file):
    indicators = run_innoatlas("indicators", sites_file, "--format", "json")
    records = {r["site_id"]: r for r in json.loads(indicators.stdout)}
    pages = [page_text(korean_dossier, n) for n in (1, 2, 3)]
    for text in pages:
        # spaces compared away: pdftotext joins a narrow Hangul word gap ("역 수" → "역수")
        bare = "".join(text.split())
        for column in COLUMNS:
            name = "".join(label(column, "ko").split())
            assert name in bare, (column, name)
    # each page names its site and holds that site's own start-up count
    for site_id, name in (("a1", "가산 A"), ("b2", "가산 B"), ("c3", "마곡 C")):
        text = next(t for t in pages if f"후보지 자료: {name}" in t)
        count = f"{records[site_id]['startups_n']:,}"
        assert f"스타트업수{count}" in "".join(text.split())
        assert "가중치 조합의" in text and "가까운 역" in text and "합성" in text


def test_the_page_is_a4_with_embedded_hangul(korean_dossier):
    info = subprocess.run(["pdfinfo", korean_dossier], capture_output=True, text=True).stdout
    assert "595.2 x 841.92 pts (A4)" in info or "595 x 842 pts (A4)" in info, info
    fonts = subprocess.run(["pdffonts", korean_dossier], capture_output=True, text=True).stdout
    nanum = [line for line in fonts.splitlines() if line.startswith("NanumGothic")]
    assert nanum and all(" yes " in line for line in nanum)  # embedded


def test_a_pairwise_matrix_sets_the_weights(sites_file, tmp_path):
    matrix = tmp_path / "ahp.csv"
    matrix.write_text("1,3,3,3,3\n1/3,1,1,1,1\n1/3,1,1,1,1\n1/3,1,1,1,1\n1/3,1,1,1,1\n")
    out = tmp_path / "d.pdf"
    result = render("--dossier", out, "--sites", sites_file, "--ahp", matrix)
    assert result.returncode == 0, result.stderr
    # weights 3/7, 1/7 × 4; the floor area is left out (point sites without lot area), so
    # the start-ups' share is 3 / (3 + 3 × 1) = 50.0 % (default weights give 35.3 %)
    assert "× 50.0 % =" in page_text(out, 1)


def test_bad_input_is_one_line_and_no_pdf(sites_file, tmp_path):
    out = tmp_path / "d.pdf"
    # the default project has no sites
    assert_one_line_error(render("--dossier", out), "no sites to write a dossier")
    inconsistent = tmp_path / "bad.csv"
    inconsistent.write_text("1,9,1/9,1,1\n1/9,1,9,1,1\n9,1/9,1,1,1\n1,1,1,1,1\n1,1,1,1,1\n")
    assert_one_line_error(
        render("--dossier", out, "--sites", sites_file, "--ahp", inconsistent), "inconsistent"
    )
    nonreciprocal = tmp_path / "nr.csv"
    nonreciprocal.write_text("1,3,1,1,1\n3,1,1,1,1\n1,1,1,1,1\n1,1,1,1,1\n1,1,1,1,1\n")
    assert_one_line_error(
        render("--dossier", out, "--sites", sites_file, "--ahp", nonreciprocal), "not reciprocal"
    )
    assert_one_line_error(render("--dossier", tmp_path / "d.png", "--sites", sites_file), ".pdf")
    assert_one_line_error(render(), "needs an output file")
    assert_one_line_error(render(tmp_path / "m.png", "--ahp", inconsistent), "--dossier")
    assert not out.exists()
