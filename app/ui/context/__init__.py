"""Right-click menus on layers, sites and the map."""
