"""A corpus of bad (and good) input files for the importer, written at test time.

``build_corpus(folder)`` writes tiny real files (pyogrio, plain bytes, shapefile parts)
into ``folder`` and returns one :class:`Case` per file: what :func:`read_vector` (and,
when ``role`` is set, :func:`apply_role` with :func:`guess_mapping`) must do with it:
raise an InputError whose message matches ``pattern`` (``expect == "error"``) or import
with notes whose newline-joined text matches ``pattern`` (``expect == "note"``; ``^$``:
no note at all). Good files carry the feature count, the first point's expected EPSG:5186
coordinates (computed with pyproj directly) and the expected names.

Independent of pytest so that GUI tests can reuse it.
"""

from __future__ import annotations

import json
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from app.core.formats.vector import ReadOptions
from tests.bad_zips import sparse_sidecar_shapefile, zip_cases

#: G-Valley (가산디지털단지 station) and two neighbours, in longitude/latitude.
LONLAT = [(126.8826, 37.4812), (126.8870, 37.4770), (126.8790, 37.4840)]
KOREAN_NAMES = ["가산디지털단지", "구로디지털단지", "마곡나루"]


@dataclass
class Case:
    """One corpus file and what importing it must do."""

    name: str
    path: Path
    expect: str  # "error" | "note"
    pattern: str  # regex on the InputError message, or on the notes joined by "\n"
    role: str | None = None  # apply this role (guess_mapping + apply_role) after reading
    options: ReadOptions | None = None  # what the user chose (assumed CRS, encoding ...)
    count: int | None = None  # features expected (good files)
    first_xy: tuple[float, float] | None = None  # first feature's point in EPSG:5186
    names: list[str] | None = None  # expected values of the 'name' column


def _to(crs: str, points=LONLAT) -> list[tuple[float, float]]:
    transformer = pyproj.Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    return [transformer.transform(x, y) for x, y in points]


def _in_5186(crs: str, x: float, y: float) -> tuple[float, float]:
    return pyproj.Transformer.from_crs(crs, "EPSG:5186", always_xy=True).transform(x, y)


def _points(crs: str | None, xy, **columns) -> gpd.GeoDataFrame:
    data = columns or {"name": [f"p{i}" for i in range(len(xy))]}
    return gpd.GeoDataFrame(data, geometry=[shapely.Point(*p) for p in xy], crs=crs)


def _write(frame: gpd.GeoDataFrame, path: Path, **kwargs) -> Path:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "no CRS", "not UTF-8": that is the point
        frame.to_file(path, **kwargs)
    return path


def _shapefile(
    frame, path: Path, encoding: str = "UTF-8", cpg: str | None = "keep", prj: str | None = "keep"
) -> Path:
    """A shapefile; ``cpg``/``prj``: "keep" what pyogrio wrote, None to delete, or text."""
    _write(frame, path, encoding=encoding)
    for suffix, content in ((".cpg", cpg), (".prj", prj)):
        part = path.with_suffix(suffix)
        if content is None:
            part.unlink(missing_ok=True)
        elif content != "keep":
            part.write_text(content, encoding="ascii")
    return path


def build_corpus(folder: Path) -> list[Case]:
    """Write the corpus into ``folder`` (created) and return its cases."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    cases: list[Case] = []
    add = cases.append
    xy5186 = _to("EPSG:5186")

    # --- unreadable files ---------------------------------------------------------------
    add(Case("missing file", folder / "no_such_file.gpkg", "error", r"not found"))
    (folder / "a_folder").mkdir(exist_ok=True)
    add(Case("folder", folder / "a_folder", "error", r"folder, not a file"))
    (folder / "zero.geojson").write_bytes(b"")
    add(Case("empty file (0 bytes)", folder / "zero.geojson", "error", r"empty \(0 bytes\)"))
    (folder / "text.gpkg").write_bytes(b"this is not a database at all" * 10)
    add(Case("gpkg not sqlite", folder / "text.gpkg", "error", r"not a GeoPackage"))
    big = _points("EPSG:5186", [(190000 + i, 545000) for i in range(3000)])
    _write(big, folder / "whole.gpkg", layer="startups")
    data = (folder / "whole.gpkg").read_bytes()
    (folder / "truncated.gpkg").write_bytes(data[: len(data) // 2])
    add(Case("gpkg truncated", folder / "truncated.gpkg", "error", r"truncated"))
    (folder / "broken.geojson").write_text(
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": '
        '{"type": "Point", "coordinates": [126.9, 37.5]}',
        encoding="utf-8",
    )
    add(Case("invalid json", folder / "broken.geojson", "error", r"not valid JSON"))

    # --- no features / no geometry ------------------------------------------------------
    (folder / "no_features.geojson").write_text(
        '{"type": "FeatureCollection", "features": []}', encoding="utf-8"
    )
    add(Case("geojson no features", folder / "no_features.geojson", "error", r"no features"))
    _write(
        gpd.GeoDataFrame({"name": []}, geometry=[], crs="EPSG:5186"),
        folder / "empty_layer.gpkg",
        layer="startups",
    )
    add(Case("gpkg empty layer", folder / "empty_layer.gpkg", "error", r"no features"))
    (folder / "table.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    add(Case("csv without coordinates", folder / "table.csv", "error", r"no geometry"))
    import pyogrio

    pyogrio.write_dataframe(pd.DataFrame({"a": [1, 2]}), folder / "table.gpkg", layer="t")
    add(Case("gpkg table without geometry", folder / "table.gpkg", "error", r"no geometry"))
    (folder / "null_geometry.geojson").write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [{"type": "Feature", "properties": {"name": "x"}, "geometry": None}],
            }
        ),
        encoding="utf-8",
    )
    add(
        Case(
            "only null geometries",
            folder / "null_geometry.geojson",
            "error",
            r"no features with geometry|no geometry",
        )
    )

    # --- shapefile parts and encodings --------------------------------------------------
    names = {"name": KOREAN_NAMES}
    _shapefile(_points("EPSG:5186", xy5186, **names), folder / "no_dbf.shp")
    (folder / "no_dbf.dbf").unlink()
    add(Case("shapefile missing .dbf", folder / "no_dbf.shp", "error", r"no_dbf\.dbf"))
    _shapefile(_points("EPSG:5186", xy5186, **names), folder / "no_shx.shp")
    (folder / "no_shx.shx").unlink()
    add(
        Case(
            "shapefile missing .shx (rebuilt)",
            folder / "no_shx.shp",
            "note",
            r"no_shx\.shx.*rebuilt",
            count=3,
            first_xy=xy5186[0],
            names=KOREAN_NAMES,
        )
    )
    _shapefile(_points("EPSG:5186", xy5186, **names), folder / "utf8.shp")
    add(
        Case(
            "shapefile UTF-8 with .cpg",
            folder / "utf8.shp",
            "note",
            r"^$",
            count=3,
            first_xy=xy5186[0],
            names=KOREAN_NAMES,
        )
    )
    _shapefile(_points("EPSG:5186", xy5186, **names), folder / "cp949.shp", "CP949", cpg=None)
    add(
        Case(
            "shapefile CP949 without .cpg",
            folder / "cp949.shp",
            "note",
            r"no \.cpg file.*read as CP949",
            count=3,
            first_xy=xy5186[0],
            names=KOREAN_NAMES,
        )
    )
    _shapefile(_points("EPSG:5186", xy5186, **names), folder / "euckr.shp", "EUC-KR", cpg=None)
    add(
        Case(
            "shapefile EUC-KR without .cpg",
            folder / "euckr.shp",
            "note",
            r"read as CP949",
            names=KOREAN_NAMES,
        )
    )
    _shapefile(
        _points("EPSG:5186", xy5186, **names), folder / "wrong_cpg.shp", "CP949", cpg="UTF-8"
    )
    add(
        Case(
            "shapefile .cpg says UTF-8 but CP949",
            folder / "wrong_cpg.shp",
            "note",
            r"wrong_cpg\.cpg says UTF-8 but.*read as CP949",
            names=KOREAN_NAMES,
        )
    )
    _shapefile(
        _points("EPSG:5186", xy5186, **names),
        folder / "odd_cpg.shp",
        "CP949",
        cpg="KOREAN-ENCODING-9",
    )
    add(
        Case(
            "shapefile .cpg names an unknown encoding",
            folder / "odd_cpg.shp",
            "note",
            r"unknown encoding.*read as CP949",
            names=KOREAN_NAMES,
        )
    )
    _shapefile(
        _points("EPSG:5186", xy5186, **names), folder / "user_encoding.shp", "CP949", cpg=None
    )
    add(
        Case(
            "shapefile with the encoding chosen",
            folder / "user_encoding.shp",
            "note",
            r"^$",
            options=ReadOptions(encoding="CP949"),
            names=KOREAN_NAMES,
        )
    )

    with zipfile.ZipFile(folder / "portal_download.zip", "w") as archive:
        for suffix in (".shp", ".shx", ".dbf", ".prj"):  # CP949, no .cpg, in a folder
            archive.write(folder / f"cp949{suffix}", f"UQ111/cp949{suffix}")
    add(
        Case(
            "zipped CP949 shapefile in a folder",
            folder / "portal_download.zip",
            "note",
            r"portal_download\.zip: no \.cpg file.*read as CP949",
            count=3,
            first_xy=xy5186[0],
            names=KOREAN_NAMES,
        )
    )
    with zipfile.ZipFile(folder / "zip_no_dbf.zip", "w") as archive:
        for suffix in (".shp", ".shx"):
            archive.write(folder / f"cp949{suffix}", f"cp949{suffix}")
    add(
        Case(
            "zipped shapefile without .dbf",
            folder / "zip_no_dbf.zip",
            "error",
            r"cp949\.shp inside has no \.dbf",
        )
    )
    (folder / "not_a.zip").write_bytes(b"PK but not really a zip archive" * 4)
    add(
        Case(
            "zip that is not an archive", folder / "not_a.zip", "error", r"cannot read .*not_a\.zip"
        )
    )

    # --- CRSs ---------------------------------------------------------------------------
    for code in ("EPSG:5179", "EPSG:5181"):
        xy = _to(code)
        stem = code.replace(":", "_").lower()
        _shapefile(
            _points(code, xy), folder / f"{stem}.shp", prj=pyproj.CRS(code).to_wkt("WKT1_ESRI")
        )
        add(
            Case(
                f"shapefile in {code} (ESRI .prj)",
                folder / f"{stem}.shp",
                "note",
                r"^$",
                count=3,
                first_xy=_in_5186(code, *xy[0]),
            )
        )
    xy5174 = _to("EPSG:5174")
    _shapefile(
        _points("EPSG:5174", xy5174),
        folder / "epsg_5174.shp",
        prj=pyproj.CRS("EPSG:5174").to_wkt("WKT1_ESRI"),
    )
    add(
        Case(
            "shapefile in EPSG:5174 (Bessel)",
            folder / "epsg_5174.shp",
            "note",
            r"EPSG:5174 -> EPSG:5186 uses .*two parameter sets",
            count=3,
            first_xy=_in_5186("EPSG:5174", *xy5174[0]),
        )
    )
    _write(_points("EPSG:4326", LONLAT, **names), folder / "lonlat.geojson", driver="GeoJSON")
    add(
        Case(
            "geojson in EPSG:4326",
            folder / "lonlat.geojson",
            "note",
            r"^$",
            count=3,
            first_xy=xy5186[0],
            names=KOREAN_NAMES,
        )
    )
    gpkg2 = folder / "two_layers.gpkg"
    _write(_points("EPSG:5186", xy5186[:2]), gpkg2, layer="first")
    _write(_points("EPSG:5179", _to("EPSG:5179")), gpkg2, layer="second")
    add(
        Case(
            "gpkg with two layers (second chosen)",
            gpkg2,
            "note",
            r"^$",
            options=ReadOptions(layer="second"),
            count=3,
            first_xy=xy5186[0],
        )
    )
    add(
        Case(
            "gpkg layer chosen that does not exist",
            gpkg2,
            "error",
            r"has no layer 'third' \(layers: first, second\)",
            options=ReadOptions(layer="third"),
        )
    )
    _shapefile(
        _points("EPSG:5186", xy5186),
        folder / "garbage_prj.shp",
        prj='PROJCS["nonsense",GARBAGE[1,2,3]]',
    )
    add(
        Case(
            "shapefile with garbage .prj",
            folder / "garbage_prj.shp",
            "error",
            r"garbage_prj\.prj is not a CRS PROJ knows.*EPSG:5186",
        )
    )
    _shapefile(
        _points("EPSG:5186", xy5186),
        folder / "garbage_prj_assumed.shp",
        prj='PROJCS["nonsense",GARBAGE[1,2,3]]',
    )
    add(
        Case(
            "garbage .prj with the CRS chosen",
            folder / "garbage_prj_assumed.shp",
            "note",
            r"not a CRS PROJ knows: read as EPSG:5186 \(assumed\)",
            options=ReadOptions(assumed_crs="EPSG:5186"),
            count=3,
            first_xy=xy5186[0],
        )
    )
    (folder / "unknown_crs.geojson").write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::999999"}},
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"name": "a"},
                        "geometry": {"type": "Point", "coordinates": [190000, 545000]},
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    add(
        Case(
            "geojson naming EPSG:999999",
            folder / "unknown_crs.geojson",
            "error",
            r"CRS PROJ does not know.*999999",
        )
    )
    add(
        Case(
            "geojson naming EPSG:999999, CRS chosen",
            folder / "unknown_crs.geojson",
            "note",
            r"999999 is not known to PROJ: read as EPSG:5186 \(assumed\)",
            options=ReadOptions(assumed_crs="EPSG:5186"),
            count=1,
            first_xy=(190000.0, 545000.0),
        )
    )
    add(
        Case(
            "geojson in EPSG:4326, another CRS chosen",
            folder / "lonlat.geojson",
            "note",
            r"^$",
            options=ReadOptions(assumed_crs="EPSG:5179"),
            count=3,
            first_xy=xy5186[0],
        )
    )
    _write(_points(None, xy5186), folder / "no_crs_projected.gpkg", layer="startups")
    add(
        Case(
            "no CRS, projected coordinates",
            folder / "no_crs_projected.gpkg",
            "error",
            r"has no CRS .*look projected: pick its CRS",
        )
    )
    add(
        Case(
            "no CRS, CRS chosen",
            folder / "no_crs_projected.gpkg",
            "note",
            r"has no CRS: read as EPSG:5186 \(assumed\)",
            options=ReadOptions(assumed_crs="EPSG:5186"),
            count=3,
            first_xy=xy5186[0],
        )
    )
    add(
        Case(
            "unknown CRS chosen",
            folder / "no_crs_projected.gpkg",
            "error",
            r"unknown CRS 'EPSG:999999'",
            options=ReadOptions(assumed_crs="EPSG:999999"),
        )
    )
    _write(_points(None, xy5186), folder / "projected.geojson", driver="GeoJSON")
    add(
        Case(
            "geojson without crs member, projected coordinates",
            folder / "projected.geojson",
            "error",
            r"has no CRS .*look projected",
        )
    )
    _write(_points(None, LONLAT), folder / "no_crs_lonlat.gpkg", layer="startups")
    add(
        Case(
            "no CRS, lon/lat coordinates",
            folder / "no_crs_lonlat.gpkg",
            "note",
            r"has no CRS: read as EPSG:4326",
            count=3,
            first_xy=xy5186[0],
        )
    )
    local = pyproj.CRS.from_wkt(
        'LOCAL_CS["Site grid",LOCAL_DATUM["local",32767],'
        'UNIT["metre",1],AXIS["X",EAST],AXIS["Y",NORTH]]'
    )
    _write(_points(local, [(10, 20), (30, 40)]), folder / "local_grid.shp")
    add(
        Case(
            "CRS that cannot be transformed",
            folder / "local_grid.shp",
            "error",
            r"cannot transform .*local_grid\.shp",
        )
    )
    _write(
        _points("EPSG:4326", [(2.35, 48.85), (126.9, 37.5)]),
        folder / "paris.geojson",
        driver="GeoJSON",
    )
    add(
        Case(
            "features far from Korea",
            folder / "paris.geojson",
            "note",
            r"1 of 2 features lies outside Korea: wrong CRS\?",
            count=2,
        )
    )

    # --- CSV ----------------------------------------------------------------------------
    def csv(name: str, text: str, encoding: str = "utf-8") -> Path:
        path = folder / name
        path.write_bytes(text.encode(encoding))
        return path

    rows = "\n".join(f"{n},{x},{y}" for n, (x, y) in zip(KOREAN_NAMES, LONLAT))
    add(
        Case(
            "csv lon/lat",
            csv("lonlat.csv", "name,lon,lat\n" + rows + "\n"),
            "note",
            r"lon/lat read as EPSG:4326",
            count=3,
            first_xy=xy5186[0],
            names=KOREAN_NAMES,
        )
    )
    add(
        Case(
            "csv 경도/위도, CP949",
            csv("korean_columns.csv", "이름,경도,위도\n" + rows + "\n", "cp949"),
            "note",
            r"read as CP949.*\n.*경도/위도 read as EPSG:4326",
            count=3,
            first_xy=xy5186[0],
        )
    )
    xy_rows = "\n".join(f"{n},{x:.3f},{y:.3f}" for n, (x, y) in zip(KOREAN_NAMES, xy5186))
    add(
        Case(
            "csv x/y in EPSG:5186, CRS chosen",
            csv("xy.csv", "name,x,y\n" + xy_rows + "\n"),
            "note",
            r"^$",
            options=ReadOptions(assumed_crs="EPSG:5186"),
            count=3,
            first_xy=(round(xy5186[0][0], 3), round(xy5186[0][1], 3)),
            names=KOREAN_NAMES,
        )
    )
    add(
        Case(
            "csv x/y without CRS",
            csv("xy_no_crs.csv", "name,X좌표,Y좌표\n" + xy_rows + "\n"),
            "error",
            r"no CRS .*look projected",
        )
    )
    swapped = "\n".join(f"{n},{y},{x}" for n, (x, y) in zip(KOREAN_NAMES, LONLAT))
    add(
        Case(
            "csv lat in the lon column",
            csv("swapped.csv", "name,lon,lat\n" + swapped),
            "note",
            r"swapped",
            count=3,
            first_xy=xy5186[0],
        )
    )
    add(
        Case(
            "csv outside lon/lat range for EPSG:4326",
            csv("out_of_range.csv", "name,lon,lat\na,500,600\nb,510,610\n"),
            "error",
            r"outside the longitude/latitude range",
            options=ReadOptions(assumed_crs="EPSG:4326"),
        )
    )
    add(
        Case(
            "csv non-numeric coordinates",
            csv("words.csv", "name,lon,lat\na,east,north\nb,west,south\n"),
            "error",
            r"not numbers \(e\.g\. 'east'\)",
        )
    )
    add(
        Case(
            "csv empty coordinates",
            csv("blank.csv", "name,lon,lat\na,,\nb,,\n"),
            "error",
            r"coordinate columns lon/lat are empty",
        )
    )
    add(
        Case(
            "csv some rows without coordinates",
            csv("holes.csv", "name,lon,lat\n" + rows + "\nd,,\ne,x,37.5\n"),
            "note",
            r"2 of 5 rows without numeric coordinates .*dropped",
            count=3,
            first_xy=xy5186[0],
        )
    )

    # --- geometry problems --------------------------------------------------------------
    bad = _points("EPSG:5186", [xy5186[0], (np.nan, 545000.0), (np.inf, 1.0)])
    _write(bad, folder / "nan_some.gpkg", layer="startups")
    add(
        Case(
            "some NaN/inf coordinates",
            folder / "nan_some.gpkg",
            "note",
            r"2 features with NaN/infinite coordinates dropped",
            count=1,
            first_xy=xy5186[0],
        )
    )
    _write(
        _points("EPSG:5186", [(np.nan, 1.0), (np.nan, np.nan)]),
        folder / "nan_all.gpkg",
        layer="startups",
    )
    add(
        Case(
            "only NaN coordinates",
            folder / "nan_all.gpkg",
            "error",
            r"no feature has finite coordinates",
        )
    )
    _write(
        gpd.GeoDataFrame(
            {"name": ["a", "b"]},
            geometry=[shapely.Point(*xy5186[0], 12.0), shapely.Point(*xy5186[1], 15.0)],
            crs="EPSG:5186",
        ),
        folder / "three_d.gpkg",
        layer="startups",
    )
    add(
        Case(
            "3D points",
            folder / "three_d.gpkg",
            "note",
            r"heights \(Z\) dropped",
            count=2,
            first_xy=xy5186[0],
        )
    )
    x0, y0 = xy5186[0]
    bowtie = shapely.Polygon([(x0, y0), (x0 + 100, y0 + 100), (x0 + 100, y0), (x0, y0 + 100)])
    zones = gpd.GeoDataFrame(
        {"용도지역명": ["준공업지역", "일반상업지역", "준공업지역"]},
        geometry=[bowtie, bowtie, shapely.box(x0, y0, x0 + 50, y0 + 50)],
        crs="EPSG:5186",
    )
    _write(zones, folder / "bowties.gpkg", layer="zoning")
    add(
        Case(
            "invalid polygons",
            folder / "bowties.gpkg",
            "note",
            r"2 invalid polygons repaired",
            role="zoning",
            count=3,
        )
    )
    mixed = gpd.GeoDataFrame(
        {"name": ["a", "b"]},
        geometry=[shapely.Point(x0, y0), shapely.box(x0, y0, x0 + 9, y0 + 9)],
        crs="EPSG:5186",
    )
    _write(mixed, folder / "mixed.geojson", driver="GeoJSON")
    add(
        Case(
            "mixed points and polygons",
            folder / "mixed.geojson",
            "error",
            r"mixed geometry types \(Point, Polygon\): split the layer",
        )
    )
    clipped = gpd.GeoDataFrame(
        {"name": ["a", "b"]},
        geometry=[
            shapely.box(x0, y0, x0 + 9, y0 + 9),
            shapely.GeometryCollection(
                [
                    shapely.box(x0 + 20, y0, x0 + 29, y0 + 9),
                    shapely.LineString([(x0, y0), (x0 + 5, y0)]),
                ]
            ),
        ],
        crs="EPSG:5186",
    )
    _write(clipped, folder / "collection.gpkg", layer="zoning")
    add(
        Case(
            "polygons and a geometry collection",
            folder / "collection.gpkg",
            "note",
            r"1 geometry collections reduced to their polygons",
            count=2,
            first_xy=(x0 + 9, y0),
        )
    )
    multi = gpd.GeoDataFrame(
        {"name": ["a", "b"]},
        geometry=[shapely.Point(x0, y0), shapely.MultiPoint([(x0 + 5, y0), (x0 + 9, y0)])],
        crs="EPSG:5186",
    )
    _write(multi, folder / "multi_and_single.gpkg", layer="startups")
    add(
        Case(
            "Point and MultiPoint together",
            folder / "multi_and_single.gpkg",
            "note",
            r"^$",
            count=2,
            first_xy=xy5186[0],
        )
    )

    # --- roles --------------------------------------------------------------------------
    polys = gpd.GeoDataFrame(
        {"name": ["a"]}, geometry=[shapely.box(x0, y0, x0 + 9, y0 + 9)], crs="EPSG:5186"
    )
    _write(polys, folder / "polygons.gpkg", layer="startups")
    add(
        Case(
            "start-ups as polygons",
            folder / "polygons.gpkg",
            "error",
            r"start-ups must be points; this layer holds polygons",
            role="startups",
        )
    )
    add(
        Case(
            "universities as polygons",
            folder / "polygons.gpkg",
            "error",
            r"universities and colleges must be points",
            role="education",
        )
    )
    _write(
        _points("EPSG:5186", xy5186, 용도지역=["준공업지역"] * 3),
        folder / "zoning_points.gpkg",
        layer="zoning",
    )
    add(
        Case(
            "zoning as points",
            folder / "zoning_points.gpkg",
            "error",
            r"zoning must be polygons; this layer holds points",
            role="zoning",
        )
    )
    boxes = [shapely.box(x0 + 100 * i, y0, x0 + 100 * i + 90, y0 + 90) for i in range(3)]
    _write(
        gpd.GeoDataFrame({"용도지역": ["apple", "pear", "plum"]}, geometry=boxes, crs="EPSG:5186"),
        folder / "zoning_unknown.gpkg",
        layer="zoning",
    )
    add(
        Case(
            "zoning without any known zone name",
            folder / "zoning_unknown.gpkg",
            "error",
            r"holds no known zone or overlay name",
            role="zoning",
        )
    )
    korean_zones = ["제2종일반주거지역", "준공업지역", "개발제한구역"]
    _shapefile(
        gpd.GeoDataFrame(
            {"DGM_NM": korean_zones, "ID": ["1", "2", "3"]}, geometry=boxes, crs="EPSG:5186"
        ),
        folder / "zoning_kr.shp",
        "CP949",
        cpg=None,
    )
    add(
        Case(
            "zoning shapefile, full Korean names, CP949",
            folder / "zoning_kr.shp",
            "note",
            r"^[^\n]*read as CP949$",
            role="zoning",
            count=3,
        )
    )
    _write(
        gpd.GeoDataFrame(
            {"용도지역명": ["준공업지역", "준공업지역", "과수원"]}, geometry=boxes, crs="EPSG:5186"
        ),
        folder / "zoning_partly.gpkg",
        layer="zoning",
    )
    add(
        Case(
            "zoning with one unknown name",
            folder / "zoning_partly.gpkg",
            "note",
            r"1 of 3 features have zone names not in the rules table: 과수원",
            role="zoning",
            count=3,
        )
    )
    _write(
        _points(
            "EPSG:4326",
            LONLAT,
            업종=["ICT/SW", "Bio/Health", "ICT/SW"],
            종사자수=["12", "many", "7"],
        ),
        folder / "startups_kr.gpkg",
        layer="startups",
    )
    add(
        Case(
            "start-ups with non-numeric 종사자수",
            folder / "startups_kr.gpkg",
            "note",
            r"1 of 3 employees values are not numbers \('many'\)",
            role="startups",
            count=3,
            first_xy=xy5186[0],
        )
    )

    # --- hostile archives and sidecars (tests/bad_zips.py, docs/inputs.md) ------------
    hostile = folder / "hostile"
    hostile.mkdir(exist_ok=True)
    for name, path, pattern in zip_cases(hostile, folder / "cp949.shp"):
        add(Case(name, path, "error", pattern))
    for suffix in (".cpg", ".prj"):
        path = sparse_sidecar_shapefile(hostile, folder / "cp949.shp", suffix, 3 << 30)
        add(
            Case(
                f"shapefile with a 3 GiB {suffix} (sparse)",
                path,
                "error",
                rf"refused before reading: its {path.stem}\{suffix} is 3\.0 GiB \(a \{suffix} "
                r"file holds at most 1\.0 MiB\)",
            )
        )
    return cases
