"""nbgrader: the autograde steps and hooks, feedback, release, and the held steps."""
