"""Where a layer's data comes from and how far it can be trusted.

Every shipped layer carries a :class:`Provenance`; the app shows it in the layer
panel and properties, and every export writes it next to the data.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum


class DataStatus(StrEnum):
    """How real a layer's content is (PRODUCT.md: the label travels with the data)."""

    REAL = "real"
    APPROXIMATE = "approximate"
    ILLUSTRATIVE = "illustrative"
    SYNTHETIC = "synthetic"
    USER = "user"

    @property
    def is_caveated(self) -> bool:
        """True when the data must not be read as fact (synthetic or illustrative)."""
        return self in (DataStatus.SYNTHETIC, DataStatus.ILLUSTRATIVE)


@dataclass(frozen=True)
class Provenance:
    """Source, licence and trust level of one layer.

    Parameters
    ----------
    status : DataStatus
        real, approximate, illustrative, synthetic or user.
    source : str
        Who published the data and where it was taken from.
    licence : str
        Licence name (e.g. ``"KOGL Type 1"``) or a note that it is unverified.
    vintage : str
        The date or year the data describes.
    attribution : str
        The text a map or export must show.
    notes : str
        Caveats a user should read (approximations, known changes).
    """

    status: DataStatus
    source: str
    licence: str
    vintage: str
    attribution: str = ""
    notes: str = ""

    def as_record(self) -> dict[str, str]:
        """Flat string record, as stored in the ``innoatlas_provenance`` table."""
        record = asdict(self)
        record["status"] = str(self.status)
        return record

    @classmethod
    def from_record(cls, record: dict) -> Provenance:
        """Inverse of :meth:`as_record`; unknown keys are ignored."""
        return cls(
            status=DataStatus(str(record.get("status", "user"))),
            source=str(record.get("source") or ""),
            licence=str(record.get("licence") or ""),
            vintage=str(record.get("vintage") or ""),
            attribution=str(record.get("attribution") or ""),
            notes=str(record.get("notes") or ""),
        )


#: Name of the non-spatial GeoPackage table that holds one provenance row per layer.
PROVENANCE_TABLE = "innoatlas_provenance"
PROVENANCE_COLUMNS = ("layer", "status", "source", "licence", "vintage", "attribution", "notes")

USER_PROVENANCE = Provenance(DataStatus.USER, "drawn or imported by the user", "", "")

__all__ = ["DataStatus", "Provenance", "PROVENANCE_TABLE", "PROVENANCE_COLUMNS", "USER_PROVENANCE"]
