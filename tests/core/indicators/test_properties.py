"""Property tests: the vectorised engine equals a brute-force per-site reference.

Coordinates and radii are small integers so that many features lie exactly on a
catchment's boundary, where ``distance == R`` must count as inside.
"""

import json
import math
from collections import Counter

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.indicators.engine import compute_indicators
from app.core.zoning.rules import ZoningRules

CRS = "EPSG:5186"
RULES = ZoningRules.default()
ZONE_TYPES = ["준공업", "제2종일반주거", "자연녹지", "제1종전용주거", "일반상업"]
CELL = 20

coord = st.integers(0, 60)
point_geom = st.builds(lambda x, y: shapely.Point(x, y), coord, coord)
box_geom = st.builds(
    lambda x, y, w, h: shapely.box(x, y, x + w, y + h),
    coord,
    coord,
    st.integers(1, 25),
    st.integers(1, 25),
)
site_geom = st.one_of(point_geom, box_geom)


@st.composite
def worlds(draw):
    n_sites = draw(st.integers(1, 6))
    sites = draw(st.lists(site_geom, min_size=n_sites, max_size=n_sites))
    lots = draw(
        st.lists(st.one_of(st.none(), st.integers(1, 5000)), min_size=n_sites, max_size=n_sites)
    )
    radii = draw(
        st.lists(st.one_of(st.none(), st.integers(0, 40)), min_size=n_sites, max_size=n_sites)
    )
    n_startups = draw(st.integers(0, 40))
    startup_pts = draw(st.lists(st.tuples(coord, coord), min_size=n_startups, max_size=n_startups))
    sectors = draw(
        st.lists(st.sampled_from(["A", "B", "C", "D"]), min_size=n_startups, max_size=n_startups)
    )
    employees = draw(
        st.lists(st.one_of(st.none(), st.integers(0, 50)), min_size=n_startups, max_size=n_startups)
    )
    education = draw(st.lists(st.tuples(coord, coord), max_size=5))
    stations = draw(st.lists(st.tuples(coord, coord), max_size=5))
    zone_types = draw(st.lists(st.sampled_from(ZONE_TYPES), min_size=9, max_size=9))
    greenbelt = draw(st.one_of(st.none(), box_geom))
    radius = draw(st.integers(0, 40))
    return dict(
        sites=sites,
        lots=lots,
        radii=radii,
        startups=startup_pts,
        sectors=sectors,
        employees=employees,
        education=education,
        stations=stations,
        zone_types=zone_types,
        greenbelt=greenbelt,
        radius=radius,
    )


def frames(world):
    sites = gpd.GeoDataFrame(
        {
            "lot_area_m2": [np.nan if v is None else float(v) for v in world["lots"]],
            "radius_m": [np.nan if v is None else float(v) for v in world["radii"]],
        },
        geometry=world["sites"],
        crs=CRS,
    )
    startups = gpd.GeoDataFrame(
        {"sector": world["sectors"], "employees": pd.array(world["employees"], dtype="Int64")},
        geometry=[shapely.Point(p) for p in world["startups"]],
        crs=CRS,
    )
    education = gpd.GeoDataFrame(geometry=[shapely.Point(p) for p in world["education"]], crs=CRS)
    stations = gpd.GeoDataFrame(geometry=[shapely.Point(p) for p in world["stations"]], crs=CRS)
    cells = [
        shapely.box(i * CELL, j * CELL, (i + 1) * CELL, (j + 1) * CELL)
        for j in range(3)
        for i in range(3)
    ]
    kinds, types, geoms = ["zone"] * 9, list(world["zone_types"]), cells
    if world["greenbelt"] is not None:
        kinds, types, geoms = (
            kinds + ["overlay"],
            types + ["개발제한구역"],
            geoms + [world["greenbelt"]],
        )
    zoning = gpd.GeoDataFrame({"kind": kinds, "zone_type": types}, geometry=geoms, crs=CRS)
    return sites, startups, education, stations, zoning


def reference(world):
    """Brute force: one site at a time, one feature at a time, plain Python."""
    rows = []
    all_sectors = Counter(world["sectors"])
    n_total = len(world["sectors"])
    cells = [
        (shapely.box(i * CELL, j * CELL, (i + 1) * CELL, (j + 1) * CELL), t)
        for (j, i), t in zip([(j, i) for j in range(3) for i in range(3)], world["zone_types"])
    ]
    gb = world["greenbelt"]
    for site, lot, own_radius in zip(world["sites"], world["lots"], world["radii"]):
        radius = world["radius"] if own_radius is None else own_radius
        inside = [
            k for k, p in enumerate(world["startups"]) if site.distance(shapely.Point(p)) <= radius
        ]
        n = len(inside)
        counts = Counter(world["sectors"][k] for k in inside)
        p = [c / n for c in counts.values()] if n else []
        h = -sum(q * math.log(q) for q in p)
        s_layer = len(all_sectors)
        top = min(counts, key=lambda s: (-counts[s], s)) if n else None
        row = dict(
            startups_n=n,
            employees_sum=sum(world["employees"][k] or 0 for k in inside),
            sector_shannon=h,
            sector_evenness=h / math.log(s_layer) if s_layer > 1 else 0.0,
            sector_hhi=sum(q * q for q in p),
            top_sector=top,
            top_sector_lq=(counts[top] / n) / (all_sectors[top] / n_total) if n else math.nan,
            education_n=sum(site.distance(shapely.Point(q)) <= radius for q in world["education"]),
            education_nearest_m=min(
                (site.distance(shapely.Point(q)) for q in world["education"]), default=math.nan
            ),
            stations_n=sum(site.distance(shapely.Point(q)) <= radius for q in world["stations"]),
            station_nearest_m=min(
                (site.distance(shapely.Point(q)) for q in world["stations"]), default=math.nan
            ),
        )
        row.update(zoning_reference(site, lot, cells, gb))
        rows.append(row)
    return rows


def zoning_reference(site, lot, cells, gb):
    area_of, footprint, gfa = {}, 0.0, 0.0
    lot = math.nan if lot is None else float(lot)
    if site.geom_type == "Point":
        hits = [(cell, t) for cell, t in cells if cell.intersects(site)]
        if not hits:
            return dict(shares={}, footprint=math.nan, gfa=math.nan, permitted=None, coverage=0.0)
        _, t = hits[0]
        in_gb = gb is not None and gb.intersects(site)
        a = 0.0 if in_gb else lot
        return dict(
            shares={t: 1.0},
            footprint=a * RULES.bcr(t) / 100,
            gfa=a * RULES.far(t) / 100,
            permitted=RULES.permits(t),
            coverage=1.0,
        )
    forbidden = False
    for cell, t in cells:
        piece = site.intersection(cell)
        if piece.area <= 0:
            continue
        area_of[t] = area_of.get(t, 0.0) + piece.area / site.area
        forbidden |= not RULES.permits(t)
        a = piece.difference(gb).area if gb is not None else piece.area
        footprint += a * RULES.bcr(t) / 100
        gfa += a * RULES.far(t) / 100
    if not area_of:
        whole_gb = gb is not None and site.difference(gb).area <= 1e-9 * site.area
        value = 0.0 if whole_gb else math.nan
        return dict(shares={}, footprint=value, gfa=value, permitted=None, coverage=0.0)
    if gb is not None and site.difference(gb).area <= 1e-9 * site.area:
        footprint = gfa = 0.0
    # Known only where zoning covers >= 99 % of the site, or where a zone forbids the centre.
    coverage = sum(area_of.values())
    permitted = False if forbidden else (True if coverage >= 0.99 else None)
    return dict(
        shares=area_of, footprint=footprint, gfa=gfa, permitted=permitted, coverage=coverage
    )


def same(a, b):
    if a is None or b is None or (isinstance(a, float) and math.isnan(a)):
        return (a is None or pd.isna(a)) and (b is None or pd.isna(b))
    if isinstance(b, str):
        return a == b
    return a == pytest.approx(b, rel=1e-9, abs=1e-9)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(worlds())
def test_engine_equals_brute_force(world):
    sites, startups, education, stations, zoning = frames(world)
    table = compute_indicators(sites, startups, education, stations, zoning, radius=world["radius"])
    for (_, got), want in zip(table.iterrows(), reference(world), strict=True):
        for column in (
            "startups_n",
            "employees_sum",
            "sector_shannon",
            "sector_evenness",
            "sector_hhi",
            "top_sector",
            "top_sector_lq",
            "education_n",
            "education_nearest_m",
            "stations_n",
            "station_nearest_m",
        ):
            assert same(got[column], want[column]), (column, got[column], want[column])
        shares = json.loads(got["zone_shares"]) if got["zone_shares"] else {}
        assert shares.keys() == want["shares"].keys()
        for zone, share in want["shares"].items():
            assert shares[zone] == pytest.approx(share, abs=1e-6)
        if shares and world["sites"][_].geom_type != "Point":
            covered = sum(want["shares"].values())
            assert sum(shares.values()) == pytest.approx(covered, abs=1e-5)
        assert same(got["max_footprint_m2"], want["footprint"]), (
            got["max_footprint_m2"],
            want["footprint"],
        )
        assert same(got["max_gfa_m2"], want["gfa"])
        permitted = got["use_permitted"]
        assert (None if pd.isna(permitted) else bool(permitted)) == want["permitted"]
        assert got["zoning_coverage"] == pytest.approx(want["coverage"], abs=1e-6)
        assert 0 <= got["score"] <= 100


@settings(max_examples=40, deadline=None)
@given(worlds())
def test_fully_covered_sites_have_shares_summing_to_one(world):
    sites, startups, education, stations, zoning = frames(world)
    table = compute_indicators(sites, startups, education, stations, zoning)
    full = shapely.box(0, 0, 3 * CELL, 3 * CELL)
    for geom, text in zip(world["sites"], table["zone_shares"]):
        if geom.geom_type != "Point" and full.contains(geom):
            assert sum(json.loads(text).values()) == pytest.approx(1.0, abs=1e-5)


# --- the grid index returns exactly the STRtree dwithin pairs ----------------------


def star(cx, cy, radii):
    """A non-convex polygon: a star with the given radii around (cx, cy)."""
    angles = np.linspace(0, 2 * np.pi, len(radii), endpoint=False)
    return shapely.Polygon(
        np.column_stack([cx + np.cos(angles) * radii, cy + np.sin(angles) * radii])
    )


# Multiples of 1/64: exact in binary, so no distance falls within an ulp of R by accident.
real = st.integers(-50 * 64, 150 * 64).map(lambda v: v / 64)
star_geom = st.builds(
    star, real, real, st.lists(real.map(lambda v: 1 + abs(v) / 2), min_size=3, max_size=12)
)
holed = st.builds(
    lambda x, y, r: shapely.box(x, y, x + 4 * r, y + 4 * r).difference(
        shapely.box(x + r, y + r, x + 3 * r, y + 3 * r)
    ),
    coord,
    coord,
    st.integers(1, 15),
)
multi = st.builds(
    lambda a, b: shapely.MultiPolygon([a, b]) if not a.intersects(b) else a, box_geom, box_geom
)
line = st.builds(
    lambda x, y, u, v: shapely.LineString([(x, y), (u, v)]), coord, coord, coord, coord
)
any_site = st.one_of(
    point_geom, box_geom, star_geom, holed, multi, line, st.builds(shapely.Point, real, real)
)


@settings(max_examples=150, deadline=None)
@given(
    sites=st.lists(any_site, min_size=1, max_size=6),
    points=st.lists(
        st.tuples(st.one_of(coord, real), st.one_of(coord, real)), min_size=0, max_size=80
    ),
    radii=st.lists(st.one_of(st.integers(0, 90), real.map(abs)), min_size=6, max_size=6),
    cell=st.one_of(st.none(), st.floats(0.5, 200)),
    cell_x=st.one_of(st.none(), st.floats(0.1, 300)),
)
def test_point_grid_equals_strtree_dwithin(sites, points, radii, cell, cell_x):
    from app.core.indicators.point_grid import PointGrid

    sites = np.array(sites, dtype=object)
    radii = np.array(radii[: len(sites)], dtype=float)
    xy = np.array(points, dtype=float).reshape(-1, 2)
    grid = PointGrid.build(xy[:, 0], xy[:, 1], cell=cell, cell_x=cell_x)  # rows, columns
    got = grid.pairs_within(sites, radii)
    got = {(int(s), int(grid.order[p])) for s, p in zip(*got)}
    tree = shapely.STRtree(shapely.points(xy)) if len(xy) else None
    want = (
        set()
        if tree is None
        else {
            (int(s), int(p))
            for s, p in zip(*tree.query(sites, predicate="dwithin", distance=radii))
        }
    )
    assert got == want
