"""Student text made inert before people see it on a terminal.

Names, error messages and notes can come from a student's code or files. Control
characters in them (ANSI escapes, carriage returns, backspaces) could rewrite what an
instructor's terminal shows; `printable` keeps what reads as text and nothing else.
"""
from __future__ import annotations

import re
import unicodedata

# ESC-introduced sequences (CSI, OSC and two-byte escapes), removed whole so no
# stray "[2K" is left behind.
_ESCAPE = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)?|[@-_])")


def printable(text, *, keep_newlines: bool = False) -> str:
    """`text` without control or format characters; tabs become spaces, and newlines
    become spaces unless `keep_newlines`."""
    text = _ESCAPE.sub("", str(text))
    out = []
    for char in text:
        if char == "\n" and keep_newlines:
            out.append(char)
        elif char in "\t\n\r":
            out.append(" ")
        elif unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"):
            continue
        else:
            out.append(char)
    return "".join(out)
