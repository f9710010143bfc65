"""``education``: universities and colleges (Ministry of Education coordinates)."""

from layers.model import LayerSpec
from layers.provenance import DataStatus, Provenance
from layers.style import LabelStyle, LayerStyle, Symbol

SPEC = LayerSpec(
    name="education",
    title_ko="대학",
    title_en="Universities and colleges",
    geometry_kind="point",
    columns={"name": "str", "name_eng": "str", "kind": "str", "campus": "str", "address": "str"},
    style=LayerStyle(
        symbol=Symbol(
            fill="#5e3c99", stroke="#ffffff", stroke_width=1.2, marker="triangle", size=11
        ),
        label=LabelStyle(field="name", size_pt=8, color="#3f2670", max_resolution=8.0),
    ),
    provenance=Provenance(
        status=DataStatus.REAL,
        source="Ministry of Education, 대학교 주소기반 좌표정보 (data.go.kr 15138981), "
        "via eunjeong0911/Property-recommend; closed (폐교) rows removed",
        licence="unverified (listed elsewhere as 이용허락범위 제한 없음; check data.go.kr "
        "before redistribution)",
        vintage="2024-10-30",
        attribution="Universities: 교육부 (2024-10)",
        notes="Coordinates are geocoded addresses: one point per campus/school record.",
    ),
    description="Universities, colleges and graduate schools (one point per record).",
)
