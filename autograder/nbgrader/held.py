"""nbgrader's own autograde steps, made cheap to run for a whole class in one process.

nbgrader runs each step with a gradebook it opens for that notebook alone (a new
database engine, so every query is compiled again), and checks its cell metadata
schema against the JSON Schema meta-schema once per cell. Over a class these costs are
larger than judging. The steps below are the same steps (nbgrader's classes, their
per-cell code unchanged) that use a gradebook held open for the whole run, and a
metadata check that validates each cell against the same schema with a validator
built once. `held(steps, gradebook)` puts them in place of nbgrader's exact classes
and leaves any other step (a course's own subclass, say) as configured.
"""
from __future__ import annotations

import functools
import hashlib
import inspect
import json
import traceback

import jsonschema
from nbformat import NotebookNode
from nbgrader.nbgraderformat import MetadataValidator, SchemaTooNewError, SchemaTooOldError, ValidationError
from nbgrader.nbgraderformat.common import BaseMetadataValidator
from nbgrader.preprocessors import (AssignLatePenalties, CheckCellMetadata, NbGraderPreprocessor, OverwriteCells,
                                    OverwriteKernelspec, SaveAutoGrades)


# Why this module exists, and what it leans on. nbgrader's steps open a gradebook of their own
# for every notebook, and its converters offer no hook to hand them one: over a class, those
# openings cost more than judging. The held steps below re-run the bodies of these nbgrader
# methods on a gradebook held open. They are the only code of nnlabs that depends on how
# nbgrader writes its steps (rather than on its configuration and documented hooks), so each
# method's source is pinned here: tests/test_nbgrader_adapter.py fails when an nbgrader
# release changes one, to be read again before the pin is moved.
PINNED = {
    "nbgrader.preprocessors.latesubmissions:AssignLatePenalties.preprocess": "e4fa96a4c466680a",
    "nbgrader.preprocessors.latesubmissions:AssignLatePenalties._check_late_penalty": "c004151bf101382c",
    "nbgrader.preprocessors.overwritecells:OverwriteCells.preprocess": "3a94b453d8e53bee",
    "nbgrader.preprocessors.saveautogrades:SaveAutoGrades.preprocess": "edef3c387d5c104a",
    "nbgrader.preprocessors.overwritekernelspec:OverwriteKernelspec.preprocess": "28cc17a228e741a2",
    "nbgrader.preprocessors.checkcellmetadata:CheckCellMetadata.preprocess": "f8dfe8c496d03e52",
    "nbgrader.nbgraderformat.common:BaseMetadataValidator.validate_cell": "e5f97f45a9aba510",
}


def pinned_changes() -> list:
    """The pinned nbgrader methods whose source is not what the held steps were written from."""
    import importlib
    changed = []
    for name, digest in PINNED.items():
        module, qualname = name.split(":")
        target = importlib.import_module(module)
        for part in qualname.split("."):
            target = getattr(target, part, None)
        source = inspect.getsource(target) if target is not None else ""
        if hashlib.sha256(source.encode()).hexdigest()[:16] != digest:
            changed.append(name)
    return changed


class OwnedNotebook(NotebookNode):
    """A notebook that nbconvert need not copy. An exporter deep-copies the notebook it is
    given three times (itself, before its steps, and in nbformat's normalize) so that the
    caller's copy stays untouched; a worker parses each notebook for one pass and never
    reads it again, and those copies cost more than nbgrader's own steps. Only the
    notebook object itself is shared: a step that copies a cell still gets a copy."""

    def __deepcopy__(self, memo):
        return self


class _SchemaOnce(BaseMetadataValidator):
    """BaseMetadataValidator.validate_cell with the schema's validator built once."""

    @functools.cached_property
    def _valid(self) -> set:
        return set()

    @functools.cached_property
    def _validator(self):
        cls = jsonschema.validators.validator_for(self.schema)
        cls.check_schema(self.schema)
        return cls(self.schema)

    def validate_cell(self, cell) -> None:
        if "nbgrader" not in cell.metadata:
            return
        schema = cell.metadata["nbgrader"].get("schema_version", 0)
        if schema < self.schema_version:
            raise SchemaTooOldError(f"Outdated schema version: {schema} (expected {self.schema_version})",
                                    schema, self.schema_version)
        if schema > self.schema_version:
            raise SchemaTooNewError(f"Schema version is too new: {schema} (expected {self.schema_version})",
                                    schema, self.schema_version)
        # Every submission holds the master notebook's cells: the metadata of most cells is
        # the same text in all of them, and the same text gets the same verdict.
        key = json.dumps(cell.metadata["nbgrader"], sort_keys=True, default=repr)
        if key in self._valid:
            return
        error = jsonschema.exceptions.best_match(self._validator.iter_errors(cell.metadata["nbgrader"]))
        if error is not None:
            raise error
        if len(self._valid) < 10_000:
            self._valid.add(key)


class _Validator(MetadataValidator, _SchemaOnce):
    """nbgrader's current metadata validator, its schema check built once."""


@functools.lru_cache(maxsize=1)
def _validator() -> _Validator:
    return _Validator()


class CheckCellMetadataOnce(CheckCellMetadata):
    def preprocess(self, nb, resources):
        try:
            _validator().validate_nb(nb)
        except ValidationError:
            self.log.error(traceback.format_exc())
            msg = "Notebook failed to validate; the nbgrader metadata may be corrupted."
            self.log.error(msg)
            raise ValidationError(msg)
        return nb, resources


class _Held:
    """A gradebook step that uses the gradebook its owner holds open."""
    held = None

    def _ids(self, resources):
        self.notebook_id = resources["nbgrader"]["notebook"]
        self.assignment_id = resources["nbgrader"]["assignment"]
        self.student_id = resources["nbgrader"].get("student")
        self.db_url = resources["nbgrader"]["db_url"]
        self.gradebook = self.held


class ReadOnce:
    """A read-only gradebook whose lookups of the master notebook's cells are kept: the
    workers' snapshot does not change during a run."""

    CACHED = ("find_notebook", "find_source_cell", "find_graded_cell")

    def __init__(self, gradebook):
        self.gradebook = gradebook
        self.found = {}

    def __getattr__(self, name):
        method = getattr(self.gradebook, name)
        if name not in self.CACHED:
            return method

        def cached(*args):
            key = (name, *args)
            if key not in self.found:
                self.found[key] = method(*args)
            return self.found[key]
        return cached


class OverwriteCellsHeld(_Held, OverwriteCells):
    def preprocess(self, nb, resources):
        self._ids(resources)
        nb, resources = NbGraderPreprocessor.preprocess(self, nb, resources)
        if self.add_missing_cells:
            nb, resources = self.add_missing_grade_cells(nb, resources)
            nb, resources = self.add_missing_task_cells(nb, resources)
        return nb, resources


class OverwriteKernelspecHeld(_Held, OverwriteKernelspec):
    def preprocess(self, nb, resources):
        self._ids(resources)
        kernelspec = self.gradebook.find_notebook(self.notebook_id, self.assignment_id).kernelspec
        if kernelspec:
            nb.metadata["kernelspec"] = json.loads(kernelspec)
        return nb, resources


class SaveAutoGradesHeld(_Held, SaveAutoGrades):
    def preprocess(self, nb, resources):
        self._ids(resources)
        self.gradebook = _SubmissionRows(self.held, self.notebook_id, self.assignment_id, self.student_id)
        return NbGraderPreprocessor.preprocess(self, nb, resources)


class _SubmissionRows:
    """The held gradebook, with the grades and comments of one submitted notebook read
    through its relationships (rows the writer's session holds already): SaveAutoGrades
    looks each one up with a query of its own, two per cell. A lookup answers what
    nbgrader's `find_grade` and `find_comment` would: the row of the grade (or solution)
    cell of that name, else of the task cell; anything else is asked of the gradebook."""

    def __init__(self, gradebook, notebook, assignment, student):
        self._gradebook = gradebook
        self._ids = (notebook, assignment, student)
        self._rows = {}
        submitted = gradebook.find_submission_notebook(notebook, assignment, student)
        for kind, rows in (("Grade", submitted.grades), ("Comment", submitted.comments)):
            for row in rows:
                self._rows[(kind, row.cell.name, row.cell.type)] = row

    def _find(self, kind, first, name, ids, fallback):
        if tuple(ids) == self._ids:
            for cell_type in (first, "TaskCell"):
                row = self._rows.get((kind, name, cell_type))
                if row is not None:
                    return row
        return fallback(name, *ids)

    def find_grade(self, grade_cell, *ids):
        return self._find("Grade", "GradeCell", grade_cell, ids, self._gradebook.find_grade)

    def find_comment(self, solution_cell, *ids):
        return self._find("Comment", "SolutionCell", solution_cell, ids, self._gradebook.find_comment)

    def __getattr__(self, name):
        return getattr(self._gradebook, name)


class AssignLatePenaltiesHeld(_Held, AssignLatePenalties):
    def preprocess(self, nb, resources):
        self._ids(resources)
        self.init_plugin()
        submission = self.gradebook.find_submission(self.assignment_id, self.student_id)
        notebook = self.gradebook.find_submission_notebook(self.notebook_id, self.assignment_id, self.student_id)
        notebook.late_submission_penalty = None
        if submission.total_seconds_late > 0:
            penalty = self.plugin_inst.late_submission_penalty(
                self.student_id, notebook.score, submission.total_seconds_late)
            if penalty is not None:     # bounded to [0, score], as nbgrader's own step bounds it
                notebook.late_submission_penalty = min(max(penalty, 0), notebook.score)
        self.gradebook.db.commit()
        return nb, resources


HELD = {OverwriteCells: OverwriteCellsHeld, OverwriteKernelspec: OverwriteKernelspecHeld, SaveAutoGrades: SaveAutoGradesHeld,
        AssignLatePenalties: AssignLatePenaltiesHeld, CheckCellMetadata: CheckCellMetadataOnce}


def held(steps) -> list:
    """The step list with nbgrader's exact classes replaced by their held versions."""
    return [HELD.get(step, step) if isinstance(step, type) else step for step in steps]


def held_open(step) -> bool:
    return isinstance(step, _Held)


def hold(steps, gradebook) -> list:
    """Give every held step among `steps` (instances) the open `gradebook`; returns them."""
    steps = list(steps)
    for step in steps:
        if isinstance(step, _Held):
            step.held = gradebook
    return steps


def register(exporter, steps, gradebook) -> None:
    """The steps (classes, import names or instances) made as nbconvert makes them, held
    versions of nbgrader's own given the open `gradebook`, and registered on `exporter`."""
    from traitlets.utils.importstring import import_item
    for step in held(import_item(s) if isinstance(s, str) else s for s in steps):
        instance = step(parent=exporter) if isinstance(step, type) else step
        hold([instance], gradebook)
        exporter.register_preprocessor(instance)
