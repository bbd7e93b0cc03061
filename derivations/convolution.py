"""Convolution and pooling: the continuous and discrete convolution, the banded (Toeplitz)
matrix, output sizes, the two example filters, linearity and shift-equivariance, the shapes
of a convolution layer, pooling and its gradients, and the gradients of a convolution.

Conventions.  Note 002 defines the *true* convolution g[i] = Σₙ f[n]h[i − n] (the kernel is
flipped); deep-learning layers (and ``derivations.gradients.convolution``) compute the
*cross-correlation* y[i] = Σₚ x[i + p]w[p].  A "valid" operation keeps only the outputs
where the kernel lies inside the input: n − k + 1 of them; the "full" convolution keeps every
output with a non-empty sum: n + k − 1.  Indices in code are 0-based; the note's n = 1..N is
read with f[n] = (n-th entry) and the kernel h[j] supported on j = 0..k − 1.

The sides are Python builders: a convolution indexes its input at shifted positions
(x[i + p]), flips and pads, which the claim language cannot write.  Most of them loop over
fixed sizes (inputs ≤ 5×5, kernels ≤ 3×3: proved element-wise at the listed sizes).  The
gradients, the banded matrix, its Jacobian and linearity are written for every size (the
"any size" helpers: sums of symbolic length, zero padding as an indicator; also the full
convolution as a banded matrix), so that they are
proved in general dimension; there the upstream gradient g has the output's length
(n − k + 1, as at every listed size) and is read only at the valid outputs.

Note 002 states ∂L/∂Wˡ = input ⋆_valid ∂L/∂output (the weight gradient) and defines pooling;
the input gradient and the pooling gradients are standard results.

``convolution.conv1d_banded_matrix`` is not linked to
``derivations.gradients.convolution.conv1d_matrix``: that function takes (h, n) with n an
integer size and returns the matrix T, while the implementation check calls a function with
the claim's own symbols (h and f here) and compares it with the claim's side (T·f).  The
conventions agree (row i of T holds the flipped kernel in columns i … i + k − 1); only the
call signature does not fit.
"""

from __future__ import annotations

import functools

import numpy as np

from derivations import note
from derivations.section import Section
from verifier import ops
from verifier.claim import make_claim

sc = ops.sc

CONV = note("002", "Filtering for Image Processing")
CNN = note("002", "Convolution neural network")
POOL = Section("standard", symbols="x: matrix(k, k)")  # one pooling window

# ----- helpers (fixed size: entries of explicit matrices) -----


def _entries(v):
    """The entries of a column as a list."""
    return [v[i] for i in range(v.shape[0])]


def _h_at(h, j):
    """h[j] with h supported on 0..k−1 (zero outside), h a column."""
    return h[j] if 0 <= j < h.shape[0] else 0


def _conv1d_full(f, h):
    """The note's g[i] = Σ_{n=1}^{N} f[n]h[i − n] for every i with a non-empty sum.

    f[n] is the n-th entry (n = 1..N), h[j] for j = 0..k−1: g is non-zero for i = 1..N+k−1.
    """
    n_, k = f.shape[0], h.shape[0]
    out = []
    for i in range(-k - 2, n_ + k + 3):  # a wide range: the support is found, not assumed
        terms = [f[n - 1] * _h_at(h, i - n) for n in range(1, n_ + 1) if 0 <= i - n < k]
        if terms:
            out.append(sum(terms))
    return ops.matrix(out)


def _toeplitz_full(h, n_):
    """The (N + k − 1) × N multi-diagonal matrix: T[r, c] = h[r − c]."""
    k = h.shape[0]
    return ops.matrix([[_h_at(h, r - c) for c in range(n_)] for r in range(n_ + k - 1)])


def _toeplitz_valid(h, n_):
    """The library's (n − k + 1) × n banded matrix: T[i, i + j] = h[k − 1 − j]."""
    k = h.shape[0]
    rows = []
    for i in range(n_ - k + 1):
        row = [0] * n_
        for j in range(k):
            row[i + j] = h[k - 1 - j]
        rows.append(row)
    return ops.matrix(rows)


def _conv1d_valid_direct(f, h):
    """The valid part of the full convolution: the outputs where h lies inside f,
    g[i] = Σₘ f[m]h[i − m] for i = k−1..n−1 (0-based), as in np.convolve(f, h, 'valid')."""
    n_, k = f.shape[0], h.shape[0]
    return ops.matrix([sum(f[m] * _h_at(h, i - m) for m in range(n_)) for i in range(k - 1, n_)])


def _corr1d_valid(x, w):
    """y[i] = Σₚ x[i + p]w[p], i = 0..n−k (a deep-learning "convolution")."""
    n_, k = x.shape[0], w.shape[0]
    return ops.matrix([sum(x[i + p] * w[p] for p in range(k)) for i in range(n_ - k + 1)])


def _corr1d_full(g, w):
    """Full cross-correlation: z[t] = Σₚ g[t − k + 1 + p]w[p] over the entries that exist."""
    m, k = g.shape[0], w.shape[0]
    out = []
    for t in range(m + k - 1):
        out.append(sum(g[t - k + 1 + p] * w[p] for p in range(k) if 0 <= t - k + 1 + p < m))
    return ops.matrix(out)


def _flip(w):
    """Reverse a column, or rotate a matrix by 180°."""
    r, c = w.shape
    return ops.matrix([[w[r - 1 - i, c - 1 - j] for j in range(c)] for i in range(r)])


def _corr2d_valid(x, w, stride=1):
    """y[i, j] = Σ_{p,q} x[s·i + p, s·j + q]w[p, q], output ⌊(H − kh)/s⌋ + 1 by ⌊(W − kw)/s⌋ + 1."""
    (hh, ww), (kh, kw) = x.shape, w.shape
    ho, wo = (hh - kh) // stride + 1, (ww - kw) // stride + 1
    return ops.matrix(
        [
            [
                sum(
                    x[stride * i + p, stride * j + q] * w[p, q]
                    for p in range(kh)
                    for q in range(kw)
                )
                for j in range(wo)
            ]
            for i in range(ho)
        ]
    )


def _corr2d_by_fitting_positions(x, w, stride=1):
    """The same correlation, its output grid found by construction: every top-left corner
    (r, c) on the stride grid at which the kernel lies inside the input."""
    (hh, ww), (kh, kw) = x.shape, w.shape
    rows = [r for r in range(hh) if r % stride == 0 and r + kh <= hh]
    cols = [c for c in range(ww) if c % stride == 0 and c + kw <= ww]
    return ops.matrix(
        [
            [sum(x[r + p, c + q] * w[p, q] for p in range(kh) for q in range(kw)) for c in cols]
            for r in rows
        ]
    )


def _conv2d_valid(f, h):
    """The note's true 2-D convolution, valid part: the correlation with the kernel rotated."""
    return _corr2d_valid(f, _flip(h))


def _conv2d_full(f, h):
    """The note's g[i, j] = Σₙ Σₘ f[n, m]h[i − n, j − m] over every (i, j) with a non-empty sum."""
    (a, b), (kh, kw) = f.shape, h.shape
    return ops.matrix(
        [
            [
                sum(
                    f[n, m] * h[i - n, j - m]
                    for n in range(a)
                    for m in range(b)
                    if 0 <= i - n < kh and 0 <= j - m < kw
                )
                for j in range(b + kw - 1)
            ]
            for i in range(a + kh - 1)
        ]
    )


# ----- helpers for every size (explicit at fixed sizes, index form in general dimension) -----


def _padded_at(v, i, j, rows, cols=None):
    """v[i, j] with zero padding: 0 where i ∉ 0..rows − 1 (or j ∉ 0..cols − 1); an indicator
    when an index is symbolic."""
    import sympy as sp

    inside = []
    for idx, n in ((i, rows), (j, cols)):
        if n is None:
            continue
        idx, n = sp.sympify(idx), sp.sympify(n)
        if idx.is_Integer and n.is_Integer:
            if not 0 <= int(idx) < int(n):
                return 0
        else:
            inside += [idx >= 0, idx <= n - 1]
    value = v[i, j]
    if not inside:
        return value
    return value * ops.as_steps(sp.Piecewise((1, sp.And(*inside)), (0, True)))


def _corr1d_loss(g, x, w):
    """L = Σᵢ g[i]·(x ⋆ w)[i] = Σᵢ g[i] Σₚ x[i + p]w[p] over the valid outputs i < n − k + 1."""
    k = w.shape[0]
    return ops.sum_over(x.shape[0] - k + 1, lambda i: g[i, 0] * ops.sum_over(
        k, lambda p: x[i + p, 0] * w[p, 0]))


def _corr2d_sum(x, w, i, j, flip=False, size=None):
    """Σ_{p,q} x[i + p, j + q]w[p, q] over the kernel's size (w's own, or ``size``; w rotated
    by 180° with flip)."""
    kh, kw = size or w.shape

    def weight(p, q):
        return w[kh - 1 - p, kw - 1 - q] if flip else w[p, q]

    return ops.sum_over(kh, lambda p: ops.sum_over(kw, lambda q: x[i + p, j + q] * weight(p, q)))


def _corr2d_loss(g, x, w, flip=False):
    """L = Σ_{i,j} g[i, j]·(x ⋆ w)[i, j] over the valid outputs (x * w with flip)."""
    (hh, ww), (kh, kw) = x.shape, w.shape
    return ops.sum_over(hh - kh + 1, lambda i: ops.sum_over(
        ww - kw + 1, lambda j: g[i, j] * _corr2d_sum(x, w, i, j, flip)))


def _valid_sum(s, p, q):
    """(x ⋆_valid g)[p, q] with g read over the valid outputs (H − kh + 1) × (W − kw + 1)."""
    return _corr2d_sum(s.x, s.g, p, q, size=(s.H - s.kh + 1, s.W - s.kw + 1))


def _full_sum(s, a, b):
    """(g * w)[a, b] = Σ_{p,q} w[p, q]g[a − p, b − q], g zero outside its valid outputs: the
    full true convolution, summed over the kernel."""
    ho, wo = s.H - s.kh + 1, s.W - s.kw + 1
    return ops.sum_over(s.kh, lambda p: ops.sum_over(
        s.kw, lambda q: s.w[p, q] * _padded_at(s.g, a - p, b - q, ho, wo)))


def _conv2d_valid_any(f, h):
    """The note's true convolution, valid part: the correlation with h rotated by 180°."""
    (hh, ww), (kh, kw) = f.shape, h.shape
    return ops.from_entries(hh - kh + 1, ww - kw + 1,
                            lambda i, j: _corr2d_sum(f, h, i, j, flip=True))


def _toeplitz_valid_any(h, n_):
    """The (n − k + 1) × n banded matrix T[i, i + j] = h[k − 1 − j], 0 off the band."""
    k = h.shape[0]
    return ops.from_entries(n_ - k + 1, n_, lambda i, c: _padded_at(h, k - 1 - c + i, 0, k))


def _conv1d_full_any(f, h):
    """The note's full convolution g[i] = Σₙ f[n]h[i − n] over every i with a non-empty sum,
    0-based: N + k − 1 outputs (h zero outside 0..k − 1)."""
    n_, k = f.shape[0], h.shape[0]
    return ops.from_entries(n_ + k - 1, 1, lambda i, _: ops.sum_over(
        n_, lambda m: f[m, 0] * _padded_at(h, i - m, 0, k)))


def _toeplitz_full_any(h, n_):
    """The (N + k − 1) × N multi-diagonal matrix T[r, c] = h[r − c], 0 off the diagonals."""
    k = h.shape[0]
    return ops.from_entries(n_ + k - 1, n_, lambda r, c: _padded_at(h, r - c, 0, k))


def _conv1d_valid_any(f, h):
    """g[i] = Σₘ f[m]h[i + k − 1 − m] (h zero outside 0..k − 1), i = 0..n − k: the outputs
    of the full convolution where h lies inside f."""
    n_, k = f.shape[0], h.shape[0]
    return ops.from_entries(n_ - k + 1, 1, lambda i, _: ops.sum_over(
        n_, lambda m: f[m, 0] * _padded_at(h, i + k - 1 - m, 0, k)))


def _const(c, r, k):
    return ops.ones(r, k) * c


EDGE = [[1, 2, 1], [0, 0, 0], [-1, -2, -1]]
SMOOTH = [[0, 1, 0], [1, 2, 1], [0, 1, 0]]


def _poly1(v, t, start=0):
    return sum(v[i] * t ** (i + start) for i in range(v.shape[0]))


def _poly2(m, t, u):
    return sum(m[i, j] * t**i * u**j for i in range(m.shape[0]) for j in range(m.shape[1]))


# multi-channel convolution layer: C_in = 2 input maps x1, x2 (H × M); C_out = 2 outputs;
# kernel w_oc (k × k) for output o and input channel c.  Output as a C_out × (H'·M') matrix
# (one row per output channel, each map flattened row-major).


def _layer_inputs(s):
    return [s.x1, s.x2]


def _layer_kernels(s):
    return [[s.w11, s.w12], [s.w21, s.w22]]


def _flatten_rows(m):
    return [m[i, j] for i in range(m.shape[0]) for j in range(m.shape[1])]


def _layer_direct(s, pad=False):
    """out[o] = Σ_c x_c ⋆ w_oc (valid; with pad=True, 'same': zero padding keeps H × M)."""
    xs = [_pad_same(x, s.w11.shape[0]) if pad else x for x in _layer_inputs(s)]
    rows = []
    for o in range(2):
        acc = None
        for c in range(2):
            y = _corr2d_valid(xs[c], _layer_kernels(s)[o][c])
            acc = y if acc is None else acc + y
        rows.append(_flatten_rows(acc))
    return ops.matrix(rows)


def _pad_same(x, k):
    """Zero padding of (k − 1)//2 before and the rest after, on both axes ('same')."""
    top = (k - 1) // 2
    bottom = k - 1 - top
    r, c = x.shape
    return ops.matrix(
        [
            [
                x[i - top, j - top] if 0 <= i - top < r and 0 <= j - top < c else 0
                for j in range(c + top + bottom)
            ]
            for i in range(r + top + bottom)
        ]
    )


def _layer_im2col(s, pad=False):
    """The layer as one matrix product: W (C_out × C_in·k²) · P (C_in·k² × H'M')."""
    xs = [_pad_same(x, s.w11.shape[0]) if pad else x for x in _layer_inputs(s)]
    k = s.w11.shape[0]
    hh, ww = xs[0].shape
    ho, wo = hh - k + 1, ww - k + 1
    wmat = ops.matrix(
        [
            [_layer_kernels(s)[o][c][p, q] for c in range(2) for p in range(k) for q in range(k)]
            for o in range(2)
        ]
    )
    patches = ops.matrix(
        [
            [xs[c][i + p, j + q] for i in range(ho) for j in range(wo)]
            for c in range(2)
            for p in range(k)
            for q in range(k)
        ]
    )
    return wmat @ patches


LAYER_SYMBOLS = (
    "x1: matrix(H, M), x2: matrix(H, M), "
    "w11: matrix(kh, kw), w12: matrix(kh, kw), w21: matrix(kh, kw), w22: matrix(kh, kw)"
)
# k × k kernels (kh = kw at every size); two dimension names so that the condition search
# after a shape refutation does not try symmetric/orthogonal/… kernels (it cannot help)
LAYER_SIZES = [{"H": 4, "M": 4, "kh": 3, "kw": 3}, {"H": 3, "M": 4, "kh": 3, "kw": 3}]


# pooling: one 2×2 window; its strict orderings are enumerated by a permutation index


def _window_point(s):
    """The window's entries at a point where entry perm[0] is the strict maximum: the values
    a > a − e₁ > a − e₁ − e₂ > a − e₁ − e₂ − e₃ (eᵢ > 0) placed in the order of permutation p."""
    import itertools

    perm = list(itertools.permutations(range(4)))[int(s.p)]
    chain = [s.a, s.a - s.e1, s.a - s.e1 - s.e2, s.a - s.e1 - s.e2 - s.e3]
    vals = [None] * 4
    for rank, pos in enumerate(perm):
        vals[pos] = chain[rank]
    return vals, perm[0]


@functools.cache
def _max_derivatives():
    """(t₁, …, t₄) and ∂max(t₁, …, t₄)/∂tⱼ as SymPy gives it (Heaviside(tⱼ − max of the rest))."""
    import sympy as sp

    t = sp.symbols("t1:5", real=True)
    y = sp.Max(*t)
    return t, tuple(sp.diff(y, tj) for tj in t)


def _max_pool_grad_at_point(s):
    """∂/∂xⱼ max(x₁, …, x₄) (SymPy's derivative of Max), evaluated at the ordered point."""
    t, derivs = _max_derivatives()
    vals, _ = _window_point(s)
    sub = dict(zip(t, vals, strict=True))
    return ops.matrix([[derivs[2 * r + c].subs(sub) for c in range(2)] for r in range(2)])


def _onehot_window(s):
    _, arg = _window_point(s)
    return ops.matrix([[1 if 2 * r + c == arg else 0 for c in range(2)] for r in range(2)])


def _avg_pool(x, size=2):
    """Non-overlapping size × size average pooling (stride = size)."""
    r, c = x.shape
    return ops.matrix(
        [
            [
                sum(x[size * i + p, size * j + q] for p in range(size) for q in range(size))
                / (size * size)
                for j in range(c // size)
            ]
            for i in range(r // size)
        ]
    )


def _max_pool(x, size=2):
    import sympy as sp

    r, c = x.shape
    return ops.matrix(
        [
            [
                sp.Max(*[x[size * i + p, size * j + q] for p in range(size) for q in range(size)])
                for j in range(c // size)
            ]
            for i in range(r // size)
        ]
    )


def _upsample(g, size=2):
    """Each upstream entry copied to its size × size window (the average-pool backward, ×size²)."""
    r, c = g.shape
    return ops.matrix([[g[i // size, j // size] for j in range(c * size)] for i in range(r * size)])


def _gaussian_self_convolution(s):
    return _gaussian_self_convolution_in(s.x)


@functools.cache
def _gaussian_self_convolution_in(x):
    """∫ e^(−τ²)e^(−(x − τ)²)dτ over ℝ, by SymPy (about 1 s: computed once per process)."""
    import sympy as sp

    tau = sp.Symbol("tau", real=True)
    return sp.integrate(sp.exp(-(tau**2)) * sp.exp(-((x - tau) ** 2)), (tau, -sp.oo, sp.oo))


def _gaussian_self_convolution_closed_form(s):
    import sympy as sp

    return sp.sqrt(sp.pi / 2) * sp.exp(-(s.x**2) / 2)


def _constant_smoothed(s):
    import sympy as sp

    tau = sp.Symbol("tau", real=True)
    kernel = sp.exp(-((s.x - tau) ** 2) / 2) / sp.sqrt(2 * sp.pi)
    return sp.integrate(s.c * kernel, (tau, -sp.oo, sp.oo))


CLAIMS = (
    # ----- Note 002: Filtering for Image Processing -----
    # g(x) = f(x) * h(x) = ∫ f(τ)h(x − τ)dτ: for f = h = e^{−x²}, g(x) = √(π/2)·e^{−x²/2}
    make_claim(
        "convolution.continuous_gaussian_self_convolution",
        title="∫ f(τ)h(x − τ)dτ for f = h = e^(−x²) is √(π/2)·e^(−x²/2) (a concrete instance)",
        source=CONV,
        symbols="x: scalar",
        lhs=_gaussian_self_convolution,
        rhs=_gaussian_self_convolution_closed_form,
    ),
    # "convolution is a weighted average of f locally": a normalised kernel (∫h = 1) keeps a
    # constant: ∫ c·h(x − τ)dτ = c for the unit Gaussian h
    make_claim(
        "convolution.continuous_normalised_kernel_keeps_constant",
        title="a weighted average: c * h = c for a kernel with ∫h = 1 (unit Gaussian)",
        source=CONV,
        symbols="x: scalar, c: scalar",
        lhs=_constant_smoothed,
        rhs=lambda s: s.c,
    ),
    # g[i] = Σ_{n=1}^{N} f[n]h[i − n]: the outputs are the coefficients of the product
    # (Σₙ f[n]tⁿ)(Σⱼ h[j]tʲ), so there are N + k − 1 of them (i = 1..N + k − 1)
    make_claim(
        "convolution.conv1d_full_polynomial_product",
        title="Σᵢ g[i]tⁱ = (Σₙ f[n]tⁿ)(Σⱼ h[j]tʲ) for g[i] = Σ_{n=1}^{N} f[n]h[i − n] "
        "(the full convolution: N + k − 1 outputs, i = 1..N + k − 1)",
        source=CONV,
        symbols="f: vector(N), h: vector(k), t: scalar",
        lhs=lambda s: _poly1(_conv1d_full(s.f, s.h), s.t, start=1),
        rhs=lambda s: _poly1(s.f, s.t, start=1) * _poly1(s.h, s.t),
        sizes=[{"N": 5, "k": 3}, {"N": 4, "k": 2}],
    ),
    # "Discrete 1D convolution is a matrix [product] … a multi-diagonal matrix":
    # g = T f with the (N + k − 1) × N Toeplitz matrix T[r, c] = h[r − c]
    make_claim(
        "convolution.conv1d_full_banded_matrix",
        title="the full convolution g[i] = Σₙ f[n]h[i − n] is T·f, T[r, c] = h[r − c] "
        "((N + k − 1) × N, k diagonals)",
        source=CONV,
        symbols="f: vector(N), h: vector(k)",
        lhs=lambda s: _conv1d_full_any(s.f, s.h),
        rhs=lambda s: _toeplitz_full_any(s.h, s.N) @ s.f,
        sizes=[{"N": 5, "k": 3}, {"N": 4, "k": 2}],
    ),
    # the valid part (the outputs where h lies inside f) with the library's banded matrix:
    # T is (n − k + 1) × n, T[i, i + j] = h[k − 1 − j]; T f = np.convolve(f, h, 'valid')
    make_claim(
        "convolution.conv1d_banded_matrix",
        title="valid 1-D convolution = T·f with the banded (n − k + 1) × n matrix "
        "T[i, i + j] = h[k − 1 − j] (the library's conv1d_matrix convention)",
        source=CONV,
        symbols="f: vector(n), h: vector(k)",
        lhs=lambda s: _toeplitz_valid_any(s.h, s.n) @ s.f,
        rhs=lambda s: _conv1d_valid_any(s.f, s.h),
        sizes=[{"n": 5, "k": 3}, {"n": 4, "k": 2}],
    ),
    # the banded matrix is exactly the Jacobian ∂g/∂f of the valid convolution
    make_claim(
        "convolution.conv1d_banded_matrix_is_jacobian",
        title="∂g/∂f (numerator layout) of the valid 1-D convolution is the banded matrix T",
        source=CONV,
        symbols="f: vector(n), h: vector(k)",
        lhs=lambda s: ops.jacobian(_conv1d_valid_any(s.f, s.h), s.f),
        rhs=lambda s: _toeplitz_valid_any(s.h, s.n),
        sizes=[{"n": 5, "k": 3}, {"n": 4, "k": 2}],
        implementation="derivations.gradients.convolution.conv1d_matrix",
        impl_args=lambda v: (v.h, v.n),
    ),
    # f * h = h * f (the true convolution commutes; the full outputs agree)
    make_claim(
        "convolution.conv1d_commutative",
        title="f * h = h * f (full 1-D convolution, equal lengths)",
        source=CONV,
        symbols="f: vector(n), h: vector(n)",
        lhs=lambda s: _conv1d_full(s.f, s.h),
        rhs=lambda s: _conv1d_full(s.h, s.f),
        sizes=[{"n": 3}, {"n": 4}],
    ),
    # g[i, j] = Σₙ Σₘ f[n, m]h[i − n, j − m]: the coefficients of the product of the two
    # bivariate polynomials
    make_claim(
        "convolution.conv2d_full_polynomial_product",
        title="Σ g[i, j]tⁱuʲ = (Σ f[n, m]tⁿuᵐ)(Σ h[p, q]tᵖu^q) for "
        "g[i, j] = Σₙ Σₘ f[n, m]h[i − n, j − m]",
        source=CONV,
        symbols="f: matrix(N, N), h: matrix(k, k), t: scalar, u: scalar",
        lhs=lambda s: _poly2(_conv2d_full(s.f, s.h), s.t, s.u),
        rhs=lambda s: _poly2(s.f, s.t, s.u) * _poly2(s.h, s.t, s.u),
        sizes=[{"N": 4, "k": 3}, {"N": 3, "k": 2}],
    ),
    # the valid part of the note's 2-D convolution is a cross-correlation with the kernel
    # rotated by 180° (what CNN libraries call convolution)
    make_claim(
        "convolution.conv2d_valid_is_flipped_correlation",
        title="valid part of g[i, j] = ΣΣ f[n, m]h[i − n, j − m] = f ⋆ rot180(h) "
        "(cross-correlation with the rotated kernel)",
        source=CONV,
        symbols="f: matrix(N, N), h: matrix(k, k)",
        lhs=lambda s: _conv2d_full(s.f, s.h)[s.k - 1 : s.N, s.k - 1 : s.N],
        rhs=lambda s: _corr2d_valid(s.f, _flip(s.h)),
        sizes=[{"N": 5, "k": 3}, {"N": 4, "k": 2}],
    ),
    # output shape (n_h − k_h + 1) × (n_w − k_w + 1): by construction, the grid of positions
    # where the kernel fits has exactly that shape
    make_claim(
        "convolution.conv_output_size",
        title="valid convolution/correlation output is (n_h − k_h + 1) × (n_w − k_w + 1) "
        "(the grid of positions where the kernel fits)",
        source=CONV,
        symbols="x: matrix(nh, nw), w: matrix(kh, kw)",
        lhs=lambda s: _corr2d_by_fitting_positions(s.x, s.w),
        rhs=lambda s: ops.matrix(
            [
                [
                    sum(s.x[i + p, j + q] * s.w[p, q] for p in range(s.kh) for q in range(s.kw))
                    for j in range(s.nw - s.kw + 1)
                ]
                for i in range(s.nh - s.kh + 1)
            ]
        ),
        sizes=[{"nh": 5, "nw": 4, "kh": 3, "kw": 2}, {"nh": 4, "nw": 5, "kh": 2, "kw": 3}],
    ),
    # as a statement about the note's own formula (every (i, j) with a non-empty sum) the rule
    # is wrong: that is the full convolution, (n_h + k_h − 1) × (n_w + k_w − 1)
    make_claim(
        "convolution.conv_output_size_of_full_formula",
        title="the note's g[i, j] over all (i, j) has (n_h − k_h + 1) × (n_w − k_w + 1) "
        "outputs (it has (n_h + k_h − 1) × (n_w + k_w − 1): the rule is for the valid part)",
        source=CONV,
        symbols="f: matrix(nh, nw), h: matrix(kh, kw)",
        lhs=lambda s: _conv2d_full(s.f, s.h),
        rhs=lambda s: _conv2d_valid(s.f, s.h),
        sizes=[{"nh": 4, "nw": 3, "kh": 3, "kw": 2}, {"nh": 3, "nw": 4, "kh": 2, "kw": 3}],
        expect="fails",
        corrected="convolution.conv_output_size",
    ),
    # with stride s (note 002 §4.2 "we use the stride", without a size): ⌊(n − k)/s⌋ + 1 per
    # axis, s = 2
    make_claim(
        "convolution.conv_output_size_stride",
        title="stride s = 2: output ⌊(n_h − k_h)/s⌋ + 1 × ⌊(n_w − k_w)/s⌋ + 1 "
        "(the positions on the stride grid where the kernel fits)",
        source="standard",
        symbols="x: matrix(nh, nw), w: matrix(kh, kw)",
        lhs=lambda s: _corr2d_by_fitting_positions(s.x, s.w, stride=2),
        rhs=lambda s: _corr2d_valid(s.x, s.w, stride=2),
        sizes=[{"nh": 5, "nw": 4, "kh": 3, "kw": 2}, {"nh": 4, "nw": 5, "kh": 3, "kw": 2}],
        implementation="derivations.gradients.convolution.conv2d",
        impl_args=lambda v: (v.x[None, None], v.w[None, None], 2),
    ),
    # [[1,2,1],[0,0,0],[−1,−2,−1]] "is a high-pass filter": it removes constants (gain 0)
    make_claim(
        "convolution.edge_filter_constant_image",
        title="[[1,2,1],[0,0,0],[−1,−2,−1]] maps a constant image to 0 (high-pass: DC gain 0)",
        source=CONV,
        symbols="c: scalar",
        lhs=lambda s: _conv2d_valid(_const(s.c, 5, 5), ops.matrix(EDGE)),
        rhs=lambda s: ops.zeros(3, 3),
    ),
    # "… which extract the edge": on a horizontal edge (rows a, a, b, b) it answers 4(b − a)
    make_claim(
        "convolution.edge_filter_horizontal_edge_response",
        title="on a horizontal edge (rows a, a, b, b) the filter answers 4(b − a) everywhere",
        source=CONV,
        symbols="a: scalar, b: scalar",
        lhs=lambda s: _conv2d_valid(
            ops.matrix([[s.a] * 4, [s.a] * 4, [s.b] * 4, [s.b] * 4]), ops.matrix(EDGE)
        ),
        rhs=lambda s: 4 * (s.b - s.a) * ops.ones(2, 2),
    ),
    # … and only to horizontal edges: a vertical edge (columns a, a, b, b) gives 0
    make_claim(
        "convolution.edge_filter_vertical_edge_blind",
        title="the same filter gives 0 on a vertical edge (columns a, a, b, b): "
        "it detects horizontal edges only",
        source=CONV,
        symbols="a: scalar, b: scalar",
        lhs=lambda s: _conv2d_valid(ops.matrix([[s.a, s.a, s.b, s.b]] * 4), ops.matrix(EDGE)),
        rhs=lambda s: ops.zeros(2, 2),
    ),
    # [[0,1,0],[1,2,1],[0,1,0]] on a constant image c gives 6c
    make_claim(
        "convolution.smoothing_filter_constant_gain",
        title="[[0,1,0],[1,2,1],[0,1,0]] maps a constant image c to 6c (its entries sum to 6)",
        source=CONV,
        symbols="c: scalar",
        lhs=lambda s: _conv2d_valid(_const(s.c, 5, 5), ops.matrix(SMOOTH)),
        rhs=lambda s: 6 * s.c * ops.ones(3, 3),
    ),
    # "is a low-pass filter, which makes the image more smooth": a smoothing (averaging)
    # filter keeps a constant image; as written the kernel multiplies it by 6
    make_claim(
        "convolution.smoothing_filter_preserves_constants",
        title="the low-pass filter [[0,1,0],[1,2,1],[0,1,0]] as written keeps a constant image",
        source=CONV,
        symbols="c: scalar",
        lhs=lambda s: _conv2d_valid(_const(s.c, 5, 5), ops.matrix(SMOOTH)),
        rhs=lambda s: s.c * ops.ones(3, 3),
        expect="fails",
        corrected="convolution.smoothing_filter_normalised_preserves_constants",
    ),
    # corrected: normalised by 1/6 it is an average and keeps constants
    make_claim(
        "convolution.smoothing_filter_normalised_preserves_constants",
        title="(1/6)[[0,1,0],[1,2,1],[0,1,0]] keeps a constant image (a weighted average)",
        source=CONV,
        symbols="c: scalar",
        lhs=lambda s: _conv2d_valid(_const(s.c, 5, 5), ops.matrix(SMOOTH) / 6),
        rhs=lambda s: s.c * ops.ones(3, 3),
    ),
    # convolution is linear: (αf + βg) * h = α(f * h) + β(g * h)
    make_claim(
        "convolution.conv2d_linear",
        title="(αf + βg) * h = α(f * h) + β(g * h) (valid 2-D convolution)",
        source=CNN,
        symbols="f: matrix(N, N), g: matrix(N, N), h: matrix(k, k), alpha: scalar, beta: scalar",
        lhs=lambda s: _conv2d_valid_any(s.alpha * s.f + s.beta * s.g, s.h),
        rhs=lambda s: s.alpha * _conv2d_valid_any(s.f, s.h) + s.beta * _conv2d_valid_any(s.g, s.h),
        sizes=[{"N": 4, "k": 3}, {"N": 3, "k": 2}],
    ),
    # "shift invariance": shifting the input (down and right by one, zero fill) shifts the
    # output the same way: (Sf) * h = S(f * h) (full 2-D convolution)
    make_claim(
        "convolution.conv2d_shift_equivariant",
        title="(Sf) * h = S(f * h): a shift of the input shifts the output (full convolution)",
        source=CNN,
        symbols="f: matrix(N, N), h: matrix(k, k)",
        lhs=lambda s: _conv2d_full(_shift(s.f), s.h),
        rhs=lambda s: _shift(_conv2d_full(s.f, s.h)),
        sizes=[{"N": 3, "k": 3}, {"N": 3, "k": 2}],
    ),
)


def _shift(m):
    """Shift down and right by one, filling with zeros (the matrix grows by one row and column)."""
    r, c = m.shape
    return ops.matrix(
        [[m[i - 1, j - 1] if i >= 1 and j >= 1 else 0 for j in range(c + 1)] for i in range(r + 1)]
    )


CLAIMS += (
    # ----- Note 002: Convolution neural network -----
    # a convolution layer is one matrix product: W (C_out × C_in·k²) · patches (C_in·k² × H'M');
    # with valid k × k kernels the output is C_out × (H − k + 1) × (M − k + 1)
    make_claim(
        "convolution.conv_layer_output_shape_valid",
        title="C_out filters of C_in × k × k on C_in maps of H × M (valid) give "
        "C_out × (H − k + 1) × (M − k + 1), computed as one patch-matrix product",
        source=CNN,
        symbols=LAYER_SYMBOLS,
        lhs=lambda s: _layer_im2col(s),
        rhs=lambda s: _layer_direct(s),
        sizes=LAYER_SIZES,
        implementation="derivations.gradients.convolution.conv2d",
        impl_args=lambda v: (
            np.stack([v.x1, v.x2])[None], np.array([[v.w11, v.w12], [v.w21, v.w22]])
        ),
    ),
    # "C_out filters of C_in × H × M … obtain a feature of C_out × H × M": read with k × k
    # kernels and no padding the output is smaller than H × M
    make_claim(
        "convolution.conv_layer_output_shape_as_written",
        title="C_out filters (C_in × k × k, no padding) on C_in × H × M give C_out × H × M, "
        "as the note writes it",
        source=CNN,
        symbols=LAYER_SYMBOLS,
        lhs=lambda s: _layer_im2col(s),
        rhs=lambda s: _layer_direct(s, pad=True),
        sizes=LAYER_SIZES,
        expect="fails",
        corrected="convolution.conv_layer_output_shape_same_padding",
    ),
    # corrected: with 'same' zero padding ((k − 1)/2 each side) the output is C_out × H × M
    make_claim(
        "convolution.conv_layer_output_shape_same_padding",
        title="with 'same' zero padding the layer's output is C_out × H × M",
        source=CNN,
        symbols=LAYER_SYMBOLS,
        lhs=lambda s: _layer_im2col(s, pad=True),
        rhs=lambda s: ops.matrix(
            [[_same_entry(s, o, i, j) for i in range(s.H) for j in range(s.M)] for o in range(2)]
        ),
        sizes=LAYER_SIZES,
    ),
    # y[i] = max_{j∈N(i)} x[j]: ∂y/∂x[j] = 1 at the argmax, 0 elsewhere (2 × 2 window; all 24
    # strict orderings of the window, SymPy's derivative of Max)
    make_claim(
        "convolution.max_pool_gradient",
        title="∂ max_{j∈N(i)} x[j] / ∂x = the one-hot of the argmax (2 × 2 window, every strict "
        "ordering)",
        source="standard",
        symbols="a: scalar, e1: scalar, e2: scalar, e3: scalar, p: index(24)",
        assume=["e1 positive", "e2 positive", "e3 positive"],
        lhs=_max_pool_grad_at_point,
        rhs=_onehot_window,
    ),
    # y[i] = (1/N(i)) Σ_{j∈N(i)} x[j] — N(i) is a set: read 1/|N(i)|; ∂y/∂x[j] = 1/|N(i)|
    POOL.claim("avg_pool_gradient_window", "grad(mean(x), x)", "ones(k, k) / (k * k)",
               sizes=[{"k": 2}, {"k": 3}],
               title="∂/∂x of (1/|N(i)|)Σ_{j∈N(i)} x[j] is 1/|N(i)| on every entry "
               "(the note's 1/N(i) read as 1/|N(i)|)"),
    # a whole 2 × 2 average-pooling layer: for L = Σ g ⊙ y, ∂L/∂x = upsample(g)/4
    make_claim(
        "convolution.avg_pool_gradient",
        title="2 × 2 average pooling, L = Σ g ⊙ y: ∂L/∂x spreads g[i]/4 over window i",
        source="standard",
        symbols="x: matrix(4, 4), g: matrix(2, 2)",
        kind="gradient",
        f=lambda s: ops.sum_(ops.hadamard(s.g, _avg_pool(s.x))),
        wrt="x",
        rhs=lambda s: _upsample(s.g) / 4,
        implementation="derivations.gradients.convolution.avg_pool2d_grad",
        impl_args=lambda v: (v.g[None, None], (1, 1, 4, 4)),
    ),
    # "… but non-linear": max pooling is not linear, max(x + z) ≠ max(x) + max(z) in general
    make_claim(
        "convolution.max_pool_not_additive",
        title="max pooling is not linear: max(x + z) ≠ max(x) + max(z) (2 × 2 window)",
        source=CNN,
        symbols="x: matrix(2, 2), z: matrix(2, 2)",
        kind="non-identity",
        lhs=lambda s: _max_pool(s.x + s.z),
        rhs=lambda s: _max_pool(s.x) + _max_pool(s.z),
    ),
    # average pooling, however, is linear: the note's "non-linear" is wrong for it
    make_claim(
        "convolution.avg_pool_nonlinear",
        title="average pooling is non-linear (as the note says of pooling): "
        "avg(αx + βz) ≠ α·avg(x) + β·avg(z)",
        source=CNN,
        symbols="x: matrix(4, 4), z: matrix(4, 4), alpha: scalar, beta: scalar",
        kind="non-identity",
        lhs=lambda s: _avg_pool(s.alpha * s.x + s.beta * s.z),
        rhs=lambda s: s.alpha * _avg_pool(s.x) + s.beta * _avg_pool(s.z),
        expect="fails",
        corrected="convolution.avg_pool_linear",
    ),
    make_claim(
        "convolution.avg_pool_linear",
        title="average pooling is linear: avg(αx + βz) = α·avg(x) + β·avg(z)",
        source=CNN,
        symbols="x: matrix(4, 4), z: matrix(4, 4), alpha: scalar, beta: scalar",
        lhs=lambda s: _avg_pool(s.alpha * s.x + s.beta * s.z),
        rhs=lambda s: s.alpha * _avg_pool(s.x) + s.beta * _avg_pool(s.z),
    ),
    # ∂L/∂Wˡ = input ⋆_valid ∂L/∂output: for y = x ⋆ w (valid cross-correlation, 1-D) and
    # L = Σ g ⊙ y, ∂L/∂w[p] = Σᵢ x[i + p]g[i] = (x ⋆ g)[p]
    make_claim(
        "convolution.conv_weight_gradient_valid_correlation_1d",
        title="y = x ⋆ w (valid, 1-D), L = Σ g ⊙ y: ∂L/∂w = x ⋆_valid g",
        source=CNN,
        symbols="x: vector(n), w: vector(k), g: vector(m)",
        kind="gradient",
        f=lambda s: _corr1d_loss(s.g, s.x, s.w),
        wrt="w",
        rhs=lambda s: ops.from_entries(s.k, 1, lambda p, _: ops.sum_over(
            s.n - s.k + 1, lambda i: s.x[p + i, 0] * s.g[i, 0])),
        sizes=[{"n": 5, "k": 3, "m": 3}, {"n": 4, "k": 2, "m": 3}],
    ),
    # the same in 2-D (the library's conv2d_grad_weight)
    make_claim(
        "convolution.conv_weight_gradient_valid_correlation",
        title="y = x ⋆ w (valid, 2-D), L = Σ g ⊙ y: ∂L/∂w = x ⋆_valid g",
        source=CNN,
        symbols="x: matrix(H, W), w: matrix(kh, kw), g: matrix(Ho, Wo)",
        kind="gradient",
        f=lambda s: _corr2d_loss(s.g, s.x, s.w),
        wrt="w",
        rhs=lambda s: ops.from_entries(s.kh, s.kw, lambda p, q: _valid_sum(s, p, q)),
        sizes=[
            {"H": 4, "W": 4, "kh": 3, "kw": 3, "Ho": 2, "Wo": 2},
            {"H": 5, "W": 4, "kh": 3, "kw": 2, "Ho": 3, "Wo": 3},
        ],
        implementation="derivations.gradients.convolution.conv2d_grad_weight",
        impl_args=lambda v: (v.x[None, None], v.g[None, None], (1, 1, v.kh, v.kw)),
    ),
    # with the note's own (true, flipped) convolution y = x * w the statement needs a flip:
    # ∂L/∂w = rot180(x ⋆ g), not x ⋆ g
    make_claim(
        "convolution.conv_weight_gradient_true_convolution",
        title="y = x * w (the note's true convolution, valid), L = Σ g ⊙ y: ∂L/∂w = x ⋆_valid g, "
        "as the note states it",
        source=CNN,
        symbols="x: matrix(H, W), w: matrix(kh, kw), g: matrix(Ho, Wo)",
        kind="gradient",
        f=lambda s: ops.sum_(ops.hadamard(s.g, _conv2d_valid(s.x, s.w))),
        wrt="w",
        rhs=lambda s: _corr2d_valid(s.x, s.g),
        sizes=[
            {"H": 4, "W": 4, "kh": 3, "kw": 3, "Ho": 2, "Wo": 2},
            {"H": 5, "W": 4, "kh": 3, "kw": 2, "Ho": 3, "Wo": 3},
        ],
        expect="fails",
        corrected="convolution.conv_weight_gradient_true_convolution_flipped",
    ),
    make_claim(
        "convolution.conv_weight_gradient_true_convolution_flipped",
        title="y = x * w (true convolution, valid), L = Σ g ⊙ y: ∂L/∂w = rot180(x ⋆_valid g)",
        source=CNN,
        symbols="x: matrix(H, W), w: matrix(kh, kw), g: matrix(Ho, Wo)",
        kind="gradient",
        f=lambda s: _corr2d_loss(s.g, s.x, s.w, flip=True),
        wrt="w",
        rhs=lambda s: ops.from_entries(
            s.kh, s.kw, lambda a, b: _valid_sum(s, s.kh - 1 - a, s.kw - 1 - b)),
        sizes=[
            {"H": 4, "W": 4, "kh": 3, "kw": 3, "Ho": 2, "Wo": 2},
            {"H": 5, "W": 4, "kh": 3, "kw": 2, "Ho": 3, "Wo": 3},
        ],
    ),
    # the input gradient: ∂L/∂x = full cross-correlation of g with rot180(w), i.e. the true
    # full convolution g * w (1-D: ∂L/∂x[t] = Σᵢ g[i]w[t − i])
    make_claim(
        "convolution.conv_input_gradient_full_convolution",
        title="y = x ⋆ w (valid, 1-D), L = Σ g ⊙ y: ∂L/∂x = full correlation of g with the "
        "flipped kernel (= the full convolution g * w)",
        source="standard",
        symbols="x: vector(n), w: vector(k), g: vector(m)",
        kind="gradient",
        f=lambda s: _corr1d_loss(s.g, s.x, s.w),
        wrt="x",
        rhs=lambda s: ops.from_entries(s.n, 1, lambda t, _: ops.sum_over(s.k, lambda p: _padded_at(
            s.g, t - s.k + 1 + p, 0, s.n - s.k + 1) * s.w[s.k - 1 - p, 0])),
        sizes=[{"n": 5, "k": 3, "m": 3}, {"n": 4, "k": 2, "m": 3}],
    ),
    # the tempting slip: the kernel not flipped
    make_claim(
        "convolution.conv_input_gradient_unflipped",
        title="∂L/∂x = full correlation of g with w (the kernel not flipped)",
        source="standard",
        symbols="x: vector(n), w: vector(k), g: vector(m)",
        kind="gradient",
        f=lambda s: ops.sum_(ops.hadamard(s.g, _corr1d_valid(s.x, s.w))),
        wrt="x",
        rhs=lambda s: _corr1d_full(s.g, s.w),
        sizes=[{"n": 5, "k": 3, "m": 3}, {"n": 4, "k": 2, "m": 3}],
        expect="fails",
        corrected="convolution.conv_input_gradient_full_convolution",
    ),
    # 2-D input gradient, the same statement (the library's conv2d_grad_input)
    make_claim(
        "convolution.conv_input_gradient_full_convolution_2d",
        title="y = x ⋆ w (valid, 2-D), L = Σ g ⊙ y: ∂L/∂x = g * w (full true convolution)",
        source="standard",
        symbols="x: matrix(H, W), w: matrix(kh, kw), g: matrix(Ho, Wo)",
        kind="gradient",
        f=lambda s: _corr2d_loss(s.g, s.x, s.w),
        wrt="x",
        rhs=lambda s: ops.from_entries(s.H, s.W, lambda a, b: _full_sum(s, a, b)),
        sizes=[
            {"H": 4, "W": 4, "kh": 3, "kw": 3, "Ho": 2, "Wo": 2},
            {"H": 5, "W": 4, "kh": 3, "kw": 2, "Ho": 3, "Wo": 3},
        ],
        implementation="derivations.gradients.convolution.conv2d_grad_input",
        impl_args=lambda v: (v.g[None, None], v.w[None, None], (1, 1, v.H, v.W)),
    ),
)


def _same_entry(s, o, i, j):
    """out[o, i, j] = Σ_c Σ_{p,q} x_c[i + p − pad, j + q − pad]w_oc[p, q], zero outside."""
    k = s.w11.shape[0]
    top = (k - 1) // 2
    total = 0
    for c, x in enumerate(_layer_inputs(s)):
        w = _layer_kernels(s)[o][c]
        for p in range(k):
            for q in range(k):
                r, cc = i + p - top, j + q - top
                if 0 <= r < x.shape[0] and 0 <= cc < x.shape[1]:
                    total += x[r, cc] * w[p, q]
    return total


# ----- Gradient library (derivations.gradients.convolution): the functions' conventions -----
# Arrays are NCHW; these claims use one sample and one channel, x[None, None].

GRAD = "derivations.gradients.convolution"


def _window_entries(x, i, j, size=2):
    return [x[size * i + p, size * j + q] for p in range(size) for q in range(size)]


def _max_fold(x, size=2):
    """max_pool as the library computes it: a running maximum over the kernel offsets."""
    import sympy as sp

    r, c = x.shape

    def fold(vals):
        out = vals[0]
        for v in vals[1:]:
            out = sp.Max(out, v)  # SymPy flattens nested maxima (max is associative)
        return out

    return ops.matrix(
        [[fold(_window_entries(x, i, j, size)) for j in range(c // size)] for i in range(r // size)]
    )


def _max_pool_routed(x, g, size=2):
    """g[i, j] routed to the argmax of window (i, j): 1[x_e > the rest of the window] g[i, j]
    as unit steps H(x_e − max(rest)) (ties have measure zero)."""
    import sympy as sp

    r, c = x.shape

    def entry(h, v):
        i, j = h // size, v // size
        rest = [e for e in _window_entries(x, i, j, size) if e != x[h, v]]
        return sp.Heaviside(x[h, v] - sp.Max(*rest)) * g[i, j]

    return ops.matrix([[entry(h, v) for v in range(c)] for h in range(r)])


CLAIMS += (
    # max pooling by a running maximum over the window offsets equals the window maximum
    make_claim(
        "convolution.max_pool_running_maximum",
        title="2 × 2 max pooling as a running maximum max(max(max(x₀₀, x₀₁), x₁₀), x₁₁) = "
        "the window maximum",
        source="standard",
        symbols="x: matrix(2, 4)",
        lhs=lambda s: _max_fold(s.x),
        rhs=lambda s: _max_pool(s.x),
        implementation=f"{GRAD}.max_pool2d",
        impl_args=lambda v: (v.x[None, None],),
    ),
    # a whole 2 × 2 max-pooling layer, L = Σ g ⊙ maxpool(x): ∂L/∂x routes g[i] to the argmax
    # of window i, zero elsewhere (away from ties)
    make_claim(
        "convolution.max_pool_layer_gradient",
        title="2 × 2 max pooling, L = Σ g ⊙ y: ∂L/∂x puts g[i] on the argmax of window i, 0 "
        "elsewhere (unit steps; away from ties)",
        source="standard",
        symbols="x: matrix(2, 4), g: matrix(1, 2)",
        kind="gradient",
        f=lambda s: ops.sum_(ops.hadamard(s.g, _max_pool(s.x))),
        wrt="x",
        rhs=lambda s: _max_pool_routed(s.x, s.g),
        implementation=f"{GRAD}.max_pool2d_grad",
        impl_args=lambda v: (v.g[None, None], v.x[None, None]),
    ),
    # 2 × 2 average pooling is the stride-2 correlation with the kernel (1/4)𝟙
    make_claim(
        "convolution.avg_pool_strided_correlation",
        title="x ⋆ (¼𝟙₂ₓ₂) at stride 2 = 2 × 2 average pooling",
        source="standard",
        symbols="x: matrix(4, 4)",
        lhs=lambda s: _corr2d_valid(s.x, ops.ones(2, 2) / 4, stride=2),
        rhs=lambda s: _avg_pool(s.x),
        implementation=f"{GRAD}.avg_pool2d",
        impl_args=lambda v: (v.x[None, None],),
    ),
)


# ----- Gradient library: conv2d with padding, stride, dilation and bias -----
# One channel, x 4 × 4, w 2 × 2, padding P = 1, dilation d = 2, stride s = 2: out is 2 × 2.

_S, _P, _D = 2, 1, 2


def _padded(x, pad):
    """x with a border of pad zeros."""
    r, c = x.shape
    return ops.matrix([[x[h - pad, v - pad] if pad <= h < r + pad and pad <= v < c + pad else 0
                        for v in range(c + 2 * pad)] for h in range(r + 2 * pad)])


def _conv_psd(x, w, s, pad, dil):
    """out[i, j] = Σ_{p,q} x̃[s·i + d·p, s·j + d·q] w[p, q], x̃ = x padded by P."""
    xp = _padded(x, pad)
    kh, kw = w.shape
    ho = (xp.shape[0] - dil * (kh - 1) - 1) // s + 1
    wo = (xp.shape[1] - dil * (kw - 1) - 1) // s + 1
    return ops.matrix([[sum(xp[s * i + dil * p, s * j + dil * q] * w[p, q]
                            for p in range(kh) for q in range(kw))
                        for j in range(wo)] for i in range(ho)])


def _dilated(w, dil):
    """The kernel spread out: w[p, q] at (d·p, d·q), zeros between."""
    kh, kw = w.shape
    return ops.matrix([[w[a // dil, b // dil] if a % dil == 0 and b % dil == 0 else 0
                        for b in range(dil * (kw - 1) + 1)] for a in range(dil * (kh - 1) + 1)])


def _input_grad_psd(x_shape, w, g, s, pad, dil):
    """∂/∂x of Σ g ⊙ out: each g[i, j]·w[p, q] lands on x̃[s·i + d·p, s·j + d·q], cropped."""
    import sympy as sp

    r, c = x_shape
    kh, kw = w.shape
    dx = sp.zeros(r + 2 * pad, c + 2 * pad)
    for i in range(g.shape[0]):
        for j in range(g.shape[1]):
            for p in range(kh):
                for q in range(kw):
                    dx[s * i + dil * p, s * j + dil * q] += g[i, j] * w[p, q]
    return dx[pad : pad + r, pad : pad + c]


def _weight_grad_psd(x, g, k_shape, s, pad, dil):
    """∂/∂w[p, q] of Σ g ⊙ out = Σ_{i,j} g[i, j] x̃[s·i + d·p, s·j + d·q]."""
    xp = _padded(x, pad)
    return ops.matrix([[sum(g[i, j] * xp[s * i + dil * p, s * j + dil * q]
                            for i in range(g.shape[0]) for j in range(g.shape[1]))
                        for q in range(k_shape[1])] for p in range(k_shape[0])])


CLAIMS += (
    # padding, dilation and stride: the correlation of the padded input with the dilated kernel
    make_claim(
        "convolution.conv2d_padded_dilated_strided",
        title="Σ_{p,q} x̃[s·i + d·p, s·j + d·q]w[p, q] = (x̃ ⋆ w_d)[s·i, s·j]: padding P, dilation d "
        "and stride s as a valid correlation with the dilated kernel w_d (x 4 × 4, w 2 × 2, "
        "P = 1, d = 2, s = 2)",
        source="standard",
        symbols="x: matrix(4, 4), w: matrix(2, 2)",
        lhs=lambda s: _conv_psd(s.x, s.w, _S, _P, _D),
        rhs=lambda s: _conv_psd(_padded(s.x, _P), _dilated(s.w, _D), _S, 0, 1),
        implementation=f"{GRAD}.conv2d",
        impl_args=lambda v: (v.x[None, None], v.w[None, None], _S, _P, _D),
    ),
    # its input gradient
    make_claim(
        "convolution.conv2d_padded_input_gradient",
        title="∇ₓ Σ g ⊙ conv(x, w; P, d, s) scatters g[i, j]·w[p, q] onto x̃[s·i + d·p, s·j + d·q], "
        "cropped to x (x 4 × 4, w 2 × 2, P = 1, d = 2, s = 2)",
        source="standard",
        symbols="x: matrix(4, 4), w: matrix(2, 2), g: matrix(2, 2)",
        kind="gradient",
        f=lambda s: ops.sum_(ops.hadamard(s.g, _conv_psd(s.x, s.w, _S, _P, _D))),
        wrt="x",
        rhs=lambda s: _input_grad_psd((4, 4), s.w, s.g, _S, _P, _D),
        implementation=f"{GRAD}.conv2d_grad_input",
        impl_args=lambda v: (v.g[None, None], v.w[None, None], (1, 1, 4, 4), _S, _P, _D),
    ),
    # its weight gradient: ∂/∂w[p, q] = Σ_{i,j} g[i, j] x̃[s·i + d·p, s·j + d·q]
    make_claim(
        "convolution.conv2d_padded_weight_gradient",
        title="∇_w Σ g ⊙ conv(x, w; P, d, s) = Σ_{i,j} g[i, j]x̃[s·i + d·p, s·j + d·q] (x 4 × 4, "
        "w 2 × 2, P = 1, d = 2, s = 2)",
        source="standard",
        symbols="x: matrix(4, 4), w: matrix(2, 2), g: matrix(2, 2)",
        kind="gradient",
        f=lambda s: ops.sum_(ops.hadamard(s.g, _conv_psd(s.x, s.w, _S, _P, _D))),
        wrt="w",
        rhs=lambda s: _weight_grad_psd(s.x, s.g, (2, 2), _S, _P, _D),
        implementation=f"{GRAD}.conv2d_grad_weight",
        impl_args=lambda v: (v.x[None, None], v.g[None, None], (1, 1, 2, 2), _S, _P, _D),
    ),
    # the bias: ∂/∂b Σ g ⊙ (conv + b) = Σ g
    make_claim(
        "convolution.conv2d_bias_gradient",
        title="d/db Σ g ⊙ (conv(x, w) + b) = Σᵢⱼ g[i, j] (x 3 × 3, w 2 × 2)",
        source="standard",
        symbols="x: matrix(3, 3), w: matrix(2, 2), g: matrix(2, 2), b: scalar",
        lhs=lambda s: ops.diff(
            ops.sum_(ops.hadamard(s.g, _conv_psd(s.x, s.w, 1, 0, 1) + s.b * ops.ones(2, 2))), s.b
        ),
        rhs=lambda s: ops.sum_(s.g),
        implementation=f"{GRAD}.conv2d_grad_bias",
        impl_args=lambda v: (v.g[None, None],),
    ),
)


# ----- torch's padding='same' and groups, as conv2d takes them -----


def _same_by_clipping(x, w):
    """out[i, j] = Σ_{p,q} x[i + p, j + q]·w[p, q], a term counting only where x has that entry:
    'same' for a 2 × 2 kernel (d(k − 1) = 1 zero per axis, below and right, as torch)."""
    r, c = x.shape
    kh, kw = w.shape
    return ops.matrix([[sum(x[i + p, j + q] * w[p, q] for p in range(kh) for q in range(kw)
                            if i + p < r and j + q < c)
                        for j in range(c)] for i in range(r)])


def _zeros_below_right(x, k):
    """x with k rows of zeros below and k columns of zeros to the right."""
    r, c = x.shape
    return ops.matrix([[x[h, v] if h < r and v < c else 0 for v in range(c + k)]
                       for h in range(r + k)])


def _stacked(*ms):
    """Matrices of one width one above the other (channel-major order, as NCHW flattens)."""
    return ops.matrix([list(m.row(i)) for m in ms for i in range(m.shape[0])])


CLAIMS += (
    make_claim(
        "convolution.conv2d_same_padding",
        title="padding='same' with a 2 × 2 kernel: the valid correlation of x with a row and a "
        "column of zeros below and right is Σ_{p,q} x[i + p, j + q]w[p, q] over the entries x "
        "has, the output x's size (x 3 × 3)",
        source="standard",
        symbols="x: matrix(3, 3), w: matrix(2, 2)",
        lhs=lambda s: _conv_psd(_zeros_below_right(s.x, 1), s.w, 1, 0, 1),
        rhs=lambda s: _same_by_clipping(s.x, s.w),
        implementation=f"{GRAD}.conv2d",
        impl_args=lambda v: (v.x[None, None], v.w[None, None]),
        impl_kwargs=lambda v: {"padding": "same"},
    ),
    # groups = 2: two input channels, two output channels, each output channel sees its own
    # input channel; a dense convolution with the cross-group weights set to 0 is the same
    make_claim(
        "convolution.conv2d_groups_as_block_diagonal",
        title="conv2d with groups = 2 (x of 2 channels 3 × 3, w of shape (2, 1, 2, 2)): each "
        "output channel is its own channel's correlation, the dense convolution with the "
        "cross-group weights zero",
        source="standard",
        symbols="x0: matrix(3, 3), x1: matrix(3, 3), w0: matrix(2, 2), w1: matrix(2, 2)",
        lhs=lambda s: _stacked(_conv_psd(s.x0, s.w0, 1, 0, 1), _conv_psd(s.x1, s.w1, 1, 0, 1)),
        rhs=lambda s: _stacked(
            _conv_psd(s.x0, s.w0, 1, 0, 1) + _conv_psd(s.x1, 0 * s.w1, 1, 0, 1),
            _conv_psd(s.x0, 0 * s.w0, 1, 0, 1) + _conv_psd(s.x1, s.w1, 1, 0, 1),
        ),
        implementation=f"{GRAD}.conv2d",
        impl_args=lambda v: (np.stack([v.x0, v.x1])[None], np.stack([v.w0, v.w1])[:, None]),
        impl_kwargs=lambda v: {"groups": 2},
    ),
)


# ----- torch's pairs: a stride, padding and dilation per axis (along H, along W) -----
# One channel, x 4 × 5, w 2 × 2, stride (2, 1), padding (1, 0), dilation (1, 2): out 3 × 3.

_S2, _P2, _D2 = (2, 1), (1, 0), (1, 2)


def _padded_axes(x, pad):
    """x with pad[0] rows of zeros above and below and pad[1] columns left and right."""
    (r, c), (ph, pw) = x.shape, pad
    return ops.matrix([[x[h - ph, v - pw] if ph <= h < r + ph and pw <= v < c + pw else 0
                        for v in range(c + 2 * pw)] for h in range(r + 2 * ph)])


def _conv_axes(x, w, s, pad, dil):
    """out[i, j] = Σ_{p,q} x̃[s₀i + d₀p, s₁j + d₁q] w[p, q], x̃ = x padded by (P₀, P₁)."""
    xp = _padded_axes(x, pad)
    kh, kw = w.shape
    ho = (xp.shape[0] - dil[0] * (kh - 1) - 1) // s[0] + 1
    wo = (xp.shape[1] - dil[1] * (kw - 1) - 1) // s[1] + 1
    return ops.matrix([[sum(xp[s[0] * i + dil[0] * p, s[1] * j + dil[1] * q] * w[p, q]
                            for p in range(kh) for q in range(kw))
                        for j in range(wo)] for i in range(ho)])


def _dilated_axes(w, dil):
    """The kernel spread out per axis: w[p, q] at (d₀p, d₁q), zeros between."""
    (kh, kw), (dh, dw) = w.shape, dil
    return ops.matrix([[w[a // dh, b // dw] if a % dh == 0 and b % dw == 0 else 0
                        for b in range(dw * (kw - 1) + 1)] for a in range(dh * (kh - 1) + 1)])


def _input_grad_axes(x_shape, w, g, s, pad, dil):
    """∂/∂x of Σ g ⊙ out: each g[i, j]·w[p, q] lands on x̃[s₀i + d₀p, s₁j + d₁q], cropped."""
    import sympy as sp

    (r, c), (ph, pw) = x_shape, pad
    kh, kw = w.shape
    dx = sp.zeros(r + 2 * ph, c + 2 * pw)
    for i in range(g.shape[0]):
        for j in range(g.shape[1]):
            for p in range(kh):
                for q in range(kw):
                    dx[s[0] * i + dil[0] * p, s[1] * j + dil[1] * q] += g[i, j] * w[p, q]
    return dx[ph : ph + r, pw : pw + c]


def _weight_grad_axes(x, g, k_shape, s, pad, dil):
    """∂/∂w[p, q] of Σ g ⊙ out = Σ_{i,j} g[i, j] x̃[s₀i + d₀p, s₁j + d₁q]."""
    xp = _padded_axes(x, pad)
    return ops.matrix([[sum(g[i, j] * xp[s[0] * i + dil[0] * p, s[1] * j + dil[1] * q]
                            for i in range(g.shape[0]) for j in range(g.shape[1]))
                        for q in range(k_shape[1])] for p in range(k_shape[0])])


def _avg_pool_axes(x, k, s):
    """y[i, j] = (1/(k₀k₁)) Σ_{p<k₀, q<k₁} x[s₀i + p, s₁j + q], no padding."""
    (r, c) = x.shape
    ho, wo = (r - k[0]) // s[0] + 1, (c - k[1]) // s[1] + 1
    return ops.matrix([[sum(x[s[0] * i + p, s[1] * j + q]
                            for p in range(k[0]) for q in range(k[1])) / (k[0] * k[1])
                        for j in range(wo)] for i in range(ho)])


CLAIMS += (
    make_claim(
        "convolution.conv2d_per_axis_geometry",
        title="Σ_{p,q} x̃[s₀i + d₀p, s₁j + d₁q]w[p, q] = valid correlation of x̃ with the kernel "
        "dilated per axis, subsampled per axis: stride (2, 1), padding (1, 0), dilation (1, 2) "
        "(x 4 × 5, w 2 × 2), as torch's pairs",
        source="standard",
        symbols="x: matrix(4, 5), w: matrix(2, 2)",
        lhs=lambda s: _conv_axes(s.x, s.w, _S2, _P2, _D2),
        rhs=lambda s: _conv_axes(_padded_axes(s.x, _P2), _dilated_axes(s.w, _D2), _S2, (0, 0),
                                 (1, 1)),
        implementation=f"{GRAD}.conv2d",
        impl_args=lambda v: (v.x[None, None], v.w[None, None], _S2, _P2, _D2),
    ),
    make_claim(
        "convolution.conv2d_per_axis_input_gradient",
        title="∇ₓ Σ g ⊙ conv(x, w) with stride (2, 1), padding (1, 0), dilation (1, 2) scatters "
        "g[i, j]·w[p, q] onto x̃[s₀i + d₀p, s₁j + d₁q], cropped to x (x 4 × 5, w 2 × 2)",
        source="standard",
        symbols="x: matrix(4, 5), w: matrix(2, 2), g: matrix(3, 3)",
        kind="gradient",
        f=lambda s: ops.sum_(ops.hadamard(s.g, _conv_axes(s.x, s.w, _S2, _P2, _D2))),
        wrt="x",
        rhs=lambda s: _input_grad_axes((4, 5), s.w, s.g, _S2, _P2, _D2),
        implementation=f"{GRAD}.conv2d_grad_input",
        impl_args=lambda v: (v.g[None, None], v.w[None, None], (1, 1, 4, 5), _S2, _P2, _D2),
    ),
    make_claim(
        "convolution.conv2d_per_axis_weight_gradient",
        title="∇_w Σ g ⊙ conv(x, w) with stride (2, 1), padding (1, 0), dilation (1, 2) = "
        "Σ_{i,j} g[i, j]x̃[s₀i + d₀p, s₁j + d₁q] (x 4 × 5, w 2 × 2)",
        source="standard",
        symbols="x: matrix(4, 5), w: matrix(2, 2), g: matrix(3, 3)",
        kind="gradient",
        f=lambda s: ops.sum_(ops.hadamard(s.g, _conv_axes(s.x, s.w, _S2, _P2, _D2))),
        wrt="w",
        rhs=lambda s: _weight_grad_axes(s.x, s.g, (2, 2), _S2, _P2, _D2),
        implementation=f"{GRAD}.conv2d_grad_weight",
        impl_args=lambda v: (v.x[None, None], v.g[None, None], (1, 1, 2, 2), _S2, _P2, _D2),
    ),
    # a 1 × 2 window at stride (1, 2): the correlation with (½ ½) along rows, every other column
    make_claim(
        "convolution.avg_pool_per_axis_window",
        title="average pooling with a 1 × 2 window at stride (1, 2) = x ⋆ (½ ½) at stride (1, 2) "
        "(x 3 × 4)",
        source="standard",
        symbols="x: matrix(3, 4)",
        lhs=lambda s: _conv_axes(s.x, ops.ones(1, 2) / 2, (1, 2), (0, 0), (1, 1)),
        rhs=lambda s: _avg_pool_axes(s.x, (1, 2), (1, 2)),
        implementation=f"{GRAD}.avg_pool2d",
        impl_args=lambda v: (v.x[None, None], (1, 2), (1, 2)),
    ),
)
