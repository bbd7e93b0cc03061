"""The zero ladder stops at once where an exact rational point shows the difference nonzero,
and the point always respects what SymPy knows of each symbol (positive, integer, ...)."""

from __future__ import annotations

import sympy as sp

from verifier.strategies import zero


def _count_simplify(monkeypatch) -> list:
    calls: list = []  # the ladder swallows a simplifier's errors, so count instead of raising
    real = sp.simplify

    def counted(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)
    monkeypatch.setattr(zero.sp, "simplify", counted)
    return calls


def test_a_false_clip_identity_is_not_simplified(monkeypatch):
    g, c = sp.symbols("g c", real=True)
    S = sp.Symbol("S", positive=True)
    clip = lambda v, lo, hi: sp.Min(sp.Max(v, lo), hi)  # noqa: E731
    calls = _count_simplify(monkeypatch)
    assert not zero.is_zero(clip(S * g, -c, c) / S - clip(g, -c, c))
    assert calls == []


def test_probes_respect_each_symbols_assumptions():
    x = sp.Symbol("x", positive=True)
    k = sp.Symbol("k", integer=True)
    m = sp.Symbol("m", negative=True, integer=True)
    # each is 0 wherever its symbols' assumptions hold, and nonzero elsewhere
    for e in (sp.Abs(x) - x, (-1) ** (2 * k) - 1, sp.Abs(m) + m, sp.Max(x, -x) - x):
        assert not zero._nonzero_somewhere(e), e
    assert zero._nonzero_somewhere(sp.Abs(sp.Symbol("y")) - sp.Symbol("y"))


def test_true_identities_still_reach_the_ladder():
    a, b = sp.symbols("a b", real=True)
    assert zero.is_zero(sp.Max(a, b) + sp.Min(a, b) - a - b)
    assert zero.is_zero(sp.Abs(a * b) - sp.Abs(a) * sp.Abs(b))


def test_only_exact_values_count():
    x = sp.Symbol("x", positive=True)
    # exp(x)·exp(−x) − 1 at x = 3/7 is not a rational SymPy has evaluated: no verdict from it
    assert not zero._nonzero_somewhere(sp.exp(x) * sp.exp(-x) - 1 + sp.exp(x) - sp.exp(x))
    assert not zero._nonzero_somewhere(x ** 1000 - x ** 1000 + sp.Float(0.5) - sp.Float(0.5))
