"""Packaging hook: the wheel students install must not carry the reference code.

`solutions` (reference implementations and hidden checks) is part of the editable
instructor install, but `build_py`, which fills every regular wheel, skips it.
"""
from setuptools import setup
from setuptools.command.build_py import build_py

INSTRUCTOR_ONLY = "solutions"


class BuildPyWithoutSolutions(build_py):
    def finalize_options(self):
        super().finalize_options()
        if not getattr(self, "editable_mode", False):
            self.packages = [p for p in (self.packages or [])
                             if p != INSTRUCTOR_ONLY and not p.startswith(INSTRUCTOR_ONLY + ".")]


setup(cmdclass={"build_py": BuildPyWithoutSolutions})
