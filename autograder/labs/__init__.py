"""The labs: their graded functions and public checks.

`get_lab(lab_id)` returns the lab with its public checks and, on an instructor install
(where the `solutions` package is importable), its hidden checks too.
"""
from __future__ import annotations

import importlib

LAB_IDS = ("lab1_linear_regression", "lab2_binary_classification", "lab3_multiclass_classification")


def get_lab(lab_id: str):
    if lab_id not in LAB_IDS:
        raise KeyError(f"unknown lab {lab_id!r}; the labs are: {', '.join(LAB_IDS)}")
    module = importlib.import_module(f"autograder.labs.{lab_id}")
    lab = module.LAB
    if instructor_material(lab_id) is not None and not getattr(lab, "_hidden_loaded", False):
        importlib.import_module(f"solutions.hidden.{lab_id}")
        lab._hidden_loaded = True
    return lab


def instructor_material(lab_id: str):
    """(reference module, mistake catalog) on an instructor install, else None."""
    try:
        reference = importlib.import_module(f"solutions.{lab_id}")
        catalog = importlib.import_module(f"solutions.mistakes.{lab_id}")
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.split(".")[0] == "solutions":
            return None
        raise
    return reference, catalog.CATALOG.diagnosis_catalog()
