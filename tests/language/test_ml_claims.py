"""End to end: claims written with indices, indicators, Jacobians and the label assumptions
are decided to the verdict the mathematics says, by ``derivcheck claim`` and by the engine."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest

from verifier.claimfile import one_liner
from verifier.cli import main
from verifier.engine import Options, decide

OPTS = Options(timeout=60)


@dataclass(frozen=True)
class Run:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def derivcheck(capsys):
    """``derivcheck ARGS`` in this process (the console script's own start-up is tested in
    tests/engine/test_cli.py): its exit code and what it printed."""

    def run(*args: str) -> Run:
        code = main([*args, "--no-cache", "--quiet", "--jobs", "1"])
        out = capsys.readouterr()
        return Run(code, out.out, out.err)

    return run


def test_a_sum_over_an_index_is_the_inner_product(derivcheck):
    # Σᵢ xᵢyᵢ = xᵀy
    p = derivcheck("claim", "sum(x[i] * y[i], i)", "x.T @ y",
                   "--symbols", "x: vector(n), y: vector(n), i: index(n)", "--format", "json")
    assert p.returncode == 0, p.stdout + p.stderr
    verdict = json.loads(p.stdout)["claims"][0]["verdict"]
    assert verdict in ("proved", "proved-at-sizes")


def test_an_indicator_claim_and_its_slip(derivcheck):
    # 1[z > 0] z = ReLU(z)
    p = derivcheck("claim", "(z > 0) * z", "relu(z)", "--symbols", "z: vector(n)")
    assert p.returncode == 0, p.stdout + p.stderr
    # 1[z ≥ 0] = 1[z > 0] fails at z = 0
    p = derivcheck("claim", "z >= 0", "z > 0", "--symbols", "z: vector(n)",
                   "--expect", "fails", "--format", "json")
    assert p.returncode == 0, p.stdout + p.stderr
    claim = json.loads(p.stdout)["claims"][0]
    # refuted, or (since the engine searches a sign on every entry of a vector) conditional
    # on the one condition that helps: every entry positive
    assert (claim["verdict"], claim["condition"]) in (("refuted", None),
                                                      ("conditional", "z positive"))
    assert "0" in json.dumps(claim["counterexample"]["values"])


def test_a_binary_label_claim_that_needs_the_assumption(derivcheck):
    # y ⊙ y = y holds for labels in {0, 1} and for no other y
    p = derivcheck("claim", "y * y", "y", "--symbols", "y: vector(n)", "--assume", "y binary")
    assert p.returncode == 0, p.stdout + p.stderr
    p = derivcheck("claim", "y * y", "y", "--symbols", "y: vector(n)", "--no-conditions")
    assert p.returncode == 1 and "refuted" in p.stdout


# (lhs, rhs, symbols, assumptions, layout, holds?)
CLAIMS = [
    # Σᵢ Wᵢ,:ᵀ xᵢ = Wᵀx
    ("sum(W[i, :].T * x[i], i)", "W.T @ x", "W: matrix(n, m), x: vector(n), i: index(n)",
     [], "denominator", True),
    # max(z, 0) = ReLU(z); ∇ Σ ReLU(z) = 1[z > 0] (where no entry is 0)
    ("max(z, 0)", "relu(z)", "z: vector(n)", [], "denominator", True),
    ("grad(sum(relu(z)), z)", "z > 0", "z: vector(n)", [], "denominator", True),
    # Jacobian of Ax: A in numerator layout (rows = outputs), Aᵀ in denominator layout
    ("jacobian(A @ x, x)", "A", "A: matrix(m, n), x: vector(n)", [], "numerator", True),
    ("jacobian(A @ x, x)", "A.T", "A: matrix(m, n), x: vector(n)", [], "denominator", True),
    ("jacobian(A @ x, x)", "A", "A: matrix(n, n), x: vector(n)", [], "denominator", False),
    # ∇²(xᵀAx) = A + Aᵀ
    ("hessian(x.T @ A @ x, x)", "A + A.T", "A: matrix(n, n), x: vector(n)", [],
     "denominator", True),
    # log Σ exp(z + c) = log Σ exp(z) + c
    ("logsumexp(z + c)", "logsumexp(z) + c", "z: vector(n), c: scalar", [], "denominator",
     True),
    # softmax down each column = softmax along each row of the transpose, transposed
    ("softmax(Z, axis=0)", "softmax(Z.T).T", "Z: matrix(n, m)", [], "denominator", True),
    # the rows of a one-hot matrix sum to 1
    ("sum(Y, axis=1)", "ones(N)", "Y: matrix(N, C)", ["Y one-hot"], "denominator", True),
    ("sum(Y, axis=1)", "ones(N)", "Y: matrix(N, C)", ["Y binary"], "denominator", False),
    # ∂/∂a −Σₖ yₖ log softmax(a)ₖ = softmax(a) − y needs Σₖ yₖ = 1
    ("grad(-sum(y[k] * log_softmax(a)[k], k), a)", "softmax(a) - y",
     "a: vector(C), y: vector(C), k: index(C)", ["y one-hot"], "denominator", True),
    ("grad(-sum(y[k] * log_softmax(a)[k], k), a)", "softmax(a) - y",
     "a: vector(C), y: vector(C), k: index(C)", [], "denominator", False),
    # (t − 1)(t − 2)(t − 3) = 0 for t in 1..3 only
    ("(t - 1) * (t - 2) * (t - 3)", "0", "t: integer", ["t in 1..3"], "denominator", True),
    ("(t - 1) * (t - 2) * (t - 3)", "0", "t: integer", [], "denominator", False),
]


@pytest.mark.parametrize("lhs,rhs,symbols,assume,layout,truth", CLAIMS,
                         ids=[f"{c[0]} = {c[1]} {c[3]} {c[4]}" for c in CLAIMS])
def test_verdict(lhs, rhs, symbols, assume, layout, truth):
    claim = one_liner(lhs, rhs, symbols, assume=assume, layout=layout)
    v = decide(claim, OPTS).verdict
    if truth:
        assert v.status in ("proved", "proved-at-sizes", "checked"), v
    else:
        assert v.status in ("refuted", "conditional"), v
        if v.counterexample is not None:
            from verifier.audit import audit

            assert audit(claim, v.counterexample).differs  # re-audited from its values


# ----- false at one case out of many: found by going through every case -----

RARE = [
    # 1 only at i = j = k = l = 2: one case of 81 at n = 3
    ("(i == 2) * (j == 2) * (k == 2) * (l == 2)", "0",
     "x: vector(n), i: index(n), j: index(n), k: index(n), l: index(n)", []),
    # 1 only for the labelling y = (1, 1, 1) at n = 3 (and 1, 1 at n = 2)
    ("prod(y[i], i)", "0", "y: vector(n), i: index(n)", ["y binary"]),
    # only for the one-hot rows all in the last class
    ("prod(Y[i, 2], i)", "0", "Y: matrix(N, 3), i: index(N)", ["Y one-hot"]),
]


@pytest.mark.parametrize("lhs,rhs,symbols,assume", RARE, ids=[c[0] for c in RARE])
def test_a_claim_false_at_one_case_is_refuted(lhs, rhs, symbols, assume):
    from verifier.audit import audit

    claim = one_liner(lhs, rhs, symbols, assume=assume)
    v = decide(claim, Options(timeout=60, conditions=False)).verdict
    assert v.status == "refuted", v
    assert audit(claim, v.counterexample).differs
