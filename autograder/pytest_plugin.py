"""pytest plugin: `pytest release/<lab>` runs the lab's public checks, one test per check.

A lab notebook (a file named ``<lab id>.ipynb``) is judged once, in a student process,
and each check becomes a test whose id is the check's id, so ``-k sigmoid`` selects
the checks of one function. A failure shows the check's message, nothing else.
"""
from __future__ import annotations

import pytest

from .labs import LAB_IDS


def pytest_addoption(parser):
    group = parser.getgroup("nnlabs")
    group.addoption("--nnlabs-hidden", action="store_true", default=False,
                    help="also run the hidden checks of lab notebooks (instructor install)")


def pytest_collect_file(file_path, parent):
    if file_path.suffix == ".ipynb" and file_path.stem in LAB_IDS and ".ipynb_checkpoints" not in file_path.parts:
        return LabNotebook.from_parent(parent, path=file_path)
    return None


class CheckFailure(Exception):
    pass


class LabNotebook(pytest.File):
    _report = None
    _unusable = None

    def collect(self):
        from .labs import get_lab
        hidden = self.config.getoption("--nnlabs-hidden")
        for check in get_lab(self.path.stem).checks(hidden=hidden):
            yield CheckItem.from_parent(self, name=check.id, check_id=check.id)

    def report(self):
        if self._report is None and self._unusable is None:
            from .judge import judge_notebook
            from .notebook import UnusableNotebook
            try:
                self._report = judge_notebook(self.path, hidden=self.config.getoption("--nnlabs-hidden"),
                                              lab_id=self.path.stem)
            except (UnusableNotebook, RuntimeError) as exc:
                self._unusable = str(exc)
        return self._report


class CheckItem(pytest.Item):
    def __init__(self, *, check_id, **kwargs):
        super().__init__(**kwargs)
        self.check_id = check_id

    def runtest(self):
        report = self.parent.report()
        if report is None:
            raise CheckFailure(f"cannot judge {self.parent.path.name}: {self.parent._unusable}")
        result = next(c for c in report.checks if c.id == self.check_id)
        if not result.passed:
            raise CheckFailure(result.message)

    def repr_failure(self, excinfo):
        if isinstance(excinfo.value, CheckFailure):
            return f"{self.check_id}\n{excinfo.value}"
        return super().repr_failure(excinfo)

    def reportinfo(self):
        return self.path, None, self.check_id
