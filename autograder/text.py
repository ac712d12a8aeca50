"""Student text made inert before people see it.

Messages carry text the student's code produced (exception messages, cell ids, file
names). On a terminal, control characters could move the cursor and rewrite what the
instructor reads; `printable` keeps newlines and tabs and shows every other control
character as a visible escape.
"""
from __future__ import annotations

import re

# C0 and C1 controls (ESC, CR, backspace, ...), DEL, and the bidirectional overrides
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text) -> str:
    """`text` with control characters (except newline and tab) shown as \\xNN / \\uNNNN."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), str(text))
