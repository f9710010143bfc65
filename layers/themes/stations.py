"""``stations``: subway stations (Seoul Open Data Plaza station master)."""

from layers.model import LayerSpec
from layers.provenance import DataStatus, Provenance
from layers.style import LabelStyle, LayerStyle, Symbol

SPEC = LayerSpec(
    name="stations",
    title_ko="지하철역",
    title_en="Subway stations",
    geometry_kind="point",
    columns={"station_id": "str", "name": "str", "line": "str"},
    style=LayerStyle(
        symbol=Symbol(fill="#ffffff", stroke="#1d1d1d", stroke_width=2.0, marker="circle", size=9),
        label=LabelStyle(field="name", size_pt=8, color="#1d1d1d", max_resolution=10.0),
    ),
    provenance=Provenance(
        status=DataStatus.REAL,
        source="Seoul Open Data Plaza, 서울시 역사마스터 정보 (station master), via "
        "dongwon0002/DataMining_term",
        licence="unverified (Seoul Open Data Plaza terms not checked; re-download before "
        "redistribution)",
        vintage="about 2025-05",
        attribution="Stations: 서울 열린데이터광장",
        notes="One point per station and line: transfer stations appear once per line. The "
        "source lists 99 stations twice (IDs like 150 and 0150); the build keeps one.",
    ),
    description="Subway and metropolitan rail stations (one point per line).",
)
