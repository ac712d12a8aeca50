"""What a call warns (numpy's RuntimeWarning: an overflow, a log of 0) is seen by the judge as the
student's kernel shows it, in a student process and in the check cell alike, and bounded."""
import json

import numpy as np

from autograder.sandbox.inprocess import InProcessSubject
from autograder.sandbox.student_process import PROTOCOL, StudentProcess

from test_judge_bounds import _forge

SOURCE = ("import numpy as np\n"
          "def loud(z):\n    return 1 / (1 + np.exp(-np.asarray(z, dtype=float)))\n"
          "def hushed(z):\n    with np.errstate(over='ignore'):\n        return 1 / (1 + np.exp(-np.asarray(z, dtype=float)))\n")


def test_a_call_that_overflows_reports_its_warning_in_every_door():
    z = np.array([-1000.0, 0.0, 1000.0])
    with StudentProcess([{"id": "c", "source": SOURCE}], ["loud", "hushed"]) as process:
        loud, hushed = process.call("loud", (z,)), process.call("hushed", (z,))
    namespace = {}
    exec(compile(SOURCE, "<cell>", "exec"), namespace)
    kernel = InProcessSubject(namespace, ["loud", "hushed"])
    for result in (loud, kernel.call("loud", (z,))):
        assert result.ok and np.allclose(result.value, [0, 0.5, 1])
        assert result.warnings == ["RuntimeWarning: overflow encountered in exp"], result.warnings
    for result in (hushed, kernel.call("hushed", (z,))):
        assert result.ok and result.warnings == []


def test_a_forged_flood_of_warnings_is_a_protocol_error():
    flood = json.dumps({"op": "result", "value": 1.0, "error": None, "seconds": 0.0, "seq": 1,
                        "warnings": ["RuntimeWarning: x"] * 50}).encode()
    source = _forge(flood) + "\ndef f(x):\n    _forge()\n    return x\n"
    with StudentProcess([{"id": "c", "source": source}], ["f"]) as process:
        result = process.call("f", (1.0,))
    assert result.failure_kind == PROTOCOL and result.value is None, result
