#!/usr/bin/env python3
"""Build the embedded default project GeoPackage from ``data/sources``.

    python data/build_default_project.py [--out PATH]

Writes the layers ``districts``, ``gu``, ``dong``, ``education``, ``stations``,
``startups`` (synthetic) and ``zoning`` (illustrative), all EPSG:5186, plus the
attributes table ``innoatlas_provenance``, as a GeoPackage 1.2. The output is
deterministic: same sources, same file (GDAL's timestamps are pinned with
``OGR_CURRENT_DATE``). See ``data/SOURCES.md`` for where every input comes from.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import time
from contextlib import closing
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import geopandas as gpd  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pyogrio  # noqa: E402
import shapely  # noqa: E402
from pyproj import Transformer  # noqa: E402
from shapely import affinity  # noqa: E402

from layers.model import WORKING_CRS, LayerSpec  # noqa: E402
from layers.provenance import PROVENANCE_COLUMNS, PROVENANCE_TABLE  # noqa: E402
from layers.themes import context, districts, education, startups, stations, zoning  # noqa: E402
from layers.themes.registry import DEFAULT_SPECS  # noqa: E402
from layers.themes.synthetic import generate_startups  # noqa: E402

SOURCES = ROOT / "data" / "sources"
DEFAULT_OUT = ROOT / "data" / "innoatlas_default.gpkg"
#: Pinned into gpkg_contents.last_change so that rebuilding gives the same file.
BUILD_TIMESTAMP = "2026-11-25T00:00:00.000Z"
STARTUP_COUNT = 6000
#: Union artefacts smaller than this (m²) are dropped: slivers and pin-holes.
MIN_ARTEFACT_M2 = 1000.0
#: Snap-rounding grid (m) for the zoning overlay operations: exact, gap-free tiling.
GRID_M = 0.01

#: district -> (source dong name, gu) pairs, matched on the admdongkor 2021-04 ``adm_nm``.
ADMIN_DONGS = {
    "gvalley": [("구로3동", "구로구"), ("가산동", "금천구")],
    "yangjae": [("양재1동", "서초구"), ("양재2동", "서초구"), ("개포4동", "강남구")],
}
MAGOK_LEGAL_DONG, MAGOK_GU, MAGOK_CODE_PREFIX = "마곡동", "강서구", "11500"

# --------------------------------------------------------------------------- zoning
ZONE_EN = {
    "준공업": "semi-industrial",
    "일반상업": "general commercial",
    "준주거": "semi-residential",
    "제2종일반주거": "general residential type 2",
    "제3종일반주거": "general residential type 3",
    "자연녹지": "natural green",
}

#: Hand-placed Voronoi seeds (lon, lat, zone type) per district. Shapes are invented;
#: they only mimic the typical pattern of each district (docs/zoning.md district facts).
ZONE_SEEDS: dict[str, list[tuple[float, float, str]]] = {
    "gvalley": [
        (126.8825, 37.4813, "일반상업"),  # 가산디지털단지 station
        (126.9003, 37.4849, "일반상업"),  # 구로디지털단지 station
        (126.8873, 37.4850, "준주거"),  # 남구로 station
        (126.8930, 37.4885, "제2종일반주거"),  # north of 구로3동
        (126.8955, 37.4900, "제3종일반주거"),
        (126.8925, 37.4752, "제2종일반주거"),  # east of 가산동
        (126.8780, 37.4835, "준공업"),
        (126.8830, 37.4775, "준공업"),
        (126.8795, 37.4808, "준공업"),
        (126.8845, 37.4832, "준공업"),
        (126.8790, 37.4740, "준공업"),
        (126.8845, 37.4700, "준공업"),
        (126.8870, 37.4668, "준공업"),
        (126.8890, 37.4790, "준공업"),
        (126.8930, 37.4815, "준공업"),
        (126.8975, 37.4825, "준공업"),
        (126.8965, 37.4862, "준공업"),
    ],
    "magok": [
        (126.8277, 37.5668, "일반상업"),  # 마곡나루 station
        (126.8248, 37.5638, "일반상업"),  # towards 마곡 station
        (126.8208, 37.5650, "제3종일반주거"),
        (126.8240, 37.5700, "제3종일반주거"),
        (126.8322, 37.5705, "자연녹지"),  # park (서울식물원-like)
        (126.8385, 37.5742, "자연녹지"),
        (126.8275, 37.5725, "준공업"),
        (126.8305, 37.5705, "준공업"),
        (126.8250, 37.5760, "준공업"),
        (126.8310, 37.5762, "준공업"),
        (126.8350, 37.5795, "준공업"),
        (126.8290, 37.5815, "준공업"),
        (126.8265, 37.5790, "준공업"),
    ],
    "yangjae": [
        (127.0345, 37.4818, "일반상업"),  # 양재 station
        (127.0372, 37.4808, "일반상업"),
        (127.0358, 37.4763, "준주거"),
        (127.0425, 37.4640, "준주거"),
        (127.0400, 37.4575, "자연녹지"),
        (127.0290, 37.4790, "제2종일반주거"),
        (127.0245, 37.4770, "제2종일반주거"),
        (127.0310, 37.4745, "제2종일반주거"),
        (127.0400, 37.4775, "제2종일반주거"),
        (127.0430, 37.4800, "제2종일반주거"),
        (127.0335, 37.4712, "제2종일반주거"),
        (127.0230, 37.4700, "제2종일반주거"),
        (127.0525, 37.4490, "제2종일반주거"),
        (127.0495, 37.4790, "제3종일반주거"),
        (127.0540, 37.4745, "제3종일반주거"),
        (127.0590, 37.4720, "제3종일반주거"),
        (127.0480, 37.4810, "제3종일반주거"),
        (127.0080, 37.4660, "자연녹지"),
        (127.0150, 37.4600, "자연녹지"),
        (127.0230, 37.4580, "자연녹지"),
        (127.0395, 37.4690, "자연녹지"),
        (127.0420, 37.4500, "자연녹지"),
        (127.0450, 37.4400, "자연녹지"),
        (127.0540, 37.4360, "자연녹지"),
        (127.0590, 37.4400, "자연녹지"),
    ],
}

#: Illustrative greenbelt outlines (lon, lat rings), clipped to Seoul.
GREENBELT_RINGS = {
    "개발제한구역 (내곡동 일대) · Greenbelt (Naegok area)": [
        (127.0585, 37.4560),
        (127.0700, 37.4590),
        (127.0850, 37.4560),
        (127.0950, 37.4480),
        (127.0900, 37.4380),
        (127.0780, 37.4300),
        (127.0640, 37.4280),
        (127.0600, 37.4380),
    ],
    "개발제한구역 (청계산 북쪽 기슭) · Greenbelt (Cheonggyesan foothills)": [
        (127.0400, 37.4440),
        (127.0500, 37.4440),
        (127.0560, 37.4420),
        (127.0640, 37.4360),
        (127.0640, 37.4260),
        (127.0380, 37.4260),
    ],
}
#: Gimpo airport runway axis (lon, lat) and the illustrative reach of its height-limit zone.
GIMPO_AXIS = [(126.7780, 37.5715), (126.8060, 37.5505)]
GIMPO_REACH_M = 5000.0
GIMPO_MAX_HEIGHT_M = 57.0
#: Yangjae ICT 특정개발진흥지구: centre (lon, lat) and target area (docs/zoning.md: about 0.93 km²).
YANGJAE_SDD_CENTRE = (127.0360, 37.4770)
YANGJAE_SDD_AREA_M2 = 0.93e6

_TO_WORKING = Transformer.from_crs("EPSG:4326", WORKING_CRS, always_xy=True)


# --------------------------------------------------------------------------- helpers
def read_source(name: str) -> gpd.GeoDataFrame:
    """Read ``data/sources/<name>`` with pyogrio, reprojected to EPSG:5186."""
    frame = gpd.read_file(SOURCES / name, engine="pyogrio")
    return frame.to_crs(WORKING_CRS)


def lonlat(coords) -> np.ndarray:
    """(k, 2) EPSG:5186 coordinates of ``(lon, lat)`` pairs."""
    arr = np.asarray(coords, dtype=float)
    x, y = _TO_WORKING.transform(arr[:, 0], arr[:, 1])
    return np.column_stack([x, y])


def study_area() -> shapely.Polygon:
    """The study bbox (lon 126.79–127.10, lat 37.44–37.59) as an EPSG:5186 polygon."""
    bbox = gpd.read_file(SOURCES / "study_bbox.geojson", engine="pyogrio")
    return bbox.geometry.segmentize(0.001).to_crs(WORKING_CRS).iloc[0]


def clean_polygon(geom, min_area: float = MIN_ARTEFACT_M2):
    """Valid (Multi)Polygon without parts or holes smaller than ``min_area`` m²."""
    polys = shapely.get_parts(shapely.make_valid(geom))
    polys = polys[shapely.get_type_id(polys) == 3]  # union may leave lines/points
    polys = polys[shapely.area(polys) >= min_area]
    kept = [
        shapely.Polygon(p.exterior, [r for r in p.interiors if shapely.Polygon(r).area >= min_area])
        for p in polys
    ]
    return kept[0] if len(kept) == 1 else shapely.MultiPolygon(kept)


def conform(frame: gpd.GeoDataFrame, spec: LayerSpec) -> gpd.GeoDataFrame:
    """Check the spec's columns exist, cast them, put them first, reset the index."""
    missing = [c for c in spec.columns if c not in frame.columns]
    if missing:
        raise ValueError(f"layer {spec.name!r} lacks spec columns {missing}")
    frame = frame.reset_index(drop=True).copy()
    for column, kind in spec.columns.items():
        if kind == "str":
            frame[column] = frame[column].fillna("").astype(str)
        elif kind == "int":
            frame[column] = frame[column].astype("int64")
        elif kind == "float":
            frame[column] = frame[column].astype("float64")
        elif kind == "bool":
            frame[column] = frame[column].astype(bool)
    extra = [c for c in frame.columns if c not in spec.columns and c != "geometry"]
    return frame[[*spec.columns, *extra, "geometry"]].set_crs(WORKING_CRS, allow_override=True)


# --------------------------------------------------------------------------- layers
def _pick_admin_dongs(admdong: gpd.GeoDataFrame, wanted) -> gpd.GeoDataFrame:
    parts = admdong.adm_nm.str.split()
    rows = []
    for dong, gu in wanted:
        hit = admdong[(parts.str[-1] == dong) & (admdong.sggnm == gu)]
        if len(hit) != 1:
            raise ValueError(f"expected one admin dong {gu} {dong}, found {len(hit)}")
        rows.append(hit)
    return pd.concat(rows)


def _magok(gu: gpd.GeoDataFrame):
    legal = read_source("bbox_legaldong_juso2015.geojson")
    hit = legal[legal.EMD_KOR_NM == MAGOK_LEGAL_DONG]
    if len(hit) != 1:
        raise ValueError(f"expected one legal dong {MAGOK_LEGAL_DONG}, found {len(hit)}")
    code, geom = str(hit.EMD_CD.iloc[0]), hit.geometry.iloc[0]
    gangseo = gu[gu.name == MAGOK_GU].geometry
    if (
        not code.startswith(MAGOK_CODE_PREFIX)
        or len(gangseo) != 1
        or not gangseo.iloc[0].contains(geom.representative_point())
    ):
        raise ValueError(f"{MAGOK_LEGAL_DONG} (code {code}) is not in {MAGOK_GU}")
    return geom


def build_districts(gu: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The three districts as unions of real dong boundaries (approximate)."""
    admdong = read_source("bbox_admdong_admdongkor202104.geojson")
    geoms = {
        key: shapely.union_all(_pick_admin_dongs(admdong, wanted).geometry.values)
        for key, wanted in ADMIN_DONGS.items()
    }
    geoms["magok"] = _magok(gu)
    ids = list(districts.DISTRICTS)
    frame = gpd.GeoDataFrame(
        {
            "district_id": ids,
            "name_ko": [districts.DISTRICTS[i][0] for i in ids],
            "name_en": [districts.DISTRICTS[i][1] for i in ids],
            "boundary_basis": [districts.BOUNDARY_BASIS[i] for i in ids],
        },
        geometry=[clean_polygon(geoms[i]) for i in ids],
        crs=WORKING_CRS,
    )
    return conform(frame, districts.SPEC)


def build_gu() -> gpd.GeoDataFrame:
    """The 25 gu of Seoul (KOSTAT 2018)."""
    frame = read_source("seoul_gu_kostat2018.geojson")
    return conform(frame[["code", "name", "name_eng", "geometry"]], context.GU)


def build_dong() -> gpd.GeoDataFrame:
    """Admin dongs intersecting the study bbox (KOSTAT 2018)."""
    frame = read_source("bbox_admdong_kostat2018.geojson")
    return conform(frame[["code", "name", "name_eng", "gu", "gu_eng", "geometry"]], context.DONG)


def _inside(frame: gpd.GeoDataFrame, area) -> np.ndarray:
    xy = shapely.get_coordinates(frame.geometry.values)
    ok = np.isfinite(xy).all(axis=1) & ~frame.geometry.is_empty.to_numpy()
    return ok & shapely.contains_xy(area, xy[:, 0], xy[:, 1])


def build_education(area) -> gpd.GeoDataFrame:
    """Universities inside the study area with valid coordinates."""
    frame = read_source("bbox_universities_moe20241030.geojson")
    valid = np.isfinite(frame[["lat", "lon"]].to_numpy(dtype=float)).all(axis=1)
    frame = frame[valid & _inside(frame, area)].rename(columns={"code": "moe_code"})
    columns = [
        "name",
        "name_eng",
        "kind",
        "campus",
        "address",
        "type",
        "founding",
        "homepage",
        "moe_code",
        "geometry",
    ]
    return conform(frame[columns], education.SPEC)


def build_stations(area) -> gpd.GeoDataFrame:
    """Stations inside the study area (one point per station and line).

    The source lists 99 stations twice, as "150" and "0150" (the same station and line,
    coordinates equal or up to ~200 m apart); the row without the leading zero is kept.
    """
    frame = read_source("bbox_stations_seoul_station_master.geojson")
    frame = frame[_inside(frame, area)]
    key = frame["station_id"].astype(str).str.lstrip("0")
    padded = frame["station_id"].astype(str).str.startswith("0")
    frame = frame.assign(_key=key, _padded=padded).sort_values(["_key", "_padded"], kind="stable")
    frame = frame.drop_duplicates("_key").sort_index()
    return conform(frame[["station_id", "name", "line", "geometry"]], stations.SPEC)


def build_startups(dist, stat, edu, area) -> gpd.GeoDataFrame:
    """Synthetic start-ups (``layers.themes.synthetic``), fixed seed."""
    return conform(generate_startups(STARTUP_COUNT, dist, stat, edu, extent=area), startups.SPEC)


def _voronoi_tiles(part, xy: np.ndarray) -> np.ndarray:
    """Voronoi cells of the seeds ``xy`` (in seed order), clipped to the polygon ``part``."""
    if len(xy) == 1:
        return np.array([part], dtype=object)
    points = shapely.points(xy)
    cells = shapely.get_parts(
        shapely.voronoi_polygons(shapely.MultiPoint(xy), extend_to=part.buffer(1000), ordered=True)
    )
    if not shapely.contains(cells, points).all():
        raise RuntimeError("voronoi cells are not in seed order")
    return shapely.intersection(cells, part, grid_size=GRID_M)


def _zone_cells(district_id: str, geom) -> gpd.GeoDataFrame:
    """The district tiled by zone type: Voronoi cells of its seeds, dissolved by type.

    Each polygon part of the district is tiled by its own seeds, so that a cell
    never leaks from one part (e.g. 구로3동) into the other (가산동).
    """
    seeds = ZONE_SEEDS[district_id]
    xy = lonlat([(lon, lat) for lon, lat, _ in seeds])
    parts = shapely.get_parts(geom)
    inside = shapely.contains(parts[:, None], shapely.points(xy)[None, :])
    if not inside.any(axis=0).all():
        raise ValueError(f"a zoning seed of {district_id} lies outside the district")
    if not inside.any(axis=1).all():
        raise ValueError(f"a part of {district_id} has no zoning seed")
    part_of_seed = inside.argmax(axis=0)
    cells = np.empty(len(seeds), dtype=object)
    for i, part in enumerate(parts):
        mine = part_of_seed == i
        cells[mine] = _voronoi_tiles(part, xy[mine])
    kinds = np.array([zone for _, _, zone in seeds])
    types = sorted(set(kinds), key=list(zoning.ZONE_COLOURS).index)
    return gpd.GeoDataFrame(
        {"zone_type": types},
        geometry=[shapely.union_all(cells[kinds == t], grid_size=GRID_M) for t in types],
        crs=WORKING_CRS,
    )


def build_zones(dist: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Zone polygons that tile every district exactly, one row per contiguous part."""
    frames = []
    for district_id, name_ko, name_en, geom in dist[
        ["district_id", "name_ko", "name_en", "geometry"]
    ].itertuples(index=False):
        cells = _zone_cells(district_id, geom).explode(index_parts=False)
        short_ko, short_en = name_ko.split(" (")[0], name_en
        cells["district_id"] = district_id
        cells["name"] = [f"{z} ({short_ko}) · {ZONE_EN[z]} ({short_en})" for z in cells.zone_type]
        frames.append(cells)
    zones = pd.concat(frames, ignore_index=True)
    zones["kind"] = "zone"
    zones["note"] = (
        "Illustrative " + zones.zone_type.map(ZONE_EN) + " cell: invented "
        "shape suggesting the typical zoning here, not the legal 용도지역 map."
    )
    return zones


def _seoul(gu: gpd.GeoDataFrame):
    return shapely.union_all(gu.geometry.values, grid_size=GRID_M)


def _sdd_outline(dongs_geom) -> shapely.Geometry:
    """An ellipse around 양재 clipped to 양재1·2동, sized by bisection to YANGJAE_SDD_AREA_M2."""
    centre = shapely.Point(lonlat([YANGJAE_SDD_CENTRE])[0])

    def shape(radius):
        ellipse = affinity.scale(centre.buffer(radius, quad_segs=32), 0.8, 1.25)
        return shapely.intersection(ellipse, dongs_geom, grid_size=GRID_M)

    lo, hi = 100.0, 3000.0
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if shape(mid).area < YANGJAE_SDD_AREA_M2 else (lo, mid)
    return shape(hi)


def build_overlays(dist: gpd.GeoDataFrame, gu: gpd.GeoDataFrame, area) -> gpd.GeoDataFrame:
    """Greenbelt, Gimpo height-limit zone and Yangjae special development district."""
    seoul = _seoul(gu)
    rows = []
    for name, ring in GREENBELT_RINGS.items():
        geom = shapely.intersection(shapely.Polygon(lonlat(ring)), seoul, grid_size=GRID_M)
        rows.append(
            (
                "개발제한구역",
                name,
                "yangjae",
                np.nan,
                geom,
                "Illustrative outline of 개발제한구역 (greenbelt): no building for the "
                "centre, BCR/FAR 0. Real greenbelt limits come from the land-use plan.",
            )
        )

    magok = dist.set_index("district_id").geometry["magok"]
    axis = shapely.LineString(lonlat(GIMPO_AXIS))
    airport = shapely.intersection(axis.buffer(GIMPO_REACH_M), area, grid_size=GRID_M)
    if not airport.buffer(1.0).contains(magok):
        raise ValueError("the illustrative Gimpo height-limit zone must cover Magok")
    rows.append(
        (
            "비행안전구역",
            "김포공항 비행안전구역 (고도제한) · Gimpo airport height-limit zone",
            "magok",
            GIMPO_MAX_HEIGHT_M,
            airport,
            f"Illustrative outline; max_height_m = {GIMPO_MAX_HEIGHT_M:g} m is an "
            "ILLUSTRATIVE value (?), not confirmed from a primary source. The real zone "
            "has several surfaces with different limits: check the 김포공항 비행안전구역 map.",
        )
    )

    admdong = read_source("bbox_admdong_admdongkor202104.geojson")
    yangjae12 = shapely.union_all(
        _pick_admin_dongs(admdong, [("양재1동", "서초구"), ("양재2동", "서초구")]).geometry.values
    )
    rows.append(
        (
            "특정개발진흥지구",
            "양재 ICT 특정개발진흥지구 · Yangjae ICT special development district",
            "yangjae",
            np.nan,
            _sdd_outline(yangjae12),
            "Illustrative outline sized to about 0.93 km² around 양재 station (docs/zoning.md). "
            "FAR bonus for recommended industries: 제2종일반주거 200 % up to 240 % (120 %).",
        )
    )
    return gpd.GeoDataFrame(
        pd.DataFrame(
            rows, columns=["zone_type", "name", "district_id", "max_height_m", "geometry", "note"]
        ).assign(kind="overlay"),
        geometry="geometry",
        crs=WORKING_CRS,
    )


def build_zoning(dist: gpd.GeoDataFrame, gu: gpd.GeoDataFrame, area) -> gpd.GeoDataFrame:
    """ILLUSTRATIVE zoning: zones first, then restriction overlays."""
    frame = pd.concat([build_zones(dist), build_overlays(dist, gu, area)], ignore_index=True)
    frame["illustrative"] = True
    frame["geometry"] = shapely.make_valid(frame.geometry.values)
    columns = [
        "kind",
        "zone_type",
        "name",
        "illustrative",
        "note",
        "district_id",
        "max_height_m",
        "geometry",
    ]
    return conform(
        gpd.GeoDataFrame(frame[columns], geometry="geometry", crs=WORKING_CRS), zoning.SPEC
    )


def build_layers() -> dict[str, gpd.GeoDataFrame]:
    """Every layer of the default project, keyed by table name."""
    area = study_area()
    gu = build_gu()
    dist = build_districts(gu)
    stat = build_stations(area)
    edu = build_education(area)
    return {
        "gu": gu,
        "dong": build_dong(),
        "zoning": build_zoning(dist, gu, area),
        "districts": dist,
        "education": edu,
        "stations": stat,
        "startups": build_startups(dist, stat, edu, area),
    }


# --------------------------------------------------------------------------- writing
def _remove(path: Path) -> None:
    for candidate in (path, *(path.with_name(path.name + s) for s in ("-journal", "-wal", "-shm"))):
        candidate.unlink(missing_ok=True)


def write_layers(path: Path, layers: dict[str, gpd.GeoDataFrame]) -> None:
    """Write every layer with pyogrio into a new GeoPackage 1.2."""
    _remove(path)
    specs = {spec.name: spec for spec in DEFAULT_SPECS}
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": BUILD_TIMESTAMP})
    try:
        for i, (name, frame) in enumerate(layers.items()):
            polygons = specs[name].geometry_kind == "polygon"
            pyogrio.write_dataframe(
                frame,
                path,
                layer=name,
                driver="GPKG",
                promote_to_multi=polygons or None,
                dataset_options={"VERSION": "1.2"} if i == 0 else None,
                layer_options={"DESCRIPTION": specs[name].description},
            )
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": None})


def write_provenance(path: Path, names) -> None:
    """Add the ``innoatlas_provenance`` attributes table (one row per layer)."""
    # Rows in layer-panel order (registry), top first.
    rows = [
        {"layer": spec.name, **spec.provenance.as_record()}
        for spec in DEFAULT_SPECS
        if spec.name in set(names)
    ]
    columns = ", ".join(f'"{c}" TEXT NOT NULL' for c in PROVENANCE_COLUMNS)
    with closing(sqlite3.connect(path)) as db, db:
        # An attributes table needs an INTEGER PRIMARY KEY AUTOINCREMENT (GPKG req. 119).
        db.execute(
            f'CREATE TABLE "{PROVENANCE_TABLE}" '
            f"(fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, {columns}, "
            f"UNIQUE (layer))"
        )
        db.executemany(
            f'INSERT INTO "{PROVENANCE_TABLE}" ({", ".join(PROVENANCE_COLUMNS)}) '
            f"VALUES ({', '.join('?' * len(PROVENANCE_COLUMNS))})",
            [tuple(row[c] for c in PROVENANCE_COLUMNS) for row in rows],
        )
        db.execute(
            "INSERT INTO gpkg_contents (table_name, data_type, identifier, "
            "description, last_change) VALUES (?, 'attributes', ?, ?, ?)",
            (
                PROVENANCE_TABLE,
                PROVENANCE_TABLE,
                "Source, licence and status (real/approximate/illustrative/synthetic) "
                "of every layer",
                BUILD_TIMESTAMP,
            ),
        )
    with closing(sqlite3.connect(path)) as db:
        db.execute("VACUUM")


def validate(path: Path, layers: dict[str, gpd.GeoDataFrame]) -> None:
    """Re-read the file with pyogrio and run SQLite / GeoPackage sanity checks."""
    with closing(sqlite3.connect(path)) as db:
        checks = {
            "integrity_check": db.execute("PRAGMA integrity_check").fetchone()[0],
            "foreign_key_check": db.execute("PRAGMA foreign_key_check").fetchall(),
            "application_id": db.execute("PRAGMA application_id").fetchone()[0],
            "user_version": db.execute("PRAGMA user_version").fetchone()[0],
        }
    expected = {
        "integrity_check": "ok",
        "foreign_key_check": [],
        "application_id": 0x47504B47,
        "user_version": 10200,
    }
    if checks != expected:
        raise RuntimeError(f"GeoPackage checks failed: {checks}")
    listed = {name for name, _ in pyogrio.list_layers(path)}
    if listed != set(layers) | {PROVENANCE_TABLE}:
        raise RuntimeError(f"unexpected layers in {path}: {sorted(listed)}")
    for name, frame in layers.items():
        info = pyogrio.read_info(path, layer=name)
        if info["features"] != len(frame) or info["crs"] != WORKING_CRS:
            raise RuntimeError(
                f"layer {name} re-read as {info['features']} features, {info['crs']}"
            )
    prov = pyogrio.read_dataframe(path, layer=PROVENANCE_TABLE, read_geometry=False)
    if tuple(prov.columns) != PROVENANCE_COLUMNS or len(prov) != len(layers):
        raise RuntimeError(f"bad provenance table: {list(prov.columns)}, {len(prov)} rows")


def report(layers: dict[str, gpd.GeoDataFrame]) -> None:
    """Print feature counts, district areas and zoning shares."""
    for name, frame in layers.items():
        print(f"  {name:<10} {len(frame):>6} features")
    dist = layers["districts"]
    for district_id, geom in zip(dist.district_id, dist.geometry):
        print(f"  district {district_id:<8} {geom.area / 1e6:6.3f} km²")
    zones = layers["zoning"]
    zones = zones[zones.kind == "zone"].assign(area=lambda f: f.area)
    shares = (
        zones.groupby(["district_id", "zone_type"]).area.sum()
        / zones.groupby("district_id").area.sum()
    )
    for (district_id, zone), share in (
        shares.sort_values(ascending=False).sort_index(level=0, sort_remaining=False).items()
    ):
        print(f"  zoning   {district_id:<8} {zone:<8} {share:6.1%}")
    for name, geom in zip(layers["zoning"].name, layers["zoning"].geometry):
        if name.startswith(("개발", "김포", "양재 ICT")):
            print(f"  overlay  {name.split(' · ')[0]:<24} {geom.area / 1e6:7.3f} km²")


def main(argv: list[str] | None = None) -> int:
    """Build the default project; returns the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        help=f"output GeoPackage (default {DEFAULT_OUT.relative_to(ROOT)})",
    )
    args = parser.parse_args(argv)
    start = time.perf_counter()
    layers = build_layers()
    write_layers(args.out, layers)
    write_provenance(args.out, layers)
    validate(args.out, layers)
    report(layers)
    size = args.out.stat().st_size / 1e6
    print(f"wrote {args.out} ({size:.2f} MB) in {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
