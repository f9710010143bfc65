"""A layer's provenance as QGIS layer metadata (QMD), shown in Layer Properties → Metadata.

QGIS keeps a GeoPackage layer's metadata as a QMD document in ``gpkg_metadata``
(``md_scope='dataset'``, ``md_standard_uri`` :data:`QMD_URI`, ``mime_type='text/xml'``),
referenced from ``gpkg_metadata_reference`` with ``reference_scope='table'``: this is what
``QgsProviderRegistry.saveLayerMetadata`` writes for the OGR provider (QGIS 3.22), and what
:func:`layer_qmd` produces. Qt-free (ElementTree).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from layers.provenance import Provenance

#: ``md_standard_uri`` QGIS writes and reads for its own layer metadata.
QMD_URI = "http://mrcc.com/qgis.dtd"
#: Keyword vocabulary holding the data status (real ... synthetic).
STATUS_VOCABULARY = "InnoAtlas data status"
_DOCTYPE = "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"


def caveat_line(provenance: Provenance) -> str:
    """The sentence a reader must see first for synthetic/illustrative data (else "")."""
    status = str(provenance.status)
    if provenance.status.is_caveated:
        return (
            f"{status.upper()} DATA: made up for illustration, not a record of the real "
            "world; do not use it as fact."
        )
    return ""


def layer_qmd(
    table: str,
    title_en: str,
    title_ko: str,
    provenance: Provenance,
    description: str = "",
    crs_authid: str = "EPSG:5186",
) -> str:
    """The QMD document of one layer: title, abstract, status keyword, licence, rights.

    Parameters
    ----------
    table : str
        The GeoPackage table (the metadata's identifier).
    title_en, title_ko : str
        The layer's names; the title is ``"<en> / <ko>"``, with ``[SYNTHETIC]`` or
        ``[ILLUSTRATIVE]`` appended for caveated data.
    provenance : Provenance
        Status, source, licence, vintage, attribution and notes.
    description : str, optional
        One sentence about the layer.
    crs_authid : str, optional
        The layer's CRS.

    Returns
    -------
    str
        A QGIS 3.22 QMD document (UTF-8 text with its DOCTYPE).
    """
    status = str(provenance.status)
    caveat = caveat_line(provenance)
    title = f"{title_en} / {title_ko}" if title_ko else title_en
    if provenance.status.is_caveated:
        title += f" [{status.upper()}]"
    abstract = [
        caveat,
        description,
        f"Status: {status}",
        f"Source: {provenance.source}",
        f"Licence: {provenance.licence}",
        f"Vintage: {provenance.vintage}",
        f"Attribution: {provenance.attribution}" if provenance.attribution else "",
        f"Notes: {provenance.notes}" if provenance.notes else "",
        "Written by InnoAtlas.",
    ]
    root = ET.Element("qgis", {"version": "3.22.0"})
    ET.SubElement(root, "identifier").text = table
    ET.SubElement(root, "parentidentifier").text = ""
    ET.SubElement(root, "language").text = ""
    ET.SubElement(root, "type").text = "dataset"
    ET.SubElement(root, "title").text = title
    ET.SubElement(root, "abstract").text = "\n".join(line for line in abstract if line)
    keywords = ET.SubElement(root, "keywords", {"vocabulary": STATUS_VOCABULARY})
    ET.SubElement(keywords, "keyword").text = status
    ET.SubElement(root, "links")
    history = ET.SubElement(root, "history")
    history.text = f"Source: {provenance.source} ({provenance.vintage})"
    ET.SubElement(root, "fees").text = ""
    if provenance.attribution:
        ET.SubElement(root, "rights").text = provenance.attribution
    if caveat:
        ET.SubElement(root, "constraints", {"type": "caveat"}).text = caveat
    ET.SubElement(root, "license").text = provenance.licence or "unknown"
    ET.SubElement(root, "encoding").text = ""
    crs = ET.SubElement(root, "crs")
    srs = ET.SubElement(crs, "spatialrefsys")
    ET.SubElement(srs, "authid").text = crs_authid
    ET.SubElement(root, "extent")
    ET.indent(root)
    return _DOCTYPE + ET.tostring(root, encoding="unicode") + "\n"


__all__ = ["QMD_URI", "STATUS_VOCABULARY", "caveat_line", "layer_qmd"]
