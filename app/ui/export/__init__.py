"""Map exports (PNG/PDF) and their dialog.

map_export (render_map, render_scenes), layout (page composition), png and pdf (the
writers), output (path checks, atomic write), map_dialog (File → Export map…).
"""
