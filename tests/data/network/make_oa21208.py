"""Write oa21208_guro.csv: a small, faithful fixture of the Seoul pedestrian network CSV.

Format of 서울시 자치구별 도보 네트워크 공간정보 (Seoul Open Data Plaza, OA-21208): CP949,
one row per node or link, ``NODE_TYPE`` NODE or LINK, WKT in WGS 84 (``NODE_WKT``,
``LNKG_WKT``), link id/length/type, grade and use flags (0/1), district and dong names.
The network is synthetic (a 4 × 4 grid of 100 m links near 구로디지털단지, a footbridge
over the middle street that meets it nowhere, one island); codes are illustrative.

Run: python tests/data/network/make_oa21208.py
"""

from __future__ import annotations

import csv
from pathlib import Path

from pyproj import Transformer

HERE = Path(__file__).parent
COLUMNS = [
    "NODE_TYPE",
    "NODE_WKT",
    "NODE_ID",
    "NODE_TYPE_CD",
    "LNKG_WKT",
    "LNKG_ID",
    "LNKG_TYPE_CD",
    "BGNG_LNKG_ID",
    "END_LNKG_ID",
    "LNKG_LEN",
    "SGG_CD",
    "SGG_NM",
    "EMD_CD",
    "EMD_NM",
    "SBWY_NTW",
    "BRG",
    "TNL",
    "OVRP",
    "CRSWK",
    "PARK",
    "BLDG",
]
X0, Y0 = 190_500.0, 543_000.0  # EPSG:5186, near 구로디지털단지역
TO_WGS = Transformer.from_crs("EPSG:5186", "EPSG:4326", always_xy=True)


def lonlat(x: float, y: float) -> str:
    lon, lat = TO_WGS.transform(X0 + x, Y0 + y)
    return f"{lon:.7f} {lat:.7f}"


def main() -> None:
    rows = []
    nodes = {}
    for i in range(4):
        for j in range(4):
            nodes[(i, j)] = f"N{i}{j}"
            rows.append(
                {
                    "NODE_TYPE": "NODE",
                    "NODE_WKT": f"POINT({lonlat(i * 100, j * 100)})",
                    "NODE_ID": nodes[(i, j)],
                    "NODE_TYPE_CD": "0",
                }
            )
    links = []
    for i in range(4):
        for j in range(4):
            if i < 3:
                links.append(((i, j), (i + 1, j), {}))
            if j < 3:
                links.append(((i, j), (i, j + 1), {"CRSWK": "1"} if (i, j) == (0, 0) else {}))
    base = {"SGG_CD": "11530", "SGG_NM": "구로구", "EMD_CD": "11530102", "EMD_NM": "구로동"}
    for k, (a, b, flags) in enumerate(links):
        rows.append(
            {
                "NODE_TYPE": "LINK",
                "LNKG_WKT": f"LINESTRING({lonlat(a[0] * 100, a[1] * 100)}, {lonlat(b[0] * 100, b[1] * 100)})",
                "LNKG_ID": f"L{k:03d}",
                "LNKG_TYPE_CD": "1000",
                "BGNG_LNKG_ID": nodes[a],
                "END_LNKG_ID": nodes[b],
                "LNKG_LEN": "100.0",
                **base,
                **{
                    f: flags.get(f, "0")
                    for f in ("SBWY_NTW", "BRG", "TNL", "OVRP", "CRSWK", "PARK", "BLDG")
                },
            }
        )
    # a footbridge from (150, 50) over the street y = 100 to (150, 250): no junction there
    rows.append(
        {
            "NODE_TYPE": "LINK",
            "LNKG_WKT": f"LINESTRING({lonlat(150, 0)}, {lonlat(150, 100)}, {lonlat(150, 300)})",
            "LNKG_ID": "L900",
            "LNKG_TYPE_CD": "1000",
            "BGNG_LNKG_ID": "",
            "END_LNKG_ID": "",
            "LNKG_LEN": "300.0",
            **base,
            "SBWY_NTW": "0",
            "BRG": "0",
            "TNL": "0",
            "OVRP": "1",
            "CRSWK": "0",
            "PARK": "0",
            "BLDG": "0",
        }
    )
    # an island: a park path nowhere near the grid
    rows.append(
        {
            "NODE_TYPE": "LINK",
            "LNKG_WKT": f"LINESTRING({lonlat(800, 800)}, {lonlat(900, 800)})",
            "LNKG_ID": "L901",
            "LNKG_TYPE_CD": "1000",
            "LNKG_LEN": "100.0",
            **base,
            "SBWY_NTW": "0",
            "BRG": "0",
            "TNL": "0",
            "OVRP": "0",
            "CRSWK": "0",
            "PARK": "1",
            "BLDG": "0",
        }
    )
    with (HERE / "oa21208_guro.csv").open("w", encoding="cp949", newline="") as out:
        writer = csv.DictWriter(out, COLUMNS, restval="")
        writer.writeheader()
        writer.writerows(rows)


if __name__ == "__main__":
    main()
