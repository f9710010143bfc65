"""The offline Leaflet web map: one self-contained HTML file.

:mod:`.page` builds and writes the page (:func:`~.page.export_html`), :mod:`.records`
turns layers into GeoJSON records and computes the site indicators, :mod:`.styles`
turns the style model into Leaflet styles and SVG, :mod:`.legend` writes the legend and
top bar, :mod:`.font` embeds the Korean font subset; ``assets/`` holds the page's
stylesheet and script.
"""
