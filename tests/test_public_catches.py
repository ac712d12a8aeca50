"""A green self-check is a strong sign: the commonest slip of each kind the notebook's words rule
out is caught by the public checks alone (what a student runs), not only at grading."""
import pytest

from autograder.judging.judge import judge_notebook
from solutions import sample_class

from conftest import LAB2

LAB3 = "lab3_multiclass_classification"

# (lab, catalog entry, what the notebook says that the entry breaks)
COMMON = [
    (LAB2, "sigmoid_textbook", "no `nan`, no overflow"),
    (LAB2, "sigmoid_where", "no `nan`, no overflow"),
    (LAB2, "predict_ge", "**1 where $\\hat p$ > threshold**"),
    (LAB3, "ce_axes_swapped", "the loss is the **mean** over the samples"),
    (LAB3, "ce_einsum", "contributes nothing, even where $P_{ij}$ is 0"),
    (LAB3, "pc_ties_to_last", "the first of them (the smallest class index) wins"),
]


def words(lab) -> str:
    """The student notebook's markdown, whitespace made single spaces."""
    import json
    nb = json.loads((sample_class.ROOT / "release" / lab / f"{lab}.ipynb").read_text())
    text = " ".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    return " ".join(text.split())


@pytest.mark.parametrize("lab, entry, promise", COMMON, ids=[c[1] for c in COMMON])
def test_the_public_checks_alone_catch_the_commonest_slips(tmp_path, lab, entry, promise):
    catalog = sample_class.catalog(lab)
    function = next(e.function for e in catalog.entries if e.name == entry)
    path = sample_class.write(sample_class.with_entries(lab, entry), tmp_path / f"{lab}.ipynb")
    report = judge_notebook(path, hidden=False)
    got, total = report.function_score(function)
    assert got < total, [c.id for c in report.checks if c.function == function]
    failed = [c for c in report.checks if c.function == function and not c.passed]
    assert all(not c.hidden for c in failed) and any(c.causes or c.observed for c in failed), \
        [c.message for c in failed]
    assert promise in words(lab), promise          # what the check holds the code to, the notebook says
