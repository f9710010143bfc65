"""Edit a GeoPackage with plain ``sqlite3`` as QGIS would through GDAL: the functions
its R-tree triggers call, computed with shapely."""

import shapely


def _geometry(blob):
    """A GeoPackage geometry blob as shapely (header: 8 bytes + the envelope)."""
    envelope = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}[(blob[3] >> 1) & 7]
    return shapely.from_wkb(bytes(blob[8 + envelope :]))


def gdal_functions(con) -> None:
    """Give ``con`` the ST_* functions GeoPackage triggers need."""
    con.create_function("ST_IsEmpty", 1, lambda b: int(b is None or _geometry(b).is_empty))
    for number, name in enumerate(("ST_MinX", "ST_MinY", "ST_MaxX", "ST_MaxY")):
        con.create_function(name, 1, lambda b, n=number: _geometry(b).bounds[n])
