"""The map view's Qt-free engine: viewport transform, identify, snapping."""
