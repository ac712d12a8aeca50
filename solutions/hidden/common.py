"""Shared pieces of the hidden checks (instructor only).

Every comparison here also holds the student to two rules of the contract that the
values alone do not show: functions never modify their inputs in place, and (where
asked) array results are numpy arrays, not Python lists.
"""
import numpy as np

from autograder.checks import CallBroken, CheckFailed
from autograder.diagnosis import close, type_name
from autograder.labs import common

IN_PLACE = ("{function} changed its input array in place (for example with +=, *= or x[...] = ...): "
            "the caller's data must stay as it was. Work on a copy or on new arrays.")


class Failed(CheckFailed):
    """A failed comparison, ranked by how well it names the mistake: 2 when exactly one known
    mistake gives the student's output, 1 for another likely cause, 0 for none."""

    def __init__(self, message, rank):
        super().__init__(message)
        self.rank = rank


def rank_of(exc):
    return getattr(exc, "rank", 1 if "Likely cause" in str(exc) else 0)


class Cases:
    """Several cases of one check: every case runs, and a failure reports the most telling
    one (the first with the best rank_of). An edge case such as one sample often cannot
    tell two mistakes apart where a larger case can.

        with Cases(ctx) as cases:
            for ...:
                cases.run(compare, [X, W, b], what=...)
    """

    def __init__(self, ctx):
        self.ctx = ctx
        self.failures = []

    def __enter__(self):
        return self

    def run(self, function, *args, **kwargs):
        try:
            return function(self.ctx, *args, **kwargs)
        except CallBroken:
            raise
        except CheckFailed as exc:
            self.failures.append(exc)
            return None

    def __exit__(self, kind, value, traceback):
        if kind is None and self.failures:
            best = max(self.failures, key=rank_of)      # the first of the best
            self.ctx.fail(str(best))
        return False


def named(exc, got, mistakes):
    """`exc` as a ranked failure. When several known mistakes give this same output, the
    message names them all: on these inputs they cannot be told apart."""
    text = str(exc)
    matches = list(dict.fromkeys(message for value, message in mistakes if same(got, value)))
    others = [m for m in matches if m not in text]
    if others and len(others) < len(matches):
        text += "".join(f"\nor: {m}" for m in others)
    return Failed(text, 2 if len(matches) == 1 else rank_of(exc))


def call(ctx, args, kwargs=None):
    """The student's output, failing when the call changed one of its inputs in place."""
    result = ctx.call_result(*args, **(kwargs or {}))
    got = ctx.value_of(result, ctx.function)
    return got, result.modified_inputs


def expect_untouched(ctx, modified):
    if modified:
        ctx.fail(IN_PLACE.format(function=ctx.function))


def expect_ndarray(ctx, got, what):
    """A result that must be a numpy array (lists hold no shape or dtype of their own)."""
    if not isinstance(got, np.ndarray):
        ctx.fail(f"{what} should be a numpy array, but your function returned {type_name(got)}: build "
                 "the result with numpy (for example np.array(...) of your list) so that it has a "
                 "shape and a dtype like the inputs.")


def compare(ctx, args, kwargs=None, *, what, sizes=None, rtol=1e-6, atol=1e-8, array=False):
    """The student's output against the reference's on the same inputs, naming a known
    mistake when one matches."""
    kwargs = kwargs or {}
    expected = getattr(ctx.reference, ctx.function)(*copies(args), **kwargs)
    got, modified = call(ctx, args, kwargs)
    mistakes = ctx.mistakes(*args, **kwargs)
    try:
        ctx.expect(got, expected, what=what, mistakes=mistakes, sizes=sizes, rtol=rtol, atol=atol)
    except CheckFailed as exc:
        raise named(exc, got, mistakes) from None
    if array:
        expect_ndarray(ctx, got, what)
    expect_untouched(ctx, modified)
    return got


def compare_parts(ctx, args, kwargs=None, *, names, sizes=None):
    kwargs = kwargs or {}
    expected = getattr(ctx.reference, ctx.function)(*copies(args), **kwargs)
    got, modified = call(ctx, args, kwargs)
    mistakes = ctx.mistakes(*args, **kwargs)
    try:
        common.expect_parts(ctx, got, as_arrays(expected), names, mistakes, sizes=sizes)
    except CheckFailed as exc:
        raise named(exc, got, mistakes) from None
    expect_untouched(ctx, modified)
    return got


def compare_training(ctx, args, kwargs, *, n, entry_size, label=""):
    expected = getattr(ctx.reference, ctx.function)(*copies(args), **kwargs)
    got, modified = call(ctx, args, kwargs)
    mistakes = [(as_arrays(value), message) for value, message in ctx.mistakes(*args, **kwargs)]
    try:
        common.expect_training_output(ctx, got, n=n, epochs=kwargs["epochs"], entry_size=entry_size)
    except CheckFailed as exc:          # the form is wrong: name the known mistake that has this form
        cause = next((message for value, message in mistakes if same(got, value)), "")
        if cause:
            exc = CheckFailed(f"{exc} Likely cause: {cause}")
        raise named(exc, got, mistakes) from None
    try:
        common.expect_parts(ctx, got, as_arrays(expected), (f"W{label}", f"b{label}", f"history{label}"), mistakes)
    except CheckFailed as exc:
        raise named(exc, got, mistakes) from None
    expect_untouched(ctx, modified)


def same(got, candidate):
    """Equal numeric data, part by part (histories of pairs compared as arrays)."""
    if isinstance(got, (tuple, list)) and isinstance(candidate, (tuple, list)) and len(got) == len(candidate):
        return all(close(g, c, rtol=1e-5, atol=1e-7, equal_nan=True) or same(g, c) for g, c in zip(got, candidate))
    return close(got, candidate, rtol=1e-5, atol=1e-7, equal_nan=True)


def as_arrays(value):
    if isinstance(value, tuple):
        return tuple(np.asarray(v, dtype=np.float64) if isinstance(v, list) else v for v in value)
    return value


def copies(args):
    return [a.copy() if isinstance(a, np.ndarray) else a for a in args]
