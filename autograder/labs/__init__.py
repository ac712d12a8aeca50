"""The labs: each module here is one lab (its graded functions and public checks), with
its public data in ``data/<lab>.json``.

`load_lab(lab_id)` is the public lab, what students get. `load_lab(lab_id, hidden=True)`
composes a new lab from the public one and what the instructor install declares under
the entry point group ``nnlabs.instructor`` (hidden checks, reference, mistake catalog).
This package never imports the instructor package by name, and importing either one
changes nothing in the other.
"""
from __future__ import annotations

import functools
import importlib
import pkgutil

INSTRUCTOR_HOOK = "nnlabs.instructor"


def lab_ids() -> tuple:
    """The lab ids, in order: the modules of this package that have their public data beside
    them (a stray module, say a stale copy left in a build folder, is not a lab)."""
    from importlib import resources
    data = resources.files(__name__).joinpath("data")
    return tuple(sorted(m.name for m in pkgutil.iter_modules(__path__)
                        if not m.name.startswith("_") and data.joinpath(f"{m.name}.json").is_file()))


LAB_IDS = lab_ids()


class UnknownLab(KeyError):
    def __str__(self):
        return self.args[0]


class NoInstructorMaterial(RuntimeError):
    """The hidden checks were asked for on an install without them (a student's)."""


def load_lab(lab_id: str, *, hidden: bool = False):
    """The public lab, or with hidden=True a new lab that also holds the hidden checks, the
    reference functions and the mistake catalog. Raises UnknownLab, NoInstructorMaterial."""
    if lab_id not in LAB_IDS:
        raise UnknownLab(f"unknown lab {lab_id!r}; the labs are: {', '.join(LAB_IDS)}")
    public = importlib.import_module(f"{__name__}.{lab_id}").LAB
    return _instructor_lab(lab_id) if hidden else public


@functools.cache
def _instructor_lab(lab_id: str):
    hook = instructor_hook()
    if hook is None:
        raise NoInstructorMaterial("the hidden checks need the instructor install (the `solutions` package)")
    return load_lab(lab_id).with_instructor(hook(lab_id))


@functools.cache
def instructor_hook():
    """The function the instructor install declares (lab id -> InstructorMaterial), or None."""
    from importlib import metadata          # scanning the installed distributions: only when asked
    for entry in metadata.entry_points(group=INSTRUCTOR_HOOK):
        try:
            return entry.load()
        except ModuleNotFoundError:
            return None
    return None


# -- deprecated aliases, kept while other parts move to load_lab ---------------------
def get_lab(lab_id: str):
    """Deprecated: load_lab(lab_id, hidden=True) on an instructor install, else the public lab."""
    return load_lab(lab_id, hidden=instructor_hook() is not None)


def instructor_material(lab_id: str):
    """Deprecated: (reference module, mistake catalog) on an instructor install, else None."""
    if instructor_hook() is None:
        return None
    return load_lab(lab_id, hidden=True).material
