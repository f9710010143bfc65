"""The thematic layers of the default project, top of the layer panel first."""

from layers.model import LayerSpec
from layers.themes import context, districts, education, startups, stations, zoning

#: Panel order (index 0 on top, drawn last).
DEFAULT_SPECS: tuple[LayerSpec, ...] = (
    startups.SPEC,
    stations.SPEC,
    education.SPEC,
    districts.SPEC,
    zoning.SPEC,
    context.DONG,
    context.GU,
)

SPECS_BY_NAME = {spec.name: spec for spec in DEFAULT_SPECS}
