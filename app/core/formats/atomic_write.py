"""Write a file through a temporary file in the same folder, then replace the target.

A crash, a kill or an error while writing leaves the previous file as it was
(projects and exports share this; GDAL must create the temporary file itself).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from app.core.errors import InnoAtlasError, first_line


def write_atomically(
    path: Path,
    write: Callable[[Path], None],
    error: type[InnoAtlasError],
    *,
    verb: str,
    suffix: str,
    folder_hint: str = "",
    failure_hint: str = "",
) -> None:
    """Call ``write(temporary_path)``, fsync it, then move it over ``path``.

    Parameters
    ----------
    write : callable
        Creates the file at the given (not yet existing) path.
    error : InnoAtlasError subclass
        Raised, with a one-line message, when anything fails; errors of that kind
        raised by ``write`` pass through unchanged.
    verb : str
        "save" or "export", for the messages.
    suffix : str
        Suffix of the temporary file (``.saving.gpkg``), which starts with ``.STEM.``.
    folder_hint, failure_hint : str
        Appended to the message when the folder is not writable / when writing fails.
    """
    folder = path.parent if str(path.parent) else Path(".")
    try:
        handle, name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=suffix, dir=folder)
    except OSError as err:
        raise error(f"cannot {verb} to {folder}: {err.strerror or err}{folder_hint}") from None
    os.close(handle)
    temp = Path(name)
    temp.unlink()
    try:
        write(temp)
        with open(temp, "rb+") as written:
            os.fsync(written.fileno())
        os.replace(temp, path)
    except error:
        temp.unlink(missing_ok=True)
        raise
    except Exception as err:  # GDAL, sqlite and the OS raise many types
        temp.unlink(missing_ok=True)
        message = first_line(err)
        raise error(f"cannot {verb} {path.name}: {message}{failure_hint}") from None


def write_text_atomically(
    path: Path, text: str, error: type[InnoAtlasError], *, encoding: str = "utf-8"
) -> None:
    """Write ``text`` to ``path`` atomically (CSV, JSON, QML ...; see :func:`write_atomically`).

    Parameters
    ----------
    path : Path
        The file to create or replace; a full disk or a killed process leaves the
        previous file as it was.
    text : str
        The whole content; newlines are written as given.
    error : InnoAtlasError subclass
        Raised with a one-line message when the file cannot be written.
    encoding : str, optional
        ``"utf-8"`` (default) or ``"utf-8-sig"`` (with a BOM, for Excel).
    """
    path = Path(path)
    if not path.parent.is_dir():
        raise error(f"cannot write to {path}: no such folder")

    def write(temp: Path) -> None:
        with open(temp, "w", encoding=encoding, newline="") as handle:
            handle.write(text)

    write_atomically(path, write, error, verb="write", suffix=f"{path.suffix}.part")
