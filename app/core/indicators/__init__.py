"""Per-site cluster indicators (docs/indicators.md): the engine and its parts."""
