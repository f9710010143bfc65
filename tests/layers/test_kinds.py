"""The typed vocabularies (geometry, style, outline, marker, hatch kinds) keep today's words."""

import layers.style_io as style_io
from layers.model import GEOMETRY_KINDS
from layers.style import HATCHES, MARKERS, STROKE_STYLES, STYLE_KINDS
from layers.themes.registry import DEFAULT_SPECS


def test_vocabularies_are_the_words_saved_styles_use():
    assert GEOMETRY_KINDS == ("point", "line", "polygon", "mixed")
    assert STYLE_KINDS == ("single", "categorized", "graduated", "rules")
    assert STROKE_STYLES == ("solid", "dash", "dot")
    assert MARKERS == ("circle", "square", "triangle", "diamond")
    assert style_io.SAVED_HATCHES == (None, *HATCHES) == (None, "diagonal", "cross")


def test_every_default_layer_uses_the_vocabularies():
    for spec in DEFAULT_SPECS:
        assert spec.geometry_kind in GEOMETRY_KINDS
        assert spec.style.kind in STYLE_KINDS
        for symbol in (spec.style.symbol, *(c.symbol for c in spec.style.categories)):
            assert symbol.stroke_style in STROKE_STYLES
            assert symbol.marker in MARKERS
            assert symbol.hatch is None or symbol.hatch in HATCHES
