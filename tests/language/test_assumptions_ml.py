"""The assumptions ML notes rely on: y binary, Y one-hot, p sums to 1 (non-negative entries),
t in 1..T.  Each is parsed, checked on values (``domains.holds``), sampled so that it holds
(``domains.sample_values``), enumerated at a fixed size (``instantiate.explicit``: one
component per value, so a proof at a size covers every value) and left free in general
dimension (a proof for every value covers these)."""

from __future__ import annotations

import itertools
import random

import pytest
import sympy as sp

from verifier.claim import ClaimError, parse_assumption
from verifier.claimfile import one_liner
from verifier.domains import holds, sample_values, scalar_domain, violated
from verifier.instantiate import component_count, explicit, general

# ----- parsing -----

PHRASES = [
    ("y binary", "binary", "y binary"),
    ("y is binary", "binary", "y binary"),
    ("y in {0, 1}", "binary", "y binary"),
    ("Y one-hot", "one-hot", "Y one-hot"),
    ("Y one hot", "one-hot", "Y one-hot"),
    ("Y onehot rows", "one-hot", "Y one-hot"),
    ("t in 1..T", "range", "t in 1..T"),
    ("t in 0 .. 10", "range", "t in 0..10"),
    ("p sums to 1", "sums to 1", "p sums to 1"),
]


@pytest.mark.parametrize("text,kind,phrase", PHRASES)
def test_parse(text, kind, phrase):
    a = parse_assumption(text)
    assert (a.kind, a.phrase()) == (kind, phrase)
    assert parse_assumption(a.phrase()) == a


BAD = [
    ("y binray", 'did you mean "y binary"?'),
    ("t in 5..2", "empty range"),
    ("y fuzzy", "accepted: X symmetric"),
]


@pytest.mark.parametrize("text,fragment", BAD)
def test_parse_errors(text, fragment):
    with pytest.raises(ClaimError, match=fragment.replace("?", r"\?")):
        parse_assumption(text)


def test_the_error_lists_the_new_phrases():
    with pytest.raises(ClaimError) as info:
        parse_assumption("y fuzzy")
    for phrase in ("y binary", "Y one-hot", "t in 1..T", "p sums to 1"):
        assert phrase in str(info.value)


CHECKS = [
    ("y: index(C)", "y binary", "needs a scalar, a vector or a matrix"),
    ("t: integer", "t binary", "needs a scalar, a vector or a matrix"),
    ("s: scalar", "s one-hot", "needs a vector or a matrix"),
    ("x: vector(n)", "x in 1..T", "needs a scalar or integer symbol"),
    ("t: integer, x: vector(n)", "t in 1..T", "T is not a dimension of the claim's symbols"),
    ("A: matrix(n, m)", "A sums to 1", "needs a vector"),
]


@pytest.mark.parametrize("symbols,assumption,fragment", CHECKS)
def test_an_assumption_on_the_wrong_kind_of_symbol(symbols, assumption, fragment):
    name = assumption.split()[0]
    with pytest.raises(ClaimError, match=fragment):
        one_liner(name, name, symbols, assume=[assumption])


# ----- checks on values -----

M = sp.Matrix
HOLDS = [
    ("y: vector(n)", "y binary", M([0, 1, 1]), True),
    ("y: vector(n)", "y binary", M([0, 2, 1]), False),
    ("y: vector(n)", "y binary", M([0, sp.Rational(1, 2), 1]), False),
    ("b: scalar", "b binary", sp.Integer(1), True),
    ("b: scalar", "b binary", sp.Integer(0), True),
    ("b: scalar", "b binary", sp.Integer(-1), False),
    ("Y: matrix(n, C)", "Y binary", M([[1, 1], [0, 1]]), True),
    ("y: vector(C)", "y one-hot", M([0, 1, 0]), True),
    ("y: vector(C)", "y one-hot", M([0, 0, 0]), False),
    ("y: vector(C)", "y one-hot", M([1, 1, 0]), False),
    ("Y: matrix(N, C)", "Y one-hot", M([[0, 1, 0], [1, 0, 0]]), True),
    ("Y: matrix(N, C)", "Y one-hot", M([[0, 1, 0], [1, 0, 1]]), False),
    ("Y: matrix(N, C)", "Y one-hot", M([[0, 1, 0], [0, 0, 0]]), False),
    ("Y: matrix(N, C)", "Y one-hot", M([[sp.Rational(1, 2), sp.Rational(1, 2)]]), False),
    ("p: vector(C)", "p sums to 1", M([sp.Rational(1, 4), sp.Rational(3, 4), 0]), True),
    # sums to 1 with a negative entry: not a probability vector
    ("p: vector(C)", "p sums to 1", M([2, -1, 0]), False),
    ("p: vector(C)", "p sums to 1", M([sp.Rational(1, 2), 0, 0]), False),
    ("t: integer", "t in 1..5", sp.Integer(5), True),
    ("t: integer", "t in 1..5", sp.Integer(6), False),
    ("t: scalar", "t in 0..5", sp.Integer(0), True),
    ("t: scalar", "t in 0..5", sp.Rational(1, 2), False),  # a range holds integers
]


@pytest.mark.parametrize("symbols,assumption,value,expected", HOLDS)
def test_holds_on_values(symbols, assumption, value, expected):
    name = assumption.split()[0]
    claim = one_liner(name, name, symbols, assume=[assumption])
    assert holds(claim.assumptions[0], {name: value}, claim) is expected


def test_a_range_with_a_dimension_end_reads_the_size_from_the_values():
    claim = one_liner("t * sum(g)", "t * sum(g)", "t: integer, g: vector(T)",
                      assume=["t in 1..T"])
    a = claim.assumptions[0]
    g3 = M([1, 2, 3])
    assert holds(a, {"t": sp.Integer(3), "g": g3}, claim)
    assert not holds(a, {"t": sp.Integer(4), "g": g3}, claim)
    assert not holds(a, {"t": sp.Integer(2)}, claim)  # T unknown: unsure, so False


# ----- sampling satisfies the assumption -----

SAMPLED = [
    ("y: vector(n), u: vector(n)", ["y binary"], {"n": 3}),
    ("b: scalar", ["b binary"], {}),
    ("b: scalar", ["b binary", "b positive"], {}),
    ("Y: matrix(N, C)", ["Y one-hot"], {"N": 3, "C": 4}),
    ("y: vector(C)", ["y one-hot"], {"C": 4}),
    ("A: matrix(n, n)", ["A binary", "A symmetric"], {"n": 2}),
    ("p: vector(C)", ["p sums to 1"], {"C": 4}),
    ("t: integer, g: vector(T)", ["t in 2..T"], {"T": 3}),
    ("t: scalar", ["t in 0..3"], {}),
]


@pytest.mark.parametrize("symbols,assume,sizes", SAMPLED)
def test_sampled_values_satisfy_the_assumptions(symbols, assume, sizes):
    claim = one_liner("0", "0", symbols, assume=assume)
    rng = random.Random(1)
    ok = 0
    for k in range(60):
        values = sample_values(claim, sizes, {}, rng, special=0.3 * (k % 2))
        broken = violated(claim, values)
        # binary and symmetric: drawn from every binary matrix, the audit keeps symmetric ones
        if "A symmetric" in assume:
            ok += not broken
            continue
        assert not broken, (values, broken)
        ok += 1
    assert ok > 0


def test_sampling_a_binary_vector_reaches_every_value():
    claim = one_liner("0", "0", "y: vector(n)", assume=["y binary"])
    rng = random.Random(0)
    seen = {tuple(sample_values(claim, {"n": 2}, {}, rng)["y"]) for _ in range(80)}
    assert seen == set(itertools.product((0, 1), repeat=2))


def test_binary_scalar_domain_is_zero_and_one():
    claim = one_liner("b", "b", "b: scalar", assume=["b binary"])
    dom = scalar_domain(claim, "b")
    assert [v for v in range(-2, 4) if dom.contains(sp.Integer(v))] == [0, 1]
    assert dom.specials() == [0, 1]


# ----- the explicit parametrisation enumerates every value -----

ENUMERATED = [
    ("y: vector(n)", ["y binary"], {"n": 3}, "y", 8),
    ("b: scalar", ["b binary"], {}, "b", 2),
    ("b: scalar", ["b binary", "b nonzero"], {}, "b", 1),
    ("y: vector(C)", ["y one-hot"], {"C": 4}, "y", 4),
    ("Y: matrix(N, C)", ["Y one-hot"], {"N": 2, "C": 3}, "Y", 9),
    ("Y: matrix(N, C)", ["Y binary", "Y one-hot"], {"N": 2, "C": 3}, "Y", 9),
    ("p: vector(C)", ["p one-hot", "p sums to 1"], {"C": 3}, "p", 3),
    ("t: integer", ["t in 1..5"], {}, "t", 5),
    ("s: scalar", ["s in 0..3", "s nonzero"], {}, "s", 3),
    ("t: integer, g: vector(T)", ["t in 1..T"], {"T": 3}, "t", 3),
]


@pytest.mark.parametrize("symbols,assume,sizes,name,count", ENUMERATED)
def test_components_enumerate_every_value_once(symbols, assume, sizes, name, count):
    claim = one_liner(name, name, symbols, assume=assume)
    assert component_count(claim, sizes) == count
    seen = set()
    for comp in range(count):
        inst = explicit(claim, sizes, component=comp)
        v = inst.symbol_values()[name]
        key = tuple(v) if isinstance(v, sp.MatrixBase) else v
        assert all(holds(a, inst.symbol_values(), claim) for a in claim.assumptions), (comp, v)
        seen.add(key)
    assert len(seen) == count


def test_components_multiply_with_structures_and_other_discrete_symbols():
    claim = one_liner("Q", "Q", "Q: matrix(n, n), y: vector(n), b: scalar",
                      assume=["Q orthogonal", "y binary", "b binary"])
    assert component_count(claim, {"n": 2}) == 2 * 4 * 2


def test_a_discrete_symbol_that_commutes_has_no_exact_parametrisation():
    from verifier.instantiate import Unsupported

    claim = one_liner("A @ B", "B @ A", "A: matrix(n, n), B: matrix(n, n)",
                      assume=["A binary", "A and B commute"])
    with pytest.raises(Unsupported):
        component_count(claim, {"n": 2})
    inst = explicit(claim, {"n": 2}, partial=True)
    assert inst.partial


def test_a_range_with_a_dimension_end_is_enumerated_at_each_size():
    claim = one_liner("t * sum(g)", "t * sum(g)", "t: integer, g: vector(T)",
                      assume=["t in 2..T"])
    values = [explicit(claim, {"T": 4}, component=k).symbol_values()["t"]
              for k in range(component_count(claim, {"T": 4}))]
    assert values == [2, 3, 4]
    assert component_count(claim, {"T": 1}) == 0  # no t in 2..1: nothing admissible there


def test_a_long_range_stays_one_symbolic_value():
    claim = one_liner("t", "t", "t: integer", assume=["t in 1..1000"])
    assert component_count(claim, {}) == 1
    inst = explicit(claim, {})
    assert inst.symbol_values()["t"] == inst.env["t"]  # free, in its domain
    dom = inst.domains[inst.env["t"]]
    assert dom.contains(sp.Integer(1000)) and not dom.contains(sp.Integer(1001))


def test_general_dimension_leaves_discrete_symbols_free_and_names_them():
    claim = one_liner("sum(y)", "sum(y)", "y: vector(n), Y: matrix(n, C), b: scalar",
                      assume=["y binary", "Y one-hot", "b binary"])
    inst = general(claim)
    env = inst.env
    assert isinstance(env["y"], sp.MatrixSymbol) and isinstance(env["Y"], sp.MatrixSymbol)
    assert inst.discrete == {env["y"]: "binary", env["Y"]: "one-hot", env["b"]: "binary"}
    assert env["b"].is_integer and env["b"].is_nonnegative


def test_no_derivative_by_a_label():
    # a binary, one-hot or integer-range symbol takes finitely many values: ∂/∂y is meaningless
    from verifier.language import ClaimInputError

    for symbols, assumption in (("y: vector(n)", "y binary"), ("y: vector(n)", "y one-hot"),
                                ("y: scalar", "y in 1..3")):
        with pytest.raises(ClaimInputError, match="cannot differentiate with respect to y"):
            one_liner("grad(sum(y), y)" if "vector" in symbols else "grad(y, y)", "0",
                      symbols, assume=[assumption])
