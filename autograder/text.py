"""Student text made inert before people see it.

Messages carry text the student's code produced (exception types, messages and
locations, cell ids, student ids, file names, type names). On a terminal, control
characters could move the cursor and rewrite what the instructor reads, bidirectional
controls could reorder it, and a line break could add a line of its own ("✓ passed").
In a spreadsheet, a cell that begins with ``=`` is a formula.

- `inert` turns a piece of student text into one inert line: every control character,
  bidirectional control and line break is shown as a visible escape (``\\n``,
  ``\\x1b``, ``\\u202e``). Use it where student text enters a message, and for
  student ids and file names wherever they are shown.
- `printable` is for whole messages of ours (which may hold several lines): it keeps
  newlines and tabs and escapes everything else `inert` escapes.
- `csv_cell` is what every CSV writer of the project writes: inert text that no
  spreadsheet takes for a formula; numbers stay numbers.

None of them escapes the backslash itself, so each is idempotent and they compose:
``printable(inert(x)) == inert(x) == inert(inert(x))``.
"""
from __future__ import annotations

import numbers
import re

# C0 and C1 controls (ESC, CR, backspace, ...), DEL, U+0085 (NEL) among them
_CONTROLS = "\x00-\x1f\x7f-\x9f"
# bidirectional controls: Arabic letter mark, LRM, RLM, embeddings and overrides, isolates
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
# line and paragraph separators (the other line breaks, \n \r \v \f \x1c-\x1e \x85, are controls)
_SEPARATORS = "\u2028\u2029"
# lone surrogates: not text, and printing one raises UnicodeEncodeError
_SURROGATES = "\ud800-\udfff"

_INERT = re.compile(f"[{_CONTROLS}{_BIDI}{_SEPARATORS}{_SURROGATES}]")
_PRINTABLE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}{_SEPARATORS}{_SURROGATES}]")

# what a spreadsheet reads as the start of a formula (OWASP: CSV injection)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
ELLIPSIS = "…"
_CUT_ESCAPE = re.compile(r"\\(?:x[0-9a-f]?|u[0-9a-f]{0,3})?\Z")     # an escape the cut went through


def _escape(match) -> str:
    return match.group().encode("unicode_escape").decode("ascii")


def inert(text, limit: int | None = None) -> str:
    """`text` (anything; str() of it) as one inert line: control characters, DEL,
    bidirectional controls and every line break shown as visible escapes (\\n, \\r,
    \\x1b, \\x85, \\u202e, \\u2028, ...). With `limit`, at most that many characters,
    the last of them "…" when the text was cut."""
    out = _INERT.sub(_escape, str(text))
    if limit is not None and len(out) > limit:
        out = (_CUT_ESCAPE.sub("", out[:limit - 1]) + ELLIPSIS) if limit > 0 else ""
    return out


def printable(text) -> str:
    """`text` with control characters (except newline and tab), bidirectional controls,
    U+0085, U+2028 and U+2029 shown as \\xNN / \\uNNNN: a whole message of ours, its
    own lines kept."""
    return _PRINTABLE.sub(_escape, str(text))


def csv_cell(value):
    """One cell for a CSV file: numbers as they are; anything else as inert text, with a
    leading ' when it would begin a spreadsheet formula (=, +, -, @, tab, CR)."""
    if value is None:
        return ""
    if isinstance(value, numbers.Number):
        return value
    text = inert(value)
    return "'" + text if text.startswith(FORMULA_START) else text
