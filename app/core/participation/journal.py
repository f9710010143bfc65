"""The write-ahead journal: every accepted action, one JSON line, fsynced before the phone
hears "accepted".

The journal sits next to the project (:func:`journal_path`). After a crash, reopening
the project reads it back (:func:`read_journal`) and adds what the project's tables lack;
a real save, which writes every action into the project, empties it (:func:`clear`).
A torn last line (a crash during the write) is skipped; so is any line that is not an
action.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

from app.core.participation.actions import Action

SUFFIX = ".participation.jsonl"


def journal_path(project: Path | None, fallback_dir: Path) -> Path:
    """The journal of ``project`` (``STEM.participation.jsonl`` beside it), or of an
    untitled project in ``fallback_dir``."""
    if project is None:
        return Path(fallback_dir) / f"untitled{SUFFIX}"
    project = Path(project)
    return project.with_name(project.stem + SUFFIX)


class Journal:
    """Appends actions to ``path`` durably (thread-safe; one ``fsync`` per batch)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()

    def append(self, actions: list[Action]) -> None:
        """Write ``actions`` and fsync; raises OSError when that fails (nothing accepted)."""
        if not actions:
            return
        data = "".join(
            json.dumps(a.to_dict(), ensure_ascii=False, separators=(",", ":")) + "\n"
            for a in actions
        ).encode("utf-8")
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            try:
                view = memoryview(data)
                while view:
                    written = os.write(fd, view)
                    view = view[written:]
                os.fsync(fd)
            finally:
                os.close(fd)

    def rebase(self, path: Path, saved_ids: set[str]) -> None:
        """After a save: keep only the actions the save did not hold, at ``path`` (the
        saved project's journal), atomically; the old journal goes when it moved."""
        path = Path(path)
        with self._lock:
            left = [a for a in read_journal(self.path) if a.id not in saved_ids]
            if path != self.path:
                left += [a for a in read_journal(path) if a.id not in saved_ids]
            if left:
                temp = path.with_name(path.name + ".tmp")
                data = "".join(
                    json.dumps(a.to_dict(), ensure_ascii=False, separators=(",", ":")) + "\n"
                    for a in left
                ).encode("utf-8")
                fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                try:
                    os.write(fd, data)
                    os.fsync(fd)
                finally:
                    os.close(fd)
                os.replace(temp, path)
            else:
                path.unlink(missing_ok=True)
            if path != self.path:
                self.path.unlink(missing_ok=True)
            self.path = path


def read_journal(path: Path) -> list[Action]:
    """The actions in the journal at ``path`` (none when it is absent or unreadable)."""
    try:
        raw = Path(path).read_bytes()
    except OSError:
        return []
    actions = []
    for line in raw.split(b"\n"):
        if not line.strip():
            continue
        try:
            actions.append(Action.from_dict(json.loads(line.decode("utf-8"))))
        except (ValueError, TypeError, UnicodeDecodeError):
            continue  # a torn last line, or not ours
    return actions


def clear(path: Path) -> None:
    """Remove the journal (its actions are in the saved project)."""
    Path(path).unlink(missing_ok=True)


__all__ = ["SUFFIX", "Journal", "clear", "journal_path", "read_journal"]
