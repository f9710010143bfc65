"""UI language: the current language, ``tr()`` and a ``languageChanged`` signal.

The preference is app-wide (QSettings key ``ui/language``); on first run it follows the
system locale. Widgets built once connect :data:`notifier`'s ``languageChanged`` to their
``retranslate()``; short-lived modal dialogs translate when they are built.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QCoreApplication,
    QLibraryInfo,
    QLocale,
    QObject,
    QSettings,
    QTranslator,
    Signal,
)

from app.core.i18n_catalog import normalize_language, translate

SETTINGS_KEY = "ui/language"


class _Notifier(QObject):
    """Emits ``languageChanged(code)`` after :func:`set_language` changed the language."""

    languageChanged = Signal(str)


notifier = _Notifier()
_current: str | None = None
_qt_translator: QTranslator | None = None


def system_language(locale: QLocale | None = None) -> str:
    """``"ko"`` for a Korean locale (default: the system's), else ``"en"``."""
    locale = locale if locale is not None else QLocale.system()
    return "ko" if locale.language() == QLocale.Language.Korean else "en"


def saved_language() -> str | None:
    """The language saved in QSettings, or None before the user ever chose one."""
    value = QSettings().value(SETTINGS_KEY, None)
    return normalize_language(value) if value else None


def language() -> str:
    """The current UI language (``"en"`` or ``"ko"``)."""
    global _current
    if _current is None:
        _current = saved_language() or system_language(QLocale())
    return _current


def set_language(code: str, save: bool = True) -> bool:
    """Switch the UI language; True when it changed (then ``languageChanged`` is emitted).

    ``save`` stores the choice in QSettings so that the next start uses it.
    """
    global _current
    code = normalize_language(code)
    if save:
        QSettings().setValue(SETTINGS_KEY, code)
    if code == language():
        return False
    _current = code
    install_qt_translations()
    notifier.languageChanged.emit(code)
    return True


def install_qt_translations() -> bool:
    """Qt's own texts (standard buttons such as Close, Yes/No, file dialogs) in the UI language.

    Uses the ``qtbase_ko.qm`` shipped with PySide6; True when one is installed. Call once
    the QApplication exists (``app.ui.application.application`` does).
    """
    global _qt_translator
    app = QCoreApplication.instance()
    if app is None:
        return False
    if _qt_translator is not None:
        if _qt_translator.property("language") == language():
            return True
        app.removeTranslator(_qt_translator)
        _qt_translator = None
    if language() == "en":
        return False
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not translator.load(f"qtbase_{language()}", folder):
        return False
    translator.setProperty("language", language())
    app.installTranslator(translator)
    _qt_translator = translator
    return True


def reset() -> None:
    """Forget the current language: the next :func:`language` reads QSettings/the locale."""
    global _current, _qt_translator
    _current = None
    app = QCoreApplication.instance()
    if _qt_translator is not None and app is not None:
        app.removeTranslator(_qt_translator)
    _qt_translator = None


def tr(text: str, **values) -> str:
    """``text`` in the current UI language, placeholders filled from ``values``."""
    return translate(text, language(), **values)


__all__ = [
    "install_qt_translations",
    "language",
    "notifier",
    "reset",
    "saved_language",
    "set_language",
    "system_language",
    "tr",
]
