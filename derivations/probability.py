"""Probability: KL divergence, cross-entropy, maximum likelihood, Gaussian mixtures.

Also the small exact expectation algebra that the optimizer and normalisation claims use
(``expectation``): E of a polynomial in independent random variables with given moments.
"""

from __future__ import annotations

from typing import Any

CLAIMS: tuple = ()


def expectation(expr: Any, moments: dict) -> Any:
    """E[expr] for a polynomial ``expr`` in independent random variables.

    ``moments`` maps each random variable x to (E x, E x², …); a monomial's expectation is
    the product of its factors' moments (independence).  Raises ``ValueError`` when a
    monomial needs a moment that is not given.
    """
    import sympy as sp

    rvs = list(moments)
    poly = sp.Poly(sp.expand(expr), *rvs)
    total = sp.Integer(0)
    for exps, coeff in poly.terms():
        term = coeff
        for x, k in zip(rvs, exps, strict=True):
            if k == 0:
                continue
            if k > len(moments[x]):
                raise ValueError(f"E[{x}^{k}] is needed but only {len(moments[x])} moments given")
            term *= moments[x][k - 1]
        total += term
    return total
