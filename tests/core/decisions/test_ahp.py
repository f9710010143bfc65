"""Pairwise weights (app.core.decisions.ahp): a published worked example and bad matrices."""

import numpy as np
import pytest

from app.core.decisions import DecisionError
from app.core.decisions.ahp import ahp_weights, check_matrix, matrix_from_upper


def test_saaty_1977_relative_brightness_of_four_chairs():
    """Saaty, T. L. (1977), "A scaling method for priorities in hierarchical structures",
    Journal of Mathematical Psychology 15(3), 234–281: the light-intensity experiment
    (four chairs at increasing distance from a light). Saaty reports the principal
    eigenvector (0.61, 0.24, 0.10, 0.05) and λ_max = 4.39; with RI(4) = 0.90 the CR
    is 0.13 / 0.90 ≈ 0.14, above 0.1."""
    matrix = [
        [1, 5, 6, 7],
        [1 / 5, 1, 4, 6],
        [1 / 6, 1 / 4, 1, 4],
        [1 / 7, 1 / 6, 1 / 4, 1],
    ]
    result = ahp_weights(matrix)
    assert np.round(result.weights, 2) == pytest.approx([0.62, 0.24, 0.10, 0.05], abs=0.011)
    assert result.lambda_max == pytest.approx(4.39, abs=0.005)
    assert result.ci == pytest.approx(0.13, abs=0.005)
    assert result.cr == pytest.approx(0.14, abs=0.01)
    assert not result.consistent


def test_a_consistent_matrix_gives_its_ratios_back():
    w = np.array([0.30, 0.15, 0.20, 0.20, 0.15])
    result = ahp_weights(w[:, None] / w[None, :])
    assert result.weights == pytest.approx(w)
    assert result.cr == pytest.approx(0, abs=1e-9) and result.consistent


def test_upper_triangle_fills_reciprocals():
    a = matrix_from_upper(3, {(0, 1): 3, (0, 2): 5, (1, 2): 2})
    assert a[1, 0] == pytest.approx(1 / 3) and a[2, 1] == pytest.approx(0.5)
    assert ahp_weights(a).consistent


@pytest.mark.parametrize(
    ("matrix", "message"),
    [
        ([[1, 0], [0, 1]], r"cell \(1, 2\) is 0: every cell must be a number > 0"),
        ([[1, -3], [-1 / 3, 1]], "> 0"),
        ([[1, 3], [3, 1]], r"not reciprocal: cell \(1, 2\) is 3 but cell \(2, 1\) is 3, not 1/3"),
        ([[2, 3], [1 / 3, 1]], r"cell \(1, 1\) is 2, not 1"),
        ([[1, 2, 3], [0.5, 1, 1]], "square"),
        ([[1]], "2 to 10"),
        ([[1, float("nan")], [1, 1]], "> 0"),
        ("abc", "numbers"),
    ],
)
def test_bad_matrices_are_refused_with_one_line(matrix, message):
    with pytest.raises(DecisionError, match=message) as info:
        check_matrix(matrix)
    assert "\n" not in str(info.value)
