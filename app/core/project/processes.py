"""Is a process still running? Used to tell a live lock or save from one a crash left."""

from __future__ import annotations

import hashlib
import os
import socket
import sys


def host_name() -> str:
    """This machine's name, as written in lock files."""
    return socket.gethostname() or "localhost"


def host_tag() -> str:
    """8 hex digits naming this machine in temporary file names."""
    return hashlib.sha1(host_name().encode("utf-8", "replace")).hexdigest()[:8]


def pid_alive(pid: int) -> bool:
    """True when a process ``pid`` runs on this machine (a reused pid counts as alive).

    Parameters
    ----------
    pid : int
        A process id read from a lock or temporary file name.
    """
    if pid <= 0:
        return False
    if pid == os.getpid():
        return True
    if sys.platform == "win32":
        return _windows_pid_alive(pid)
    try:
        os.kill(pid, 0)  # signal 0: only checks that the process exists
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by another user
    except OSError:
        return False
    return True


def _windows_pid_alive(pid: int) -> bool:
    """OpenProcess + GetExitCodeProcess (``os.kill`` would terminate it on Windows)."""
    import ctypes

    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return False
    try:
        code = ctypes.c_ulong()
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return True
        return code.value == 259  # STILL_ACTIVE
    finally:
        kernel32.CloseHandle(handle)
