"""The layer panel, layer properties, Add layer (dialog and import) and layer undo commands."""
