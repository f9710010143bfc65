"""WMTS capabilities: Web Mercator layers become tile templates; hostile or unusable
documents are refused with a clear message, never expanded or followed (issue 17)."""

import pytest

from app.core.basemap.sources import WMTS, BasemapError, BasemapSettings
from app.core.basemap.wmts import MAX_BYTES, fetch_capabilities, parse_capabilities
from tests.tile_server import TileServer

HALF = 20037508.3427892


def matrix_set(
    identifier="GoogleMapsCompatible",
    crs="urn:ogc:def:crs:EPSG::3857",
    zooms=range(0, 19),
    prefix="",
):
    matrices = "".join(
        f"<TileMatrix><ows:Identifier>{prefix}{z}</ows:Identifier>"
        f"<ScaleDenominator>{559082264.0287178 / 2**z}</ScaleDenominator>"
        f"<TopLeftCorner>{-HALF} {HALF}</TopLeftCorner><TileWidth>256</TileWidth>"
        f"<TileHeight>256</TileHeight><MatrixWidth>{2**z}</MatrixWidth>"
        f"<MatrixHeight>{2**z}</MatrixHeight></TileMatrix>"
        for z in zooms
    )
    return (
        f"<TileMatrixSet><ows:Identifier>{identifier}</ows:Identifier>"
        f"<ows:SupportedCRS>{crs}</ows:SupportedCRS>{matrices}</TileMatrixSet>"
    )


def capabilities(
    root: str, *, kvp: bool = False, sets: str | None = None, link="GoogleMapsCompatible"
) -> bytes:
    """A WMTS 1.0 GetCapabilities document with one layer "streets" in Web Mercator."""
    resource = (
        ""
        if kvp
        else f'<ResourceURL format="image/png" resourceType="tile" '
        f'template="{root}/wmts/{{Style}}/{{TileMatrixSet}}/{{TileMatrix}}/{{TileCol}}/{{TileRow}}.png"/>'
    )
    operations = (
        f'<ows:OperationsMetadata><ows:Operation name="GetTile"><ows:DCP><ows:HTTP>'
        f'<ows:Get xlink:href="{root}/kvp?"><ows:Constraint name="GetEncoding"><ows:AllowedValues>'
        f"<ows:Value>KVP</ows:Value></ows:AllowedValues></ows:Constraint></ows:Get>"
        f"</ows:HTTP></ows:DCP></ows:Operation></ows:OperationsMetadata>"
        if kvp
        else ""
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Capabilities xmlns="http://www.opengis.net/wmts/1.0" '
        'xmlns:ows="http://www.opengis.net/ows/1.1" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'version="1.0.0">'
        "<ows:ServiceProvider><ows:ProviderName>Loopback Maps</ows:ProviderName></ows:ServiceProvider>"
        f"{operations}<Contents>"
        "<Layer><ows:Title>Streets</ows:Title><ows:Identifier>streets</ows:Identifier>"
        '<Style isDefault="true"><ows:Identifier>grey</ows:Identifier></Style>'
        "<Format>image/png</Format>"
        f"<TileMatrixSetLink><TileMatrixSet>{link}</TileMatrixSet></TileMatrixSetLink>"
        f"{resource}</Layer>"
        "<Layer><ows:Title>Korea 5179</ows:Title><ows:Identifier>k5179</ows:Identifier>"
        "<TileMatrixSetLink><TileMatrixSet>EPSG5179</TileMatrixSet></TileMatrixSetLink></Layer>"
        f"{matrix_set() if sets is None else sets}"
        + matrix_set("EPSG5179", "urn:ogc:def:crs:EPSG::5179")
        + "</Contents></Capabilities>"
    ).encode()


def test_restful_layer_becomes_an_xyz_template():
    (layer,) = parse_capabilities(capabilities("http://h"))
    assert layer.identifier == "streets" and layer.title == "Streets"
    assert layer.template == "http://h/wmts/grey/GoogleMapsCompatible/{z}/{x}/{y}.png"
    assert (layer.min_zoom, layer.max_zoom) == (0, 18)
    assert layer.provider == "Loopback Maps"


def test_kvp_layer_and_prefixed_matrix_identifiers():
    data = capabilities(
        "http://h",
        kvp=True,
        sets=matrix_set("g", "EPSG:900913", range(3, 12), "EPSG:900913:"),
        link="g",
    )
    (layer,) = parse_capabilities(data)
    assert layer.template.startswith("http://h/kvp?SERVICE=WMTS&REQUEST=GetTile")
    assert "LAYER=streets" in layer.template and "TILEMATRIXSET=g" in layer.template
    assert layer.template.endswith("&TILEMATRIX=EPSG:900913:{z}&TILEROW={y}&TILECOL={x}")
    assert (layer.min_zoom, layer.max_zoom) == (3, 11)


def test_a_settings_record_keeps_the_wmts_layer():
    (layer,) = parse_capabilities(capabilities("http://h"))
    settings = BasemapSettings(
        True,
        WMTS,
        custom_url=layer.template,
        wmts_url="http://h/c.xml",
        wmts_layer="streets",
        min_zoom=0,
        max_zoom=18,
    )
    again = BasemapSettings.from_record(settings.as_record())
    assert again == settings
    source = again.tile_source()
    assert source.url(5, 10, 12) == "http://h/wmts/grey/GoogleMapsCompatible/5/10/12.png"
    assert source.max_zoom == 18


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<Capabilities>&lol3;</Capabilities>"""

EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE c [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><Capabilities>&xxe;</Capabilities>"""


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (BILLION_LAUGHS, "DTD or entities"),
        (EXTERNAL, "DTD or entities"),
        (b"<html><body>Not found</body></html>", "not a WMTS capabilities"),
        (b"\x89PNG not xml", "not XML"),
        (capabilities("http://h", sets=""), "no layer in Web Mercator"),
        (b"<Capabilities>" + b" " * (MAX_BYTES + 1) + b"</Capabilities>", "too large"),
    ],
)
def test_hostile_or_unusable_documents_are_refused_clearly(data, words):
    with pytest.raises(BasemapError, match=words):
        parse_capabilities(data)


def test_fetch_from_a_loopback_server_and_its_limits():
    body = capabilities("http://h")
    with TileServer(
        documents={"/c.xml": ("text/xml", body), "/big.xml": ("text/xml", b"x" * (MAX_BYTES + 10))}
    ) as server:
        assert fetch_capabilities(f"{server.root}/c.xml") == body
        with pytest.raises(BasemapError, match="larger than"):
            fetch_capabilities(f"{server.root}/big.xml")
        with pytest.raises(BasemapError, match="HTTP 404"):
            fetch_capabilities(f"{server.root}/missing.xml")
        assert any("c.xml" in p for p in server.paths)
    with pytest.raises(BasemapError, match="http"):
        fetch_capabilities("file:///etc/passwd")
