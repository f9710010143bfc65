"""Low-level GeoPackage access shared by the project store, its loader and the style reader."""

from __future__ import annotations

from pathlib import Path


def readonly_uri(path: Path | str) -> str:
    """An SQLite URI opening ``path`` read-only; '#', '?' and '%' in names are escaped.

    Parameters
    ----------
    path : Path or str
        A GeoPackage (or any SQLite file).

    Returns
    -------
    str
        ``file:///...?mode=ro``, for ``sqlite3.connect(uri, uri=True)``.
    """
    return Path(path).resolve().as_uri() + "?mode=ro"
