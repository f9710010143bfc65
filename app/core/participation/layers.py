"""Participants' pins and proposals as ordinary layers, for the exports.

The web map, the PNG/PDF map (its legend), the styled GeoPackage and the Shapefile/
GeoJSON exports take a :class:`~layers.model.LayerStack`; :func:`display_layers` gives
two more layers for it, holding only what the facilitator did not hide, with a
categorized style (good spot, problem, idea) and the ``user`` provenance "workshop
participants, unverified". Their text goes through the exporters' own escaping like any
attribute text: it is data, never markup.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import shapely

from app.core.i18n_catalog import translate
from app.core.participation.results import Results
from layers.model import Layer
from layers.provenance import DataStatus, Provenance
from layers.style import Category, LabelStyle, LayerStyle, Symbol

PINS_LAYER = "participants_pins"
PROPOSALS_LAYER = "participants_proposals"
CATEGORY_STYLE = {"good": "#2e8b57", "problem": "#d35400", "idea": "#8e44ad"}
CATEGORY_TEXT = {"good": "Good spot", "problem": "Problem", "idea": "Idea"}


def _provenance(time: str) -> Provenance:
    return Provenance(
        DataStatus.USER,
        "Workshop participants (InnoAtlas participation)",
        "participants' own words, unverified",
        time[:10],
        "",
        "anonymous participant ids; moderated by the facilitator",
    )


def display_layers(results: Results, language: str) -> list[Layer]:
    """The visible pins and proposals as layers (none when there are none)."""
    layers = []
    pins = results.of_kind("pin")
    if pins:
        frame = gpd.GeoDataFrame(
            pd.DataFrame(
                {
                    "category": [p.category for p in pins],
                    "text": [p.text for p in pins],
                    "nickname": [p.nickname for p in pins],
                    "time": [p.time for p in pins],
                }
            ),
            geometry=shapely.points([p.x for p in pins], [p.y for p in pins]),
            crs="EPSG:5186",
        )
        style = LayerStyle(
            kind="categorized",
            field="category",
            symbol=Symbol(fill="#555555", stroke="#ffffff", size=9),
            categories=tuple(
                Category(
                    value,
                    translate(CATEGORY_TEXT[value], language),
                    Symbol(fill=colour, stroke="#ffffff", size=9),
                )
                for value, colour in CATEGORY_STYLE.items()
            ),
            label=LabelStyle(field="text", size_pt=8.0, max_resolution=5.0),
        )
        layers.append(
            Layer(
                PINS_LAYER,
                frame,
                style,
                _provenance(pins[-1].time),
                title_ko="참가자 핀",
                title_en="Participants' pins",
                geometry_kind="point",
                description="Pins dropped by workshop participants",
            )
        )
    proposals = results.of_kind("propose")
    if proposals:
        frame = gpd.GeoDataFrame(
            pd.DataFrame(
                {
                    "text": [p.text for p in proposals],
                    "nickname": [p.nickname for p in proposals],
                    "time": [p.time for p in proposals],
                }
            ),
            geometry=shapely.points([p.x for p in proposals], [p.y for p in proposals]),
            crs="EPSG:5186",
        )
        layers.append(
            Layer(
                PROPOSALS_LAYER,
                frame,
                LayerStyle(
                    symbol=Symbol(
                        fill=None, stroke="#1f4e79", stroke_width=3, marker="square", size=10
                    ),
                    label=LabelStyle(field="text", size_pt=8.0, max_resolution=5.0),
                ),
                _provenance(proposals[-1].time),
                title_ko="참가자 제안 후보지",
                title_en="Participants' proposed sites",
                geometry_kind="point",
                description="Sites proposed by workshop participants",
            )
        )
    return layers


__all__ = ["PINS_LAYER", "PROPOSALS_LAYER", "display_layers"]
