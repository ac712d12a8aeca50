"""pytest plugin: `pytest release/<lab>` runs the lab's public checks, one test per check.

Any notebook of a lab is collected, whatever its file name: the lab is read from the
notebook's metadata (written at release), else its name or its cells. It is judged
once, in a student process, and each check becomes a test whose id is the check's id.
A check that cannot be judged because a graded function it uses fails its own checks
is skipped with that reason. ``-k NAME``, where NAME is a graded function, selects the checks of that function only
(``-k sigmoid`` leaves out ``sigmoid_derivative``). A failure shows the check's
message, nothing else.
"""
from __future__ import annotations

import pytest

from ..labs import LAB_IDS


def pytest_addoption(parser):
    group = parser.getgroup("nnlabs")
    group.addoption("--nnlabs-hidden", action="store_true", default=False,
                    help="also run the hidden checks of lab notebooks (instructor install)")


def lab_of(file_path) -> str | None:
    """The lab of a notebook file, or None when it is not an nnlabs lab notebook."""
    from ..notebook import UnusableNotebook, identify_lab, read_notebook
    try:
        return identify_lab(read_notebook(file_path), file_path)
    except UnusableNotebook:
        # a damaged file named after a lab is still collected: its tests say why it fails
        return file_path.stem if file_path.stem in LAB_IDS else None


def pytest_collect_file(file_path, parent):
    if file_path.suffix == ".ipynb" and ".ipynb_checkpoints" not in file_path.parts:
        lab = lab_of(file_path)
        if lab:
            return LabNotebook.from_parent(parent, path=file_path, lab_id=lab)
    return None


def pytest_collection_modifyitems(session, config, items):
    """``-k sigmoid`` means the graded function sigmoid, not every name containing it."""
    keyword = (config.getoption("keyword") or "").strip()
    if not keyword.isidentifier():
        return
    deselected = [item for item in items if isinstance(item, CheckItem)
                  and item.graded_function != keyword and keyword in item.lab_functions]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if item not in deselected]


class CheckFailure(Exception):
    pass


class LabNotebook(pytest.File):
    _report = None
    _unusable = None

    def __init__(self, *, lab_id, **kwargs):
        super().__init__(**kwargs)
        self.lab_id = lab_id

    def collect(self):
        from ..labs import get_lab
        hidden = self.config.getoption("--nnlabs-hidden")
        lab = get_lab(self.lab_id)
        for check in lab.checks(hidden=hidden):
            yield CheckItem.from_parent(self, name=check.id, check_id=check.id, graded_function=check.function,
                                        lab_functions=tuple(lab.functions))

    def report(self):
        if self._report is None and self._unusable is None:
            from ..judging.judge import judge_notebook
            from ..notebook import UnusableNotebook
            try:
                self._report = judge_notebook(self.path, hidden=self.config.getoption("--nnlabs-hidden"),
                                              lab_id=self.lab_id)
            except (UnusableNotebook, RuntimeError) as exc:
                self._unusable = str(exc)
        return self._report


class CheckItem(pytest.Item):
    def __init__(self, *, check_id, graded_function, lab_functions, **kwargs):
        super().__init__(**kwargs)
        self.check_id = check_id
        self.graded_function = graded_function
        self.lab_functions = lab_functions

    def runtest(self):
        report = self.parent.report()
        if report is None:
            raise CheckFailure(f"cannot judge {self.parent.path.name}: {self.parent._unusable}")
        result = next(c for c in report.checks if c.id == self.check_id)
        if not result.passed and result.blocked_by:     # not judged: a function it uses is wrong
            pytest.skip(result.message)
        if not result.passed:
            raise CheckFailure(result.message)

    def repr_failure(self, excinfo):
        if isinstance(excinfo.value, CheckFailure):
            from .display import inert
            return f"{self.check_id}\n{inert(excinfo.value)}"
        return super().repr_failure(excinfo)

    def reportinfo(self):
        return self.path, None, self.check_id
