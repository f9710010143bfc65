"""The attribution text every map shows (canvas, PNG/PDF export, HTML web map).

Qt-free: built from the visible layers' :class:`~layers.provenance.Provenance`.
"""

from __future__ import annotations

from collections.abc import Iterable

from app.core.i18n_catalog import translate
from app.core.project.user_layers import display_text
from layers.model import LayerStack
from layers.provenance import DataStatus


def attribution_parts(
    stack: LayerStack, language: str = "en", shown: Iterable[str] | None = None
) -> tuple[list[str], list[str]]:
    """``(warnings, sources)`` of the visible layers (or of the layers named in ``shown``).

    Warnings name each synthetic or illustrative layer (``"Start-ups: SYNTHETIC"``)
    and each approximate one; sources are the distinct attribution texts of the
    other layers, top layer first.
    """
    names = None if shown is None else set(shown)
    sources: list[str] = []
    warnings: list[str] = []
    for layer in stack:
        if not (layer.visible if names is None else layer.name in names):
            continue
        status = layer.provenance.status
        if status.is_caveated:
            warnings.append(f"{layer.title(language)}: {translate(status.value, language).upper()}")
            continue
        if status == DataStatus.APPROXIMATE:
            warnings.append(f"{layer.title(language)}: {translate('approximate', language)}")
        text = display_text(layer.provenance.attribution, language)
        if text and text not in sources:
            sources.append(text)
    return warnings, sources


def attribution_text(stack: LayerStack, language: str = "en") -> str:
    """Short attribution: visible layers' sources plus synthetic/illustrative warnings."""
    warnings, sources = attribution_parts(stack, language)
    return "  ·  ".join(warnings + sources)


__all__ = ["attribution_parts", "attribution_text"]
