"""View › Basemap…: choose the tile basemap under the layers, and its undo command.

The choice (on/off, source, custom XYZ URL and credit, opacity, greyscale) belongs to
the project (``settings.extra["basemap"]``); the VWorld API key is the user's and stays
in the app's settings (QSettings ``basemap/vworld_key``), never in a project file.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from app.core.basemap.sources import (
    BASEMAP_KEY,
    BUILT_IN,
    CUSTOM,
    WMTS,
    BasemapError,
    BasemapSettings,
    check_template,
)
from app.core.basemap.wmts import WmtsLayer, check_url, fetch_capabilities, parse_capabilities
from app.ui.canvas.basemap import BasemapSpec, cache_folder
from app.ui.i18n import tr
from app.ui.sites.commands import set_text

KEY_SETTING = "basemap/vworld_key"


def saved_api_key() -> str:
    """The user's VWorld API key ("" when none was entered)."""
    return str(QSettings().value(KEY_SETTING, "") or "")


def save_api_key(key: str) -> None:
    """Keep the user's VWorld API key in the app's settings."""
    QSettings().setValue(KEY_SETTING, key.strip())


class SetBasemapCommand(QUndoCommand):
    """Change the project's basemap; ``apply(settings)`` shows and records it."""

    def __init__(
        self,
        apply: Callable[[BasemapSettings], None],
        before: BasemapSettings,
        after: BasemapSettings,
    ) -> None:
        super().__init__()
        self.apply, self.before, self.after = apply, before, after
        set_text(self, "Change the basemap")

    def redo(self) -> None:
        self.apply(self.after)

    def undo(self) -> None:
        self.apply(self.before)


class BasemapDialog(QDialog):
    """The basemap choice; :meth:`chosen` is the result after OK."""

    def __init__(self, current: BasemapSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("basemapDialog")
        self.setWindowTitle(tr("Basemap"))
        self.enabled = QCheckBox(tr("Show a basemap under the layers"), self)
        self.enabled.setObjectName("basemapEnabled")
        self.source = QComboBox(self)
        self.source.setObjectName("basemapSource")
        for key, source in BUILT_IN.items():
            self.source.addItem(tr(source.title), key)
        self.source.addItem(tr("Custom XYZ URL"), CUSTOM)
        self.source.addItem(tr("WMTS (GetCapabilities URL)"), WMTS)
        self.wmts_url = QLineEdit(self)
        self.wmts_url.setObjectName("basemapWmtsUrl")
        self.wmts_url.setPlaceholderText("https://example.org/wmts/1.0.0/WMTSCapabilities.xml")
        self.wmts_url.setToolTip(
            tr("The WMTS's GetCapabilities URL: its Web Mercator layers are listed")
        )
        self.wmts_load = QPushButton(tr("Load layers"), self)
        self.wmts_load.setObjectName("basemapWmtsLoad")
        self.wmts_load.clicked.connect(self.load_wmts)
        self.wmts_layer = QComboBox(self)
        self.wmts_layer.setObjectName("basemapWmtsLayer")
        self.wmts_task = None
        self.url = QLineEdit(self)
        self.url.setObjectName("basemapUrl")
        self.url.setPlaceholderText("https://example.org/tiles/{z}/{x}/{y}.png")
        self.credit = QLineEdit(self)
        self.credit.setObjectName("basemapCredit")
        self.key = QLineEdit(self)
        self.key.setObjectName("basemapKey")
        self.key.setEchoMode(QLineEdit.EchoMode.PasswordEchoOnEdit)
        self.opacity = QSlider(Qt.Orientation.Horizontal, self)
        self.opacity.setObjectName("basemapOpacity")
        self.opacity.setRange(0, 100)
        self.greyscale = QCheckBox(tr("Greyscale (keeps the thematic layers readable)"), self)
        self.greyscale.setObjectName("basemapGreyscale")
        self.error = QLabel(self)
        self.error.setObjectName("basemapError")
        self.error.setStyleSheet("color: #b00020")
        self.error.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.enabled)
        form.addRow(tr("Source"), self.source)
        form.addRow(tr("Tile URL"), self.url)
        wmts_row = QHBoxLayout()
        wmts_row.addWidget(self.wmts_url, 1)
        wmts_row.addWidget(self.wmts_load)
        form.addRow(tr("WMTS capabilities"), wmts_row)
        form.addRow(tr("WMTS layer"), self.wmts_layer)
        form.addRow(tr("Attribution"), self.credit)
        form.addRow(tr("VWorld API key"), self.key)
        form.addRow(tr("Opacity"), self.opacity)
        form.addRow(self.greyscale)
        hint = QLabel(
            tr(
                "Tiles are fetched online and kept in the user cache folder; offline the "
                "basemap stays blank. Your VWorld key is kept on this computer only."
            ),
            self,
        )
        hint.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.enabled.setChecked(current.enabled)
        self.source.setCurrentIndex(max(0, self.source.findData(current.source)))
        self.url.setText(current.custom_url)
        self.credit.setText(current.custom_attribution)
        self.key.setText(saved_api_key())
        self.opacity.setValue(round(current.opacity * 100))
        self.greyscale.setChecked(current.greyscale)
        self.wmts_url.setText(current.wmts_url)
        if current.source == WMTS and current.custom_url:
            self.wmts_layer.addItem(
                current.wmts_layer or current.custom_url,
                WmtsLayer(
                    current.wmts_layer,
                    current.wmts_layer,
                    current.custom_url,
                    current.min_zoom,
                    current.max_zoom,
                    current.custom_attribution,
                ),
            )
        self.source.currentIndexChanged.connect(self._update)
        self.enabled.toggled.connect(self._update)
        self._update()
        self.resize(520, self.sizeHint().height())

    def _update(self) -> None:
        custom = self.source.currentData() == CUSTOM
        wmts = self.source.currentData() == WMTS
        self.url.setEnabled(custom)
        self.credit.setEnabled(custom or wmts)
        for widget in (self.wmts_url, self.wmts_load, self.wmts_layer):
            widget.setEnabled(wmts)
        self.key.setEnabled(str(self.source.currentData()).startswith("vworld"))

    def load_wmts(self) -> bool:
        """Read the WMTS's capabilities in the worker and list its Web Mercator layers
        (a failure says why under the form); False when the URL is unusable."""
        from app.ui import worker

        try:
            url = check_url(self.wmts_url.text())
        except BasemapError as err:
            self.error.setText(tr(str(err)))
            return False
        self.error.setText(tr("Reading the capabilities…"))
        self.wmts_load.setEnabled(False)

        def read(address: str, progress=None) -> list[WmtsLayer]:
            return parse_capabilities(fetch_capabilities(address))

        def finished(layers: list[WmtsLayer]) -> None:
            self.wmts_load.setEnabled(True)
            self.wmts_layer.clear()
            for layer in layers:
                self.wmts_layer.addItem(f"{layer.title} ({layer.identifier})", layer)
            self.error.setText("")

        def failed(message: str, _details: str) -> None:
            self.wmts_load.setEnabled(True)
            self.error.setText(tr("Cannot use this WMTS: {reason}", reason=message))

        self.wmts_task = worker.start(worker.Task(read, url).on(finished=finished, failed=failed))
        return True

    def chosen(self) -> BasemapSettings:
        """The basemap as set in the dialog."""
        layer = self.wmts_layer.currentData()
        if self.source.currentData() == WMTS and isinstance(layer, WmtsLayer):
            return BasemapSettings(
                enabled=self.enabled.isChecked(),
                source=WMTS,
                opacity=self.opacity.value() / 100.0,
                greyscale=self.greyscale.isChecked(),
                custom_url=layer.template,
                custom_attribution=self.credit.text().strip() or layer.provider or layer.title,
                wmts_url=self.wmts_url.text().strip(),
                wmts_layer=layer.identifier,
                min_zoom=layer.min_zoom,
                max_zoom=min(layer.max_zoom, 19),
            )
        return BasemapSettings(
            enabled=self.enabled.isChecked(),
            source=str(self.source.currentData()),
            opacity=self.opacity.value() / 100.0,
            greyscale=self.greyscale.isChecked(),
            custom_url=self.url.text().strip(),
            custom_attribution=self.credit.text().strip(),
        )

    def _accept(self) -> None:
        chosen = self.chosen()
        if self.source.currentData() == WMTS and chosen.source != WMTS:
            self.error.setText(tr("Load the WMTS's layers and choose one first"))
            return
        if chosen.enabled and chosen.source == CUSTOM:
            try:
                check_template(chosen.custom_url)
            except BasemapError:
                self.error.setText(
                    tr("The tile URL must start with http:// or https:// and hold {z}, {x} and {y}")
                )
                return
        save_api_key(self.key.text())
        self.accept()


class BasemapControl:
    """The window's basemap: the project's choice shown on the canvas, changed by the
    dialog as undo steps, failures as one status-bar note.

    Parameters
    ----------
    window
        The main window (``canvas``, ``project.settings``, ``undo_stack``, ``statusBar()``).
    """

    def __init__(self, window) -> None:
        self.window = window
        window.canvas.basemap.note.connect(self._note)

    def current(self) -> BasemapSettings:
        """The project's basemap."""
        return BasemapSettings.of(self.window.project.settings.extra)

    def load(self) -> None:
        """Show the basemap of the project just opened (off unless it was saved on)."""
        self.window.canvas.basemap.configure(self.current(), saved_api_key())

    def apply(self, settings: BasemapSettings) -> None:
        """Record ``settings`` in the project and show them (undo commands call this)."""
        extra = self.window.project.settings.extra
        if settings == BasemapSettings():
            extra.pop(BASEMAP_KEY, None)
        else:
            extra[BASEMAP_KEY] = settings.as_record()
        self.window.canvas.basemap.configure(settings, saved_api_key())

    def change(self, settings: BasemapSettings) -> bool:
        """Make ``settings`` the project's basemap as one undo step (False: unchanged)."""
        before = self.current()
        if settings == before:
            self.window.canvas.basemap.configure(settings, saved_api_key())  # a new key
            return False
        self.window.undo_stack.push(SetBasemapCommand(self.apply, before, settings))
        return True

    def dialog(self) -> BasemapDialog:
        """View › Basemap…: open the (modal) dialog; OK changes the basemap."""
        dialog = BasemapDialog(self.current(), self.window)
        dialog.accepted.connect(lambda: self.change(dialog.chosen()))
        dialog.open()
        return dialog

    def spec(self) -> BasemapSpec:
        """What the PNG/PDF exports need to draw the same basemap."""
        return BasemapSpec(self.current(), saved_api_key(), cache_folder())

    def web_source(self) -> tuple[str, str] | bool:
        """The web map's basemap: the project's source when it needs no key (a key must
        not travel in a shared HTML file), else OpenStreetMap (``True``)."""
        settings = self.current()
        if not settings.enabled:
            return True
        try:
            source = settings.tile_source()
        except BasemapError:
            return True
        return True if source.needs_key else (source.template, source.attribution)

    def _note(self, text: str) -> None:
        self.window.statusBar().showMessage(
            tr("The basemap is not shown: {reason}", reason=text), 10000
        )


__all__ = [
    "BasemapControl",
    "BasemapDialog",
    "SetBasemapCommand",
    "save_api_key",
    "saved_api_key",
]
