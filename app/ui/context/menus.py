"""Right-click menus on the Layers panel, the Sites panel and the map.

Each menu is built when asked for and shown with ``popup()`` (never blocking), and the
last one stays in :attr:`ContextMenus.last_menu` (tests click its actions with the mouse).
Pasting a style is an undo step (:class:`~app.ui.layers.commands.SetStyleCommand`, as
every style change).
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QMenu

from app.core.geodesy import to_lonlat
from app.core.project.user_layers import is_user_layer
from app.core.sites import edits as site_ops
from app.ui import i18n
from app.ui.i18n import tr
from app.ui.layers.commands import SetStyleCommand
from layers.model import Layer
from layers.style import LayerStyle

#: Map tools on which a right click opens the map's menu (the sketch tools keep the
#: right button to themselves: it never discards a sketch).
MENU_TOOLS = ("pan", "identify", "select", "measure")


class ContextMenus:
    """Installs the right-click menus of a main window.

    Parameters
    ----------
    window : MainWindow
        Its layer panel, sites panel and canvas get the menus.
    tables : AttributeTables
        Opens a layer's attribute table.
    """

    def __init__(self, window, tables) -> None:
        self.window = window
        self.tables = tables
        self.copied_style: tuple[LayerStyle, str] | None = None  # (style, geometry kind)
        self.last_menu: QMenu | None = None
        for widget, handler in (
            (window.layer_panel.tree, self._layer_menu_at),
            (window.sites_panel.table, self._site_menu_at),
            (window.canvas, self._map_menu_at),
        ):
            widget.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            widget.customContextMenuRequested.connect(handler)

    def _show(self, menu: QMenu, global_pos: QPoint) -> QMenu:
        if self.last_menu is not None and self.last_menu is not menu:
            self.last_menu.deleteLater()
        menu.setObjectName("contextMenu")
        self.last_menu = menu
        menu.popup(global_pos)
        return menu

    # -- layers --------------------------------------------------------------------------
    def layer_menu(self, layer: Layer) -> QMenu:
        """Properties, attribute table, zoom to layer, remove, style copy/paste."""
        w = self.window
        menu = QMenu(w)
        menu.addAction(tr("Layer &properties…"), lambda: w.show_properties(layer))
        menu.addAction(tr("Open &attribute table"), lambda: self.tables.open(layer))
        zoom = menu.addAction(tr("&Zoom to layer"), lambda: self.zoom_to_layer(layer))
        zoom.setEnabled(layer.extent is not None)
        menu.addSeparator()
        menu.addAction(tr("&Copy style"), lambda: self.copy_style(layer))
        paste = menu.addAction(tr("Paste s&tyle"), lambda: self.paste_style(layer))
        paste.setEnabled(self.can_paste(layer))
        if layer.geometry_kind == "line" and hasattr(w, "walking"):
            menu.addSeparator()
            w.walking.add_layer_entry(menu, layer)  # "Use as walking network"
        menu.addSeparator()
        remove = menu.addAction(tr("&Remove layer"), self._remove(layer))
        remove.setEnabled(is_user_layer(layer))
        return menu

    def _remove(self, layer: Layer):
        def remove() -> None:
            self.window.layer_panel.select_layer(layer)
            self.window.remove_current_layer()

        return remove

    def _layer_menu_at(self, pos: QPoint) -> None:
        tree = self.window.layer_panel.tree
        layer = self.window.layer_panel.model.layer_at(tree.indexAt(pos))
        if layer is None:
            return
        self.window.layer_panel.select_layer(layer)
        self._show(self.layer_menu(layer), tree.viewport().mapToGlobal(pos))

    def zoom_to_layer(self, layer: Layer) -> bool:
        extent = layer.extent
        if extent is None:
            return False
        self.window.canvas.zoom_to_extent(extent, 0.05)
        return True

    def copy_style(self, layer: Layer) -> None:
        self.copied_style = (layer.style, layer.geometry_kind)
        self.window.statusBar().showMessage(
            tr("Style of “{name}” copied", name=layer.title(i18n.language())), 4000
        )

    def can_paste(self, layer: Layer) -> bool:
        """A copied style fits layers of the same geometry kind."""
        return self.copied_style is not None and self.copied_style[1] == layer.geometry_kind

    def paste_style(self, layer: Layer) -> bool:
        if not self.can_paste(layer) or self.copied_style is None:
            return False
        self.window.undo_stack.push(
            SetStyleCommand(
                layer, layer.style, self.copied_style[0], text="Paste style on “{name}”"
            )
        )
        return True

    # -- sites ---------------------------------------------------------------------------
    def site_menu(self, site_id: str) -> QMenu:
        """Rename, delete, zoom to, show indicators."""
        menu = QMenu(self.window)
        menu.addAction(tr("Re&name site"), lambda: self.rename_site(site_id))
        menu.addAction(tr("&Zoom to site"), lambda: self.zoom_to_site(site_id))
        menu.addAction(tr("Show &indicators"), lambda: self.show_indicators(site_id))
        menu.addSeparator()
        menu.addAction(tr("&Delete site"), lambda: self.delete_site(site_id))
        return menu

    def _site_menu_at(self, pos: QPoint) -> None:
        panel = self.window.sites_panel
        index = panel.table.indexAt(pos)
        if not index.isValid():
            return
        site_id = panel.model.site_id(index.row())
        self.window.editing.select(site_id)
        self._show(self.site_menu(site_id), panel.table.viewport().mapToGlobal(pos))

    def rename_site(self, site_id: str) -> None:
        panel = self.window.sites_panel
        self.window.sites_dock.show()
        self.window.sites_dock.raise_()
        index = panel.model.index(panel.model.row_of(site_id), 0)
        panel.table.setCurrentIndex(index)
        panel.table.edit(index)

    def zoom_to_site(self, site_id: str) -> None:
        geometry = site_ops.geometry_of(self.window.editing.layer, site_id)
        self.window.canvas.zoom_to_extent(geometry.buffer(150).bounds, 0.1)

    def show_indicators(self, site_id: str) -> None:
        self.window.editing.select(site_id)
        self.window.indicators_dock.show()
        self.window.indicators_dock.raise_()

    def delete_site(self, site_id: str) -> None:
        self.window.editing.select(site_id)
        self.window.editing.delete_selected()

    # -- map -----------------------------------------------------------------------------
    def map_menu(self, x: float, y: float, site_id: str | None = None) -> QMenu:
        """Copy coordinates, find a place, zoom; a site's own actions when one is there."""
        w = self.window
        menu = QMenu(w)
        if site_id is not None:
            name = str(site_ops.record_of(w.editing.layer, site_id)["name"])
            sub = self.site_menu(site_id)
            sub.setTitle(tr("Site “{name}”", name=name))
            menu.addMenu(sub)
            menu.addSeparator()
        lon, lat = to_lonlat(x, y)
        menu.addAction(
            tr("Copy coordinates {x:.1f}, {y:.1f} (EPSG:5186)", x=x, y=y),
            lambda: QApplication.clipboard().setText(f"{x:.1f}, {y:.1f}"),
        )
        menu.addAction(
            tr("Copy latitude/longitude {lat:.6f}, {lon:.6f}", lat=lat, lon=lon),
            lambda: QApplication.clipboard().setText(f"{lat:.6f}, {lon:.6f}"),
        )
        menu.addSeparator()
        menu.addAction(tr("&Find a place…"), w.actions_by_name["actionFindPlace"].trigger)
        menu.addAction(tr("Zoom to &full extent"), w.canvas.zoom_full)
        table = menu.addAction(
            tr("Open &attribute table"), lambda: self.tables.open(w.layer_panel.current_layer())
        )
        table.setEnabled(w.layer_panel.current_layer() is not None)
        return menu

    def _map_menu_at(self, pos: QPoint) -> None:
        canvas = self.window.canvas
        tool = canvas.tool
        if tool is None or tool.name not in MENU_TOOLS:
            return
        if tool.name == "measure" and getattr(tool, "points", None) and not tool.finished:
            return  # mid-measurement: the right button does nothing
        x, y = canvas.screen_to_map(pos)
        site_id = self.window.editing.site_at(pos)
        self._show(self.map_menu(x, y, site_id), canvas.mapToGlobal(pos))
