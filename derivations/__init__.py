"""The catalogue: what the lecture notes claim, one module per topic.

``catalogue()`` joins the ``CLAIMS`` tuple of every topic module, in the order below, and
checks that ids are unique.  Importing this package imports no SymPy; building the
catalogue imports the topic modules (whose builders use SymPy only when called).
"""

from __future__ import annotations

import functools
import importlib

__all__ = ["NOTES", "SECTIONS", "TOPICS", "catalogue", "get", "note"]

TOPICS = (
    "linear_algebra",
    "matrix_calculus",
    "regression",
    "classification",
    "networks",
    "activations",
    "optimizers",
    "normalization",
    "convolution",
    "probability",
)

NOTES = {
    "000": "000_a52696e652c128e2.txt",
    "001": "001_9b54d842032d815d.txt",
    "002": "002_4ae23f3e3e4323a6.txt",
    "003": "003_6c97ee38990eee8c.txt",
    "004": "004_facda81f06b8c28f.txt",
}


# The headings of each note that state something decidable, in the note's order, as the
# note spells them.  Reports order sections by this; a test checks each has a claim.
# (Parent headings with no formula of their own, e.g. "Linear Algebra" in note 000, are
# covered by their sub-sections; note 004's "微分的运算法则" announces rules it never lists.)
SECTIONS = {
    "000": ("Notations", "Matrix Transpose", "Matrix Equation", "Matrix Calculus",
            "Squared L2 Norm", "Gradients", "Linear Regression"),
    "001": ("linear regression", "logistic regression (mse)",
            "logistic regression (cross entropy)", "perceptron", "multi-class perceptron",
            "Softmax", "ANN"),
    "002": ("Regression", "Binary classification problem", "Gradient Descent",
            "Adaptive learning rate", "MLP", "Vanishing or Exploding Gradient",
            "Filtering for Image Processing", "Convolution neural network"),
    "003": ("backpropegation", "deep learning", "Gaussian mixture model", "Transpose Rules",
            "Derivative", "Products", "Normal Equation"),
    "004": ("符号规定", "微分形式"),
}


def note(prefix: str, section: str) -> str:
    """The ``source`` of a claim: the note's file name and its section heading."""
    return f"{NOTES[prefix]} § {section}"


@functools.cache
def catalogue() -> tuple:
    """Every claim and derivation of every topic module, ids checked unique."""
    from verifier.claim import ClaimError

    entries: list = []
    seen: dict[str, str] = {}
    for topic in TOPICS:
        module = importlib.import_module(f"derivations.{topic}")
        for entry in module.CLAIMS:
            if entry.id in seen:
                raise ClaimError(entry.id, f"id used twice (in {seen[entry.id]} and {topic})")
            if not entry.id.startswith(f"{topic}."):
                raise ClaimError(entry.id, f'ids in derivations/{topic}.py start with "{topic}."')
            seen[entry.id] = topic
            entries.append(entry)
    for entry in entries:  # an as-written entry names the entry that states it correctly
        target = getattr(entry, "corrected", None)
        if target is not None and (target not in seen or target == entry.id):
            raise ClaimError(entry.id, f"corrected={target!r} names no other catalogue entry")
    return tuple(entries)


def get(claim_id: str):
    """One entry by id; ``KeyError`` with close matches when there is none."""
    for entry in catalogue():
        if entry.id == claim_id:
            return entry
    import difflib

    close = difflib.get_close_matches(claim_id, [e.id for e in catalogue()], n=3)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise KeyError(f"no claim {claim_id!r}{hint}")
