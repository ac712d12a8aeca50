"""The judge is bounded in everything it does with student data, rests its verdicts on what it
observes itself, and makes the hidden checks' inputs unknowable before grading."""
import json
import re
import struct
import time
import tracemalloc

import numpy as np
import pytest

from autograder.sandbox import codec
from autograder.judging import course_key, expect
from autograder.judging.checks import GradedFunction, Lab, check_seed
from autograder.judging.judge import judge
from autograder.labs import get_lab, load_lab
from autograder.sandbox.limits import Limits
from autograder.sandbox.student_process import OUT_OF_BUDGET, PROTOCOL, StudentProcess, _Budget

from conftest import LAB2
from test_sandbox import CHANNEL


def _forge(body_text: bytes) -> str:
    """Student code that writes `body_text` to the judge's channel as a framed message."""
    return CHANNEL + f'''
import os, struct
def _forge():
    text = {body_text!r}
    body = struct.pack(">I", len(text)) + text
    os.write(_channel(), struct.pack(">Q", len(body)) + body)
'''


def test_in_place_changes_are_seen_by_the_judge_whatever_the_student_process_claims():
    """The arguments lie in memory the judge maps too: patching pickle, the codec or the
    process's own comparison cannot hide a change, and a function that restores what it
    changed has changed nothing."""
    source = '''import gc, pickle, sys
pickle.dumps = lambda *a, **k: b"same"
for module in list(sys.modules.values()):
    if getattr(module, "__name__", "") == "_nnlabs_codec":
        module.encode = (lambda original: lambda value, _depth=0: original(value, _depth))(module.encode)
def changes(x):
    x[0] = 99.0
    return float(x.sum())
def changes_and_restores(x):
    kept = x.copy()
    x[:] = 0
    x[:] = kept
    return float(x.sum())
def reads(x):
    return float(x.sum())
def changes_a_parameter(params):
    params["W"] -= 1.0
    return 0.0
'''
    functions = ["changes", "changes_and_restores", "reads", "changes_a_parameter"]
    with StudentProcess([{"id": "c", "source": source}], functions) as p:
        x = np.arange(4.0)
        assert p.call("changes", (x,)).modified_inputs
        assert x.tolist() == [0.0, 1.0, 2.0, 3.0]            # the judge's own array is untouched
        assert not p.call("changes_and_restores", (x,)).modified_inputs
        assert not p.call("reads", ({"a": x, "b": [x, 2]},)).modified_inputs
        assert p.call("changes_a_parameter", ({"W": x, "b": 0.0},)).modified_inputs


def test_a_reply_the_codec_cannot_read_is_the_students_protocol_error_never_a_check_error():
    huge = b'{"op":"result","value":' + b"9" * 4400 + b',"error":null,"seconds":0.0}'
    source = _forge(huge) + "\ndef f(x):\n    _forge()\n    import time\n    time.sleep(0.3)\n    return x\n"
    with StudentProcess([{"id": "c", "source": source}], ["f"]) as p:
        result = p.call("f", (1.0,))
    assert result.failure_kind == PROTOCOL and result.flag_code == PROTOCOL
    with pytest.raises(codec.DecodeError):
        codec.loads(struct.pack(">I", len(huge)) + huge)
    for text in (b'{"$int": "\xc2\xb2"}', b'{"$complex": [1e400, true]}', b'[' * 5000 + b']' * 5000):
        with pytest.raises(codec.DecodeError):
            codec.decode(codec.loads(struct.pack(">I", len(text)) + text))
    # ints past what numbers can hold arrive as the float they are closest to
    assert codec.decode({"$int": "9" * 350}) == float("inf")
    assert isinstance(codec.decode({"$int": str(2**70)}), float)


def test_a_message_nobody_asked_for_is_a_flagged_protocol_error():
    forged = json.dumps({"op": "result", "value": 42.0, "error": None, "seconds": 0.0, "seq": 1,
                         "warnings": []}).encode()
    source = _forge(forged) + "\ndef f(x):\n    _forge()\n    return x\ndef g(x):\n    return x\n"
    with StudentProcess([{"id": "c", "source": source}], ["f", "g"]) as p:
        first = p.call("f", (1.0,))            # the forged reply arrives first and is taken as the result ...
        second = p.call("g", (2.0,))           # ... and the real one is then a message nobody asked for
        assert first.value == 42.0 and second.failure_kind == PROTOCOL and second.flag_code == PROTOCOL
    with StudentProcess([{"id": "c", "source": source}], ["f", "g"]) as p:
        p.call("f", (1.0,))
        deadline, found = time.monotonic() + 10, []
        while not found and time.monotonic() < deadline:    # the real answer follows the forged one
            found = [code for code, _ in p.audit() if code == PROTOCOL]
            time.sleep(0.05)
        assert found                                         # seen at the end of judging too


def test_one_budget_covers_loading_and_every_call():
    """Loading that takes most of its limit and calls just under theirs cannot add up past
    the notebook's budget: the whole judging stops there, and says so."""
    lab = get_lab(LAB2)
    source = "import time\ntime.sleep(1.5)\n" + "".join(
        f"def {f}(*args, **kwargs):\n    time.sleep(0.9)\n" for f in lab.functions)
    limits = Limits(call_seconds=1.0, load_seconds=2.0, notebook_seconds=3.0)
    start = time.monotonic()
    with StudentProcess([{"id": "c", "source": source}], lab.functions, limits=limits) as p:
        report = judge(lab, p, hidden=False)
    assert time.monotonic() - start < 3.0 + 2.5             # the budget, plus starting and ending the process
    assert any(c.kind == OUT_OF_BUDGET and "time budget" in c.message for c in report.checks)
    assert any("used up its whole time budget" in note for note in report.notes)
    assert not report.flags                                  # slow code is an honest mistake


def test_reference_requests_are_sized_against_their_arguments_before_anything_is_computed():
    budget = _Budget(Limits(), size=120)
    assert budget.admits([np.zeros(40), np.ones(40)], {})
    assert budget.admits([np.zeros((30, 3)), np.zeros(3), 0.0], {})
    assert not budget.admits([np.zeros((6000, 1)), np.zeros((1, 6000))], {})        # a broadcast
    assert not budget.admits([np.zeros((9000, 1)), np.zeros((1, 9000)).T.T], {})
    assert not budget.admits([np.zeros(5000), 5000], {})                             # one_hot(y, 5000)
    assert not budget.admits([np.zeros((5000, 2)), np.zeros((2, 5000))], {})        # a matrix product


def test_an_oversized_request_costs_the_judge_nothing():
    source = '''import numpy as np
def bce_loss(y, p):
    return 0.0
def train(X):
    try:
        return float(bce_loss(np.zeros((6000, 1)), np.full((1, 6000), 0.5)))
    except Exception:
        return -1.0
'''
    def reference_loss(y, p):
        return float(np.mean(-(y * np.log(p) + (1 - y) * np.log(1 - p))))
    with StudentProcess([{"id": "c", "source": source}], ["bce_loss", "train"],
                        reference={"bce_loss": reference_loss}) as p:
        tracemalloc.start()
        try:
            result = p.call("train", (np.zeros((30, 3)),), reference=("bce_loss",), trace=True)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert result.value == 0.0                       # refused: the student's own bce_loss ran
    assert [call["answered"] for call in result.trace] == [False]
    assert peak < 20 * 2**20, peak                   # the broadcast alone would be 288 MB


def test_hidden_inputs_depend_on_the_course_key_and_the_submission(tmp_path, monkeypatch):
    monkeypatch.setenv(course_key.ENV_FILE, str(tmp_path / "course.key"))
    key = course_key.load()
    assert course_key.load() == key and (tmp_path / "course.key").stat().st_mode & 0o777 == 0o600
    check = next(c for c in load_lab(LAB2, hidden=True).checks(hidden=True) if c.hidden)
    cells = [{"id": "sigmoid", "source": "def sigmoid(z): ..."}]
    changed = [{"id": "sigmoid", "source": "def sigmoid(z): ...  # now"}]
    same = check_seed(check, course_key.submission_secret(key, cells))
    assert same == check_seed(check, course_key.submission_secret(key, [dict(c) for c in cells]))
    assert same != check_seed(check, course_key.submission_secret(key, changed))
    assert same != check_seed(check, course_key.submission_secret(b"another course's key", cells))
    assert same != check_seed(check)                          # the id alone: what a student could know
    public = next(c for c in get_lab(LAB2).checks(hidden=False))
    assert check_seed(public, course_key.submission_secret(key, cells)) == check_seed(public)


def test_a_hidden_check_never_shows_what_the_students_code_raised():
    lab = Lab("tiny", "", [GradedFunction("double", "double(x)")])
    hidden = lab.hidden_checks()

    @hidden.check("double")
    def check_double_random(ctx):
        expect.values(ctx, ctx.call(ctx.rng.normal(size=3)), np.zeros(3), what="double")

    from autograder.judging.checks import InstructorMaterial
    composed = lab.with_instructor(InstructorMaterial(hidden, type("R", (), {}), {}))
    source = "import numpy as np\ndef double(x):\n    raise ValueError(repr(np.asarray(x).tolist()))\n"
    with StudentProcess([{"id": "c", "source": source}], ["double"]) as p:
        report = judge(composed, p, hidden=True, material=composed.material, secret=b"s" * 32)
    message = report.checks[0].message
    assert "ValueError" in message and not re.search(r"\d\.\d\d", message), message


ODD_ANSWERS = [None, "text", -10**400, 1 + 2j, ({},), np.zeros((0, 3)), np.array(["a"]), np.ones((2, 2, 2, 2, 2)),
               object(), np.uint64(2**64 - 1), np.array([1 + 1j, 2]), (np.zeros(3), "x", [(1.0, 2.0)] * 3)]


def test_no_answer_a_student_function_can_return_breaks_a_check():
    """Whatever plain data comes back - huge ints, complex numbers, strings, empty or 5-D
    arrays, opaque objects, tuples of the wrong parts - every check of every lab judges it
    (a failed check, never a check error, which would be the instructor's problem)."""
    from autograder.sandbox.inprocess import InProcessSubject
    from autograder.labs import LAB_IDS
    broken = []
    for lab_id in LAB_IDS:
        lab = load_lab(lab_id, hidden=True)
        reference = {f: getattr(lab.reference, f) for f in lab.functions}
        for name in lab.functions:
            for value in ODD_ANSWERS:
                subject = InProcessSubject({name: lambda *a, _value=value, **k: _value}, list(lab.functions),
                                           reference=reference)
                report = judge(lab, subject, hidden=True, material=lab.material, functions=[name], secret=b"k" * 32)
                broken += [(c.id, repr(value)[:30], c.message[:120]) for c in report.checks if c.kind == "check_error"]
    assert not broken, broken[:5]
