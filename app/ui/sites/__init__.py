"""Site tools (sketch, edit), their undo commands, the Sites panel and overlay."""
