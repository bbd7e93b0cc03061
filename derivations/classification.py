"""Classification: logistic regression (MSE and cross-entropy), the perceptron, the multi-class
perceptron and softmax regression (note 001), the binary cross-entropy of note 002 §1.1.

Conventions, as in note 001: the data matrix X is N × m with samples as rows (xᶦ is row i,
a 1 × m row, so xᶦθ is a scalar), θ is m × 1, y is N × 1; for c classes θ is m × c with
columns θⱼ.  Sums over samples are written out at a fixed N (Python loops over ``range(s.N)``),
so those claims are proved at sizes.  Labels that must be 0/1 or a class are ``index``
symbols: the fixed-size proof enumerates every value.  Each entry's comment gives the
formula as the note writes it.
"""

from __future__ import annotations

import numpy as np

from derivations import note
from verifier import ops
from verifier.claim import make_claim, make_derivation

sc, hadamard = ops.sc, ops.hadamard

MSE = note("001", "logistic regression (mse)")
XENT = note("001", "logistic regression (cross entropy)")
PERC = note("001", "perceptron")
MULTI = note("001", "multi-class perceptron")
SOFT = note("001", "Softmax")
BIN = note("002", "Binary classification problem")


# ----- helpers (SymPy only inside, when a builder runs) -----


def _sp():
    import sympy

    return sympy


def _row(X, i):
    """Sample i, the 1 × m row xᶦ."""
    return X[i, :]


def _h(X, theta, i):
    """h_θ(xᶦ) = σ(xᶦθ), a scalar."""
    return ops.sigmoid(sc(_row(X, i) @ theta))


def _total(terms):
    """Σ of a list of scalars or of equally shaped matrices."""
    terms = list(terms)
    out = terms[0]
    for t in terms[1:]:
        out = out + t
    return out


def _labels(s, n):
    """The index symbols y1, …, yn of a claim as a list of Python ints."""
    return [int(s[f"y{i + 1}"]) for i in range(n)]


def _S(X, theta, i, j):
    """Softmax S(xᶦθⱼ) = e^{xᶦθⱼ} / Σₖ e^{xᶦθₖ}."""
    sp = _sp()
    c = theta.shape[1]
    scores = [sc(_row(X, i) @ theta[:, k]) for k in range(c)]
    return sp.exp(scores[j]) / sp.Add(*[sp.exp(t) for t in scores])


def _exp_score(X, theta, i, k):
    return _sp().exp(sc(_row(X, i) @ theta[:, k]))


def _score_sum(X, theta, i):
    return _total(_exp_score(X, theta, i, k) for k in range(theta.shape[1]))


def _step(t):
    """The perceptron's h = 1 if t ≥ 0 else 0 (note 001), as a Piecewise."""
    sp = _sp()
    return sp.Piecewise((1, t >= 0), (0, True))


def _e(k, c):
    """The one-hot column e_k among c classes."""
    return ops.onehot(k, c)


def _argmax_indicator(x, theta, v):
    """1[v = argmaxⱼ xθⱼ] = H(xθ_v − max_{k≠v} xθₖ), H the unit step (ties have measure zero)."""
    sp = _sp()
    c = theta.shape[1]
    scores = [sc(x @ theta[:, k]) for k in range(c)]
    return sp.Heaviside(scores[v] - sp.Max(*[scores[k] for k in range(c) if k != v]))


def _columns(cols):
    """Columns side by side."""
    return _sp().Matrix.hstack(*cols)


def _other(s):
    """A class v ≠ y among c = 3: v = (y + 1 + k) mod 3 for k in {0, 1}."""
    return (int(s.y) + 1 + int(s.k)) % 3


def _multiclass_loss(x, theta, j, y):
    """One sample's max_j xθⱼ − xθ_y on the region where class j has the largest score."""
    return sc(x @ theta[:, j]) - sc(x @ theta[:, y])


def _softmax_loglik(X, theta, labels):
    """Σᵢ Σⱼ 1{yᶦ = j} log S(xᶦθⱼ)."""
    return _total(
        (1 if labels[i] == j else 0) * ops.log(_S(X, theta, i, j))
        for i in range(X.shape[0])
        for j in range(theta.shape[1])
    )


# ----- Note 001: logistic regression (mse) -----

CLAIMS = (
    # h = sigmoid(xθ), L = ½(h − y)²,  ∂L/∂θ = xᵀ·[(h − y)·h·(1 − h)];  x (n, m), θ (m, 1), y (n, 1)
    make_claim(
        "classification.logistic_mse_gradient_note",
        title="∂/∂θ ½‖σ(Xθ) − y‖² = Xᵀ[(h − y) ⊙ h ⊙ (1 − h)] (the note's '·' read as ⊙; "
        "X n×m, θ m×1, y n×1, so the gradient is m×1 like θ)",
        source=MSE,
        symbols="X: matrix(N, m), theta: vector(m), y: vector(N)",
        kind="gradient",
        f=lambda s: (
            sc((ops.sigmoid(s.X @ s.theta) - s.y).T @ (ops.sigmoid(s.X @ s.theta) - s.y)) / 2
        ),
        wrt="theta",
        rhs=lambda s: (
            s.X.T
            @ hadamard(
                hadamard(ops.sigmoid(s.X @ s.theta) - s.y, ops.sigmoid(s.X @ s.theta)),
                ops.ones(s.N) - ops.sigmoid(s.X @ s.theta),
            )
        ),
    ),
    # the mean over samples, as the gradient library implements it
    make_claim(
        "classification.logistic_mse_gradient",
        title="∂/∂θ (1/2N) Σᵢ (σ(xᶦθ) − yᵢ)² = (1/N) Xᵀ[(h − y) ⊙ h ⊙ (1 − h)]",
        source="standard",
        symbols="X: matrix(N, m), theta: vector(m), y: vector(N)",
        kind="gradient",
        f=lambda s: _total((_h(s.X, s.theta, i) - s.y[i]) ** 2 for i in range(s.N)) / (2 * s.N),
        wrt="theta",
        rhs=lambda s: (
            s.X.T
            @ hadamard(
                hadamard(ops.sigmoid(s.X @ s.theta) - s.y, ops.sigmoid(s.X @ s.theta)),
                ops.ones(s.N) - ops.sigmoid(s.X @ s.theta),
            )
            / s.N
        ),
        implementation="derivations.gradients.classification.logistic_mse_grad",
        impl_args=lambda v: (v.X, v.y, v.theta),
    ),
    # ----- Note 001: logistic regression (cross entropy) -----
    # L = Πᵢ h(xᶦ)^{yᶦ}(1 − h(xᶦ))^{1−yᶦ}  →  log L = Σᵢ (yᶦ log h(xᶦ) + (1 − yᶦ) log(1 − h(xᶦ)))
    make_derivation(
        "classification.logistic_log_likelihood",
        title="log Πᵢ hᵢ^{yᵢ}(1 − hᵢ)^{1−yᵢ} = Σᵢ [yᵢ log hᵢ + (1 − yᵢ) log(1 − hᵢ)], h = σ(Xθ)",
        source=XENT,
        symbols="X: matrix(N, m), theta: vector(m), y: vector(N)",
        steps=[
            lambda s: ops.log(
                _sp().Mul(
                    *[
                        _h(s.X, s.theta, i) ** s.y[i] * (1 - _h(s.X, s.theta, i)) ** (1 - s.y[i])
                        for i in range(s.N)
                    ]
                )
            ),
            lambda s: _total(
                s.y[i] * ops.log(_h(s.X, s.theta, i))
                + (1 - s.y[i]) * ops.log(1 - _h(s.X, s.theta, i))
                for i in range(s.N)
            ),
        ],
        sizes=[{"N": 2, "m": 1}],
    ),
    # ∂log L/∂θ = Σ[y/h·h' − (1−y)/(1−h)·h'] = Σ[y/h − (1−y)/(1−h)]h(1−h)xᶦ
    #           = Σ(yᶦ(1 − h) − (1 − yᶦ)h)xᶦ = xᵀ·Σ(yᶦ − h(xᶦ))      ← the last step is wrong
    make_derivation(
        "classification.logistic_log_likelihood_gradient_chain",
        title="∂log L/∂θ step by step; the last step 'xᵀ·Σᵢ(yᶦ − h(xᶦ))' (a scalar sum times Xᵀ, "
        "N×… instead of m×1) fails",
        source=XENT,
        symbols="X: matrix(N, m), theta: vector(m), y: vector(N)",
        steps=[
            lambda s: ops.grad(
                _total(
                    s.y[i] * ops.log(_h(s.X, s.theta, i))
                    + (1 - s.y[i]) * ops.log(1 - _h(s.X, s.theta, i))
                    for i in range(s.N)
                ),
                s.theta,
            ),
            # h'(xᶦ) = ∂h(xᶦ)/∂θ, taken by the engine
            lambda s: _total(
                s.y[i] / _h(s.X, s.theta, i) * ops.grad(_h(s.X, s.theta, i), s.theta)
                - (1 - s.y[i]) / (1 - _h(s.X, s.theta, i)) * ops.grad(_h(s.X, s.theta, i), s.theta)
                for i in range(s.N)
            ),
            lambda s: _total(
                (s.y[i] / _h(s.X, s.theta, i) - (1 - s.y[i]) / (1 - _h(s.X, s.theta, i)))
                * _h(s.X, s.theta, i)
                * (1 - _h(s.X, s.theta, i))
                * _row(s.X, i).T
                for i in range(s.N)
            ),
            lambda s: _total(
                (s.y[i] * (1 - _h(s.X, s.theta, i)) - (1 - s.y[i]) * _h(s.X, s.theta, i))
                * _row(s.X, i).T
                for i in range(s.N)
            ),
            lambda s: s.X.T * _total(s.y[i] - _h(s.X, s.theta, i) for i in range(s.N)),
        ],
        step_expect={4: "fails"},
        expect="fails",
        corrected="classification.logistic_log_likelihood_gradient_matrix",
        sizes=[{"N": 2, "m": 2}],
    ),
    # the same last step with the shapes made to fit: (Σᵢ xᶦ)ᵀ · Σᵢ(yᶦ − hᶦ), a product of two sums
    make_claim(
        "classification.logistic_log_likelihood_gradient_product_of_sums",
        title="Σᵢ(yᶦ(1 − hᶦ) − (1 − yᶦ)hᶦ)xᶦᵀ = (Σᵢ xᶦ)ᵀ·Σᵢ(yᶦ − hᶦ): the note's last step read "
        "with shapes that fit (sum misplaced)",
        source=XENT,
        symbols="X: matrix(N, m), theta: vector(m), y: vector(N)",
        lhs=lambda s: _total(
            (s.y[i] * (1 - _h(s.X, s.theta, i)) - (1 - s.y[i]) * _h(s.X, s.theta, i))
            * _row(s.X, i).T
            for i in range(s.N)
        ),
        rhs=lambda s: (
            _total(_row(s.X, i).T for i in range(s.N))
            * _total(s.y[i] - _h(s.X, s.theta, i) for i in range(s.N))
        ),
        expect="fails",
        corrected="classification.logistic_log_likelihood_gradient_matrix",
        sizes=[{"N": 2, "m": 2}, {"N": 3, "m": 2}],
    ),
    # corrected last step: ∂log L/∂θ = Σᵢ (yᶦ − h(xᶦ)) xᶦᵀ = Xᵀ(y − h)
    make_claim(
        "classification.logistic_log_likelihood_gradient_matrix",
        title="∂/∂θ Σᵢ [yᵢ log hᵢ + (1 − yᵢ) log(1 − hᵢ)] = Xᵀ(y − σ(Xθ)) "
        "(the corrected last step)",
        source=XENT,
        symbols="X: matrix(N, m), theta: vector(m), y: vector(N)",
        kind="gradient",
        f=lambda s: _total(
            s.y[i] * ops.log(_h(s.X, s.theta, i)) + (1 - s.y[i]) * ops.log(1 - _h(s.X, s.theta, i))
            for i in range(s.N)
        ),
        wrt="theta",
        rhs=lambda s: s.X.T @ (s.y - ops.sigmoid(s.X @ s.theta)),
    ),
    # the loss the library minimises: the mean negative log-likelihood
    make_claim(
        "classification.logistic_cross_entropy_gradient",
        title="∂/∂θ −(1/N) Σᵢ [yᵢ log hᵢ + (1 − yᵢ) log(1 − hᵢ)] = (1/N) Xᵀ(σ(Xθ) − y)",
        source="standard",
        symbols="X: matrix(N, m), theta: vector(m), y: vector(N)",
        kind="gradient",
        f=lambda s: (
            -_total(
                s.y[i] * ops.log(_h(s.X, s.theta, i))
                + (1 - s.y[i]) * ops.log(1 - _h(s.X, s.theta, i))
                for i in range(s.N)
            )
            / s.N
        ),
        wrt="theta",
        rhs=lambda s: s.X.T @ (ops.sigmoid(s.X @ s.theta) - s.y) / s.N,
        implementation="derivations.gradients.classification.logistic_grad",
        impl_args=lambda v: (v.X, v.y, v.theta),
    ),
    # ----- Note 001: perceptron -----
    # L = Σ_{x∈M₀} xᵀθ − Σ_{x∈M₁} xᵀθ = Σᵢ ((1 − yᶦ)xᵀθ − yᶦxᵀθ) = Σᵢ (1 − 2yᶦ)xᵀθ
    # M₀ (M₁): the misclassified samples of class 0 (1); the Σᵢ then runs over the misclassified
    # samples, here the N = 3 listed ones, with every label in {0, 1} enumerated
    make_derivation(
        "classification.perceptron_loss_chain",
        title="Σ_{M₀} xᶦθ − Σ_{M₁} xᶦθ = Σᵢ((1 − yᶦ)xᶦθ − yᶦxᶦθ) = Σᵢ(1 − 2yᶦ)xᶦθ, i over the "
        "misclassified samples (N = 3, every labelling)",
        source=PERC,
        symbols="X: matrix(3, m), theta: vector(m), y1: index(2), y2: index(2), y3: index(2)",
        steps=[
            lambda s: (
                _total(
                    [0]
                    + [sc(_row(s.X, i) @ s.theta) for i, yi in enumerate(_labels(s, 3)) if yi == 0]
                )
                - _total(
                    [0]
                    + [sc(_row(s.X, i) @ s.theta) for i, yi in enumerate(_labels(s, 3)) if yi == 1]
                )
            ),
            lambda s: _total(
                (1 - yi) * sc(_row(s.X, i) @ s.theta) - yi * sc(_row(s.X, i) @ s.theta)
                for i, yi in enumerate(_labels(s, 3))
            ),
            lambda s: _total(
                (1 - 2 * yi) * sc(_row(s.X, i) @ s.theta) for i, yi in enumerate(_labels(s, 3))
            ),
        ],
        sizes=[{"m": 2}, {"m": 3}],
    ),
    # ∂L/∂θ = Σᵢ (1 − 2yᶦ) xᶦ
    make_claim(
        "classification.perceptron_loss_gradient_note",
        title="∂/∂θ Σᵢ(1 − 2yᶦ)xᶦθ = Σᵢ(1 − 2yᶦ)xᶦᵀ (N = 3, every labelling)",
        source=PERC,
        symbols="X: matrix(3, m), theta: vector(m), y1: index(2), y2: index(2), y3: index(2)",
        kind="gradient",
        f=lambda s: _total(
            (1 - 2 * yi) * sc(_row(s.X, i) @ s.theta) for i, yi in enumerate(_labels(s, 3))
        ),
        wrt="theta",
        rhs=lambda s: _total((1 - 2 * yi) * _row(s.X, i).T for i, yi in enumerate(_labels(s, 3))),
        sizes=[{"m": 2}, {"m": 3}],
    ),
    # the same in matrix form, for the gradient library
    make_claim(
        "classification.perceptron_gradient",
        title="∂/∂θ Σᵢ(1 − 2yᵢ)xᶦθ = ∂/∂θ (𝟙 − 2y)ᵀXθ = Xᵀ(𝟙 − 2y)",
        source="standard",
        symbols="X: matrix(N, m), theta: vector(m), y: vector(N)",
        kind="gradient",
        f=lambda s: _total((1 - 2 * s.y[i]) * sc(_row(s.X, i) @ s.theta) for i in range(s.N)),
        wrt="theta",
        rhs=lambda s: s.X.T @ (ops.ones(s.N) - 2 * s.y),
    ),
    # = Σᵢ[(1 − yᶦ)h(xᶦ)·xᵀθ − yᶦ(1 − h(xᶦ))xᵀθ] = Σᵢ[h(xᶦ) − yᶦ]xᵀθ
    # (the note puts this after ∂L/∂θ, but it is L again, now over all samples: a correctly
    # classified sample has h = y and adds 0); y and the prediction h enumerated over {0, 1}
    make_derivation(
        "classification.perceptron_loss_with_predictions_chain",
        title="Σ_{M₀} xᶦθ − Σ_{M₁} xᶦθ = Σᵢ[(1 − yᶦ)hᶦxᶦθ − yᶦ(1 − hᶦ)xᶦθ] = Σᵢ(hᶦ − yᶦ)xᶦθ, "
        "M₀ = {y = 0, h = 1}, M₁ = {y = 1, h = 0}, i over all N = 2 samples",
        source=PERC,
        symbols="X: matrix(2, m), theta: vector(m), y1: index(2), y2: index(2), "
        "h1: index(2), h2: index(2)",
        steps=[
            lambda s: (
                _total(
                    [0]
                    + [
                        sc(_row(s.X, i) @ s.theta)
                        for i in range(2)
                        if (int(s[f"y{i + 1}"]), int(s[f"h{i + 1}"])) == (0, 1)
                    ]
                )
                - _total(
                    [0]
                    + [
                        sc(_row(s.X, i) @ s.theta)
                        for i in range(2)
                        if (int(s[f"y{i + 1}"]), int(s[f"h{i + 1}"])) == (1, 0)
                    ]
                )
            ),
            lambda s: _total(
                (1 - s[f"y{i + 1}"]) * s[f"h{i + 1}"] * sc(_row(s.X, i) @ s.theta)
                - s[f"y{i + 1}"] * (1 - s[f"h{i + 1}"]) * sc(_row(s.X, i) @ s.theta)
                for i in range(2)
            ),
            lambda s: _total(
                (s[f"h{i + 1}"] - s[f"y{i + 1}"]) * sc(_row(s.X, i) @ s.theta) for i in range(2)
            ),
        ],
        sizes=[{"m": 2}],
    ),
    # ∂L/∂θ = xᶦᵀ·Σᵢ(h(xᶦ) − yᶦ)   (the sum misplaced: read as (Σᵢ xᶦ)ᵀ·Σᵢ(hᶦ − yᶦ))
    make_claim(
        "classification.perceptron_gradient_misplaced_sum",
        title="∂/∂θ Σᵢ(hᶦ − yᶦ)xᶦθ = (Σᵢ xᶦ)ᵀ·Σᵢ(hᶦ − yᶦ): the note's xᶦᵀ·Σᵢ(h − y) with the sum "
        "over both factors (h held fixed, N = 2)",
        source=PERC,
        symbols="X: matrix(2, m), theta: vector(m), y1: index(2), y2: index(2), "
        "h1: index(2), h2: index(2)",
        kind="gradient",
        f=lambda s: _total(
            (s[f"h{i + 1}"] - s[f"y{i + 1}"]) * sc(_row(s.X, i) @ s.theta) for i in range(2)
        ),
        wrt="theta",
        rhs=lambda s: (
            _total(_row(s.X, i).T for i in range(2))
            * _total(s[f"h{i + 1}"] - s[f"y{i + 1}"] for i in range(2))
        ),
        expect="fails",
        corrected="classification.perceptron_gradient_with_predictions",
        sizes=[{"m": 2}],
    ),
    # corrected: ∂L/∂θ = Σᵢ(hᶦ − yᶦ)xᶦᵀ = Xᵀ(h − y), h held fixed (h is piecewise constant in θ)
    make_claim(
        "classification.perceptron_gradient_with_predictions",
        title="∂/∂θ Σᵢ(hᶦ − yᶦ)xᶦθ = Σᵢ(hᶦ − yᶦ)xᶦᵀ = Xᵀ(h − y), h held fixed (N = 2, every "
        "labelling and prediction)",
        source=PERC,
        symbols="X: matrix(2, m), theta: vector(m), y1: index(2), y2: index(2), "
        "h1: index(2), h2: index(2)",
        kind="gradient",
        f=lambda s: _total(
            (s[f"h{i + 1}"] - s[f"y{i + 1}"]) * sc(_row(s.X, i) @ s.theta) for i in range(2)
        ),
        wrt="theta",
        rhs=lambda s: s.X.T @ ops.matrix([s.h1 - s.y1, s.h2 - s.y2]),
        sizes=[{"m": 2}, {"m": 3}],
    ),
    # the same with the real prediction h(xᶦ) = 1[xᶦθ ≥ 0], a piecewise function of θ
    make_claim(
        "classification.perceptron_gradient_piecewise",
        title="∂/∂θ Σᵢ(1[xᶦθ ≥ 0] − yᶦ)xᶦθ = Xᵀ(h − y), h = 1[Xθ ≥ 0] (away from the kinks "
        "xᶦθ = 0; N = 2)",
        source=PERC,
        symbols="X: matrix(2, m), theta: vector(m), y1: index(2), y2: index(2)",
        kind="gradient",
        f=lambda s: _total(
            (_step(sc(_row(s.X, i) @ s.theta)) - s[f"y{i + 1}"]) * sc(_row(s.X, i) @ s.theta)
            for i in range(2)
        ),
        wrt="theta",
        rhs=lambda s: (
            s.X.T
            @ ops.matrix([_step(sc(_row(s.X, i) @ s.theta)) - s[f"y{i + 1}"] for i in range(2)])
        ),
        sizes=[{"m": 2}],
        implementation="derivations.gradients.classification.perceptron_grad",
        impl_args=lambda v: (v.X, np.array([v.y1, v.y2]), v.theta),
    ),
    # ∂L/∂θ = Σᵢ(1 − 2yᶦ)xᶦ taken over *all* samples is not the gradient of the perceptron loss
    # once some sample is classified correctly
    make_claim(
        "classification.perceptron_gradient_all_samples",
        title="∂/∂θ Σᵢ(1[xᶦθ ≥ 0] − yᶦ)xᶦθ = Σᵢ(1 − 2yᶦ)xᶦᵀ with i over all samples (N = 2)",
        source=PERC,
        symbols="X: matrix(2, m), theta: vector(m), y1: index(2), y2: index(2)",
        kind="gradient",
        f=lambda s: _total(
            (_step(sc(_row(s.X, i) @ s.theta)) - s[f"y{i + 1}"]) * sc(_row(s.X, i) @ s.theta)
            for i in range(2)
        ),
        wrt="theta",
        rhs=lambda s: _total((1 - 2 * s[f"y{i + 1}"]) * _row(s.X, i).T for i in range(2)),
        expect="fails",
        corrected="classification.perceptron_gradient_piecewise",
        sizes=[{"m": 2}],
    ),
    # ----- Note 001: multi-class perceptron -----
    # L = Σᵢ (maxⱼ xᶦθⱼ − xᶦθ_y);  ∂L/∂θ_v by cases (the note's table is garbled). Precise
    # reading: on the region where class j* has the largest score, ∂/∂θ_v = xᶦ([v = j*] − [v = y])
    make_claim(
        "classification.multiclass_perceptron_gradient",
        title="∂/∂θ_v (xθ_{j*} − xθ_y) = xᵀ([v = j*] − [v = y]), j* = argmaxⱼ xθⱼ; every v, j*, "
        "y of c = 3 classes (one sample)",
        source=MULTI,
        symbols="x: matrix(1, m), theta: matrix(m, 3), y: index(3), j: index(3), v: index(3)",
        lhs=lambda s: ops.grad(
            _multiclass_loss(s.x, s.theta, int(s.j), int(s.y)), s.theta[:, int(s.v)]
        ),
        rhs=lambda s: s.x.T * ((1 if s.v == s.j else 0) - (1 if s.v == s.y else 0)),
        sizes=[{"m": 2}],
    ),
    # one row of the note's table: "v = y ⇒ xᶦ" (it is −xᶦ when j* ≠ y and 0 when j* = y)
    make_claim(
        "classification.multiclass_perceptron_gradient_row_true_class",
        title="∂/∂θ_y (maxⱼ xθⱼ − xθ_y) = +xᵀ, the table's row 'v = y ⇒ xᶦ' (every j*, y)",
        source=MULTI,
        symbols="x: matrix(1, m), theta: matrix(m, 3), y: index(3), j: index(3)",
        lhs=lambda s: ops.grad(
            _multiclass_loss(s.x, s.theta, int(s.j), int(s.y)), s.theta[:, int(s.y)]
        ),
        rhs=lambda s: s.x.T,
        expect="fails",
        corrected="classification.multiclass_perceptron_gradient",
        sizes=[{"m": 2}],
    ),
    # summed over samples, all columns at once: ∂L/∂θ = Σᵢ xᶦᵀ(e_{j*ᵢ} − e_{yᵢ})ᵀ
    make_claim(
        "classification.multiclass_perceptron_gradient_batch",
        title="∂/∂θ Σᵢ(xᶦθ_{j*ᵢ} − xᶦθ_{yᵢ}) = Σᵢ xᶦᵀ(e_{j*ᵢ} − e_{yᵢ})ᵀ (N = 2, c = 2, every "
        "labelling and argmax)",
        source=MULTI,
        symbols="X: matrix(2, m), theta: matrix(m, 2), y1: index(2), y2: index(2), "
        "j1: index(2), j2: index(2)",
        kind="gradient",
        f=lambda s: _total(
            _multiclass_loss(_row(s.X, i), s.theta, int(s[f"j{i + 1}"]), int(s[f"y{i + 1}"]))
            for i in range(2)
        ),
        wrt="theta",
        rhs=lambda s: _total(
            _row(s.X, i).T @ (_e(s[f"j{i + 1}"], 2) - _e(s[f"y{i + 1}"], 2)).T for i in range(2)
        ),
        sizes=[{"m": 2}, {"m": 3}],
    ),
    # with the max itself (not a region): ∂/∂θ (maxⱼ xθⱼ − xθ_y) = xᵀ(1[argmax] − e_y)ᵀ
    make_claim(
        "classification.multiclass_perceptron_gradient_max",
        title="∂/∂θ (maxⱼ xθⱼ − xθ_y) = xᵀ(1[j = argmax] − e_y)ᵀ with the max itself, "
        "1[v = argmax] = H(xθ_v − max_{k≠v} xθₖ) (c = 3, away from ties)",
        source=MULTI,
        symbols="x: matrix(1, m), theta: matrix(m, 3), y: index(3)",
        kind="gradient",
        f=lambda s: ops.max_(s.x @ s.theta) - sc(s.x @ s.theta[:, int(s.y)]),
        wrt="theta",
        rhs=lambda s: (
            s.x.T
            @ (ops.matrix([_argmax_indicator(s.x, s.theta, v) for v in range(3)]) - _e(s.y, 3)).T
        ),
        sizes=[{"m": 2}],
    ),
    # ----- Note 001: Softmax -----
    # S(xᶦθⱼ) = e^{xᶦθⱼ}/Σₖ e^{xᶦθₖ};  h(xᶦ) = Πⱼ S(xᶦθⱼ)^{1{yᶦ=j}};  L = Πᵢ Πⱼ S^{1{yᶦ=j}}
    # log L = Σᵢ Σⱼ 1{yᶦ = j} log S(xᶦθⱼ)
    make_derivation(
        "classification.softmax_log_likelihood",
        title="log Πᵢ Πⱼ S(xᶦθⱼ)^{1{yᶦ=j}} = Σᵢ Σⱼ 1{yᶦ = j} log S(xᶦθⱼ) (N = 2, c = 3, every "
        "labelling)",
        source=SOFT,
        symbols="X: matrix(2, m), theta: matrix(m, 3), y1: index(3), y2: index(3)",
        steps=[
            lambda s: ops.log(
                _sp().Mul(
                    *[
                        _S(s.X, s.theta, i, j) ** (1 if yi == j else 0)
                        for i, yi in enumerate(_labels(s, 2))
                        for j in range(3)
                    ]
                )
            ),
            lambda s: _softmax_loglik(s.X, s.theta, _labels(s, 2)),
        ],
        sizes=[{"m": 2}],
    ),
    # v = j (the sample's own class):
    # ∂log L/∂θ_v = Σᵢ (Σₖe^{xθₖ})/e^{xθ_v}
    #               · (e^{xθ_v}xᶦ(Σₖe^{xθₖ}) − e^{xθ_v}e^{xθ_v}xᶦ)/(Σₖe^{xθₖ})²
    #             = Σᵢ xᶦ(1 − S(xᶦθ_v))
    make_derivation(
        "classification.softmax_log_likelihood_gradient_own_class_chain",
        title="∂/∂θ_v log S(xθ_y) for v = y: the quotient-rule expression, then xᵀ(1 − S(xθ_v)) "
        "(one sample, c = 3)",
        source=SOFT,
        symbols="x: matrix(1, m), theta: matrix(m, 3), y: index(3)",
        steps=[
            lambda s: ops.grad(_softmax_loglik(s.x, s.theta, [int(s.y)]), s.theta[:, int(s.y)]),
            lambda s: (
                _score_sum(s.x, s.theta, 0)
                / _exp_score(s.x, s.theta, 0, int(s.y))
                * (
                    _exp_score(s.x, s.theta, 0, int(s.y)) * s.x.T * _score_sum(s.x, s.theta, 0)
                    - _exp_score(s.x, s.theta, 0, int(s.y)) ** 2 * s.x.T
                )
                / _score_sum(s.x, s.theta, 0) ** 2
            ),
            lambda s: s.x.T * (1 - _S(s.x, s.theta, 0, int(s.y))),
        ],
        sizes=[{"m": 2}],
    ),
    # v ≠ j:  ∂log L/∂θ_v = Σᵢ (Σₖe^{xθₖ})/e^{xθⱼ} · (0 − e^{xθⱼ}e^{xθ_v}xᶦ)/(Σₖe^{xθₖ})²
    #                     = Σᵢ xᶦ(−S(xᶦθ_v))
    make_derivation(
        "classification.softmax_log_likelihood_gradient_other_class_chain",
        title="∂/∂θ_v log S(xθ_y) for v ≠ y: the quotient-rule expression, then −xᵀS(xθ_v) "
        "(one sample, c = 3, every y and v ≠ y)",
        source=SOFT,
        symbols="x: matrix(1, m), theta: matrix(m, 3), y: index(3), k: index(2)",
        steps=[
            lambda s: ops.grad(_softmax_loglik(s.x, s.theta, [int(s.y)]), s.theta[:, _other(s)]),
            lambda s: (
                _score_sum(s.x, s.theta, 0)
                / _exp_score(s.x, s.theta, 0, int(s.y))
                * (
                    ops.zeros(s.m)
                    - _exp_score(s.x, s.theta, 0, int(s.y))
                    * _exp_score(s.x, s.theta, 0, _other(s))
                    * s.x.T
                )
                / _score_sum(s.x, s.theta, 0) ** 2
            ),
            lambda s: -s.x.T * _S(s.x, s.theta, 0, _other(s)),
        ],
        sizes=[{"m": 2}],
    ),
    # both cases at once: ∂log L/∂θ_v = Σᵢ xᶦ(1{yᶦ = v} − S(xᶦθ_v)), i.e. ∂log L/∂θ = Xᵀ(Y − S(Xθ))
    make_claim(
        "classification.softmax_log_likelihood_gradient_unified",
        title="∂/∂θ Σᵢ Σⱼ 1{yᶦ = j} log S(xᶦθⱼ) = Σᵢ xᶦᵀ(e_{yᶦ} − S(xᶦθ))ᵀ, column v: "
        "Σᵢ xᶦ(1{yᶦ = v} − S(xᶦθ_v)) (N = 2, c = 3, every labelling)",
        source=SOFT,
        symbols="X: matrix(2, m), theta: matrix(m, 3), y1: index(3), y2: index(3)",
        kind="gradient",
        f=lambda s: _softmax_loglik(s.X, s.theta, _labels(s, 2)),
        wrt="theta",
        rhs=lambda s: _columns(
            _total(
                _row(s.X, i).T * ((1 if yi == v else 0) - _S(s.X, s.theta, i, v))
                for i, yi in enumerate(_labels(s, 2))
            )
            for v in range(3)
        ),
        sizes=[{"m": 1}],  # m = 2 takes ~5 s (nine label cases of softmax quotients)
    ),
    # "加个 1/L, 求导": ∂log L/∂θ_v = (1/L) ∂L/∂θ_v for the likelihood L = Πᵢ Πⱼ S^{1{yᶦ=j}}
    make_claim(
        "classification.softmax_log_likelihood_gradient_via_likelihood",
        title="∂log L/∂θ = (1/L)·∂L/∂θ for L = Πᵢ Πⱼ S(xᶦθⱼ)^{1{yᶦ=j}} (N = 2, c = 2)",
        source=SOFT,
        symbols="X: matrix(2, m), theta: matrix(m, 2), y1: index(2), y2: index(2)",
        lhs=lambda s: ops.grad(
            ops.log(
                _sp().Mul(
                    *[
                        _S(s.X, s.theta, i, j) ** (1 if yi == j else 0)
                        for i, yi in enumerate(_labels(s, 2))
                        for j in range(2)
                    ]
                )
            ),
            s.theta,
        ),
        rhs=lambda s: (
            ops.grad(
                _sp().Mul(
                    *[
                        _S(s.X, s.theta, i, j) ** (1 if yi == j else 0)
                        for i, yi in enumerate(_labels(s, 2))
                        for j in range(2)
                    ]
                ),
                s.theta,
            )
            / _sp().Mul(
                *[
                    _S(s.X, s.theta, i, j) ** (1 if yi == j else 0)
                    for i, yi in enumerate(_labels(s, 2))
                    for j in range(2)
                ]
            )
        ),
        sizes=[{"m": 2}],
    ),
    # the library's form: the mean cross-entropy of softmax(XW) has gradient
    # (1/N)Xᵀ(softmax(XW) − Y)
    make_claim(
        "classification.softmax_log_likelihood_gradient",
        title="∂/∂W −(1/N) Σᵢ log softmax(xᶦW)_{yᵢ} = (1/N) Xᵀ(softmax(XW) − Y), Y one-hot "
        "(N = 2, c = 3, every labelling)",
        source="standard",
        symbols="X: matrix(2, m), W: matrix(m, 3), y1: index(3), y2: index(3)",
        kind="gradient",
        f=lambda s: (
            -_total(
                ops.log_softmax((_row(s.X, i) @ s.W).T)[yi] for i, yi in enumerate(_labels(s, 2))
            )
            / 2
        ),
        wrt="W",
        rhs=lambda s: (
            s.X.T
            @ (ops.softmax(s.X @ s.W) - ops.matrix([list(_e(yi, 3)) for yi in _labels(s, 2)]))
            / 2
        ),
        sizes=[{"m": 2}],
        implementation="derivations.gradients.classification.softmax_regression_grad",
        impl_args=lambda v: (v.X, v.W, np.array([v.y1, v.y2])),
    ),
    # ----- Note 002: Binary classification problem -----
    # μ = 1/(1 + e^{−u}),  1 − μ = e^{−u}/(1 + e^{−u}) = 1/(1 + e^{u})
    make_derivation(
        "classification.sigmoid_complement_chain",
        title="1 − 1/(1 + e^{−u}) = e^{−u}/(1 + e^{−u}) = 1/(1 + e^{u})",
        source=BIN,
        symbols="u: scalar",
        steps=[
            lambda s: 1 - 1 / (1 + ops.exp(-s.u)),
            lambda s: ops.exp(-s.u) / (1 + ops.exp(-s.u)),
            lambda s: 1 / (1 + ops.exp(s.u)),
        ],
    ),
    # 1 − σ(u) = σ(−u)
    make_claim(
        "classification.sigmoid_one_minus",
        title="1 − σ(u) = σ(−u)",
        source="standard",
        symbols="u: scalar",
        lhs=lambda s: 1 - ops.sigmoid(s.u),
        rhs=lambda s: ops.sigmoid(-s.u),
        implementation="derivations.gradients.classification.sigmoid",
        impl_args=lambda v: (-v.u,),  # σ evaluated at −u, the right-hand side
    ),
    # "Softmax: map the feature u to the space of one-hot codes, μ = 1/(1 + e^{−u})": the note's
    # name is right in the reading "softmax of the two scores (u, 0) is (μ, 1 − μ)"
    make_claim(
        "classification.two_class_softmax_probabilities",
        title="softmax((u, 0)) = (μ, 1 − μ), μ = σ(u): the reading that makes the note's "
        "'Softmax' right",
        source=BIN,
        symbols="u: scalar",
        lhs=lambda s: ops.softmax(ops.matrix([s.u, 0])),
        rhs=lambda s: ops.matrix([ops.sigmoid(s.u), 1 - ops.sigmoid(s.u)]),
    ),
    # −Σ log p(yᵢ|xᵢ, ω) = Σ −yᵢ log μᵢ − (1 − yᵢ) log(1 − μᵢ),  μᵢ = σ(ωᵀxᵢ), yᵢ ∈ {0, 1}
    make_claim(
        "classification.binary_cross_entropy_negative_log_likelihood",
        title="−Σᵢ log p(yᵢ|xᵢ, ω) = Σᵢ[−yᵢ log μᵢ − (1 − yᵢ) log(1 − μᵢ)] with p(1|x) = μ, "
        "p(0|x) = 1 − μ (N = 2, every labelling)",
        source=BIN,
        symbols="X: matrix(2, n), omega: vector(n), y1: index(2), y2: index(2)",
        lhs=lambda s: (
            -_total(
                ops.log(_h(s.X, s.omega, i) if yi == 1 else 1 - _h(s.X, s.omega, i))
                for i, yi in enumerate(_labels(s, 2))
            )
        ),
        rhs=lambda s: _total(
            -yi * ops.log(_h(s.X, s.omega, i)) - (1 - yi) * ops.log(1 - _h(s.X, s.omega, i))
            for i, yi in enumerate(_labels(s, 2))
        ),
        sizes=[{"n": 2}],
    ),
)


# ----- Gradient library (derivations.gradients.classification): the functions' conventions -----


def _log1p_exp(t):
    """log(1 + eᵗ), the softplus the library evaluates with logaddexp."""
    return ops.log(1 + ops.exp(t))


def _lse(row):
    """log Σₖ e^{rowₖ} of a 1 × c row."""
    return ops.log(_total(ops.exp(t) for t in row))


def _mean_nll_terms(scores, labels):
    """(1/N)Σᵢ[log Σₖ e^{scoresᵢₖ} − scoresᵢ,yᵢ], the form the library evaluates."""
    n = scores.shape[0]
    return _total(_lse(scores[i, :]) - scores[i, yi] for i, yi in enumerate(labels)) / n


def _mean_neg_log_softmax(scores, labels):
    """−(1/N)Σᵢ log softmax(scoresᵢ)_{yᵢ}, the definition (log of the ratio)."""
    n = scores.shape[0]
    return -_total(ops.log(ops.softmax(scores[i, :].T)[yi]) for i, yi in enumerate(labels)) / n


def _shifted_exp(s):
    """e^{z − m}, entry by entry."""
    return ops.exp(s.z - s.m * ops.ones(s.c))


def _onehot_rows(labels, c):
    return ops.matrix([list(_e(yi, c)) for yi in labels])


CLAIMS += (
    # mean binary cross-entropy, −(1/N)Σᵢ[yᵢ log σ(uᵢ) + (1 − yᵢ) log(1 − σ(uᵢ))]
    #   = (1/N)Σᵢ[log(1 + e^{uᵢ}) − yᵢuᵢ],  u = Xθ (the overflow-free form)
    make_claim(
        "classification.logistic_cross_entropy_loss",
        title="−(1/N)Σᵢ[yᵢ log σ(uᵢ) + (1 − yᵢ) log(1 − σ(uᵢ))] = (1/N)Σᵢ[log(1 + e^{uᵢ}) − "
        "yᵢuᵢ], u = Xθ",
        source="standard",
        symbols="X: matrix(N, m), theta: vector(m), y: vector(N)",
        lhs=lambda s: (
            -_total(
                s.y[i] * ops.log(_h(s.X, s.theta, i))
                + (1 - s.y[i]) * ops.log(1 - _h(s.X, s.theta, i))
                for i in range(s.N)
            )
            / s.N
        ),
        rhs=lambda s: _total(
            _log1p_exp(sc(_row(s.X, i) @ s.theta)) - s.y[i] * sc(_row(s.X, i) @ s.theta)
            for i in range(s.N)
        )
        / s.N,
        sizes=[{"N": 2, "m": 2}, {"N": 3, "m": 2}],
        implementation="derivations.gradients.classification.logistic_loss",
        impl_args=lambda v: (v.X, v.y, v.theta),
    ),
    # (1/2N)Σᵢ(σ(xᶦθ) − yᵢ)² = (1/2N)‖σ(Xθ) − y‖², the mean of note 001's ½(h − y)²
    make_claim(
        "classification.logistic_mse_loss",
        title="(1/2N)Σᵢ(σ(xᶦθ) − yᵢ)² = (1/2N)‖σ(Xθ) − y‖²",
        source="standard",
        symbols="X: matrix(N, m), theta: vector(m), y: vector(N)",
        lhs=lambda s: _total((_h(s.X, s.theta, i) - s.y[i]) ** 2 for i in range(s.N)) / (2 * s.N),
        rhs=lambda s: ops.norm(ops.sigmoid(s.X @ s.theta) - s.y) ** 2 / (2 * s.N),
        implementation="derivations.gradients.classification.logistic_mse_loss",
        impl_args=lambda v: (v.X, v.y, v.theta),
    ),
    # the perceptron loss, a sum over samples, as note 001 defines it and as the library
    # evaluates it: Σ_{M₀} xᶦθ − Σ_{M₁} xᶦθ = Σᵢ(hᵢ − yᵢ)xᶦθ, h = 1[Xθ ≥ 0], M₀ = {y = 0, h = 1}
    # and M₁ = {y = 1, h = 0} the misclassified samples
    make_claim(
        "classification.perceptron_loss",
        title="Σ_{M₀} xᶦθ − Σ_{M₁} xᶦθ = Σᵢ(1[xᶦθ ≥ 0] − yᵢ)xᶦθ, a sum (N = 2, every labelling)",
        source="standard",
        symbols="X: matrix(2, m), theta: vector(m), y1: index(2), y2: index(2)",
        lhs=lambda s: _total(
            ((1 - yi) * _step(u) - yi * (1 - _step(u))) * u
            for yi, u in ((s[f"y{i + 1}"], sc(_row(s.X, i) @ s.theta)) for i in range(2))
        ),
        rhs=lambda s: _total(
            (_step(sc(_row(s.X, i) @ s.theta)) - s[f"y{i + 1}"]) * sc(_row(s.X, i) @ s.theta)
            for i in range(2)
        ),
        sizes=[{"m": 2}, {"m": 3}],
        implementation="derivations.gradients.classification.perceptron_loss",
        impl_args=lambda v: (v.X, np.array([v.y1, v.y2]), v.theta),
    ),
    # softmax is unchanged by a shift of every score: e^{z − m}/Σₖe^{zₖ − m} = softmax(z)
    # (the library subtracts m = max z so no exponent is positive)
    make_claim(
        "classification.softmax_shift_invariance",
        title="e^{z − m}/Σₖ e^{zₖ − m} = softmax(z) for every m",
        source="standard",
        symbols="z: vector(c), m: scalar",
        lhs=lambda s: _shifted_exp(s) / ops.sum_(_shifted_exp(s)),
        rhs=lambda s: ops.softmax(s.z),
        sizes=[{"c": 2}, {"c": 3}],
        implementation="derivations.gradients.classification.softmax",
        impl_args=lambda v: (v.z,),
    ),
    # log S(z)ⱼ = zⱼ − log Σₖ e^{zₖ}
    make_claim(
        "classification.log_softmax",
        title="log softmax(z)ⱼ = zⱼ − log Σₖ e^{zₖ}",
        source="standard",
        symbols="z: vector(c)",
        lhs=lambda s: ops.log(ops.softmax(s.z)),
        rhs=lambda s: ops.log_softmax(s.z),
        sizes=[{"c": 2}, {"c": 3}],
        implementation="derivations.gradients.classification.log_softmax",
        impl_args=lambda v: (v.z,),
    ),
    # mean cross-entropy of logits Z (N × c) and integer labels:
    # −(1/N)Σᵢ log S(zᵢ)_{yᵢ} = (1/N)Σᵢ[log Σₖ e^{zᵢₖ} − zᵢ,yᵢ]
    make_claim(
        "classification.softmax_cross_entropy",
        title="−(1/N)Σᵢ log softmax(zᵢ)_{yᵢ} = (1/N)Σᵢ[log Σₖ e^{zᵢₖ} − zᵢ,yᵢ] (N = 2, c = 3, "
        "every labelling)",
        source="standard",
        symbols="Z: matrix(2, 3), y1: index(3), y2: index(3)",
        lhs=lambda s: _mean_neg_log_softmax(s.Z, _labels(s, 2)),
        rhs=lambda s: _mean_nll_terms(s.Z, _labels(s, 2)),
        implementation="derivations.gradients.classification.softmax_cross_entropy",
        impl_args=lambda v: (v.Z, np.array([v.y1, v.y2])),
    ),
    # ∂/∂Z of that mean: (softmax(Z) − Y)/N, Y the one-hot rows of the labels
    make_claim(
        "classification.softmax_cross_entropy_logit_gradient",
        title="∂/∂Z −(1/N)Σᵢ log softmax(zᵢ)_{yᵢ} = (softmax(Z) − Y)/N, Y one-hot (N = 2, c = 3, "
        "every labelling)",
        source="standard",
        symbols="Z: matrix(2, 3), y1: index(3), y2: index(3)",
        kind="gradient",
        f=lambda s: _mean_nll_terms(s.Z, _labels(s, 2)),
        wrt="Z",
        rhs=lambda s: (ops.softmax(s.Z) - _onehot_rows(_labels(s, 2), 3)) / 2,
        implementation="derivations.gradients.classification.softmax_cross_entropy_grad",
        impl_args=lambda v: (v.Z, np.array([v.y1, v.y2])),
    ),
    # softmax regression's loss: the mean cross-entropy of the scores XW (X N × m, W m × c)
    make_claim(
        "classification.softmax_regression_loss",
        title="−(1/N)Σᵢ log softmax(xᶦW)_{yᵢ} = (1/N)Σᵢ[log Σₖ e^{(XW)ᵢₖ} − (XW)ᵢ,yᵢ] (N = 2, "
        "c = 3, every labelling)",
        source="standard",
        symbols="X: matrix(2, m), W: matrix(m, 3), y1: index(3), y2: index(3)",
        lhs=lambda s: _mean_neg_log_softmax(s.X @ s.W, _labels(s, 2)),
        rhs=lambda s: _mean_nll_terms(s.X @ s.W, _labels(s, 2)),
        sizes=[{"m": 2}],
        implementation="derivations.gradients.classification.softmax_regression_loss",
        impl_args=lambda v: (v.X, v.W, np.array([v.y1, v.y2])),
    ),
)


# ----- Gradient library: softmax VJPs, the general cross-entropy, the hinge loss -----

GRAD = "derivations.gradients.classification"


def _soft_xent_rows(Z, T, w):
    """Σᵢ −Σ_c w_c Tᵢ_c log softmax(zᵢ)_c, row by row (a list of scalars)."""
    rows = []
    for i in range(Z.shape[0]):
        logp = ops.log_softmax(Z[i, :].T)
        rows.append(-_total(w[c] * T[i, c] * logp[c] for c in range(Z.shape[1])))
    return rows


def _smoothed(labels, c, eps):
    """T̃ = (1 − ε)·one-hot + ε/c, one row per label."""
    return ops.matrix([[(1 - eps) * (1 if k == yi else 0) + eps / c for k in range(c)]
                       for yi in labels])


def _xent_index_torch(Z, labels, w, eps):
    """torch's cross_entropy with class weights w and label smoothing ε (mean): (1 − ε)·Σᵢ
    w_{yᵢ} nllᵢ / Σᵢ w_{yᵢ} + (ε/C)·Σᵢ (−Σ_c w_c log pᵢ_c) / Σᵢ w_{yᵢ}, rows of Z after the
    labelled ones being ignore_index rows (they drop out)."""
    c = Z.shape[1]
    norm = _total(w[yi] for yi in labels)
    nll = _total(-w[yi] * ops.log_softmax(Z[i, :].T)[yi] for i, yi in enumerate(labels))
    smooth = _total(-_total(w[k] * ops.log_softmax(Z[i, :].T)[k] for k in range(c))
                    for i in range(len(labels)))
    return (1 - eps) * nll / norm + (eps / c) * smooth / norm


def _xent_grad_rows(Z, T, w, rows, norm):
    """(rᵢ/norm)((Σ_c w_c T̃ᵢ_c) softmax(zᵢ) − w ⊙ T̃ᵢ), the library's form, as an N × C matrix."""
    out = []
    for i in range(Z.shape[0]):
        if i >= rows:
            out.append([0] * Z.shape[1])
            continue
        p = ops.softmax(Z[i, :].T)
        total = _total(w[k] * T[i, k] for k in range(Z.shape[1]))
        out.append([(total * p[k] - w[k] * T[i, k]) / norm for k in range(Z.shape[1])])
    return ops.matrix(out)


def _labels_ignored(v):
    """The library's targets for the claims below: y1, y2, then a row of ignore_index."""
    return np.array([v.y1, v.y2, -100])


CLAIMS += (
    # softmax's vector-Jacobian product: ∇_z Σᵢ gᵢ S(z)ᵢ = s ⊙ (g − ⟨g, s⟩1), s = S(z)
    make_claim(
        "classification.softmax_vjp",
        title="∇_z gᵀsoftmax(z) = s ⊙ (g − (gᵀs)1), s = softmax(z): softmax's backward pass",
        source="standard",
        symbols="z: vector(n), g: vector(n)",
        kind="gradient",
        f=lambda s: sc(s.g.T @ ops.softmax(s.z)),
        wrt="z",
        rhs=lambda s: hadamard(
            ops.softmax(s.z), s.g - sc(s.g.T @ ops.softmax(s.z)) * ops.ones(s.n)
        ),
        sizes=[{"n": 2}, {"n": 3}],
        implementation=f"{GRAD}.softmax_vjp",
        impl_args=lambda v: (v.g, np.exp(v.z) / np.exp(v.z).sum()),
    ),
    # log-softmax's: ∇_z Σᵢ gᵢ log S(z)ᵢ = g − s Σᵢ gᵢ
    make_claim(
        "classification.log_softmax_vjp",
        title="∇_z gᵀlog softmax(z) = g − softmax(z)·Σᵢgᵢ: log-softmax's backward pass",
        source="standard",
        symbols="z: vector(n), g: vector(n)",
        kind="gradient",
        f=lambda s: sc(s.g.T @ ops.log_softmax(s.z)),
        wrt="z",
        rhs=lambda s: s.g - ops.sum_(s.g) * ops.softmax(s.z),
        sizes=[{"n": 2}, {"n": 3}],
        implementation=f"{GRAD}.log_softmax_vjp",
        impl_args=lambda v: (v.g, v.z - np.log(np.exp(v.z).sum())),
    ),
    # torch's weighted, smoothed cross-entropy (class indices, one row ignored) is one sum over
    # smoothed targets: Σᵢ −Σ_c w_c T̃ᵢ_c log pᵢ_c / Σᵢ w_{yᵢ}
    make_claim(
        "classification.cross_entropy_weighted_smoothed_loss",
        title="(1 − ε)Σw_y nll/Σw_y + (ε/C)Σ(−Σ_c w_c log p_c)/Σw_y = Σᵢ −Σ_c w_c T̃ᵢ_c log pᵢ_c"
        "/Σw_y, T̃ = (1 − ε)one-hot + ε/C; an ignore_index row drops out (N = 2 + 1, C = 3)",
        source="standard",
        symbols="Z: matrix(3, 3), a: vector(3), eps: scalar, y1: index(3), y2: index(3)",
        assume=["eps in (0, 1)"],
        lhs=lambda s: _xent_index_torch(s.Z, _labels(s, 2), ops.exp(s.a), s.eps),
        rhs=lambda s: (
            _total(_soft_xent_rows(s.Z[:2, :], _smoothed(_labels(s, 2), 3, s.eps), ops.exp(s.a)))
            / _total(ops.exp(s.a)[yi] for yi in _labels(s, 2))
        ),
        implementation=f"{GRAD}.cross_entropy",
        impl_args=lambda v: (v.Z, _labels_ignored(v), np.exp(v.a), -100, v.eps),
    ),
    # … and its gradient in the logits: (1/Σw_y)((Σ_c w_c T̃ᵢ_c) pᵢ − w ⊙ T̃ᵢ), 0 on ignored rows
    make_claim(
        "classification.cross_entropy_weighted_smoothed_gradient",
        title="∂/∂Z of the weighted, smoothed cross-entropy = ((Σ_c w_c T̃ᵢ_c)softmax(zᵢ) − "
        "w ⊙ T̃ᵢ)/Σw_y per row, 0 on an ignored row (N = 2 + 1, C = 3)",
        source="standard",
        symbols="Z: matrix(3, 3), a: vector(3), eps: scalar, y1: index(3), y2: index(3)",
        assume=["eps in (0, 1)"],
        kind="gradient",
        f=lambda s: _xent_index_torch(s.Z, _labels(s, 2), ops.exp(s.a), s.eps),
        wrt="Z",
        rhs=lambda s: _xent_grad_rows(
            s.Z, _smoothed(_labels(s, 2), 3, s.eps), ops.exp(s.a), 2,
            _total(ops.exp(s.a)[yi] for yi in _labels(s, 2)),
        ),
        implementation=f"{GRAD}.cross_entropy_grad",
        impl_args=lambda v: (v.Z, _labels_ignored(v), np.exp(v.a), -100, v.eps),
    ),
    # soft targets T (any N × C matrix), weights, smoothing: mean over rows
    make_claim(
        "classification.cross_entropy_soft_target_gradient",
        title="∇_Z (1/N)Σᵢ −Σ_c w_c T̃ᵢ_c log softmax(zᵢ)_c = ((Σ_c w_c T̃ᵢ_c)softmax(zᵢ) − "
        "w ⊙ T̃ᵢ)/N, T̃ = (1 − ε)T + ε/C (N = 2, C = 3)",
        source="standard",
        symbols="Z: matrix(2, 3), T: matrix(2, 3), w: vector(3), eps: scalar",
        assume=["eps in (0, 1)"],
        kind="gradient",
        f=lambda s: _total(_soft_xent_rows(s.Z, (1 - s.eps) * s.T + s.eps / 3 * ops.ones(2, 3),
                                           s.w)) / 2,
        wrt="Z",
        rhs=lambda s: _xent_grad_rows(
            s.Z, (1 - s.eps) * s.T + s.eps / 3 * ops.ones(2, 3), s.w, 2, 2
        ),
        implementation=f"{GRAD}.cross_entropy_grad",
        impl_args=lambda v: (v.Z, v.T, v.w, -100, v.eps),
    ),
    # hinge loss, labels ±1 written 2y − 1 with y ∈ {0, 1}: (1/N)Σ max(0, 1 − yᵢsᵢ)
    make_claim(
        "classification.hinge_loss_via_abs",
        title="(1/N)Σᵢ max(0, 1 − yᵢsᵢ) = (1/N)Σᵢ (mᵢ + |mᵢ|)/2, mᵢ = 1 − yᵢsᵢ, yᵢ = ±1 (N = 2)",
        source="standard",
        symbols="s: vector(2), y1: index(2), y2: index(2)",
        lhs=lambda s: _total(ops.relu(1 - (2 * yi - 1) * s.s[i]) for i, yi in
                             enumerate(_labels(s, 2))) / 2,
        rhs=lambda s: _total(((1 - (2 * yi - 1) * s.s[i]) + _abs_pw(1 - (2 * yi - 1) * s.s[i]))
                             / 2 for i, yi in enumerate(_labels(s, 2))) / 2,
        implementation=f"{GRAD}.hinge_loss",
        impl_args=lambda v: (v.s, 2 * np.array([v.y1, v.y2]) - 1),
    ),
    # its gradient: −yᵢ 1[yᵢsᵢ < 1]/N (away from the kink yᵢsᵢ = 1)
    make_claim(
        "classification.hinge_loss_subgradient",
        title="∇_s (1/N)Σᵢ max(0, 1 − yᵢsᵢ) = −y ⊙ 1[y ⊙ s < 1]/N, y = ±1 (away from kinks; N = 2)",
        source="standard",
        symbols="s: vector(2), y1: index(2), y2: index(2)",
        kind="gradient",
        f=lambda s: _total(ops.relu(1 - (2 * yi - 1) * s.s[i]) for i, yi in
                           enumerate(_labels(s, 2))) / 2,
        wrt="s",
        rhs=lambda s: ops.matrix([[-(2 * yi - 1) * ops.indicator(1 - (2 * yi - 1) * s.s[i]) / 2]
                                  for i, yi in enumerate(_labels(s, 2))]),
        implementation=f"{GRAD}.hinge_grad",
        impl_args=lambda v: (v.s, 2 * np.array([v.y1, v.y2]) - 1),
    ),
)


def _abs_pw(t):
    """|t| as a Piecewise on ReLU's own condition t > 0 (see activations._abs)."""
    sp = _sp()
    return sp.Piecewise((t, t > 0), (-t, True))
