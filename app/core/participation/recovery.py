"""What a project holds of participation on open: its tables plus the journal.

After a crash (or a kill) the journal next to the project holds every action the server
accepted; the project's tables (or its autosaved recovery copy) hold what was saved.
:func:`load_results` merges both, each action once (by id).
"""

from __future__ import annotations

from pathlib import Path

from app.core.participation.journal import read_journal
from app.core.participation.results import Results
from app.core.participation.tables import read_tables


def load_results(project: Path | None, journal: Path | None) -> tuple[Results, int]:
    """The participation results of ``project`` with the journal's actions added.

    Returns
    -------
    (Results, int)
        The results, and how many actions came from the journal only (to tell the user).
    """
    results = read_tables(project) if project is not None and Path(project).exists() else Results()
    added = results.add_all(read_journal(journal)) if journal is not None else []
    return results, len(added)


__all__ = ["load_results"]
