"""The official-dataset fixtures (tests/data/datasets, written by
tests/data/make_dataset_fixtures.py) and the default project's layers."""

from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[2] / "data" / "datasets"


@pytest.fixture(scope="session")
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture(scope="module")
def project_stack(default_project_path):
    from app.core.project.store import open_project

    return open_project(default_project_path).stack
