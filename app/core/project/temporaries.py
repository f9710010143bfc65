"""The temporaries a save writes beside the project, and removing those a killed save left.

A save writes ``.STEM.<random>.<host tag>-<pid>.saving.gpkg`` and renames it over the
project when complete (:func:`app.core.project.store.save_project`); a temporary whose
process is gone, or that is older than :data:`STALE_SECONDS`, is litter.
"""

from __future__ import annotations

import glob
import os
import re
import time
from pathlib import Path

from app.core.project.processes import host_tag, pid_alive

#: A temporary of a save older than this is litter, whoever wrote it.
STALE_SECONDS = 300
#: ``.STEM.<random>.<host tag>-<pid>.saving.gpkg[-journal|-wal|-shm]``
_TEMPORARY = re.compile(r"\.(?P<host>[0-9a-f]{8})-(?P<pid>\d+)\.saving\.gpkg(-\w+)?$")


def temporary_suffix() -> str:
    """Suffix of this process's save temporaries: it names the machine and the pid."""
    return f".{host_tag()}-{os.getpid()}.saving.gpkg"


def remove_stale_temporaries(path: Path) -> None:
    """Delete temporaries of ``path`` left by saves that were killed.

    A temporary is stale when the process that wrote it (named in its file name) no
    longer runs on this machine, or when it is older than :data:`STALE_SECONDS`. Called
    on every open and save, so at most the temporary of the last killed save is left.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    now, here = time.time(), host_tag()
    for leftover in folder.glob(f".{glob.escape(path.stem)}.*.saving.gpkg*"):
        match = _TEMPORARY.search(leftover.name)
        try:
            dead = match is not None and match["host"] == here and not pid_alive(int(match["pid"]))
            if dead or now - leftover.stat().st_mtime > STALE_SECONDS:
                leftover.unlink()
        except OSError:
            pass  # another process may hold it, or the folder is read-only: only litter
