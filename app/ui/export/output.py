"""Output files of the map export: the one error type, the checks of a path, size and
dpi before anything is drawn, and the atomic write of the finished PNG or PDF bytes.

Every "cannot write the map to …" message comes from here, so the PNG and PDF writers,
the dialog and ``innoatlas render`` report a bad path the same way.
"""

from __future__ import annotations

import os
from pathlib import Path

from app.core.errors import InnoAtlasError
from app.core.formats.atomic_write import write_atomically

#: File suffixes a map can be exported as.
FORMATS = (".png", ".pdf")


class MapExportError(InnoAtlasError):
    """A map could not be exported (bad path, format, size or extent)."""


def check_output(out_path, size, dpi) -> tuple[Path, str, int, int]:
    """Check an export's file name, folder, pixel size and dpi (and start Qt).

    Parameters
    ----------
    out_path : str or Path
        Output file; its suffix must be one of :data:`FORMATS`.
    size : (int, int)
        Width and height in pixels.
    dpi : float
        Resolution, between 30 and 1200.

    Returns
    -------
    (Path, str, int, int)
        The path, its lower-case suffix, the width and the height.

    Raises
    ------
    MapExportError
        Unknown suffix, unwritable path, or a bad size or dpi.
    """
    from app.ui.application import application

    application()  # QApplication + bundled Korean font
    path = Path(out_path)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise MapExportError(f"cannot export a map as {path.name!r}: use a .png or .pdf file name")
    check_writable(path)
    width, height = _check_size(size)
    if not (30 <= float(dpi) <= 1200):
        raise MapExportError(f"dpi must be between 30 and 1200, not {dpi}")
    return path, suffix, width, height


def check_writable(path: Path) -> None:
    """Raise :class:`MapExportError` unless a file can be created at ``path``.

    The folder must exist, be a folder and be writable, and ``path`` must not be a
    folder itself.
    """
    parent = path.absolute().parent
    if not parent.exists():
        # a path under a regular file ("notes.txt/map.png") is "not a folder"
        above = next((p for p in parent.parents if p.exists()), None)
        if above is not None and not above.is_dir():
            raise MapExportError(f"cannot write the map to {path}: {above} is not a folder")
        raise MapExportError(f"cannot write the map to {path}: no such folder")
    if not parent.is_dir():
        raise MapExportError(f"cannot write the map to {path}: {parent} is not a folder")
    if path.is_dir():
        raise MapExportError(f"cannot write the map to {path}: it is a folder")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise MapExportError(f"cannot write the map to {path}: the folder is read-only")


def _check_size(size) -> tuple[int, int]:
    try:
        width, height = (int(v) for v in size)
    except (TypeError, ValueError):
        raise MapExportError(f"size must be (width, height) in pixels, not {size!r}") from None
    if width < 200 or height < 150 or width * height > 200_000_000:
        raise MapExportError(
            f"size must be at least 200x150 pixels and at most 200 megapixels, not {width}x{height}"
        )
    return width, height


def write_output(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file: a failure leaves any old file.

    Raises
    ------
    MapExportError
        The temporary file could not be created, written or moved over ``path``.
    """
    write_atomically(
        path,
        lambda temp: temp.write_bytes(data),
        MapExportError,
        verb="write",
        suffix=f".exporting{path.suffix}",
    )


__all__ = ["FORMATS", "MapExportError", "check_output", "check_writable", "write_output"]
