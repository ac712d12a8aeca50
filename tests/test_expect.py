"""Unit tests of the check toolkit (`autograder.judging.expect`), the diagnosis and the stored-case
format: no student process, a stand-in subject that returns fixed values."""
import numpy as np
import pytest

from autograder.judging import diagnosis, expect
from autograder.judging.checks import Case, CheckFailed, KnownOutputs, Context, GradedFunction, Lab, from_json, stored_form, to_json
from autograder.sandbox.student_process import CallResult, LoadReport

MEAN = "you summed over the samples: take the mean"
HALF = "a factor of 2 is missing"


class Answers:
    """A subject whose function returns `value` (and says whether it changed its inputs)."""

    def __init__(self, value, modified=False):
        self.value, self.modified = value, modified
        self.load_report = LoadReport(["f"], {})

    def call(self, function, args=(), kwargs=None, *, reference=()):
        return CallResult(value=self.value, modified_inputs=self.modified)


def context(value=None, *, hidden=False, modified=False):
    lab = Lab("lab0_toy", "A toy lab", [GradedFunction("f", "f(x)")])
    checks = lab.hidden_checks() if hidden else lab.public

    @checks.check("f")
    def check_f_toy(ctx):
        pass

    return Context(lab, checks.items[0], Answers(value, modified))


def failure(function, *args, **kwargs) -> CheckFailed:
    with pytest.raises(CheckFailed) as info:
        function(*args, **kwargs)
    return info.value


# ---------------------------------------------------------------- the engine
def test_close_values_pass_and_a_difference_is_described_with_both_values():
    expect.values(context(), np.array([1.0, 2.0 + 1e-9]), np.array([1.0, 2.0]), what="f(x)")
    message = str(failure(expect.values, context(), np.array([1.0, 2.5, 3.0]), np.array([1.0, 2.0, 3.0]),
                          what="f(x)"))
    assert "f(x) is wrong in 1 of 3 values" in message and "largest absolute difference 0.5" in message
    assert "expected: [1., 2., 3.]" in message and "yours:    [1. , 2.5, 3. ]" in message
    assert "Likely cause" not in message


def test_hidden_checks_describe_the_difference_without_showing_values():
    message = str(failure(expect.values, context(hidden=True), np.array([1.0, 2.5]), np.array([1.0, 2.0]),
                          what="f on a random input"))
    assert "wrong in 1 of 2 values" in message and "expected" not in message and "2.5" not in message


def test_a_shape_difference_is_observed_and_named_only_when_the_values_pin_it():
    message = str(failure(expect.values, context(), np.ones((3, 2)), np.ones((2, 3)), what="Z"))
    assert "Z should have shape (2, 3), but yours has shape (3, 2)" in message
    assert "Observed: your shape is the expected shape with its two axes swapped" in message
    assert "Likely cause" not in message
    Z = np.arange(6.0).reshape(2, 3)
    assert "Likely cause: your result holds the expected values transposed" in \
        str(failure(expect.values, context(), Z.T, Z, what="Z"))
    assert "Likely cause" not in str(failure(expect.values, context(), Z.T + 1, Z, what="Z"))
    assert "Likely cause: you returned an array holding one value" in \
        str(failure(expect.values, context(), np.array([2.0]), 1.0, what="the loss"))


def test_exactly_one_matching_mistake_is_named_and_ranked_highest():
    mistakes = [(np.array([3.0, 6.0]), MEAN), (np.array([0.5, 1.0]), HALF)]
    exc = failure(expect.values, context(), np.array([3.0, 6.0]), np.array([1.0, 2.0]), what="g",
                  mistakes=mistakes)
    assert f"Likely cause: {MEAN}" in str(exc) and HALF not in str(exc)
    assert expect.rank_of(exc) == 2


def test_of_several_mistakes_with_the_same_output_the_first_in_catalog_order_is_named():
    mistakes = [(np.array([3.0, 6.0]), MEAN), (np.array([3.0, 6.0]), HALF)]
    exc = failure(expect.values, context(), np.array([3.0, 6.0]), np.array([1.0, 2.0]), what="g",
                  mistakes=mistakes)
    assert f"Likely cause: {MEAN}" in str(exc) and HALF not in str(exc)


def test_a_difference_without_a_known_mistake_is_not_given_a_cause_it_cannot_confirm():
    exc = failure(expect.values, context(), np.array([1.3, -0.2]), np.array([1.0, 2.0]), what="g",
                  mistakes=[(np.array([3.0, 6.0]), MEAN)])
    assert "Likely cause" not in str(exc) and expect.rank_of(exc) == 0


def test_a_tuple_is_compared_part_by_part_and_the_wrong_part_names_the_mistake():
    expected = (np.array([1.0, 2.0]), np.array([0.5, -0.5]))
    expect.parts(context(), (np.array([1.0, 2.0]), np.array([0.5, -0.5])), expected, ("dW", "db"))
    wrong = (np.array([1.0, 2.0]), np.array([2.5, -2.5]))
    message = str(failure(expect.parts, context(), wrong, expected, ("dW", "db"),
                          mistakes=[((np.array([1.0, 2.0]), np.array([2.5, -2.5])), "the bias gradient is summed")]))
    assert message.startswith("db is wrong") and "Likely cause: the bias gradient is summed" in message
    message = str(failure(expect.parts, context(), (np.array([1.0, 2.0]),), expected, ("dW", "db")))
    assert "should return a tuple (dW, db), but returned a tuple of length 1" in message


def test_a_dict_is_compared_entry_by_entry_and_stored_as_data():
    expected = (np.array([0.2, 0.8]), {"Z1": np.array([1.0, -1.0]), "A1": np.array([1.0, 0.0])})
    expect.parts(context(), (expected[0], {**expected[1], "extra": 1.0}), expected, ("P", "cache"))
    wrong = (expected[0], {"Z1": np.array([1.0, -1.0]), "A1": np.array([2.0, -1.0])})
    message = str(failure(expect.parts, context(), wrong, expected, ("P", "cache"),
                          mistakes=[(wrong, "ReLU is missing")]))
    assert message.startswith("cache['A1'] is wrong") and "Likely cause: ReLU is missing" in message
    message = str(failure(expect.parts, context(), (expected[0], {"Z1": np.zeros(2)}), expected, ("P", "cache")))
    assert "a dict with the keys Z1, A1" in message
    assert stored_form(from_json(to_json(expected)))[1].keys() == expected[1].keys()
    rng = np.random.default_rng(5)
    again = from_json(to_json(rng))
    assert again is not rng and again.random() == rng.random()


def test_a_case_checks_the_training_form_first_and_names_the_mistake_that_has_that_form():
    expected = (np.zeros(2), 0.0, np.array([[0.7, 0.5], [0.6, 0.5]]))
    loss_only = (np.zeros(2), 0.0, [0.7, 0.6])
    case = Case([], {}, expected, [(stored_form(loss_only), "history must hold pairs, not the loss alone")])
    message = str(failure(expect.case, context(loss_only), case, parts=("W", "b", "history"),
                          training={"n": 2, "epochs": 2, "entry_size": 2}))
    assert "history should hold 2 (loss, accuracy) pairs" in message
    assert "Likely cause: history must hold pairs, not the loss alone" in message


def test_a_case_holds_inputs_untouched_only_when_asked():
    case = Case([np.ones(2)], {}, 1.0, [])
    assert expect.case(context(1.0, modified=True), case) == 1.0
    message = str(failure(expect.case, context(1.0, modified=True), case, untouched=True))
    assert "changed its input array in place" in message


def test_cases_report_the_most_telling_failure():
    ctx = context()
    mistakes = [(np.array([3.0, 6.0]), MEAN)]
    with pytest.raises(CheckFailed) as info:
        with expect.Cases(ctx) as cases:
            cases.run(lambda ctx: ctx.fail("one sample: your f raised ZeroDivisionError"))
            cases.run(expect.values, np.array([3.0, 6.0]), np.array([1.0, 2.0]), what="two samples",
                      mistakes=mistakes)
            cases.run(expect.values, np.array([1.0]), np.array([1.0]), what="passes")
    assert str(info.value).startswith("two samples") and MEAN in str(info.value)


def test_a_mistake_that_matches_one_case_by_coincidence_is_ruled_out_by_another():
    """A cause is named only when its output is the student's on every failing case."""
    ctx = context()
    with pytest.raises(CheckFailed) as info:
        with expect.Cases(ctx) as cases:
            cases.run(expect.values, np.array([3.0, 6.0]), np.array([1.0, 2.0]), what="first",
                      mistakes=[(np.array([3.0, 6.0]), MEAN), (np.array([3.0, 6.0]), HALF)])
            cases.run(expect.values, np.array([2.0, 4.0]), np.array([1.0, 2.0]), what="second",
                      mistakes=[(np.array([5.0, 9.0]), MEAN), (np.array([2.0, 4.0]), HALF)])
    assert f"Likely cause: {HALF}" in str(info.value) and MEAN not in str(info.value)
    with pytest.raises(CheckFailed) as info:
        with expect.Cases(ctx) as cases:
            cases.run(expect.values, np.array([3.0, 6.0]), np.array([1.0, 2.0]), what="first",
                      mistakes=[(np.array([3.0, 6.0]), MEAN)])
            cases.run(expect.values, np.array([2.0, 4.0]), np.array([1.0, 2.0]), what="second",
                      mistakes=[(np.array([5.0, 9.0]), MEAN)])
    assert "Likely cause" not in str(info.value) and "Observed: every value is" in str(info.value)


def test_causes_read_off_what_the_code_did_are_named_on_their_case():
    class Traced(Answers):
        def call(self, function, args=(), kwargs=None, *, reference=(), trace=False):
            return CallResult(value=self.value, trace=[{"name": "g", "args": [1], "kwargs": {}, "answered": True}])

    ctx = context()
    ctx.subject = Traced(np.array([1.0, 5.0]))
    seen = []

    def diagnose(ctx, args, kwargs, trace, got):
        seen.append(trace)
        return ["the loop skipped a step"]
    exc = failure(expect.case, ctx, Case([], {}, np.array([1.0, 2.0]), []), diagnose=diagnose)
    assert "Likely cause: the loop skipped a step" in str(exc) and expect.rank_of(exc) == 2
    assert seen == [[{"name": "g", "args": [1], "kwargs": {}, "answered": True}]]


# ---------------------------------------------------------------- form and properties
def test_number_accepts_scalars_and_explains_arrays():
    for value in (1, 1.5, np.float32(2), np.array(3.0)):
        expect.number(context(), value, "the loss")
    assert "Return float(...)" in str(failure(expect.number, context(), np.array([1.0]), "the loss"))
    assert "holds 3 values" in str(failure(expect.number, context(), np.ones(3), "the loss"))
    assert "a bool" in str(failure(expect.number, context(), True, "the loss"))


def test_gradient_check_uses_the_relative_error_of_the_contract():
    numeric = np.array([1.0, -2.0, 0.0])
    expect.gradient(context(), numeric * (1 + 1e-9), numeric, "dW")
    assert "relative error 1.00e-01" in str(failure(expect.gradient, context(), numeric + 1e-9, numeric, "dW"))
    message = str(failure(expect.gradient, context(), 2 * numeric, numeric, "dW"))
    assert "relative error 3.33e-01" in message and "Observed: every value is 2 times the expected one" in message
    assert "Likely cause" not in message
    assert "should have shape (3,)" in str(failure(expect.gradient, context(), np.ones(2), numeric, "dW"))


def test_untouched_and_ndarray():
    expect.untouched(context(1.0), np.ones(2))
    assert "in place" in str(failure(expect.untouched, context(1.0, modified=True), np.ones(2)))
    assert "should be a numpy array" in str(failure(expect.ndarray, context(), [1.0, 2.0], "p"))


# ---------------------------------------------------------------- diagnosis
def test_one_closeness_rule_for_arrays_and_tuples():
    assert diagnosis.close(np.array([1.0, 2.0]), [1.0, 2.0 + 1e-9])
    assert not diagnosis.close(np.array([1.0, 2.0]), np.array([1.0, 2.1]))
    assert not diagnosis.close(np.ones(2), np.ones(3))
    assert diagnosis.close((np.ones(2), 0.5, [(0.1, 1.0)]), (np.ones(2), 0.5, np.array([[0.1, 1.0]])))
    assert not diagnosis.close((np.ones(2), 0.5), (np.ones(2), 0.6))
    assert not diagnosis.close("text", "text") and not diagnosis.close(None, None)


def test_recognised_mistakes_are_named_once_in_catalog_order():
    mistakes = [(np.array([2.0]), "b"), (np.array([1.0]), "a"), (np.array([1.0 + 1e-6]), "a"),
                (np.array([1.0]), "c")]
    assert diagnosis.recognised(np.array([1.0]), mistakes) == ["a", "c"]


@pytest.mark.parametrize("got, expected, seen", [
    (np.array([5.0, -10.0]), np.array([1.0, -2.0]), "every value is 5 times the expected one (m = 5)"),
    (np.array([0.2, -0.4]), np.array([1.0, -2.0]), "every value is 0.2 times the expected one (1/m, m = 5)"),
    (np.array([-1.0, 2.0]), np.array([1.0, -2.0]), "opposite sign"),
    (np.array([1.5, -1.5]), np.array([1.0, -2.0]), "off by the same amount (0.5)"),
    (np.array([1.0, -2.0]) / np.log(2), np.array([1.0, -2.0]), "(1/ln 2)"),
])
def test_relations_between_a_wrong_answer_and_the_right_one_are_observations_not_causes(got, expected, seen):
    assert seen in diagnosis.observation(got, expected, {"m": 5})
    message = diagnosis.difference(got, expected, what="g", show=False, sizes={"m": 5})
    assert f"Observed: {diagnosis.observation(got, expected, {'m': 5})}." in message
    assert "Likely cause" not in message


def test_no_relation_is_claimed_for_an_unrelated_answer():
    assert diagnosis.observation(np.array([0.3, 7.0]), np.array([1.0, -2.0]), {"m": 5}) == ""


# ---------------------------------------------------------------- stored cases
def test_stored_form_and_the_json_round_trip_keep_every_value():
    value = (np.array([[1, 2]], dtype=np.int64), np.float64(0.5), [(0.1, 1.0), (0.2, 0.5)], float("nan"))
    stored = stored_form(value)
    assert isinstance(stored[1], float) and stored[2].dtype == np.float64 and stored[2].shape == (2, 2)
    back = from_json(to_json(stored))
    assert back[0].dtype == np.int64 and diagnosis.close(back[:3], stored[:3]) and np.isnan(back[3])


def test_a_reference_case_runs_the_reference_and_every_mistake_on_fresh_copies():
    class Reference:
        @staticmethod
        def f(x):
            return x.sum()

    def in_place(x):
        x *= 2
        return x.sum()

    def raises(x):
        raise ValueError("no output to recognise")

    runs = []

    def counted(x):
        runs.append(1)
        return in_place(x)

    x = np.array([1.0, 2.0])
    case = Case.of_reference(Reference, {"f": [("doubled", counted), ("raises", raises)]}, "f", [x])
    x *= 10                                       # the case holds its inputs as they were
    assert case.expected == 3.0 and runs == []    # the catalog runs only when a comparison fails
    assert list(case.mistakes) == [(6.0, "doubled")] and runs == [1]
    assert list(case.mistakes) == [(6.0, "doubled")] and runs == [1]    # once
    assert x.tolist() == [10.0, 20.0]


def test_a_passing_comparison_never_runs_the_known_mistakes():
    ran = []
    mistakes = KnownOutputs(lambda: ran.append(1) or [(np.array([2.0, 4.0]), "doubled")])
    expect.values(context(), np.array([1.0, 2.0]), np.array([1.0, 2.0]), what="x", mistakes=mistakes)
    expect.parts(context(), (np.array([1.0]), 2.0), (np.array([1.0]), 2.0), ["dW", "db"], mistakes=mistakes)
    assert ran == []
    exc = failure(expect.values, context(), np.array([2.0, 4.0]), np.array([1.0, 2.0]), what="x", mistakes=mistakes)
    assert "Likely cause: doubled" in str(exc) and ran == [1]


def test_one_number_alone_is_not_evidence_enough_to_name_a_mistake():
    """A single value matches an unrelated mistake by coincidence too often: two are needed."""
    exc = failure(expect.values, context(), 0.4, 0.6, what="the accuracy", mistakes=[(0.4, "the error rate")])
    assert "Likely cause" not in str(exc) and expect.rank_of(exc) < 2
    with pytest.raises(CheckFailed) as info:
        with expect.Cases(context()) as cases:
            cases.run(expect.values, 0.4, 0.6, what="first", mistakes=[(0.4, "the error rate")])
            cases.run(expect.values, 0.3, 0.7, what="second", mistakes=[(0.3, "the error rate")])
    assert "Likely cause: the error rate" in str(info.value)
