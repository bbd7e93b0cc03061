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
        f=lambda s: sc((ops.sigmoid(s.X @ s.theta) - s.y).T @ (ops.sigmoid(s.X @ s.theta) - s.y))
        / 2,
        wrt="theta",
        rhs=lambda s: s.X.T
        @ hadamard(
            hadamard(ops.sigmoid(s.X @ s.theta) - s.y, ops.sigmoid(s.X @ s.theta)),
            ops.ones(s.N) - ops.sigmoid(s.X @ s.theta),
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
        rhs=lambda s: s.X.T
        @ hadamard(
            hadamard(ops.sigmoid(s.X @ s.theta) - s.y, ops.sigmoid(s.X @ s.theta)),
            ops.ones(s.N) - ops.sigmoid(s.X @ s.theta),
        )
        / s.N,
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
        rhs=lambda s: _total(_row(s.X, i).T for i in range(s.N))
        * _total(s.y[i] - _h(s.X, s.theta, i) for i in range(s.N)),
        expect="fails",
        sizes=[{"N": 2, "m": 2}, {"N": 3, "m": 2}],
    ),
    # corrected last step: ∂log L/∂θ = Σᵢ (yᶦ − h(xᶦ)) xᶦᵀ = Xᵀ(y − h)
    make_claim(
        "classification.logistic_log_likelihood_gradient_matrix",
        title="∂/∂θ Σᵢ [yᵢ log hᵢ + (1 − yᵢ) log(1 − hᵢ)] = Xᵀ(y − σ(Xθ)) (the corrected last step)",
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
        f=lambda s: -_total(
            s.y[i] * ops.log(_h(s.X, s.theta, i)) + (1 - s.y[i]) * ops.log(1 - _h(s.X, s.theta, i))
            for i in range(s.N)
        )
        / s.N,
        wrt="theta",
        rhs=lambda s: s.X.T @ (ops.sigmoid(s.X @ s.theta) - s.y) / s.N,
    ),
)
