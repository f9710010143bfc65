"""The main window and its parts: the window itself (composition root), its menus and
map toolbar, the Sites toolbar, the status bar widgets, the exports and the About box."""
