"""Map exports (PNG/PDF) and their dialog."""
