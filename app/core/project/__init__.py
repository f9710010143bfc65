"""A project: its GeoPackage store, settings, user layers and roles, scenes, attribution."""
