"""Judging: the checks, the judge, diagnosis of mistakes, and the result it returns."""
