"""The offline Leaflet web map: one self-contained HTML file."""
