"""A lock file next to an open project, as office suites and QGIS keep one.

``.~lock.NAME.gpkg#`` in the project's folder holds who has the project open: process
id, machine, user, time and an id of the app instance (one process may show two
windows). A second instance reads it and warns before opening the project; a lock whose
process no longer runs on this machine (a crash, a kill) is stale and ignored. The app
removes its lock when it closes the project. See docs/geopackage.md ("Lock file").
"""

from __future__ import annotations

import getpass
import json
import os
import uuid
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from app.core.project.processes import host_name, pid_alive


def lock_path(project: Path) -> Path:
    """The lock file of ``project``: ``.~lock.NAME.gpkg#`` next to it."""
    project = Path(project)
    return project.with_name(f".~lock.{project.name}#")


@dataclass(frozen=True)
class LockInfo:
    """Who holds a project open."""

    pid: int
    host: str
    user: str
    #: Local time the project was opened, ``YYYY-MM-DD HH:MM``.
    time: str
    instance: str

    @property
    def stale(self) -> bool:
        """True when its process no longer runs on this machine (a crash or a kill)."""
        return self.host == host_name() and not pid_alive(self.pid)


def read_lock(project: Path) -> LockInfo | None:
    """The lock of ``project``, or None when there is none or it is unreadable."""
    try:
        data = json.loads(lock_path(project).read_text(encoding="utf-8")[:4096])
        return LockInfo(
            pid=int(data["pid"]),
            host=str(data["host"]),
            user=str(data["user"]),
            time=str(data["time"]),
            instance=str(data["instance"]),
        )
    except (OSError, ValueError, TypeError, KeyError):
        return None


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in the environment or the password database
        return "unknown"


class ProjectLock:
    """One app instance's lock on the project it has open (at most one at a time)."""

    def __init__(self) -> None:
        self.instance = uuid.uuid4().hex
        #: The project this instance holds locked, or None.
        self.project: Path | None = None

    def holder(self, project: Path) -> LockInfo | None:
        """Another live instance that has ``project`` open, or None (no lock, a stale
        lock, or this instance's own)."""
        info = read_lock(project)
        if info is None or info.instance == self.instance or info.stale:
            return None
        return info

    def acquire(self, project: Path) -> bool:
        """Release the current lock and lock ``project`` (replacing any lock there).

        Returns
        -------
        bool
            False when the lock file cannot be written (a read-only folder): the
            project is then open without a lock.
        """
        self.release()
        info = LockInfo(
            pid=os.getpid(),
            host=host_name(),
            user=_user(),
            time=f"{datetime.now():%Y-%m-%d %H:%M}",
            instance=self.instance,
        )
        try:
            lock_path(project).write_text(json.dumps(asdict(info)), encoding="utf-8")
        except OSError:
            return False
        self.project = Path(project)
        return True

    def release(self) -> None:
        """Delete this instance's lock file (one another instance took over is kept)."""
        if self.project is None:
            return
        info = read_lock(self.project)
        if info is not None and info.instance == self.instance:
            try:
                lock_path(self.project).unlink()
            except OSError:
                pass  # already gone, or a read-only folder now
        self.project = None
