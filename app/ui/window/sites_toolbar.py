"""The main window's Sites toolbar: the sketch tools, snapping and the catchment radius.

:class:`SitesToolbar` holds the site tools' actions (made by the window's menus), the
snapping toggle and the radius spin box for new point sites. The radius is one setting
with the Indicators panel's radius. Either box applies a value when its edit is
committed (Enter, focus out, the arrows or wheel, a short typing pause; see
:mod:`app.ui.spin_commit`), never for the partial values typed on the way, and each
change is an undo step (:class:`~app.ui.project.settings_commands.SetRadiusCommand`)
that shows the radius in both boxes and recomputes the indicators once. An unfinished
polygon sketch is kept with the project's settings and restored (paused) when the
project opens.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDoubleSpinBox, QLabel, QToolBar

from app.core.project.store import ProjectSettings
from app.ui.i18n import tr
from app.ui.project.settings_commands import SetRadiusCommand
from app.ui.spin_commit import CommitOnPause

#: The actions on the toolbar, left to right.
SITE_ACTIONS = (
    "actionPointSite",
    "actionPolygonSite",
    "actionRectangleSite",
    "actionCircleSite",
    "actionEditSites",
    "actionSnapping",
)


class SitesToolbar:
    """The Sites toolbar of a main window and what its radius box and snapping do.

    Parameters
    ----------
    window : MainWindow
        Gets the toolbar; its ``editing``, panels, ``indicators``, ``project`` and
        ``canvas`` follow the radius and snapping.
    actions_by_name : dict of str to QAction
        The window's actions, holding :data:`SITE_ACTIONS`.

    Attributes
    ----------
    toolbar : QToolBar
    radius_label : QLabel
    radius_box : QDoubleSpinBox
        The catchment radius (m) of new point sites.
    radius_commit : CommitOnPause
        Commits a typed radius after a pause.
    """

    def __init__(self, window, actions_by_name: dict[str, QAction]) -> None:
        self.window = window
        toolbar = QToolBar("Sites", window)
        toolbar.setObjectName("sitesToolbar")
        toolbar.setIconSize(QSize(22, 22))
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        window.addToolBar(toolbar)
        for name in SITE_ACTIONS:
            toolbar.addAction(actions_by_name[name])
        self.radius_box = QDoubleSpinBox(window)
        self.radius_box.setObjectName("radiusSpinBox")
        self.radius_box.setRange(0, 10_000)
        self.radius_box.setDecimals(0)
        self.radius_box.setSingleStep(50)
        self.radius_box.setSuffix(" m")
        self.radius_box.setValue(window.editing.radius_m)
        self.radius_commit = CommitOnPause(self.radius_box)
        self.radius_box.setToolTip(
            "Catchment radius for new point sites (800 m ≈ a "
            "10-minute walk); change a site's own radius in the "
            "Sites panel"
        )
        self.radius_label = QLabel(" Radius ", window)
        toolbar.addWidget(self.radius_label)
        toolbar.addWidget(self.radius_box)
        self.toolbar = toolbar

    def connect(self) -> None:
        """Make the radius box and the Indicators panel's radius one undoable setting."""
        self.radius_box.valueChanged.connect(self.set_radius)
        self.window.indicators_panel.radius.valueChanged.connect(
            lambda value: self.set_radius(float(value))
        )

    def set_radius(self, value: float) -> bool:
        """Make ``value`` metres the project radius, as one undo step.

        Returns
        -------
        bool
            False when the radius already is ``value`` (nothing is pushed).
        """
        w = self.window
        if float(value) == w.editing.radius_m:
            return False
        w.undo_stack.push(SetRadiusCommand(self.apply_radius, w.editing.radius_m, float(value)))
        return True

    def apply_radius(self, value: float) -> None:
        """Use ``value`` metres as the project radius (the undo commands call this).

        Both radius boxes and the Sites panel show it and the indicators are computed
        again, once.
        """
        w = self.window
        w.editing.radius_m = float(value)
        for box, shown in (
            (self.radius_box, float(value)),
            (w.indicators_panel.radius, round(value)),
        ):
            if box.value() != shown:
                box.blockSignals(True)
                box.setValue(shown)
                box.blockSignals(False)
        w.sites_panel.model.bind()
        w.indicators.schedule()
        w.canvas.update()

    def set_snapping(self, on: bool) -> None:
        """Snap the site tools to vertices and edges of visible layers (``on``) or not."""
        self.window.editing.snapping = bool(on)
        self.window.statusBar().showMessage(tr("Snapping on") if on else tr("Snapping off"), 3000)

    def on_sketch_changed(self) -> None:
        """An unfinished polygon marks the project unsaved, so autosave keeps it."""
        if self.window.polygon_tool.vertices:
            self.window.project.mark_settings_dirty()

    def restore_sketch(self, settings: ProjectSettings) -> None:
        """Bring back an unfinished polygon saved with the project (paused)."""
        corners = settings.extra.get("pending_sketch") or []
        try:
            vertices = [(float(x), float(y)) for x, y in corners]
        except (TypeError, ValueError):
            return
        polygon_tool = self.window.polygon_tool
        polygon_tool.vertices, polygon_tool.paused = vertices, bool(vertices)
        if vertices:
            self.window.statusBar().showMessage(
                tr(
                    "An unfinished polygon with {n} corners was restored: press G to finish or "
                    "discard it",
                    n=len(vertices),
                ),
                10000,
            )

    def retranslate(self) -> None:
        """The toolbar's title, the radius label and tooltip in the current language."""
        self.toolbar.setWindowTitle(tr("Sites"))
        self.radius_label.setText(" " + tr("Radius") + " ")
        self.radius_box.setToolTip(
            tr(
                "Catchment radius for new point sites (800 m ≈ a "
                "10-minute walk); change a site's own radius in the "
                "Sites panel"
            )
        )
