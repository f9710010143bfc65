"""``zoning``: ILLUSTRATIVE 용도지역 polygons and restriction overlays."""

from layers.model import LayerSpec
from layers.provenance import DataStatus, Provenance
from layers.style import Hatch, Symbol, categorized

#: 용도지역 zone types (docs/zoning.md, short names) -> colour, after the usual Korean map colours.
ZONE_COLOURS = {
    "제1종전용주거": "#fff3b0",
    "제2종전용주거": "#ffe98a",
    "제1종일반주거": "#ffe066",
    "제2종일반주거": "#fcd34d",
    "제3종일반주거": "#f4b942",
    "준주거": "#f0a04b",
    "중심상업": "#d7263d",
    "일반상업": "#e76f7d",
    "근린상업": "#f19cbb",
    "유통상업": "#c44569",
    "전용공업": "#5b5ea6",
    "일반공업": "#7b7fd1",
    "준공업": "#a8a9e8",
    "보전녹지": "#2d6a4f",
    "생산녹지": "#52b788",
    "자연녹지": "#95d5b2",
}

#: Restriction overlays: overlay name -> (English name, outline colour, hatch)
OVERLAYS: dict[str, tuple[str, str, Hatch | None]] = {
    "개발제한구역": ("Greenbelt", "#1b4332", "diagonal"),
    "비행안전구역": ("Airport height limit (Gimpo)", "#0077b6", None),
    "특정개발진흥지구": ("Special development district", "#9d0208", None),
}

_zone_rows = [
    (zone, zone, Symbol(fill=colour, fill_alpha=0.55, stroke="#8d8d8d", stroke_width=0.5))
    for zone, colour in ZONE_COLOURS.items()
]
# Overlays lie over the zones: a light tint (or hatch) and a dashed outline keep zones readable.
_overlay_rows = [
    (
        name,
        f"{name} · {en}",
        Symbol(
            fill=colour,
            fill_alpha=0.35 if hatch else 0.07,
            stroke=colour,
            stroke_width=2.0,
            stroke_style="dash",
            hatch=hatch,
        ),
    )
    for name, (en, colour, hatch) in OVERLAYS.items()
]

SPEC = LayerSpec(
    name="zoning",
    title_ko="용도지역·규제 (예시)",
    title_en="Zoning and restrictions (illustrative)",
    geometry_kind="polygon",
    columns={
        "kind": "str",
        "zone_type": "str",
        "name": "str",
        "illustrative": "bool",
        "district_id": "str",
        "max_height_m": "float",
        "note": "str",
    },
    style=categorized(
        "zone_type",
        _zone_rows + _overlay_rows,
        other=Symbol(fill="#cccccc", fill_alpha=0.4, stroke="#888888", stroke_width=0.5),
    ),
    provenance=Provenance(
        status=DataStatus.ILLUSTRATIVE,
        source="Hand-made by InnoAtlas (data/build_default_project.py) from the zone types "
        "and restriction kinds of the Korean zoning law; shapes are invented",
        licence="CC0 (generated data)",
        vintage="illustrative",
        attribution="Illustrative zoning: not the legal 용도지역 map",
        notes="ILLUSTRATIVE: hand-made polygons that only suggest the typical zoning of each "
        "district (G-Valley and Magok mostly 준공업, the built-up part of Yangjae "
        "mostly 제2종일반주거, its hills 자연녹지). Import "
        "the real 용도지역 data (e.g. from the national land-use portal) for decisions.",
    ),
    description="Illustrative zoning (kind=zone) and restriction overlays (kind=overlay).",
)
