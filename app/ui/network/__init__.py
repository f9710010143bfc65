"""Walking networks in the app: the project's catchment choice, isochrones on the canvas
(live while a site is dragged) and the reach ratio on the card (docs/indicators.md)."""
