"""The map canvas and its renderers (canvas/render)."""
