"""``derive`` on held-out ML questions (a third set): each test is a question that once had
no answer, a wrong one or an unhelpful error."""

from __future__ import annotations

import numpy as np

from verifier.derive import derive, prove


def test_product_of_entries_assumed_positive_has_an_index_form():
    # ∂Πᵢ xᵢ/∂x_j = Πₖ xₖ / x_j for x positive: the index form's positivity test did not
    # see "x positive" on a vector in general dimension (a MatrixSymbol's entries carry no
    # assumptions) and derive said "a product of factors that may be 0"
    d = derive("prod(x[i], i)", "x", "x: vector(n), i: index(n)", assume=["x positive"])
    assert d.form == "index"
    assert "prod" in d.text and "/" in d.text
    assert prove(d, timeout=60).verdict.holds
    # log Πᵢ xᵢ = Σᵢ log xᵢ: 1/x
    d = derive("log(prod(x[i], i))", "x", "x: vector(n), i: index(n)", assume=["x positive"])
    assert prove(d, timeout=60).verdict.holds
    x = np.array([[0.5], [2.0], [3.0]])
    assert np.allclose(eval(d.text, {"x": x, "ones": lambda n: np.ones((n, 1)), "n": 3}),  # noqa: S307
                       1 / x)
