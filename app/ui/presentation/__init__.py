"""Presentation mode for a workshop projector: the controller (entering, leaving, keys),
the scene navigator, the overlay painted over the map, the on-map control bar, and the
:class:`~app.ui.presentation.host.PresentationHost` protocol of what it uses of the window."""
