"""Project files: new, open, save, recent files, autosave and recovery."""
