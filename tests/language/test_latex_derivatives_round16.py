"""Round 16: LaTeX as lecture notes write it.  Before round 16 each reading below was refused
('LaTeX is not read (\\frac)', '(\\nabla)', '(\\lVert)', '(\\boldsymbol)', '(\\mathbb)', '(\\Phi)',
'(\\log)' for \\log_2, and 'sin x cos: write the call with its parentheses').

* a derivative, \\frac{\\partial f}{\\partial x}, \\frac{\\partial}{\\partial x}(f),
  \\frac{d}{dx} f, \\nabla_x (f), \\nabla_\\theta, is grad(f, x) (the claim's
  layout); the second derivative \\frac{\\partial^2 f}{\\partial x \\partial x^\\top} is
  hessian(f, x).  An operator's operand is the parenthesised group after it, or the rest of
  the side where that is one term; otherwise refused, and so is a
  declared symbol alone as the numerator (∂L/∂W of a symbol L is 0);
* \\lVert x \\rVert, \\boldsymbol{\\mu}, \\mathbb{1}[z > 0] (the comparison), \\Phi(x) (the normal
  CDF), \\log_2(x) (log(x) / log(2));
* \\begin{cases} a & c \\\\ b & \\text{otherwise} \\end{cases} (or b & the negation of c) is
  (c) * a + (1 - (c)) * b, np.where's reading; other cases environments are refused;
* \\sin^2 s is sin(s)^2 (\\sin^{-1} stays refused: the inverse sine in most texts);
* a derivation typed for an aligned environment (a &= b \\\\ &= c, \\begin{aligned}, steps
  written "&= b \\\\") is the chain a = b = c;
* a function's name ends the argument of the one before: \\sin x \\cos y is sin(x) cos(y);
  log s u (one operand or two?) stays refused, also after a factor (y log s u, read before
  round 16 as y log(s) u while log s u alone was refused)."""

from __future__ import annotations

from functools import partial

import pytest
from readings import read, refusal

from verifier.claimfile import declare_symbols
from verifier.language import scope_of

SCOPE = scope_of(declare_symbols(
    "x: vector(n), y: vector(n), A: matrix(n, n), W: matrix(m, n), b: vector(m), "
    "theta: vector(n), mu: vector(n), L: scalar, s: scalar, t: scalar, u: scalar, "
    "z: vector(n), dk: scalar"))

_read = partial(read, scope=SCOPE)
_refusal = partial(refusal, scope=SCOPE)


@pytest.mark.parametrize(("written", "plain"), [
    (r"\frac{\partial (x^\top A x)}{\partial x}", "grad(x.T @ A @ x, x)"),
    (r"\frac{\partial}{\partial x} (x^\top A x)", "grad(x.T @ A @ x, x)"),
    (r"\frac{\partial}{\partial x} \left( x^\top A x \right)", "grad(x.T @ A @ x, x)"),
    (r"\nabla_x (x^\top A x) + x", "grad(x.T @ A @ x, x) + x"),
    (r"\nabla_{x} x^\top A x", "grad(x.T @ A @ x, x)"),
    (r"\nabla_{\mathbf{x}} \left( \mathbf{x}^\top A \mathbf{x} \right)", "grad(x.T @ A @ x, x)"),
    (r"\nabla_\theta (\theta^\top x)", "grad(theta.T @ x, theta)"),
    (r"\frac{\partial \frac{1}{2}\|W x - b\|^2}{\partial W}",
     "grad(1 / 2 * norm(W @ x - b) ** 2, W)"),
    (r"\frac{\partial}{\partial W} \frac{1}{2}\|W x - b\|^2",
     "grad(1 / 2 * norm(W @ x - b) ** 2, W)"),
    (r"\frac{d}{ds} \sin(s)", "grad(sin(s), s)"),
    (r"\frac{\mathrm{d}}{\mathrm{d}s} \left( s^3 \right)", "grad(s ** 3, s)"),
    (r"\frac{d \sin s}{ds}", "grad(sin(s), s)"),
    (r"\dfrac{\partial}{\partial s} e^{s}", "grad(exp(s), s)"),
    (r"\frac{\partial^2 (x^\top A x)}{\partial x \partial x^\top}", "hessian(x.T @ A @ x, x)"),
    (r"\frac{\partial^2}{\partial s^2} (s^4)", "hessian(s ** 4, s)"),
    (r"\lVert x \rVert^2", "norm(x) ** 2"),
    (r"\left\lVert x - y \right\rVert_2", "norm(x - y)"),
    (r"\boldsymbol{\mu}^\top \boldsymbol{\mu}", "mu.T @ mu"),
    (r"\mathbb{1}[z > 0] \odot z", "(z > 0) * z"),
    (r"\mathbb{1}_{z > 0}", "z > 0"),
    (r"\mathbf{1}\{s \ge 0\}", "s >= 0"),
    (r"\Phi(s)", "(1 + erf(s / sqrt(2))) / 2"),
    (r"\log_2(s)", "log(s) / log(2)"),
    (r"\log_{10} s", "1 / log(10) * log(s)"),
    (r"\sin s \cos t", "sin(s) * cos(t)"),
    (r"\sin s \cos t + \cos s \sin t", "sin(s) * cos(t) + cos(s) * sin(t)"),
    ("sin s cos t", "sin(s) * cos(t)"),
    (r"\log s \exp(u)", "log(s) * exp(u)"),
    (r"2 \sin s \cos s", "2 * sin(s) * cos(s)"),
    ("s e^{-s}", "s * exp(-s)"),  # e^ after a space: juxtaposed (was: unknown name "e")
    (r"-s e^{-s^2/2}", "-s * exp(-s ** 2 / 2)"),
    (r"\|x\|_\infty", "max(abs(x))"),
    (r"\begin{cases} s & s > 0 \\ 0 & \text{otherwise} \end{cases}",
     "(s > 0) * s + (1 - (s > 0)) * 0"),
    (r"\begin{cases} s, & s > 0 \\ 0.01 s, & s \le 0 \end{cases}",
     "(s > 0) * s + (1 - (s > 0)) * (0.01 * s)"),
    (r"\begin{cases} 1 & \text{if } s \ge 0 \\ -1 & \text{else} \end{cases}",
     "(s >= 0) * 1 + (1 - (s >= 0)) * (-1)"),
    (r"\sin^2 s + \cos^2 s", "sin(s) ** 2 + cos(s) ** 2"),  # the value's power
    (r"\cos^{2}(s + t)", "cos(s + t) ** 2"),
    (r"1 - \tanh^2 s", "1 - tanh(s) ** 2"),
    (r"\log^2 s", "log(s) ** 2"),
    (r"\sin^2 s \cos^2 t", "sin(s) ** 2 * cos(t) ** 2"),
])
def test_latex_as_notes_write_it_is_read(written: str, plain: str) -> None:
    assert _read(written) == _read(plain)


@pytest.mark.parametrize(("written", "says"), [
    (r"\frac{\partial L}{\partial W}", "does not depend on W"),
    (r"\frac{\partial (A x)}{\partial x}", "write jacobian(f, x)"),  # a column f: not grad
    (r"\nabla_x x^\top A x + x", "put the function in parentheses"),
    (r"2 \nabla_x (x^\top A x) x", "put the function in parentheses"),
    (r"\frac{dk}{ds}", 'unknown name "ds"'),  # dk declared: a quotient, not a derivative
    (r"\log s u", "log(s u) or log(s) u"),
    ("t log s u", "log(s u) or log(s) u"),  # was t log(s) u
    (r"\sin s \cos t u", "cos(t u) or cos(t) u"),
    (r"\mathbf{1}^\top x", "ones(n) for the vector of ones"),  # not the number 1
    (r"\sin^{-1} s", '"sin" is a function'),  # the inverse sine or 1/sin? refused
    (r"\sin^2 s t", '"sin" is a function'),  # sin²(st) or sin²(s) t? refused
    (r"\sin^2 2 s", '"sin" is a function'),  # never (sin 2)² s
    (r"\nabla_x (x^\top x)^\top x", "operand is not clear"),  # ∇f(x)ᵀv: the transpose is ∇'s
    # a gap (s = 0 in neither row) or three rows: no one reading
    (r"\begin{cases} s & s > 0 \\ 0 & s < 0 \end{cases}", "a cases environment is read"),
    (r"\begin{cases} 1 & s > 0 \\ 0 & s = 0 \\ -1 & s < 0 \end{cases}",
     "the second condition 'otherwise' or the first's negation"),
])
def test_a_derivative_or_call_without_one_operand_is_refused(written: str, says: str) -> None:
    assert says in _refusal(written)


# a dimension named d (x ∈ ℝ^d) leaves \partial read; \frac{d}{dx} is then d / dx
WITH_D = scope_of(declare_symbols("X: matrix(N, d), w: vector(d), y: vector(N), s: scalar"))


def test_a_dimension_named_d_keeps_the_partial_derivative() -> None:
    assert read(r"\frac{\partial}{\partial w} \frac{1}{2}\|X w - y\|_2^2", WITH_D) == \
        read("grad(1 / 2 * norm(X @ w - y) ** 2, w)", WITH_D)
    assert 'unknown name "ds"' in refusal(r"\frac{d}{ds} (s^2)", WITH_D)


def test_an_aligned_derivation_is_a_chain() -> None:
    # &= and \\ of an aligned environment: a = b = c (was refused at '&'); its verdicts are
    # r16_ln_aligned_squared_distance's and ..._cross_term_lost's (latex_norms_products_round16)
    from verifier.claimfile import equation_sides
    from verifier.language.latex import aligned_step
    written = (r"\begin{aligned} \|x - y\|^2 &= (x - y)^\top (x - y) \\ "
               r"&= x^\top x - 2 x^\top y + y^\top y \end{aligned}")
    assert [_read(side) for side in equation_sides(written)] == [
        "norm(x - y) ** 2", "(x - y).T @ (x - y)", "x.T @ x - 2 * x.T @ y + y.T @ y"]
    assert _read(aligned_step(r"&= (x - y)^\top (x - y) \\")) == "(x - y).T @ (x - y)"
