"""Layers the user adds to a project (File → Add layer…), and the roles layers play.

A project always holds the default thematic layers (layers/themes/registry.py); imported
layers come on top of them. Each imported layer is saved as its own table in the
project GeoPackage and listed in ``ProjectSettings.extra["user_layers"]`` with its
title, geometry kind, style and role, so that opening the project brings it back
exactly (its provenance goes to the ``innoatlas_provenance`` table like every layer's).

A **role** says which layer the indicators read for start-ups, education, stations or
zoning: ``extra["roles"] = {"zoning": "real_zoning"}`` makes the engine use the
imported layer ``real_zoning`` instead of the illustrative ``zoning`` layer. A role
that names no layer of the project falls back to the default layer of that name.

Qt-free.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import geopandas as gpd

from app.core.i18n_catalog import translate_stored
from layers.model import GEOMETRY_KINDS, GeometryKind, Layer, LayerSpec, LayerStack
from layers.provenance import DataStatus, Provenance
from layers.style import Category, LabelStyle, LayerStyle, Symbol
from layers.themes.registry import SPECS_BY_NAME
from layers.themes.sites import SITE_TABLES

ROLES_KEY = "roles"
USER_LAYERS_KEY = "user_layers"
#: The roles a layer can play; each is also the name of the default layer that plays it.
ROLE_NAMES = ("startups", "education", "stations", "zoning")

#: Colours for imported layers, in turn (readable on the light map background).
PALETTE = (
    "#1f78b4",
    "#33a02c",
    "#e31a1c",
    "#ff7f00",
    "#6a3d9a",
    "#b15928",
    "#a6761d",
    "#1b9e77",
    "#d95f02",
    "#7570b3",
)
#: Table names a user layer cannot take (GeoPackage, QGIS and InnoAtlas tables).
_RESERVED = {"sites", *SITE_TABLES, "layer_styles", "sqlite_sequence"} | set(SPECS_BY_NAME)

_KIND_BY_TYPE: dict[str, GeometryKind] = {
    "Point": "point",
    "MultiPoint": "point",
    "LineString": "line",
    "MultiLineString": "line",
    "LinearRing": "line",
    "Polygon": "polygon",
    "MultiPolygon": "polygon",
}


def is_user_layer(layer: Layer) -> bool:
    """True for a layer the user added (not a default layer, not the sites)."""
    return is_user_name(layer.name)


def is_user_name(name: str) -> bool:
    """True for the table name of a layer the user added (not a default layer, not the sites)."""
    return name not in _RESERVED


def geometry_kind_of(frame: gpd.GeoDataFrame) -> GeometryKind:
    """``"point"``, ``"line"``, ``"polygon"`` or ``"mixed"`` for the frame's geometries."""
    types = {str(t) for t in frame.geom_type.dropna().unique()}
    kinds = {_KIND_BY_TYPE.get(t, "mixed") for t in types}
    return kinds.pop() if len(kinds) == 1 else "mixed"


def table_name(title: str, taken: set[str] | list[str]) -> str:
    """A GeoPackage table name for a new layer: ASCII, lower case, unique in ``taken``.

    Examples
    --------
    >>> table_name("Real zoning 2024.shp", {"zoning"})
    'real_zoning_2024'
    >>> table_name("용도지역", set())
    'layer_1'
    """
    taken = {name.lower() for name in taken} | _RESERVED
    stem = re.sub(r"[^a-z0-9]+", "_", Path(title).stem.lower()).strip("_")
    if not stem or not stem[0].isalpha() or stem.startswith(("gpkg", "rtree", "innoatlas")):
        stem = f"layer_{stem}" if stem and stem[0].isdigit() else "layer"
    stem = stem[:40]
    if stem not in taken and stem != "layer":
        return stem
    number = 1
    while f"{stem}_{number}" in taken:
        number += 1
    return f"{stem}_{number}"


def default_style(kind: str, index: int) -> LayerStyle:
    """A single-symbol style for the ``index``-th imported layer of geometry ``kind``."""
    colour = PALETTE[index % len(PALETTE)]
    if kind == "point":
        symbol = Symbol(fill=colour, stroke="#ffffff", stroke_width=0.8, size=7)
    elif kind == "line":
        symbol = Symbol(fill=None, stroke=colour, stroke_width=1.6)
    else:
        symbol = Symbol(fill=colour, fill_alpha=0.25, stroke=colour, stroke_width=1.2)
    return LayerStyle(symbol=symbol)


#: Point layers with at most this many features get name labels by default.
LABEL_LIMIT = 60
#: Most categories an imported layer's own values get (the rest draw as "other").
MAX_CATEGORIES = 12


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", str(text)).casefold()


def category_aliases(categories) -> dict[str, Category]:
    """Every name a default category goes by, normalised (case and spaces ignored): its
    value, its legend label (e.g. "바이오·헬스 Bio/Health"), the label's Korean and English
    halves, and their parts ("바이오", "헬스", "Bio", "Health"). The first category
    claiming a name keeps it."""
    aliases: dict[str, Category] = {}
    for category in categories:
        names = [str(category.value), category.label, *category.label.split(" ", 1)]
        names += [part for name in names for part in re.split(r"[·/,]", name)]
        for name in names:
            if len(_norm(name)) >= 2:
                aliases.setdefault(_norm(name), category)
    return aliases


def _own_categories(style: LayerStyle, frame: gpd.GeoDataFrame) -> LayerStyle:
    """The role's categorized style, with categories for the layer's own values when the
    default categories do not fit them (e.g. sectors 소프트웨어, 바이오 … instead of
    ICT/SW, Bio/Health): the most frequent values. A value that names a default category
    in Korean or English ("바이오", "Bio/Health", "ICT·소프트웨어") keeps that category's
    colour, so the same sector looks the same in every layer; the others take the
    palette's colours not used by those."""
    if style.kind != "categorized" or style.field not in frame.columns:
        return style
    values = frame[style.field].dropna().astype(str)
    known = {str(c.value) for c in style.categories}
    if len(values) == 0 or values.isin(known).mean() >= 0.5:
        return style
    common = sorted(values.value_counts().index[:MAX_CATEGORIES])
    aliases = category_aliases(style.categories)
    matched = {value: aliases.get(_norm(value)) for value in common}
    taken = {c.symbol.fill for c in matched.values() if c is not None}
    free = iter([colour for colour in PALETTE if colour not in taken] + list(PALETTE))
    base = style.categories[0].symbol
    rows = tuple(
        Category(value, value, replace(base, fill=default.symbol.fill))
        if default is not None
        else Category(value, value, replace(base, fill=next(free)))
        for value, default in matched.items()
    )
    return replace(style, categories=rows)


def role_style(
    role: str | None, kind: str, index: int, frame: gpd.GeoDataFrame | None = None
) -> LayerStyle:
    """The style of a layer playing ``role``: the default layer's style (start-up sectors,
    zone colours ...) so that a real layer reads like the one it replaces; categories of
    its own when its values are not the default ones."""
    spec = SPECS_BY_NAME.get(role or "")
    if spec is None or kind not in (spec.geometry_kind, "mixed"):
        style = default_style(kind, index)
    else:
        style = spec.style if frame is None else _own_categories(spec.style, frame)
    if (
        frame is not None
        and style.label is None
        and "name" in frame.columns
        and kind == "point"
        and role != "startups"
        and len(frame) <= LABEL_LIMIT
    ):
        style = replace(style, label=LabelStyle(field="name", size_pt=8, max_resolution=8.0))
    return style


#: The fixed phrases of an imported layer's provenance and description. They are stored
#: in English (projects and GeoPackage exports read the same on every machine) and
#: translated where they are shown, with :func:`display_text`.
SOURCE_PATTERN = "imported by the user from {file}"
ATTRIBUTION_PATTERN = "{name} (imported)"
DESCRIPTION_PATTERN = "Imported from {file}"
USER_LICENCE = "as stated by the file's publisher (not checked by InnoAtlas)"
STORED_PATTERNS = (SOURCE_PATTERN, ATTRIBUTION_PATTERN, DESCRIPTION_PATTERN)


def display_text(text: str, language: str) -> str:
    """A stored provenance or description text in ``language``.

    Examples
    --------
    >>> display_text("startups (imported)", "ko")
    'startups (가져옴)'
    """
    return translate_stored(text, language, STORED_PATTERNS)


def user_provenance(
    path: Path | str, notes: list[str] | None = None, status: DataStatus = DataStatus.USER
) -> Provenance:
    """Provenance of an imported file: where it came from and what the import noted."""
    path = Path(path)
    return Provenance(
        status=status,
        source=SOURCE_PATTERN.format(file=path.name),
        licence=USER_LICENCE,
        vintage="",
        attribution=ATTRIBUTION_PATTERN.format(name=path.stem),
        notes="; ".join(notes or []),
    )


def make_user_layer(
    frame: gpd.GeoDataFrame,
    name: str,
    title: str,
    provenance: Provenance,
    style: LayerStyle | None = None,
    role: str | None = None,
    index: int = 0,
) -> Layer:
    """A :class:`Layer` for imported features (already in EPSG:5186).

    Parameters
    ----------
    frame : GeoDataFrame
        The features, in EPSG:5186.
    name : str
        Table name (see :func:`table_name`).
    title : str
        Display name (both languages).
    provenance : Provenance
        Where the data comes from.
    style : LayerStyle, optional
        The style (e.g. read from the file's ``layer_styles``); default: the role's
        style or the next palette colour.
    role : str, optional
        The role the layer plays (for its default style).
    index : int
        Position of the layer among the imported ones (picks the palette colour).
    """
    kind = geometry_kind_of(frame)
    style = style or role_style(role, kind, index, frame)
    description = DESCRIPTION_PATTERN.format(file=provenance.source.rsplit(" ", 1)[-1])
    return Layer(
        name=name,
        data=frame.reset_index(drop=True),
        style=style,
        provenance=provenance,
        title_ko=title,
        title_en=title,
        geometry_kind=kind,
        description=description,
    )


# -- project settings ---------------------------------------------------------------------
def roles_of(extra: dict[str, Any]) -> dict[str, str]:
    """The saved role assignments ``{role: layer name}`` (only known roles, only strings)."""
    saved = extra.get(ROLES_KEY)
    if not isinstance(saved, dict):
        return {}
    return {
        role: name
        for role, name in saved.items()
        if role in ROLE_NAMES and isinstance(name, str) and name
    }


def role_layer(stack: LayerStack, role: str, roles: dict[str, str]) -> Layer | None:
    """The layer that plays ``role``: the assigned one if it exists, else the default layer."""
    assigned = roles.get(role)
    layer = stack.get(assigned) if assigned else None
    return layer if layer is not None else stack.get(role)


def user_layer_records(stack: LayerStack, style_to_dict) -> list[dict[str, Any]]:
    """``extra["user_layers"]``: one record per imported layer, top first."""
    return [
        {
            "name": layer.name,
            "title_en": layer.title_en,
            "title_ko": layer.title_ko,
            "geometry_kind": layer.geometry_kind,
            "description": layer.description,
            "style": style_to_dict(layer.style),
        }
        for layer in stack
        if is_user_layer(layer)
    ]


def user_layer_specs(extra: dict[str, Any], style_from_dict) -> tuple[list[LayerSpec], list[str]]:
    """Layer specs of the imported layers saved with a project, and notes on damaged ones."""
    records = extra.get(USER_LAYERS_KEY)
    specs: list[LayerSpec] = []
    notes: list[str] = []
    if not isinstance(records, list):
        return specs, notes
    for record in records:
        try:
            name = str(record["name"])
            kind = str(record.get("geometry_kind") or "mixed")
            style = (
                style_from_dict(record["style"])
                if record.get("style")
                else default_style(kind, len(specs))
            )
        except (TypeError, KeyError, ValueError, AttributeError) as err:
            notes.append(f"an imported layer's settings are damaged ({err}); it was skipped")
            continue
        if name in _RESERVED or kind not in GEOMETRY_KINDS:
            notes.append(f"imported layer '{name}' has unusable settings; it was skipped")
            continue
        specs.append(
            LayerSpec(
                name=name,
                title_ko=str(record.get("title_ko") or name),
                title_en=str(record.get("title_en") or name),
                geometry_kind=kind,
                columns={},
                style=style,
                provenance=user_provenance(name),
                description=str(record.get("description") or ""),
            )
        )
    return specs, notes
