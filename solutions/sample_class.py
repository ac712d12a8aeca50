"""Submissions made from the release notebooks: the demo's sample class and the test
suite's graded examples (instructor only).

A submission is the student version of a lab with some answer cells filled in: with
the master notebook's solution, or with an entry of the mistake catalog.
"""
from __future__ import annotations

import copy
import importlib
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOLUTION_MARKERS = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION[ \t]*(\n|$)", re.M)
SOLUTION_REGION = re.compile(r"### BEGIN SOLUTION[ \t]*\n(.*?)^[ \t]*### END SOLUTION", re.M | re.S)


def _read(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _grade_id(cell) -> str:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "")


def _source(cell) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def solution_sources(lab_id: str, root: Path = ROOT) -> dict:
    """{grade_id: the master notebook's answer, markers removed} for every solution cell."""
    nb = _read(root / "source" / lab_id / f"{lab_id}.ipynb")
    return {_grade_id(c): SOLUTION_MARKERS.sub("", _source(c)) for c in nb["cells"]
            if c.get("metadata", {}).get("nbgrader", {}).get("solution")}


def answer_regions(lab_id: str, root: Path = ROOT) -> list:
    """The text between the solution markers of the master notebook: what students must
    never be shown."""
    nb = _read(root / "source" / lab_id / f"{lab_id}.ipynb")
    return [region for c in nb["cells"] for region in SOLUTION_REGION.findall(_source(c))]


def catalog(lab_id: str):
    return importlib.import_module(f"solutions.mistakes.{lab_id}").CATALOG


def submission(lab_id: str, answers: dict, root: Path = ROOT) -> dict:
    """The release notebook with answer cells replaced: {grade_id: source}."""
    nb = copy.deepcopy(_read(root / "release" / lab_id / f"{lab_id}.ipynb"))
    for cell in nb["cells"]:
        if _grade_id(cell) in answers:
            cell["source"] = answers[_grade_id(cell)]
    return nb


def solved(lab_id: str, root: Path = ROOT, **overrides) -> dict:
    """Every answer from the master notebook, except `overrides` {grade_id: source}."""
    answers = solution_sources(lab_id, root)
    answers.update(overrides)
    return submission(lab_id, answers, root)


def with_entries(lab_id: str, *entry_names: str, root: Path = ROOT) -> dict:
    """The solved notebook with some functions replaced by catalog entries (by name)."""
    entries = {e.name: e for e in catalog(lab_id).entries}
    return solved(lab_id, root, **{entries[n].function: entries[n].source() for n in entry_names})


def write(nb: dict, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(nb, indent=1) + "\n", encoding="utf-8")
    return path


def build_class(course: Path, lab_id: str) -> dict:
    """Write the demo class into `course`/submitted and return {student: what it is}."""
    bugs = catalog(lab_id).bugs()
    variants = catalog(lab_id).variants()
    first_bugs = []
    for entry in bugs:                                  # one bug in each of three functions
        if entry.function not in {e.function for e in first_bugs} and not entry.named_by_check:
            first_bugs.append(entry)
    taken = {b.function for b in first_bugs[:3]}
    other_bugs = []
    for entry in reversed(bugs):                        # one bug in each of two other functions
        if entry.function not in taken and not entry.named_by_check:
            other_bugs.append(entry)
            taken.add(entry.function)
        if len(other_bugs) == 2:
            break
    variants = [v for v in variants if v.function not in taken]
    chosen, seen_functions = [], set()
    for variant in variants:                            # correct variants in two further functions
        if variant.function not in seen_functions:
            chosen.append(variant)
            seen_functions.add(variant.function)
    variants = chosen
    roster = {
        "ada": ("all answers correct", solved(lab_id, course)),
        "ben": ("three plausible bugs: " + ", ".join(e.name for e in first_bugs[:3]),
                with_entries(lab_id, *(e.name for e in first_bugs[:3]), root=course)),
        "cleo": ("correct variants written differently, and two bugs: " + ", ".join(e.name for e in other_bugs),
                 with_entries(lab_id, *(e.name for e in variants[:2] + other_bugs), root=course)),
        "dev": ("the blank release notebook", submission(lab_id, {}, course)),
    }
    described = {}
    for student, (what, nb) in roster.items():
        write(nb, course / "submitted" / student / lab_id / f"{lab_id}.ipynb")
        described[student] = what
    broken = course / "submitted" / "eve" / lab_id / f"{lab_id}.ipynb"
    broken.parent.mkdir(parents=True, exist_ok=True)
    broken.write_text('{"cells": [ {"cell_type": "code", "source": "def sigmoid(z):\n')  # cut off mid-save
    described["eve"] = "a damaged file (truncated JSON)"
    return described
