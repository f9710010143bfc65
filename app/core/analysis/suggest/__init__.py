"""Site suggestion: maximal covering, set covering and p-median (docs/indicators.md).

The package holds, as spopt splits its location models: :mod:`.candidates` (the district,
the candidate grid on permitted land, the demand weights), :mod:`.coverage` (the coverage
sets), :mod:`.reduction` (the exact covering models reduced: identical and dominated
candidates out, demand with the same candidates merged), :mod:`.lagrange` (answers
improved and proven optimal in-process by Lagrangian bounds), :mod:`.solvers` (the MCLP's
greedy, its bound, the exact CBC solve through PuLP and the CBC run the other models share),
:mod:`.lscp` (the fewest sites covering a share of demand), :mod:`.pmedian` (k sites with
the shortest mean distance, on a verified sparse distance matrix), :mod:`.explain` (why
each chosen site), :mod:`.model` (the defaults, errors and results) and :mod:`.engine`
(:func:`suggest_sites`, whose docstring states the contract). The public API used by the
CLI and the UI is re-exported here.
"""

from app.core.analysis.suggest.engine import suggest_sites
from app.core.analysis.suggest.model import (
    DEFAULT_SPACING_M,
    DEFAULT_TIME_LIMIT_S,
    MODELS,
    SATURATION_SHARE,
    WEIGHTS,
    InvalidParameterError,
    NoCandidatesError,
    NotCoveredError,
    SuggestedSite,
    SuggestError,
    Suggestion,
    TooFewCandidatesError,
    UnknownDistrictError,
)

__all__ = [
    "DEFAULT_SPACING_M",
    "DEFAULT_TIME_LIMIT_S",
    "MODELS",
    "SATURATION_SHARE",
    "WEIGHTS",
    "InvalidParameterError",
    "NoCandidatesError",
    "NotCoveredError",
    "SuggestError",
    "SuggestedSite",
    "Suggestion",
    "TooFewCandidatesError",
    "UnknownDistrictError",
    "suggest_sites",
]
