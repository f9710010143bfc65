"""The indicators controller (keeps them current) and the indicators panel: the dock
(panel), the selected site's card (card), the comparison table and its CSV export (table)
and the score chart (chart)."""
