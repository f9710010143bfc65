"""Pairwise weights (AHP): a reciprocal comparison matrix → weights and consistency ratio
(docs/indicators.md, "Pairwise weights (AHP)").

``a_ij`` says how much more important criterion i is than criterion j (Saaty's 1–9
scale, ``a_ji = 1 / a_ij``, ``a_ii = 1``). The weights are the principal (Perron)
eigenvector of the matrix, normalised to sum 1; ``CI = (λ_max − n) / (n − 1)`` and
``CR = CI / RI(n)`` with Saaty's random index RI. Judgements with CR above 0.1 are
inconsistent enough to be revised (Saaty 1980).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.core.decisions import DecisionError

#: Saaty's random consistency index RI by matrix size n (1..10).
RANDOM_INDEX = {
    1: 0.0,
    2: 0.0,
    3: 0.58,
    4: 0.90,
    5: 1.12,
    6: 1.24,
    7: 1.32,
    8: 1.41,
    9: 1.45,
    10: 1.49,
}
#: CR above which the matrix is flagged inconsistent.
CR_LIMIT = 0.1


@dataclass(frozen=True)
class AhpResult:
    """Weights (sum 1) from a pairwise matrix, λ_max, CI and CR."""

    weights: np.ndarray
    lambda_max: float
    ci: float
    cr: float

    @property
    def consistent(self) -> bool:
        """CR ≤ 0.1."""
        return self.cr <= CR_LIMIT


def check_matrix(matrix, tolerance: float = 1e-6) -> np.ndarray:
    """The matrix as floats, or :class:`DecisionError` with one line naming the first bad cell.

    Parameters
    ----------
    matrix : array-like
        Square, at least 2 × 2 and at most 10 × 10, every cell finite and > 0,
        ``a_ii = 1`` and ``a_ij × a_ji = 1`` (within ``tolerance``, relative).
    """
    try:
        a = np.asarray(matrix, dtype=float)
    except (TypeError, ValueError):
        raise DecisionError("the pairwise matrix must hold numbers") from None
    if a.ndim != 2 or a.shape[0] != a.shape[1]:
        raise DecisionError(f"the pairwise matrix must be square, not {a.shape}")
    n = a.shape[0]
    if not 2 <= n <= max(RANDOM_INDEX):
        raise DecisionError(f"the pairwise matrix needs 2 to {max(RANDOM_INDEX)} criteria, not {n}")
    bad = ~np.isfinite(a) | (a <= 0)
    if bad.any():
        i, j = np.argwhere(bad)[0]
        raise DecisionError(
            f"pairwise cell ({i + 1}, {j + 1}) is {a[i, j]:g}: every cell must be a number > 0"
        )
    diagonal = ~np.isclose(np.diag(a), 1.0, rtol=tolerance, atol=0)
    if diagonal.any():
        i = int(np.flatnonzero(diagonal)[0])
        raise DecisionError(f"pairwise cell ({i + 1}, {i + 1}) is {a[i, i]:g}, not 1")
    product = a * a.T
    off = ~np.isclose(product, 1.0, rtol=tolerance, atol=0)
    if off.any():
        i, j = np.argwhere(off)[0]
        raise DecisionError(
            f"the pairwise matrix is not reciprocal: cell ({i + 1}, {j + 1}) is {a[i, j]:g} "
            f"but cell ({j + 1}, {i + 1}) is {a[j, i]:g}, not 1/{a[i, j]:g}"
        )
    return a


def ahp_weights(matrix) -> AhpResult:
    """Weights and consistency of a pairwise comparison matrix (module docstring).

    Parameters
    ----------
    matrix : array-like
        n × n reciprocal matrix (:func:`check_matrix`).

    Returns
    -------
    AhpResult

    Raises
    ------
    DecisionError
        The matrix is not square, not positive or not reciprocal (one line naming the cell).

    Examples
    --------
    >>> result = ahp_weights([[1, 3], [1 / 3, 1]])
    >>> [round(float(w), 2) for w in result.weights], result.cr
    ([0.75, 0.25], 0.0)
    """
    a = check_matrix(matrix)
    n = a.shape[0]
    values, vectors = np.linalg.eig(a)
    top = int(np.argmax(values.real))
    lambda_max = float(values[top].real)
    vector = np.abs(vectors[:, top].real)
    weights = vector / vector.sum()
    ci = max(0.0, (lambda_max - n) / (n - 1))
    ri = RANDOM_INDEX[n]
    cr = ci / ri if ri > 0 else 0.0
    return AhpResult(weights, lambda_max, ci, cr)


def matrix_from_upper(n: int, upper: dict[tuple[int, int], float]) -> np.ndarray:
    """The full reciprocal matrix from the judgements above the diagonal.

    Parameters
    ----------
    n : int
        Number of criteria.
    upper : dict
        ``{(i, j): a_ij}`` for ``i < j`` (0-based); missing pairs are 1 (equal).
    """
    a = np.ones((n, n))
    for (i, j), value in upper.items():  # n(n−1)/2 judgements (≤ 10 for five criteria)
        a[i, j] = value
        a[j, i] = 1.0 / value if value else np.inf
    return a
