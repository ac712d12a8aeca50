"""The independent reference of the existing fresh set (benchmarks/fresh_set/reference.py),
re-exported unchanged: its source texts fill every answer cell an entry does not."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

_PATH = Path(__file__).resolve().parent.parent / "fresh_set" / "reference.py"


def _load():
    name = "_fresh_set_base_reference"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, _PATH)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


_reference = _load()
LAB1, LAB2, LAB3 = _reference.LAB1, _reference.LAB2, _reference.LAB3
SOURCES = _reference.SOURCES
source = _reference.source
namespace = _reference.namespace
