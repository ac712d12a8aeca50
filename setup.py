"""Packaging hook: the wheel students install must not carry the reference code.

`solutions` (reference implementations, hidden checks, mistake catalogs) is mapped only
by the editable install an instructor works in (``pip install -e .``). Every built
wheel and sdist holds the student packages alone, so neither their files nor their
metadata (``top_level.txt``) name it.
"""
import sys

from setuptools import setup

STUDENT = ["autograder", "autograder.labs", "autograder.labs.data", "autograder.templates",
           "autograder.templates.nnlabs_feedback"]
INSTRUCTOR_ONLY = ["solutions", "solutions.hidden", "solutions.mistakes"]

# setuptools' PEP 660 back end runs this file as `setup.py editable_wheel ...`.
editable = any(command in sys.argv[1:] for command in ("editable_wheel", "develop"))

setup(packages=STUDENT + INSTRUCTOR_ONLY if editable else STUDENT)
