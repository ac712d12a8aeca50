"""Packaging hook: the wheel students install must not carry the instructor side.

`solutions` (reference implementations, hidden checks, mistake catalogs) and its entry
point (the group ``nnlabs.instructor``) are part of the editable instructor install, but
every regular wheel leaves both out: only the editable install lists the package (so no
built wheel names it, not even in ``top_level.txt``), `build_py` skips it all the same,
and `bdist_wheel`, which only regular wheels run, drops the entry point group.
"""
import configparser
import io
import os
import sys

from setuptools import setup
from setuptools.command.bdist_wheel import bdist_wheel
from setuptools.command.build_py import build_py

INSTRUCTOR_ONLY = "solutions"
INSTRUCTOR_HOOK = "nnlabs.instructor"
STUDENT = ["autograder", "autograder.labs", "autograder.labs.data", "autograder.grading", "autograder.templates",
           "autograder.templates.nnlabs_feedback"]
INSTRUCTOR_PACKAGES = ["solutions", "solutions.hidden", "solutions.mistakes"]
# setuptools' PEP 660 back end runs this file as `setup.py editable_wheel ...`.
EDITABLE = any(command in sys.argv[1:] for command in ("editable_wheel", "develop"))


class BuildPyWithoutSolutions(build_py):
    def finalize_options(self):
        super().finalize_options()
        if not getattr(self, "editable_mode", False):
            self.packages = [p for p in (self.packages or [])
                             if p != INSTRUCTOR_ONLY and not p.startswith(INSTRUCTOR_ONLY + ".")]


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
