"""The official datasets InnoAtlas recognises: who publishes each, where, under which
licence, which schema marks it and what it becomes (docs/datasets.md). Qt-free.

The licences are as the portals state them (data.go.kr: 이용허락범위 제한 없음; Seoul
Open Data Plaza: 공공누리 제1유형, KOGL Type 1); they were transcribed without internet
access and must be checked on the portal before redistribution.
"""

from __future__ import annotations

from dataclasses import dataclass

SEMAS_COLUMNS = (
    "상가업소번호,상호명,지점명,상권업종대분류코드,상권업종대분류명,상권업종중분류코드,"
    "상권업종중분류명,상권업종소분류코드,상권업종소분류명,표준산업분류코드,표준산업분류명,시도코드,"
    "시도명,시군구코드,시군구명,행정동코드,행정동명,법정동코드,법정동명,지번코드,대지구분코드,"
    "대지구분명,지번본번지,지번부번지,지번주소,도로명코드,도로명,건물본번지,건물부번지,건물관리번호,"
    "건물명,도로명주소,구우편번호,신우편번호,동정보,층정보,호정보,경도,위도"
).split(",")

NPS_COLUMNS = (
    "자료생성년월,사업장명,사업자등록번호,사업장가입상태코드 1 등록 2 탈퇴,우편번호,"
    "사업장지번상세주소,사업장도로명상세주소,고객법정동주소코드,고객행정동주소코드,"
    "법정동주소광역시도코드,법정동주소광역시시군구코드,법정동주소광역시시군구읍면동코드,"
    "사업장형태구분코드 1 법인 2 개인,사업장업종코드,사업장업종코드명,적용일자,재등록일자,"
    "탈퇴일자,가입자수,당월고지금액,신규취득자수,상실가입자수"
).split(",")

#: Seoul Open Data Plaza 용도지역 (OA-21136) and 개발제한구역 (OA-21123) shapefiles.
SEOUL_ZONING_FIELDS = (
    "PRESENT_SN",
    "LCLAS_CL",
    "MLSFC_CL",
    "SCLAS_CL",
    "DGM_NM",
    "DGM_AR",
    "NTFC_SN",
)
#: The national 용도지역지구정보 layers (LSMD_CONT_UQ111 …, LSMD_CONT_UD801).
NATIONAL_ZONING_FIELDS = ("ATRB_SE", "DGM_NM")


@dataclass(frozen=True)
class Dataset:
    """One recognised dataset: what it is, where it is published, what it becomes."""

    key: str
    name_ko: str
    name_en: str
    publisher: str
    where: str
    url: str
    licence: str
    encoding: str
    crs: str
    becomes: str
    download: str


DATASETS: dict[str, Dataset] = {
    "semas": Dataset(
        "semas",
        "상가(상권)정보",
        "Commercial business information (SEMAS)",
        "소상공인시장진흥공단 (SEMAS)",
        "data.go.kr dataset 15083033 (file data, one CSV per 시도)",
        "https://www.data.go.kr/data/15083033/fileData.do",
        "이용허락범위 제한 없음 (data.go.kr, as published)",
        "UTF-8 (older releases CP949)",
        "WGS 84 경도/위도 (EPSG:4326)",
        "start-ups role: the knowledge-based firms by KSIC (editable filter), sectors from "
        "data/ksic_sectors.csv, clipped to the study area; the rest optionally as an "
        "'all businesses' context layer",
        "the 서울 CSV of the latest quarter (all three districts are in Seoul)",
    ),
    "nps": Dataset(
        "nps",
        "국민연금 가입 사업장 내역",
        "National Pension workplaces (NPS)",
        "국민연금공단 (NPS)",
        "data.go.kr dataset 15083277 (file data, one national CSV per month)",
        "https://www.data.go.kr/data/15083277/fileData.do",
        "이용허락범위 제한 없음 (data.go.kr, as published)",
        "CP949",
        "no coordinates: joined by 행정동 code",
        "a context layer of employees and firms per admin dong (the project's dong "
        "polygons); employees and founding year onto the start-ups matched by name and dong",
        "the national CSV of the latest month (rows of 금천구, 구로구, 강서구, 서초구 and "
        "강남구 are used)",
    ),
    "zoning": Dataset(
        "zoning",
        "용도지역",
        "Zoning (용도지역)",
        "서울특별시 (Seoul Open Data Plaza OA-21136) / 국토교통부 (LSMD_CONT_UQ111 …)",
        "data.seoul.go.kr OA-21136 용도지역(도시지역) 공간정보; national: 국가공간정보포털 / "
        "V-World 용도지역지구정보 (LSMD_CONT_UQ111 …)",
        "https://data.seoul.go.kr/dataList/OA-21136/S/1/datasetView.do",
        "공공누리 제1유형 (KOGL Type 1, attribution), as published",
        "CP949 without .cpg",
        "EPSG:5174 (Korean 1985 Modified Central Belt) from the .prj",
        "zoning role: zone codes (SCLAS_CL, else MLSFC_CL; ATRB_SE) translated by "
        "data/zoning_codes.csv; unknown codes kept as 'unknown zone (code)', never permitted",
        "the whole-Seoul zipped Shapefile (covers G-Valley, Magok and Yangjae)",
    ),
    "greenbelt": Dataset(
        "greenbelt",
        "개발제한구역",
        "Greenbelt (개발제한구역)",
        "서울특별시 (OA-21123) / 국토교통부 (LSMD_CONT_UD801)",
        "data.seoul.go.kr OA-21123 개발제한구역 공간정보; national: LSMD_CONT_UD801 (code UDV100)",
        "https://data.seoul.go.kr/dataList/OA-21123/S/1/datasetView.do",
        "공공누리 제1유형 (KOGL Type 1, attribution), as published",
        "CP949 without .cpg",
        "EPSG:5174 from the .prj",
        "the greenbelt restriction overlay of the zoning role (개발제한구역: no building)",
        "the whole-Seoul zipped Shapefile (the greenbelt near Yangjae)",
    ),
}

__all__ = [
    "DATASETS",
    "NATIONAL_ZONING_FIELDS",
    "NPS_COLUMNS",
    "SEMAS_COLUMNS",
    "SEOUL_ZONING_FIELDS",
    "Dataset",
]
