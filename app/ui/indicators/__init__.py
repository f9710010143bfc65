"""The indicators controller (keeps them current) and the indicators panel."""
