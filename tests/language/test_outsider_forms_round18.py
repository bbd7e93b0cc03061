"""Round 18: formulas as outsiders paste them from notes, papers and training loops, read where
they have one meaning and refused with what to write where they have two.  Each reading below
was refused or read otherwise before round 18 (seen so at the parent):

* LaTeX's spacing ``\\,``, ``\\;``, ``\\:``, ``\\!`` between factors ('unexpected character
  after line continuation character');
* ``×`` and ``\\times`` where a side is a scalar (refused: 'invalid character'); of two vectors
  (a cross product) and of matrices (@ or *?) still refused, with what to write;
* ``W.mT`` of a matrix (PyTorch's transpose of the last two axes; refused); of a vector (1-D
  in PyTorch, where .mT is an error) still refused;
* ``F.linear(x, W, b)`` as PyTorch computes it: ``W @ x + b`` of a vector, ``X @ W.T + b.T``
  of a batch (refused);
* ``∇ₓ``, ``∇_θ``, ``∂_s``, ``\\partial_s`` with the variable subscripted (refused);
* ``\\max\\{a, b\\}``, ``\\min\\{a, b\\}`` of two elements (refused);
* ``f(x)``, ``L(θ)``, ``p(x)`` of a declared scalar named as papers name functions: refused as
  a call (was the product f * x, so f(2x) = 2 f(x) was proved); ``c(x)``, ``σ(x)``,
  ``p(1 − p)``, ``γ(x − μ)`` and a symbol beside an expression of itself, ``f(1 − f)``, stay
  products;
* PyTorch's and NumPy's arithmetic calls ``x.mul(y)``, ``torch.add(x, y)``, ``x.sub(y)``,
  ``x.div(y)``, ``np.multiply``, ``np.subtract``, ``np.divide``, ``x.neg()`` (refused:
  'attribute ".mul" is not in the language'); ``alpha=``, ``rounding_mode=`` refused;
* ``F.cross_entropy(z, y)`` of one sample's logits (1-D in PyTorch): ``-log_softmax(z)[y]``
  for a class index, ``-sum(t * log_softmax(z))`` for probabilities t (refused with that
  hint); a batch keeps the refusal;
* a decimal number glued to a name, ``2s``, ``0.5x``, ``(2s - s^2)`` (refused: 'invalid
  decimal literal'), and before an entry, ``2x_i`` ('unknown name "x_i"'); after a ``/``
  (``1/2s``: 1/(2s) or s/2?) still refused, saying so;
* Greek letters glued to declared names, ``Xθ``, ``Σμ``, and after a transpose ``xᵀΣx``
  (refused: 'unknown name "Xθ"', 'attribute ".TSigmax"'), and with the inverse on the last
  factor, ``xᵀΣ⁻¹x``, ``(x − μ)ᵀΣ⁻¹(x − μ)``, ``xᵀA⁻¹x`` (refused: a postfix after a glued
  product); the refusal of another postfix after a parenthesised transpose names the
  parentheses it needs ((x - mu).T @ Sigma);
* a negative power after a caret, ``s^-2`` (was 'operator ^ is not in the language'; only
  ``^-1`` and ``^{-2}`` were read); of a square matrix, ``A^-2``, refused as ``A^{-2}`` is;
* ``e^2s``, ``e^-2s``: e^{2s} as plain text means it, e² s as LaTeX typesets it: refused
  with both spellings (was exp(2) * s); ``e^-2 s``, ``e^{-2s}`` keep their one reading;
* MATLAB's ``.^``, ``.*``, ``./``: refused with the language's operators (was a bare 'syntax
  error: invalid syntax');
* ``\\prod_i x_i / c`` with c free of i: refused (was ∏(x_i / c), which is ∏x_i / cⁿ, while a
  reader may mean (∏ x_i) / c); ``\\prod_i x_i / y_i`` and ``\\sum_i x_i / c`` keep their one
  reading.
"""

from __future__ import annotations

from functools import partial

import pytest
from readings import read, refusal

from verifier.claimfile import declare_symbols
from verifier.language import scope_of

SCOPE = scope_of(declare_symbols(
    "x: vector(n), y: vector(n), b: vector(m), A: matrix(n, n), W: matrix(m, n), "
    "X: matrix(N, n), s: scalar, t: scalar, c: scalar, theta: vector(n), f: scalar, "
    "L: scalar, p: scalar, g: vector(n), sigma: scalar, gamma: scalar, mu: scalar, "
    "i: index(n), m0: vector(n), Sigma: matrix(n, n), Xk: matrix(N, k), w: vector(k)"))

_read = partial(read, scope=SCOPE)
_refusal = partial(refusal, scope=SCOPE)


@pytest.mark.parametrize(("written", "plain"), [
    # LaTeX spacing
    (r"s \, t", "s * t"), (r"s\,t", "s * t"), (r"s \; t", "s * t"), (r"s \: t", "s * t"),
    (r"s \! t", "s * t"), (r"\frac{1}{2}\, x^\top A x", "1 / 2 * x.T @ A @ x"),
    (r"c\,\|x\|^2", "c * norm(x) ** 2"),
    # × of scalars
    ("s × t", "s * t"), ("2 × s", "2 * s"), ("s × x", "s * x"), ("x × s", "x * s"),
    (r"s \times t", "s * t"), (r"2 \times A", "2 * A"), ("(s + 1) × (t - 1)", "(s + 1) * (t - 1)"),
    (r"(x^\top y) \times s", "(x.T @ y) * s"),
    # PyTorch
    ("W.mT", "W.T"), ("W.mT @ b", "W.T @ b"), ("(W @ A).mT", "(W @ A).T"),
    ("F.linear(x, W, b)", "W @ x + b"), ("F.linear(x, W)", "W @ x"),
    ("F.linear(x, W, bias=b)", "W @ x + b"), ("torch.nn.functional.linear(x, W, b)", "W @ x + b"),
    ("F.linear(X, W, b)", "X @ W.T + b.T"), ("F.linear(X, W)", "X @ W.T"),
    # ∇ and ∂ with the variable subscripted
    ("∇ₓ (xᵀ A x)", "grad(x.T @ A @ x, x)"), ("∇_x (x^T A x)", "grad(x.T @ A @ x, x)"),
    ("∇_{x} (x.T @ A @ x)", "grad(x.T @ A @ x, x)"), ("∇_θ (θᵀ x)", "grad(theta.T @ x, theta)"),
    ("∇ₓ ‖x‖²", "grad(norm(x) ** 2, x)"), ("∂_s (s^2)", "grad(s ** 2, s)"),
    ("∂ₛ (s^2)", "grad(s ** 2, s)"), (r"\partial_s (s^2)", "grad(s ** 2, s)"),
    (r"\partial_{s} s^2", "grad(s ** 2, s)"), ("∇ₓ(xᵀAx) + s", "grad(x.T @ A @ x, x) + s"),
    # numbers and Greek letters glued
    ("2s", "2 * s"), ("2s + 1", "2 * s + 1"), ("(2s - s^2)", "2 * s - s ** 2"), ("2x", "2 * x"),
    ("0.5s", "0.5 * s"), ("2.5x", "2.5 * x"), ("3s t", "3 * s * t"), ("2s^2", "2 * s ** 2"),
    ("2W x", "2 * W @ x"), ("2e3", "2000"), ("2e-3 * s", "0.002 * s"),
    ("e^-2 s", "exp(-2) * s"), ("e^{-2s}", "exp(-2 * s)"), ("e^2", "exp(2)"),
    ("s^-2", "s ** -2"), ("s^-2 t", "s ** -2 * t"), ("(s + 1)^-2", "(s + 1) ** -2"),
    ("s^-12", "s ** -12"), ("x^-2", "x ** -2"),
    ("2x_i", "2 * x[i]"), (r"\sum_i 2x_i y_i", "sum(2 * x[i] * y[i], i)"), ("12x_i", "12 * x[i]"),
    ("Xkw", "Xk @ w"), ("Σm0", "Sigma @ m0"), ("xᵀΣx", "x.T @ Sigma @ x"),
    ("xᵀSigmax", "x.T @ Sigma @ x"), ("xᵀΣ⁻¹x", "x.T @ inv(Sigma) @ x"),
    ("(x - m0)ᵀΣ⁻¹(x - m0)", "(x - m0).T @ inv(Sigma) @ (x - m0)"),
    ("xᵀAΣ⁻¹x", "x.T @ A @ inv(Sigma) @ x"), ("x^TA^{-1}x", "x.T @ inv(A) @ x"),
    ("‖Xkw‖²", "norm(Xk @ w) ** 2"),
    # arithmetic calls and one sample's cross-entropy
    ("x.mul(y).sum()", "sum(x * y)"), ("x.add(y)", "x + y"), ("x.sub(y)", "x - y"),
    ("x.div(y)", "x / y"), ("x.neg()", "-x"), ("torch.mul(x, y)", "x * y"),
    ("np.multiply(x, y)", "x * y"), ("np.subtract(x, y)", "x - y"), ("np.divide(x, 2)", "x / 2"),
    ("x.add(s)", "x + s"),
    ("F.cross_entropy(x, i)", "-log_softmax(x)[i]"),
    ("F.cross_entropy(x, y)", "-sum(y * log_softmax(x))"),
    ("F.cross_entropy(x, i, reduction='sum')", "-log_softmax(x)[i]"),
    # \max\{a, b\}
    (r"\max\{s, 0\}", "max(s, 0)"), (r"\max\{0, 1 - s t\}", "max(0, 1 - s * t)"),
    (r"\min\{s, t\} + \max\{s, t\}", "min(s, t) + max(s, t)"), (r"\max\{x, 0\}", "max(x, 0)"),
    # products that stay products
    ("c(x)", "c * x"), ("c(x - y)", "c * (x - y)"), ("σ(x)", "sigma * x"),
    ("p(1 - p)", "p * (1 - p)"), ("f(1 - f)", "f * (1 - f)"),
    ("L(L + s)", "L * (L + s)"), ("p(s + 1)", "p * (s + 1)"), ("gamma(x - mu)", "gamma * (x - mu)"),
    ("A(x + y)", "A @ (x + y)"),
    # products over an index with one reading
    (r"\prod_i x_i / y_i", "prod(x[i] / y[i], i)"), (r"\prod_i (x_i / c)", "prod(x[i] / c, i)"),
    (r"(\prod_i x_i) / c", "prod(x[i], i) / c"), (r"\prod_i \frac{x_i}{c}", "prod(x[i] / c, i)"),
    (r"\sum_i x_i / c", "sum(x[i] / c, i)"), (r"\prod_i s / x_i", "prod(s / x[i], i)"),
])
def test_outsider_forms_with_one_meaning_are_read(written: str, plain: str) -> None:
    assert _read(written) == _read(plain)


@pytest.mark.parametrize(("written", "says"), [
    ("x × y", "the cross product of 3-vectors"), ("x × y", "write x.T @ y for the inner product"),
    ("A × W.T", "write A @ W.T for the matrix product, A * W.T for the element-wise one"),
    (r"x \times y", "cross product"),
    ("x.mT", "write x.T"), ("s.mT", "write s.T"),
    ("f(x)", "f(x) reads as a function f called at x"), ("f(x)", "write f * (x) for the product"),
    ("f(2 s)", "write f * (2 s) for the product"), ("L(theta)", "a function L called at theta"),
    ("p(s)", "a function p called at s"), ("2 f(s)^2", "a function f called at s"),
    (r"\prod_i x_i / c", "is c inside the product (prod(x[i] / c, i)"),
    (r"\prod_i x_i / c", "or after it (prod(x[i], i) / c)? write the one meant"),
    (r"\prod_{i=1}^n x_i / 2", "is 2 inside the product"),
    ("Π_i x_i / s", "is s inside the product"),
    (r"\max\{s, t, 0\}", "max(a, b)"),  # three elements: the language's max takes two
    ("torch.add(x, y, alpha=2)", "the keyword alpha= is not read"),
    ("A^-2", "the matrix power in maths"),
    ("x.^2", "MATLAB's .^, .* and ./ are the language's ** (x ** 2), * and /"),
    ("x.*y", "MATLAB's .^, .* and ./"), ("x./y", "MATLAB's .^, .* and ./"),
    ("e^-2s", "is s in the exponent? write e^{-2s} (exp(-2 * s)) or e^{-2} s (exp(-2) * s)"),
    ("e^2s", "is s in the exponent?"), ("e^2x", "is x in the exponent?"),
    ("1/2s", "is 2s the divisor, a / (2 * s), or s a factor, (a / 2) * s?"),
    ("(x - m0)ᵀΣᵀ(x - m0)", "write (x - m0).T @ Sigma"), ("1ᵀx", "ones(n).T @ x"),
    ("x.div(y, rounding_mode='floor')", "rounding_mode= is not read"),
    ("F.cross_entropy(x, i, label_smoothing=0.1)", "label_smoothing= is not read"),
    ("F.cross_entropy(X, y)", "write -log_softmax(z)[y] for a class index y"),
])
def test_outsider_forms_with_two_meanings_are_refused(written: str, says: str) -> None:
    assert says in _refusal(written)
