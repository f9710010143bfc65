"""Tile maths, placement error, URL templates, the disk cache and the HTTP fetch against
a real tile server on 127.0.0.1."""

import itertools
import time

import numpy as np
import pytest

from app.core.basemap.cache import TileCache, freshness
from app.core.basemap.fetch import TileFetcher
from app.core.basemap.sources import (
    BUILT_IN,
    CUSTOM,
    USER_AGENT,
    BasemapError,
    BasemapSettings,
    TileSource,
    check_template,
)
from app.core.basemap.tiles import (
    View,
    from_mercator,
    placement_error,
    plan,
    tile_bounds,
    tiles_for,
    to_mercator,
    zoom_for,
)
from tests.tile_server import TileServer, dead_template

# Pangyo / Gangnam, EPSG:5186
CX, CY = 203000.0, 544000.0


def test_projection_round_trip_and_tile_grid():
    mx, my = to_mercator([CX], [CY])
    x, y = from_mercator(mx, my)
    assert abs(x[0] - CX) < 1e-3 and abs(y[0] - CY) < 1e-3
    # the slippy-map formula from longitude/latitude names the tile that holds it
    from pyproj import Transformer

    lon, lat = Transformer.from_crs(5186, 4326, always_xy=True).transform(CX, CY)
    n = 2**13
    tx = int((lon + 180) / 360 * n)
    ty = int((1 - np.arcsinh(np.tan(np.radians(lat))) / np.pi) / 2 * n)
    xmin, ymin, xmax, ymax = tile_bounds(13, tx, ty)
    assert xmin <= mx[0] < xmax and ymin <= my[0] < ymax


@pytest.mark.parametrize("resolution", [0.3, 2.0, 10.0, 60.0, 400.0])
def test_warped_tiles_fall_within_a_pixel_of_their_true_place(resolution):
    view = View(CX, CY, resolution, 1200, 800)
    tiles = [t for t, _h in plan(view)]
    assert tiles
    assert placement_error(view, tiles) < 1.0


def test_one_transform_per_tile_is_not_always_enough():
    """At the scale of all Korea a single projective transform per tile is off by more
    than a pixel (so the mesh above is doing work: the test could fail)."""
    from app.core.basemap.tiles import _error, _pieces

    view = View(CX, CY, 400.0, 1200, 800)
    tiles = [t for t, _p in plan(view)]
    worst = max(_error(view, *t, _pieces(view, *t, 1), 17) for t in tiles)
    assert worst > 1.0


def test_zoom_follows_the_map_scale():
    view = View(CX, CY, 1.0, 800, 600)
    z1 = zoom_for(view.extent, 1.0)
    z2 = zoom_for(view.extent, 2.0)
    assert z1 == z2 + 1
    assert 16 <= z1 <= 18
    assert zoom_for(view.extent, 0.01, max_zoom=19) == 19


def test_tiles_cover_the_view_nearest_first():
    view = View(CX, CY, 5.0, 1000, 700)
    tiles = tiles_for(view.extent, zoom_for(view.extent, 5.0))
    xs = {t[1] for t in tiles}
    ys = {t[2] for t in tiles}
    assert len(tiles) == len(xs) * len(ys)
    mx, my = to_mercator([CX], [CY])
    z, x, y = tiles[0]
    xmin, ymin, xmax, ymax = tile_bounds(z, x, y)
    assert xmin <= mx[0] <= xmax and ymin <= my[0] <= ymax


def test_url_templates_and_keys():
    osm = BUILT_IN["osm"]
    assert osm.url(3, 4, 5) == "https://tile.openstreetmap.org/3/4/5.png"
    vworld = BUILT_IN["vworld-satellite"]
    with pytest.raises(BasemapError, match="API key"):
        vworld.url(10, 1, 2)
    assert vworld.url(10, 1, 2, "ABC") == (
        "https://api.vworld.kr/req/wmts/1.0.0/ABC/Satellite/10/2/1.jpeg"
    )
    tms = TileSource("t", "t", "http://h/{z}/{x}/{-y}.png", "")
    assert tms.url(2, 1, 0) == "http://h/2/1/3.png"
    for bad in ("file:///etc/{z}/{x}/{y}", "http://h/{z}/{x}.png", "javascript:{z}{x}{y}"):
        with pytest.raises(BasemapError):
            check_template(bad)


def test_settings_round_trip_and_defaults():
    assert BasemapSettings().enabled is False
    chosen = BasemapSettings(True, CUSTOM, 0.4, True, "https://t.example/{z}/{x}/{y}.png", "© T")
    assert BasemapSettings.from_record(chosen.as_record()) == chosen
    assert chosen.attribution() == "© T"
    damaged = BasemapSettings.from_record({"enabled": 1, "source": "nope", "opacity": "nan"})
    assert damaged.source == "osm" and damaged.opacity == 1.0 and damaged.enabled
    assert BasemapSettings.from_record("junk") == BasemapSettings()
    assert BasemapSettings(enabled=False).attribution() == ""


def test_freshness_reads_cache_headers():
    now = 1000.0
    assert freshness({"Cache-Control": "max-age=60"}, now) == 1060.0
    assert freshness({"Cache-Control": "no-store"}, now) is None
    assert freshness({"Cache-Control": "no-cache"}, now) == now
    assert freshness({"Expires": "Thu, 01 Jan 1970 00:20:00 GMT"}, now) == 1200.0


def test_fetch_uses_the_cache_on_a_second_run_with_the_server_stopped(tmp_path):
    cache = TileCache(tmp_path)
    with TileServer() as server:
        source = TileSource("local", "local", server.template, "© test")
        first = TileFetcher(source, cache).fetch(12, 3490, 1588)
        assert first.data is not None and not first.from_cache
        assert server.agents == [USER_AGENT]
        again = TileFetcher(source, cache).fetch(12, 3490, 1588)
        assert again.from_cache and server.requests == 1  # fresh: not asked again
    offline = TileFetcher(source, TileCache(tmp_path), timeout=2).fetch(12, 3490, 1588)
    assert offline.data == first.data and offline.from_cache


def test_a_dead_server_or_a_500_fails_quickly_with_a_reason(tmp_path):
    start = time.monotonic()
    dead = TileFetcher(TileSource("d", "d", dead_template(), ""), TileCache(tmp_path), timeout=2)
    result = dead.fetch(1, 0, 0)
    assert result.data is None and "cannot be reached" in result.error
    with TileServer(status=500) as server:
        broken = TileFetcher(TileSource("e", "e", server.template, ""), TileCache(tmp_path))
        result = broken.fetch(1, 0, 0)
        assert result.data is None and "HTTP 500" in result.error
    assert time.monotonic() - start < 30  # a generous bound: "does not hang"


def test_cache_keeps_to_its_size_limit(tmp_path):
    cache = TileCache(tmp_path, limit_bytes=10_000)
    for i, j in itertools.product(range(5), range(5)):
        cache.put("s", 5, i, j, b"x" * 1000, time.time() + 60)
    assert cache.size_bytes() <= 10_000
    assert cache.get("s", 5, 4, 4) is not None  # the newest stay
    assert np.sum([cache.get("s", 5, i, j) is not None for i in range(5) for j in range(5)]) < 25
