"""Where the repository's data and resources live."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = ROOT / "data"
RESOURCES_DIR = ROOT / "resources"
DEFAULT_PROJECT = DATA_DIR / "innoatlas_default.gpkg"
FONTS_DIR = RESOURCES_DIR / "fonts"
DOCS_DIR = ROOT / "docs"
