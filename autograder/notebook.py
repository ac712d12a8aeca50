"""Taking in a submission, and taking out the code the student wrote.

`intake(path_or_folder, lab=None)` is how every door reads a submission (`nnlabs check`,
the pytest plugin, `nnlabs grade`, plain ``nbgrader autograde`` through the course's
configuration, Gradescope), so they all judge the same file in the same way:

- the lab comes from the notebook's metadata (``metadata.nnlabs.lab``, written at release),
  else from its cells; never from the file's name;
- a folder is searched for notebooks (any name; files that are not notebooks are ignored):
  the notebook of the lab is taken; of several, the newest (last modified); none says "no
  notebook was submitted"; another lab's notebook handed in for this one says so;
- a copied answer cell is no reason for a zero: the notebook is judged as it runs top to
  bottom (the last definition of a function is the one graded, as in the student's kernel),
  and the notes say which copy counted.

The judge runs only the student's answer cells (nbgrader solution cells, matched by
their grade id) and code cells the student added. Template cells (setup, demos,
plots) and test cells never run in the student process: the setup the functions need
comes from the lab's prelude.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
from pathlib import Path

from .labs import LAB_IDS, load_lab
from .text import inert


class UnusableNotebook(Exception):
    """The file cannot be judged; the message says why, for the student."""


class TakenNotebook(dict):
    """Notebook data as `intake` took it from a folder: `notes` say which file it is (the
    judge adds them to the report, through `answer_cells`)."""
    notes: tuple = ()


def read_notebook(path) -> dict:
    """The notebook as plain JSON data, after checking that it is a usable one. A folder is
    a submission: the notebook `intake` takes from it (raises its reason when there is none).

    (nbformat's full schema validation costs about a second of imports; the judge needs
    only the cells, so it checks their form itself.)"""
    path = Path(path)
    if path.is_dir():
        return intake(path).notebook()
    if not path.exists():
        raise UnusableNotebook(f"{path}: no such file")
    return parse_notebook(path.read_bytes(), path.name)


def parse_notebook(raw: bytes, name: str) -> dict:
    """The notebook in the bytes of a file called `name` (for the messages)."""
    if not raw.strip():
        raise UnusableNotebook(f"{name} is empty: it is not a notebook")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UnusableNotebook(f"{name} is not UTF-8 text (byte {exc.start}): "
                               "it is not a Jupyter notebook, or it was damaged") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UnusableNotebook(f"{name} is not a Jupyter notebook: invalid JSON at line "
                               f"{exc.lineno}, column {exc.colno} ({exc.msg})") from None
    except RecursionError:
        raise UnusableNotebook(f"{name} is not a Jupyter notebook: its JSON is nested too deeply") from None
    if not isinstance(data, dict) or "cells" not in data and "worksheets" not in data:
        raise UnusableNotebook(f"{name} is JSON but not a Jupyter notebook (no cells)")
    major = data.get("nbformat")
    if not isinstance(major, int) or major < 4:
        raise UnusableNotebook(f"{name} uses notebook format {major}, which is too old: "
                               "open it in Jupyter and save it again (format 4 is needed)")
    cells = data.get("cells")
    if not isinstance(cells, list):
        raise UnusableNotebook(f"{name} has no list of cells")
    for index, cell in enumerate(cells):
        if not isinstance(cell, dict) or not isinstance(cell.get("cell_type"), str):
            raise UnusableNotebook(f"{name}: cell {index} is not a notebook cell")
        source = cell.get("source", "")
        if isinstance(source, list) and all(isinstance(line, str) for line in source):
            cell["source"] = "".join(source)
        elif not isinstance(source, str):
            raise UnusableNotebook(f"{name}: cell {index} has no readable source")
        if not isinstance(cell.get("metadata", {}), dict):
            raise UnusableNotebook(f"{name}: cell {index} has malformed metadata")
    return data


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
    """The lab a notebook belongs to: from its metadata (written at release), else the
    graded cells it holds. Never from its file name: any name works (`path` only names the
    file in messages)."""
    name = inert(Path(str(path)).name, 120)
    ids = {nbgrader_meta(c).get("grade_id") for c in nb["cells"]}
    found = {lab_id: len(set(load_lab(lab_id).functions) & ids) for lab_id in LAB_IDS}
    most = max(found.values())
    by_cells = [lab_id for lab_id, count in found.items() if count and count == most]
    claimed = lab_in_metadata(nb)
    if claimed is not None and claimed not in LAB_IDS:
        raise UnusableNotebook(f"{name} belongs to a lab called {inert(claimed, 80)!r}, which this version of "
                               f"nnlabs does not know (it knows {', '.join(LAB_IDS)}): update nnlabs")
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


# -- the intake --------------------------------------------------------------------------------

# What plain nbgrader's pre-convert hook leaves in a submission folder when the notebook to grade
# is not called <lab>.ipynb (`nbgrader_judge.before_grading`): a copy under that name, the
# student's own <lab>.ipynb (if any) kept beside it, and this record of both, so that every
# door still sees the folder as it was submitted.
MANIFEST = ".nnlabs-intake.json"
KEPT = ".original"


@dataclasses.dataclass
class Intake:
    """A submission as the judge takes it: which file, which lab, why not, and what to tell."""
    expected: str | None                   # the lab it was handed in for (None: whichever it is)
    file: Path | None = None               # the file read (None: no notebook was submitted)
    name: str = ""                         # that file's name in the submission, as submitted
    data: bytes = b""                      # its bytes
    nb: dict | None = None                 # its notebook data (None when unreadable)
    lab: str | None = None                 # the lab the notebook belongs to
    reason: str = ""                       # why it cannot be graded ("" when it can)
    file_notes: list = dataclasses.field(default_factory=list)     # which file, and why that one
    cell_notes: list = dataclasses.field(default_factory=list)     # copied answer cells

    @property
    def usable(self) -> bool:
        return not self.reason

    @property
    def notes(self) -> list:
        """For the student and the instructor: every door shows them."""
        return self.file_notes + self.cell_notes

    def notebook(self) -> TakenNotebook:
        """The notebook data, carrying the notes about its file; raises UnusableNotebook."""
        if self.reason:
            raise UnusableNotebook(self.reason)
        nb = TakenNotebook(self.nb)
        nb.notes = tuple(self.file_notes)
        return nb


def intake(path_or_folder, lab: str | None = None) -> Intake:
    """Take in a submission: one notebook file, or a folder (of nbgrader's submitted/, a
    Gradescope upload) holding it under any name. `lab` is the lab it was handed in for (a
    folder named after a lab is for that lab); another lab's notebook is then unusable, with
    that reason. Never raises for what a student submitted."""
    path = Path(path_or_folder)
    if path.is_dir():
        return _from_folder(path, lab or (path.name if path.name in LAB_IDS else None))
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return Intake(lab, reason=f"{inert(path, 300)}: no such file")
    except OSError as exc:
        return Intake(lab, path, path.name, reason=f"{inert(path.name, 120)} cannot be read ({exc.strerror})")
    return take_in(data, path.name, lab, file=path)


def take_in(notebook, name: str, lab: str | None = None, *, file: Path | None = None) -> Intake:
    """Take in one notebook: its bytes, or its data already read (nbgrader's steps). `name`
    is what the student called the file."""
    taken = Intake(lab, file, name, data=notebook if isinstance(notebook, bytes) else b"")
    shown = inert(name, 120)
    try:
        taken.nb = parse_notebook(notebook, shown) if isinstance(notebook, bytes) else notebook
        taken.lab = identify_lab(taken.nb, shown)
    except UnusableNotebook as exc:
        taken.reason = str(exc)
        return taken
    if lab is not None and taken.lab != lab:
        taken.reason = f"this is the notebook of {taken.lab}, not {lab}: submit your {lab} notebook"
        return taken
    taken.cell_notes = copied_answers(taken.nb)
    return taken


def submitted_files(folder: Path) -> list:
    """The files of a submission folder, by path: not the folders and files that editors,
    archivers and Jupyter leave beside them (.ipynb_checkpoints, .git, __MACOSX, macOS's ._
    files: anything hidden), and no symbolic link (it could point anywhere)."""
    out = []
    for here, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__MACOSX"
                         and not os.path.islink(os.path.join(here, d)))
        for name in files:
            path = Path(here) / name
            if not name.startswith(".") and not path.is_symlink() and path.is_file():
                out.append(path)
    return sorted(out)


def read_manifest(folder: Path) -> dict | None:
    """What nbgrader's hook wrote into this folder, if the file it wrote is still as it wrote
    it: {"written": name, "sha256", "copy_of": name, "original": name or None}."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        written = folder / manifest["written"]
        if (isinstance(manifest, dict) and written.parent == folder and not written.is_symlink()
                and hashlib.sha256(written.read_bytes()).hexdigest() == manifest["sha256"]):
            return manifest
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return None


def _as_submitted(folder: Path) -> tuple:
    """([(name, path)] of the notebooks as the student submitted them, [other files' names]):
    what nbgrader's hook put in the folder is seen through."""
    files = {p.relative_to(folder).as_posix(): p for p in submitted_files(folder)}
    manifest = read_manifest(folder)
    if manifest is not None:
        files.pop(manifest["written"], None)
        original = manifest.get("original")
        if isinstance(original, str) and files.get(original, Path()).parent == folder:
            files[manifest["written"]] = files.pop(original)      # the student's own file, kept aside
    notebooks = sorted((n, p) for n, p in files.items() if n.lower().endswith(".ipynb"))
    others = sorted(n for n in files if not n.lower().endswith(".ipynb"))
    return notebooks, others


def _newest(taken: list) -> Intake:
    """The last modified (ties: the last by name, the same pick every time)."""
    def when(item):
        try:
            return item.file.stat().st_mtime_ns
        except OSError:
            return 0
    return max(taken, key=lambda item: (when(item), item.name))


def _listed(names) -> str:
    names = [f"'{inert(n, 120)}'" for n in names]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _from_folder(folder: Path, lab: str | None) -> Intake:
    notebooks, others = _as_submitted(folder)
    if not notebooks:
        if others:
            shown = _listed(others[:5]) + (f" and {len(others) - 5} more" if len(others) > 5 else "")
            held = f"the folder holds {shown}, which {'is' if len(others) == 1 else 'are'} not a notebook"
        else:
            held = "the folder is empty"
        wanted = f"your {lab} notebook" if lab else "your notebook"
        return Intake(lab, reason=f"no notebook was submitted ({held}): submit {wanted} (a .ipynb file)")
    taken = []
    for name, path in notebooks:
        try:
            taken.append(take_in(path.read_bytes(), name, lab, file=path))
        except OSError as exc:
            taken.append(Intake(lab, path, name, reason=f"{inert(name, 120)} cannot be read ({exc.strerror})"))
    usable = [t for t in taken if t.usable]
    if lab is None and usable:            # no lab asked for: the lab of the newest notebook
        newest = _newest(usable).lab
        for other in usable:
            if other.lab != newest:
                other.reason = f"this is the notebook of {other.lab}, not {newest}"
        usable = [t for t in usable if t.usable]
    if not usable:
        chosen = _newest(taken)
        if len(taken) > 1:
            why = "; ".join(f"'{inert(t.name, 120)}': {t.reason}" for t in taken)
            chosen.reason = f"none of the {len(taken)} notebooks submitted can be graded: {why}"
        return chosen
    chosen = _newest(usable)
    of = f"of {chosen.lab}"
    if len(usable) > 1:
        rest = [t.name for t in usable if t is not chosen]
        chosen.file_notes.append(
            f"your submission holds {len(usable)} notebooks {of}: the {'newer' if len(usable) == 2 else 'newest'} "
            f"one (last saved), '{inert(chosen.name, 120)}', was graded, not {_listed(rest)}")
    elif chosen.name != f"{chosen.lab}.ipynb":
        chosen.file_notes.append(f"the notebook graded is '{inert(chosen.name, 120)}', the notebook {of} in your "
                                 "submission (any file name works)")
    for other in taken:
        if not other.usable:
            chosen.file_notes.append(f"'{inert(other.name, 120)}' was not graded: {other.reason}")
    return chosen


# -- answer cells ------------------------------------------------------------------------------

def _solution_copies(nb) -> dict:
    """{grade id: [cell index, ...]} of every solution cell (code or markdown), in order."""
    where = {}
    for index, cell in enumerate(nb["cells"]):
        meta = nbgrader_meta(cell)
        if meta.get("solution") and isinstance(meta.get("grade_id"), str):
            where.setdefault(meta["grade_id"], []).append(index)
    return where


def _defines(source: str, name: str) -> bool:
    return re.search(rf"^(?:async[ \t]+)?def[ \t]+{re.escape(name)}\b|^{re.escape(name)}[ \t]*=(?!=)",
                     source, re.M) is not None


def copied_answers(nb) -> list:
    """Notes for answer cells that appear more than once (JupyterLab's copy and paste keeps
    a cell's nbgrader id): a slip, not an attempt. The notebook runs top to bottom, so the
    last copy that defines the function is the one graded (and, for a written answer, the
    last copy is the one read)."""
    notes = []
    for grade_id, indices in _solution_copies(nb).items():
        if len(indices) < 2:
            continue
        cells = [nb["cells"][i] for i in indices]
        counted = indices[-1]
        if cells[-1].get("cell_type") == "code":
            defining = [i for i, c in zip(indices, cells) if _defines(str(c.get("source", "")), grade_id)]
            counted = defining[-1] if defining else counted
        numbers = [i + 1 for i in indices]
        times = "twice" if len(indices) == 2 else f"{len(indices)} times"
        which = ("the later one" if len(indices) == 2 else "the last one") if counted == indices[-1] \
            else f"the last one that defines {inert(grade_id, 80)}"
        notes.append(f"the answer cell of {inert(grade_id, 80)} appears {times} "
                     f"(cells {', '.join(map(str, numbers[:-1]))} and {numbers[-1]}): "
                     f"{which}, cell {counted + 1}, was graded")
    return notes


ADDED = "added-"
COPY = re.compile(r"copy-(\d+)-of-(.*)", re.S)


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
    copied = COPY.fullmatch(cell_id)
    if copied:
        return (f"cell {copied.group(1)}, an earlier copy of the answer cell of {copied.group(2)}, raised {error} "
                "when your answers were checked (the later copy is the one graded)")
    return f"the cell of {cell_id} raised {error} when your answers were checked"


def answer_cells(nb, lab) -> tuple[list, list]:
    """(cells to run, notes): the solution cells of the lab's graded functions and any
    code cells the student added, in notebook order. A copied answer cell runs where each
    copy is, top to bottom, as in the student's kernel; the last copy carries the cell's id,
    an earlier one ``copy-<cell number>-of-<id>``."""
    copies = _solution_copies(nb)
    cells, notes = [], list(nb.notes) if isinstance(nb, TakenNotebook) else []
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
        last = copies.get(grade_id, [index])[-1]
        cells.append({"id": grade_id if index == last else f"copy-{index + 1}-of-{grade_id}", "source": source})
    notes += copied_answers(nb)
    for function in lab.functions:
        if function not in copies:
            notes.append(f"the answer cell for {function} is missing from the notebook")
    return cells, notes
