"""Find a place: the search box over the offline gazetteer."""
