"""Named scenarios in the window: combos, menu, undo commands and the Compare view."""
