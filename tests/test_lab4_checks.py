"""Lab 4's checks: what they tell a student about init_params' generator, and hidden
gradient checks whose central differences measure the exact gradient on every problem they draw."""
import json

import numpy as np
import pytest

from autograder.judging.gradcheck import numeric_gradient, relative_error
from autograder.judging.judge import judge_notebook
from autograder.labs.lab4_hidden_layer import RNG_ELSEWHERE, RNG_IGNORED, cache_of
from solutions import lab4_hidden_layer as ref
from solutions.hidden.lab4_hidden_layer import _problem, well_posed_problem

from conftest import ROOT, fresh_set_runner

LAB = "lab4_hidden_layer"
SCALED = "rng.standard_normal((n_in, n_hidden)) * np.sqrt(2 / n_in)"


def init_causes(tmp_path, body):
    source = ("def init_params(n_in, n_hidden, n_out, rng):\n" + body +
              "    return {'W1': W1, 'b1': np.zeros(n_hidden), 'W2': W2, 'b2': np.zeros(n_out)}\n")
    path = tmp_path / f"{LAB}.ipynb"
    path.write_text(json.dumps(fresh_set_runner().submission(LAB, "init_params", source, ROOT / "benchmarks" / "fresh_set_lab4")))
    checks = [c for c in judge_notebook(path, hidden=True).checks if c.function == "init_params"]
    assert all(not c.blocked_by for c in checks)
    return {cause for c in checks if not c.passed for cause in c.causes}


@pytest.mark.parametrize("body, cause", [
    ("    W1 = np.random.randn(n_in, n_hidden) * np.sqrt(2 / n_in)\n"
     "    W2 = np.random.randn(n_hidden, n_out) * np.sqrt(1 / n_hidden)\n", RNG_ELSEWHERE),
    ("    rng = np.random.default_rng(0)\n"
     f"    W1 = {SCALED}\n"
     "    W2 = rng.standard_normal((n_hidden, n_out)) * np.sqrt(1 / n_hidden)\n", RNG_IGNORED),
])
def test_an_init_params_that_does_not_draw_from_its_rng_is_told_so(tmp_path, body, cause):
    assert init_causes(tmp_path, body) == {cause}


def test_an_init_params_that_draws_from_its_rng_is_never_told_it_does_not(tmp_path):
    causes = init_causes(tmp_path, f"    W1 = {SCALED}\n"
                                   "    W2 = rng.standard_normal((n_hidden, n_out)) * np.sqrt(2 / n_hidden)\n")
    assert causes and not causes & {RNG_ELSEWHERE, RNG_IGNORED}
    assert all("W2 is scaled by np.sqrt(2 / n_hidden)" in c for c in causes)


def worst_error(X, Y, params):
    grads = ref.backward(X, Y, params, cache_of(X, params))
    errors = []
    for key in ("W1", "b1", "W2", "b2"):
        def loss(value, key=key):
            return ref.cross_entropy_loss(Y, ref.forward(X, {**params, key: value})[0])
        errors.append(relative_error(grads["d" + key], numeric_gradient(loss, params[key])))
    return max(errors)


def test_the_reference_passes_every_hidden_gradient_check_on_every_problem_drawn():
    assert max(worst_error(*well_posed_problem(ref, np.random.default_rng(seed))) for seed in range(300)) < 1e-6


def test_a_problem_drawn_without_the_guard_can_put_a_hidden_unit_on_relus_kink():
    """Seed 711 draws a pre-activation within a finite-difference step of 0: the exact gradient
    there fails the check of the contract (1e-5), so the hidden check draws again."""
    X, Y, params = _problem(np.random.default_rng(711), 7, 3, 5, 4, scale=0.5)
    assert worst_error(X, Y, params) > 1e-5


def test_the_master_notebook_shows_a_hidden_layer_separating_the_moons_where_a_line_cannot(executed_master):
    """Run top to bottom in a real kernel: lab 2's classifier stays under 90% test accuracy on
    the half-moons, one hidden layer reaches 95%; the worked 2-2-2 example is computed, and the
    student's backward agrees with it, as does a central difference."""
    import re
    nb = executed_master(LAB)
    text = {cell.metadata.get("nbgrader", {}).get("grade_id", ""): "".join(
        o.get("text", "") for o in cell.get("outputs", []) if o.output_type == "stream") for cell in nb.cells
        if cell.cell_type == "code"}
    line, hidden = map(float, re.search(r"test accuracy: straight line ([\d.]+), one hidden layer ([\d.]+)",
                                        text["moons_mlp"]).groups())
    assert line < 0.90 <= 0.95 <= hidden
    assert text["backward_by_hand"].count(": True") == 4 and "False" not in text["backward_by_hand"]
    analytic, numeric = map(float, re.search(r"dW1\[0, 0\] = (-?[\d.]+); central difference of the loss: (-?[\d.]+)",
                                             text["worked_backward"]).groups())
    assert analytic == pytest.approx(numeric, abs=1e-6) and analytic != 0
