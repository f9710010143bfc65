"""Presentation mode for a workshop projector."""
