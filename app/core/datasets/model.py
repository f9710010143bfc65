"""What the dataset readers hand around: :class:`DatasetError` and :class:`DatasetLayer`
(a layer ready for the project: features, role, title, provenance, coverage hint, notes
and the counts the user is told). Qt-free.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd

from app.core.formats.vector import InputError
from layers.provenance import Provenance


class DatasetError(InputError):
    """A file is not (a usable release of) the dataset it looks like; one line."""


@dataclass
class DatasetLayer:
    """One layer made from an official dataset.

    Parameters
    ----------
    dataset : str
        The dataset key (``semas``, ``nps``, ``zoning``, ``greenbelt``).
    frame : GeoDataFrame
        The features in EPSG:5186, with the role's columns.
    role : str or None
        ``startups`` or ``zoning``; None for a context layer.
    title : str
        Display name.
    provenance : Provenance
        Real-data provenance: dataset, date from the file, licence, filter applied.
    counts : dict
        ``rows`` (in the file), ``in_study_area``, ``kept`` … for the summary line.
    notes : list of str
        What was repaired, assumed or dropped.
    polygons_cover : bool
        True when the layer's own polygons are its coverage area (zoning).
    name_hint : str
        The table name to give the layer (made unique in the project).
    reader_notes : int
        How many of ``notes`` come from the vector reader (encoding, CRS); the rest are
        the dataset's own (filter, codes, joins).
    """

    dataset: str
    frame: gpd.GeoDataFrame
    role: str | None
    title: str
    provenance: Provenance
    counts: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    polygons_cover: bool = False
    name_hint: str = ""
    reader_notes: int = 0
    #: The Korean display name (default: ``title``).
    title_ko: str = ""
    #: Where the file has data (all its businesses in the study area, before the
    #: filter): the coverage area is found from these, so that a district with
    #: businesses but no knowledge-based firm counts 0 firms, not unknown.
    coverage_frame: gpd.GeoDataFrame | None = None

    @property
    def own_notes(self) -> list[str]:
        """The notes about the dataset (not the reader's)."""
        return self.notes[self.reader_notes :]
