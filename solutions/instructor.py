"""The instructor side of a lab, as one hook: declared in pyproject.toml under the entry
point group ``nnlabs.instructor`` and called by `autograder.labs.load_lab(lab_id, hidden=True)`.

A lab's instructor material is found by its id: the reference functions in
``solutions/<lab>.py``, the hidden checks (``CHECKS``) in ``solutions/hidden/<lab>.py`` and
the mistake catalog (``CATALOG``) in ``solutions/mistakes/<lab>.py``, followed by the
mistake families of ``solutions/mistakes/families.py`` (what names mistakes nobody listed); the demo's sample
class comes from ``solutions/sample_class.py``.
"""
from __future__ import annotations

import functools
import importlib

from autograder.judging.checks import InstructorMaterial


def material(lab_id: str) -> InstructorMaterial:
    reference = importlib.import_module(f"solutions.{lab_id}")
    hidden = importlib.import_module(f"solutions.hidden.{lab_id}").CHECKS
    catalog = importlib.import_module(f"solutions.mistakes.{lab_id}").CATALOG
    from solutions.mistakes import families
    from solutions.sample_class import build_class
    named = families.merged(catalog.diagnosis_catalog(), families.for_lab(lab_id, reference))
    return InstructorMaterial(hidden, reference, named,
                              functools.partial(build_class, lab_id=lab_id))
