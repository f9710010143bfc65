"""A walking network from a file, checked and built (or found in the cache).

:func:`open_network` reads the lines (:mod:`app.core.network.read`), builds the graph
once (:mod:`app.core.network.topology`, cached by :mod:`app.core.network.cache`) and
checks it (:func:`check_network`): a network outside the districts or mostly
disconnected is refused with one line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import shapely

from app.core.formats.vector import InputError, ReadOptions
from app.core.network.cache import load_cached, network_key, save_cached
from app.core.network.read import read_network
from app.core.network.topology import DEFAULT_TOLERANCE_M, Network, build_network

#: A network whose largest connected part holds less than this share of the length is
#: refused as "mostly disconnected".
MIN_MAIN_SHARE = 0.5


@dataclass
class OpenedNetwork:
    """A network ready for walks, its name and what was noted while opening it."""

    network: Network
    name: str
    notes: list[str] = field(default_factory=list)
    from_cache: bool = False


def build_cached(
    lines: np.ndarray,
    separated: np.ndarray,
    tolerance: float = DEFAULT_TOLERANCE_M,
    cache: bool = True,
) -> tuple[Network, bool]:
    """The network of ``lines``: from the cache when built before, else built (and kept).

    Returns the network and whether it came from the cache.
    """
    key = network_key(lines, separated, tolerance)
    if cache:
        found = load_cached(key)
        if found is not None:
            return found, True
    network = build_network(lines, separated, tolerance)
    if cache:
        save_cached(key, network)
    return network, False


def check_network(network: Network, name: str, area: shapely.Geometry | None = None) -> None:
    """Refuse a network that cannot serve: no edges, outside ``area`` (the districts), or
    mostly disconnected.

    Raises
    ------
    InputError
        One line naming the network and what is wrong.
    """
    if network.n_edges == 0:
        raise InputError(f"walking network {name} has no lines to walk on")
    if area is not None and not area.is_empty:
        near = network.tree.query(area, predicate="intersects")
        if len(near) == 0:
            raise InputError(
                f"walking network {name} lies outside the innovation districts (wrong file or CRS?)"
            )
    islands = network.islands
    if islands.main_share < MIN_MAIN_SHARE:
        raise InputError(
            f"walking network {name} is mostly disconnected: its largest connected part "
            f"holds {islands.main_share:.0%} of the length in {islands.count + 1} parts "
            "(lines that should meet do not share end points? try a larger tolerance)"
        )


def open_network(
    path: Path | str,
    layer: str | None = None,
    *,
    options: ReadOptions | None = None,
    tolerance: float = DEFAULT_TOLERANCE_M,
    area: shapely.Geometry | None = None,
    cache: bool = True,
) -> OpenedNetwork:
    """Read, build (or find in the cache) and check a walking network.

    Parameters
    ----------
    path : path-like
        A line layer or an OA-21208 CSV.
    layer : str, optional
        Layer of a multi-layer file.
    options : ReadOptions, optional
        Encoding, assumed CRS.
    tolerance : float
        Node tolerance (m).
    area : shapely geometry, optional
        The districts (EPSG:5186): a network that touches none of them is refused.
    cache : bool
        Use the on-disk cache.

    Raises
    ------
    InputError
        Unreadable, no lines, no CRS, outside the districts, mostly disconnected.
    """
    path = Path(path)
    lines = read_network(path, layer, options)
    geoms = np.asarray(lines.frame.geometry.values, dtype=object)
    network, cached = build_cached(geoms, lines.separated, tolerance, cache)
    name = path.name if layer is None else f"{path.name}:{layer}"
    check_network(network, name, area)
    notes = list(lines.notes)
    islands = network.islands
    if islands.count:
        notes.append(
            f"walking network {name}: {islands.count} disconnected parts hold "
            f"{islands.share_outside_main:.1%} of its length (never reached from the rest)"
        )
    return OpenedNetwork(network, name, notes, cached)
