"""Tile basemaps under the layers (Qt-free): Web Mercator tile maths and the warp onto
EPSG:5186 (:mod:`.tiles`), the sources and their URL templates (:mod:`.sources`), the
disk cache (:mod:`.cache`) and the HTTP fetch honouring the servers' policies
(:mod:`.fetch`). The Qt side (background loading, drawing) is
``app/ui/canvas/basemap.py``.
"""
