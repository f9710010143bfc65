"""Help → About: the version and, for every layer, its data status, source and licence.

Layers that are not real data are flagged in red, so a map shown from the app never
passes synthetic or illustrative data off as real.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from app import __version__
from app.core.project.user_layers import display_text
from app.ui.i18n import tr
from layers.model import LayerStack
from layers.provenance import DataStatus


def about_html(stack: LayerStack, language: str) -> str:
    """The About text as rich text.

    Parameters
    ----------
    stack : LayerStack
        The layers whose provenance is listed, in stack order.
    language : str
        The language of the layer titles, sources and licences (``"en"`` or ``"ko"``).

    Returns
    -------
    str
        HTML: version, introduction, one list item per layer and the font credit.
    """
    rows = []
    for layer in stack:
        p = layer.provenance
        status = tr(p.status.value)
        flag = (
            "<b style='color:#b00020'>" + status.upper() + "</b>"
            if p.status != DataStatus.REAL
            else status
        )
        licence = display_text(p.licence, language).strip() or tr("not stated")
        notes = display_text(p.notes, language)
        rows.append(
            f"<li><b>{html.escape(layer.title(language))}</b> — {flag}: "
            f"{html.escape(display_text(p.source, language).rstrip('.'))}. {tr('Licence')}: "
            f"{html.escape(licence.rstrip('.'))}."
            + (f" <i>{html.escape(notes)}</i>" if notes else "")
            + "</li>"
        )
    intro = tr(
        "Planning innovation-support centres in G-Valley, Magok and Yangjae/Gaepo. "
        "All analysis in EPSG:5186."
    )
    font = tr("Font: NanumGothic (NAVER, SIL Open Font Licence 1.1).")
    return f"<h3>InnoAtlas {__version__}</h3><p>{intro}</p><ul>{''.join(rows)}</ul><p>{font}</p>"


def show_about(parent: QWidget, stack: LayerStack, language: str) -> QMessageBox:
    """Open the (window-modal) About box over ``parent``.

    Parameters
    ----------
    parent : QWidget
        The main window.
    stack, language
        As for :func:`about_html`.

    Returns
    -------
    QMessageBox
        The open box (object name ``aboutBox``).
    """
    box = QMessageBox(parent)
    box.setObjectName("aboutBox")
    box.setWindowTitle(tr("About InnoAtlas"))
    box.setTextFormat(Qt.TextFormat.RichText)
    box.setText(about_html(stack, language))
    box.open()
    return box
