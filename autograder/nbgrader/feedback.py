"""Feedback an instructor would send: per function, what passed, what failed and the
likely cause; notes about the notebook once; readable width; a page for a file that
could not be graded at all.

`ShowChecks` is a step of ``nbgrader generate_feedback`` (see ``nbgrader_config.py``):
it rebuilds each test cell's output from the judge's report stored in the autograded
notebook. Hidden checks show their name and message only: the judge's messages for
them never carry inputs or reference values. `GetGradesApart` (in place of nbgrader's
GetGrades) gives the page the automatic points apart from the written answers graded by
hand, as the terminal counts them; `MathMLMarkdown` (the exporter's markdown2html filter)
writes the math of the markdown as MathML, so the page needs no MathJax from a CDN.
"""
from __future__ import annotations

import html
import re
from pathlib import Path

from jinja2 import pass_context
from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath
from nbgrader.preprocessors import ClearHiddenTests, GetGrades, NbGraderPreprocessor
from traitlets import List
from traitlets.config import LoggingConfigurable

from ..faces import display
from ..judging.result import Report

METADATA_KEY = "nnlabs"
TEMPLATES = Path(__file__).with_name("templates")


def report_from_metadata(data) -> Report | None:
    """The judge's report the autograded notebook holds (`Report.from_dict`, the one reader);
    None when it holds none, or one this nnlabs cannot read."""
    if not isinstance(data, dict) or not isinstance(data.get("checks"), list):
        return None
    try:
        return Report.from_dict(data)
    except ValueError:
        return None


# nbconvert's HTML exporter configures `display_data_priority` for every NbConvertBase, and
# nbgrader's preprocessors hold that trait without making it configurable, so traitlets warns
# "not recognized" once per step per student. The feedback's steps declare it configurable.
_PRIORITY = ["text/html", "application/pdf", "text/latex", "image/svg+xml", "image/png", "image/jpeg", "text/plain"]


class HideHiddenTests(ClearHiddenTests):
    """nbgrader's ClearHiddenTests, quiet about the exporter's display priorities."""

    display_data_priority = List(_PRIORITY).tag(config=True)


class ShowChecks(NbGraderPreprocessor):
    """Each nnlabs test cell shows the table of its function's checks, without prompts."""

    display_data_priority = List(_PRIORITY).tag(config=True)

    @staticmethod
    def template_dirs() -> list:
        import nbgrader
        formgrader = Path(nbgrader.__file__).parent / "server_extensions" / "formgrader" / "templates"
        return [str(TEMPLATES), str(formgrader)]

    def preprocess(self, nb, resources):
        report = report_from_metadata(nb.metadata.get(METADATA_KEY))
        if report is None:
            return nb, resources
        functions = report.by_function()
        notes = list(dict.fromkeys(report.notes))
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            cell.execution_count = None
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "")
            function = grade_id[len("test_"):] if grade_id.startswith("test_") else None
            if function not in functions:
                continue
            from nbformat.v4 import new_output
            html_text = display.function_html(report, function, notes=notes)
            plain = "\n".join(display.inert(n) for n in notes) + ("\n" if notes else "")
            plain += display.function_text(report, function)
            cell.outputs = [new_output("display_data", data={"text/html": html_text, "text/plain": plain})]
            notes = []                      # said once, above the first function
        return nb, resources


# -- the page's scores: automatic points apart from the answers graded by hand -------------
class GetGradesApart(GetGrades):
    """nbgrader's GetGrades (each graded cell's score, the notebook's total) and, for the
    page's header, the automatic points apart from the hand-graded ones: what
    `nnlabs check` and `nnlabs grade` report is the automatic score out of the automatic
    points, and written answers are stated apart (their points while they wait for the
    instructor, their score once graded). Each graded cell also says whether it waits for
    a grade by hand (`needs_manual_grade`)."""

    display_data_priority = List(_PRIORITY).tag(config=True)

    def preprocess(self, nb, resources):
        nb, resources = super().preprocess(nb, resources)
        from nbgrader.api import Gradebook
        info = resources["nbgrader"]
        ids = (self.notebook_id, self.assignment_id, self.student_id)
        with Gradebook(self.db_url) as gb:
            notebook = gb.find_submission_notebook(*ids)
            info["auto_score"] = float(notebook.code_score or 0)
            info["auto_max_score"] = float(notebook.max_code_score or 0)
            info["hand_score"] = float((notebook.written_score or 0) + (notebook.task_score or 0))
            info["hand_max_score"] = float((notebook.max_written_score or 0) + (notebook.max_task_score or 0))
            waiting = {grade.cell.name for grade in notebook.grades if grade.needs_manual_grade}
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader", {})
            if "score" in meta:
                meta["needs_manual_grade"] = meta.get("grade_id") in waiting
        info["hand_pending"] = any(cell.metadata.nbgrader.get("needs_manual_grade") for cell in nb.cells
                                   if cell.cell_type != "code" and "score" in cell.metadata.get("nbgrader", {}))
        return nb, resources


# -- math: LaTeX in markdown rendered as MathML when the page is made, no script ----------
# The MathML comes from latex2mathml's element tree, rebuilt here from an allow-list: the
# elements of MathML Core that latex2mathml writes, presentation attributes whose values are
# lengths, names or colours, every text escaped. So a crafted `$...$` in a student's answer
# (`\text{<script>}`, `\href{javascript:...}{x}`, `\style{...}`) yields inert math or text.
MATHML_ELEMENTS = frozenset((
    "math mrow mi mn mo ms mtext mspace msub msup msubsup munder mover munderover mmultiscripts "
    "mprescripts none mfrac msqrt mroot mstyle merror mpadded mphantom mtable mtr mtd menclose").split())
MATHML_ATTRIBUTES = frozenset((
    "display mathvariant stretchy fence separator form lspace rspace minsize maxsize movablelimits accent "
    "accentunder largeop symmetric linethickness width height depth voffset columnalign rowalign "
    "columnspacing rowspacing columnlines rowlines frame framespacing displaystyle scriptlevel mathcolor "
    "mathbackground mathsize notation linebreak columnspan rowspan bevelled numalign denomalign").split())
_ATTRIBUTE_VALUE = re.compile(r"[A-Za-z0-9#.%+\- ]{0,64}")
MAX_LATEX = 4000            # longer is left as text: a page is never held up by one expression


class _NotMathML(ValueError):
    pass


def _mathml_markup(element) -> str:
    tag = element.tag
    if not isinstance(tag, str) or tag not in MATHML_ELEMENTS:
        raise _NotMathML(str(tag))
    attributes = "".join(f' {name}="{html.escape(value)}"' for name, value in sorted(element.attrib.items())
                         if name in MATHML_ATTRIBUTES and _ATTRIBUTE_VALUE.fullmatch(value or ""))
    text = html.unescape(element.text or "")
    if tag in ("mi", "mo", "mn") and re.match(r"\\[A-Za-z]", text):
        raise _NotMathML(f"unknown command {text}")        # latex2mathml passes it through as a name
    inner = html.escape(text, quote=False)
    for child in element:
        inner += _mathml_markup(child) + html.escape(html.unescape(child.tail or ""), quote=False)
    return f"<{tag}{attributes}>{inner}</{tag}>"


def mathml(latex: str, display: str = "inline", delimiters: tuple = ("$", "$")) -> str:
    """LaTeX as MathML markup (`display` "inline" or "block"); a LaTeX expression that
    cannot be converted comes back as its escaped text, delimiters and all.

    `latex` is what the markdown parser found between the delimiters of a markdown cell
    that nbconvert's SanitizeHTML has already escaped (`a &lt; b`): it is unescaped once
    here, and everything written out is escaped again."""
    source = html.unescape(latex)
    try:
        if len(source) > MAX_LATEX:
            raise _NotMathML("too long")
        from latex2mathml.converter import convert_to_element
        return _mathml_markup(convert_to_element(source, display=display))
    except Exception:           # noqa: BLE001 - any failure of the converter leaves the text as it was
        return f'<span class="nnlabs-tex">{html.escape(delimiters[0] + source + delimiters[1], quote=False)}</span>'


class MathMLMarkdown(LoggingConfigurable):
    """The exporter's `markdown2html` filter (nbconvert's, with the exporter's settings),
    except that math is written as MathML instead of being left for MathJax, and links
    and images keep safe protocols only (no `javascript:` from a student's markdown)."""

    # Jinja hands this filter the template context: the mark `jinja2.pass_context` puts on a function
    jinja_pass_arg = pass_context(lambda: None).jinja_pass_arg

    def __call__(self, context, source):
        cell = context.get("cell", {})
        exporter = self.parent
        renderer = _MathMLRenderer(
            escape=False, allow_harmful_protocols=False,
            attachments=cell.get("attachments", {}) if hasattr(cell, "get") else {},
            embed_images=getattr(exporter, "embed_images", False),
            path=context.get("resources", {}).get("metadata", {}).get("path", ""),
            anchor_link_text=getattr(exporter, "anchor_link_text", "¶"),
            exclude_anchor_links=getattr(exporter, "exclude_anchor_links", False),
            **getattr(exporter, "lexer_options", {}))
        return MarkdownWithMath(renderer=renderer).render(source)


class _MathMLRenderer(IPythonRenderer):
    def block_math(self, body: str) -> str:
        return mathml(body, "block", ("$$", "$$"))

    def inline_math(self, body: str) -> str:
        return mathml(body, "inline", ("$", "$"))

    def latex_environment(self, name: str, body: str) -> str:
        environment = f"\\begin{{{name}}}{body}\\end{{{name}}}"
        return mathml(environment, "block", ("", ""))
