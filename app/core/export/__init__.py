"""Exports of a whole project: the styled GeoPackage and the offline web map."""
