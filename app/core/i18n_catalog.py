"""Qt-free translation catalog: English source strings → Korean (``resources/i18n/ko.json``).

The app's equivalent of Qt translation files without a build step: every user-visible
English string is its own key; a missing entry shows the English text. CLI exports (map
render, HTML) and the GUI share this catalog.
"""

from __future__ import annotations

import json
import re
from functools import cache

from app.core.paths import RESOURCES_DIR

I18N_DIR = RESOURCES_DIR / "i18n"
#: language code -> its own name, as shown in the Language menu
LANGUAGES = {"en": "English", "ko": "한국어"}
SOURCE_LANGUAGE = "en"


@cache
def catalog(language: str) -> dict[str, str]:
    """The ``{english: translation}`` mapping of ``language`` (empty for English/unknown).

    A missing or unreadable catalog file gives an empty mapping: the UI stays English.
    """
    if language == SOURCE_LANGUAGE or language not in LANGUAGES:
        return {}
    try:
        data = json.loads((I18N_DIR / f"{language}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items() if isinstance(v, str) and v}


def translate(text: str, language: str, **values) -> str:
    """``text`` in ``language`` (English when there is no translation).

    Parameters
    ----------
    text : str
        The English source string; may hold ``{name}`` placeholders.
    language : str
        ``"en"`` or ``"ko"``.
    **values
        Filled into the placeholders (``str.format``) after translation.
    """
    result = catalog(language).get(text, text)
    if values:
        try:
            return result.format(**values)
        except (KeyError, IndexError, ValueError):  # a broken translation: fall back
            return text.format(**values)
    return result


@cache
def _pattern_regex(pattern: str) -> re.Pattern:
    parts = re.split(r"{(\w+)}", pattern)  # literal, name, literal, name, ... literal
    regex = "".join(
        re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)" for i, part in enumerate(parts)
    )
    return re.compile(f"^{regex}$", re.DOTALL)


def translate_stored(text: str, language: str, patterns=()) -> str:
    """A stored English text (e.g. a provenance saved in a project) in ``language``.

    An exact catalog entry wins; else the first of ``patterns`` (English source strings
    with ``{name}`` placeholders) that matches the whole text is translated with the
    matched values filled in; else the text is returned as it is.

    Examples
    --------
    >>> translate_stored("roads (imported)", "en", ("{name} (imported)",))
    'roads (imported)'
    """
    if text in catalog(language) or language == SOURCE_LANGUAGE:
        return translate(text, language)
    for pattern in patterns:
        match = _pattern_regex(pattern).match(text)
        if match:
            return translate(pattern, language, **match.groupdict())
    return text


def normalize_language(code: str | None) -> str:
    """``"ko"`` for any Korean code (``ko``, ``ko_KR``, ``ko-KR``), else ``"en"``."""
    return "ko" if str(code or "").lower().replace("-", "_").split("_")[0] == "ko" else "en"
