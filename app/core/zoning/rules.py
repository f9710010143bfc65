"""The zoning rules tables (data/zoning_rules.csv, data/zoning_overlays.csv) as an object.

The tables are data, not code: BCR/FAR per zone type (decree limits and the Seoul
ordinance values that the engine uses), whether each zone permits the centre's use
classes, restriction overlays and their effect, each row with its legal basis and a
confidence flag (docs/zoning.md). A project may override a permission cell; the overrides
are a plain dict ``{(zone_type, use_class): symbol}`` saved with the project.

Permission (docs/zoning.md): a zone *permits* the centre iff at least one of its use classes
is ○; □ and △ make it *conditional*; ✗ and ? make it *not permitted*.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from app.core.errors import InnoAtlasError
from app.core.paths import DATA_DIR
from app.core.zoning.names import normalise_zone_name

RULES_CSV = DATA_DIR / "zoning_rules.csv"
OVERLAYS_CSV = DATA_DIR / "zoning_overlays.csv"

#: Use class (시행령 별표 wording) -> its column in zoning_rules.csv.
USE_CLASS_COLUMNS = {"교육연구시설": "use_education", "업무시설": "use_office"}
DEFAULT_USE_CLASSES: tuple[str, ...] = tuple(USE_CLASS_COLUMNS)

PERMITTED, CONDITIONAL, NOT_PERMITTED = "permitted", "conditional", "not_permitted"
#: Symbol -> meaning (docs/zoning.md legend).
SYMBOLS = {
    "○": "permitted",
    "□": "only where the city ordinance allows",
    "△": "limited",
    "✗": "not permitted",
    "?": "unknown",
}
_SYMBOL_STATUS = {
    "○": PERMITTED,
    "□": CONDITIONAL,
    "△": CONDITIONAL,
    "✗": NOT_PERMITTED,
    "?": NOT_PERMITTED,
}

EFFECTS = ("blocks_building", "height_limit", "far_bonus", "notice")


class ZoningRulesError(InnoAtlasError):
    """A zoning rules table or override is malformed."""


@dataclass(frozen=True)
class ZoneRule:
    """One row of zoning_rules.csv; percentages as in the table (60 = 60 %)."""

    zone_type: str
    zone_group: str
    bcr_decree_max: float
    far_decree_min: float
    far_decree_max: float
    bcr_seoul: float
    far_seoul: float
    uses: Mapping[str, str]
    confidence: str
    unconfirmed: tuple[str, ...]
    legal_basis: str
    note: str = ""


@dataclass(frozen=True)
class OverlayRule:
    """One row of zoning_overlays.csv.

    ``applies_to_zone`` empty means every zone; ``far_factor`` multiplies the FAR
    (far_bonus); ``max_height_m`` is the default height where a feature has none and
    ``storey_height_m`` turns a height into storeys (height_limit).
    """

    overlay_type: str
    name_en: str
    effect: str
    applies_to_zone: str
    far_factor: float
    max_height_m: float
    storey_height_m: float
    legal_basis: str
    confidence: str
    note: str = ""


def _number(text: str | None, where: str) -> float:
    if text is None or str(text).strip() == "":
        return math.nan
    try:
        return float(text)
    except ValueError:
        raise ZoningRulesError(f"{where}: {text!r} is not a number") from None


def _read_csv(path: Path) -> list[dict[str, str]]:
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            return list(csv.DictReader(handle))
    except OSError as err:
        raise ZoningRulesError(
            f"cannot read the zoning rules table {path}: {err.strerror}"
        ) from None


def read_zone_rules(path: Path = RULES_CSV) -> dict[str, ZoneRule]:
    """Rows of zoning_rules.csv by short zone type."""
    rules = {}
    for number, row in enumerate(_read_csv(path), start=2):
        where = f"{Path(path).name} line {number}"
        zone = normalise_zone_name(row.get("zone_type"))
        if zone is None:
            raise ZoningRulesError(f"{where}: unknown zone type {row.get('zone_type')!r}")
        uses = {}
        for use, column in USE_CLASS_COLUMNS.items():
            symbol = (row.get(column) or "").strip()
            if symbol not in SYMBOLS:
                raise ZoningRulesError(
                    f"{where}: {column} must be one of {' '.join(SYMBOLS)}, not {symbol!r}"
                )
            uses[use] = symbol
        rules[zone] = ZoneRule(
            zone_type=zone,
            zone_group=row.get("zone_group", ""),
            bcr_decree_max=_number(row.get("bcr_decree_max"), where),
            far_decree_min=_number(row.get("far_decree_min"), where),
            far_decree_max=_number(row.get("far_decree_max"), where),
            bcr_seoul=_number(row.get("bcr_seoul"), where),
            far_seoul=_number(row.get("far_seoul"), where),
            uses=uses,
            confidence=row.get("confidence", ""),
            unconfirmed=tuple((row.get("unconfirmed") or "").split()),
            legal_basis=row.get("legal_basis", ""),
            note=row.get("note", ""),
        )
    return rules


def read_overlay_rules(path: Path = OVERLAYS_CSV) -> tuple[OverlayRule, ...]:
    """Rows of zoning_overlays.csv, in table order."""
    rules = []
    for number, row in enumerate(_read_csv(path), start=2):
        where = f"{Path(path).name} line {number}"
        overlay = normalise_zone_name(row.get("overlay_type")) or row.get("overlay_type", "")
        effect = (row.get("effect") or "").strip()
        if effect not in EFFECTS:
            raise ZoningRulesError(f"{where}: effect must be one of {', '.join(EFFECTS)}")
        applies = (row.get("applies_to_zone") or "").strip()
        applies = normalise_zone_name(applies) or applies
        rules.append(
            OverlayRule(
                overlay_type=overlay,
                name_en=row.get("name_en", ""),
                effect=effect,
                applies_to_zone=applies,
                far_factor=_number(row.get("far_factor"), where),
                max_height_m=_number(row.get("max_height_m"), where),
                storey_height_m=_number(row.get("storey_height_m"), where),
                legal_basis=row.get("legal_basis", ""),
                confidence=row.get("confidence", ""),
                note=row.get("note", ""),
            )
        )
        if effect == "far_bonus" and not rules[-1].far_factor > 0:
            raise ZoningRulesError(f"{where}: a far_bonus needs a positive far_factor")
        if effect == "height_limit" and not rules[-1].storey_height_m > 0:
            raise ZoningRulesError(f"{where}: a height_limit needs a positive storey_height_m")
    return tuple(rules)


@dataclass(frozen=True)
class ZoningRules:
    """Zone and overlay rules plus a project's permission overrides.

    Use :meth:`default` for the shipped tables and :meth:`with_overrides` for a
    project's cells; the object itself is immutable.
    """

    zones: Mapping[str, ZoneRule]
    overlays: tuple[OverlayRule, ...]
    overrides: Mapping[tuple[str, str], str] = field(default_factory=dict)

    @classmethod
    def default(cls) -> ZoningRules:
        """The rules shipped in data/zoning_rules.csv and data/zoning_overlays.csv."""
        return _default_rules()

    @classmethod
    def from_files(
        cls,
        zones: Path = RULES_CSV,
        overlays: Path = OVERLAYS_CSV,
        overrides: Mapping[tuple[str, str], str] | None = None,
    ) -> ZoningRules:
        """Rules read from two CSV files (same columns as the shipped ones)."""
        rules = cls(read_zone_rules(zones), read_overlay_rules(overlays))
        return rules.with_overrides(overrides or {})

    def with_overrides(self, overrides: Mapping[tuple[str, str], str]) -> ZoningRules:
        """A copy whose permission cells ``(zone_type, use_class) -> symbol`` are replaced.

        Zone names are normalised; unknown zones, use classes or symbols raise
        :class:`ZoningRulesError`. The result's ``overrides`` replace the old ones.
        """
        clean = {}
        for (zone, use), symbol in dict(overrides).items():
            short = normalise_zone_name(zone)
            if short is None or short not in self.zones:
                raise ZoningRulesError(f"override for an unknown zone type {zone!r}")
            if use not in USE_CLASS_COLUMNS:
                raise ZoningRulesError(
                    f"override for an unknown use class {use!r} "
                    f"(one of {', '.join(USE_CLASS_COLUMNS)})"
                )
            if symbol not in SYMBOLS:
                raise ZoningRulesError(
                    f"override symbol must be one of {' '.join(SYMBOLS)}, not {symbol!r}"
                )
            clean[(short, use)] = symbol
        return ZoningRules(self.zones, self.overlays, clean)

    # --- per zone look-ups -------------------------------------------------------------
    def rule(self, zone_type: str) -> ZoneRule | None:
        """The table row of a zone type (long names accepted), or None."""
        return self.zones.get(normalise_zone_name(zone_type) or zone_type)

    def bcr(self, zone_type: str) -> float:
        """Seoul building coverage ratio in percent (NaN for an unknown zone)."""
        rule = self.rule(zone_type)
        return rule.bcr_seoul if rule else math.nan

    def far(self, zone_type: str) -> float:
        """Seoul floor area ratio in percent (NaN for an unknown zone)."""
        rule = self.rule(zone_type)
        return rule.far_seoul if rule else math.nan

    def symbol(self, zone_type: str, use_class: str) -> str:
        """The permission symbol of a cell, overrides applied; ``?`` when unknown."""
        short = normalise_zone_name(zone_type) or zone_type
        if (short, use_class) in self.overrides:
            return self.overrides[(short, use_class)]
        rule = self.zones.get(short)
        return rule.uses.get(use_class, "?") if rule else "?"

    def is_overridden(self, zone_type: str, use_class: str) -> bool:
        """True when the project overrides this cell."""
        return ((normalise_zone_name(zone_type) or zone_type), use_class) in self.overrides

    def status(self, zone_type: str, use_classes: Iterable[str] = DEFAULT_USE_CLASSES) -> str:
        """``"permitted"``, ``"conditional"`` or ``"not_permitted"`` for the centre's use.

        Permitted iff ○ for at least one use class; else conditional iff □ or △ for at
        least one; else (✗, ?, unknown zone) not permitted.
        """
        statuses = {_SYMBOL_STATUS[self.symbol(zone_type, use)] for use in use_classes}
        for status in (PERMITTED, CONDITIONAL):
            if status in statuses:
                return status
        return NOT_PERMITTED

    def permits(self, zone_type: str, use_classes: Iterable[str] = DEFAULT_USE_CLASSES) -> bool:
        """True iff :meth:`status` is ``"permitted"``."""
        return self.status(zone_type, use_classes) == PERMITTED

    def site_status(
        self, zone_types: Iterable[str], use_classes: Iterable[str] = DEFAULT_USE_CLASSES
    ) -> str | None:
        """The status of a site lying in several zones: the least permissive one.

        ``zone_types`` are the keys of a site's ``zone_shares``; None when empty (no
        zone under the site). ``use_permitted`` is ``site_status(...) == "permitted"``;
        this tells the panel which sites are "conditional" rather than forbidden.
        """
        statuses = {self.status(zone, tuple(use_classes)) for zone in zone_types}
        for status in (NOT_PERMITTED, CONDITIONAL, PERMITTED):
            if status in statuses:
                return status
        return None

    # --- overlays --------------------------------------------------------------------
    def overlay_rules(self, overlay_type: str) -> tuple[OverlayRule, ...]:
        """Rules of one overlay type (an overlay may have one row per zone it affects)."""
        short = normalise_zone_name(overlay_type) or overlay_type
        return tuple(rule for rule in self.overlays if rule.overlay_type == short)

    def overlay_types(self, effect: str | None = None) -> tuple[str, ...]:
        """Overlay types in table order, optionally only those with ``effect``."""
        seen = dict.fromkeys(
            rule.overlay_type for rule in self.overlays if effect is None or rule.effect == effect
        )
        return tuple(seen)

    # --- saving with a project -------------------------------------------------------
    def overrides_to_records(self) -> list[dict[str, str]]:
        """Overrides as JSON-friendly records ``[{"zone_type", "use_class", "symbol"}]``."""
        return [
            {"zone_type": zone, "use_class": use, "symbol": symbol}
            for (zone, use), symbol in sorted(self.overrides.items())
        ]

    @staticmethod
    def overrides_from_records(records: Iterable[Mapping[str, str]]) -> dict[tuple[str, str], str]:
        """The inverse of :meth:`overrides_to_records` (validate with :meth:`with_overrides`)."""
        return {(str(r["zone_type"]), str(r["use_class"])): str(r["symbol"]) for r in records}


_DEFAULT: ZoningRules | None = None


def _default_rules() -> ZoningRules:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = ZoningRules(read_zone_rules(), read_overlay_rules())
    return _DEFAULT
