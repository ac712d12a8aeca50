"""A step of ``nbgrader generate_assignment``: the student version of a lab notebook
carries its lab id in its metadata (``metadata.nnlabs.lab``), so `nnlabs check`,
`pytest` and grading know the lab whatever the file is called."""
from __future__ import annotations

from nbgrader.preprocessors import NbGraderPreprocessor

from ..labs import LAB_IDS

METADATA_KEY = "nnlabs"


class MarkLab(NbGraderPreprocessor):
    def preprocess(self, nb, resources):
        lab = resources.get("nbgrader", {}).get("assignment")
        if lab in LAB_IDS:
            meta = dict(nb.metadata.get(METADATA_KEY, {}))
            meta["lab"] = lab
            nb.metadata[METADATA_KEY] = meta
        return nb, resources
