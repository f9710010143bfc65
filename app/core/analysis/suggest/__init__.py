"""Site suggestion: the maximal covering location problem (docs/indicators.md, issue 7).

The package holds, as spopt splits its location models: :mod:`.candidates` (the district,
the candidate grid on permitted land, the demand weights), :mod:`.coverage` (the coverage
sets and the demand merge of the exact model), :mod:`.solvers` (greedy, its bound and the
exact CBC solve through PuLP), :mod:`.explain` (why each chosen site), :mod:`.model` (the
defaults, errors and results) and :mod:`.engine` (:func:`suggest_sites`, whose docstring
states the contract). The public API used by the CLI and the UI is re-exported here.
"""

from app.core.analysis.suggest.engine import suggest_sites
from app.core.analysis.suggest.model import (
    DEFAULT_SPACING_M,
    DEFAULT_TIME_LIMIT_S,
    WEIGHTS,
    InvalidParameterError,
    NoCandidatesError,
    SuggestedSite,
    SuggestError,
    Suggestion,
    TooFewCandidatesError,
    UnknownDistrictError,
)

__all__ = [
    "DEFAULT_SPACING_M",
    "DEFAULT_TIME_LIMIT_S",
    "WEIGHTS",
    "InvalidParameterError",
    "NoCandidatesError",
    "SuggestError",
    "SuggestedSite",
    "Suggestion",
    "TooFewCandidatesError",
    "UnknownDistrictError",
    "suggest_sites",
]
