"""The Analysis menu: density and hot-spot layers, Suggest sites, zoning rules."""
