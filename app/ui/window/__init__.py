"""The main window: the composition root wiring canvas, panels, actions and status bar."""
