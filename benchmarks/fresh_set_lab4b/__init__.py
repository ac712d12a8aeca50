"""A second, independent fresh held-out-style set of student code for lab 4 (one hidden layer).

Written without reading the first lab-4 set's entries, the solutions or the checks.
`reference.py` loads the first set's independent reference of the seven
graded functions (written from SPEC.md section 2 alone); `lab4.py` holds other plausible
first-attempt student submissions, one graded function each, labelled against that reference.
`benchmarks/fresh_set.py --set benchmarks/fresh_set_lab4b` grades every entry as a real submission.
"""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

# the entry format is the first set's (benchmarks/fresh_set/__init__.py): one definition for every set
_spec = importlib.util.spec_from_file_location(
    "fresh_set_entry_format", Path(__file__).resolve().parent.parent / "fresh_set" / "__init__.py")
_format = sys.modules.setdefault(_spec.name, importlib.util.module_from_spec(_spec))
if not hasattr(_format, "Entry"):
    _spec.loader.exec_module(_format)

KINDS, Entry, bug, correct, partial = _format.KINDS, _format.Entry, _format.bug, _format.correct, _format.partial
