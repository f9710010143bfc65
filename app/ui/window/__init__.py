"""The main window (composition root) and its list of actions."""
