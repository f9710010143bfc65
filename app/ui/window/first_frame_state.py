"""What the kept first frame (:mod:`app.ui.window.first_frame`) depends on, without Qt.

This module imports only the standard library: ``innoatlas`` asks it, before PySide6 is
imported, whether a kept picture is likely to be shown, and when none is, imports the
heavy Qt-free modules first (PySide6 reads the source of every module imported after
it: about 0.17 s less CPU for the window's start).
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import sys
from pathlib import Path

from app import __version__

#: Bumped when what the picture holds or how its key is made changes.
CACHE_VERSION = 2


def cache_folder() -> Path:
    """The folder of the pictures (under ``INNOATLAS_DATA_DIR`` when set, e.g. in tests;
    else the user cache folder: ``$XDG_CACHE_HOME``, ``~/.cache``, ``%LOCALAPPDATA%``)."""
    override = os.environ.get("INNOATLAS_DATA_DIR")
    if override:
        return Path(override) / "cache" / "first_frames"
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        base = Path(os.environ["LOCALAPPDATA"]) / "InnoAtlas" / "cache"
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches" / "InnoAtlas"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "innoatlas"
    return base / "first_frames"


def frame_path(project: Path) -> Path:
    """Where the picture of ``project`` is kept (one file per project path); its file
    state is also written beside it, as JSON (``.json``)."""
    digest = hashlib.sha256(str(Path(project).resolve()).encode("utf-8")).hexdigest()[:32]
    return cache_folder() / f"{digest}.png"


def _stat(path: Path) -> list:
    stat = path.stat()
    return [stat.st_size, stat.st_mtime_ns]


def _contents(path: Path) -> list:
    """Every table's ``last_change`` in ``gpkg_contents`` (read-only, no lock taken)."""
    connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=0.5)
    try:
        rows = connection.execute(
            "SELECT table_name, last_change FROM gpkg_contents ORDER BY table_name"
        ).fetchall()
    finally:
        connection.close()
    return [[str(name), str(change)] for name, change in rows]


def file_state(project: Path) -> str | None:
    """The state of the file ``project`` a picture must match, as one string: its path,
    size and modification time (and its ``-wal`` file's), every table's ``last_change``
    and the app's version; None when the file cannot be read."""
    path = Path(project).resolve()
    try:
        wal = Path(f"{path}-wal")
        state = {
            "version": [CACHE_VERSION, __version__],
            "path": str(path),
            "file": _stat(path),
            "wal": _stat(wal) if wal.exists() else None,
            "contents": _contents(path),
        }
    except (OSError, sqlite3.Error):
        return None
    return json.dumps(state, ensure_ascii=False, sort_keys=True)


def write_state(project: Path, state: str) -> None:
    """Write the file state of the kept picture beside it (raises OSError)."""
    side = frame_path(project).with_suffix(".json")
    temp = side.with_name(f"{side.stem}.{os.getpid()}.json.part")
    temp.write_text(state, encoding="utf-8")
    os.replace(temp, side)


def likely_shown(project: Path) -> bool:
    """True when a picture of ``project`` is kept for its current file state (whether it
    is shown also depends on the language and the window's size, which need Qt)."""
    side = frame_path(project).with_suffix(".json")
    try:
        kept = side.read_text(encoding="utf-8")
    except (OSError, UnicodeError):
        return False
    return kept == file_state(project)
