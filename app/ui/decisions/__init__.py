"""Decisions in the app: the Robustness of the ranking dialog, the pairwise (AHP) weights
dialog and their Analysis menu entries (over the Qt-free :mod:`app.core.decisions`)."""
