"""A real run for the report tests: a subset of the catalogue, decided once per session.

The whole catalogue takes minutes; this subset takes seconds and still covers every verdict
the catalogue produces (proved, proved-at-sizes, refuted, conditional), every note and the
standard claims, a gradient and a non-identity, a derivation that fails at a step, a claim
with an implementation, and element-wise sides too large to typeset.
"""

from __future__ import annotations

import time

import pytest
from report_notes import NOTE_TITLES


@pytest.fixture(scope="module", autouse=True)
def stand_in_notes(tmp_path_factory):
    """Notes whose titles the tests know, found through $DERIVCHECK_NOTES (per module, before
    the module's own fixtures render anything; gone after it)."""
    from derivations import NOTES
    from verifier.report.notes import note_title

    directory = tmp_path_factory.mktemp("notes")
    for prefix, name in NOTES.items():
        (directory / name).write_text(f"# {NOTE_TITLES[prefix]}\n\ntext\n", encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DERIVCHECK_NOTES", str(directory))
        note_title.cache_clear()
        yield directory
    note_title.cache_clear()

SUBSET = (
    # note 000
    "linear_algebra.transpose_of_sum",  # proved
    "linear_algebra.squared_norm_chain",  # derivation, proved at sizes
    "matrix_calculus.quadratic_form_gradient",  # conditional (M symmetric), matrices
    "regression.linear_regression_gradient",  # implementation matches
    # note 001
    "classification.perceptron_gradient_misplaced_sum",  # refuted
    "networks.ann_output_weight_gradient_other_class_chain_note",  # derivation, step fails
    "classification.logistic_mse_gradient",  # sides too large to typeset
    # note 002
    "optimizers.adagrad_eps_placement",  # non-identity
    "regression.abs_subgradient_positive_other_slope",  # refuted
    "activations.relu_derivative",  # proved at sizes
    # note 003
    "matrix_calculus.quadratic_form_gradient_table",  # conditional
    "matrix_calculus.row_vector_function_derivative_numerator",  # refuted
    # note 004
    "matrix_calculus.jacobian_as_written",  # refuted
    "matrix_calculus.scalar_by_matrix_numerator_transposed",  # proved
    # standard
    "linear_algebra.transpose_of_product_same_order",  # conditional
    "probability.log_sum_exp_shift",  # proved at sizes
)


@pytest.fixture(scope="session")
def real_run():
    from derivations import get
    from verifier import __version__
    from verifier.engine import Options
    from verifier.report import Run
    from verifier.report.display import present
    from verifier.runner import run

    start = time.perf_counter()
    results = run([get(i) for i in SUBSET], Options(jobs=2, timeout=60), present=present)
    return Run(tuple(results), time.perf_counter() - start, __version__)
