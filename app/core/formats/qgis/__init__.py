"""QGIS styles: QML and SLD written from the style model, and QML read back into it."""
