"""The attribute table: a model over the column arrays, its window, edits and selection."""
