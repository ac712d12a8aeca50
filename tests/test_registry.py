"""The registry of labs and checks: imports run one way, the instructor side is composed
through one declared hook, each fact has one source, and the labs are found from their folders."""
import ast
import importlib
import json
import shutil
import sys
from importlib import metadata

import numpy as np
import pytest

from autograder.judging.checks import Checks, GradedFunction, Lab
from autograder.labs import INSTRUCTOR_HOOK, LAB_IDS, NoInstructorMaterial, UnknownLab, load_lab
from solutions import references, sample_class

from conftest import ROOT, run


def test_the_labs_are_the_folders_of_every_layer():
    assert LAB_IDS and LAB_IDS == tuple(sorted(p.name for p in (ROOT / "source").iterdir() if p.is_dir()))
    for lab in LAB_IDS:
        for path in (f"source/{lab}/{lab}.ipynb", f"release/{lab}/{lab}.ipynb", f"autograder/labs/{lab}.py",
                     f"autograder/labs/data/{lab}.json", f"solutions/{lab}.py", f"solutions/hidden/{lab}.py",
                     f"solutions/mistakes/{lab}.py"):
            assert (ROOT / path).is_file(), path


def test_autograder_never_imports_solutions():
    for path in sorted((ROOT / "autograder").rglob("*.py")):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                names = [node.value] if node.value.startswith("solutions.") else []
            assert not [n for n in names if n.split(".")[0] == "solutions"], (path.name, names)


def test_public_labs_and_identifying_a_notebook_load_nothing_of_the_instructor_side():
    program = ("import sys\n"
               "from autograder.labs import LAB_IDS, load_lab\n"
               "from autograder.notebook import identify_lab, read_notebook\n"
               "for lab in LAB_IDS:\n"
               "    load_lab(lab)\n"
               f"    path = {str(ROOT)!r} + f'/release/{{lab}}/{{lab}}.ipynb'\n"
               "    assert identify_lab(read_notebook(path), path) == lab\n"
               "print(sorted(m for m in sys.modules if m.split('.')[0] == 'solutions'))\n")
    result = run([sys.executable, "-c", program])
    assert result.returncode == 0 and result.stdout.strip() == "[]", result.stdout + result.stderr


def test_the_instructor_lab_is_a_new_object_and_the_public_one_stays_public():
    for lab_id in LAB_IDS:
        public, full = load_lab(lab_id), load_lab(lab_id, hidden=True)
        assert full is not public and load_lab(lab_id, hidden=True) is full
        assert public.reference is None and public.catalog is None
        assert not any(c.hidden for c in public.checks(hidden=True))
        assert {c.id for c in full.checks(hidden=False)} == {c.id for c in public.checks(hidden=False)}
        hidden = [c for c in full.checks(hidden=True) if c.hidden]
        assert hidden and {c.function for c in hidden} == set(full.functions)
        assert full.reference is importlib.import_module(f"solutions.{lab_id}")
        assert set(full.catalog) <= set(full.functions)


def test_the_instructor_side_is_found_through_one_declared_entry_point():
    (entry,) = metadata.entry_points(group=INSTRUCTOR_HOOK)
    assert entry.value.split(".")[0] == "solutions"


def test_unknown_labs_and_missing_instructor_material_are_clear_errors(monkeypatch):
    with pytest.raises(UnknownLab, match="unknown lab 'lab9'; the labs are: lab1_linear_regression"):
        load_lab("lab9")
    import autograder.labs as labs
    monkeypatch.setattr(labs, "instructor_hook", lambda: None)
    labs._instructor_lab.cache_clear()
    try:
        with pytest.raises(NoInstructorMaterial, match="instructor install"):
            load_lab(LAB_IDS[0], hidden=True)
        assert labs.get_lab(LAB_IDS[0]) is load_lab(LAB_IDS[0]) and labs.instructor_material(LAB_IDS[0]) is None
    finally:
        labs._instructor_lab.cache_clear()


def test_a_check_is_named_check_function_property():
    lab = Lab("lab0_toy", "A toy lab", [GradedFunction("f", "f(x)"), GradedFunction("f_prime", "f_prime(x)")])

    @lab.check("f", points=2)
    def check_f_known_values(ctx):
        pass

    @lab.check("f_prime")
    def check_f_prime_known_values(ctx):
        pass

    assert [(c.id, c.points, c.run.__name__) for c in lab.checks(hidden=False)] == [
        ("f.known_values", 2.0, "check_f_known_values"), ("f_prime.known_values", 1.0, "check_f_prime_known_values")]
    with pytest.raises(ValueError, match="named check_f_<property>, not <lambda>"):
        lab.check("f")(lambda ctx: None)   # a lambda is named <lambda>
    with pytest.raises(ValueError, match="registered twice"):
        lab.check("f")(check_f_known_values)
    with pytest.raises(KeyError, match="g is not a graded function"):
        lab.check("g")
    hidden = lab.hidden_checks()

    @hidden.check("f")
    def check_f_random_inputs(ctx):
        pass

    assert isinstance(hidden, Checks) and len(lab.checks(hidden=True)) == 2      # the public lab is untouched
    from autograder.judging.checks import InstructorMaterial
    full = lab.with_instructor(InstructorMaterial(hidden, None, {}))
    assert [c.id for c in full.checks(hidden=True)] == ["f.known_values", "f.random_inputs", "f_prime.known_values"]
    assert full.points("f") == 3 and full.points("f", hidden=False) == 2


def test_every_check_of_every_lab_has_a_name_a_traceback_shows():
    for lab_id in LAB_IDS:
        for check in load_lab(lab_id, hidden=True).checks(hidden=True):
            function, prop = check.id.split(".")
            assert check.run.__name__ == f"check_{function}_{prop}"


def test_calls_lists_what_each_reference_function_and_a_plausible_student_version_call():
    """Beyond what the reference calls, the graded functions a student's version plausibly calls
    (`FunctionSpec.plausible`): a bug there must not cost points here (SPEC §3), so the judge
    answers them too."""
    for lab_id in LAB_IDS:
        uses = references.uses(lab_id)
        for name, function in load_lab(lab_id).functions.items():
            assert set(function.calls) == uses[name] | set(function.plausible), (lab_id, name)


def test_the_reference_modules_are_the_master_notebooks_solution_cells():
    assert references.main(["--check"]) == 0


def test_the_prelude_the_judge_runs_is_code_the_student_reads():
    """A lab's prelude (numpy's import, lab 4's given softmax and cross-entropy) runs before the
    answers in every student process: it is the text of the notebook's locked code cells, so the
    student is judged with exactly the code the notebook shows."""
    for lab_id in LAB_IDS:
        nb = json.loads((ROOT / "source" / lab_id / f"{lab_id}.ipynb").read_text())
        shown = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"
                 and not c["metadata"].get("nbgrader", {}).get("solution")]
        pieces = [piece.strip() for piece in load_lab(lab_id).prelude.split("\n\n\n") if piece.strip()]
        for piece in pieces:
            assert any(piece in cell for cell in shown), (lab_id, piece[:60])


def test_a_changed_solution_cell_makes_the_reference_module_stale(tmp_path):
    lab = "lab2_binary_classification"
    shutil.copytree(ROOT / "source" / lab, tmp_path / "source" / lab)
    path = tmp_path / "source" / lab / f"{lab}.ipynb"
    nb = json.loads(path.read_text())
    for cell in nb["cells"]:
        if cell["metadata"].get("nbgrader", {}).get("grade_id") == "accuracy":
            cell["source"] = "".join(cell["source"]).replace("np.mean(", "np.average(")
    path.write_text(json.dumps(nb))
    assert references.render(lab, tmp_path) != references.path_of(lab).read_text()
    assert references.render(lab) == references.path_of(lab).read_text()


@pytest.mark.parametrize("lab, loop, args, kwargs", [
    ("lab1_linear_regression", "_fit", ["lr", "epochs", "batch_size", "seed"], {"lr": 0.05, "epochs": 4, "batch_size": 3,
                                                                           "seed": 2}),
    ("lab2_binary_classification", "_train", ["lr", "epochs", "seed"], {"lr": 0.3, "epochs": 5, "seed": 1}),
    ("lab3_multiclass_classification", "_train", ["num_classes", "lr", "epochs", "batch_size", "seed"],
     {"num_classes": 3, "lr": 0.3, "epochs": 3, "batch_size": 4, "seed": 1}),
])
def test_the_catalog_loop_with_no_change_is_the_reference(lab, loop, args, kwargs):
    """Each training-loop bug is one switch of this loop: unswitched, it is correct."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(10, 2))
    y = rng.integers(0, 3 if "lab3" in lab else 2, size=10)
    y = y if "lab3" in lab else y.astype(float)
    catalog_loop = getattr(importlib.import_module(f"solutions.mistakes.{lab}"), loop)
    reference = load_lab(lab, hidden=True).reference
    trainer = getattr(reference, list(load_lab(lab).functions)[-1])
    ours = catalog_loop(X, y, *[kwargs.get(a) for a in args])
    theirs = trainer(X, y, **kwargs)
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(np.asarray(a, dtype=float), np.asarray(b, dtype=float), rtol=1e-12)
    assert sample_class.catalog(lab).bugs(list(load_lab(lab).functions)[-1])
