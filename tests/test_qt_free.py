"""`layers` and `app.core` must never import Qt (ARCHITECTURE.md rule 1)."""
import subprocess
import sys
from pathlib import Path

import pytest

MODULES = ["app.cli_common", "app.core.indicator_json", "app.core.atomic_write",
           "layers", "layers.model", "layers.style", "layers.provenance", "layers.registry",
           "app.core.project_loader", "app.core.viewport", "app.core.identify",
           "app.core.geodesy", "app.core.synthetic", "app.cli",
           "app.cli_indicators", "app.cli_suggest", "app.core.suggest",
           "app.core.indicators", "app.core.catchment",
           "app.core.sector_mix", "app.core.site_zoning", "app.core.zoning_rules",
           "app.core.zone_names", "app.core.score", "app.core.point_patterns",
           "app.core.vector_input", "app.core.point_grid", "app.core.project_io",
           "app.core.sites", "app.core.site_geometry", "app.core.snapping", "layers.sites",
           "app.core.qgis_style", "app.core.gpkg_export", "app.cli_export_gpkg",
           "layers.style_io", "app.core.qml_import", "app.core.scenes",
           "app.core.i18n_catalog", "app.core.attribution", "app.core.html_export", "app.core.html_font",
           "app.cli_export_html", "app.core.layer_roles", "app.core.user_layers",
           "app.core.layer_import", "app.cli_render"]

ROOT = Path(__file__).resolve().parents[1]
# Every module of app/core and layers, also the ones added after this list was written.
MODULES += sorted({f"{package.replace('/', '.')}.{path.stem}"
                   for package in ("app/core", "layers")
                   for path in (ROOT / package).glob("*.py") if path.stem != "__init__"}
                  - set(MODULES))


@pytest.mark.parametrize("module", MODULES)
def test_module_does_not_load_pyside6(module):
    code = (f"import sys, importlib; importlib.import_module({module!r}); "
            "loaded = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))]; "
            "print(','.join(loaded)); sys.exit(1 if loaded else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, f"{module} loaded {result.stdout.strip()} {result.stderr}"
