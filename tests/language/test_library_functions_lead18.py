"""A PyTorch or NumPy function the language lacks is named as such, with the language's
spelling where one is short (before: 'attribute ".huber_loss" is not in the language; the only
attribute is .T')."""

from __future__ import annotations

import pytest

from verifier.api import as_entry
from verifier.language import ClaimInputError

S = {"x": "vector(n)", "y": "vector(n)"}


@pytest.mark.parametrize(("lhs", "says"), [
    # F.huber_loss is read since round 17 (the mean of the Huber loss, delta = 1)
    ("F.triplet_margin_loss(x, y, x)", r'"F.triplet_margin_loss" is not in the language'),
    ("torch.cdist(x, y)", r'"torch.cdist" is not in the language.*norm\(x - y\)'),
    ("F.cosine_similarity(x, y)", r"x.T @ y / \(norm\(x\) \* norm\(y\)\)"),
    ("torch.foo(x)", r'"torch.foo" is not in the language; write it with the language'),
])
def test_a_library_function_is_named(lhs, says):
    with pytest.raises(ClaimInputError, match=says):
        as_entry(lhs, "x", symbols=S)


def test_an_attribute_of_a_symbol_is_still_the_attribute_message():
    with pytest.raises(ClaimInputError, match=r'attribute ".foo".*only attribute is .T'):
        as_entry("x.foo", "x", symbols=S)
    # a symbol named F is the symbol, not the module
    with pytest.raises(ClaimInputError, match=r'attribute ".huber_loss"'):
        as_entry("F.huber_loss", "F", symbols={"F": "matrix(n, n)"})
