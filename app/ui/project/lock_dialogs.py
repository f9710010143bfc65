"""The questions asked when a project is open in another InnoAtlas (its lock file).

Opening a project that another live instance holds (app/core/project/lock.py) offers:
open read-only (Save then asks for a new file), open a copy, open anyway, or cancel.
Saving over a file another instance has open asks first.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from app.core.errors import InnoAtlasError
from app.core.formats.atomic_write import write_atomically
from app.core.project.lock import LockInfo, ProjectLock
from app.ui.i18n import tr

Button = QMessageBox.StandardButton
#: The standard buttons of the question (their text is replaced), for tests too.
READ_ONLY, COPY, ANYWAY, CANCEL = Button.Open, Button.Save, Button.Ignore, Button.Cancel
_CHOICES = {READ_ONLY: "read-only", COPY: "copy", ANYWAY: "anyway"}


def _holder_text(info: LockInfo) -> str:
    return tr("{user} on {host}, since {time}", user=info.user, host=info.host, time=info.time)


def ask_about_lock(
    window: QWidget, lock: ProjectLock, path: Path, can_cancel: bool = True
) -> str | None:
    """Ask what to do when ``path`` is open in another instance.

    Returns
    -------
    str or None
        "open" when no other instance holds it; else "read-only", "copy" or "anyway" as
        chosen; None for Cancel (at start-up there is no Cancel: Escape is read-only).
    """
    info = lock.holder(path)
    if info is None:
        return "open"
    box = QMessageBox(window)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(tr("Project open elsewhere"))
    box.setText(
        tr(
            "{name} is open in another InnoAtlas ({holder}).\n\nOpen it read-only (Save then "
            "asks for a new file), open a copy, or open it anyway (whoever saves last "
            "overwrites the other's changes)?",
            name=Path(path).name,
            holder=_holder_text(info),
        )
    )
    buttons = READ_ONLY | COPY | ANYWAY | (CANCEL if can_cancel else Button.NoButton)
    box.setStandardButtons(buttons)
    box.button(READ_ONLY).setText(tr("Open read-only"))
    box.button(COPY).setText(tr("Open a copy…"))
    box.button(ANYWAY).setText(tr("Open anyway"))
    box.setDefaultButton(READ_ONLY)
    box.setEscapeButton(CANCEL if can_cancel else READ_ONLY)
    box.exec()
    clicked = box.standardButton(box.clickedButton())
    return _CHOICES.get(clicked) if can_cancel else _CHOICES.get(clicked, "read-only")


def copy_dialog(window: QWidget, path: Path) -> Path | None:
    """Ask where to put a copy of ``path`` and copy it there; None when cancelled/failed."""
    suggested = path.with_name(tr("{stem} (copy)", stem=path.stem) + path.suffix)
    name, _ = QFileDialog.getSaveFileName(
        window,
        tr("Save a copy of the project as"),
        str(suggested),
        tr("InnoAtlas project (*.gpkg)"),
    )
    if not name:
        return None
    target = Path(name) if Path(name).suffix.lower() == ".gpkg" else Path(name + ".gpkg")
    if target.resolve() == path.resolve():
        QMessageBox.warning(
            window, tr("Cannot copy"), tr("Choose another file than the project itself.")
        )
        return None
    try:
        # A save replaces the project whole, so the source is complete; the copy is
        # written atomically, so a failed copy leaves no half file (or the old target).
        write_atomically(
            target,
            lambda temp: shutil.copyfile(path, temp),
            InnoAtlasError,
            verb="copy",
            suffix=".copying.gpkg",
        )
    except InnoAtlasError as err:
        QMessageBox.warning(
            window,
            tr("Cannot copy"),
            tr("Cannot copy {name}: {error}", name=path.name, error=str(err)),
        )
        return None
    return target


def confirm_overwrite_open(window: QWidget, lock: ProjectLock, path: Path) -> bool:
    """True unless ``path`` is open in another instance and the user does not save over it."""
    info = lock.holder(path)
    if info is None:
        return True
    answer = QMessageBox.question(
        window,
        tr("Project open elsewhere"),
        tr(
            "{name} is open in another InnoAtlas ({holder}). Saving replaces it, and "
            "whoever saves last overwrites the other's changes. Save anyway?",
            name=Path(path).name,
            holder=_holder_text(info),
        ),
        Button.Save | Button.Cancel,
        Button.Cancel,
    )
    return answer == Button.Save
