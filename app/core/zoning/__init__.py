"""Zoning rules (BCR, FAR, permitted uses, overlays) and Korean zone names (docs/zoning.md)."""
