"""Measure distances and areas on the map (tool and panel)."""
