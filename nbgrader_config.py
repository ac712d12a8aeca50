"""nbgrader configuration: the repository root is the course directory.

Grading runs the nnlabs judge instead of executing notebooks in the student's kernel:
the answer cells run in a separate, limited process and the score is computed from the
plain data they return (see autograder/nbgrader/autograde.py).
"""
import os

from nbconvert.preprocessors import ClearMetadataPreprocessor, CSSHTMLHeaderPreprocessor
from nbconvert.preprocessors.sanitize import SanitizeHTML
from nbgrader.preprocessors import (AssignLatePenalties, CheckCellMetadata, ClearOutput,
                                    DeduplicateIds, IgnorePattern, LimitOutput, OverwriteCells,
                                    OverwriteKernelspec, SaveAutoGrades)

from nbgrader.converters import GenerateAssignment

from autograder.nbgrader.feedback import GetGradesApart, HideHiddenTests, MathMLMarkdown, ShowChecks
from autograder import COURSE_ID
from autograder.nbgrader.autograde import (GradesCsvExport, JudgeSubmission, RecordReport, RepairSubmission,
                                       ReviewCheckErrors, WriteTestCellResults, after_grading, before_grading)
from autograder.nbgrader.release import MarkLab

c = get_config()  # noqa: F821  (provided by traitlets when nbgrader loads this file)

c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.course_id = COURSE_ID

# The student version names its lab in its metadata: any file name works for the checks.
c.GenerateAssignment.preprocessors = GenerateAssignment.class_traits()["preprocessors"].default() + [MarkLab]

# A student who deletes a test cell gets it back before grading; what was submitted is
# recorded first, and metadata nbgrader would choke on is repaired, so tampering is
# flagged for the instructor instead of leaving the student ungraded.
c.OverwriteCells.add_missing_cells = True
c.Autograde.sanitize_preprocessors = [
    ClearOutput,
    RepairSubmission,
    DeduplicateIds,
    OverwriteKernelspec,
    OverwriteCells,
    CheckCellMetadata,
]
# Every submission gets a fresh grade: zero first, then what the judge finds. A notebook
# nbgrader cannot read at all keeps the zero, with its reason (`nnlabs grade` lists it).
c.Autograde.pre_convert_hook = before_grading
c.Autograde.post_convert_hook = after_grading

# Cells that nbgrader itself executes (validate, non-nnlabs assignments).
c.Execute.timeout = 60
c.KernelManager.transport_encryption = "auto"

# The score of record: the isolated judge in place of nbgrader's Execute.
c.Autograde.autograde_preprocessors = [
    IgnorePattern,
    ClearMetadataPreprocessor,
    JudgeSubmission,
    WriteTestCellResults,
    RecordReport,
    LimitOutput,
    SaveAutoGrades,
    ReviewCheckErrors,
    AssignLatePenalties,
    CheckCellMetadata,
]
c.JudgeSubmission.load_seconds = 60.0

# Feedback never shows hidden tests, and student text in it is inert (no scripts). Each
# test cell then shows a table of its checks (what passed, what failed and why, built
# from escaped text), notes about the notebook once, no prompts. The header gives the
# automatic points out of the automatic points, as the terminal does, the written answers
# apart (GetGradesApart); math is MathML written into the page, no MathJax from a CDN.
c.ExportApp.plugin_class = GradesCsvExport      # grades.csv quoted, formulas neutralised

c.GenerateFeedback.preprocessors = [GetGradesApart, HideHiddenTests, SanitizeHTML, ShowChecks,
                                    CSSHTMLHeaderPreprocessor]
c.SanitizeHTML.enabled = True       # nbconvert's preprocessors run only when enabled
c.HTMLExporter.template_name = "nnlabs_feedback"
c.HTMLExporter.template_file = "nnlabs.html.j2"      # nbgrader's feedback page, made readable
c.HTMLExporter.extra_template_basedirs = ShowChecks.template_dirs()
c.HTMLExporter.exclude_input_prompt = True
c.HTMLExporter.exclude_output_prompt = True
c.HTMLExporter.filters = {"markdown2html": MathMLMarkdown, "points": "autograder.faces.display.points"}
