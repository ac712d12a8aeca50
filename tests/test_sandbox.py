"""Student code runs in a separate, limited process that cannot reach the course."""
import os

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


def test_the_student_process_sees_no_course_no_network_and_cannot_write():
    from autograder import isolation
    reason = isolation.available()
    if reason:
        import pytest
        pytest.skip(reason)
    cells = [{"id": "probe", "source": '''
import os, socket
def probe(paths):
    seen = {}
    for path in paths:
        try:
            seen[path] = sorted(os.listdir(path)) if os.path.isdir(path) else open(path, "rb").read(40).decode("latin-1")
        except OSError as exc:
            seen[path] = type(exc).__name__
    try:
        socket.create_connection(("127.0.0.1", 22), timeout=1)
        seen["network"] = "connected"
    except OSError as exc:
        seen["network"] = type(exc).__name__
    for target in ("/work_probe_file", os.path.join(os.path.dirname(os.__file__), "probe.txt")):
        try:
            open(target, "w").write("x")
            seen[target] = "written"
        except OSError as exc:
            seen[target] = type(exc).__name__
    try:
        import ctypes
        seen["umount"] = ctypes.CDLL(None).umount2(paths[0].encode(), 2)
    except Exception as exc:
        seen["umount"] = str(exc)
    return seen
'''}]
    import tempfile
    from conftest import ROOT
    other_run = tempfile.mkdtemp(prefix="nnlabs-other-run-")     # e.g. another submission's scratch folder
    with open(os.path.join(other_run, "answers.txt"), "w") as handle:
        handle.write("secret")
    paths = [str(ROOT / "solutions"), str(ROOT / "solutions" / "lab2_binary_classification.py"),
             str(ROOT / "source"), str(ROOT / "nbgrader_config.py"), other_run,
             os.path.join(other_run, "answers.txt")]
    try:
        with StudentProcess(cells, ["probe"]) as p:
            seen = p.call("probe", [paths]).value
    finally:
        import shutil
        shutil.rmtree(other_run, ignore_errors=True)
    assert seen[paths[0]] == [] and seen[paths[2]] == [] and seen[paths[4]] == []
    assert seen[paths[1]] == "FileNotFoundError" and seen[paths[3]] == "" and seen[paths[5]] == "FileNotFoundError"
    assert seen["network"] in ("OSError", "ConnectionRefusedError") or "Error" in seen["network"]
    assert all(v != "written" for k, v in seen.items() if k.startswith("/") and "probe" in k)
    assert seen["umount"] == -1


def test_a_fork_bomb_stops_at_the_process_cap():
    cells = [{"id": "bomb", "source": '''
import os
def bomb():
    children = []
    for _ in range(200):
        try:
            pid = os.fork()
        except OSError:
            break
        if pid == 0:
            import time
            time.sleep(30)
            os._exit(0)
        children.append(pid)
    return len(children)
'''}]
    with StudentProcess(cells, ["bomb"], limits=Limits(processes=8)) as p:
        started = p.call("bomb").value
        assert started < 8
        assert p.call("bomb").value is not None          # the process is still usable


def test_a_slow_notebook_stops_at_its_time_budget():
    from autograder.judge import judge
    from autograder.labs import get_lab
    lab = get_lab("lab2_binary_classification")
    cells = [{"id": f, "source": f"import time\ndef {f}(*args, **kwargs):\n    time.sleep(0.4)\n"}
             for f in lab.functions]
    with StudentProcess(cells, lab.functions, limits=Limits(call_seconds=5, notebook_seconds=2)) as p:
        report = judge(lab, p, hidden=False)
    budget = [c for c in report.checks if "time budget" in c.message]
    assert budget and len(budget) > len(report.checks) // 2
    assert any("time budget" in flag for flag in report.flags)
