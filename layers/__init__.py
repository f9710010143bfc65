"""Thematic layers: schemas, default styles, provenance, and the Qt-free layer models."""
