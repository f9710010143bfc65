"""``districts``: the three innovation districts (approximate boundaries)."""

from layers.model import LayerSpec
from layers.provenance import DataStatus, Provenance
from layers.style import LabelStyle, Symbol, categorized

#: district_id -> (Korean name, English name, colour)
DISTRICTS = {
    "gvalley": ("G밸리 (서울디지털산업단지)", "G-Valley", "#d1495b"),
    "magok": ("마곡", "Magok", "#00798c"),
    "yangjae": ("양재·개포", "Yangjae/Gaepo", "#6a994e"),
}

#: How each boundary was made (PRODUCT.md); stored in ``boundary_basis``.
BOUNDARY_BASIS = {
    "gvalley": "union of admin dongs 구로3동 ∪ 가산동 (admdongkor 2021-04); approximation of the "
    "industrial complex, not an official boundary",
    "magok": "legal dong 마곡동 (JUSO 2015); approximation of the Magok industrial/urban "
    "development area, not an official boundary",
    "yangjae": "union of admin dongs 양재1동 ∪ 양재2동 ∪ 개포4동 (admdongkor 2021-04); "
    "approximation "
    "of the Yangjae/Gaepo innovation district, not an official boundary",
}

SPEC = LayerSpec(
    name="districts",
    title_ko="혁신지구",
    title_en="Innovation districts",
    geometry_kind="polygon",
    columns={"district_id": "str", "name_ko": "str", "name_en": "str", "boundary_basis": "str"},
    style=categorized(
        "district_id",
        [
            (
                key,
                f"{ko} · {en}",
                Symbol(fill=colour, fill_alpha=0.10, stroke=colour, stroke_width=2.5),
            )
            for key, (ko, en, colour) in DISTRICTS.items()
        ],
        other=Symbol(fill="#999999", fill_alpha=0.1, stroke="#666666", stroke_width=2.0),
        label=LabelStyle(field="name_ko", size_pt=12, bold=True, color="#1b1b1b"),
    ),
    provenance=Provenance(
        status=DataStatus.APPROXIMATE,
        source="Unions of real dong boundaries: vuski/admdongkor ver20210401 admin dongs "
        "(from KOSTAT SGIS) and JUSO 2015 legal dongs via southkorea/seoul-maps",
        licence="CC BY 4.0 (admdongkor) + KOGL Type 1 (KOSTAT SGIS); JUSO data via "
        "southkorea/seoul-maps (Apache 2.0, upstream Seoul Open Data terms stated only)",
        vintage="2021-04 (admin dongs), 2015 (legal dong)",
        attribution="Districts: vuski/admdongkor (CC BY 4.0), JUSO 2015",
        notes="Approximate: a district = a union of dongs, not an official district boundary. "
        "This data is derived from administrative-dong boundaries released by "
        "Statistics Korea SGIS (https://sgis.kostat.go.kr) under KOGL Type 1, modified "
        "by vuski/admdongkor (https://github.com/vuski/admdongkor), distributed under "
        "CC BY 4.0. Magok: JUSO 2015 legal dong via Lucy Park / Team POPONG seoul-maps.",
    ),
    description="The three space-based innovation districts, approximated by dong boundaries.",
)
