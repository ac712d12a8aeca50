"""The course's secret key: what makes the hidden checks' inputs unknowable before grading.

A hidden check draws its random inputs from a seed mixed from three things
(`checks.check_seed`): the check's id, this key, and the content of the submission's code
(`submission_secret`). So the same file meets the same inputs at every re-grade (the same
score), a changed file meets fresh inputs, and whatever a submission learned about one
grading's inputs - by asking the judge's reference about them, or by carrying them out in
its feedback - is worth nothing in the next one.

The key is made once per course, at release (`nnlabs release`) or when first needed, and
kept with the instructor's files: ``.nnlabs/course.key`` in the course directory (ignored by
git, never in ``release/`` or the student wheel), mode 0600. Outside a course directory
(`nnlabs check --hidden` on a loose file) it is the user's own, in
``$XDG_CONFIG_HOME/nnlabs/course.key``. ``NNLABS_COURSE_KEY_FILE`` names another file (the
Gradescope autograder ships its course's key that way); the grading workers of a class
receive it in the course's configuration (`JudgeSubmission.course_key`).
"""
from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

KEY_FILE = Path(".nnlabs") / "course.key"
ENV_FILE = "NNLABS_COURSE_KEY_FILE"


def course_root(start: Path | None = None) -> Path | None:
    """The nbgrader course directory holding `start` (default: the working folder)."""
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "nbgrader_config.py").exists():
            return folder
    return None


def key_path(root: Path | None = None) -> Path:
    if os.environ.get(ENV_FILE):
        return Path(os.environ[ENV_FILE])
    root = root or course_root()
    if root is not None:
        return Path(root) / KEY_FILE
    config = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return config / "nnlabs" / "course.key"


def load(root: Path | None = None) -> bytes:
    """The course's key, made (32 random bytes, written as hex, readable by its owner only)
    the first time it is needed."""
    path = key_path(root)
    try:
        return _parse(path.read_text())
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    text = secrets.token_hex(32) + "\n"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:            # another process made it first: use theirs
        return _parse(path.read_text())
    with os.fdopen(fd, "w") as handle:
        handle.write(text)
    return _parse(text)


def _parse(text: str) -> bytes:
    try:
        key = bytes.fromhex(text.strip())
    except ValueError:
        key = b""
    if len(key) < 16:
        raise ValueError("the course key file does not hold a key (at least 32 hexadecimal digits); "
                         "delete it to have a new one made")
    return key


def submission_secret(key: bytes, cells) -> bytes:
    """The key mixed with the code a submission runs (its answer cells, in order): what
    seeds its hidden checks."""
    digest = hashlib.sha256()
    for cell in cells:
        for part in (str(cell.get("id", "")), str(cell.get("source", ""))):
            data = part.encode("utf-8", "surrogatepass")
            digest.update(len(data).to_bytes(8, "little") + data)
    return hmac.new(key, digest.digest(), hashlib.sha256).digest()
