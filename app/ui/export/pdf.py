"""Vector PDF output of the map export: the page setup (A4/A3, orientation, 1/96-inch
units so fonts match the canvas), title and XMP metadata, one composed page per map,
and :func:`fix_pdf_spaces`, which repairs the text layer Qt writes for the bundled font.
"""

from __future__ import annotations

import re
from pathlib import Path
from xml.sax.saxutils import escape

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF
from PySide6.QtGui import QPageLayout, QPageSize, QPainter, QPdfWriter

from app.ui.canvas.render.decorations import attribution_text
from app.ui.export.layout import CSS_DPI, MapLayout, MapPage, SiteMarks, compose
from app.ui.export.output import MapExportError, write_output

#: Page sizes a PDF can have.
PAGES = {"A4": QPageSize.PageSizeId.A4, "A3": QPageSize.PageSizeId.A3}
#: Page margins, in millimetres.
MARGIN_MM = 10
#: A ``<hex>`` destination in a ToUnicode CMap naming a C0 control character.
_CONTROL_DEST = re.compile(rb"<(000[1-9A-Fa-f]|001[0-9A-Fa-f])>")


def render_pdf(
    pages: list[MapPage],
    path: Path,
    width,
    height,
    page,
    orientation,
    language,
    when,
    document_title: str = "",
    sites: SiteMarks = SiteMarks(),
) -> list[MapLayout]:
    """Write ``pages`` to ``path`` as a vector PDF, one page each.

    Parameters
    ----------
    pages : list of MapPage
        The maps, in page order.
    path : Path
        Output file, already checked (:func:`~app.ui.export.output.check_output`).
    width, height : int
        Requested size; only its aspect picks the orientation when none is given.
    page : "A4" or "A3", optional
        Page size (default A4).
    orientation : "landscape" or "portrait", optional
        Page orientation (default from ``width`` and ``height``).
    language : str
        Language of the legends, attributions and the metadata description.
    when : str
        The printed date (ISO format), also the metadata date.
    document_title : str
        The PDF's title; default the page titles joined by " · ".
    sites : SiteMarks
        Indicator results and radius for the sites' badges and catchments.

    Returns
    -------
    list of MapLayout
        One per page.

    Raises
    ------
    MapExportError
        Unknown page size or orientation, or the PDF could not be started or written.
    """
    page = (page or "A4").upper()
    if page not in PAGES:
        raise MapExportError(f"page must be one of {', '.join(PAGES)}, not {page!r}")
    orientation = (orientation or ("landscape" if width >= height else "portrait")).lower()
    if orientation not in ("landscape", "portrait"):
        raise MapExportError(f"orientation must be landscape or portrait, not {orientation!r}")
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(int(CSS_DPI))  # units of 1/96 in, as the canvas: fonts match
    writer.setTitle(document_title or " · ".join(p.title for p in pages))
    writer.setCreator("InnoAtlas")
    writer.setDocumentXmpMetadata(
        _xmp(document_title or pages[0].title, attribution_text(pages[0].stack, language), when)
    )
    writer.setPageLayout(_page_layout(page, orientation))
    painter = QPainter()
    if not painter.begin(writer):
        raise MapExportError(f"cannot start the PDF for {path}")
    layouts = []
    try:
        device = painter.device()
        for number, one in enumerate(pages):
            if number:
                writer.newPage()
            layouts.append(
                compose(painter, one, device.width(), device.height(), 1.0, language, when, sites)
            )
    finally:
        painter.end()
    buffer.close()
    write_output(path, fix_pdf_spaces(bytes(data)))
    return layouts


def _page_layout(page: str, orientation: str) -> QPageLayout:
    """The Qt page layout of a checked page size and orientation, with the margins."""
    return QPageLayout(
        QPageSize(PAGES[page]),
        QPageLayout.Orientation.Landscape
        if orientation == "landscape"
        else QPageLayout.Orientation.Portrait,
        QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM),
        QPageLayout.Unit.Millimeter,
    )


def fix_pdf_spaces(pdf: bytes) -> bytes:
    """Map the space glyph of every embedded font back to U+0020 in the PDF's text layer.

    Qt's PDF engine writes each font's ToUnicode CMap by asking, for code points from
    U+0000 up, which glyph each one uses, and keeps the first hit. NanumGothic maps
    U+0000–U+001F to its space glyph (and Qt draws a missing tab as a space), so the
    space glyph came out as U+0001 (or U+0009): ``pdftotext`` and copy/paste gave
    ``Workshop\\x01map``. A control character is never text we draw, so every
    control-character destination in the CMaps becomes U+0020. The edit keeps every
    byte count (``<0001>`` → ``<0020>``), so the cross-reference offsets stay valid.

    Parameters
    ----------
    pdf : bytes
        A PDF as Qt wrote it.

    Returns
    -------
    bytes
        The same PDF, of the same length, with the CMaps fixed.
    """
    out = bytearray(pdf)
    start = 0
    while (begin := pdf.find(b"begincmap", start)) >= 0:
        end = pdf.find(b"endcmap", begin)
        if end < 0:
            break
        for section in re.finditer(rb"begin(bfrange|bfchar)(.*?)end\1", pdf[begin:end], re.S):
            for line in re.finditer(rb"[^\n]+", section.group(2)):
                codes = list(re.finditer(rb"<[0-9A-Fa-f]+>", line.group(0)))
                # bfchar: <src> <dst>; bfrange: <lo> <hi> [<dst> ...] or <lo> <lo> <dst>
                first_dest = 1 if section.group(1) == b"bfchar" else 2
                if (
                    first_dest == 2
                    and b"[" not in line.group(0)
                    and (len(codes) < 3 or codes[0].group(0) != codes[1].group(0))
                ):
                    continue  # an incrementing range: leave it
                offset = begin + section.start(2) + line.start()
                for code in codes[first_dest:]:
                    if _CONTROL_DEST.fullmatch(code.group(0)):
                        at = offset + code.start()
                        out[at : at + 6] = b"<0020>"
        start = end
    return bytes(out)


def _xmp(title: str, description: str, when: str) -> bytes:
    """XMP metadata: the title and the data notes stay machine-readable in the PDF."""
    return (
        "<?xpacket begin='' id='W5M0MpCehiHzreSzNTczkc9d'?>"
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:xmp="http://ns.adobe.com/xap/1.0/">'
        f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(title)}</rdf:li>'
        "</rdf:Alt></dc:title>"
        f'<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{escape(description)}'
        "</rdf:li></rdf:Alt></dc:description>"
        f"<dc:date><rdf:Seq><rdf:li>{when}</rdf:li></rdf:Seq></dc:date>"
        "<xmp:CreatorTool>InnoAtlas</xmp:CreatorTool>"
        "</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end='w'?>"
    ).encode()


__all__ = ["PAGES", "fix_pdf_spaces", "render_pdf"]
