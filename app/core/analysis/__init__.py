"""Map-level analysis: point patterns, analysis layers and site suggestion."""
