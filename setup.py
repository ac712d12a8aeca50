"""Packaging hook: the wheel students install carries only what a student runs.

A student runs the check cell, `nnlabs check` and pytest: the sandbox, the judge, the labs'
public checks and the faces that show a result. The instructor side - `solutions`
(reference implementations, hidden checks, mistake catalogs) and its entry point (the group
``nnlabs.instructor``), the nbgrader steps, class grading, the class report, the Gradescope
builder and the course commands - is part of the editable instructor install, and every
regular wheel leaves it out: only the editable install lists those packages (so no built
wheel names them, not even in ``top_level.txt``), `build_py` skips them and the instructor
modules all the same, and `bdist_wheel`, which only regular wheels run, drops the entry
point group.
"""
import configparser
import io
import os
import sys

from setuptools import setup
from setuptools.command.bdist_wheel import bdist_wheel
from setuptools.command.build_py import build_py

INSTRUCTOR_HOOK = "nnlabs.instructor"
STUDENT = ["autograder", "autograder.sandbox", "autograder.judging", "autograder.labs", "autograder.labs.data",
           "autograder.faces"]
INSTRUCTOR_PACKAGES = ["autograder.nbgrader", "autograder.nbgrader.templates",
                       "autograder.nbgrader.templates.nnlabs_feedback", "autograder.grading", "autograder.reports",
                       "solutions", "solutions.hidden", "solutions.mistakes"]
INSTRUCTOR_MODULES = {("autograder", "course"), ("autograder.faces", "gradescope")}
# setuptools' PEP 660 back end runs this file as `setup.py editable_wheel ...`.
EDITABLE = any(command in sys.argv[1:] for command in ("editable_wheel", "develop"))


class BuildPyWithoutSolutions(build_py):
    def finalize_options(self):
        super().finalize_options()
        if not getattr(self, "editable_mode", False):
            self.packages = [p for p in (self.packages or []) if p in STUDENT]

    def find_package_modules(self, package, package_dir):
        modules = super().find_package_modules(package, package_dir)
        if getattr(self, "editable_mode", False):
            return modules
        return [(pkg, module, path) for pkg, module, path in modules if (pkg, module) not in INSTRUCTOR_MODULES]


class WheelWithoutInstructorHook(bdist_wheel):
    """Editable installs never call `run`; there the hook stays."""

    def run(self):
        self._regular_wheel = True
        super().run()

    def write_wheelfile(self, wheelfile_base, *args, **kwargs):
        super().write_wheelfile(wheelfile_base, *args, **kwargs)
        path = os.path.join(wheelfile_base, "entry_points.txt")
        if getattr(self, "_regular_wheel", False) and os.path.exists(path):
            groups = configparser.ConfigParser(interpolation=None, delimiters=("=",))
            groups.optionxform = str
            groups.read(path)
            groups.remove_section(INSTRUCTOR_HOOK)
            text = io.StringIO()
            groups.write(text)
            with open(path, "w") as handle:
                handle.write(text.getvalue())


setup(packages=STUDENT + INSTRUCTOR_PACKAGES if EDITABLE else STUDENT,
      cmdclass={"build_py": BuildPyWithoutSolutions, "bdist_wheel": WheelWithoutInstructorHook})
