"""Qt painting of the map: layers, labels and map decorations (canvas and export)."""
