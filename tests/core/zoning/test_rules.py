"""The zoning rules tables (data/*.csv) against docs/zoning.md, and the rules object."""

import csv

import pytest

from app.core.zoning.names import normalise_zone_name
from app.core.zoning.rules import (
    CONDITIONAL,
    NOT_PERMITTED,
    OVERLAYS_CSV,
    PERMITTED,
    RULES_CSV,
    SYMBOLS,
    ZoningRules,
    ZoningRulesError,
)
from layers.themes.zoning import OVERLAYS, ZONE_COLOURS

#: docs/zoning.md: zone -> (decree BCR, decree FAR min, max, Seoul BCR, Seoul FAR, (?))
ZONING_MD = {
    "제1종전용주거": (50, 50, 100, 50, 100, False),
    "제2종전용주거": (50, 50, 150, 40, 120, True),
    "제1종일반주거": (60, 100, 200, 60, 150, False),
    "제2종일반주거": (60, 100, 250, 60, 200, False),
    "제3종일반주거": (50, 100, 300, 50, 250, False),
    "준주거": (70, 200, 500, 60, 400, True),
    "중심상업": (90, 200, 1500, 60, 1000, True),
    "일반상업": (80, 200, 1300, 60, 800, True),
    "근린상업": (70, 200, 900, 60, 600, True),
    "유통상업": (80, 200, 1100, 60, 600, True),
    "전용공업": (70, 150, 300, 60, 200, True),
    "일반공업": (70, 150, 350, 60, 200, True),
    "준공업": (70, 150, 400, 60, 400, True),
    "보전녹지": (20, 50, 80, 20, 50, True),
    "생산녹지": (20, 50, 100, 20, 50, True),
    "자연녹지": (20, 50, 100, 20, 50, True),
}
USES_MD = {  # (교육연구시설, 업무시설)
    "제1종전용주거": "□✗",
    "제2종전용주거": "□✗",
    "제1종일반주거": "○?",
    "제2종일반주거": "○△",
    "제3종일반주거": "○△",
    "준주거": "○○",
    "중심상업": "?○",
    "일반상업": "□○",
    "근린상업": "□○",
    "유통상업": "□○",
    "전용공업": "△?",
    "일반공업": "△△",
    "준공업": "○○",
    "보전녹지": "△✗",
    "생산녹지": "△✗",
    "자연녹지": "△✗",
}


@pytest.fixture(scope="module")
def rules():
    return ZoningRules.default()


def test_one_row_per_zone_type_with_the_short_names():
    with open(RULES_CSV, encoding="utf-8") as handle:
        names = [row["zone_type"] for row in csv.DictReader(handle)]
    assert names == list(ZONE_COLOURS)


def test_values_match_zoning_md(rules):
    for zone, (bcr_max, far_min, far_max, bcr, far, unsure) in ZONING_MD.items():
        rule = rules.zones[zone]
        assert (
            rule.bcr_decree_max,
            rule.far_decree_min,
            rule.far_decree_max,
            rule.bcr_seoul,
            rule.far_seoul,
        ) == (bcr_max, far_min, far_max, bcr, far)
        assert ("far_seoul" in rule.unconfirmed) == unsure, zone
        assert rules.bcr(zone) == bcr and rules.far(zone) == far
        assert rule.bcr_seoul <= rule.bcr_decree_max
        assert rule.far_decree_min <= rule.far_seoul <= rule.far_decree_max


def test_permission_symbols_match_zoning_md(rules):
    for zone, (education, office) in USES_MD.items():
        assert rules.symbol(zone, "교육연구시설") == education
        assert rules.symbol(zone, "업무시설") == office


def test_confidence_flags_every_question_mark(rules):
    for zone, rule in rules.zones.items():
        assert rule.confidence in {"confirmed", "unconfirmed"}
        assert rule.legal_basis.strip()
        has_unknown = "?" in rule.uses.values() or bool(rule.unconfirmed)
        assert (rule.confidence == "unconfirmed") == has_unknown, zone
        for field in rule.unconfirmed:
            assert field in {"far_seoul", "bcr_seoul", "use_education", "use_office"}


def test_status_follows_the_rule(rules):
    assert rules.status("준공업") == PERMITTED
    assert rules.status("제2종일반주거") == PERMITTED  # ○ for education is enough
    assert rules.status("중심상업") == PERMITTED  # ? and ○
    assert rules.status("제1종전용주거") == CONDITIONAL  # □ and ✗
    assert rules.status("자연녹지") == CONDITIONAL  # △ and ✗
    assert rules.status("일반공업") == CONDITIONAL
    assert rules.status("제1종전용주거", ["업무시설"]) == NOT_PERMITTED
    assert rules.status("중심상업", ["교육연구시설"]) == NOT_PERMITTED  # ? is not permitted
    assert rules.status("no such zone") == NOT_PERMITTED
    assert rules.permits("제3종일반주거지역")  # long names accepted


def test_overrides_apply_and_round_trip(rules):
    changed = rules.with_overrides({("제1종전용주거지역", "교육연구시설"): "○"})
    assert changed.status("제1종전용주거") == PERMITTED
    assert changed.is_overridden("제1종전용주거", "교육연구시설")
    assert rules.status("제1종전용주거") == CONDITIONAL  # the original is unchanged
    records = changed.overrides_to_records()
    assert records == [{"zone_type": "제1종전용주거", "use_class": "교육연구시설", "symbol": "○"}]
    again = rules.with_overrides(ZoningRules.overrides_from_records(records))
    assert again.overrides == changed.overrides


@pytest.mark.parametrize(
    "override",
    [{("nowhere", "업무시설"): "○"}, {("준공업", "주택"): "○"}, {("준공업", "업무시설"): "yes"}],
)
def test_bad_overrides_raise(rules, override):
    with pytest.raises(ZoningRulesError):
        rules.with_overrides(override)


def test_overlay_table(rules):
    with open(OVERLAYS_CSV, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert set(OVERLAYS) <= {row["overlay_type"] for row in rows}
    for row in rows:
        assert row["legal_basis"].strip() and row["confidence"] in {"confirmed", "unconfirmed"}
    (greenbelt,) = rules.overlay_rules("개발제한구역")
    assert greenbelt.effect == "blocks_building"
    (bonus,) = rules.overlay_rules("특정개발진흥지구")
    assert (bonus.effect, bonus.applies_to_zone, bonus.far_factor) == (
        "far_bonus",
        "제2종일반주거",
        1.2,
    )
    (height,) = rules.overlay_rules("비행안전구역")
    assert height.effect == "height_limit" and height.storey_height_m > 0
    assert height.confidence == "unconfirmed"
    assert rules.overlay_types("blocks_building") == ("개발제한구역",)


def test_malformed_table_raises(tmp_path):
    bad = tmp_path / "rules.csv"
    with open(RULES_CSV, encoding="utf-8") as handle:
        text = handle.read()
    bad.write_text(text.replace(",○,○,", ",○,maybe,", 1), encoding="utf-8")
    with pytest.raises(ZoningRulesError, match="use_office"):
        ZoningRules.from_files(bad, OVERLAYS_CSV)


@pytest.mark.parametrize(
    "name, short",
    [
        ("제2종일반주거지역", "제2종일반주거"),
        ("제2종 일반주거지역(7층이하)", "제2종일반주거"),
        ("2종일반주거", "제2종일반주거"),
        ("준공업지역", "준공업"),
        ("일반상업지역", "일반상업"),
        ("자연녹지지역", "자연녹지"),
        ("제1종전용주거지역", "제1종전용주거"),
        ("중심상업", "중심상업"),
        ("개발제한구역", "개발제한구역"),
        ("비행안전제2구역", "비행안전구역"),
        ("unknown", None),
        ("", None),
        (None, None),
        (3, None),
    ],
)
def test_normalise_zone_name(name, short):
    assert normalise_zone_name(name) == short


def test_every_symbol_has_a_meaning():
    assert set(SYMBOLS) == {"○", "□", "△", "✗", "?"}


def test_site_status_is_the_least_permissive_zone(rules):
    assert rules.site_status(["준공업", "준주거"]) == PERMITTED
    assert rules.site_status(["준공업", "자연녹지"]) == CONDITIONAL
    assert rules.site_status(["자연녹지", "unknown"]) == NOT_PERMITTED
    assert rules.site_status([]) is None
