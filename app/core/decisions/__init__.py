"""Decisions between sites, Qt-free (docs/indicators.md, "How sure is the ranking").

- :mod:`~app.core.decisions.robust`: Monte Carlo over the weights and reference values:
  each site's probability of ranking first and its rank interval;
- :mod:`~app.core.decisions.swap`: the smallest change of one weight that swaps the top two;
- :mod:`~app.core.decisions.ahp`: weights from a pairwise (AHP) matrix, consistency ratio.
"""

from app.core.errors import InnoAtlasError


class DecisionError(InnoAtlasError):
    """Nothing to decide between: no scored site, all-zero weights, a bad AHP matrix."""
