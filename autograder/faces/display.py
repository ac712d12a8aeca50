"""How a judged notebook looks to people: a table per function (✓ / ✗ per check, the
message of each failure with its likely cause) as HTML for the notebook and feedback,
and as text for a terminal (coloured on a TTY, plain when piped).

It only formats a `Report`; every piece of text that came from a submission is
escaped for HTML and stripped of terminal control characters.
"""
from __future__ import annotations

import html

from ..judging.result import CAUSE, TEXT
from ..text import printable

PASS, FAIL, BLOCKED = "✓", "✗", "⚠"
COLOURS = {"green": "32", "red": "31", "yellow": "33", "bold": "1", "dim": "2"}


def inert(text) -> str:
    """Text safe for a terminal and a page: escape sequences, other control characters, bidi
    controls and line separators shown as visible escapes (`text.printable`)."""
    return printable(text)


def points(value: float) -> str:
    return f"{value:g}"


def mark(check) -> str:
    if check.passed:
        return PASS
    return BLOCKED if getattr(check, "blocked_by", "") else FAIL


def function_headline(report, function: str, *, cell_points: float | None = None) -> str:
    """'sigmoid: 4/5 checks passed (5/7 points)' and, on a student install, what the
    hidden checks add to the cell at grading."""
    checks = report.by_function().get(function, [])
    got, total = report.function_score(function)
    passed = sum(c.passed for c in checks)
    text = f"{function}: {passed}/{len(checks)} checks passed ({points(got)}/{points(total)} points)"
    if cell_points is not None and cell_points > total:
        text += f"; at grading, hidden checks make this cell worth {points(cell_points)}"
    return text


def blocked_callees(report, function: str) -> list:
    return list(dict.fromkeys(name for c in report.by_function().get(function, []) if not c.passed
                              for name in getattr(c, "blocked_by", ())))


# -- plain and coloured text -------------------------------------------------
def _paint(text: str, colour: str, on: bool) -> str:
    return f"\x1b[{COLOURS[colour]}m{text}\x1b[0m" if on else text


def function_text(report, function: str, *, colour: bool = False, cell_points: float | None = None) -> str:
    """One function's checks, one line each; a failure's message (each distinct one
    once) indented under it."""
    lines = [_paint(function_headline(report, function, cell_points=cell_points), "bold", colour)]
    seen = {}
    for c in report.by_function().get(function, []):
        symbol = mark(c)
        tint = "green" if c.passed else ("yellow" if symbol == BLOCKED else "red")
        line = f"  {_paint(symbol, tint, colour)} {c.id}"
        if c.passed and c.message:
            line += f" ({inert(c.message)})"
        if not c.passed:
            message = inert(c.message)
            if message in seen:
                line += f": same problem as {seen[message]}"
            else:
                seen[message] = c.id
                (_, first), *rest = _lines(c) or [(TEXT, "")]
                line += f": {first}"
                for part, extra in rest:
                    extra = "      " + extra
                    line += "\n" + (_paint(extra, "yellow", colour) if part == CAUSE else extra)
        lines.append(line)
    return "\n".join(lines)


def totals_text(report, *, cell_points: dict | None = None, written: float = 0.0) -> str:
    """The score line, saying which points are automatic and which are graded by hand."""
    hidden = any(getattr(c, "hidden", False) for c in report.checks)
    kind = "automatic points (public and hidden checks)" if hidden else "points from the public checks"
    text = f"{report.lab}: {points(report.score)} / {points(report.max_score)} {kind}"
    extra = []
    if cell_points and not hidden:
        at_grading = sum(cell_points.values())
        if at_grading > report.max_score:
            extra.append(f"at grading, hidden checks raise the automatic total to {points(at_grading)}")
    if written:
        extra.append(f"{points(written)} more points of written answers are graded by hand")
    if extra:
        text += "\n(" + "; ".join(extra) + ")"
    return text


def report_text(report, *, colour: bool = False, cell_points: dict | None = None, written: float = 0.0) -> str:
    """What `nnlabs check` prints."""
    lines = [_paint(totals_text(report, cell_points=cell_points, written=written), "bold", colour)]
    for note in report.notes:
        lines.append(_paint(f"! {inert(note)}", "yellow", colour))
    for function in report.by_function():
        lines.append("")
        lines.append(function_text(report, function, colour=colour))
    flags = getattr(report, "flags", [])
    if flags:
        lines.append("")
        for flag in flags:
            lines.append(_paint(f"FLAG: {inert(flag_text(flag))}", "red", colour))
    return "\n".join(lines)


def flag_text(flag) -> str:
    if isinstance(flag, dict):
        return flag.get("message") or flag.get("reason") or ", ".join(f"{k}={v}" for k, v in flag.items())
    return str(flag)


# -- HTML ----------------------------------------------------------------------
STYLE = """
.nnlabs-checks{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;font-size:14px;margin:.3em 0;max-width:100%}
.nnlabs-checks table{border-collapse:collapse;width:100%;table-layout:auto}
.nnlabs-checks caption{text-align:left;font-weight:600;padding:.2em 0 .4em}
.nnlabs-checks table th,.nnlabs-checks table td{text-align:left!important;vertical-align:top;padding:.25em .6em;border-bottom:1px solid #ddd}
.nnlabs-checks table caption{text-align:left!important}
.nnlabs-checks td.mark{font-size:1.1em;width:1.5em;text-align:center}
.nnlabs-checks tr.passed td.mark{color:#1a7f37}
.nnlabs-checks tr.failed td.mark{color:#cf222e}
.nnlabs-checks tr.blocked td.mark{color:#9a6700}
.nnlabs-checks pre{white-space:pre-wrap!important;overflow-wrap:break-word;word-break:normal!important;text-align:left!important;margin:0;font-size:13px;background:none;border:none;padding:0}
.nnlabs-checks .cause{font-weight:600}
.nnlabs-checks .note{color:#555;margin:.3em 0}
"""


def _lines(check) -> list:
    """(part, inert line) of a check's message (`report.explain`: text, causes, observation, note)."""
    return [(part, inert(line)) for part, line in check.lines()]


def _message_html(check) -> str:
    parts = []
    for part, line in _lines(check):
        escaped = html.escape(line)
        if part == CAUSE:
            escaped = f'<strong class="cause">{escaped}</strong>'
        parts.append(escaped)
    return "<pre>" + "\n".join(parts) + "</pre>"


def function_html(report, function: str, *, cell_points: float | None = None, notes=(), title: str = "") -> str:
    """A table for one function: a row per check with ✓ / ✗ and, for a failure, what
    was expected, what came back and the likely cause. Readable without styles (the
    marks are text, the table has a caption and header cells)."""
    headline = function_headline(report, function, cell_points=cell_points)
    if title:
        headline = f"{title}: {headline}"
    rows = []
    seen = {}
    for c in report.by_function().get(function, []):
        state = "passed" if c.passed else ("blocked" if mark(c) == BLOCKED else "failed")
        label = {"passed": "passed", "failed": "failed", "blocked": "not judged yet"}[state]
        if c.passed:
            detail = ""
        elif c.message in seen:
            detail = f"<pre>same problem as {html.escape(seen[c.message])}</pre>"
        else:
            seen[c.message] = c.id
            detail = _message_html(c)
        rows.append(f'<tr class="{state}"><td class="mark" aria-label="{label}" title="{label}">{mark(c)}</td>'
                    f"<td><code>{html.escape(c.id)}</code></td><td>{detail}</td></tr>")
    note_html = "".join(f"<pre class=\"note\">{html.escape(inert(n))}</pre>" for n in notes)
    return (f'<div class="nnlabs-checks"><style>{STYLE}</style>{note_html}<table>'
            f"<caption>{html.escape(headline)}</caption>"
            '<thead><tr><th scope="col">result</th><th scope="col">check</th>'
            '<th scope="col">what happened</th></tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table></div>")


def page(title: str, body: str) -> str:
    """A small standalone HTML page (feedback for a file that could not be graded)."""
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f"<style>body{{font-family:system-ui,sans-serif;max-width:50em;margin:2em auto;padding:0 1em;"
            f"line-height:1.5}}pre{{white-space:pre-wrap;overflow-wrap:break-word}}{STYLE}</style></head>"
            f"<body>{body}</body></html>\n")
