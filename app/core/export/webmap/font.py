"""The bundled Korean font, subset to one page's characters, as a CSS ``@font-face``.

The web map (:mod:`app.core.export.webmap.page`) must show Hangul on a machine without Korean
fonts (a fresh Linux laptop, a kiosk PC). Embedding the two NanumGothic files whole would
add about 13 MB; instead each is cut down with ``fontTools.subset`` to exactly the
characters the page holds and embedded as WOFF (zlib) in a ``data:`` URL: a few hundred
kB for the default project.

NanumGothic is under the SIL Open Font License 1.1 with "Nanum" and "NanumGothic" as
Reserved Font Names. A subset is a Modified Version, which must not carry a reserved name:
the subset is renamed :data:`FAMILY` inside its ``name`` table and the page's CSS uses
that family name; the copyright and licence stay in the font and in a CSS comment.

fontTools is imported only when a page is built; without it (or without the font
files) the page uses the system's fonts and :func:`unavailable_reason` says why.
Qt-free.
"""

from __future__ import annotations

import base64
import io
import string
from pathlib import Path

from app.core.paths import FONTS_DIR

#: The CSS family (and name-table family) of the embedded subset. Not "NanumGothic" nor
#: anything with "Nanum": those are the original font's Reserved Font Names (OFL §3).
FAMILY = "InnoAtlas Gothic"
#: CSS ``font-weight`` → bundled file the subset is made from.
FONT_FILES = {400: "NanumGothic.ttf", 700: "NanumGothicBold.ttf"}
#: The page's font stack: the embedded subset first, then the usual Korean system fonts.
FONT_STACK = (
    f'"{FAMILY}", "Malgun Gothic", "Apple SD Gothic Neo", "Noto Sans KR", '
    '"NanumGothic", "Noto Sans CJK KR", system-ui, sans-serif'
)
#: Always in the subset, whatever the page holds: ASCII and common punctuation (numbers,
#: units and dashes that the page's script may format after load).
BASE_CHARACTERS = (
    string.printable.strip() + " \u00a0–—‘’“”…·•×÷±°²³µ©®™€₩−→←↑↓№㎡㎢「」『』〈〉《》【】、。"
)

_NOTICE = (
    "/* {family} is a subset of NanumGothic{bold}, Copyright (c) 2010, NAVER "
    "Corporation, with Reserved Font Name Nanum, NanumGothic; licensed under the SIL "
    "Open Font License 1.1 (https://openfontlicense.org; the full text is in "
    "resources/fonts/OFL.txt of InnoAtlas). Renamed because a subset (a Modified "
    "Version) may not use the Reserved Font Names. */"
)
_LICENSE = (
    "This Font Software is licensed under the SIL Open Font License, Version 1.1. "
    "Subset of NanumGothic, Copyright (c) 2010, NAVER Corporation, with Reserved "
    "Font Name Nanum, NanumGothic."
)
_LICENSE_URL = "https://openfontlicense.org"


def unavailable_reason(fonts_dir: Path | None = None) -> str | None:
    """Why the page cannot embed the font (fontTools or a font file missing), else None."""
    try:
        import fontTools.subset  # noqa: F401
    except ImportError:
        return "fontTools is not installed"
    folder = Path(fonts_dir or FONTS_DIR)
    for name in FONT_FILES.values():
        if not (folder / name).is_file():
            return f"{folder / name} is missing"
    return None


def page_characters(text: str) -> str:
    """The characters to keep for a page whose text is ``text``, sorted, without controls."""
    chars = set(text) | set(BASE_CHARACTERS)
    return "".join(sorted(c for c in chars if c.isprintable() or c == "\u00a0"))


def subset_font(path: Path, characters: str, weight: int = 400) -> bytes:
    """``path`` cut down to ``characters`` and renamed :data:`FAMILY`, as WOFF bytes.

    Hinting is dropped (browsers render the outlines well without it, and it is a third
    of the glyph data); kerning and the other layout tables are kept.
    """
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.flavor = "woff"  # zlib: needs no brotli
    options.hinting = False
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]
    options.name_languages = [0x409]
    options.notdef_outline = True
    # VTT's hinting sources: useless without hinting, and fontTools warns about them
    options.drop_tables += ["TSI0", "TSI1", "TSI2", "TSI3", "TSI5"]
    font = TTFont(str(path), lazy=True)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=characters)
    subsetter.subset(font)
    _rename(font, weight)
    out = io.BytesIO()
    font.flavor = "woff"
    font.save(out)
    return out.getvalue()


def _rename(font, weight: int) -> None:
    """Give the subset its own names (no Reserved Font Name) and the OFL notice."""
    style = "Bold" if weight >= 700 else "Regular"
    names = {
        1: FAMILY,
        2: style,
        3: f"{FAMILY} {style}; subset by InnoAtlas",
        4: f"{FAMILY} {style}" if style != "Regular" else FAMILY,
        6: f"{FAMILY.replace(' ', '')}-{style}",
        13: _LICENSE,
        14: _LICENSE_URL,
    }
    table = font["name"]
    table.names = [
        record
        for record in table.names
        if record.nameID not in names and record.nameID not in (16, 17)
    ]
    for name_id, value in names.items():
        table.setName(value, name_id, 3, 1, 0x409)
        table.setName(value, name_id, 1, 0, 0)


def font_face_css(text: str, fonts_dir: Path | None = None) -> str:
    """``@font-face`` rules of :data:`FAMILY` (400 and 700) covering the characters of
    ``text``, each font a base64 WOFF ``data:`` URL; "" when :func:`unavailable_reason`.

    Parameters
    ----------
    text : str
        Everything the page may show (the page itself is fine: a superset costs little).
    fonts_dir : Path, optional
        Where ``NanumGothic.ttf`` and ``NanumGothicBold.ttf`` are (default: resources/fonts).
    """
    if unavailable_reason(fonts_dir):
        return ""
    folder = Path(fonts_dir or FONTS_DIR)
    characters = page_characters(text)
    rules = []
    for weight, name in FONT_FILES.items():
        data = base64.b64encode(subset_font(folder / name, characters, weight)).decode("ascii")
        rules.append(
            _NOTICE.format(family=FAMILY, bold=" Bold" if weight >= 700 else "")
            + f'\n@font-face {{ font-family: "{FAMILY}"; font-style: normal; '
            f"font-weight: {weight}; font-display: block; "
            f'src: url("data:font/woff;base64,{data}") format("woff"); }}\n'
        )
    return "".join(rules)


__all__ = [
    "FAMILY",
    "FONT_FILES",
    "FONT_STACK",
    "font_face_css",
    "page_characters",
    "subset_font",
    "unavailable_reason",
]
