"""Round 4's realistic claims as a README reader writes them outside claim files: through the
Python API (strings, and callables building SymPy) and as `derivcheck claim` one-liners with
shell quoting.  Each truth was decided by hand before the engine ran (see the comments)."""

from __future__ import annotations

import json
import shlex

import pytest
import sympy as sp

from verifier import verify

LOGREG = "w: vector(d), x: vector(d), y: scalar"


@pytest.mark.parametrize("lhs,rhs,symbols,kw", [
    # logistic loss with labels ±1: ∇_w −log σ(y wᵀx) = −y σ(−y wᵀx) x
    ("grad(-log(sigmoid(y * (w.T @ x))), w)", "-y * sigmoid(-y * (w.T @ x)) * x", LOGREG, {}),
    ("grad(-log(sigmoid(y * (w.T @ x))), w)", "y * sigmoid(-y * (w.T @ x)) * x", LOGREG,
     dict(expect="fails")),
    # softmax-policy score, with the class in slot 0 (onehot of a class number)
    ("grad(log_softmax(th)[0], th)", "onehot(0, K) - softmax(th)", "th: vector(K)", {}),
    # the GP data-fit term's gradient by K, entry-wise (K symmetric positive definite)
    ("grad(y.T @ inv(K) @ y, K)", "-inv(K) @ y @ y.T @ inv(K)", "K: matrix(n, n), y: vector(n)",
     dict(assume="K SPD", convention="entry-wise")),
    # Cayley-Hamilton holds for 2×2 matrices only: sizes say so
    ("A @ A - trace(A) * A + det(A) * eye(n)", "zeros(n, n)", "A: matrix(n, n)",
     dict(sizes=[{"n": 2}])),
    ("A @ A - trace(A) * A + det(A) * eye(n)", "zeros(n, n)", "A: matrix(n, n)",
     dict(expect="fails")),
    # Adam's update is invariant to a positive rescaling of the gradients
    ("(c * m) / sqrt(c**2 * v)", "m / sqrt(v)", "m: vector(n), v: vector(n), c: scalar",
     dict(assume=["v > 0", "c > 0"])),
])
def test_api_strings(lhs, rhs, symbols, kw):
    r = verify(lhs, rhs, symbols=symbols, timeout=20, **kw)
    assert r.as_expected, (r.verdict.status, r.verdict.detail)


def _sig(t):
    return 1 / (1 + sp.exp(-t))


@pytest.mark.parametrize("lhs,rhs,symbols,expect", [
    # σ'(t) = σ(t)(1 − σ(t)), differentiated by SymPy
    (lambda s: sp.diff(_sig(s.t), s.t), lambda s: _sig(s.t) * (1 - _sig(s.t)), "t: scalar",
     None),
    # SymPy's jacobian of Ax is A (numerator layout, as SymPy builds it); Aᵀ is wrong
    (lambda s: (s.A @ s.x).jacobian(s.x), lambda s: s.A, "x: vector(n), A: matrix(n, n)", None),
    (lambda s: (s.A @ s.x).jacobian(s.x), lambda s: s.A.T, "x: vector(n), A: matrix(n, n)",
     "fails"),
    # a string side against a callable side
    ("x.T @ A @ x", lambda s: s.x.T @ s.A.T @ s.x, "x: vector(n), A: matrix(n, n)", None),
])
def test_api_callables(lhs, rhs, symbols, expect):
    r = verify(lhs, rhs, symbols=symbols, expect=expect, timeout=20)
    assert r.as_expected, (r.verdict.status, r.verdict.detail)


# one-liners as typed in a shell (single quotes around each expression)
ONE_LINERS = [
    ("derivcheck claim 'grad(sum(log(1 + exp(X @ w))) - y.T @ X @ w, w)' "
     "'X.T @ (sigmoid(X @ w) - y)' --symbols 'X: matrix(N, d), w: vector(d), y: vector(N)'",
     "proved"),
    ("derivcheck claim 'y * (1 - y)' 'zeros(n, 1)' --symbols 'y: vector(n)' "
     "--assume 'y in {0, 1}'", "proved"),
    # the Jacobian of x/‖x‖ is symmetric, so the layout does not matter; without the
    # projection it is wrong
    ("derivcheck claim 'jacobian(x / norm(x), x)' '(eye(n) - x @ x.T / (x.T @ x)) / norm(x)' "
     "--symbols 'x: vector(n)' --assume 'x != 0'", "proved"),
    ("derivcheck claim 'jacobian(x / norm(x), x)' 'eye(n) / norm(x)' "
     "--symbols 'x: vector(n)' --assume 'x != 0' --expect fails", "refuted"),
]


@pytest.mark.parametrize("line,verdict", ONE_LINERS)
def test_one_liner(line, verdict, capsys):
    # in this process (the console script's own start-up is tested in tests/engine/test_cli.py)
    from verifier.cli import main

    argv = shlex.split(line)
    code = main([*argv[1:], "--format", "json", "-q", "--no-cache", "--jobs", "1",
                 "--timeout", "30"])
    out = capsys.readouterr()
    claims = json.loads(out.out)["claims"]
    assert (claims[0]["verdict"], code) == (verdict, 0), out.err[-500:]
