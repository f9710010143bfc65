"""Listing a file's layers for Add layer: thousands of layers, system tables, limits."""

from __future__ import annotations

import time

import pyogrio
import pytest

from app.core.formats.vector import InputError, ReadOptions, inspect_vector, read_vector
from tests.hostile_gpkg import gpkg_with_system_tables, many_layers_gpkg


@pytest.fixture(scope="module")
def many(tmp_path_factory):
    started = time.perf_counter()
    path = many_layers_gpkg(tmp_path_factory.mktemp("many") / "many.gpkg", 1500)
    print(f"1 500-layer GeoPackage built in {time.perf_counter() - started:.2f} s")
    return path


@pytest.fixture
def read_info_calls(monkeypatch):
    """Every layer GDAL is asked to describe; more than 5 is a per-layer inspection."""
    calls: list[str | None] = []
    real = pyogrio.read_info

    def spy(source, layer=None, **kwargs):
        calls.append(layer)
        if len(calls) > 5:
            raise AssertionError("every layer is inspected, not only the chosen one")
        return real(source, layer=layer, **kwargs)

    monkeypatch.setattr(pyogrio, "read_info", spy)
    return calls


def test_1500_layers_are_listed_and_only_the_chosen_one_is_inspected(many, read_info_calls):
    info = inspect_vector(many)
    assert len(info.layers) == 1500 and info.layer == "layer_0000"
    assert read_info_calls == ["layer_0000"]
    from app.core.formats.vector import list_layers

    layers = list_layers(many)
    assert [info.name for info in layers[:2]] == ["layer_0000", "layer_0001"]
    assert len(layers) == 1500 and {info.geometry_type for info in layers} == {"Point"}
    assert {info.features for info in layers} == {1}  # counted where GDAL keeps the count
    assert read_info_calls == ["layer_0000"]  # listing inspects no layer
    chosen = inspect_vector(many, ReadOptions(layer="layer_1499"))
    assert chosen.layer == "layer_1499" and chosen.columns == ["name"]
    assert chosen.crs == "EPSG:5186"
    assert read_info_calls == ["layer_0000", "layer_1499"]


def test_inspection_reports_progress_and_can_be_cancelled(many):
    from app.core.progress import Cancelled

    steps: list[str] = []
    inspect_vector(many, progress=lambda fraction, message: steps.append(message))
    assert steps[0] == "listing the layers of many.gpkg" and "reading layer_0000" in steps

    def cancel(fraction, message):
        raise Cancelled("inspection cancelled")

    with pytest.raises(Cancelled):
        inspect_vector(many, progress=cancel)


def test_layer_styles_and_other_system_tables_are_never_offered(tmp_path):
    path = gpkg_with_system_tables(tmp_path / "with_styles.gpkg")
    assert {"layer_styles", "innoatlas_project"} < {name for name, _ in pyogrio.list_layers(path)}
    assert [info.name for info in inspect_vector(path).layers] == ["centres"]
    from app.core.formats.vector import list_layers

    assert [info.name for info in list_layers(path)] == ["centres"]
    layer = read_vector(path)
    assert layer.layer == "centres" and layer.frame["name"].tolist() == ["센터"]
    with pytest.raises(InputError, match="has no layer 'layer_styles'"):
        read_vector(path, options=ReadOptions(layer="layer_styles"))


def test_the_limits_are_the_documented_ones():
    """docs/inputs.md states these numbers: keep them in step."""
    from pathlib import Path

    from app.core.formats.vector import limits
    from app.core.formats.vector.limits import (
        SIDECAR_LIMITS,
        ZIP_MAX_RATIO,
        size_text,
        unsafe_member,
    )

    page = (Path(__file__).parents[3] / "docs" / "inputs.md").read_text(encoding="utf-8")
    for size in (
        *SIDECAR_LIMITS.values(),
        limits.ZIP_MAX_TOTAL_BYTES,
        limits.ZIP_RATIO_FLOOR_BYTES,
    ):
        assert size_text(size).replace(".0 ", " ") in page
    assert f"{ZIP_MAX_RATIO}:1" in page and f"{limits.ZIP_MAX_MEMBERS:,}".replace(",", " ") in page
    assert [unsafe_member(n) for n in ("a/b.shp", "../b.shp", "a/../../b", "/etc/x", "C:x")] == [
        False,
        True,
        True,
        True,
        True,
    ]
