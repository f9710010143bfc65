"""InnoAtlas: a desktop GIS for planning innovation-support centres in Seoul."""

__version__ = "0.1.0"
