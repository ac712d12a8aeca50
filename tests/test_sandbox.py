"""Student code runs in a separate, limited process that cannot reach the course."""
import numpy as np

from autograder.sandbox import Limits, StudentProcess

CELLS = [{"id": "f", "source": """
import numpy as np
def double(x):
    return 2 * x
def uses_double(x):
    return double(x) + 1
def in_place(x):
    x += 1
    return x
def forever(x):
    while True:
        pass
def leave(x):
    import os
    os._exit(3)
def peek():
    import importlib
    found = []
    for name in ("solutions", "autograder", "solutions.lab2_binary_classification"):
        try:
            importlib.import_module(name)
            found.append(name)
        except ImportError:
            pass
    return found
def talk():
    import os
    os.write(int(__import__('sys').argv[2]), b'garbage' * 10)
    return 1
"""}]
FUNCTIONS = ["double", "uses_double", "in_place", "forever", "leave", "peek", "talk"]


def process(**limits):
    return StudentProcess(CELLS, FUNCTIONS, limits=Limits(**limits) if limits else None,
                          reference={"double": lambda x: np.asarray(x) * 100})


def test_calls_return_plain_data_and_report_in_place_changes():
    with process() as p:
        assert p.load_report.defined == FUNCTIONS
        result = p.call("double", [np.array([1.0, 2.0])])
        np.testing.assert_array_equal(result.value, [2.0, 4.0])
        assert not result.modified_inputs
        assert p.call("in_place", [np.array([1.0])]).modified_inputs


def test_other_graded_functions_can_be_answered_by_the_reference_in_the_judge():
    with process() as p:
        assert p.call("uses_double", [1.0]).value == 3.0
        assert p.call("uses_double", [1.0], reference=["double"]).value == 101.0
        # never for the function being judged itself
        assert p.call("double", [1.0], reference=["double"]).value == 2.0


def test_endless_loops_and_exits_are_contained_and_the_process_restarts():
    with process(call_seconds=1.0) as p:
        assert "did not finish within 1 s" in p.call("forever", [0]).failure
        assert "exit code 3" in p.call("leave", [0]).failure
        assert p.call("double", [4]).value == 8
        assert p.restarts == 2


def test_the_course_cannot_be_imported():
    with process() as p:
        assert p.call("peek").value == []


def test_garbage_on_the_channel_is_a_failure_not_a_crash():
    with process() as p:
        result = p.call("talk")
        assert result.failure and "malformed" in result.failure or "sent" in result.failure
        assert p.call("double", [1]).value == 2


def test_a_cell_that_raises_is_reported_and_the_rest_still_runs():
    cells = [{"id": "a", "source": "def f():\n    return 1\nraise SystemExit(1)"},
             {"id": "b", "source": "def g():\n    return 2"}]
    with StudentProcess(cells, ["f", "g"]) as p:
        assert p.load_report.defined == ["f", "g"]
        assert p.load_report.cell_errors["a"].type == "SystemExit"
