"""prove_noncommutative: inverse identities proved in general dimension; every one-term
mutant refuted; near misses never proved.

The identities and their mutants are ``examples/inverse_identities.claims.toml``;
``benchmarks/verify_speed.py`` times the same file (the target is 5 s per claim on 2 cores),
never a test: a claim that falls back to a timeout fails here by its verdict.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import sympy as sp

from verifier.audit import audit
from verifier.claimfile import load_claim_files, one_liner
from verifier.engine import Options, decide
from verifier.strategies import Context, prove_noncommutative
from verifier.strategies.noncommutative import Algebra

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "inverse_identities.claims.toml"
ENTRIES, ERRORS = load_claim_files([str(EXAMPLE)])
IDENTITIES = [e for e in ENTRIES if e.expect.outcome == "holds"]
MUTANTS = [e for e in ENTRIES if e.expect.outcome != "holds"]
OPTS = Options(timeout=60)  # how long each takes: `derivcheck check` on the example file


def test_the_example_file_loads():
    assert not ERRORS and len(IDENTITIES) == 6 and len(MUTANTS) >= 30


# ----- the identities, proved in general dimension -----


@pytest.mark.parametrize("claim", IDENTITIES, ids=lambda c: c.id)
def test_identity_is_proved_in_general_dimension(claim):
    v = decide(claim, OPTS).verdict
    assert (v.status, v.method) == ("proved", "prove_noncommutative"), v


# ----- their one-term mutants, refuted (or conditional: false as stated) -----


@pytest.mark.parametrize("claim", MUTANTS, ids=lambda c: c.id)
def test_mutant_is_refuted(claim):
    v = decide(claim, OPTS).verdict
    assert v.status in ("refuted", "conditional"), v
    assert audit(claim, v.counterexample).differs  # re-decided from its printed values


@pytest.mark.parametrize("claim", MUTANTS, ids=lambda c: c.id)
def test_the_rewriting_never_proves_a_mutant(claim):
    assert prove_noncommutative(Context(claim)) is None


# ----- beyond the examples: more identities it proves -----

AB = "A: matrix(n, n), B: matrix(n, n)"
UV = "U: matrix(n, k), V: matrix(k, n)"
SV = "A: matrix(n, n), u: vector(n), v: vector(n)"
ABCD = "A: matrix(n, n), B: matrix(n, k), C: matrix(k, n), D: matrix(k, k)"

TRUE = [
    # (I + UV)⁻¹ = I − U(I + VU)⁻¹V
    ("inv(eye(n) + U @ V)", "eye(n) - U @ inv(eye(k) + V @ U) @ V", UV, ()),
    # (A⁻¹ + B⁻¹)⁻¹ = A(A + B)⁻¹B
    ("inv(inv(A) + inv(B))", "A @ inv(A + B) @ B", AB, ()),
    # (A + uvᵀ)⁻¹u = A⁻¹u / (1 + vᵀA⁻¹u)
    ("inv(A + u @ v.T) @ u", "inv(A) @ u / (1 + v.T @ inv(A) @ u)", SV, ()),
    # Sylvester: det(Iₙ + UV) = det(Iₖ + VU), and with transposes
    ("det(eye(n) + U @ V)", "det(eye(k) + V @ U)", UV, ()),
    ("det(eye(n) + U @ V)", "det(eye(n) + V.T @ U.T)", UV, ()),
    # tr(A⁻¹BA) = tr B
    ("trace(inv(A) @ B @ A)", "trace(B)", AB, ()),
    # det(AᵀA) = (det A)²
    ("det(A.T @ A)", "det(A) ** 2", AB, ()),
    # det A · det(D − CA⁻¹B) = det D · det(A − BD⁻¹C)
    ("det(A) * det(D - C @ inv(A) @ B)", "det(D) * det(A - B @ inv(D) @ C)", ABCD, ()),
    # the block inverse through the other Schur complement, A − BD⁻¹C
    ("inv(block([[A, B], [C, D]]))",
     "block([[inv(A - B @ inv(D) @ C), -inv(A - B @ inv(D) @ C) @ B @ inv(D)],"
     " [-inv(D) @ C @ inv(A - B @ inv(D) @ C),"
     " inv(D) + inv(D) @ C @ inv(A - B @ inv(D) @ C) @ B @ inv(D)]])", ABCD, ()),
    # det [[A, B], [C, D]] = det A · det(D − CA⁻¹B), with A⁻¹ assumed or written
    ("det(block([[A, B], [C, D]]))", "det(A) * det(D - C @ inv(A) @ B)", ABCD, ()),
    ("det(block([[A, B], [C, D]]))", "det(D) * det(A - B @ inv(D) @ C)", ABCD,
     ("D invertible",)),
    # block triangular
    ("inv(block([[A, B], [zeros(k, n), D]]))",
     "block([[inv(A), -inv(A) @ B @ inv(D)], [zeros(k, n), inv(D)]])",
     "A: matrix(n, n), B: matrix(n, k), D: matrix(k, k)", ()),
    # a scalar coefficient that may be 0: divided by off its zero set, then continuity
    ("inv(A + c * u @ v.T)",
     "inv(A) - c * inv(A) @ u @ v.T @ inv(A) / (1 + c * v.T @ inv(A) @ u)",
     SV + ", c: scalar", ()),
    # Kalman: (P⁻¹ + HᵀR⁻¹H)⁻¹ = P − PHᵀ(HPHᵀ + R)⁻¹HP, and the gain
    ("inv(inv(P) + H.T @ inv(R) @ H)", "P - P @ H.T @ inv(H @ P @ H.T + R) @ H @ P",
     "P: matrix(n, n), H: matrix(m, n), R: matrix(m, m)", ()),
    ("inv(inv(P) + H.T @ inv(R) @ H) @ H.T @ inv(R)", "P @ H.T @ inv(H @ P @ H.T + R)",
     "P: matrix(n, n), H: matrix(m, n), R: matrix(m, m)", ()),
    # ridge, push-through: (XᵀX + λI)⁻¹Xᵀ = Xᵀ(XXᵀ + λI)⁻¹
    ("inv(X.T @ X + lam * eye(k)) @ X.T", "X.T @ inv(X @ X.T + lam * eye(n))",
     "X: matrix(n, k), lam: scalar", ()),
    # assumptions as rules: Q⁻¹ = Qᵀ, (det Q)² = 1, A⁻¹B = BA⁻¹ for commuting A, B
    ("inv(Q + u @ v.T)", "Q.T - Q.T @ u @ v.T @ Q.T / (1 + v.T @ Q.T @ u)",
     "Q: matrix(n, n), u: vector(n), v: vector(n)", ("Q orthogonal",)),
    ("det(Q) ** 2", "1", "Q: matrix(n, n)", ("Q orthogonal",)),
    ("inv(A) @ B", "B @ inv(A)", AB, ("A and B commute",)),
    ("u.T @ inv(A + u @ u.T) @ v", "v.T @ inv(A + u @ u.T) @ u", SV, ("A symmetric",)),
]


@pytest.mark.parametrize("lhs, rhs, symbols, assume", TRUE, ids=[t[0] for t in TRUE])
def test_more_identities_are_proved(lhs, rhs, symbols, assume):
    v = prove_noncommutative(Context(one_liner(lhs, rhs, symbols, assume)))
    assert v is not None and v.status == "proved", v


# ----- near misses: the reduction must not prove them -----

NEAR_MISSES = [
    # Woodbury with C in place of C⁻¹
    ("inv(A + U @ C @ V)", "inv(A) - inv(A) @ U @ inv(C + V @ inv(A) @ U) @ V @ inv(A)",
     "A: matrix(n, n), U: matrix(n, k), C: matrix(k, k), V: matrix(k, n)",
     ("A invertible", "C invertible")),
    ("inv(A + B)", "inv(A) + inv(B)", AB, ()),
    ("inv(A @ B)", "inv(A) @ inv(B)", AB, ()),
    ("inv(A) @ B @ A", "B", AB, ()),
    # XᵀX invertible does not make X(XᵀX)⁻¹Xᵀ the identity when X is tall
    ("X @ inv(X.T @ X) @ X.T", "eye(n)", "X: matrix(n, k)", ()),
    # det(UV) = 0 when k < n only; det(UV) = det(VU) only when square
    ("det(U @ V)", "0", UV, ()),
    ("det(U @ V)", "det(V @ U)", UV, ()),
    ("det(u @ v.T)", "0", SV, ()),  # false at n = 1
    # (t − 3) may vanish for an integer t, and continuity does not reach t = 3
    ("inv(A + (t - 3) * u @ v.T) @ u", "inv(A) @ u / (1 + (t - 2) * v.T @ inv(A) @ u)",
     SV + ", t: integer", ()),
    ("det(2 * A)", "2 * det(A)", AB, ()),  # true at n = 1 only
    ("det(-A)", "det(A)", AB, ()),  # true at even n only
    ("det(A + B)", "det(A) + det(B)", AB, ()),
    ("det(inv(A))", "det(A)", AB, ()),
    ("det(eye(n) + U @ V)", "1 + trace(U @ V)", UV, ()),
    ("det(Q)", "1", "Q: matrix(n, n)", ("Q orthogonal",)),  # det Q = −1 too
    ("inv(Q)", "Q", "Q: matrix(n, n)", ("Q orthogonal",)),
    ("inv(A) @ B.T", "B @ inv(A)", AB, ("A and B commute",)),
    ("inv(A.T @ A)", "inv(A).T @ inv(A)", AB, ()),
    ("trace(inv(A) @ B)", "trace(inv(B) @ A)", AB, ()),
    # Sherman–Morrison with 1 − vᵀA⁻¹u
    ("inv(A + u @ v.T)", "inv(A) - inv(A) @ u @ v.T @ inv(A) / (1 - v.T @ inv(A) @ u)", SV, ()),
    ("det(block([[A, B], [C, D]]))", "det(A) * det(D) - det(C @ B)", ABCD, ("A invertible",)),
    ("det(block([[A, B], [C, D]]))", "det(A) * det(D - B.T @ inv(A) @ C.T)", ABCD, ()),
    # a block inverse with the Schur complement's sign flipped
    ("inv(block([[A, B], [zeros(k, n), D]]))",
     "block([[inv(A), inv(A) @ B @ inv(D)], [zeros(k, n), inv(D)]])",
     "A: matrix(n, n), B: matrix(n, k), D: matrix(k, k)", ()),
]


@pytest.mark.parametrize("lhs, rhs, symbols, assume", NEAR_MISSES,
                         ids=[f"{t[0]} = {t[1]}" for t in NEAR_MISSES])
def test_a_near_miss_is_not_proved(lhs, rhs, symbols, assume):
    claim = one_liner(lhs, rhs, symbols, assume)
    assert prove_noncommutative(Context(claim)) is None
    v = decide(claim, OPTS).verdict
    assert v.status in ("refuted", "conditional"), v


# ----- the algebra -----


def _algebra():
    n = sp.Symbol("n", integer=True, positive=True)
    alg = Algebra(time.process_time() + 10)
    a = alg.symbol(sp.MatrixSymbol("A", n, n))
    u = alg.symbol(sp.MatrixSymbol("u", n, 1))
    v = alg.symbol(sp.MatrixSymbol("v", n, 1))
    return alg, a, u, v


def test_a_scalar_word_equals_its_transpose():
    # vᵀA⁻¹u = uᵀA⁻ᵀv
    alg, a, u, v = _algebra()
    w = alg.inverse(a)
    left = alg.reduce(alg.mul(alg.mul(alg.transpose(v), w), u))
    right = alg.reduce(alg.mul(alg.mul(alg.transpose(u), alg.transpose(w)), v))
    assert left.key() == right.key() and list(left.terms) == [()]


def test_an_inverse_cancels_on_either_side():
    # A·A⁻¹ = A⁻¹·A = I
    alg, a, _, _ = _algebra()
    w = alg.inverse(a)
    eye = alg.identity(a.rows)
    assert alg.reduce(alg.mul(a, w)).key() == eye.key() == alg.reduce(alg.mul(w, a)).key()


def test_the_determinant_lemma_in_canonical_form():
    # det(A + uvᵀ) = det A (1 + vᵀA⁻¹u), with A⁻¹ known
    alg, a, u, v = _algebra()
    w = alg.inverse(a)
    lhs = alg.det(alg.add(a, alg.mul(u, alg.transpose(v))))
    s = alg.reduce(alg.mul(alg.mul(alg.transpose(v), w), u)).terms[()]
    assert sp.expand(lhs - alg.det(a) * (1 + s)) == 0


def test_no_division_by_a_coefficient_that_may_vanish():
    # (A + c·uvᵀ)⁻¹ with c neither known nonzero nor free in an interval: its rules wait
    # (no rewrite divides by c)
    alg, a, u, v = _algebra()
    c = sp.Symbol("c")
    alg.inverse(alg.add(a, alg.scale(alg.mul(u, alg.transpose(v)), c)))
    assert alg.pending and all(
        not any(x.has(1 / c) for x in rhs.values())
        for rules in alg.rules.values() for _, rhs in rules)
