"""Shared fixtures: a scratch copy of the course for nbgrader runs, and submissions."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = os.path.dirname(sys.executable)
LAB2 = "lab2_binary_classification"
# The hidden checks' inputs are seeded with the course's key (autograder/course_key.py): the
# suite uses a fixed one of its own, so every machine draws the same inputs (a course's real
# key is made at random, once, in its .nnlabs folder). Inherited by every command a test runs.
os.environ.setdefault("NNLABS_COURSE_KEY_FILE", str(ROOT / "tests" / "course.key"))


def run(args, cwd=None, **kwargs) -> subprocess.CompletedProcess:
    """Run a command with this environment's bin first on PATH (nbgrader needs alembic)."""
    env = dict(os.environ, PATH=BIN + os.pathsep + os.environ.get("PATH", ""), MPLBACKEND="Agg")
    return subprocess.run(args, cwd=cwd or ROOT, env=env, capture_output=True, text=True, **kwargs)


def nnlabs(*args, cwd=None):
    return run([os.path.join(BIN, "nnlabs"), *map(str, args)], cwd=cwd)


@pytest.fixture
def course(tmp_path) -> Path:
    """A fresh course directory: the config and the master notebooks, nothing generated."""
    target = tmp_path / "course"
    target.mkdir()
    shutil.copy(ROOT / "nbgrader_config.py", target)
    shutil.copytree(ROOT / "source", target / "source")
    return target
