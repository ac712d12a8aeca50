"""The independent reference of the seven lab-4 functions: the first lab-4 set's
(benchmarks/fresh_set_lab4/reference.py, written from SPEC.md section 2 alone), one file for
both sets."""
from __future__ import annotations

import importlib.util
from pathlib import Path

_spec = importlib.util.spec_from_file_location(
    "fresh_set_lab4_reference", Path(__file__).resolve().parent.parent / "fresh_set_lab4" / "reference.py")
_reference = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_reference)

LAB4, SOURCES, GIVEN = _reference.LAB4, _reference.SOURCES, _reference.GIVEN
source, namespace = _reference.source, _reference.namespace
