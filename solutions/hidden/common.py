"""Shared pieces of the hidden checks (instructor only)."""
import numpy as np

from autograder.labs import common


def compare(ctx, args, kwargs=None, *, what, sizes=None, rtol=1e-6, atol=1e-8):
    """The student's output against the reference's on the same inputs, naming a known
    mistake when one matches."""
    kwargs = kwargs or {}
    expected = getattr(ctx.reference, ctx.function)(*copies(args), **kwargs)
    got = ctx.call(*args, **kwargs)
    ctx.expect(got, expected, what=what, mistakes=ctx.mistakes(*args, **kwargs), sizes=sizes, rtol=rtol, atol=atol)
    return got


def compare_parts(ctx, args, kwargs=None, *, names, sizes=None):
    kwargs = kwargs or {}
    expected = getattr(ctx.reference, ctx.function)(*copies(args), **kwargs)
    got = ctx.call(*args, **kwargs)
    common.expect_parts(ctx, got, as_arrays(expected), names, ctx.mistakes(*args, **kwargs), sizes=sizes)
    return got


def compare_training(ctx, args, kwargs, *, n, entry_size, label=""):
    expected = getattr(ctx.reference, ctx.function)(*copies(args), **kwargs)
    got = ctx.call(*args, **kwargs)
    common.expect_training_output(ctx, got, n=n, epochs=kwargs["epochs"], entry_size=entry_size)
    mistakes = [(as_arrays(value), message) for value, message in ctx.mistakes(*args, **kwargs)]
    common.expect_parts(ctx, got, as_arrays(expected), (f"W{label}", f"b{label}", f"history{label}"), mistakes)


def as_arrays(value):
    if isinstance(value, tuple):
        return tuple(np.asarray(v, dtype=np.float64) if isinstance(v, list) else v for v in value)
    return value


def copies(args):
    return [a.copy() if isinstance(a, np.ndarray) else a for a in args]
