"""Classification: logistic regression (MSE and cross-entropy), the perceptron, the multi-class
perceptron and softmax regression (note 001), the binary cross-entropy of note 002 §1.1.

Conventions, as in note 001: the data matrix X is N × m with samples as rows (xᶦ is row i,
a 1 × m row, so xᶦθ is a scalar), θ is m × 1, y is N × 1; for c classes θ is m × c with
columns θⱼ.  Sides are one line of the claim language where it can say them (``H`` below
abbreviates h = σ(Xθ)); labels that must be 0/1 or a class are ``index`` symbols y1, y2, …
(the fixed-size proof enumerates every value) in Python builders, which also state what
the language has no words for (a sum over the misclassified samples, a column θ_v picked
by a class).  Each entry's comment gives the formula as the note writes it.
"""

from __future__ import annotations

import numpy as np

from derivations import note
from derivations.section import Section
from verifier import ops

sc, hadamard = ops.sc, ops.hadamard

MSE = note("001", "logistic regression (mse)")
XENT = note("001", "logistic regression (cross entropy)")
PERC = note("001", "perceptron")
MULTI = note("001", "multi-class perceptron")
SOFT = note("001", "Softmax")
BIN = note("002", "Binary classification problem")
GRAD = "derivations.gradients.classification"

H = "sigmoid(X @ theta)"  # h_θ(x) = σ(xθ) for every sample (row of X)
LOGLIK = f"y.T @ log({H}) + (1 - y).T @ log(1 - {H})"  # Σᵢ yᶦ log hᶦ + (1 − yᶦ) log(1 − hᶦ)

# labels as one-hot rows Y (N × c): the library takes their classes
ONEHOT = Section("standard", symbols="Z: matrix(N, c), Y: matrix(N, c), X: matrix(N, m), "
                                     "W: matrix(m, c)")
LABELLED = ["Y one-hot"]
NLL_Z = "sum(logsumexp(Z, axis=1) - sum(Y * Z, axis=1)) / N"  # (1/N)Σᵢ[LSE(zᵢ) − zᵢ,yᵢ]


def _classes(Y):
    """The class of each one-hot row."""
    return np.argmax(Y, axis=1)


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


def _multiclass_loss(x, theta, j, y):
    """One sample's max_j xθⱼ − xθ_y on the region where class j has the largest score."""
    return sc(x @ theta[:, j]) - sc(x @ theta[:, y])


# ----- Note 001: logistic regression (mse) -----

LOGISTIC = "X: matrix(N, m), theta: vector(m), y: vector(N)"
MSE_S = Section(MSE, symbols=LOGISTIC)

CLAIMS = (
    # h = sigmoid(xθ), L = ½(h − y)²,  ∂L/∂θ = xᵀ·[(h − y)·h·(1 − h)];  x (n, m), θ (m, 1), y (n, 1)
    MSE_S.claim("logistic_mse_gradient_note", f"grad(({H} - y).T @ ({H} - y) / 2, theta)",
                f"X.T @ (({H} - y) * {H} * (1 - {H}))",
                title="∂/∂θ ½‖σ(Xθ) − y‖² = Xᵀ[(h − y) ⊙ h ⊙ (1 − h)] (the note's '·' read as ⊙; "
                "X n×m, θ m×1, y n×1, so the gradient is m×1 like θ)"),
    # the mean over samples, as the gradient library implements it
    MSE_S.claim("logistic_mse_gradient", f"grad(sum(({H} - y) ** 2) / (2 * N), theta)",
                f"X.T @ (({H} - y) * {H} * (1 - {H})) / N", source="standard",
                title="∂/∂θ (1/2N) Σᵢ (σ(xᶦθ) − yᵢ)² = (1/N) Xᵀ[(h − y) ⊙ h ⊙ (1 − h)]",
                implementation=f"{GRAD}.logistic_mse_grad",
                impl_args=lambda v: (v.X, v.y, v.theta)),
)

# ----- Note 001: logistic regression (cross entropy) -----

XENT_S = Section(XENT, symbols=LOGISTIC)


def _likelihood(s):
    """Πᵢ h(xᶦ)^{yᶦ}(1 − h(xᶦ))^{1−yᶦ}, a product of any length N.  Python: the language writes
    such a power only for labels assumed binary, and this holds for every real y."""
    return ops.index_prod(
        lambda i: _h(s.X, s.theta, i) ** s.y[i, 0] * (1 - _h(s.X, s.theta, i)) ** (1 - s.y[i, 0]),
        _sp().Dummy("i", integer=True, nonnegative=True), s.N)


def _chain_rule_step(s):
    """Σᵢ [yᶦ/h(xᶦ)·h'(xᶦ) − (1 − yᶦ)/(1 − h(xᶦ))·h'(xᶦ)], h'(xᶦ) = ∂h(xᶦ)/∂θ taken by the engine.
    Python: the language has no per-sample gradient."""
    return _total(
        s.y[i] / _h(s.X, s.theta, i) * ops.grad(_h(s.X, s.theta, i), s.theta)
        - (1 - s.y[i]) / (1 - _h(s.X, s.theta, i)) * ops.grad(_h(s.X, s.theta, i), s.theta)
        for i in range(s.N)
    )


CLAIMS += (
    # L = Πᵢ h(xᶦ)^{yᶦ}(1 − h(xᶦ))^{1−yᶦ}  →  log L = Σᵢ (yᶦ log h(xᶦ) + (1 − yᶦ) log(1 − h(xᶦ)))
    XENT_S.derivation("logistic_log_likelihood", [lambda s: ops.log(_likelihood(s)), LOGLIK],
                      sizes=[{"N": 2, "m": 1}],
                      title="log Πᵢ hᵢ^{yᵢ}(1 − hᵢ)^{1−yᵢ} = Σᵢ [yᵢ log hᵢ + (1 − yᵢ) "
                      "log(1 − hᵢ)], h = σ(Xθ)"),
    # ∂log L/∂θ = Σ[y/h·h' − (1−y)/(1−h)·h'] = Σ[y/h − (1−y)/(1−h)]h(1−h)xᶦ
    #           = Σ(yᶦ(1 − h) − (1 − yᶦ)h)xᶦ = xᵀ·Σ(yᶦ − h(xᶦ))      ← the last step is wrong
    XENT_S.derivation(
        "logistic_log_likelihood_gradient_chain",
        [
            f"grad({LOGLIK}, theta)",
            _chain_rule_step,
            f"X.T @ ((y / {H} - (1 - y) / (1 - {H})) * {H} * (1 - {H}))",
            f"X.T @ (y * (1 - {H}) - (1 - y) * {H})",
            f"X.T * sum(y - {H})",
        ],
        step_expect={4: "fails"}, expect="fails", sizes=[{"N": 2, "m": 2}],
        corrected="classification.logistic_log_likelihood_gradient_matrix",
        title="∂log L/∂θ step by step; the last step 'xᵀ·Σᵢ(yᶦ − h(xᶦ))' (a scalar sum times Xᵀ, "
        "N×… instead of m×1) fails",
    ),
    # the same last step with the shapes made to fit: (Σᵢ xᶦ)ᵀ · Σᵢ(yᶦ − hᶦ), a product of two sums
    XENT_S.claim("logistic_log_likelihood_gradient_product_of_sums",
                 f"X.T @ (y * (1 - {H}) - (1 - y) * {H})", f"(X.T @ ones(N)) * sum(y - {H})",
                 sizes=[{"N": 2, "m": 2}, {"N": 3, "m": 2}], expect="fails",
                 corrected="classification.logistic_log_likelihood_gradient_matrix",
                 title="Σᵢ(yᶦ(1 − hᶦ) − (1 − yᶦ)hᶦ)xᶦᵀ = (Σᵢ xᶦ)ᵀ·Σᵢ(yᶦ − hᶦ): the note's last "
                 "step read with shapes that fit (sum misplaced)"),
    # corrected last step: ∂log L/∂θ = Σᵢ (yᶦ − h(xᶦ)) xᶦᵀ = Xᵀ(y − h)
    XENT_S.claim("logistic_log_likelihood_gradient_matrix", f"grad({LOGLIK}, theta)",
                 f"X.T @ (y - {H})",
                 title="∂/∂θ Σᵢ [yᵢ log hᵢ + (1 − yᵢ) log(1 − hᵢ)] = Xᵀ(y − σ(Xθ)) "
                 "(the corrected last step)"),
    # the loss the library minimises: the mean negative log-likelihood
    XENT_S.claim("logistic_cross_entropy_gradient", f"grad(-({LOGLIK}) / N, theta)",
                 f"X.T @ ({H} - y) / N", source="standard",
                 title="∂/∂θ −(1/N) Σᵢ [yᵢ log hᵢ + (1 − yᵢ) log(1 − hᵢ)] = (1/N) Xᵀ(σ(Xθ) − y)",
                 implementation=f"{GRAD}.logistic_grad", impl_args=lambda v: (v.X, v.y, v.theta)),
)

# ----- Note 001: perceptron -----
# h_θ(x) = 1 if xᵀθ ≥ 0 else 0;  L = Σ_{x∈M₀} xᵀθ − Σ_{x∈M₁} xᵀθ = Σᵢ ((1 − yᶦ)xᵀθ − yᶦxᵀθ)
# = Σᵢ (1 − 2yᶦ)xᵀθ, ∂L/∂θ = Σᵢ(1 − 2yᶦ)xᶦ.  M₀ (M₁): the misclassified samples of class 0
# (1), written with indicators of the labels: Σ_{M₀} xᶦθ = (y == 0)ᵀXθ over the rows of X.

PERC_S = Section(PERC, symbols=LOGISTIC + ", h: vector(N)")
BINARY = ["y binary"]
PREDICTED = ["y binary", "h binary"]
SCORES_X = "(X @ theta)"  # the scores xᶦθ of every sample
STEP_H = "(X @ theta >= 0)"  # h(xᶦ) = 1[xᶦθ ≥ 0]

CLAIMS += (
    # the Σᵢ runs over the misclassified samples (the rows of X), every labelling
    PERC_S.derivation(
        "perceptron_loss_chain",
        ["(y == 0).T @ X @ theta - (y == 1).T @ X @ theta",
         f"sum((1 - y) * {SCORES_X} - y * {SCORES_X})",
         "(1 - 2 * y).T @ X @ theta"],
        assume=BINARY, sizes=[{"N": 3, "m": 2}, {"N": 3, "m": 3}],
        title="Σ_{M₀} xᶦθ − Σ_{M₁} xᶦθ = Σᵢ((1 − yᶦ)xᶦθ − yᶦxᶦθ) = Σᵢ(1 − 2yᶦ)xᶦθ, i over the "
        "misclassified samples (rows of X, labels in {0, 1})",
    ),
    # ∂L/∂θ = Σᵢ (1 − 2yᶦ) xᶦ
    PERC_S.claim("perceptron_loss_gradient_note", "grad((1 - 2 * y).T @ X @ theta, theta)",
                 "X.T @ (1 - 2 * y)", assume=BINARY, sizes=[{"N": 3, "m": 2}, {"N": 3, "m": 3}],
                 title="∂/∂θ Σᵢ(1 − 2yᶦ)xᶦθ = Σᵢ(1 − 2yᶦ)xᶦᵀ (labels in {0, 1})"),
    # the same for any real weights 1 − 2yᵢ, as the gradient library states it
    PERC_S.claim("perceptron_gradient", "grad((1 - 2 * y).T @ X @ theta, theta)",
                 "X.T @ (1 - 2 * y)", source="standard",
                 title="∂/∂θ Σᵢ(1 − 2yᵢ)xᶦθ = ∂/∂θ (𝟙 − 2y)ᵀXθ = Xᵀ(𝟙 − 2y)"),
    # = Σᵢ[(1 − yᶦ)h(xᶦ)·xᵀθ − yᶦ(1 − h(xᶦ))xᵀθ] = Σᵢ[h(xᶦ) − yᶦ]xᵀθ
    # (the note puts this after ∂L/∂θ, but it is L again, now over all samples: a correctly
    # classified sample has h = y and adds 0); y and the prediction h in {0, 1}
    PERC_S.derivation(
        "perceptron_loss_with_predictions_chain",
        ["((y == 0) * (h == 1)).T @ X @ theta - ((y == 1) * (h == 0)).T @ X @ theta",
         f"sum((1 - y) * h * {SCORES_X} - y * (1 - h) * {SCORES_X})",
         "(h - y).T @ X @ theta"],
        assume=PREDICTED, sizes=[{"N": 2, "m": 2}],
        title="Σ_{M₀} xᶦθ − Σ_{M₁} xᶦθ = Σᵢ[(1 − yᶦ)hᶦxᶦθ − yᶦ(1 − hᶦ)xᶦθ] = Σᵢ(hᶦ − yᶦ)xᶦθ, "
        "M₀ = {y = 0, h = 1}, M₁ = {y = 1, h = 0}, i over all samples",
    ),
    # ∂L/∂θ = xᶦᵀ·Σᵢ(h(xᶦ) − yᶦ)   (the sum misplaced: read as (Σᵢ xᶦ)ᵀ·Σᵢ(hᶦ − yᶦ))
    PERC_S.claim("perceptron_gradient_misplaced_sum", "grad((h - y).T @ X @ theta, theta)",
                 "(X.T @ ones(N)) * sum(h - y)", assume=PREDICTED, sizes=[{"N": 2, "m": 2}],
                 expect="fails", corrected="classification.perceptron_gradient_with_predictions",
                 title="∂/∂θ Σᵢ(hᶦ − yᶦ)xᶦθ = (Σᵢ xᶦ)ᵀ·Σᵢ(hᶦ − yᶦ): the note's xᶦᵀ·Σᵢ(h − y) with "
                 "the sum over both factors (h held fixed)"),
    # corrected: ∂L/∂θ = Σᵢ(hᶦ − yᶦ)xᶦᵀ = Xᵀ(h − y), h held fixed (h is piecewise constant in θ)
    PERC_S.claim("perceptron_gradient_with_predictions", "grad((h - y).T @ X @ theta, theta)",
                 "X.T @ (h - y)", assume=PREDICTED, sizes=[{"N": 2, "m": 2}, {"N": 2, "m": 3}],
                 title="∂/∂θ Σᵢ(hᶦ − yᶦ)xᶦθ = Σᵢ(hᶦ − yᶦ)xᶦᵀ = Xᵀ(h − y), h held fixed (every "
                 "labelling and prediction)"),
    # the same with the real prediction h(xᶦ) = 1[xᶦθ ≥ 0], a piecewise function of θ
    PERC_S.claim("perceptron_gradient_piecewise", f"grad(({STEP_H} - y).T @ {SCORES_X}, theta)",
                 f"X.T @ ({STEP_H} - y)", assume=BINARY, sizes=[{"N": 2, "m": 2}],
                 title="∂/∂θ Σᵢ(1[xᶦθ ≥ 0] − yᶦ)xᶦθ = Xᵀ(h − y), h = 1[Xθ ≥ 0] (away from the "
                 "kinks xᶦθ = 0)",
                 implementation=f"{GRAD}.perceptron_grad", impl_args=lambda v: (v.X, v.y, v.theta)),
    # ∂L/∂θ = Σᵢ(1 − 2yᶦ)xᶦ taken over *all* samples is not the gradient of the perceptron loss
    # once some sample is classified correctly
    PERC_S.claim("perceptron_gradient_all_samples", f"grad(({STEP_H} - y).T @ {SCORES_X}, theta)",
                 "X.T @ (1 - 2 * y)", assume=BINARY, sizes=[{"N": 2, "m": 2}], expect="fails",
                 corrected="classification.perceptron_gradient_piecewise",
                 title="∂/∂θ Σᵢ(1[xᶦθ ≥ 0] − yᶦ)xᶦθ = Σᵢ(1 − 2yᶦ)xᶦᵀ with i over all samples"),
)

# ----- Note 001: multi-class perceptron -----
# L = Σᵢ (maxⱼ xᶦθⱼ − xᶦθ_y);  ∂L/∂θ_v by cases.  The note's table, row by row:
#   v ≠ j ⇒ 0,  v ≠ y ⇒ 0,  v = j ⇒ 0,  v = y ⇒ xᶦ,  v ≠ j ⇒ xᶦ,  v = y ⇒ −xᶦ
# On the region where class j (j*) has the largest score, ∂/∂θ_v = xᶦ([v = j] − [v = y]); each
# row read on its own holds for some (v, j, y) and fails for others, and each is decided over
# every v, j, y that meets its condition (c = 3 classes, one sample).  Python: a column θ_v
# picked by a class, and the gradient by it, are not in the language.


def _multiclass_column_gradient(s, v):
    """∂/∂θ_v (xθ_j − xθ_y) for the class v = v(s)."""
    return ops.grad(_multiclass_loss(s.x, s.theta, int(s.j), int(s.y)), s.theta[:, v(s)])


def _v_is_j(s):
    return int(s.j)


def _v_is_y(s):
    return int(s.y)


def _v_not_j(s):
    """A class v ≠ j: v = (j + 1 + k) mod 3, k ∈ {0, 1}."""
    return (int(s.j) + 1 + int(s.k)) % 3


def _v_not_y(s):
    return (int(s.y) + 1 + int(s.k)) % 3


ONE_SAMPLE = "x: matrix(1, m), theta: matrix(m, 3), y: index(3), j: index(3), k: index(2)"
MULTI_S = Section(MULTI, symbols=ONE_SAMPLE)
ROW_FIX = "classification.multiclass_perceptron_gradient"


def _table_row(id, v, value, condition, expect_text):
    """One row 'condition ⇒ value' of the note's table, over every (v, j, y) meeting it."""
    return MULTI_S.claim(
        id, lambda s: _multiclass_column_gradient(s, v), value, sizes=[{"m": 2}],
        uses="x, theta, y, j" + (", k" if v in (_v_not_j, _v_not_y) else ""),
        expect="fails", corrected=ROW_FIX,
        title=f"the table's row '{condition}': ∂/∂θ_v (xθ_j − xθ_y) = {expect_text} for every "
        f"v, j, y with {condition.split(' ⇒')[0]} (j = argmax)",
    )


CLAIMS += (
    # the precise statement: ∂/∂θ_v = xᶦ([v = j] − [v = y]), every v, j, y
    MULTI_S.claim(
        "multiclass_perceptron_gradient",
        # xθ_{j*} − xθ_y written xθ(e_{j*} − e_y): SymPy's matrix derivative of an entry of
        # xθ is 0 (a trap), and the report would show that 0 as the left side
        "grad(x @ theta @ (onehot(j, c) - onehot(y, c)), theta)[:, v]",
        "x.T * ((v == j) - (v == y))",
        symbols="theta: matrix(m, c), y: index(c), j: index(c), v: index(c)",
        sizes=[{"m": 2, "c": 3}],
        title="∂/∂θ_v (xθ_{j*} − xθ_y) = xᵀ([v = j*] − [v = y]), j* = argmaxⱼ xθⱼ; every v, j*, "
        "y of any number c of classes (one sample)",
    ),
    # row 1: v ≠ j ⇒ 0 (it is −xᶦ when v = y ≠ j)
    _table_row("multiclass_perceptron_gradient_row_not_argmax_zero", _v_not_j, "zeros(m)",
               "v ≠ j ⇒ 0", "0"),
    # row 2: v ≠ y ⇒ 0 (it is xᶦ when v = j ≠ y)
    _table_row("multiclass_perceptron_gradient_row_not_label_zero", _v_not_y, "zeros(m)",
               "v ≠ y ⇒ 0", "0"),
    # row 3: v = j ⇒ 0 (it is xᶦ when j ≠ y)
    _table_row("multiclass_perceptron_gradient_row_argmax_zero", _v_is_j, "zeros(m)",
               "v = j ⇒ 0", "0"),
    # row 4: v = y ⇒ xᶦ (it is −xᶦ when j ≠ y and 0 when j = y)
    _table_row("multiclass_perceptron_gradient_row_true_class", _v_is_y, "x.T",
               "v = y ⇒ xᶦ", "+xᵀ"),
    # row 5: v ≠ j ⇒ xᶦ (it is 0 or −xᶦ, never xᶦ)
    _table_row("multiclass_perceptron_gradient_row_not_argmax_x", _v_not_j, "x.T",
               "v ≠ j ⇒ xᶦ", "+xᵀ"),
    # row 6: v = y ⇒ −xᶦ (right when j ≠ y; 0 when the sample is classified correctly, j = y)
    _table_row("multiclass_perceptron_gradient_row_label_minus_x", _v_is_y, "-x.T",
               "v = y ⇒ −xᶦ", "−xᵀ"),
    # summed over samples, all columns at once: ∂L/∂θ = Σᵢ xᶦᵀ(e_{j*ᵢ} − e_{yᵢ})ᵀ
    MULTI_S.claim(
        "multiclass_perceptron_gradient_batch",
        "grad(sum(J * (X @ theta)) - sum(Y * (X @ theta)), theta)",
        "sum(X[i, :].T @ (J[i, :] - Y[i, :]), i)",
        symbols="X: matrix(N, m), theta: matrix(m, c), Y: matrix(N, c), J: matrix(N, c), "
        "i: index(N)", assume=["Y one-hot", "J one-hot"], sizes=[{"N": 2, "m": 2, "c": 3}],
        title="∂/∂θ Σᵢ(xᶦθ_{j*ᵢ} − xᶦθ_{yᵢ}) = Σᵢ xᶦᵀ(e_{j*ᵢ} − e_{yᵢ})ᵀ (any N samples and c "
        "classes; Y, J the one-hot rows of the labels yᵢ and of the argmaxes j*ᵢ)",
    ),
    # with the max itself (not a region): ∂/∂θ (maxⱼ xθⱼ − xθ_y) = xᵀ(1[argmax] − e_y)ᵀ
    MULTI_S.claim(
        "multiclass_perceptron_gradient_max",
        lambda s: ops.max_(s.x @ s.theta) - sc(s.x @ s.theta[:, int(s.y)]),
        lambda s: (s.x.T @ (ops.matrix([_argmax_indicator(s.x, s.theta, v) for v in range(3)])
                            - _e(s.y, 3)).T),
        wrt="theta", uses="x, theta, y", sizes=[{"m": 2}],
        title="∂/∂θ (maxⱼ xθⱼ − xθ_y) = xᵀ(1[j = argmax] − e_y)ᵀ with the max itself, "
        "1[v = argmax] = H(xθ_v − max_{k≠v} xθₖ) (c = 3, away from ties)",
    ),
)

# ----- Note 001: Softmax -----
# S(xᶦθⱼ) = e^{xᶦθⱼ}/Σₖ e^{xᶦθₖ};  h(xᶦ) = Πⱼ S(xᶦθⱼ)^{1{yᶦ=j}};  L = Πᵢ Πⱼ S^{1{yᶦ=j}}
# log L = Σᵢ Σⱼ 1{yᶦ = j} log S(xᶦθⱼ).  Python: products over classes picked by the labels,
# and derivatives by a column θ_v, are not in the language.


def _likelihood_softmax(s, c):
    """Πᵢ Πⱼ S(xᶦθⱼ)^{1{yᶦ=j}} over N = 2 samples and c classes."""
    return _sp().Mul(*[_S(s.X, s.theta, i, j) ** (1 if yi == j else 0)
                       for i, yi in enumerate(_labels(s, 2)) for j in range(c)])


SOFT_S = Section(SOFT, symbols="X: matrix(2, m), theta: matrix(m, 3), y1: index(3), y2: index(3)")
# one sample x of c classes, its label y; s an entry of the column θ_v
ONE = "x: matrix(1, m), theta: matrix(m, c), y: index(c), j: index(c), k: index(c), s: index(m)"
LOGLIK_ONE = "sum((y == j) * log(softmax(x @ theta)[0, j]), j)"  # Σⱼ 1{y = j} log S(xθⱼ)
SUM_E = "sum(exp((x @ theta)[0, k]), k)"  # Σₖ e^{xθₖ}
E_Y, E_V = "exp((x @ theta)[0, y])", "exp((x @ theta)[0, v])"  # e^{xθ_y}, e^{xθ_v}

CLAIMS += (
    SOFT_S.derivation(
        "softmax_log_likelihood",
        ["log(prod(prod(softmax(X @ theta)[i, j] ** Y[i, j], j), i))",
         "sum(Y * log(softmax(X @ theta)))"],
        symbols="X: matrix(N, m), theta: matrix(m, c), Y: matrix(N, c), i: index(N), "
        "j: index(c)", assume=["Y one-hot"], sizes=[{"N": 2, "m": 2, "c": 3}],
        title="log Πᵢ Πⱼ S(xᶦθⱼ)^{1{yᶦ=j}} = Σᵢ Σⱼ 1{yᶦ = j} log S(xᶦθⱼ) (1{yᶦ = j} the one-hot "
        "rows Y of the labels)",
    ),
    # v = j (the sample's own class):
    # ∂log L/∂θ_v = Σᵢ (Σₖe^{xθₖ})/e^{xθ_v}
    #               · (e^{xθ_v}xᶦ(Σₖe^{xθₖ}) − e^{xθ_v}e^{xθ_v}xᶦ)/(Σₖe^{xθₖ})²
    #             = Σᵢ xᶦ(1 − S(xᶦθ_v))
    SOFT_S.derivation(
        "softmax_log_likelihood_gradient_own_class_chain",
        [f"grad({LOGLIK_ONE}, theta)[s, y]",
         f"{SUM_E} / {E_Y} * ({E_Y} * x[0, s] * {SUM_E} - {E_Y} * {E_Y} * x[0, s]) / {SUM_E} ** 2",
         "x[0, s] * (1 - softmax(x @ theta)[0, y])"],
        symbols=ONE, sizes=[{"m": 2, "c": 3}],
        title="∂/∂θ_v log S(xθ_y) for v = y, entry s of the column: the quotient-rule expression, "
        "then xₛ(1 − S(xθ_v)) (one sample, any number c of classes)",
    ),
    # v ≠ j:  ∂log L/∂θ_v = Σᵢ (Σₖe^{xθₖ})/e^{xθⱼ} · (0 − e^{xθⱼ}e^{xθ_v}xᶦ)/(Σₖe^{xθₖ})²
    #                     = Σᵢ xᶦ(−S(xᶦθ_v))
    # (the case v ≠ y written as each side times 1[v ≠ y], every v)
    SOFT_S.derivation(
        "softmax_log_likelihood_gradient_other_class_chain",
        [f"(v != y) * grad({LOGLIK_ONE}, theta)[s, v]",
         f"(v != y) * {SUM_E} / {E_Y} * (0 - {E_Y} * {E_V} * x[0, s]) / {SUM_E} ** 2",
         "(v != y) * -x[0, s] * softmax(x @ theta)[0, v]"],
        symbols=ONE + ", v: index(c)", sizes=[{"m": 2, "c": 3}],
        title="∂/∂θ_v log S(xθ_y) for v ≠ y, entry s of the column: the quotient-rule "
        "expression, then −xₛS(xθ_v) (one sample, any number c of classes, every y and v ≠ y)",
    ),
    # both cases at once: ∂log L/∂θ_v = Σᵢ xᶦ(1{yᶦ = v} − S(xᶦθ_v)), i.e. ∂log L/∂θ = Xᵀ(Y − S(Xθ))
    SOFT_S.claim(
        "softmax_log_likelihood_gradient_unified",
        "grad(sum(Y * log(softmax(X @ theta))), theta)", "X.T @ (Y - softmax(X @ theta))",
        symbols="X: matrix(N, m), theta: matrix(m, c), Y: matrix(N, c)", assume=["Y one-hot"],
        sizes=[{"N": 2, "m": 1, "c": 3}],
        title="∂/∂θ Σᵢ Σⱼ 1{yᶦ = j} log S(xᶦθⱼ) = Σᵢ xᶦᵀ(e_{yᶦ} − S(xᶦθ))ᵀ, column v: "
        "Σᵢ xᶦ(1{yᶦ = v} − S(xᶦθ_v)) (Y the one-hot rows of the labels: Xᵀ(Y − S(Xθ)))",
    ),
    # "加个 1/L, 求导": ∂log L/∂θ_v = (1/L) ∂L/∂θ_v for the likelihood L = Πᵢ Πⱼ S^{1{yᶦ=j}}
    SOFT_S.claim(
        "softmax_log_likelihood_gradient_via_likelihood",
        lambda s: ops.grad(ops.log(_likelihood_softmax(s, 2)), s.theta),
        lambda s: ops.grad(_likelihood_softmax(s, 2), s.theta) / _likelihood_softmax(s, 2),
        symbols="theta: matrix(m, 2), y1: index(2), y2: index(2)", sizes=[{"m": 2}],
        title="∂log L/∂θ = (1/L)·∂L/∂θ for L = Πᵢ Πⱼ S(xᶦθⱼ)^{1{yᶦ=j}} (N = 2, c = 2)",
    ),
    # the library's form: the mean cross-entropy of softmax(XW) has gradient
    # (1/N)Xᵀ(softmax(XW) − Y)
    ONEHOT.claim("softmax_log_likelihood_gradient", "grad(-sum(Y * log_softmax(X @ W)) / N, W)",
                 "X.T @ (softmax(X @ W) - Y) / N", assume=LABELLED,
                 sizes=[{"N": 2, "m": 2, "c": 3}],
                 title="∂/∂W −(1/N) Σᵢ log softmax(xᶦW)_{yᵢ} = (1/N) Xᵀ(softmax(XW) − Y), Y "
                 "one-hot",
                 implementation=f"{GRAD}.softmax_regression_grad",
                 impl_args=lambda v: (v.X, v.W, _classes(v.Y))),
)

# ----- Note 002: Binary classification problem -----

BIN_S = Section(BIN, symbols="u: scalar")
MU = "sigmoid(X @ omega)"  # μᵢ = σ(ωᵀxᵢ)

CLAIMS += (
    # μ = 1/(1 + e^{−u}),  1 − μ = e^{−u}/(1 + e^{−u}) = 1/(1 + e^{u})
    BIN_S.derivation("sigmoid_complement_chain",
                     ["1 - 1 / (1 + exp(-u))", "exp(-u) / (1 + exp(-u))", "1 / (1 + exp(u))"],
                     title="1 − 1/(1 + e^{−u}) = e^{−u}/(1 + e^{−u}) = 1/(1 + e^{u})"),
    # 1 − σ(u) = σ(−u)
    BIN_S.claim("sigmoid_one_minus", "1 - sigmoid(u)", "sigmoid(-u)", source="standard",
                title="1 − σ(u) = σ(−u)", implementation=f"{GRAD}.sigmoid",
                impl_args=lambda v: (-v.u,)),  # σ evaluated at −u, the right-hand side
    # "Softmax: map the feature u to the space of one-hot codes, μ = 1/(1 + e^{−u})": the note's
    # name is right in the reading "softmax of the two scores (u, 0) is (μ, 1 − μ)"
    BIN_S.claim("two_class_softmax_probabilities", "softmax(block([[u], [0]]))",
                "block([[sigmoid(u)], [1 - sigmoid(u)]])",
                title="softmax((u, 0)) = (μ, 1 − μ), μ = σ(u): the reading that makes the note's "
                "'Softmax' right"),
    # −Σ log p(yᵢ|xᵢ, ω) = Σ −yᵢ log μᵢ − (1 − yᵢ) log(1 − μᵢ),  μᵢ = σ(ωᵀxᵢ), yᵢ ∈ {0, 1}: the
    # label picks p(yᵢ|xᵢ) = μᵢ (yᵢ = 1) or 1 − μᵢ (yᵢ = 0)
    BIN_S.claim("binary_cross_entropy_negative_log_likelihood",
                f"-sum(log(y * {MU} + (1 - y) * (1 - {MU})))",
                f"sum(-y * log({MU}) - (1 - y) * log(1 - {MU}))",
                symbols="X: matrix(N, n), omega: vector(n), y: vector(N)", assume=["y binary"],
                sizes=[{"N": 2, "n": 2}],
                title="−Σᵢ log p(yᵢ|xᵢ, ω) = Σᵢ[−yᵢ log μᵢ − (1 − yᵢ) log(1 − μᵢ)] with p(1|x) = "
                "μ, p(0|x) = 1 − μ (every labelling)"),
)


# ----- Gradient library (derivations.gradients.classification): the functions' conventions -----
# Python where the claim needs labels as classes (an entry picked by yᵢ, one-hot rows of them),
# ignored rows, or the hinge's labels ±1.

LIB = Section("standard", symbols=LOGISTIC + ", z: vector(c), m: scalar, g: vector(c)")


CLAIMS += (
    # mean binary cross-entropy, −(1/N)Σᵢ[yᵢ log σ(uᵢ) + (1 − yᵢ) log(1 − σ(uᵢ))]
    #   = (1/N)Σᵢ[log(1 + e^{uᵢ}) − yᵢuᵢ],  u = Xθ (the overflow-free form)
    LIB.claim("logistic_cross_entropy_loss", f"-({LOGLIK}) / N",
              "sum(log(1 + exp(X @ theta)) - y * (X @ theta)) / N",
              sizes=[{"N": 2, "m": 2}, {"N": 3, "m": 2}],
              title="−(1/N)Σᵢ[yᵢ log σ(uᵢ) + (1 − yᵢ) log(1 − σ(uᵢ))] = (1/N)Σᵢ[log(1 + e^{uᵢ}) − "
              "yᵢuᵢ], u = Xθ",
              implementation=f"{GRAD}.logistic_loss", impl_args=lambda v: (v.X, v.y, v.theta)),
    # (1/2N)(hᵀh − 2hᵀy + yᵀy) = (1/2N)‖σ(Xθ) − y‖², the mean of note 001's ½(h − y)²
    LIB.claim("logistic_mse_loss", f"({H}.T @ {H} - 2 * {H}.T @ y + y.T @ y) / (2 * N)",
              f"norm({H} - y) ** 2 / (2 * N)",
              title="(1/2N)(hᵀh − 2hᵀy + yᵀy) = (1/2N)‖σ(Xθ) − y‖², h = σ(Xθ)",
              implementation=f"{GRAD}.logistic_mse_loss", impl_args=lambda v: (v.X, v.y, v.theta)),
    # the perceptron loss, a sum over samples, as note 001 defines it and as the library
    # evaluates it: Σ_{M₀} xᶦθ − Σ_{M₁} xᶦθ = Σᵢ(hᵢ − yᵢ)xᶦθ, h = 1[Xθ ≥ 0], M₀ = {y = 0, h = 1}
    # and M₁ = {y = 1, h = 0} the misclassified samples
    LIB.claim("perceptron_loss",
              f"((1 - y) * {STEP_H} - y * (1 - {STEP_H})).T @ {SCORES_X}",
              f"({STEP_H} - y).T @ {SCORES_X}", assume=BINARY,
              sizes=[{"N": 2, "m": 2}, {"N": 2, "m": 3}],
              title="Σ_{M₀} xᶦθ − Σ_{M₁} xᶦθ = Σᵢ(1[xᶦθ ≥ 0] − yᵢ)xᶦθ, a sum (every labelling)",
              implementation=f"{GRAD}.perceptron_loss", impl_args=lambda v: (v.X, v.y, v.theta)),
    # softmax is unchanged by a shift of every score: e^{z − m}/Σₖe^{zₖ − m} = softmax(z)
    # (the library subtracts m = max z so no exponent is positive)
    LIB.claim("softmax_shift_invariance", "exp(z - m) / sum(exp(z - m))", "softmax(z)",
              sizes=[{"c": 2}, {"c": 3}], title="e^{z − m}/Σₖ e^{zₖ − m} = softmax(z) for every m",
              implementation=f"{GRAD}.softmax", impl_args=lambda v: (v.z,)),
    # log S(z)ⱼ = zⱼ − log Σₖ e^{zₖ}
    LIB.claim("log_softmax", "log(softmax(z))", "log_softmax(z)", sizes=[{"c": 2}, {"c": 3}],
              title="log softmax(z)ⱼ = zⱼ − log Σₖ e^{zₖ}",
              implementation=f"{GRAD}.log_softmax", impl_args=lambda v: (v.z,)),
    # mean cross-entropy of logits Z (N × c) and labels given as one-hot rows Y:
    # −(1/N)Σᵢ log S(zᵢ)_{yᵢ} = (1/N)Σᵢ[log Σₖ e^{zᵢₖ} − zᵢ,yᵢ]
    ONEHOT.claim("softmax_cross_entropy", "-sum(Y * log(softmax(Z))) / N", NLL_Z,
                 assume=LABELLED, sizes=[{"N": 2, "c": 3}],
                 title="−(1/N)Σᵢ log softmax(zᵢ)_{yᵢ} = (1/N)Σᵢ[log Σₖ e^{zᵢₖ} − zᵢ,yᵢ] (labels as "
                 "one-hot rows)",
                 implementation=f"{GRAD}.softmax_cross_entropy",
                 impl_args=lambda v: (v.Z, _classes(v.Y))),
    # ∂/∂Z of that mean: (softmax(Z) − Y)/N, Y the one-hot rows of the labels
    ONEHOT.claim("softmax_cross_entropy_logit_gradient", f"grad({NLL_Z}, Z)",
                 "(softmax(Z) - Y) / N", assume=LABELLED, sizes=[{"N": 2, "c": 3}],
                 title="∂/∂Z −(1/N)Σᵢ log softmax(zᵢ)_{yᵢ} = (softmax(Z) − Y)/N, Y one-hot",
                 implementation=f"{GRAD}.softmax_cross_entropy_grad",
                 impl_args=lambda v: (v.Z, _classes(v.Y))),
    # softmax regression's loss: the mean cross-entropy of the scores XW (X N × m, W m × c)
    ONEHOT.claim("softmax_regression_loss", "-sum(Y * log(softmax(X @ W))) / N",
                 "sum(logsumexp(X @ W, axis=1) - sum(Y * (X @ W), axis=1)) / N",
                 assume=LABELLED, sizes=[{"N": 2, "m": 2, "c": 3}],
                 title="−(1/N)Σᵢ log softmax(xᶦW)_{yᵢ} = (1/N)Σᵢ[log Σₖ e^{(XW)ᵢₖ} − (XW)ᵢ,yᵢ] "
                 "(labels as one-hot rows)",
                 implementation=f"{GRAD}.softmax_regression_loss",
                 impl_args=lambda v: (v.X, v.W, _classes(v.Y))),
)


# ----- Gradient library: softmax VJPs, the general cross-entropy, the hinge loss -----

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

VJP = Section("standard", symbols="z: vector(n), g: vector(n)")
XENT_LIB = Section("standard", symbols="Z: matrix(3, 3), a: vector(3), eps: scalar, "
                                       "y1: index(3), y2: index(3)")
HINGE = Section("standard", symbols="s: vector(N), y: vector(N)")
MARGIN = "(1 - (2 * y - 1) * s)"  # 1 − yᵢsᵢ with the labels ±1 written 2y − 1, y ∈ {0, 1}


def _hinge_args(v):
    """The library's labels ±1."""
    return (v.s, 2 * v.y - 1)


CLAIMS += (
    # softmax's vector-Jacobian product: ∇_z Σᵢ gᵢ S(z)ᵢ = s ⊙ (g − ⟨g, s⟩1), s = S(z)
    VJP.claim("softmax_vjp", "grad(g.T @ softmax(z), z)", "softmax(z) * (g - g.T @ softmax(z))",
              sizes=[{"n": 2}, {"n": 3}],
              title="∇_z gᵀsoftmax(z) = s ⊙ (g − (gᵀs)1), s = softmax(z): softmax's backward pass",
              implementation=f"{GRAD}.softmax_vjp",
              impl_args=lambda v: (v.g, np.exp(v.z) / np.exp(v.z).sum())),
    # log-softmax's: ∇_z Σᵢ gᵢ log S(z)ᵢ = g − s Σᵢ gᵢ
    VJP.claim("log_softmax_vjp", "grad(g.T @ log_softmax(z), z)", "g - sum(g) * softmax(z)",
              sizes=[{"n": 2}, {"n": 3}],
              title="∇_z gᵀlog softmax(z) = g − softmax(z)·Σᵢgᵢ: log-softmax's backward pass",
              implementation=f"{GRAD}.log_softmax_vjp",
              impl_args=lambda v: (v.g, v.z - np.log(np.exp(v.z).sum()))),
    # torch's weighted, smoothed cross-entropy (class indices, one row ignored) is one sum over
    # smoothed targets: Σᵢ −Σ_c w_c T̃ᵢ_c log pᵢ_c / Σᵢ w_{yᵢ}.  Python: an ignored row.
    XENT_LIB.claim(
        "cross_entropy_weighted_smoothed_loss",
        lambda s: _xent_index_torch(s.Z, _labels(s, 2), ops.exp(s.a), s.eps),
        lambda s: (_total(_soft_xent_rows(s.Z[:2, :], _smoothed(_labels(s, 2), 3, s.eps),
                                          ops.exp(s.a)))
                   / _total(ops.exp(s.a)[yi] for yi in _labels(s, 2))),
        assume=["eps in (0, 1)"],
        title="(1 − ε)Σw_y nll/Σw_y + (ε/C)Σ(−Σ_c w_c log p_c)/Σw_y = Σᵢ −Σ_c w_c T̃ᵢ_c log pᵢ_c"
        "/Σw_y, T̃ = (1 − ε)one-hot + ε/C; an ignore_index row drops out (N = 2 + 1, C = 3)",
        implementation=f"{GRAD}.cross_entropy",
        impl_args=lambda v: (v.Z, _labels_ignored(v), np.exp(v.a), -100, v.eps),
    ),
    # … and its gradient in the logits: (1/Σw_y)((Σ_c w_c T̃ᵢ_c) pᵢ − w ⊙ T̃ᵢ), 0 on ignored rows
    XENT_LIB.claim(
        "cross_entropy_weighted_smoothed_gradient",
        lambda s: _xent_index_torch(s.Z, _labels(s, 2), ops.exp(s.a), s.eps),
        lambda s: _xent_grad_rows(s.Z, _smoothed(_labels(s, 2), 3, s.eps), ops.exp(s.a), 2,
                                  _total(ops.exp(s.a)[yi] for yi in _labels(s, 2))),
        wrt="Z", assume=["eps in (0, 1)"],
        title="∂/∂Z of the weighted, smoothed cross-entropy = ((Σ_c w_c T̃ᵢ_c)softmax(zᵢ) − "
        "w ⊙ T̃ᵢ)/Σw_y per row, 0 on an ignored row (N = 2 + 1, C = 3)",
        implementation=f"{GRAD}.cross_entropy_grad",
        impl_args=lambda v: (v.Z, _labels_ignored(v), np.exp(v.a), -100, v.eps),
    ),
    # soft targets T (any N × C matrix), weights, smoothing: mean over rows
    XENT_LIB.claim(
        "cross_entropy_soft_target_gradient",
        lambda s: _total(_soft_xent_rows(s.Z, (1 - s.eps) * s.T + s.eps / 3 * ops.ones(2, 3),
                                         s.w)) / 2,
        lambda s: _xent_grad_rows(s.Z, (1 - s.eps) * s.T + s.eps / 3 * ops.ones(2, 3), s.w, 2, 2),
        wrt="Z", assume=["eps in (0, 1)"],
        symbols="Z: matrix(2, 3), T: matrix(2, 3), w: vector(3)", uses="Z, T, w, eps",
        title="∇_Z (1/N)Σᵢ −Σ_c w_c T̃ᵢ_c log softmax(zᵢ)_c = ((Σ_c w_c T̃ᵢ_c)softmax(zᵢ) − "
        "w ⊙ T̃ᵢ)/N, T̃ = (1 − ε)T + ε/C (N = 2, C = 3)",
        implementation=f"{GRAD}.cross_entropy_grad",
        impl_args=lambda v: (v.Z, v.T, v.w, -100, v.eps),
    ),
    # hinge loss, labels ±1 written 2y − 1 with y ∈ {0, 1}: (1/N)Σ max(0, 1 − yᵢsᵢ)
    HINGE.claim("hinge_loss_via_abs", f"sum(relu({MARGIN})) / N",
                f"sum(({MARGIN} + abs({MARGIN})) / 2) / N",
                assume=["y binary"], sizes=[{"N": 2}],
                title="(1/N)Σᵢ max(0, 1 − yᵢsᵢ) = (1/N)Σᵢ (mᵢ + |mᵢ|)/2, mᵢ = 1 − yᵢsᵢ, yᵢ = ±1",
                implementation=f"{GRAD}.hinge_loss", impl_args=_hinge_args),
    # its gradient: −yᵢ 1[yᵢsᵢ < 1]/N (away from the kink yᵢsᵢ = 1)
    HINGE.claim("hinge_loss_subgradient", f"grad(sum(relu({MARGIN})) / N, s)",
                "-(2 * y - 1) * ((2 * y - 1) * s < 1) / N", assume=["y binary"],
                sizes=[{"N": 2}],
                title="∇_s (1/N)Σᵢ max(0, 1 − yᵢsᵢ) = −y ⊙ 1[y ⊙ s < 1]/N, y = ±1 (away from "
                "kinks)",
                implementation=f"{GRAD}.hinge_grad", impl_args=_hinge_args),
)


# ----- Gradient library: binary cross-entropy of logits with weights (as in PyTorch) -----
# torch's binary_cross_entropy_with_logits(z, y, weight=w, pos_weight=q), mean over N entries:
# ℓᵢ = −wᵢ[qᵢyᵢ log σ(zᵢ) + (1 − yᵢ) log(1 − σ(zᵢ))], q the weight of the positive term.

BCE_LOGITS = Section("standard", symbols="z: vector(N), y: vector(N), w: vector(N), q: vector(N)")
_BCE = "-sum(w * (q * y * log(sigmoid(z)) + (1 - y) * log(1 - sigmoid(z)))) / N"

CLAIMS += (
    # −log σ(z) = log(1 + e^{−z}) and −log(1 − σ(z)) = z + log(1 + e^{−z}): torch's form
    BCE_LOGITS.claim(
        "bce_with_logits_stable_form", _BCE,
        "sum(w * ((1 - y) * z + (1 + (q - 1) * y) * log(1 + exp(-z)))) / N",
        title="−(1/N)Σ wᵢ[qᵢyᵢ log σ(zᵢ) + (1 − yᵢ) log(1 − σ(zᵢ))] = (1/N)Σ wᵢ[(1 − yᵢ)zᵢ + "
        "(1 + (qᵢ − 1)yᵢ) log(1 + e^{−zᵢ})] (torch's binary_cross_entropy_with_logits)",
        implementation=f"{GRAD}.binary_cross_entropy_with_logits",
        impl_args=lambda v: (v.z, v.y, v.w), impl_kwargs=lambda v: {"pos_weight": v.q}),
    # its gradient: wᵢ((qᵢyᵢ + 1 − yᵢ)σ(zᵢ) − qᵢyᵢ)/N (σ(z) − y with w = q = 1)
    BCE_LOGITS.claim(
        "bce_with_logits_gradient", f"grad({_BCE}, z)",
        "w * ((q * y + 1 - y) * sigmoid(z) - q * y) / N",
        title="∇_z of the weighted binary cross-entropy of logits with pos_weight q = "
        "w ⊙ ((q ⊙ y + 1 − y) ⊙ σ(z) − q ⊙ y)/N",
        implementation=f"{GRAD}.binary_cross_entropy_with_logits_grad",
        impl_args=lambda v: (v.z, v.y, v.w), impl_kwargs=lambda v: {"pos_weight": v.q}),
)


# ----- Gradient library: torch's nll_loss of log-probabilities, weighted, one row ignored -----
# L (3 × 3) holds log-probabilities (any reals: nll_loss reads them as given), rows 1 and 2
# labelled y1, y2, row 3 of ignore_index; class weights e^a (positive).

NLL_LIB = Section("standard", symbols="L: matrix(3, 3), a: vector(3), y1: index(3), "
                                      "y2: index(3)")


def _nll_picked(L, labels, w):
    """Σᵢ −w_{yᵢ} Lᵢ,yᵢ / Σᵢ w_{yᵢ} over the labelled rows: torch's weighted mean."""
    return (_total(-w[yi] * L[i, yi] for i, yi in enumerate(labels))
            / _total(w[yi] for yi in labels))


def _nll_one_hot(L, labels, w):
    """The same sum written with one-hot rows over every class: Σᵢ Σ_c −w_c Tᵢ_c Lᵢ_c /
    Σᵢ Σ_c w_c Tᵢ_c, T = one-hot(y)."""
    c = L.shape[1]
    onehot = [[1 if k == yi else 0 for k in range(c)] for yi in labels]
    num = _total(-w[k] * onehot[i][k] * L[i, k] for i in range(len(labels)) for k in range(c))
    return num / _total(w[k] * onehot[i][k] for i in range(len(labels)) for k in range(c))


def _nll_grad_matrix(L, labels, w):
    """−w_{yᵢ}/Σⱼ w_{yⱼ} at (i, yᵢ) of each labelled row, 0 elsewhere and on the ignored row."""
    norm = _total(w[yi] for yi in labels)
    return ops.matrix([[-w[k] / norm if i < len(labels) and k == labels[i] else 0
                        for k in range(L.shape[1])] for i in range(L.shape[0])])


CLAIMS += (
    NLL_LIB.claim(
        "nll_loss_weighted_ignored",
        lambda s: _nll_picked(s.L, _labels(s, 2), ops.exp(s.a)),
        lambda s: _nll_one_hot(s.L, _labels(s, 2), ops.exp(s.a)),
        title="Σᵢ −w_{yᵢ}Lᵢ,yᵢ/Σᵢ w_{yᵢ} = Σᵢ Σ_c −w_c Tᵢ_c Lᵢ_c/Σᵢ Σ_c w_c Tᵢ_c, T one-hot: "
        "torch's weighted nll_loss; an ignore_index row drops out (N = 2 + 1, C = 3)",
        implementation=f"{GRAD}.nll_loss",
        impl_args=lambda v: (v.L, _labels_ignored(v), np.exp(v.a)),
    ),
    NLL_LIB.claim(
        "nll_loss_gradient",
        lambda s: _nll_picked(s.L, _labels(s, 2), ops.exp(s.a)),
        lambda s: _nll_grad_matrix(s.L, _labels(s, 2), ops.exp(s.a)),
        wrt="L",
        title="∂/∂L of torch's weighted nll_loss = −w_{yᵢ}/Σⱼ w_{yⱼ} at (i, yᵢ), 0 elsewhere and "
        "on an ignored row (N = 2 + 1, C = 3)",
        implementation=f"{GRAD}.nll_loss_grad",
        impl_args=lambda v: (v.L, _labels_ignored(v), np.exp(v.a)),
    ),
)


# torch's binary_cross_entropy of probabilities p ∈ (0, 1) (away from torch's clamps at
# log = −100 and p(1 − p) = 1e-12), weighted, mean over N entries
BCE_PROBS = Section("standard", symbols="p: vector(N), y: vector(N), w: vector(N)")
_BCE_P = "-sum(w * (y * log(p) + (1 - y) * log(1 - p))) / N"

CLAIMS += (
    BCE_PROBS.claim(
        "bce_probabilities_loss", _BCE_P,
        "sum(w * (y * (log(1 - p) - log(p)) - log(1 - p))) / N",
        assume=["p in (0, 1)", "y in [0, 1]"],  # torch refuses a target outside [0, 1]
        title="−(1/N)Σ wᵢ[yᵢ log pᵢ + (1 − yᵢ) log(1 − pᵢ)] = (1/N)Σ wᵢ[yᵢ log((1 − pᵢ)/pᵢ) − "
        "log(1 − pᵢ)] (torch's binary_cross_entropy, p ∈ (0, 1))",
        implementation=f"{GRAD}.binary_cross_entropy", impl_args=lambda v: (v.p, v.y, v.w)),
    BCE_PROBS.claim(
        "bce_probabilities_gradient", f"grad({_BCE_P}, p)",
        "w * (p - y) / (p * (1 - p)) / N", assume=["p in (0, 1)", "y in [0, 1]"],
        title="∇_p of the weighted binary cross-entropy of probabilities = w ⊙ (p − y) / "
        "(p ⊙ (1 − p)) / N",
        implementation=f"{GRAD}.binary_cross_entropy_grad", impl_args=lambda v: (v.p, v.y, v.w)),
)
