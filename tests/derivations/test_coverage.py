"""The catalogue covers every note: each section heading that states a formula has a claim."""

from __future__ import annotations

from derivations import NOTES, catalogue
from verifier.claim import section_of

# The headings of each note that state something decidable, as the note spells them.
# (Parent headings with no formula of their own, e.g. "Linear Algebra" in note 000, are
# covered by their sub-sections; note 004's "微分的运算法则" announces rules it never lists.)
SECTIONS = {
    "000": ["Notations", "Matrix Transpose", "Matrix Equation", "Matrix Calculus",
            "Squared L2 Norm", "Gradients", "Linear Regression"],
    "001": ["linear regression", "logistic regression (mse)",
            "logistic regression (cross entropy)", "perceptron", "multi-class perceptron",
            "Softmax", "ANN"],
    "002": ["Regression", "Binary classification problem", "Gradient Descent",
            "Adaptive learning rate", "MLP", "Vanishing or Exploding Gradient",
            "Filtering for Image Processing", "Convolution neural network"],
    "003": ["backpropegation", "deep learning", "Gaussian mixture model", "Transpose Rules",
            "Derivative", "Products", "Normal Equation"],
    "004": ["符号规定", "微分形式"],
}


def test_every_section_has_a_claim():
    covered = {(e.note, section_of(e.source)) for e in catalogue()}
    missing = [
        f"{NOTES[prefix]} § {section}"
        for prefix, sections in SECTIONS.items()
        for section in sections
        if (NOTES[prefix], section) not in covered
    ]
    assert not missing, f"sections without a claim: {missing}"


def test_sources_name_real_sections():
    known = {(NOTES[p], s) for p, ss in SECTIONS.items() for s in ss}
    for e in catalogue():
        if e.note:
            assert (e.note, section_of(e.source)) in known, f"{e.id}: unknown section {e.source}"


def test_the_catalogue_is_large_enough():
    assert len(catalogue()) >= 90
