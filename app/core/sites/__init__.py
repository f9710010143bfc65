"""Candidate sites: the only code that edits the sites layer, and geometry checks."""
