"""The phone page's files: HTML, CSS, JS (``assets/``) and the Hangul font subset.

The page loads nothing from the internet. Hangul is shown with the bundled NanumGothic
cut down like the web map's (:mod:`app.core.export.webmap.font`, renamed, OFL), but to
what participants may type as well as what the page shows: the 2,350 common Hangul
syllables of KS X 1001 and the compatibility jamo, plus every character of the scene. It is
served as a WOFF file (cached by the phone), not inlined, so the page itself stays small.
"""

from __future__ import annotations

import threading
from functools import cache
from pathlib import Path

from app.core.export.webmap.font import (
    FAMILY,
    FONT_FILES,
    page_characters,
    subset_font,
    unavailable_reason,
)
from app.core.paths import FONTS_DIR

ASSETS = Path(__file__).with_name("assets")
#: name → content type of the files under ``assets/`` the server may send.
FILES = {
    "app.js": "text/javascript; charset=utf-8",
    "app.css": "text/css; charset=utf-8",
}


@cache
def asset(name: str) -> bytes:
    """The bytes of ``assets/name`` (only names of :data:`FILES` and the HTML)."""
    if name not in FILES and name != "index.html":
        raise KeyError(name)
    return (ASSETS / name).read_bytes()


def page_html(language: str) -> bytes:
    """The page's HTML (its script and style are separate files: the CSP forbids inline)."""
    html = asset("index.html").decode("utf-8")
    return html.replace("{{LANG}}", "ko" if language == "ko" else "en").encode("utf-8")


@cache
def common_hangul() -> str:
    """The 2,350 Hangul syllables of KS X 1001 and the compatibility jamo (ㄱ … ㅣ)."""
    syllables = []
    for lead in range(0xB0, 0xC9):
        for trail in range(0xA1, 0xFF):
            try:
                syllables.append(bytes((lead, trail)).decode("euc-kr"))
            except UnicodeDecodeError:
                continue
    jamo = "".join(chr(c) for c in range(0x3131, 0x3164))
    return "".join(syllables) + jamo


class FontCache:
    """The subset fonts (weight → WOFF bytes), built once per process in the background.

    The subset holds :func:`common_hangul`, ASCII and the characters of the texts given
    so far; a scene with characters beyond those builds a new one (a few seconds of a
    background thread; until then the previous subset, or the phone's fonts, show).
    """

    _fonts: dict[int, bytes] = {}
    _characters: set[str] = set()
    _lock = threading.Lock()

    @classmethod
    def build(cls, text: str) -> None:
        """Build both weights for ``text`` plus :func:`common_hangul` (a few seconds)."""
        if unavailable_reason():
            return
        with cls._lock:
            wanted = set(page_characters(text + common_hangul()))
            if cls._fonts and wanted <= cls._characters:
                return
            wanted |= cls._characters
            characters = "".join(sorted(wanted))
            fonts = {
                w: subset_font(FONTS_DIR / name, characters, w) for w, name in FONT_FILES.items()
            }
            cls._fonts, cls._characters = fonts, wanted

    @classmethod
    def build_in_background(cls, text: str) -> threading.Thread:
        thread = threading.Thread(target=cls.build, args=(text,), daemon=True)
        thread.start()
        return thread

    @classmethod
    def get(cls, weight: int) -> bytes | None:
        return cls._fonts.get(weight)


__all__ = ["ASSETS", "FAMILY", "FILES", "FontCache", "asset", "common_hangul", "page_html"]
