"""File formats: atomic writes, checked vector reading, QGIS styles (QML/SLD)."""
