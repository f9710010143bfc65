"""Walking networks: lines read as a street graph, shortest walks, catchments, isochrones.

``topology`` builds the graph once (nodes at shared endpoints, lines split where they cross
at grade but not at bridges, tunnels or overpasses), ``join`` attaches features to the
nearest point of the nearest edge, ``paths`` runs ``scipy.sparse.csgraph.dijkstra`` from
virtual nodes, ``catchment`` plugs walking distance into the indicator engine,
``isochrone`` draws the reached streets as polygons, ``read`` reads any line layer or the
Seoul pedestrian network CSV (OA-21208), ``cache`` keeps a built graph. Qt-free.
"""
