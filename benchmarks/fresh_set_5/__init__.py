"""Set 5: a fresh held-out-style set of student code for the three labs.

Written without reading the mistake catalogs or the earlier sets: every entry is a first
attempt as a student writes it (or a correct variant written differently), labelled
against the independent reference of `benchmarks/fresh_set/reference.py`, which
`reference.py` here re-exports. The entry format (`Entry`, `bug`, `partial`, `correct`)
is the existing set's, loaded from `benchmarks/fresh_set/__init__.py` by path (this
folder is loaded as a package of its own by `benchmarks/fresh_set.py --set`).

    .venv/bin/python benchmarks/fresh_set.py --set benchmarks/fresh_set_5
"""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

_BASE = Path(__file__).resolve().parent.parent / "fresh_set" / "__init__.py"


def _base():
    name = "_fresh_set_base_format"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, _BASE)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


KINDS = _base().KINDS
Entry = _base().Entry
bug = _base().bug
partial = _base().partial
correct = _base().correct
