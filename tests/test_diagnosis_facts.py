"""What a failed check says is a fact of the student's output, and a cause only where the
code has it: observations state a factor, sign or shape as seen and read it (1/k, m) only
where that reading alone fits every failing case; a mistake is named only where each part
it claims is changed is changed, and two mistakes that give the same numbers are worded as
one; an exception is explained where the error alone pins it down; no message names an
argument its function does not have."""
import re

import numpy as np
import pytest

from autograder.judging import diagnosis, expect
from autograder.judging.checks import CheckFailed, mistake_outputs
from autograder.labs import LAB_IDS, load_lab
from autograder.sandbox.student_process import CallResult, StudentError
from solutions import lab1_linear_regression as ref1
from solutions import lab2_binary_classification as ref2
from solutions import loops
from tests.test_expect import Answers, context, failure

RNG = np.random.default_rng(7)


def known(lab_id, function):
    """The catalog's and the families' mistakes of a function, as the judge merges them."""
    return load_lab(lab_id, hidden=True).catalog[function]


def cases_message(runs):
    """The message of a check whose failing cases are `runs` [(got, expected, sizes)]."""
    with pytest.raises(CheckFailed) as info:
        with expect.Cases(context(hidden=True)) as cases:
            for got, expected, sizes in runs:
                cases.run(expect.values, got, expected, what="the loss", sizes=sizes)
    return str(info.value)


# ---------------------------------------------------------------- 1. observations state facts
def test_a_ratio_seen_on_one_number_is_no_evidence_at_all():
    # 0.5 * mean in mse_loss, one number, k = 2: "(1/k, k = 2)" is no evidence; the factor is a
    # fact, said as seen; a ratio like 0.9997 (any two numbers have one) is not said at all
    message = str(failure(expect.values, context(), 0.4, 0.8, what="mse_loss", sizes={"m": 5, "k": 2, "m*k": 10}))
    assert "Observed: every value is 0.5 times the expected one." in message and "1/k" not in message
    message = str(failure(expect.values, context(), 0.9997 * 1.7, 1.7, what="the loss"))
    assert "Observed" not in message and "0.9997" not in message
    # the same ratio on two numbers (two cases of one check) is a fact, stated without a size
    # reading: a factor 1/2 is as plausible as 1/k with k = 2
    message = cases_message([(0.4, 0.8, {"m": 5, "k": 2}), (0.3, 0.6, {"m": 7, "k": 2})])
    assert "Observed: every value is 0.5 times the expected one." in message


def test_a_reading_is_given_only_when_no_other_size_gives_the_same_ratio():
    # the cross-entropy divided by m*k: 1/k of the expected loss; with m == k == 3, "1/m" fits too
    e = np.array([0.9, 1.2])
    seen = diagnosis.observation(e / 3, e, {"m": 3, "k": 3})
    assert str(seen) == "every value is 0.3333 times the expected one"
    assert diagnosis.observation(e / 3, e, {"m": 4, "k": 3}) == "every value is 0.3333 times the expected one (1/k, k = 3)"
    # across the failing cases of a check: the reading that fits every case, and only it
    message = cases_message([(0.3, 0.9, {"m": 3, "k": 3}), (0.25, 1.0, {"m": 6, "k": 4})])
    assert "(1/k, k = 3)" in message and "1/m" not in message
    # a reading that one failing case does not fit is no reading
    message = cases_message([(0.3, 0.9, {"m": 3, "k": 5}), (0.25, 1.0, {"m": 6, "k": 4})])
    assert "Observed" not in message


def test_a_shape_observation_does_not_say_what_the_axis_stands_for():
    # the weights of a logistic regression computed per column: W has one value per feature
    seen = diagnosis.shape_observation((2, 6), (2,))
    assert "sample" not in seen and "(2, 6)" in seen and "(2,)" in seen
    assert "sample" not in diagnosis.shape_observation((3, 3), (3,))
    text = diagnosis.structural(np.array([0.2, -0.5, 0.1]), np.array(float(-0.2)))
    assert "sample" not in text and "axis 0" in text


# ---------------------------------------------------------------- 2. no cause the code does not have
def test_a_sign_flipped_in_db_alone_is_not_told_that_the_whole_gradient_is_flipped():
    X, W, b = RNG.normal(size=(6, 3)), RNG.normal(size=(3, 2)), RNG.normal(size=2)
    y = RNG.normal(size=(6, 2))
    dW, db = ref1.mse_gradients(X, y, W, b)
    mistakes = mistake_outputs(known("lab1_linear_regression", "mse_gradients"), [X, y, W, b], {})
    message = str(failure(expect.parts, context(), (dW, -db), (dW, db), ("dW", "db"), mistakes=mistakes))
    assert "Likely cause: db's sign is flipped while dW is right" in message
    assert "the sign is flipped: use the residual" not in message and "the gradient's sign is flipped" not in message
    # both flipped: the whole gradient's sign is the cause
    message = str(failure(expect.parts, context(), (-dW, -db), (dW, db), ("dW", "db"), mistakes=mistakes))
    assert "Likely cause: the sign is flipped" in message


def test_a_mistake_is_not_named_on_one_part_when_it_changes_another_the_student_has_right():
    expected = (np.array([1.0, 2.0]), np.array([0.5, -0.5]))
    both = ((np.array([-1.0, -2.0]), np.array([-0.5, 0.5])), "every part flipped")
    only_db = ((np.array([1.0, 2.0]), np.array([-0.5, 0.5])), "db alone flipped")
    got = (np.array([1.0, 2.0]), np.array([-0.5, 0.5]))
    message = str(failure(expect.parts, context(), got, expected, ("dW", "db"), mistakes=[both]))
    assert "Likely cause" not in message
    message = str(failure(expect.parts, context(), got, expected, ("dW", "db"), mistakes=[both, only_db]))
    assert "Likely cause: db alone flipped" in message and "every part" not in message


def test_two_ways_to_the_same_cross_entropy_are_named_in_words_that_cover_both():
    Y = np.eye(3)[[0, 2, 1, 1, 0]]
    P = RNG.dirichlet(np.ones(3), size=5)
    outputs = mistake_outputs(known("lab3_multiclass_classification", "cross_entropy_loss"), [Y, P], {})
    over_k = -np.sum(Y * np.log(P)) / Y.shape[1]
    axes_swapped = -np.mean(np.sum(Y * np.log(P), axis=0))
    assert np.isclose(over_k, axes_swapped)
    named = {diagnosis.recognised(value, outputs)[0] for value in (over_k, axes_swapped)}
    assert len(named) == 1
    words = named.pop()
    assert "divided by k" in words and "axis=0" in words


def test_a_sigmoid_that_fills_an_array_of_the_inputs_integer_dtype_is_told_the_mechanism():
    def empty_like(z):
        z = np.asarray(z)
        out = np.empty_like(z)
        out[...] = 1 / (1 + np.exp(-z))
        return out
    z = np.arange(-4, 5)
    outputs = mistake_outputs(known("lab2_binary_classification", "sigmoid"), [z], {})
    named = diagnosis.recognised(empty_like(z), outputs, ref2.sigmoid(z))
    assert named and "the output array takes the input's integer dtype" in named[0]
    assert not named[0].startswith("np.zeros_like")


def test_a_mistake_is_matched_on_the_numbers_where_the_output_differs_not_on_the_output_size():
    """A loop whose accuracy at epoch 0 alone is wrong (ties counted as right) matches a
    mistake that, on these inputs, changes that one number too (the accuracy measured after
    the step): one differing number is no evidence, however long the history."""
    W, b = np.array([0.5, -0.2]), 0.1
    history = np.array([[1.09, 0.25], [0.9, 1.0], [0.8, 1.0], [0.7, 1.0]])
    got = (W, b, np.array([[1.09, 1.0], [0.9, 1.0], [0.8, 1.0], [0.7, 1.0]]))
    other = [(got, "the accuracy is measured after the step")]
    message = str(failure(expect.parts, context(), got, (W, b, history), ("W", "b", "history"), mistakes=other))
    assert "Likely cause" not in message
    # two cases of one check, one differing number each: two numbers, the mistake is named
    with pytest.raises(CheckFailed) as info:
        with expect.Cases(context()) as cases:
            for _ in range(2):
                cases.run(expect.parts, got, (W, b, history), ("W", "b", "history"), mistakes=other)
    assert "Likely cause: the accuracy is measured after the step" in str(info.value)
    # a nan where the expected value is finite is matched on its place: evidence by itself
    z = np.array([-1000.0, 0.0, 1000.0])
    expected = np.array([0.0, 0.5, 1.0])
    nan_at_top = np.array([0.0, 0.5, np.nan])
    message = str(failure(expect.values, context(), nan_at_top, expected, what="sigmoid(z)",
                          mistakes=[(nan_at_top, "e^z / (1 + e^z) is inf / inf for large z")]))
    assert "Likely cause: e^z / (1 + e^z)" in message and z.size == 3


# ---------------------------------------------------------------- 3. an exception the error itself explains
def error(kind, message):
    return StudentError(kind, message)


def test_a_dropped_default_argument_is_explained_by_the_signature():
    causes = diagnosis.raised_cause(error("TypeError", "predict() missing 1 required positional argument: 'threshold'"),
                                    "predict", "predict(X, W, b, threshold=0.5)")
    assert causes == ["your predict requires threshold, which the contract lets a caller leave out: the signature "
                      "must give threshold its default 0.5, def predict(X, W, b, threshold=0.5)"]
    # an argument the contract does not have, or another function's error: nothing is guessed
    assert diagnosis.raised_cause(error("TypeError", "predict() missing 1 required positional argument: 'W'"),
                                  "predict", "predict(X, W, b, threshold=0.5)") == []
    assert diagnosis.raised_cause(error("TypeError", "sigmoid() missing 1 required positional argument: 'z'"),
                                  "predict", "predict(X, W, b, threshold=0.5)") == []
    assert diagnosis.raised_cause(error("ValueError", "math domain error"), "predict", "predict(X, W, b)") == []


def test_a_broadcasting_error_alone_pins_no_cause():
    """(6, 4) against (6,): a row sum without keepdims raises it, and so does a transposed
    product W.T @ X.T plus a bias of k entries: the error names neither."""
    text = "operands could not be broadcast together with shapes (6,4) (6,) "
    assert diagnosis.raised_cause(error("ValueError", text), "softmax", "softmax(Z)") == []
    assert diagnosis.raised_cause(error("ValueError", text), "predict", "predict(X, W, b)") == []


def test_a_check_names_the_cause_an_exception_pins_down():
    class Raises(Answers):
        def call(self, function, args=(), kwargs=None, *, reference=()):
            return CallResult(error=error("TypeError", "f() missing 1 required positional argument: 'scale'"))

    ctx = context()
    ctx.subject = Raises(None)
    ctx.lab.functions["f"] = type(ctx.lab.functions["f"])("f", "f(x, scale=1.0)")
    from autograder.judging.checks import Case
    exc = failure(expect.case, ctx, Case([np.ones(2)], {}, np.ones(2), []))
    assert "Likely cause: your f requires scale" in str(exc) and "its default 1.0" in str(exc)


# ---------------------------------------------------------------- no message names an argument its function lacks
def options():
    """The arguments that are settings, not quantities (keyword-only or with a default in
    some graded function's signature): the names a message could wrongly give a function."""
    found = set()
    for lab_id in LAB_IDS:
        for f in load_lab(lab_id).functions.values():
            inside = f.signature[f.signature.index("(") + 1:-1]
            starred = False
            for part in (p.strip() for p in inside.split(",")):
                if part == "*":
                    starred = True
                    continue
                if starred or "=" in part:
                    found.add(part.split("=")[0].strip())
    return found


def test_no_message_names_an_argument_its_function_does_not_have():
    settings = options()
    assert {"batch_size", "seed", "threshold", "num_classes", "lr", "epochs"} <= settings
    wrong = []
    for lab_id in LAB_IDS:
        lab = load_lab(lab_id, hidden=True)
        for name, function in lab.functions.items():
            own = set(diagnosis.parameters(function.signature))
            messages = [m for m, _ in lab.catalog.get(name, [])]
            messages += [e.message for e in __import__(f"solutions.mistakes.{lab_id}",
                                                         fromlist=["CATALOG"]).CATALOG.bugs(name)]
            if name in loops.SPECS:
                messages += loops.messages(loops.SPECS[name])
            for message in messages:
                for option in settings - own:
                    if re.search(rf"\b{option}\b", message):
                        wrong.append((name, option, message))
    assert wrong == []


def test_the_loop_of_lab_2_is_never_told_about_batches_it_has_no_argument_for():
    spec = loops.LAB2
    empty = [{"name": "bce_gradients", "args": [np.zeros((0, 2)), np.zeros(0), np.zeros(2), 0.0], "kwargs": {},
              "answered": True}]
    said = loops.diagnose_raised(empty, "RuntimeError: bce_gradients: ZeroDivisionError: division by zero", spec)
    assert said and "batch_size" not in said[0]
    steps = [{"rows": np.arange(3)}, {"rows": np.arange(3, 6)}]
    said = loops._batches(spec, steps, 6, 2, None, 0)
    assert said and "batch_size" not in said[0]


# ---- mistakes one check cannot tell apart, told apart by the function's other checks -------

def _failed(check_id, causes):
    from autograder.judging.result import CheckResult
    return CheckResult("f", check_id, False, 0.0, 1.0, "wrong", kind="failed", text="wrong",
                       causes=list(causes[:1]))


def test_a_mistake_another_check_rules_out_is_not_named():
    from autograder.judging.judge import tell_apart
    a, b = _failed("f.a", ["after", "ties"]), _failed("f.b", ["ties"])
    tell_apart([a, b], {"f.a": ["after", "ties"], "f.b": ["ties"]})
    assert a.causes == ["ties"] and b.causes == ["ties"]
    assert "ties" in a.message and "after" not in a.message


def test_mistakes_no_other_check_tells_apart_keep_the_catalogs_first():
    from autograder.judging.judge import tell_apart
    a, b, c = _failed("f.a", ["x", "y"]), _failed("f.b", ["z"]), _failed("f.c", [])
    tell_apart([a, b, c], {"f.a": ["x", "y"], "f.b": ["z"], "f.c": []})
    assert a.causes == ["x"]        # both x and y are ruled out by f.b: two mistakes, nothing told apart
    d = _failed("f.d", ["x", "y"])
    tell_apart([d, c], {"f.d": ["x", "y"], "f.c": []})
    assert d.causes == ["x"]        # a check that matched nothing rules nothing out


def test_ties_counted_as_right_is_named_alone_under_the_key_that_once_added_a_wrong_cause(tmp_path, monkeypatch):
    """With this course key one hidden check of train_softmax_regression cannot tell 'accuracy
    measured after the step' from 'ties counted as right'; another check can."""
    import json
    from autograder.judging.judge import judge_notebook
    from conftest import ROOT as root, fresh_set_runner
    fresh_set = fresh_set_runner()
    key = tmp_path / "course.key"
    key.write_text("7fd177cc3e11188ea1b4fcd941a2fec57f3a10ac316f3c9f2e65ccaac12f0afc\n")
    monkeypatch.setenv("NNLABS_COURSE_KEY_FILE", str(key))
    folder = root / "benchmarks" / "fresh_set_5"
    lab = "lab3_multiclass_classification"
    entry = next(e for e in fresh_set.load_set(folder)["lab3"].ENTRIES if e.name == "tsr_ties_count_as_right")
    path = tmp_path / f"{lab}.ipynb"
    path.write_text(json.dumps(fresh_set.submission(lab, entry.function, entry.source, folder)))
    causes = {cause for c in judge_notebook(path, hidden=True).checks
              if c.function == entry.function and not c.passed for cause in c.causes}
    assert causes == {loops.DEVIATIONS["accuracy_ties"]}


# ---- an exception whose line pins its cause ----------------------------------------------------

@pytest.mark.parametrize("message, line, named", [
    ("operands could not be broadcast together with shapes (5,3) (5,) ", "P = E / E.sum(axis=1)", True),
    ("operands could not be broadcast together with shapes (5,) (5,3) ", "Z = np.max(Z2, axis=-1) - Z2", True),
    ("operands could not be broadcast together with shapes (5,3) (5,) ", "P = E / E.sum(axis=1, keepdims=True) + b", False),
    ("operands could not be broadcast together with shapes (5,3) (5,) ", "Z = X @ W.T + b", False),        # no reduction
    ("operands could not be broadcast together with shapes (5,3) (5,) ", "P = E / E.sum(axis=0)", False),  # another axis
    ("operands could not be broadcast together with shapes (3,3) (3,) ", "P = E / E.sum(axis=1)", False),  # square: not this
    ("operands could not be broadcast together with shapes (5,3) (4,) ", "P = E / E.sum(axis=1)", False),  # not one per row
])
def test_a_row_reduction_without_keepdims_is_named_only_where_the_line_that_raised_has_it(message, line, named):
    from autograder.sandbox.student_process import StudentError
    error = StudentError("ValueError", message, where=f"cell forward, line 6: {line}")
    causes = diagnosis.raised_cause(error, "forward", "forward(X, params)")
    assert bool(causes) == named
    if named:
        assert "keepdims=True" in causes[0] and "(5,)" in causes[0]


def test_a_dict_output_that_lacks_a_key_names_the_key():
    expected = (np.ones(2), {"Z1": np.ones(2), "A1": np.ones(2), "Z2": np.ones(2)})
    exc = failure(expect.compare, context(), (np.ones(2), {"Z1": np.ones(2), "Z2": np.ones(2)}), expected,
                  what="forward", parts=("P", "cache"))
    assert exc.reasons()[1] == ["your cache has no key 'A1': it must hold the keys A1, Z1, Z2"]
    exc = failure(expect.compare, context(), (np.ones(2), [1.0]), expected, what="forward", parts=("P", "cache"))
    assert exc.reasons()[1] == []           # not a dict at all: no key is 'missing'
