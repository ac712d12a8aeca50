"""The feedback page every student receives, as real nbgrader writes it (`nbgrader
generate_assignment`, `autograde`, `generate_feedback` through the course's configuration),
and the page `nnlabs grade` writes for a submission that could not be graded:

- one denominator: automatic points out of automatic points, as `nnlabs check` prints them,
  numbers as the terminal writes them, the written answer stated apart (its points while it
  waits for the instructor, its score once graded);
- the table of contents and the headings name the function each cell is about;
- the math of the markdown is MathML in the page (no MathJax, no CDN), code is left alone,
  and a student's crafted `$...$` stays inert.

One course, two students, built once for the module.
"""
import re
import shutil
import sys

import pytest
from bs4 import BeautifulSoup

from autograder.labs import get_lab
from solutions import sample_class

from conftest import LAB2, ROOT, nnlabs, run

WRITTEN = "written_chain_rule"
# bob's written answer: real math, math latex2mathml cannot convert, and attempts at markup
CRAFTED = "\n".join([
    r"By the chain rule $\hat p - y$, and $$\frac{\partial L}{\partial z} = \hat p - y$$",
    r"Inert: $<script>alert(1)</script>$ and $\href{javascript:alert(1)}{x}$ and",
    r"$\text{<img src=x onerror=alert(1)>}$ and $\style{background:url(https://evil.example)}{y}$",
    r"and a [link](javascript:alert(1)); cannot convert: $x^$.",
])


def _nbgrader(course, *args):
    result = run([sys.executable, "-m", "nbgrader", *args], cwd=course)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """ada: a bug in sigmoid, the master's written answer (waiting for the instructor);
    bob: every function right, a crafted written answer, graded by hand (1.5 / 2).
    Then `nnlabs grade` with eve's damaged file. Returns the course, {page: (soup, text)}
    and what the terminal printed (`nnlabs check` of ada's notebook, then `nnlabs grade`)."""
    course = tmp_path_factory.mktemp("feedback") / "course"
    (course / "source").mkdir(parents=True)
    shutil.copy(ROOT / "nbgrader_config.py", course)
    shutil.copytree(ROOT / "source" / LAB2, course / "source" / LAB2)
    _nbgrader(course, "generate_assignment", LAB2, "--force")
    bug = sample_class.catalog(LAB2).bugs()[0].name
    ada = sample_class.write(sample_class.with_entries(LAB2, bug, root=course),
                             course / "submitted" / "ada" / LAB2 / f"{LAB2}.ipynb")
    sample_class.write(sample_class.solved(LAB2, course, **{WRITTEN: CRAFTED}),
                       course / "submitted" / "bob" / LAB2 / f"{LAB2}.ipynb")
    _nbgrader(course, "autograde", LAB2, "--force")

    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "nnlabs") as gb:
        grade = gb.find_grade(WRITTEN, LAB2, LAB2, "bob")
        assert grade.needs_manual_grade          # an answer waits for the instructor
        grade.manual_score = 1.5
        grade.needs_manual_grade = False
        gb.db.commit()
    _nbgrader(course, "generate_feedback", LAB2, "--force")

    pages = {}
    for student in ("ada", "bob"):
        text = (course / "feedback" / student / LAB2 / f"{LAB2}.html").read_text(encoding="utf-8")
        pages[student] = (BeautifulSoup(text, "html.parser"), text)
    terminal = nnlabs("check", ada, "--hidden")
    assert terminal.returncode == 1, terminal.stdout + terminal.stderr      # ada's bug fails a check

    # `nnlabs grade` (nbgrader's GenerateFeedback in its workers) and, for eve's damaged file,
    # the page it writes itself; it grades ada and bob again (bob's written answer waits again)
    broken = course / "submitted" / "eve" / LAB2 / f"{LAB2}.ipynb"
    broken.parent.mkdir(parents=True)
    broken.write_text('{"cells": [')
    graded_again = nnlabs("grade", LAB2, cwd=course)
    assert graded_again.returncode == 0, graded_again.stdout + graded_again.stderr
    for student in ("ada", "eve"):
        text = (course / "feedback" / student / LAB2 / f"{LAB2}.html").read_text(encoding="utf-8")
        pages[f"{student} (nnlabs grade)"] = (BeautifulSoup(text, "html.parser"), text)
    return course, pages, terminal.stdout + graded_again.stdout


def _header(soup) -> str:
    return " ".join(soup.find("h4").get_text().split())


def _toc(soup) -> list:
    return [" ".join(li.get_text().split()) for li in soup.select("#toc li")]


def test_the_page_counts_automatic_points_as_the_terminal_does_and_the_written_answer_apart(graded):
    course, pages, terminal = graded
    found = re.search(r"(\S+) / (\S+) automatic points", terminal)
    assert found and "2 more points of written answers are graded by hand" in terminal, terminal
    score, total = found.groups()                        # e.g. "42" / "45": nnlabs check's numbers
    automatic = sum(get_lab(LAB2).cell_points(f) for f in get_lab(LAB2).functions)
    assert total == f"{automatic:g}" and float(score) < automatic

    ada, ada_text = pages["ada"]
    assert _header(ada) == f"{LAB2} (Score: {score} / {total} automatic points)", _header(ada)
    assert "Written answers: 2 points, graded by your instructor" in " ".join(ada.get_text().split())
    bob, bob_text = pages["bob"]
    assert _header(bob) == f"{LAB2} (Score: {total} / {total} automatic points)", _header(bob)
    assert "Written answers: 1.5 / 2 points" in " ".join(bob.get_text().split())   # once graded: its score
    # the cells' scores add up to the header, written as the terminal writes numbers
    for soup, page in ((ada, ada_text), (bob, bob_text)):
        assert "46" not in _header(soup) and not re.search(r"\d\.0\b", " ".join(_toc(soup)) + _header(soup))
    checks = [re.search(r"Score: (\S+) / (\S+)\)", line).groups() for line in _toc(ada) if line.startswith("Checks of")]
    assert len(checks) == len(get_lab(LAB2).functions)
    assert (sum(float(s) for s, _ in checks), sum(float(t) for _, t in checks)) == (float(score), float(total))
    assert f"Written answer: {WRITTEN} (2 points, graded by your instructor)" in _toc(ada), _toc(ada)
    assert f"Written answer: {WRITTEN} (Score: 1.5 / 2)" in _toc(bob), _toc(bob)

    # `nnlabs grade`: the class table, the page of ada, and the page of a submission it could
    # not grade, all with the same denominator
    assert re.search(rf"\bada +{re.escape(score)} / {total}\b", terminal) and re.search(rf"\beve +0 / {total}\b", terminal)
    assert _header(pages["ada (nnlabs grade)"][0]) == _header(ada)
    words = " ".join(pages["eve (nnlabs grade)"][0].get_text().split())
    assert f"scores 0 / {total} automatic points" in words, words
    assert "Written answers: 2 points, graded by your instructor" in words and "46" not in words


def test_the_contents_and_headings_name_each_function(graded):
    _, pages, _ = graded
    soup, text = pages["ada"]
    functions = get_lab(LAB2).functions
    toc = _toc(soup)
    assert [line.split(" (")[0] for line in toc] == [f"Checks of {f}" for f in functions] + [f"Written answer: {WRITTEN}"]
    for function in functions:
        link = soup.select_one(f'#toc a[href="#test_{function}"]')
        assert link is not None and link.get_text() == f"Checks of {function}"
    headings = [" ".join(label.get_text().split()) for label in soup.select("div.panel-heading span.nbgrader-label")]
    for function in functions:
        assert f"Your answer: {function}" in headings and f"Checks of {function}" in headings, headings
    assert f"Written answer: {WRITTEN}" in headings
    assert "Test cell" not in text and "Student's answer" not in text and "Grade cell" not in text


def _markdown_text(soup) -> str:
    """The words of the rendered markdown, without its code and without its MathML."""
    copy = BeautifulSoup(str(soup), "html.parser")
    for tag in copy.select("div.text_cell_render code, div.text_cell_render pre, div.text_cell_render math"):
        tag.decompose()
    return " ".join(div.get_text() for div in copy.select("div.text_cell_render"))


def test_math_is_mathml_in_the_page_and_a_students_math_stays_inert(graded):
    _, pages, _ = graded
    for student, (soup, text) in pages.items():
        assert not soup.find_all("script"), student                       # no MathJax, no script at all
        assert "mathjax" not in " ".join(str(tag) for tag in soup.find_all(["script", "link"])).lower()
        for tag in soup.find_all(True):
            for name, value in tag.attrs.items():
                value = " ".join(value) if isinstance(value, list) else str(value)
                assert not name.lower().startswith("on"), (student, str(tag)[:200])
                assert "javascript:" not in value.lower() and "://" not in value, (student, name, value)
        assert not re.search(r"\$[^$\n]*\\[A-Za-z]", _markdown_text(soup)), student    # no raw LaTeX left
    ada, ada_text = pages["ada"]
    sigmoid = next(m for m in ada.find_all("math", display="block") if m.find("mfrac") and "σ" in m.get_text())
    assert sigmoid.find("msup")                                          # σ(z) = 1 / (1 + e^{-z})
    assert ada.find_all("math", display="inline")
    # code is left alone: the plot's labels keep their dollars
    assert any(r"$\sigma(z)$" in area.get_text() for area in ada.select("div.input_area"))

    bob, _ = pages["bob"]
    answer = bob.find("a", attrs={"name": WRITTEN}).find_parent("div", class_="nbgrader_cell").select_one("div.panel-body")
    assert answer.find("math", display="block").find("mfrac") and answer.find("math", display="inline")
    assert not answer.find_all(["script", "img", "iframe", "style", "object", "embed"]), str(answer)[:2000]
    assert all(a.get("href", "").startswith("#") for a in answer.find_all("a"))       # the javascript: link is dropped
    shown = ["".join(math.get_text().split()) for math in answer.find_all("math")]
    assert "<script>alert(1)</script>" in shown, shown                    # shown, as math
    assert "<imgsrc=xonerror=alert(1)>" in shown, shown                   # text, not an element
    assert "$x^$" in " ".join(answer.get_text().split())                 # left as text, the page is fine
    for math in answer.find_all("math"):
        assert all(tag.name.startswith("m") or tag.name == "none" for tag in math.find_all(True))
        assert not any(tag.attrs.keys() - {"display", "stretchy", "accent", "mathvariant", "fence", "form"}
                       for tag in math.find_all(True)), str(math)
