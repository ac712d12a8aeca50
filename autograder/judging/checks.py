"""A registry of named checks, the stored-case format, and the context a check runs in.

A lab declares its graded functions; a check is a function ``check_<function>_<property>``
of a `Context`, registered with ``@checks.check("<function>", points=...)``, and its id is
``<function>.<property>``. It calls the student's function through the context (which only
ever returns plain data), compares with stored or reference values (`autograder.judging.expect`),
and raises `CheckFailed` with a message for the student when something is wrong.

Public checks live in ``autograder/labs/<lab>.py`` and ship to students. Hidden checks
live in their own `Checks` on the instructor side; `autograder.labs.load_lab` composes
the two into a new `Lab` (nothing registers into a public object by being imported).
"""
from __future__ import annotations

import collections.abc
import dataclasses
import hashlib
import hmac
import json
from functools import cached_property
from importlib import resources
from typing import Callable

import numpy as np

from ..labs.spec import FunctionSpec, LabSpec
from ..sandbox.codec import generator, native
from ..sandbox.student_process import CallResult, quiet


SELF_ENDING = ("SystemExit", "KeyboardInterrupt", "GeneratorExit")


class CheckFailed(AssertionError):
    """Raised by a check, with the message the student will read. `reasons()` gives it as
    data (what is wrong, the confirmed causes, what was observed) for the result."""

    kind = "failed"
    rank = 0            # how well it names the mistake (see `expect.confirmed`)

    def reasons(self) -> tuple:
        """(text, confirmed causes, observation)."""
        return str(self), [], ""

    def candidates(self) -> list:
        """Every known mistake that reproduces the output on this check's inputs, in catalog
        order (`reasons` names the first): what other checks of the function may tell apart."""
        return []


class StudentRaised(CheckFailed):
    """The student's function raised an exception."""

    kind = "raised"


class NotWritten(CheckFailed):
    """The student's function still raises NotImplementedError."""

    kind = "not_defined"


class CallBroken(CheckFailed):
    """The student's process timed out, died or broke the protocol: later checks of the
    function are skipped. `kind` is the call's `failure_kind`."""

    def __init__(self, message, kind="crashed"):
        super().__init__(message)
        self.kind = kind


# A graded function is declared by its contract (`labs.spec.FunctionSpec`): signature, callees,
# the input forms and properties its notebook promises.
GradedFunction = FunctionSpec


class ContractBroken(RuntimeError):
    """A check drew inputs outside the contract of the function it judges (a bug in the check)."""


@dataclasses.dataclass(frozen=True)
class Check:
    id: str
    function: str
    points: float
    hidden: bool
    run: Callable


class Checks:
    """An ordered set of named checks of one lab's graded functions, public or hidden."""

    def __init__(self, lab_id: str, functions, *, hidden: bool):
        self.lab_id = lab_id
        self.functions = tuple(functions)
        self.hidden = hidden
        self.items: list[Check] = []

    def check(self, function: str, *, points: float = 1.0):
        """Register ``check_<function>_<property>`` as the check ``<function>.<property>``."""
        if function not in self.functions:
            raise KeyError(f"{function} is not a graded function of {self.lab_id}")
        prefix = f"check_{function}_"

        def register(run):
            if not run.__name__.startswith(prefix) or run.__name__ == prefix:
                raise ValueError(f"a check of {function} is named {prefix}<property>, not {run.__name__}")
            check_id = f"{function}.{run.__name__[len(prefix):]}"
            if any(c.id == check_id for c in self.items):
                raise ValueError(f"check {check_id} is registered twice")
            self.items.append(Check(check_id, function, float(points), self.hidden, run))
            return run
        return register

    def __iter__(self):
        return iter(self.items)

    def __len__(self):
        return len(self.items)


@dataclasses.dataclass(frozen=True)
class InstructorMaterial:
    """What the instructor side adds to a public lab: hidden checks, the reference
    functions (a module), the catalog of known mistakes {function: [(message, implementation)]}
    and, for the demo, a writer of a sample class (course folder -> {student: what it is})."""
    hidden: Checks
    reference: object
    catalog: dict
    sample_class: Callable | None = None


class Lab:
    """A lab's graded functions and checks. The public lab (what students get) holds the
    public checks; `with_instructor` returns a new lab that also holds the hidden checks,
    the reference and the catalog."""

    def __init__(self, lab_id: str, title: str, functions, prelude: str = "import numpy as np"):
        self.id = lab_id
        self.title = title
        self.spec = LabSpec(lab_id, title, tuple(functions), prelude)     # the contract, as data
        self.functions = {f.name: f for f in functions}
        for position, f in enumerate(self.functions.values()):
            earlier = list(self.functions)[:position]
            for callee in f.calls:
                # judged before their callers, so no answer given for a caller can help a callee
                if callee not in earlier:
                    raise ValueError(f"{lab_id}: {f.name} calls {callee}, which must be a graded "
                                     f"function listed before it")
        self.prelude = prelude
        self.public = Checks(lab_id, self.functions, hidden=False)
        self.check = self.public.check
        self._checks: list[Check] = self.public.items
        self.reference = None
        self.catalog = None
        self.sample_class = None

    @classmethod
    def from_spec(cls, spec: LabSpec) -> "Lab":
        """The lab of a `LabSpec`, ready for its checks to be registered (`Lab.check`)."""
        return cls(spec.id, spec.title, spec.functions, spec.prelude)

    def hidden_checks(self) -> Checks:
        """An empty set of hidden checks for this lab's functions (filled on the instructor side)."""
        return Checks(self.id, self.functions, hidden=True)

    def with_instructor(self, material: InstructorMaterial) -> "Lab":
        if material.hidden.lab_id != self.id:
            raise ValueError(f"the hidden checks of {material.hidden.lab_id} do not belong to {self.id}")
        composed = Lab(self.id, self.title, self.functions.values(), self.prelude)
        composed._checks = list(self.public) + list(material.hidden)
        composed.reference = material.reference
        composed.catalog = material.catalog
        composed.sample_class = material.sample_class
        return composed

    @property
    def material(self):
        """(reference module, mistake catalog) of an instructor lab, else None."""
        return None if self.reference is None else (self.reference, self.catalog)

    def checks(self, *, hidden: bool, function: str | None = None) -> list[Check]:
        order = list(self.functions)
        selected = [c for c in self._checks if (hidden or not c.hidden)
                    and (function is None or c.function == function)]
        return sorted(selected, key=lambda c: (order.index(c.function), c.hidden))

    def points(self, function: str, *, hidden: bool = True) -> float:
        return sum(c.points for c in self.checks(hidden=hidden, function=function))

    def cell_points(self, function: str) -> float:
        """The points of a function's test cell, public and hidden checks together: stored
        with the public data, so a student install (public checks only) knows them too."""
        return float(self.data.get("points", {}).get(function, self.points(function)))

    @cached_property
    def data(self) -> dict:
        """Public fixed inputs, their expected outputs and the outputs of known mistakes."""
        text = resources.files("autograder.labs").joinpath("data", f"{self.id}.json").read_text()
        return json.loads(text)

    def case(self, key: str) -> "Case":
        raw = self.data["cases"][key]
        return Case([from_json(a) for a in raw["args"]],
                    {k: from_json(v) for k, v in raw.get("kwargs", {}).items()},
                    from_json(raw["expected"]),
                    [(from_json(m["value"]), m["message"]) for m in raw.get("mistakes", [])])


@dataclasses.dataclass
class Case:
    """One input of a check and what it should give: stored with the public data, or
    computed from the reference and the catalog when grading (`Case.of_reference`).
    Values are in stored form (`stored_form`)."""
    args: list
    kwargs: dict
    expected: object
    mistakes: list          # [(output of a known mistake, its message)]

    @classmethod
    def of_reference(cls, reference, catalog, function: str, args, kwargs=None) -> "Case":
        kwargs = dict(kwargs or {})
        expected = getattr(reference, function)(*copy_args(args), **copy_args(kwargs))
        implementations = (catalog or {}).get(function, [])
        held = copy_args(list(args)), copy_args(kwargs)
        mistakes = KnownOutputs(lambda: mistake_outputs(implementations, *held))
        return cls(list(args), kwargs, stored_form(expected), mistakes)


class KnownOutputs(collections.abc.Sequence):
    """[(output, message)] of known mistakes, computed the first time a failing comparison
    reads them: a check the student passes never runs the catalog."""

    def __init__(self, compute: Callable[[], list]):
        self._compute = compute
        self._items = None

    def _all(self) -> list:
        if self._items is None:
            self._items, self._compute = list(self._compute()), None
        return self._items

    def __getitem__(self, index):
        return self._all()[index]

    def __len__(self):
        return len(self._all())

    def __iter__(self):
        return iter(self._all())


def mistake_outputs(implementations, args, kwargs) -> list:
    """[(output in stored form, message)] of known mistakes on these inputs (each on fresh
    copies); a mistake that raises here has no output to recognise."""
    out = []
    for message, implementation in implementations:
        try:
            with quiet():
                value = implementation(*copy_args(args), **copy_args(kwargs))
        except Exception:
            continue
        out.append((stored_form(value), message))
    return out


def stored_form(value):
    """The form values are compared and stored in: lists (histories of (loss, accuracy)
    pairs) become float arrays, numpy scalars Python numbers; tuples and dicts keep their parts."""
    if isinstance(value, tuple):
        return tuple(stored_form(v) for v in value)
    if isinstance(value, dict):
        return {k: stored_form(v) for k, v in value.items()}
    if isinstance(value, list):
        try:
            return np.asarray(value, dtype=np.float64)
        except (TypeError, ValueError):
            return value
    if isinstance(value, np.generic):
        return value.item()
    return value


def to_json(value):
    """Stored public data: arrays as nested lists with their dtype, tuples kept."""
    if isinstance(value, np.ndarray):
        return {"array": value.tolist(), "dtype": value.dtype.str}
    if isinstance(value, np.generic):
        return {"array": value.item(), "dtype": value.dtype.str}
    if isinstance(value, tuple):
        return {"tuple": [to_json(v) for v in value]}
    if isinstance(value, dict):
        return {"dict": {str(k): to_json(v) for k, v in value.items()}}
    if isinstance(value, np.random.Generator):
        return {"rng": [type(value.bit_generator).__name__, json.dumps(value.bit_generator.state)]}
    if isinstance(value, list):
        return [to_json(v) for v in value]
    if isinstance(value, float) and not np.isfinite(value):
        return {"float": repr(value)}
    return value


def from_json(value):
    if isinstance(value, dict):
        if "array" in value:
            return np.array(value["array"], dtype=np.dtype(value["dtype"]))
        if "tuple" in value:
            return tuple(from_json(v) for v in value["tuple"])
        if "float" in value:
            return float(value["float"])
        if "dict" in value:
            return {k: from_json(v) for k, v in value["dict"].items()}
        if "rng" in value:
            return generator(*value["rng"])
    if isinstance(value, list):
        return [from_json(v) for v in value]
    return value


class Context:
    """What a check sees: the student's function (through plain data) and, when
    grading, the reference implementation and the catalog of known mistakes."""

    def __init__(self, lab: Lab, check: Check, subject, *, reference=None, catalog=None, secret: bytes = b""):
        self.lab = lab
        self.check = check
        self.function = check.function
        self.subject = subject
        self.reference = reference          # module of reference functions, or None
        self.catalog = catalog              # {function: [(message, callable)]}, or None
        self.hidden = check.hidden
        self.used = set()                   # other graded functions this check used (`other`)
        self.note = ""                      # a remark shown with the outcome, passed or not
        self.events = []                    # what the student's code did that an instructor should see
        self.rng = np.random.default_rng(check_seed(check, secret))

    # -- calling the student's code ---------------------------------------
    def _callees(self):
        return self.lab.functions[self.function].calls

    def call_result(self, *args, **kwargs) -> CallResult:
        return self.subject.call(self.function, args, kwargs, reference=self._callees())

    def call_traced(self, *args, **kwargs) -> CallResult:
        """As `call_result`, with the calls the student's function made to its declared
        callees recorded in order (`CallResult.trace`): what a training loop did, step by step."""
        return self.subject.call(self.function, args, kwargs, reference=self._callees(), trace=True)

    def call(self, *args, **kwargs):
        """The student's function on these inputs; CheckFailed if it raised or broke."""
        result = self.call_result(*args, **kwargs)
        return self.value_of(result, self.function)

    def value_of(self, result: CallResult, name: str):
        if result.flag_code:
            self.events.append((result.flag_code, name, result.flag_message(name)))
        if result.failure:
            raise CallBroken(result.failure, result.failure_kind)
        if result.error:
            stub = result.error.function
            if result.error.type == "NotImplementedError" and stub in self.lab.functions and stub != name:
                # a graded function it calls is still the stub: that one is not written, not this one
                raise StudentRaised(f"your {name} raised NotImplementedError in {stub}, which is not written yet.")
            if result.error.type == "NotImplementedError":
                raise NotWritten(f"{name} is not written yet: it still raises NotImplementedError.")
            if result.error.type in SELF_ENDING:
                self.events.append(("ends_process", name, f"{name} raised {result.error.type}"))
            if self.hidden:     # its text could carry the hidden inputs (or answers) out to feedback
                where = f" ({result.error.where})" if result.error.where else ""
                raise StudentRaised(f"your {name} raised {result.error.type}{where} on this check's inputs")
            raise StudentRaised(f"your {name} raised {result.error}")
        return result.value

    def other(self, name: str):
        """Another graded function as a plain callable: the reference when grading (so
        this check cannot fail because of a bug elsewhere), else the student's own."""
        self.used.add(name)
        if self.reference is not None:
            return getattr(self.reference, name)

        def student_version(*args, **kwargs):
            result = self.subject.call(name, args, kwargs)
            try:
                value = self.value_of(result, name)
            except CallBroken:
                raise
            except CheckFailed as exc:
                raise CheckFailed(f"this check uses your {name}, which failed: {exc} "
                                  f"Fix {name} first.") from None
            return native(value)
        return student_version

    # -- judging ------------------------------------------------------------
    def mistakes(self, *args, **kwargs):
        """Outputs of the catalog's known mistakes for this function on these inputs."""
        return mistake_outputs((self.catalog or {}).get(self.function, []), args, kwargs)

    def reference_case(self, args, kwargs=None) -> Case:
        """These inputs with the reference's output and the known mistakes' outputs. The
        inputs must be inside the function's contract (its `FunctionSpec.inside`): a check
        that draws others is broken (the instructor's problem, never a student's zero), since
        the reference answers for nothing else."""
        inside = getattr(self.lab.functions[self.function], "inside", None)
        if inside is not None and not inside(list(args), dict(kwargs or {})):
            raise ContractBroken(f"check {self.check.id} feeds {self.function} an input outside its contract "
                                 f"(shapes {[np.shape(a) for a in args]})")
        return Case.of_reference(self.reference, self.catalog, self.function, args, kwargs)

    def fail(self, message: str):
        raise CheckFailed(message)


def check_seed(check: Check, secret: bytes = b"") -> int:
    """The seed of a check's random inputs. A public check's come from its id alone (the
    student's self-check draws the same ones). A hidden check's come from `secret` as well -
    the course's key mixed with the submission's content (`autograder.judging.course_key`) - so no
    one can know them before grading, the same file meets the same inputs at every re-grade,
    and a changed file meets fresh ones."""
    if check.hidden and secret:
        digest = hmac.new(secret, check.id.encode(), hashlib.sha256).digest()
    else:
        digest = hashlib.sha256(check.id.encode()).digest()
    return int.from_bytes(digest[:8], "little")


def copy_args(value):
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, np.random.Generator):       # each use draws the same numbers
        return generator(*to_json(value)["rng"])
    if isinstance(value, (list, tuple)):
        return type(value)(copy_args(v) for v in value)
    if isinstance(value, dict):
        return {k: copy_args(v) for k, v in value.items()}
    return value

