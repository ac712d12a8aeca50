"""Reading a submitted notebook and taking out the code the student wrote.

The judge runs only the student's answer cells (nbgrader solution cells, matched by
their grade id) and code cells the student added. Template cells (setup, demos,
plots) and test cells never run in the student process: the setup the functions need
comes from the lab's prelude.
"""
from __future__ import annotations

import json
from pathlib import Path

from .labs import LAB_IDS, load_lab


class UnusableNotebook(Exception):
    """The file cannot be judged; the message says why, for the student."""


def read_notebook(path) -> dict:
    """The notebook as plain JSON data, after checking that it is a usable one.

    (nbformat's full schema validation costs about a second of imports; the judge needs
    only the cells, so it checks their form itself.)"""
    path = Path(path)
    if not path.exists():
        raise UnusableNotebook(f"{path}: no such file")
    if path.is_dir():
        raise UnusableNotebook(f"{path} is a folder, not a notebook file")
    raw = path.read_bytes()
    if not raw.strip():
        raise UnusableNotebook(f"{path.name} is empty: it is not a notebook")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UnusableNotebook(f"{path.name} is not UTF-8 text (byte {exc.start}): "
                               "it is not a Jupyter notebook, or it was damaged") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UnusableNotebook(f"{path.name} is not a Jupyter notebook: invalid JSON at line "
                               f"{exc.lineno}, column {exc.colno} ({exc.msg})") from None
    if not isinstance(data, dict) or "cells" not in data and "worksheets" not in data:
        raise UnusableNotebook(f"{path.name} is JSON but not a Jupyter notebook (no cells)")
    major = data.get("nbformat")
    if not isinstance(major, int) or major < 4:
        raise UnusableNotebook(f"{path.name} uses notebook format {major}, which is too old: "
                               "open it in Jupyter and save it again (format 4 is needed)")
    cells = data.get("cells")
    if not isinstance(cells, list):
        raise UnusableNotebook(f"{path.name} has no list of cells")
    for index, cell in enumerate(cells):
        if not isinstance(cell, dict) or not isinstance(cell.get("cell_type"), str):
            raise UnusableNotebook(f"{path.name}: cell {index} is not a notebook cell")
        source = cell.get("source", "")
        if isinstance(source, list) and all(isinstance(line, str) for line in source):
            cell["source"] = "".join(source)
        elif not isinstance(source, str):
            raise UnusableNotebook(f"{path.name}: cell {index} has no readable source")
        if not isinstance(cell.get("metadata", {}), dict):
            raise UnusableNotebook(f"{path.name}: cell {index} has malformed metadata")
    nb = data
    return nb


def nbgrader_meta(cell) -> dict:
    meta = cell.get("metadata", {}).get("nbgrader")
    return meta if isinstance(meta, dict) else {}


def written_points(nb) -> float:
    """Points of the answers graded by hand (nbgrader's graded markdown cells)."""
    return float(sum(float(nbgrader_meta(c).get("points") or 0) for c in nb["cells"]
                     if c.get("cell_type") == "markdown" and nbgrader_meta(c).get("grade")))


def lab_in_metadata(nb):
    """The lab id written into a notebook's metadata at release (``metadata.nnlabs.lab``)."""
    meta = nb.get("metadata", {}) if isinstance(nb.get("metadata"), dict) else {}
    nnlabs = meta.get("nnlabs")
    lab = nnlabs.get("lab") if isinstance(nnlabs, dict) else None
    return lab if isinstance(lab, str) else None


def identify_lab(nb, path) -> str:
    """The lab a notebook belongs to: from its metadata (written at release), else its
    file name, else the graded cells it holds; any file name works."""
    name = Path(path).name
    ids = {nbgrader_meta(c).get("grade_id") for c in nb["cells"]}
    found = {lab_id: len(set(load_lab(lab_id).functions) & ids) for lab_id in LAB_IDS}
    most = max(found.values())
    by_cells = [lab_id for lab_id, count in found.items() if count and count == most]
    claimed = lab_in_metadata(nb)
    if claimed is not None and claimed not in LAB_IDS:
        raise UnusableNotebook(f"{name} belongs to a lab called {claimed!r}, which this version of nnlabs "
                               f"does not know (it knows {', '.join(LAB_IDS)}): update nnlabs")
    claimed = claimed or (Path(path).stem if Path(path).stem in LAB_IDS else None)
    if claimed:
        if most and not found[claimed]:
            raise UnusableNotebook(f"{name} is marked as {claimed} but holds the cells of {by_cells[0]}: "
                                   "submit the notebook of the right lab")
        return claimed
    if len(by_cells) == 1:
        return by_cells[0]
    if by_cells:
        raise UnusableNotebook(f"{name} holds graded cells of several labs ({', '.join(by_cells)}): "
                               "use the notebook you were given for one lab")
    raise UnusableNotebook(f"{name} is not one of the nnlabs labs ({', '.join(LAB_IDS)}): it has no nnlabs "
                           "metadata and none of the labs' answer cells")


ADDED = "added-"


def cell_note(cell_id: str, error) -> str:
    """A note for the student about a cell that raised while the answers were loaded."""
    where = str(getattr(error, "where", "") or "")
    if where.startswith(f"cell {cell_id}, "):          # the cell is named in the note itself
        error = f"{error.type}: {error.message}" + f" ({where[len(f'cell {cell_id}, '):]})"
    if cell_id.startswith(ADDED) and cell_id[len(ADDED):].isdigit():
        number = int(cell_id[len(ADDED):]) + 1
        return (f"cell {number} (a cell you added) raised {error} when your answers were checked. "
                "Only the answer cells and the cells you add run there, not the lab's own cells, so a cell "
                "of yours that uses their variables stops there; it costs nothing unless a graded function "
                "needs something it defines.")
    return f"the cell of {cell_id} raised {error} when your answers were checked"


def answer_cells(nb, lab) -> tuple[list, list]:
    """(cells to run, notes): the solution cells of the lab's graded functions and any
    code cells the student added, in notebook order."""
    cells, notes, seen = [], [], {}
    for index, cell in enumerate(nb["cells"]):
        if cell.get("cell_type") != "code":
            continue
        meta = nbgrader_meta(cell)
        source = cell.get("source", "")
        if not meta:
            cells.append({"id": f"{ADDED}{index}", "source": source})
            continue
        if not meta.get("solution"):
            continue
        grade_id = str(meta.get("grade_id", f"cell-{index}"))
        if grade_id in seen:
            raise UnusableNotebook(f"the answer cell '{grade_id}' appears twice (cells {seen[grade_id]} "
                                   f"and {index}): keep one copy")
        seen[grade_id] = index
        cells.append({"id": grade_id, "source": source})
    for function in lab.functions:
        if function not in seen:
            notes.append(f"the answer cell for {function} is missing from the notebook")
    return cells, notes
