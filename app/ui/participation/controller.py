"""Workshop → Start participation: the GUI side of a participation session.

:class:`ParticipationController` owns the project's
:class:`~app.core.participation.results.Results` (the GUI thread is their only writer),
starts and stops the :class:`~app.core.participation.server.ParticipationServer` (its
own thread and event loop), receives accepted actions through a queued Qt signal, builds
what phones see of the current view (:func:`scene_of_window`), hides and restores
actions as undo steps, and writes the ``participation_*`` tables with every save and
autosave (``ProjectController.table_writers``). After a crash, opening the project adds
what the journal holds (:func:`~app.core.participation.recovery.load_results`).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

import shapely
from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QMessageBox

from app.core.participation import tables
from app.core.participation.actions import KINDS, Action
from app.core.participation.journal import Journal, journal_path
from app.core.participation.recovery import load_results
from app.core.participation.results import Results
from app.core.participation.scene import SiteCard, scene_payload
from app.core.participation.session import Session
from app.core.project.origins import source_file
from app.ui.i18n import tr
from app.ui.project.controller import user_data_dir

if TYPE_CHECKING:  # aiohttp is imported when a workshop starts, not at the app's start
    from app.core.participation.server import ParticipationServer

#: The indicator columns a phone's site card shows (readable names, formatted values).
CARD_COLUMNS = (
    "score",
    "startups_n",
    "employees_sum",
    "top_sector",
    "education_n",
    "station_nearest_m",
    "dominant_zone",
    "use_permitted",
)
SETTINGS_KEY = "participation"
#: Phones follow the facilitator's view this long after it stops moving.
FOLLOW_MS = 1200
#: Arrivals are in the results at once; the views (badges, table, list, map) are told at
#: most this often, so that a busy room cannot make the GUI repaint for every dot.
VIEWS_MS = 250


class _Bridge(QObject):
    """Lives in the GUI thread; the server thread emits, the GUI thread receives."""

    received = Signal(object)


class ModerateCommand(QUndoCommand):
    """Hide or restore participants' actions (one undo step)."""

    def __init__(self, controller: ParticipationController, ids: list[str], hidden: bool):
        super().__init__(
            tr("Hide participant input") if hidden else tr("Restore participant input")
        )
        self.controller, self.ids, self.hidden = controller, list(ids), hidden
        self.before = {i: i in controller.results.hidden for i in self.ids}

    def redo(self) -> None:
        self.controller.apply_hidden({i: self.hidden for i in self.ids})

    def undo(self) -> None:
        self.controller.apply_hidden(self.before)


class ParticipationController(QObject):
    """The participation session of a main window.

    Signals
    -------
    resultsChanged()
        Actions arrived, or were hidden or restored.
    stateChanged()
        The server started or stopped, or the session's rules changed.
    """

    resultsChanged = Signal()
    stateChanged = Signal()

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.results = Results()
        self.server: ParticipationServer | None = None
        self.permissions: set[str] = {"vote", "comment", "pin"}
        self.dot_budget = 3
        self.voting_open = True
        self.follow_view = True
        #: Started while presenting: leaving presentation mode stops it.
        self.started_presenting = False
        #: Whether the project file had participation tables (so a save keeps writing them).
        self._had_tables = False
        #: (action id, perf_counter) of each arrival in the GUI thread (the bench reads it).
        self.arrivals: list[tuple[str, float]] = []
        self.bridge = _Bridge(self)
        self.bridge.received.connect(self._on_received, Qt.ConnectionType.QueuedConnection)
        self._scene_timer = QTimer(self)
        self._scene_timer.setSingleShot(True)
        self._scene_timer.setInterval(FOLLOW_MS)
        self._scene_timer.timeout.connect(self.push_scene)
        self._views_timer = QTimer(self)
        self._views_timer.setSingleShot(True)
        self._views_timer.setInterval(VIEWS_MS)
        self._views_timer.timeout.connect(self._tell_views)
        window.project.table_writers.append(self)
        window.project.projectLoaded.connect(self.reload)
        window.canvas.extentChanged.connect(self._view_changed)
        window.indicators.resultsChanged.connect(self._view_changed)
        self.reload()

    # -- project -----------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self.server is not None and self.server.running

    def journal_file(self) -> Path:
        """The journal next to the project (untitled: in the recovery folder)."""
        return journal_path(self.window.project.path, user_data_dir() / "recovery")

    def reload(self) -> None:
        """The project changed: stop, read its tables and its journal."""
        self.stop()
        source = source_file(self.window.stack)
        self.results, restored = load_results(source, self.journal_file())
        self._had_tables = len(self.results) > restored
        rules = self.window.project.settings.extra.get(SETTINGS_KEY)
        if isinstance(rules, dict):
            perms = rules.get("permissions")
            if isinstance(perms, list):
                self.permissions = {p for p in perms if p in KINDS}
            budget = rules.get("dot_budget")
            if isinstance(budget, int) and not isinstance(budget, bool):
                self.dot_budget = max(1, min(20, budget))
        if restored:
            # after the load has marked the project clean: these are not saved yet
            QTimer.singleShot(0, self.window.project.mark_settings_dirty)
            self.window.statusBar().showMessage(
                tr(
                    "{count} participant actions restored from the workshop journal",
                    count=restored,
                ),
                10_000,
            )
        self.resultsChanged.emit()
        self.stateChanged.emit()

    # ExtraTables (app.core.project.store): every save and autosave writes the results
    def owned_tables(self) -> set[str]:
        return set(tables.TABLES) if (len(self.results) or self._had_tables) else set()

    def write_tables(self, target: Path) -> None:
        if len(self.results) or self._had_tables:
            tables.write_tables(target, self.results)

    def saved(self, path: Path) -> None:
        """After a real save: the journal keeps only what the save did not hold."""
        saved = {a.id for a in self.results.actions}
        self._had_tables = self._had_tables or bool(saved)
        new = journal_path(path, user_data_dir() / "recovery")
        if self.server is not None:
            self.server.journal.rebase(new, saved)
        else:
            Journal(self.journal_file()).rebase(new, saved)

    # -- server ------------------------------------------------------------------------------
    def start(self, host: str) -> bool:
        """Start the server on ``host`` (an interface address); False with a message when
        it cannot bind."""
        if self.running:
            return True
        scene, site_ids, bounds = self.scene_now()
        session = Session(site_ids, bounds, self.permissions, self.dot_budget)
        session.voting_open = self.voting_open
        from app.core.participation.server import ParticipationServer

        server = ParticipationServer(
            session,
            scene,
            Journal(self.journal_file()),
            self.bridge.received.emit,
            host=host,
            earlier=list(self.results.actions),
            hidden=set(self.results.hidden),
        )
        try:
            server.start()
        except OSError as err:
            QMessageBox.warning(
                self.window,
                tr("Cannot start participation"),
                tr("The server cannot listen on {address}: {error}", address=host, error=err),
            )
            return False
        self.server = server
        presentation = getattr(self.window, "presentation", None)
        self.started_presenting = bool(presentation is not None and presentation.active)
        self.stateChanged.emit()
        return True

    def stop(self) -> None:
        """End the server (what it accepted is in the results and the journal)."""
        server, self.server = self.server, None
        if server is not None:
            server.stop()
            self.stateChanged.emit()

    def participant_count(self) -> int:
        server = self.server
        return len(server.session.participants) if server is not None else 0

    # -- rules -------------------------------------------------------------------------------
    def _save_rules(self) -> None:
        self.window.project.settings.extra[SETTINGS_KEY] = {
            "permissions": sorted(self.permissions),
            "dot_budget": self.dot_budget,
        }
        self.window.project.mark_settings_dirty()

    def set_voting_open(self, value: bool) -> None:
        self.voting_open = bool(value)
        if self.server is not None:
            self.server.configure(voting_open=self.voting_open)
        self.stateChanged.emit()

    def set_permission(self, kind: str, allowed: bool) -> None:
        if allowed:
            self.permissions.add(kind)
        else:
            self.permissions.discard(kind)
        if self.server is not None:
            self.server.configure(permissions=self.permissions)
        self._save_rules()
        self.stateChanged.emit()

    def set_dot_budget(self, budget: int) -> None:
        self.dot_budget = max(1, min(20, int(budget)))
        if self.server is not None:
            self.server.configure(dot_budget=self.dot_budget)
        self._save_rules()
        self.stateChanged.emit()

    # -- actions -----------------------------------------------------------------------------
    def _on_received(self, actions: list[Action]) -> None:
        now = time.perf_counter()
        added = self.results.add_all(actions)
        self.arrivals.extend((a.id, now) for a in added)
        if added and not self._views_timer.isActive():
            self._views_timer.start()

    def _tell_views(self) -> None:
        if not self.window.project.dirty:
            self.window.project.mark_settings_dirty()
        self.resultsChanged.emit()
        self.window.canvas.update()

    def hide(self, ids: list[str], hidden: bool = True) -> None:
        """Hide (or restore) actions: an undo step on the window's stack."""
        if ids:
            self.window.undo_stack.push(ModerateCommand(self, ids, hidden))

    def apply_hidden(self, states: dict[str, bool]) -> None:
        for action_id, hidden in states.items():
            self.results.set_hidden(action_id, hidden)
            if self.server is not None:
                self.server.moderate(action_id, hidden)
        self.resultsChanged.emit()
        self.window.canvas.update()

    def dots(self) -> dict[str, int]:
        return self.results.dots()

    # -- scene -------------------------------------------------------------------------------
    def _view_changed(self, *_args) -> None:
        if self.running and self.follow_view:
            self._scene_timer.start()

    def push_scene(self) -> None:
        """Send what the map shows now to the phones."""
        if self.server is None:
            return
        scene, site_ids, bounds = self.scene_now()
        self.server.configure(scene=scene, site_ids=site_ids, bounds=bounds)

    def scene_now(self) -> tuple[dict, list[str], tuple[float, float, float, float]]:
        return scene_of_window(self.window)


def scene_of_window(window) -> tuple[dict, list[str], tuple[float, float, float, float]]:
    """What phones see of the window's current view: the payload, the site ids in it and
    its bounds. Only the sites (names, ranks, the card's indicators), the districts'
    outlines and the scene's title go in."""
    from app.ui.indicators.coverage_marks import cell_text, column_label

    language = window.language
    xmin, ymin, xmax, ymax = window.canvas.viewport.extent
    layer = window.editing.layer
    results = getattr(window.indicators, "results", None)
    cards: list[SiteCard] = []
    if layer is not None and len(layer.data) and "site_id" in layer.data:
        anchors = shapely.get_coordinates(shapely.point_on_surface(layer.data.geometry.values))
        names = layer.data["name"].astype(str).tolist() if "name" in layer.data else []
        for i, site_id in enumerate(layer.data["site_id"].astype(str).tolist()):
            x, y = float(anchors[i, 0]), float(anchors[i, 1])
            if not (xmin <= x <= xmax and ymin <= y <= ymax):
                continue
            rank = None
            indicators: list[tuple[str, str]] = []
            if results is not None and site_id in getattr(results, "index", []):
                row = results.loc[site_id]
                value = row.get("rank")
                rank = int(value) if value is not None and value == value else None
                for column in CARD_COLUMNS:
                    if column in row:
                        indicators.append(
                            (column_label(column, language), cell_text(column, row, language))
                        )
            name = names[i] if i < len(names) and names[i] not in ("", "nan", "None") else site_id
            cards.append(SiteCard(site_id, name, rank, x, y, indicators))
    outlines = []
    districts = window.stack.get("districts")
    if districts is not None and len(districts.data):
        box = shapely.box(xmin, ymin, xmax, ymax)
        tolerance = max(xmax - xmin, ymax - ymin) / 300
        clipped = shapely.intersection(districts.data.geometry.values, box)
        for geometry in shapely.simplify(clipped, tolerance):
            for polygon in getattr(geometry, "geoms", [geometry]):
                if polygon.geom_type == "Polygon" and not polygon.is_empty:
                    outlines.append(list(polygon.exterior.coords))
    title = window.project.display_name
    presentation = getattr(window, "presentation", None)
    navigator = getattr(presentation, "navigator", None)
    current = getattr(navigator, "current_title", None)
    if callable(current):
        title = current() or title
    bounds = (xmin, ymin, xmax, ymax)
    payload = scene_payload(title, cards, bounds, language, outlines, window.caveat_text())
    return payload, [c.site_id for c in cards], bounds


__all__ = ["ModerateCommand", "ParticipationController", "scene_of_window"]
