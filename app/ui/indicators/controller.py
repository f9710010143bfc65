"""Keeps the indicators of every site up to date, and previews a site being edited.

The engine (app.core.indicators.engine) indexes the context layers once; it is rebuilt
only when one of them changes. Results follow every site edit, the project radius
and the weights. Large start-up layers are computed in a worker thread, so the UI
never waits; a result that arrives after a newer request is dropped.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import shapely
from PySide6.QtCore import QObject, QTimer, Signal
from shapely.geometry.base import BaseGeometry

from app.core.decisions.robust import ROBUST_COLUMNS, RobustSettings, robustness_columns
from app.core.indicators.engine import IndicatorEngine
from app.core.indicators.preview import OtherSites, SitePreview, preview_site, zoning_shares
from app.core.indicators.score import BASIS, Weights, rank_sites
from app.core.project.coverage import role_coverages
from app.core.project.user_layers import role_layer
from app.core.sites import edits as site_ops
from app.core.zoning.rules import ZoningRules
from app.ui import worker
from app.ui.i18n import tr
from layers.model import WORKING_CRS, LayerStack

CONTEXT = ("startups", "education", "stations", "zoning")
#: Above this many start-ups a full recomputation runs in a worker thread.
WORKER_THRESHOLD = 50_000
#: ... and above this many site vertices too: a 1 000 000-vertex site outline takes about
#: 15 s (its catchment buffer about half of it, the exact distances near its edge a third).
SITE_VERTEX_THRESHOLD = 100_000
#: Above this many draws × sites the Monte Carlo of the ranking runs in a worker thread.
ROBUST_WORKER_THRESHOLD = 500_000


def _frame(stack: LayerStack, role: str, roles: dict[str, str]):
    layer = role_layer(stack, role, roles)
    return None if layer is None else layer.data


class IndicatorsController(QObject):
    """Indicator results for the project's sites.

    Signals
    -------
    resultsChanged()
        ``results`` (one row per site, indexed by ``site_id``, plus ``rank``) changed.
    previewChanged(object)
        The site being drawn or dragged: a
        :class:`~app.core.indicators.preview.SitePreview` (its values with ``name``;
        no rank), a one-row DataFrame on the slow path (walking catchment), or None.
    """

    resultsChanged = Signal()
    previewChanged = Signal(object)
    #: fraction 0–1 of a Monte Carlo of the ranking running in a worker (1: done)
    robustProgress = Signal(float)

    def __init__(self, stack: LayerStack, editing) -> None:
        super().__init__()
        self.stack, self.editing = stack, editing
        self.weights = Weights()
        #: how the Monte Carlo of the ranking draws (the Robustness dialog sets it)
        self.robust_settings = RobustSettings()
        self.rules = ZoningRules.default()
        #: role -> layer name: which layers the engine reads (app.core.project.user_layers)
        self.roles: dict[str, str] = {}
        #: the project's ``settings.extra`` (its coverage records; app.core.project.coverage)
        self.extra: dict = {}
        self.results = pd.DataFrame()
        #: walking distance (app.core.network.catchment.WalkingDistances), None: circles
        self.walking = None
        self._engine: IndicatorEngine | None = None
        self._generation = 0
        self._task = None
        self._preview_key: tuple | None = None
        self._preview_template: tuple = ()
        self._others: tuple = ()  # (site id, sites data, results, OtherSites or None)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.recompute)
        stack.layer_changed.connect(self._on_layer_changed)
        stack.inserted.connect(lambda *_: self.invalidate_engine())
        stack.removed.connect(lambda *_: self.invalidate_engine())

    # -- inputs ---------------------------------------------------------------------------
    def _on_layer_changed(self, layer, what: str) -> None:
        if what != "data":
            return
        if layer.name in self.context_names():
            self.invalidate_engine()
        elif layer.name == "sites":
            self.schedule()

    def context_names(self) -> set[str]:
        """Names of the layers the indicators read now (after the role assignments)."""
        return {
            layer.name
            for role in CONTEXT
            if (layer := role_layer(self.stack, role, self.roles)) is not None
        }

    def set_roles(self, roles: dict[str, str]) -> None:
        """Read the start-ups, education, stations and zoning from these layers."""
        if dict(roles) != self.roles:
            self.roles = dict(roles)
            self.invalidate_engine()

    def invalidate_engine(self) -> None:
        """A context layer changed: rebuild the engine on the next computation."""
        self._engine = None
        self.schedule()

    def set_rules(self, rules: ZoningRules) -> None:
        """Use zoning rules with the project's overrides; recomputes every site."""
        self.rules = rules
        if self._engine is not None:
            self._engine.set_rules(rules)
        self.schedule()

    def set_weights(self, weights: Weights) -> None:
        self.weights = weights
        self.schedule()

    def schedule(self) -> None:
        """Recompute soon (coalesces bursts of changes into one computation)."""
        self._timer.start()

    @property
    def engine(self) -> IndicatorEngine:
        if self._engine is None:
            self._engine = IndicatorEngine(
                *(_frame(self.stack, role, self.roles) for role in CONTEXT),
                rules=self.rules,
                coverage=role_coverages(self.stack, self.roles, self.extra),
                distances=self.walking,
            )
        return self._engine

    # -- computation ------------------------------------------------------------------------
    def set_robust_settings(self, settings: RobustSettings) -> None:
        """Draw the Monte Carlo of the ranking with ``settings``; recomputes."""
        self.robust_settings = settings
        self.schedule()

    def _robust_large(self, n: int) -> bool:
        return self.robust_settings.draws * n > ROBUST_WORKER_THRESHOLD

    def _compute(self, sites, progress=None, robust: bool = True) -> pd.DataFrame:
        frame = self.engine.compute(
            sites, self.editing.radius_m, weights=self.weights, progress=progress
        )
        if self.walking is not None:  # the reach ratio; the catchment in frame.attrs
            from app.core.network.catchment import add_reach_ratio

            frame = add_reach_ratio(frame, sites, self.walking, self.editing.radius_m)
        frame.insert(0, "name", sites["name"].to_numpy())
        basis = frame.attrs.get(BASIS)
        if basis is not None:  # the left-out notes name the sites
            frame.attrs[BASIS] = basis.named(dict(zip(sites.index, sites["name"])))
        frame.index = sites["site_id"].to_numpy()
        if len(frame):
            frame.insert(0, "rank", rank_sites(frame).to_numpy())
        else:
            frame.insert(0, "rank", pd.Series(dtype="int64"))
        if robust and not self._robust_large(len(frame)):
            extra = robustness_columns(frame, self.robust_settings)
            for column in ROBUST_COLUMNS:
                frame[column] = extra[column].to_numpy()
        else:  # a one-site preview has no runner-up; a large run follows in a worker
            for column in ROBUST_COLUMNS:
                frame[column] = np.full(len(frame), np.nan)
        return frame

    def recompute(self) -> None:
        """Compute every site now (in a worker when the data is large)."""
        layer = self.stack.get("sites")
        if layer is None:
            return
        sites = layer.data.copy()
        self._generation += 1
        generation = self._generation
        if len(sites) == 0:  # nothing to compute: do not index the layers at start-up
            self._publish(generation, pd.DataFrame())
            return
        startups = role_layer(self.stack, "startups", self.roles)
        large = (startups is not None and len(startups.data) > WORKER_THRESHOLD) or int(
            shapely.get_num_coordinates(np.asarray(sites.geometry.values, dtype=object)).sum()
        ) > SITE_VERTEX_THRESHOLD
        if not large:
            self._publish(generation, self._compute(sites))
            return
        _ = self.engine  # build the index here: the worker then only queries it
        task = worker.Task(lambda progress: self._compute(sites, progress))
        task.on(finished=lambda result, g=generation: self._publish(g, result))
        self._task = worker.start(task)

    def _publish(self, generation: int, frame: pd.DataFrame) -> None:
        if generation != self._generation:
            return  # a newer request is on its way
        self.results = frame
        self.resultsChanged.emit()
        if len(frame) >= 2 and self._robust_large(len(frame)):
            self._start_robust(generation, frame)

    def _start_robust(self, generation: int, frame: pd.DataFrame) -> None:
        """The Monte Carlo of a large ranking in a worker, with progress."""
        settings = self.robust_settings
        task = worker.Task(lambda progress: robustness_columns(frame, settings, progress))

        def done(extra, g=generation) -> None:
            self.robustProgress.emit(1.0)
            if g != self._generation or self.results is not frame:
                return
            for column in ROBUST_COLUMNS:
                frame[column] = extra[column].to_numpy()
            self.resultsChanged.emit()

        task.on(
            progress=lambda fraction, _message="": self.robustProgress.emit(float(fraction)),
            finished=done,
            failed=lambda *_: self.robustProgress.emit(1.0),
            cancelled=lambda: self.robustProgress.emit(1.0),
        )
        self.robustProgress.emit(0.0)
        worker.start(task)

    def wait(self, timeout_ms: int = 10_000) -> None:
        """Block until pending work is done (tests and exports)."""
        if self._timer.isActive():
            self._timer.stop()
            self.recompute()
        worker.wait_all(timeout_ms)
        from PySide6.QtWidgets import QApplication

        QApplication.processEvents()

    def preview(
        self, site_id: str | None, geometry: BaseGeometry | None
    ) -> SitePreview | pd.DataFrame | None:
        """Indicators of one site as it is being drawn or dragged (not stored).

        The fast path (:func:`app.core.indicators.preview.preview_site`) gives the site's
        values, score basis and breakdown as scalars, without a table, rank or
        robustness (they follow when the site is dropped), scored with the other sites
        of the ranking as the site will be once dropped. With a walking catchment
        (the reach ratio) or a sites layer outside EPSG:5186 the one-row table is
        computed as the full engine does (a DataFrame).
        """
        if geometry is None:
            self.previewChanged.emit(None)
            return None
        sites, name, own, lot, fast = self._preview_row(site_id)
        result: SitePreview | pd.DataFrame
        if fast and self.walking is None:
            result = preview_site(
                self.engine,
                geometry,
                self.editing.radius_m,
                own_radius=own,
                lot_area=lot,
                weights=self.weights,
                name=name,
                others=self._other_sites(site_id),
            )
            result = replace(result, values={"name": name, **result.values})
        else:
            sites = sites.copy()
            sites.geometry.values[0] = geometry  # the row is a copy: only its shape changes
            result = self._compute(sites, robust=False)
        self.previewChanged.emit(result)
        return result

    def _other_sites(self, site_id: str | None) -> OtherSites | None:
        """The other sites of the ranking from the stored results (made once per site,
        sites' data and results), so that the preview is scored as the site will be
        once dropped; None when the results do not match the sites (being computed)."""
        data, results = self.stack.get("sites").data, self.results
        cached = self._others
        if cached and cached[0] == site_id and cached[1] is data and cached[2] is results:
            return cached[3]
        others = None
        ids = data["site_id"].to_numpy(dtype=object)
        if len(results) == len(ids) and "name" in results and (results.index == ids).all():
            keep = ids != site_id
            position = len(ids) if site_id is None or keep.all() else int(np.argmin(keep))
            rest = results[keep]
            others = OtherSites.from_table(
                rest,
                position,
                zoning_shares(self.engine, np.asarray(data.geometry.values, dtype=object)[keep]),
                labels=rest["name"].tolist(),
            )
        self._others = (site_id, data, results, others)
        return others

    def _preview_row(self, site_id: str | None) -> tuple:
        """The one-row sites table of a preview (the site's record without its shape, in
        the schema's columns and types), its name, own radius and lot area, and whether
        the fast path applies (the layer in EPSG:5186); made once per site and sites'
        data: a drag previews dozens of shapes a second."""
        layer = self.stack.get("sites")
        key = (site_id, id(layer.data), tr("(sketch)"))
        if self._preview_key != key:
            name, radius, lot = tr("(sketch)"), np.nan, np.nan
            if site_id is not None:
                try:
                    record = site_ops.record_of(layer, site_id)
                    name, radius = record["name"], record["radius_m"]
                    lot = record.get("lot_area_m2", np.nan)
                except KeyError:
                    pass
            template = site_ops.normalise_sites(
                layer.data.iloc[:0].__class__(
                    {
                        "site_id": [site_id or "preview"],
                        "name": [name],
                        "radius_m": [radius],
                        "lot_area_m2": [lot],
                    },
                    geometry=[shapely.Point(0, 0)],
                    crs=layer.data.crs,
                )
            )
            crs = layer.data.crs
            self._preview_template = (
                template,
                str(template["name"].iloc[0]),
                float(template["radius_m"].iloc[0]),
                float(template["lot_area_m2"].iloc[0]),
                crs is None or crs.equals(WORKING_CRS),
            )
            self._preview_key = key
        return self._preview_template

    def row(self, site_id: str | None) -> pd.Series | None:
        """The stored result of one site."""
        if site_id is None or site_id not in self.results.index:
            return None
        return self.results.loc[site_id]
