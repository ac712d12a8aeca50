import numpy as np

from autograder.judging.gradcheck import numeric_gradient, relative_error


def test_numeric_gradient_of_a_quadratic_and_no_mutation():
    A = np.array([[2.0, 1.0], [1.0, 3.0]])
    x = np.array([0.5, -1.0])
    before = x.copy()
    grad = numeric_gradient(lambda v: v @ A @ v, x)
    np.testing.assert_allclose(grad, 2 * A @ x, rtol=1e-8)
    np.testing.assert_array_equal(x, before)


def test_scalar_input():
    assert abs(numeric_gradient(lambda t: t ** 3, 2.0) - 12.0) < 1e-6


def test_relative_error_formula_and_a_wrong_gradient():
    assert relative_error([1.0, 2.0], [1.0, 2.0]) == 0.0
    assert relative_error([0.0], [0.0]) == 0.0
    assert abs(relative_error([3.0], [1.0]) - 0.5) < 1e-12
    x = np.array([0.3, -0.2, 0.9])
    numeric = numeric_gradient(lambda v: np.sum(v ** 2) / 3, x)
    assert relative_error(2 * x / 3, numeric) < 1e-8
    assert relative_error(2 * x, numeric) > 0.1          # summed instead of averaged
