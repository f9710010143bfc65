"""The default project's thematic layers: schema, default style and provenance of each."""
