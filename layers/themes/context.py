"""``gu`` and ``dong``: Seoul context boundaries (KOSTAT SGIS 2018)."""

from layers.model import LayerSpec
from layers.provenance import DataStatus, Provenance
from layers.style import LabelStyle, LayerStyle, Symbol

_KOSTAT = Provenance(
    status=DataStatus.REAL,
    source="Statistics Korea SGIS boundaries, collected 2018-12-24, via "
    "southkorea/southkorea-maps (kostat/2018)",
    licence="KOGL Type 1 (공공누리 제1유형: attribution)",
    vintage="2018",
    attribution="Boundaries: 통계청 SGIS 제공 (KOGL 1)",
    notes="Converted to GeoJSON by Lucy Park / Team POPONG (southkorea-maps).",
)

GU = LayerSpec(
    name="gu",
    title_ko="자치구",
    title_en="Districts of Seoul (gu)",
    geometry_kind="polygon",
    columns={"code": "str", "name": "str", "name_eng": "str"},
    style=LayerStyle(
        symbol=Symbol(fill="#f4f1ea", fill_alpha=1.0, stroke="#7a7a7a", stroke_width=1.0),
        label=LabelStyle(field="name", size_pt=10, color="#6b6b6b"),
    ),
    provenance=_KOSTAT,
    description="The 25 autonomous districts (자치구) of Seoul.",
)

DONG = LayerSpec(
    name="dong",
    title_ko="행정동",
    title_en="Administrative dongs",
    geometry_kind="polygon",
    columns={"code": "str", "name": "str", "name_eng": "str", "gu": "str"},
    style=LayerStyle(
        symbol=Symbol(fill=None, stroke="#b9b4aa", stroke_width=0.7, stroke_style="dash"),
        label=LabelStyle(field="name", size_pt=8, color="#8a8a8a", max_resolution=6.0),
    ),
    provenance=_KOSTAT,
    description="Administrative dongs (행정동) in the study area.",
)
