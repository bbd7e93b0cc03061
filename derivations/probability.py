"""Probability: KL divergence, cross-entropy, maximum likelihood, Gaussian mixtures.

Also the small exact expectation algebra that the optimizer and normalisation claims use
(``expectation``): E of a polynomial in independent random variables with given moments.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from derivations import note
from derivations.section import Section
from verifier import ops


def expectation(expr: Any, moments: dict) -> Any:
    """E[expr] for a polynomial ``expr`` in independent random variables.

    ``moments`` maps each random variable x to (E x, E x², …); a monomial's expectation is
    the product of its factors' moments (independence).  Raises ``ValueError`` when a
    monomial needs a moment that is not given.
    """
    import sympy as sp

    rvs = list(moments)
    poly = sp.Poly(sp.expand(expr), *rvs)
    total = sp.Integer(0)
    for exps, coeff in poly.terms():
        term = coeff
        for x, k in zip(rvs, exps, strict=True):
            if k == 0:
                continue
            if k > len(moments[x]):
                raise ValueError(f"E[{x}^{k}] is needed but only {len(moments[x])} moments given")
            term *= moments[x][k - 1]
        total += term
    return total


# ----- helpers for the claims -----


def _sum(terms):
    import sympy as sp

    return sp.Add(*terms)


def _log(t):
    return ops.log(t)  # through ops: log of a non-positive number is undefined, not nan


def _kl(p, q):
    """KL(p, q) = Σ p (log p − log q), discrete."""
    return _sum(p[i] * (_log(p[i]) - _log(q[i])) for i in range(p.shape[0]))


def _cross_entropy(p, q):
    """H(p, q) = −Σ p log q."""
    return -_sum(p[i] * _log(q[i]) for i in range(p.shape[0]))


def _entropy(p):
    return -_sum(p[i] * _log(p[i]) for i in range(p.shape[0]))


def _samples(s, n):
    return [s[f"x{i + 1}"] for i in range(n)]


def _empirical(s, n):
    """p(c) = (1/n) Σᵢ 1[xᵢ = c] for c = 0..C−1: the empirical distribution of the samples."""
    import sympy as sp

    xs = _samples(s, n)
    return sp.Matrix([sp.Rational(sum(1 for x in xs if int(x) == c), n) for c in range(int(s.C))])




def _gauss(x, mu, sd):
    """𝒩(x; μ, sd²) in one dimension."""
    import sympy as sp

    return sp.exp(-((x - mu) ** 2) / (2 * sd**2)) / sp.sqrt(2 * sp.pi * sd**2)


def _integral(f, x):
    """∫ f dx over the real line."""
    import sympy as sp

    return sp.integrate(f, (x, -sp.oo, sp.oo))


def _x():
    import sympy as sp

    return sp.Symbol("x", real=True)


def _latent_expectation(phi, dens):
    """E_z[dens[z]] for z ~ MultiNom(φ) over 0..k−1, by sympy.stats."""
    import sympy as sp
    from sympy.stats import E, FiniteRV

    z = FiniteRV("z", {j: phi[j] for j in range(len(phi))})
    cases = [(dens[j], sp.Eq(z, j)) for j in range(len(dens) - 1)] + [(dens[-1], True)]
    return E(sp.Piecewise(*cases))


def _pi():
    import sympy as sp

    return sp.pi


def _entries(n, fn):
    import sympy as sp

    return sp.Matrix([fn(i) for i in range(int(n))])


SRC_11 = note("002", "Binary classification problem")
SRC_GMM = note("003", "Gaussian mixture model")

# ----- Note 002: Binary classification problem -----
# KL(p, q) = ∫ p(log p − log q); to minimise it over q_θ it suffices to minimise −∫ p log q_θ,
# "Maximum likelihood (cross entropy)": −Σ log p(yᵢ|xᵢ, ω) = Σ −yᵢ log μᵢ − (1 − yᵢ) log(1 − μᵢ)

KL = Section(SRC_11, symbols="p: vector(C), q: vector(C), theta: vector(C)")

CLAIMS = (
    # KL(p, q) = ∫ p (log p − log q) = −∫ p log q − (−∫ p log p): cross-entropy minus entropy
    KL.claim("kl_is_cross_entropy_minus_entropy", "p.T @ (log(p) - log(q))",
             "-p.T @ log(q) - (-p.T @ log(p))", assume=["p sums to 1", "q sums to 1"],
             title="KL(p, q) = Σp(log p − log q) = H(p, q) − H(p), discrete p, q"),
    # "to minimise (1.2) [over q_θ] it suffices to minimise −∫ p log q_θ": H(p) does not depend
    # on θ, so the gradients agree (q_θ = softmax θ, any model family would do)
    KL.claim("kl_gradient_is_cross_entropy_gradient",
             "grad(p.T @ (log(p) - log(softmax(theta))), theta)",
             "grad(-p.T @ log_softmax(theta), theta)", assume=["p sums to 1"],
             title="∇_θ KL(p, softmax θ) = ∇_θ (−Σ p log softmax θ)"),
    # … and that gradient is softmax θ − p, using Σ p = 1
    KL.claim("cross_entropy_gradient", "grad(-p.T @ log_softmax(theta), theta)",
             "softmax(theta) - p", assume=["p sums to 1"],
             title="∇_θ (−Σ p log softmax θ) = softmax θ − p when Σ p = 1"),
)

# "−∫ p log q_θ dx = −Σ_{xᵢ} log q_θ(xᵢ)", read with p the empirical distribution
# p = (1/N)Σᵢ δ_{xᵢ} of N samples over C values; q = softmax θ.  The reading as written (no
# 1/N) is a Python builder over N = 3 samples: the empirical distribution counts the samples
# equal to each value, and the labels pick entries.
EMPIRICAL = "theta: vector(C), x1: index(C), x2: index(C), x3: index(C)"

CLAIMS += (
    # (the N samples as one-hot rows S: p = the column means of S, log q(xᵢ) = S[i, :] log q)
    KL.claim("cross_entropy_empirical", "-(mean(S, axis=0) @ log_softmax(theta))",
             "-sum(S[i, :] @ log_softmax(theta), i) / N",
             symbols="S: matrix(N, C), i: index(N)", assume=["S one-hot"],
             sizes=[{"N": 3, "C": 2}, {"N": 3, "C": 3}],
             title="−Σₓ p(x) log q(x) = −(1/N)Σᵢ log q(xᵢ) for the empirical p = (1/N)Σᵢ δ_{xᵢ} of "
             "any N samples (S their one-hot rows), q = softmax θ"),
    # as written, without the 1/N
    KL.claim("cross_entropy_empirical_as_written",
             lambda s: -ops.sc(_empirical(s, 3).T @ ops.log_softmax(s.theta)),
             lambda s: -_sum(ops.log_softmax(s.theta)[int(x)] for x in _samples(s, 3)),
             symbols=EMPIRICAL, uses="theta, x1, x2, x3", sizes=[{"C": 2}, {"C": 3}],
             title="−Σₓ p(x) log q(x) = −Σᵢ log q(xᵢ) (as written, no 1/N), empirical p, N = 3",
             expect="fails", corrected="probability.cross_entropy_empirical"),
)

# maximum likelihood for a Bernoulli label: p(y|x, ω) = μ if y = 1, 1 − μ if y = 0 (the label
# picks it: yμ + (1 − y)(1 − μ), or μʸ(1 − μ)¹⁻ʸ), y ∈ {0, 1}
BERNOULLI = Section(SRC_11, symbols="y: scalar, mu: scalar, u: scalar")
SIG = "1 / (1 + exp(-u))"  # σ(u) as note 002 writes it

CLAIMS += (
    # −log p(y|x, ω) = −y log μ − (1 − y) log(1 − μ), p(y) = μʸ(1 − μ)¹⁻ʸ   (every y ∈ {0, 1})
    BERNOULLI.claim("bernoulli_negative_log_likelihood", "-log(mu ** y * (1 - mu) ** (1 - y))",
                    "-y * log(mu) - (1 - y) * log(1 - mu)", assume=["y binary", "mu in (0, 1)"],
                    title="−log p(y|x, ω) = −y log μ − (1 − y) log(1 − μ), p(1) = μ, p(0) = 1 − μ"),
    # −Σᵢ log p(yᵢ|xᵢ, ω) = Σᵢ −yᵢ log μᵢ − (1 − yᵢ) log(1 − μᵢ), μᵢ = σ(uᵢ), three samples
    BERNOULLI.claim("bernoulli_negative_log_likelihood_sum",
                    "-sum(log(y * sigmoid(u) + (1 - y) * (1 - sigmoid(u))))",
                    "sum(-y * log(sigmoid(u)) - (1 - y) * log(1 - sigmoid(u)))",
                    symbols="u: vector(N), y: vector(N)", assume=["y binary"], sizes=[{"N": 3}],
                    title="−Σᵢ log p(yᵢ|xᵢ, ω) = Σᵢ −yᵢ log μᵢ − (1 − yᵢ) log(1 − μᵢ), μ = σ(u)"),
    # minimising it: ∂/∂u [−y log σ(u) − (1 − y) log(1 − σ(u))] = σ(u) − y
    BERNOULLI.claim("bernoulli_nll_gradient",
                    f"grad(-y * log({SIG}) - (1 - y) * log(1 - {SIG}), u)", f"{SIG} - y",
                    assume=["y binary"],
                    title="∂/∂u [−y log σ(u) − (1 − y) log(1 − σ(u))] = σ(u) − y, y ∈ {0, 1}"),
)

# ----- Note 003: Gaussian mixture model -----
# z⁽ⁱ⁾ ∈ {1, …, k}, z⁽ⁱ⁾ ~ MultiNom(φ), φⱼ ≥ 0, Σⱼ φⱼ = 1; x⁽ⁱ⁾ drawn from Gaussian z⁽ⁱ⁾.
# That is all the section states; the mixture's responsibilities, moments and likelihood below
# are standard results.

GMM = Section(SRC_GMM, symbols="a: vector(k)")

CLAIMS += (
    # z ~ MultiNom(φ), φⱼ ≥ 0, Σⱼ φⱼ = 1: the softmax parametrisation φ = softmax(a) gives both
    GMM.claim("gmm_weights_sum_to_one", "sum(softmax(a))", "1",
              sizes=[{"k": 2}, {"k": 3}, {"k": 4}],
              title="Σⱼ φⱼ = 1 for φ = softmax(a) (and every φⱼ = e^{aⱼ}/Σe^{aₗ} > 0)"),
    # the latent-variable form p(x) = Σⱼ p(z = j) p(x|z = j): E over z ~ MultiNom(φ) of the
    # component density, computed by sympy.stats, is the mixture density.  Python: an
    # expectation over a finite random variable.
    GMM.claim(
        "gmm_latent_marginal",
        lambda s: _latent_expectation([s.phi1, 1 - s.phi1],
                                      [_gauss(s.x, s.mu1, s.s1), _gauss(s.x, s.mu2, s.s2)]),
        lambda s: s.phi1 * _gauss(s.x, s.mu1, s.s1) + (1 - s.phi1) * _gauss(s.x, s.mu2, s.s2),
        symbols="x: scalar, phi1: scalar, mu1: scalar, mu2: scalar, s1: scalar, s2: scalar",
        uses="x, phi1, mu1, mu2, s1, s2", assume=["phi1 in (0, 1)", "s1 positive", "s2 positive"],
        title="p(x) = E_{z∼MultiNom(φ)} 𝒩(x; μ_z, σ_z²) = Σⱼ φⱼ𝒩(x; μⱼ, σⱼ²), k = 2",
    ),
)

# 𝒩(x; μⱼ, σⱼ²) of a scalar x for every component j, σⱼ = e^{lⱼ} (a k-vector)
DENSITIES = "exp(-(x - mu) ** 2 / (2 * exp(2 * l))) / (exp(l) * sqrt(2 * pi))"
MIXTURE = Section("standard", symbols="phi: vector(k), mu: vector(k), l: vector(k), x: scalar")
TWO = "phi1: scalar, mu1: scalar, mu2: scalar, s1: scalar, s2: scalar"

CLAIMS += (
    # posterior responsibilities γⱼ = φⱼ𝒩ⱼ(x)/Σₗ φₗ𝒩ₗ(x) = p(z = j|x) sum to 1 over j
    MIXTURE.claim("gmm_responsibilities_sum_to_one",
                  f"sum(phi * {DENSITIES} / (phi.T @ {DENSITIES}))", "1",
                  assume=["phi sums to 1"], sizes=[{"k": 2}, {"k": 3}],
                  title="Σⱼ φⱼ𝒩(x; μⱼ, σⱼ²)/Σₗ φₗ𝒩(x; μₗ, σₗ²) = 1 (σⱼ = e^{lⱼ})"),
    # the mixture density integrates to 1 over ℝ (each component integrated by SymPy).
    # Python: integrals over ℝ.
    MIXTURE.claim(
        "gmm_density_integrates_to_one",
        lambda s: (s.phi1 * _integral(_gauss(_x(), s.mu1, s.s1), _x())
                   + (1 - s.phi1) * _integral(_gauss(_x(), s.mu2, s.s2), _x())),
        "1", symbols=TWO, uses=TWO, assume=["phi1 in (0, 1)", "s1 positive", "s2 positive"],
        title="∫ℝ φ𝒩(x; μ₁, σ₁²) + (1 − φ)𝒩(x; μ₂, σ₂²) dx = 1, symbolic μⱼ, σⱼ > 0",
    ),
    # its mean is Σⱼ φⱼμⱼ
    MIXTURE.claim(
        "gmm_mean",
        lambda s: (s.phi1 * _integral(_x() * _gauss(_x(), s.mu1, s.s1), _x())
                   + (1 - s.phi1) * _integral(_x() * _gauss(_x(), s.mu2, s.s2), _x())),
        "phi1 * mu1 + (1 - phi1) * mu2", symbols=TWO, uses=TWO,
        assume=["phi1 in (0, 1)", "s1 positive", "s2 positive"],
        title="∫ℝ x(φ𝒩(x; μ₁, σ₁²) + (1 − φ)𝒩(x; μ₂, σ₂²)) dx = φμ₁ + (1 − φ)μ₂",
    ),
)

# Python below: sums over samples and components of per-sample mixture densities (an N × k
# table the language cannot index).


def _gauss_log_sd(x, mu, l):
    """𝒩(x; μ, σ²) with σ = e^l, written e^{−(x − μ)²/(2e^{2l})}/(e^l√(2π)) (no √ of an
    exponential, which keeps the proofs fast)."""
    import sympy as sp

    return ops.exp(-((x - mu) ** 2) / (2 * ops.exp(2 * l))) / (ops.exp(l) * sp.sqrt(2 * sp.pi))


def _component(s, i, j):
    """φⱼ𝒩(xᵢ; μⱼ, σⱼ²), φ = softmax(a), σⱼ = e^{lⱼ}."""
    return ops.softmax(s.a)[j, 0] * _gauss_log_sd(s.x[i, 0], s.mu[j, 0], s.l[j, 0])


def _mixture_density(s, i):
    """Σⱼ φⱼ𝒩(xᵢ; μⱼ, σⱼ²), over any number k of components."""
    return ops.sum_over(s.k, lambda j: _component(s, i, j))


def _log_joint_shifted(s, i, j):
    """log φⱼ + log 𝒩(xᵢ; μⱼ, σⱼ²) + ½log 2π (the constant cancels in the responsibilities)."""
    return (ops.log_softmax(s.a)[j, 0] - (s.x[i, 0] - s.mu[j, 0]) ** 2
            / (2 * ops.exp(2 * s.l[j, 0])) - s.l[j, 0])


def _index():
    """A summation index for ops.index_prod (used only where N is symbolic)."""
    import sympy as sp

    return sp.Dummy("i", integer=True, nonnegative=True)


def _gmm_args(v):
    """The mixture's parameters as the library takes them: weights φ = softmax(a), K × 1 × 1
    covariances e^{2l}."""
    return (v.x[:, None], np.exp(v.a) / np.exp(v.a).sum(), v.mu[:, None],
            np.exp(2 * v.l)[:, None, None])


SAMPLES = Section("standard", symbols="x: vector(N), a: vector(k), mu: vector(k), l: vector(k), "
                                      "m: scalar")

CLAIMS += (
    # log-likelihood ℓ = Σᵢ log Σⱼ φⱼ𝒩(xᵢ; μⱼ, σⱼ²), computed stably as
    # Σᵢ LSEⱼ(log φⱼ + log 𝒩ⱼ(xᵢ)); the two agree because, sample by sample, the arguments
    # of the outer log agree (φ = softmax(a), σⱼ = e^{lⱼ}, two components, two samples)
    SAMPLES.claim(
        "gmm_log_likelihood",
        lambda s: ops.from_entries(s.N, 1, lambda i, _: ops.sum_over(
            s.k, lambda j: ops.softmax(s.a)[j, 0] * _gauss(s.x[i, 0], s.mu[j, 0],
                                                          ops.exp(s.l[j, 0])))),
        lambda s: ops.from_entries(s.N, 1, lambda i, _: ops.sum_over(s.k, lambda j: ops.exp(
            ops.log_softmax(s.a)[j, 0] - (s.x[i, 0] - s.mu[j, 0]) ** 2
            / (2 * ops.exp(2 * s.l[j, 0])) - s.l[j, 0] - _log(2 * _pi()) / 2))),
        uses="x, a, mu, l", sizes=[{"N": 2, "k": 2}],
        title="Σⱼ φⱼ𝒩(xᵢ; μⱼ, σⱼ²) = Σⱼ exp(log φⱼ − (xᵢ − μⱼ)²/(2σⱼ²) − log σⱼ − ½log 2π), "
        "each sample i (so ℓ = Σᵢ LSEⱼ(…))",
    ),
    # the stabilising shift: log Σⱼ e^{aⱼ} = m + log Σⱼ e^{aⱼ − m} for any m; exp is injective on
    # ℝ, so it is the identity of the exponentials: Σⱼ e^{aⱼ} = e^{m} Σⱼ e^{aⱼ − m}
    SAMPLES.claim("log_sum_exp_shift", "sum(exp(a))", "exp(m) * sum(exp(a - m))",
                  sizes=[{"k": 2}, {"k": 3}],
                  title="e^{LSE(a)} = e^{m + LSE(a − m)}, i.e. Σⱼ e^{aⱼ} = e^{m}Σⱼ e^{aⱼ − m}, "
                  "every m"),
    # ----- Gradient library (derivations.gradients.mixtures): the functions' conventions -----
    # One-dimensional data (d = 1) as an N × 1 array, φ = softmax(a), σⱼ = e^{lⱼ} (covariance
    # e^{2lⱼ}), so every sampled point is a valid mixture.
    # the log-likelihood of the sample is a total, not a mean:
    # log Πᵢ Σⱼ φⱼ𝒩(xᵢ; μⱼ, σⱼ²) = Σᵢ log Σⱼ φⱼ𝒩(xᵢ; μⱼ, σⱼ²)
    SAMPLES.claim(
        "gmm_total_log_likelihood",
        lambda s: _log(ops.index_prod(lambda i: _mixture_density(s, i), _index(), s.N)),
        lambda s: ops.sum_over(s.N, lambda i: _log(_mixture_density(s, i))),
        uses="x, a, mu, l", sizes=[{"N": 2, "k": 2}, {"N": 3, "k": 2}],
        title="log Πᵢ p(xᵢ) = Σᵢ log Σⱼ φⱼ𝒩(xᵢ; μⱼ, σⱼ²), the total (not mean) log-likelihood "
        "(φ = softmax(a), σⱼ = e^{lⱼ})",
        implementation="derivations.gradients.mixtures.gmm_log_likelihood", impl_args=_gmm_args,
    ),
    # responsibilities by Bayes, γᵢⱼ = φⱼ𝒩ⱼ(xᵢ)/Σₗ φₗ𝒩ₗ(xᵢ), equal the softmax over j of the
    # log joint log φⱼ + log 𝒩ⱼ(xᵢ) (what the library exponentiates after log-sum-exp)
    SAMPLES.claim(
        "gmm_responsibilities",
        lambda s: ops.from_entries(s.N, s.k, lambda i, j: _component(s, i, j)
                                   / _mixture_density(s, i)),
        lambda s: ops.softmax(ops.from_entries(s.N, s.k,
                                               lambda i, j: _log_joint_shifted(s, i, j))),
        uses="x, a, mu, l", sizes=[{"N": 2, "k": 2}],  # ~3 s; k = 3 takes twice as long
        title="γᵢⱼ = φⱼ𝒩(xᵢ; μⱼ, σⱼ²)/Σₗ φₗ𝒩(xᵢ; μₗ, σₗ²) = softmaxⱼ(log φⱼ + log 𝒩(xᵢ; μⱼ, "
        "σⱼ²)), an N × k matrix",
        implementation="derivations.gradients.mixtures.gmm_responsibilities", impl_args=_gmm_args,
    ),
)

# ----- Gradient library: the KL divergence between rows (as PyTorch's kl_div, batchmean) -----
# P = softmax(A) (rows of probabilities), L = log Q; means over the N = 2 rows

GRAD = "derivations.gradients.probability"
ROWS = Section("standard", symbols="A: matrix(2, 3), L: matrix(2, 3), Z: matrix(2, 3)")
KL_ROWS = "sum(softmax(A) * (log(softmax(A)) - L)) / 2"  # (1/N) Σᵢ Σ_c Pᵢ_c(log Pᵢ_c − Lᵢ_c)


def _row_probabilities(v):
    return np.exp(v.A) / np.exp(v.A).sum(axis=1, keepdims=True)


CLAIMS += (
    # KL(P ‖ Q) = H(P, Q) − H(P), averaged over rows
    ROWS.claim("kl_divergence_as_cross_entropy_minus_entropy",
               "(-sum(softmax(A) * L) + sum(softmax(A) * log(softmax(A)))) / 2", KL_ROWS,
               title="(1/N)Σᵢ[H(Pᵢ, Qᵢ) − H(Pᵢ)] = (1/N)Σᵢ Σ_c Pᵢ_c(log Pᵢ_c − log Qᵢ_c) (N = 2, "
               "C = 3)",
               implementation=f"{GRAD}.kl_divergence",
               impl_args=lambda v: (_row_probabilities(v), v.L)),
    # ∂KL/∂(log Q) = −P/N
    ROWS.claim("kl_divergence_gradient", f"grad({KL_ROWS}, L)", "-softmax(A) / 2",
               title="∇_L (1/N)Σ P(log P − L) = −P/N, L = log Q (N = 2, C = 3)",
               implementation=f"{GRAD}.kl_divergence_grad",
               impl_args=lambda v: (_row_probabilities(v), v.L)),
    # with L = log softmax(Z) and rows of P summing to 1: ∂KL/∂Z = (softmax(Z) − P)/N
    ROWS.claim("kl_divergence_logit_gradient",
               "grad(sum(softmax(A) * (log(softmax(A)) - log_softmax(Z))) / 2, Z)",
               "(softmax(Z) - softmax(A)) / 2",
               title="∇_Z (1/N)Σ P(log P − log softmax(Z)) = (softmax(Z) − P)/N for probability "
               "rows P (N = 2, C = 3)"),
)


# torch's other reductions and log_target: 'sum' and 'mean' (over the N·C entries), P given as
# log P (B = log_softmax(A)), and the VJP of the N × C terms ('none') with an upstream G
KL_TERMS = "softmax(A) * (log(softmax(A)) - L)"
KL_LOG_TARGET = "sum(exp(log_softmax(A)) * (log_softmax(A) - L)) / 2"

CLAIMS += (
    ROWS.claim("kl_divergence_mean_over_entries",
               "(-sum(softmax(A) * L) + sum(softmax(A) * log(softmax(A)))) / 6",
               f"sum({KL_TERMS}) / 6",
               title="(1/(NC))Σᵢ[H(Pᵢ, Qᵢ) − H(Pᵢ)] = (1/(NC))Σᵢ Σ_c Pᵢ_c(log Pᵢ_c − log Qᵢ_c): "
               "torch's kl_div reduction='mean' (N = 2, C = 3)",
               implementation=f"{GRAD}.kl_divergence",
               impl_args=lambda v: (_row_probabilities(v), v.L),
               impl_kwargs=lambda v: {"reduction": "mean"}),
    ROWS.claim("kl_divergence_log_target", KL_LOG_TARGET, f"{KL_ROWS}",
               title="(1/N)Σ e^{log P}(log P − L) = (1/N)Σ P(log P − L): torch's kl_div with "
               "log_target=True, P given as log P (N = 2, C = 3)",
               implementation=f"{GRAD}.kl_divergence",
               impl_args=lambda v: (np.log(_row_probabilities(v)), v.L),
               impl_kwargs=lambda v: {"log_target": True}),
    ROWS.claim("kl_divergence_log_target_gradient", f"grad({KL_LOG_TARGET}, L)",
               "-exp(log_softmax(A)) / 2",
               title="∇_L (1/N)Σ e^{log P}(log P − L) = −e^{log P}/N (log_target=True; N = 2, "
               "C = 3)",
               implementation=f"{GRAD}.kl_divergence_grad",
               impl_args=lambda v: (np.log(_row_probabilities(v)), v.L),
               impl_kwargs=lambda v: {"log_target": True}),
    ROWS.claim("kl_divergence_pointwise_vjp", f"grad(sum(G * {KL_TERMS}), L)",
               "-G * softmax(A)", symbols="G: matrix(2, 3)",
               title="∇_L Σ G ⊙ P ⊙ (log P − L) = −G ⊙ P: the VJP of torch's kl_div with "
               "reduction='none' (N = 2, C = 3)",
               implementation=f"{GRAD}.kl_divergence_grad",
               impl_args=lambda v: (_row_probabilities(v), v.L),
               impl_kwargs=lambda v: {"reduction": "none", "grad_output": v.G}),
)
