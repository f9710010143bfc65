"""The coverage-area part of the Add layer dialog: a layer given a role gets a coverage
area (:mod:`app.ui.layers.coverage_editor`); the dialog reads the features in a worker
to find its default, the districts (or dongs) they fall in, and pre-selects it; the
user may choose another. A mixin of :class:`~app.ui.layers.add_layer_dialog.ImportLayerDialog`.
"""

from __future__ import annotations

from app.core.project.coverage import Coverage
from app.ui import worker
from app.ui.layers.add_layer_network import WALKING_ROLE
from app.ui.layers.add_layer_tasks import locate_features


class CoverageSection:
    """The dialog's coverage editor, driven by the role box and the read options."""

    # Uses the dialog's role_box, coverage_group, coverage_editor, locate_task, info,
    # ready, path, options() and located signal.

    # -- coverage -------------------------------------------------------------------------
    def _update_coverage(self) -> None:
        """Show the coverage editor for a role; find the default where the features fall."""
        role = self.role_box.currentData()
        role = None if role == WALKING_ROLE else role  # a network has no coverage area
        if self.dataset_panel.active:  # the dataset's coverage: its districts or polygons
            self.coverage_group.setVisible(False)
            return
        self.coverage_group.setVisible(role is not None)
        self.coverage_editor.set_polygons_allowed(role == "zoning")
        if role is None or not self.ready:
            return
        options = self.options()
        key = (options, self.info.crs)
        if key == self._located:
            return
        if self.locate_task is not None:
            self.locate_task.cancel()
            self.locate_task = None
        self._located = key
        if self._read_problem or (self.info.crs is None and options.assumed_crs is None):
            self.coverage_editor.set_default(None)  # not readable yet: found when read
            return
        editor = self.coverage_editor
        task = worker.Task(locate_features, self.path, options, editor.districts, editor.dongs)
        task.on(
            finished=lambda coverage: self._on_located(task, coverage),
            failed=lambda _message, _details: self._on_located(task, None),
        )
        self.locate_task = task
        editor.set_default(None, pending=True)
        worker.start(task)

    def _on_located(self, task: worker.Task, coverage: Coverage | None) -> None:
        if task is not self.locate_task:
            return  # dropped: other read options were chosen, or the dialog closed
        self.locate_task = None
        editor = self.coverage_editor
        editor.set_default(coverage)
        if coverage is not None and not editor.touched:
            editor.set_coverage(coverage)
        self.located.emit()

    def coverage_choice(self) -> Coverage | None:
        """The coverage chosen for the role; None for the default (where the features
        fall, found from the features read) or without a role."""
        editor = self.coverage_editor
        if self.role_box.currentData() is None or editor.is_default():
            return None
        if editor.default is None and not editor.touched:
            return None
        return editor.coverage()
