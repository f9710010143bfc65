"""A built network kept on disk, keyed by a hash of its lines, so it is built only once.

The key is the SHA-256 of the lines' WKB (EPSG:5186), their grade-separation flags, the
node tolerance and :data:`CACHE_VERSION`: the same layer, read again from the project or
from a file, finds its graph; any change of a line makes a new key. Entries are numpy
``.npz`` archives (arrays only, ``allow_pickle=False``) in :func:`cache_folder`; a cache
that cannot be read or written is ignored (the graph is built again).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import shapely

from app.core.network.topology import Network

#: Bumped when the topology changes: old entries are then never read.
CACHE_VERSION = 1


def cache_folder() -> Path:
    """``INNOATLAS_DATA_DIR/cache/networks`` when set, else ``~/.cache/innoatlas/networks``."""
    override = os.environ.get("INNOATLAS_DATA_DIR")
    if override:
        return Path(override) / "cache" / "networks"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "innoatlas" / "networks"


def network_key(lines: np.ndarray, separated: np.ndarray, tolerance: float) -> str:
    """The cache key of a network built from ``lines`` (see the module docstring)."""
    digest = hashlib.sha256()
    digest.update(f"v{CACHE_VERSION};tol={float(tolerance)!r};".encode())
    wkb = shapely.to_wkb(np.asarray(lines, dtype=object), output_dimension=2)
    for item in wkb:
        digest.update(item if item is not None else b"-")
    digest.update(np.asarray(separated, bool).tobytes())
    return digest.hexdigest()


def load_cached(key: str, folder: Path | None = None) -> Network | None:
    """The cached network of ``key``, or None."""
    path = (folder or cache_folder()) / f"{key}.npz"
    try:
        with np.load(path, allow_pickle=False) as archive:
            return Network.from_arrays({name: archive[name] for name in archive.files})
    except (OSError, ValueError, KeyError):
        return None


def save_cached(key: str, network: Network, folder: Path | None = None) -> Path | None:
    """Keep ``network`` under ``key`` (atomically); None when the folder is not writable."""
    folder = folder or cache_folder()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(suffix=".npz.part", dir=folder)
        arrays: dict[str, Any] = network.to_arrays()
        with os.fdopen(fd, "wb") as out:
            np.savez_compressed(out, **arrays)
        target = folder / f"{key}.npz"
        os.replace(temp, target)
        return target
    except OSError:
        return None
