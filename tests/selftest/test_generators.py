"""The generators' ground truth, confirmed by the judge's own evaluation (no engine).

A "differ" case must have a certified witness (its own, or one found by sampling admissible
points at sizes up to 6); an "equal" case must show no certified difference at sampled
admissible points; an "undefined" case must be undefined at every sampled point; every case
must load through the claim-file loader; a seed must give the same cases, and the cases of
one generator must be many and distinct.
"""

from __future__ import annotations

import random

import pytest

from verifier.selftest.admissible import Contradiction, sample
from verifier.selftest.generators import GENERATORS, generate
from verifier.selftest.generators.sizes import newton
from verifier.selftest.judge import audit, compare, find_witness, size_plan, specs

PER_GENERATOR = 40


@pytest.fixture(scope="module")
def cases():
    return generate(list(GENERATORS), PER_GENERATOR, seed=11)


def _sampled(spec, seed: int, limit: int = 8):
    rng = random.Random(seed)
    for sizes in size_plan(spec, rng)[:limit]:
        try:
            point = sample(spec.decls, spec.assumptions, sizes, rng)
        except Contradiction:
            continue
        if point is not None:
            yield sizes, point


@pytest.mark.parametrize("name", list(GENERATORS))
def test_every_false_case_has_a_certified_witness(cases, name):
    for c in (c for c in cases if c.generator == name):
        sp = specs(c)
        if c.witness:
            step = c.witness.get("step")
            targets = [sp[step - 1]] if step else sp
            assert any(audit(s, c.witness).ok for s in targets), (c.id, c.toml(), c.witness)
        elif c.sides == "differ":
            for s, side in zip(sp, c.step_sides or ("differ",), strict=True):
                if side == "differ":
                    assert find_witness(s) is not None, (c.id, c.toml())


@pytest.mark.parametrize("name", list(GENERATORS))
def test_every_true_case_agrees_and_every_undefined_case_is_undefined(cases, name):
    for c in (c for c in cases if c.generator == name):
        for s, side in zip(specs(c), c.step_sides or (c.sides,), strict=True):
            if side == "equal":
                for sizes, point in _sampled(s, 1):
                    got = compare(s, point)
                    assert got.status != "differ", (c.id, c.toml(), sizes, got.detail)
            elif side == "undefined":
                for sizes, point in _sampled(s, 2, limit=6):
                    got = compare(s, point)
                    assert got.status == "undefined", (c.id, c.toml(), sizes, got.status)


def test_every_case_loads_as_a_user_claim_file(cases):
    for c in cases:
        entry = c.entry()
        assert entry.id == c.id
        assert c.toml().startswith("[[derivation]]" if c.is_derivation else "[[claim]]")


def test_a_seed_gives_the_same_cases_and_another_seed_others():
    a = [c.toml() for c in generate(["structures", "sizes"], 30, seed=5)]
    b = [c.toml() for c in generate(["structures", "sizes"], 30, seed=5)]
    c = [c.toml() for c in generate(["structures", "sizes"], 30, seed=6)]
    assert a == b and a != c


@pytest.mark.parametrize("name", list(GENERATORS))
def test_a_generator_gives_many_distinct_cases_with_true_and_false_ones(name):
    cs = generate([name], 100, seed=0)
    tables = {repr(sorted(c.table.items())) for c in cs}
    assert len(tables) >= 60, len(tables)
    assert len({c.template for c in cs}) >= 4
    assert {"differ"} <= {c.sides for c in cs}


def test_the_newton_formulas_are_the_elementary_symmetric_polynomials():
    import itertools

    import sympy as sp

    from verifier.claim import parse_symbols
    from verifier.language.parser import Scope, parse_expression
    from verifier.selftest.arith import Arith
    from verifier.selftest.evaluate import Mat, Point, evaluate

    decls = parse_symbols("x: vector(n)")
    xs = [sp.Rational(v) for v in (3, -2, 5, 7, -1, 4)]
    for k in (3, 4, 5):
        expr = parse_expression(newton(k, "x"), Scope({d.name: d for d in decls}))
        for n in (k - 1, k, 6):
            from fractions import Fraction

            point = Point({"x": Mat([[Fraction(int(v))] for v in xs[:n]])}, {"n": n})
            want = sum(sp.prod(c) for c in itertools.combinations(xs[:n], k))
            assert evaluate(expr, point, Arith()) == want
