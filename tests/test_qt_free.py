"""`layers` and `app.core` must never import Qt (docs/architecture.md rule 1)."""

import subprocess
import sys
from pathlib import Path

import pytest

MODULES = [
    "app.cli.common",
    "app.core.indicators.records",
    "app.core.formats.atomic_write",
    "layers",
    "layers.model",
    "layers.style",
    "layers.provenance",
    "layers.themes.registry",
    "app.core.project.loader",
    "app.core.map.viewport",
    "app.core.map.identify",
    "app.core.geodesy",
    "layers.themes.synthetic",
    "app.cli.main",
    "app.cli.indicators",
    "app.cli.suggest",
    "app.core.analysis.suggest",
    "app.core.indicators.engine",
    "app.core.indicators.catchment",
    "app.core.indicators.sector_mix",
    "app.core.indicators.site_zoning",
    "app.core.zoning.rules",
    "app.core.zoning.names",
    "app.core.indicators.score",
    "app.core.decisions.robust",
    "app.core.decisions.swap",
    "app.core.decisions.ahp",
    "app.core.decisions.dossier",
    "app.core.analysis.point_patterns",
    "app.core.formats.vector.read",
    "app.core.indicators.point_grid",
    "app.core.project.store",
    "app.core.project.temporaries",
    "app.core.sites.edits",
    "app.core.sites.geometry",
    "app.core.map.snapping",
    "layers.themes.sites",
    "app.core.formats.qgis.qml_write",
    "app.core.formats.qgis.sld_write",
    "app.core.formats.qgis.qml_graduated",
    "app.core.export.geopackage",
    "app.cli.export_gpkg",
    "layers.style_io",
    "app.core.formats.qgis.qml_read",
    "app.core.project.scenes",
    "app.core.i18n_catalog",
    "app.core.project.attribution",
    "app.core.export.webmap.page",
    "app.core.export.webmap.font",
    "app.cli.export_html",
    "app.core.project.roles",
    "app.core.project.user_layers",
    "app.core.project.layer_import",
    "app.cli.render",
]

ROOT = Path(__file__).resolve().parents[1]
# Every module of app/core and layers, also the ones added after this list was written.
MODULES += sorted(
    {
        ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for package in ("app/core", "layers")
        for path in (ROOT / package).rglob("*.py")
        if path.stem != "__init__"
    }
    - set(MODULES)
)


@pytest.mark.parametrize("module", MODULES)
def test_module_does_not_load_pyside6(module):
    code = (
        f"import sys, importlib; importlib.import_module({module!r}); "
        "loaded = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))]; "
        "print(','.join(loaded)); sys.exit(1 if loaded else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, f"{module} loaded {result.stdout.strip()} {result.stderr}"
