"""nnlabs' autograder: checks, gradient checking, diagnosis, notebook handling,
isolated execution, reporting, the command line and the pytest plugin.

In a lab notebook, the cell under each function runs ``check(function)``: the public
checks of that function, with a short summary. It is a self-check only; grades are
computed by the isolated judge (`autograder.judging.judge`), never in the student's kernel.
"""
__version__ = "0.1.0"
COURSE_ID = "nnlabs"          # the nbgrader course id (nbgrader_config.py and the gradebook read it)


def check(function, hidden: bool = False, lab: str | None = None):
    """Run the checks of one graded function defined in this notebook and print a summary."""
    from .faces.check_cell import check_in_notebook
    check_in_notebook(function, hidden=hidden, lab_id=lab)


__all__ = ["check", "COURSE_ID"]
