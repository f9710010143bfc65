"""Scenes: the Qt adapter of the project's scenes and the Scenes panel."""
