"""The main window's actions, menus and map toolbar, built from :data:`app.ui.actions.ACTIONS`.

:class:`WindowMenus` makes one QAction per :class:`ActionSpec` (icon, shortcut, tips),
puts it in its menu (and submenu) and on the map toolbar, adds the docks' show/hide
toggles to the View menu and the File → Open recent submenu, and translates all of
them. What the actions do is wired by the window.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMenu, QToolBar

from app.ui.actions import (
    ACTIONS,
    CATCHMENT_ACTIONS,
    DISTRICT_ACTIONS,
    LANGUAGE_ACTIONS,
    TOOL_ACTIONS,
    ActionSpec,
)
from app.ui.i18n import language, tr
from app.ui.icons import make_icon
from layers.themes.districts import DISTRICTS


class WindowMenus:
    """Actions, menus and the map toolbar of a main window.

    Parameters
    ----------
    window : MainWindow
        Parents the actions, gets the menus and the toolbar; its ``project`` lists
        the recent files and its ``undo_stack`` names what Undo/Redo would do.
    docks : iterable of QDockWidget
        The docks whose show/hide toggles go in the View menu, in this order.

    Attributes
    ----------
    actions_by_name : dict of str to QAction
        Every action by its object name (``"actionSave"`` …).
    menus : dict of str to QMenu
        The menus by their English title; submenus as ``"&Menu/Submenu"``.
    map_toolbar : QToolBar
        The toolbar of the actions with ``toolbar=True``.
    recent_menu : QMenu
        File → Open recent, filled each time it opens.
    """

    def __init__(self, window, docks: Iterable[QDockWidget]) -> None:
        self.window = window
        self.actions_by_name: dict[str, QAction] = {}
        self.menus: dict[str, QMenu] = {}
        self.map_toolbar = self._build(docks)
        self.recent_menu = self._build_recent()

    def _build(self, docks: Iterable[QDockWidget]) -> QToolBar:
        window, menus = self.window, self.menus
        toolbar = QToolBar("Map", window)
        toolbar.setObjectName("mapToolbar")
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.setIconSize(QSize(22, 22))
        window.addToolBar(toolbar)
        tools = QActionGroup(window)
        languages = QActionGroup(window)
        catchments = QActionGroup(window)  # View › Catchments: one mode at a time
        for spec in ACTIONS:
            action = self._make_action(spec)
            if spec.object_name in TOOL_ACTIONS:
                tools.addAction(action)
            if spec.object_name in LANGUAGE_ACTIONS:
                languages.addAction(action)
            if spec.object_name in CATCHMENT_ACTIONS:
                catchments.addAction(action)
            menu = menus.get(spec.menu)
            if menu is None:
                menu = menus[spec.menu] = window.menuBar().addMenu(spec.menu)
            if spec.submenu:
                key = f"{spec.menu}/{spec.submenu}"
                if key not in menus:
                    menus[key] = menu.addMenu(spec.submenu)
                    menus[key].setObjectName("menu" + spec.submenu.strip("&"))
                menu = menus[key]
            if spec.separator_before:
                menu.addSeparator()
            menu.addAction(action)
            if spec.toolbar:
                if spec.separator_before:
                    toolbar.addSeparator()
                toolbar.addAction(action)
                if spec.icon.startswith("zoom_"):  # self-explanatory icons, tooltip says more
                    toolbar.widgetForAction(action).setToolButtonStyle(
                        Qt.ToolButtonStyle.ToolButtonIconOnly
                    )
        view = menus["&View"]
        view.addSeparator()
        for dock in docks:
            toggle = dock.toggleViewAction()
            toggle.setObjectName(
                f"actionToggle{dock.objectName()[0].upper()}{dock.objectName()[1:]}"
            )
            view.addAction(toggle)
        return toolbar

    def _build_recent(self) -> QMenu:
        recent = self.menus["&File"].addMenu("Open &recent")
        self.menus["Open &recent"] = recent
        recent.setObjectName("menuRecent")
        self.menus["&File"].insertMenu(self.actions_by_name["actionSave"], recent)
        recent.aboutToShow.connect(self.fill_recent)
        return recent

    def _make_action(self, spec: ActionSpec) -> QAction:
        action = QAction(spec.text, self.window)
        action.setObjectName(spec.object_name)
        if spec.shortcut:
            action.setShortcut(QKeySequence(spec.shortcut))
        tip = spec.tip + (f" ({spec.shortcut})" if spec.shortcut else "")
        action.setToolTip(tip)
        action.setStatusTip(spec.tip)
        action.setCheckable(spec.checkable)
        if spec.icon == "district":
            district_id = DISTRICT_ACTIONS[spec.object_name]
            _ko, english, colour = DISTRICTS[district_id]
            action.setIcon(make_icon("district", colour, english[0]))
            action.setProperty("sourceIconText", english)
        elif spec.icon:
            action.setIcon(make_icon(spec.icon))
            action.setProperty("sourceIconText", spec.text.replace("&", "").split()[0])
        self.actions_by_name[spec.object_name] = action
        return action

    def fill_recent(self) -> None:
        """List the recent projects in File → Open recent (each opens its project)."""
        window = self.window
        self.recent_menu.clear()
        recent = window.project.recent()
        for path in recent:
            action = self.recent_menu.addAction(str(path))
            action.setStatusTip(tr("Open the project {path}", path=str(path)))
            action.triggered.connect(lambda _=False, p=path: window.project.open_path(p))
        if not recent:
            self.recent_menu.addAction(tr("(no recent projects)")).setEnabled(False)

    def update_undo_texts(self) -> None:
        """Edit → Undo/Redo name the commands on the window's undo stack."""
        undo_stack = self.window.undo_stack
        self.set_undo_text("actionUndo", "&Undo", undo_stack.undoText())
        self.set_undo_text("actionRedo", "&Redo", undo_stack.redoText())

    def set_undo_text(self, name: str, source: str, text: str) -> None:
        """Edit → Undo/Redo say what they undo (the command's text, in its language).

        Parameters
        ----------
        name : str
            ``"actionUndo"`` or ``"actionRedo"``.
        source : str
            The action's English text (``"&Undo"``), translated here.
        text : str
            The command's text; empty when there is nothing to undo or redo.
        """
        label = tr(source)
        self.actions_by_name[name].setText(f"{label} {text}" if text else label)

    def retranslate(self) -> None:
        """Menus, actions (texts, tips, toolbar labels), the checked language, the
        Undo/Redo texts, the recent menu and the map toolbar in the current language."""
        for key, menu in self.menus.items():
            menu.setTitle(tr(key.rsplit("/", 1)[-1]))
        for spec in ACTIONS:
            action = self.actions_by_name.get(spec.object_name)
            if action is None:
                continue
            action.setText(tr(spec.text))
            icon_text = action.property("sourceIconText")
            if icon_text:  # the short toolbar label
                action.setIconText(tr(icon_text))
            tip = tr(spec.tip)
            action.setToolTip(tip + (f" ({spec.shortcut})" if spec.shortcut else ""))
            action.setStatusTip(tip)
        for name, code in LANGUAGE_ACTIONS.items():
            self.actions_by_name[name].setChecked(code == language())
        self.update_undo_texts()
        recent_tip = tr("Open one of the projects opened last")
        self.recent_menu.menuAction().setToolTip(recent_tip)
        self.recent_menu.menuAction().setStatusTip(recent_tip)
        self.recent_menu.setToolTipsVisible(True)
        self.map_toolbar.setWindowTitle(tr("Map"))
