"""Write the small, faithful fixtures of the official datasets into tests/data/datasets/.

Run ``python -m tests.data.make_dataset_fixtures`` (from the repository root) to
rewrite them; the files are committed, and ``tests/core/datasets`` checks that this
script reproduces their content. Real headers, encodings and CRSs as published
(issue 19, docs/datasets.md):

- ``store_info_seoul_202403.csv``: 상가(상권)정보, UTF-8, WGS 84 경도/위도, 60 rows, 40 in
  the three districts (20 of them knowledge-based by the default KSIC filter);
- ``store_info_old_cp949.csv``: the same rows in CP949 (older releases);
- ``store_info_2015_release.csv``: an old release with other headers (no 표준산업분류,
  ``경도``/``위도`` named ``X좌표``/``Y좌표``): refused;
- ``nps_workplaces_202403.csv``: 국민연금 가입 사업장 내역, CP949, no coordinates;
- ``seoul_zoning_OA-21136.zip``: 용도지역, zipped Shapefile without .cpg, CP949 .dbf,
  EPSG:5174 .prj, a quarter of the rows with blank ``SCLAS_CL``, one unknown code;
- ``LSMD_CONT_UQ111_11_202405.shp`` (+ parts): the national layer, code in ``ATRB_SE``;
- ``seoul_greenbelt_OA-21123.zip``: 개발제한구역 (UDV100);
- ``zoning_lookalike.zip``: the Seoul fields without ``SCLAS_CL``/``MLSFC_CL``: refused;
- ``zoning_uqq_codes.zip``: the same fields holding 용도지구 codes (UQQ…), none of them in
  the 용도지역 table: refused.
"""

from __future__ import annotations

import csv
import io
import shutil
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from app.core.datasets.registry import NPS_COLUMNS, SEMAS_COLUMNS
from app.core.paths import DATA_DIR, DEFAULT_PROJECT

OUT = Path(__file__).resolve().parent / "datasets"
DBF_DATE = (124, 5, 31)  # 2024-05-31 in the .dbf header (years since 1900, month, day)

# (상호명, 표준산업분류코드, 표준산업분류명): knowledge-based first, then the rest.
FIRMS = [
    ("(주)이노랩스", "J62010", "컴퓨터 프로그래밍 서비스업"),
    ("주식회사 데이터웨이브", "J63120", "포털 및 기타 인터넷 정보 매개 서비스업"),
    ("바이오젠텍(주)", "C21210", "완제 의약품 제조업"),
    ("가산전자", "C26110", "전자 집적회로 제조업"),
    ("마곡연구소", "M70113", "기타 공학 연구개발업"),
    ("양재AI", "J58221", "시스템 소프트웨어 개발 및 공급업"),
    ("㈜스마트센서", "C27213", "물질 검사, 측정 및 분석기구 제조업"),
    ("디자인스튜디오 온", "M73201", "인테리어 디자인업"),
    ("미디어웍스", "J59111", "일반 영화 및 비디오물 제작업"),
    ("그린모터", "C28111", "전동기 및 발전기 제조업"),
]
OTHERS = [
    ("김밥천국", "I56111", "한식 일반 음식점업"),
    ("GS25", "G47122", "체인화 편의점"),
    ("행복미용실", "S96112", "두발 미용업"),
    ("스타벅스", "I56221", "커피 전문점"),
    ("우리세탁", "S96912", "세탁업"),
]


def _points_in(polygons: gpd.GeoSeries, n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` seeded random points inside the union of ``polygons`` (EPSG:5186)."""
    area = shapely.union_all(polygons.values)
    x0, y0, x1, y1 = area.bounds
    out: list = []
    while len(out) < n:
        cand = shapely.points(rng.uniform(x0, x1, 200), rng.uniform(y0, y1, 200))
        out += list(cand[shapely.contains(area, cand)])
    return np.array(out[:n], dtype=object)


def _project():
    districts = pyogrio.read_dataframe(DEFAULT_PROJECT, layer="districts")
    dongs = pyogrio.read_dataframe(DEFAULT_PROJECT, layer="dong")
    codes = pd.read_csv(DATA_DIR / "dong_codes.csv", dtype=str)
    return districts, dongs, dict(zip(codes.stat_code, codes.mois_code, strict=True))


def semas_rows() -> list[dict[str, str]]:
    """60 rows: 40 in the districts (20 knowledge-based), 20 elsewhere in Seoul."""
    rng = np.random.default_rng(19)
    districts, dongs, mois = _project()
    inside = _points_in(districts.geometry, 40, rng)
    outer = dongs[~dongs.intersects(shapely.union_all(districts.geometry.values).buffer(500))]
    outside = _points_in(outer.geometry.iloc[:40], 20, rng)
    points = np.r_[inside, outside]
    where = gpd.GeoDataFrame(geometry=list(points), crs=dongs.crs).sjoin(
        dongs[["code", "name", "gu", "geometry"]], how="left", predicate="within"
    )
    where = where[~where.index.duplicated()]
    lonlat = gpd.GeoSeries(list(points), crs=dongs.crs).to_crs("EPSG:4326")
    rows = []
    for i in range(60):
        firm = FIRMS[(i // 2) % 10] if (i < 40 and i % 2 == 0) else OTHERS[i % 5]
        name, ksic, ksic_name = firm
        code = where["code"].iloc[i]
        adm = mois.get(str(code), "")
        gu = str(where["gu"].iloc[i])
        row = dict.fromkeys(SEMAS_COLUMNS, "")
        row.update(
            {
                "상가업소번호": f"MA01011904{i:08d}",
                "상호명": name,
                "지점명": "가산점" if i == 4 else "",
                "상권업종대분류코드": "I2" if ksic.startswith("I") else "M1",
                "상권업종대분류명": "음식" if ksic.startswith("I") else "과학·기술",
                "표준산업분류코드": ksic,
                "표준산업분류명": ksic_name,
                "시도코드": "11",
                "시도명": "서울특별시",
                "시군구코드": adm[:5],
                "시군구명": gu,
                "행정동코드": adm,
                "행정동명": str(where["name"].iloc[i]),
                "법정동코드": adm[:5] + "10100",
                "지번주소": f"서울특별시 {gu} {where['name'].iloc[i]} {100 + i}",
                "도로명주소": f"서울특별시 {gu} 디지털로 {10 + i}",
                "신우편번호": f"0{8500 + i}",
                "층정보": str(1 + i % 9),
                "경도": f"{lonlat.x.iloc[i]:.9f}",
                "위도": f"{lonlat.y.iloc[i]:.9f}",
            }
        )
        rows.append(row)
    return rows


def write_csv(path: Path, header: list[str], rows: list[dict[str, str]], encoding: str) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: row.get(k, "") for k in header})
    path.write_bytes(buffer.getvalue().encode(encoding))


def _registered_name(name: str) -> str:
    """The name as the pension service holds it: the company form written otherwise."""
    if name.startswith("(주)"):
        return "주식회사 " + name[3:]
    if name.endswith("(주)"):
        return name[:-3] + " 주식회사"
    if name.startswith("㈜"):
        return "(주) " + name[1:]
    if name.startswith("주식회사 "):
        return "(주)" + name[5:]
    return name


def nps_rows(semas: list[dict[str, str]]) -> list[dict[str, str]]:
    """Workplaces: the knowledge-based firms of the districts under their registered
    names (company forms written differently), others, a withdrawn one, one in Busan."""
    rows = []
    seen = set()
    for row in semas[:40]:
        key = (row["상호명"], row["행정동코드"])
        if row["표준산업분류코드"] in {k for _, k, _ in OTHERS} or key in seen:
            continue
        seen.add(key)
        if len(seen) % 4 == 0:
            continue  # a firm without pension members: not in the NPS file
        registered = _registered_name(row["상호명"])
        rows.append((registered, row["행정동코드"], "1", str(5 + len(rows) * 3)))
    rows += [
        ("(주)가산물류", "1154551000", "1", "42"),
        ("구로정밀", "1153054000", "1", "17"),
        ("폐업상사", "1154551000", "2", "0"),
        ("부산해운(주)", "2611051000", "1", "120"),
    ]
    out = []
    for i, (name, adm, status, members) in enumerate(rows):
        row = dict.fromkeys(NPS_COLUMNS, "")
        row.update(
            {
                "자료생성년월": "2024-03",
                "사업장명": name,
                "사업자등록번호": f"{214860 + i:06d}",
                "사업장가입상태코드 1 등록 2 탈퇴": status,
                "우편번호": f"{8500 + i}",
                "사업장지번상세주소": "서울특별시 금천구 가산동",
                "고객법정동주소코드": adm[:5] + "10100",
                "고객행정동주소코드": adm,
                "법정동주소광역시도코드": adm[:2],
                "법정동주소광역시시군구코드": adm[2:5],
                "법정동주소광역시시군구읍면동코드": "101",
                "사업장형태구분코드 1 법인 2 개인": "1",
                "사업장업종코드": "722000",
                "사업장업종코드명": "소프트웨어 개발 및 공급업",
                "적용일자": f"{2012 + i % 11}-0{1 + i % 9}-01",
                "재등록일자": "",
                "탈퇴일자": "2023-12-31" if status == "2" else "",
                "가입자수": members,
                "당월고지금액": str(int(members) * 180000),
                "신규취득자수": "1",
                "상실가입자수": "0",
            }
        )
        out.append(row)
    return out


def _set_dbf_date(dbf: Path) -> None:
    data = bytearray(dbf.read_bytes())
    data[1:4] = bytes(DBF_DATE)
    dbf.write_bytes(bytes(data))


def write_shapefile(frame: gpd.GeoDataFrame, folder: Path, stem: str) -> list[Path]:
    """A CP949 Shapefile without .cpg (as the portals publish it), .dbf date fixed."""
    folder.mkdir(parents=True, exist_ok=True)
    pyogrio.write_dataframe(frame, folder / f"{stem}.shp", encoding="cp949")
    (folder / f"{stem}.cpg").unlink(missing_ok=True)
    _set_dbf_date(folder / f"{stem}.dbf")
    return sorted(folder.glob(f"{stem}.*"))


def zip_parts(parts: list[Path], target: Path) -> None:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for part in parts:
            info = zipfile.ZipInfo(part.name, date_time=(2024, 5, 31, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, part.read_bytes())


ZONES = [  # (LCLAS, MLSFC, SCLAS, DGM_NM)
    ("UQA100", "UQA120", "UQA122", "제2종일반주거지역"),
    ("UQA100", "UQA120", "UQA123", "제3종일반주거지역"),
    ("UQA300", "UQA330", "", "준공업지역"),
    ("UQA100", "UQA120", "UQA124", "제2종일반주거지역(7층이하)"),
]


def zoning_frame(districts: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """40 square zones over the districts (and 4 far away), in EPSG:5174; every fourth
    row has a blank SCLAS_CL; one code outside the table, one class-only code."""
    cells = []
    for geom in districts.geometry:
        x0, y0, x1, y1 = geom.bounds
        xs = np.linspace(x0, x1, 5)[:-1]
        ys = np.linspace(y0, y1, 4)[:-1]
        for x in xs:
            for y in ys:
                cells.append(shapely.box(x, y, x + (x1 - x0) / 4, y + (y1 - y0) / 3))
    cells = cells[:40] + [
        shapely.box(190000 + i * 300, 440000, 190300 + i * 300, 440300) for i in range(4)
    ]
    rows = []
    for i in range(len(cells)):
        lclas, mlsfc, sclas, name = ZONES[i % 4]
        if i == 7:
            lclas, mlsfc, sclas, name = "UQA900", "UQA990", "UQA999", "미지정지역"
        if i == 13:
            lclas, mlsfc, sclas, name = "UQA100", "UQA120", "", "일반주거지역"
        rows.append(
            {
                "PRESENT_SN": f"1100020240{i:05d}",
                "LCLAS_CL": lclas,
                "MLSFC_CL": mlsfc,
                "SCLAS_CL": sclas,
                "DGM_NM": name,
                "DGM_AR": round(cells[i].area, 1),
                "NTFC_SN": f"{20190000 + i}",
            }
        )
    frame = gpd.GeoDataFrame(rows, geometry=cells, crs="EPSG:5186")
    return frame.to_crs("EPSG:5174")


def greenbelt_frame(districts: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Two greenbelt polygons at the south edge of Yangjae (EPSG:5174)."""
    yangjae = districts[districts.district_id == "yangjae"].geometry.iloc[0]
    x0, y0, x1, _ = yangjae.bounds
    cells = [
        shapely.box(x0, y0 - 400, x0 + 600, y0 + 300),
        shapely.box(x1 - 500, y0 - 300, x1, y0 + 200),
    ]
    rows = [
        {
            "PRESENT_SN": f"110002024{i:06d}",
            "LCLAS_CL": "UDV100",
            "MLSFC_CL": "UDV100",
            "SCLAS_CL": "",
            "DGM_NM": "개발제한구역",
            "DGM_AR": round(cells[i].area, 1),
            "NTFC_SN": "19711230",
        }
        for i in range(2)
    ]
    return gpd.GeoDataFrame(rows, geometry=cells, crs="EPSG:5186").to_crs("EPSG:5174")


def main(out: Path = OUT) -> list[Path]:
    """Write every fixture into ``out``; the files written."""
    out.mkdir(parents=True, exist_ok=True)
    semas = semas_rows()
    write_csv(out / "store_info_seoul_202403.csv", SEMAS_COLUMNS, semas, "utf-8")
    write_csv(out / "store_info_old_cp949.csv", SEMAS_COLUMNS, semas, "cp949")
    old = [c for c in SEMAS_COLUMNS if not c.startswith("표준산업분류")]
    old = ["X좌표" if c == "경도" else "Y좌표" if c == "위도" else c for c in old]
    renamed = [{**r, "X좌표": r["경도"], "Y좌표": r["위도"]} for r in semas]
    write_csv(out / "store_info_2015_release.csv", old, renamed, "cp949")
    write_csv(out / "nps_workplaces_202403.csv", NPS_COLUMNS, nps_rows(semas), "cp949")
    districts = pyogrio.read_dataframe(DEFAULT_PROJECT, layer="districts")
    work = out / "_parts"
    shutil.rmtree(work, ignore_errors=True)
    zoning = zoning_frame(districts)
    zip_parts(
        write_shapefile(zoning, work / "z", "UPIS_C_UQ111"), out / "seoul_zoning_OA-21136.zip"
    )
    national = zoning.rename(columns={"SCLAS_CL": "ATRB_SE"})[
        ["ATRB_SE", "DGM_NM", "DGM_AR", "NTFC_SN", "geometry"]
    ]
    national["ATRB_SE"] = np.where(
        national["ATRB_SE"] == "", zoning["MLSFC_CL"], national["ATRB_SE"]
    )
    national.insert(0, "MNUM", [f"{i:010d}" for i in range(len(national))])
    national.insert(1, "ALIAS", "UQ111")
    for part in write_shapefile(national, work / "n", "LSMD_CONT_UQ111_11_202405"):
        shutil.copy(part, out / part.name)
    greenbelt = greenbelt_frame(districts)
    zip_parts(
        write_shapefile(greenbelt, work / "g", "UPIS_C_UD801"), out / "seoul_greenbelt_OA-21123.zip"
    )
    lookalike = zoning.drop(columns=["SCLAS_CL", "MLSFC_CL"])
    zip_parts(write_shapefile(lookalike, work / "l", "UPIS_C_UQ111"), out / "zoning_lookalike.zip")
    districts_file = zoning.assign(  # 용도지구 (경관지구 …): the same fields, other codes
        LCLAS_CL="UQQ300", MLSFC_CL="UQQ310", SCLAS_CL="UQQ311", DGM_NM="자연경관지구"
    )
    zip_parts(
        write_shapefile(districts_file, work / "d", "UPIS_C_UQ121"), out / "zoning_uqq_codes.zip"
    )
    shutil.rmtree(work)
    return sorted(out.iterdir())


if __name__ == "__main__":
    for written in main():
        print(written)
