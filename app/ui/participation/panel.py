"""The Participation panel: start and stop, the QR code and URL, the session's rules and
the moderation list.

Every participant text is shown as plain text (``Qt.PlainText`` labels, item texts of a
list widget): markup in a comment shows as typed and never renders.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QPixmap
from PySide6.QtNetwork import QAbstractSocket, QHostAddress, QNetworkInterface
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import InnoAtlasError
from app.core.export.geopackage import ExportError
from app.core.formats.atomic_write import write_text_atomically
from app.core.participation.tables import csv_of
from app.ui.i18n import tr
from app.ui.participation.overlay import qr_image

ALL_INTERFACES = "0.0.0.0"
#: English labels of the permissions (translated through ``tr``).
PERMISSION_LABELS = {
    "vote": "Vote with dots",
    "comment": "Comment on sites",
    "pin": "Drop pins",
    "propose": "Propose sites",
}
KIND_LABELS = {"vote": "Vote", "comment": "Comment", "pin": "Pin", "propose": "Proposal"}
CATEGORY_LABELS = {"good": "Good spot", "problem": "Problem", "idea": "Idea"}


def interface_addresses() -> list[tuple[str, str]]:
    """``(address, label)`` of this machine's IPv4 addresses, Wi-Fi/Ethernet first and
    loopback last (the phones need an address on the room's network)."""
    found: list[tuple[int, str, str]] = []
    for interface in QNetworkInterface.allInterfaces():
        flags = interface.flags()
        if not flags & QNetworkInterface.InterfaceFlag.IsUp:
            continue
        loopback = bool(flags & QNetworkInterface.InterfaceFlag.IsLoopBack)
        for entry in interface.addressEntries():
            ip: QHostAddress = entry.ip()
            if ip.protocol() != QAbstractSocket.NetworkLayerProtocol.IPv4Protocol:
                continue
            address = ip.toString()
            found.append((1 if loopback else 0, address, interface.humanReadableName()))
    if not any(address == "127.0.0.1" for _, address, _ in found):
        found.append((1, "127.0.0.1", "lo"))
    found.sort()
    return [(address, f"{address} ({name})") for _, address, name in found]


class ParticipationPanel(QWidget):
    """Dock contents of the participation session of ``controller``."""

    def __init__(self, controller, parent=None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.setObjectName("participationPanel")
        self.interface = QComboBox(self)
        self.interface.setObjectName("participationInterface")
        self.start_button = QPushButton(self)
        self.start_button.setObjectName("participationStart")
        self.start_button.clicked.connect(self.toggle)
        self.qr = QLabel(self)
        self.qr.setObjectName("participationQr")
        self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.url = QLabel(self)
        self.url.setObjectName("participationUrl")
        self.url.setTextFormat(Qt.TextFormat.PlainText)
        self.url.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.url.setWordWrap(True)
        self.count = QLabel(self)
        self.count.setObjectName("participationCount")
        self.voting = QCheckBox(self)
        self.voting.setObjectName("participationVotingOpen")
        self.voting.toggled.connect(controller.set_voting_open)
        self.permission_boxes: dict[str, QCheckBox] = {}
        for kind in PERMISSION_LABELS:
            box = QCheckBox(self)
            box.setObjectName(f"participationAllow_{kind}")
            box.toggled.connect(lambda on, k=kind: controller.set_permission(k, on))
            self.permission_boxes[kind] = box
        self.budget = QSpinBox(self)
        self.budget.setObjectName("participationBudget")
        self.budget.setRange(1, 20)
        self.budget.valueChanged.connect(controller.set_dot_budget)
        self.budget_label = QLabel(self)
        self.follow = QCheckBox(self)
        self.follow.setObjectName("participationFollow")
        self.follow.setChecked(controller.follow_view)
        self.follow.toggled.connect(self._set_follow)
        self.moderation = QListWidget(self)
        self.moderation.setObjectName("participationModeration")
        self.moderation.setWordWrap(True)
        self.hide_button = QPushButton(self)
        self.hide_button.setObjectName("participationHide")
        self.hide_button.clicked.connect(lambda: self._moderate(True))
        self.restore_button = QPushButton(self)
        self.restore_button.setObjectName("participationRestore")
        self.restore_button.clicked.connect(lambda: self._moderate(False))
        self.csv_button = QPushButton(self)
        self.csv_button.setObjectName("participationCsv")
        self.csv_button.clicked.connect(self.export_dialog)

        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(self.interface, 1)
        top.addWidget(self.start_button)
        layout.addLayout(top)
        layout.addWidget(self.qr)
        layout.addWidget(self.url)
        layout.addWidget(self.count)
        layout.addWidget(self.voting)
        for box in self.permission_boxes.values():
            layout.addWidget(box)
        budget_row = QHBoxLayout()
        budget_row.addWidget(self.budget_label)
        budget_row.addWidget(self.budget)
        budget_row.addStretch(1)
        layout.addLayout(budget_row)
        layout.addWidget(self.follow)
        layout.addWidget(self.moderation, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.hide_button)
        buttons.addWidget(self.restore_button)
        layout.addLayout(buttons)
        layout.addWidget(self.csv_button)

        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self._tick)
        self.timer.start()
        controller.resultsChanged.connect(self.fill_moderation)
        controller.stateChanged.connect(self.update_state)
        self.fill_interfaces()
        self.retranslate()
        self.update_state()
        self.fill_moderation()

    # -- state --------------------------------------------------------------------------------
    def fill_interfaces(self) -> None:
        current = self.interface.currentData()
        self.interface.clear()
        for address, label in interface_addresses():
            self.interface.addItem(label, address)
        self.interface.addItem(tr("All interfaces (0.0.0.0)"), ALL_INTERFACES)
        index = self.interface.findData(current)
        self.interface.setCurrentIndex(max(0, index))

    def toggle(self) -> None:
        """Start (on the chosen interface) or stop."""
        controller = self.controller
        if controller.running:
            controller.stop()
            return
        host = self.interface.currentData() or "127.0.0.1"
        if host == ALL_INTERFACES:
            answer = QMessageBox.question(
                self,
                tr("Listen on every interface?"),
                tr(
                    "Phones on every network this laptop is connected to could reach the "
                    "session (anyone who has the link). Listen on all interfaces?"
                ),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        controller.start(host)

    def update_state(self) -> None:
        controller = self.controller
        running = controller.running
        self.start_button.setText(tr("Stop") if running else tr("Start"))
        self.interface.setEnabled(not running)
        for widget, value in ((self.voting, controller.voting_open),):
            widget.blockSignals(True)
            widget.setChecked(value)
            widget.blockSignals(False)
        for kind, box in self.permission_boxes.items():
            box.blockSignals(True)
            box.setChecked(kind in controller.permissions)
            box.blockSignals(False)
        self.budget.blockSignals(True)
        self.budget.setValue(controller.dot_budget)
        self.budget.blockSignals(False)
        if running and controller.server is not None:
            url = controller.server.url()
            self.url.setText(url)
            image = qr_image(url, scale=5)
            self.qr.setPixmap(QPixmap.fromImage(image))
            self.qr.show()
        else:
            self.url.setText(tr("Not running: choose the room's network and press Start"))
            self.qr.clear()
            self.qr.hide()
        self._tick()

    def _tick(self) -> None:
        controller = self.controller
        presentation = getattr(controller.window, "presentation", None)
        if controller.started_presenting and presentation is not None and not presentation.active:
            controller.started_presenting = False
            controller.stop()  # started for the presentation: it ends with it
            return
        self.count.setText(
            tr(
                "{count} participants joined · {actions} contributions",
                count=controller.participant_count(),
                actions=len(controller.results),
            )
        )

    def _set_follow(self, on: bool) -> None:
        self.controller.follow_view = on
        if on:
            self.controller.push_scene()

    # -- moderation -----------------------------------------------------------------------------
    def fill_moderation(self) -> None:
        """One row per comment, pin and proposal (plain text), newest first. When actions
        only arrived, just those are added at the top."""
        results = self.controller.results
        shown = getattr(self, "_shown", None)
        if (
            shown is not None
            and shown[0] is results
            and shown[2] == results.hidden
            and shown[1] <= len(results.actions)
        ):
            for action in results.actions[shown[1] :]:
                if action.kind != "vote":
                    self.moderation.insertItem(0, self._item(action, results))
            self._shown = (results, len(results.actions), set(results.hidden))
            return
        selected = {item.data(Qt.ItemDataRole.UserRole) for item in self.moderation.selectedItems()}
        self.moderation.clear()
        for action in reversed(results.actions):
            if action.kind == "vote":
                continue
            item = self._item(action, results)
            self.moderation.addItem(item)
            item.setSelected(action.id in selected)
        self._shown = (results, len(results.actions), set(results.hidden))

    def _item(self, action, results) -> QListWidgetItem:
        """One plain-text row of the moderation list."""
        kind = tr(KIND_LABELS[action.kind])
        if action.category:
            kind += f" · {tr(CATEGORY_LABELS.get(action.category, action.category))}"
        who = action.nickname or action.participant
        hidden = action.id in results.hidden
        text = f"{kind} — {who}: {action.text}" if action.text else f"{kind} — {who}"
        if hidden:
            text = tr("(hidden) {item}", item=text)
        item = QListWidgetItem(text)  # a list item's text is never rich text
        item.setData(Qt.ItemDataRole.UserRole, action.id)
        if hidden:
            item.setForeground(Qt.GlobalColor.gray)
        return item

    def _moderate(self, hidden: bool) -> None:
        ids = [item.data(Qt.ItemDataRole.UserRole) for item in self.moderation.selectedItems()]
        self.controller.hide(ids, hidden)

    def export_dialog(self) -> bool:
        """Export CSV…: ask for a file, then :meth:`export_csv`."""
        name, _ = QFileDialog.getSaveFileName(
            self, tr("Export participation as CSV"), "participation.csv", "CSV (*.csv)"
        )
        return bool(name) and self.export_csv(Path(name))

    def export_csv(self, path: Path) -> bool:
        """Every action (hidden ones marked) as CSV, UTF-8 with a BOM for Excel; text
        that would start a formula is neutralised."""
        window = self.controller.window
        layer = window.editing.layer
        names = {}
        if layer is not None and {"site_id", "name"} <= set(layer.data.columns):
            names = dict(
                zip(layer.data["site_id"].astype(str), layer.data["name"].astype(str), strict=True)
            )
        try:
            write_text_atomically(
                path, csv_of(self.controller.results, names), ExportError, encoding="utf-8-sig"
            )
        except InnoAtlasError as err:
            QMessageBox.warning(self, tr("Cannot export"), str(err))
            return False
        window.statusBar().showMessage(tr("Exported {name}", name=path.name), 8000)
        return True

    def retranslate(self) -> None:
        self.csv_button.setText(tr("Export CSV…"))
        self.voting.setText(tr("Voting open"))
        for kind, box in self.permission_boxes.items():
            box.setText(tr(PERMISSION_LABELS[kind]))
        self.budget_label.setText(tr("Dots per participant"))
        self.follow.setText(tr("Phones follow my view"))
        self.hide_button.setText(tr("Hide"))
        self.restore_button.setText(tr("Restore"))
        self.interface.setToolTip(
            tr("The network the phones are on (the room's Wi-Fi or this laptop's hotspot)")
        )
        self.update_state()
        self._shown = None  # every row again, in the new language
        self.fill_moderation()


__all__ = ["ParticipationPanel", "interface_addresses"]
