"""Shared fixtures: Qt runs offscreen; the default project is read once per session."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from app.core.paths import DEFAULT_PROJECT


@pytest.fixture(scope="session")
def default_project_path():
    assert DEFAULT_PROJECT.exists(), "data/innoatlas_default.gpkg is missing"
    return DEFAULT_PROJECT
