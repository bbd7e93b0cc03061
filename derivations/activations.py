"""Activations: sigmoid, tanh, ReLU, LeakyReLU, their derivatives and the sizes of their gradients.

Note 002 §1.1 writes the logistic function (calling it "Softmax"); §3 lists the four
activations and says the sigmoid's gradient "is very small most of the time" while the
LeakyReLU's "neither vanishes nor explodes".  The derivative claims differentiate the
function *as the note writes it* (σ as 1/(1 + e^{−z}), tanh as a ratio of exponentials), so
SymPy does the calculus, not a rule built into the engine.  Vector claims are element-wise:
the gradient of Σᵢ gᵢ f(zᵢ) (g an arbitrary upstream gradient) is f'(z) ⊙ g.
"""

from __future__ import annotations

from derivations import note
from derivations.section import Section

SIG = "1 / (1 + exp(-z))"  # σ(z) as note 002 writes it
TANH = "(exp(z) - exp(-z)) / (exp(z) + exp(-z))"  # tanh(z) as note 002 writes it
DSIG = f"grad({SIG}, z)"  # σ'(z), differentiated by SymPy (z a scalar)
SRC_3 = note("002", "Vanishing or Exploding Gradient")
GRAD = "derivations.gradients.activations"


def _sp():
    import sympy

    return sympy


def _sig(t):
    """σ(t) = 1/(1 + e^{−t}), spelled out as the note writes it."""
    import sympy as sp

    return 1 / (1 + sp.exp(-t))


def _dsig(t):
    """σ'(t), differentiated by SymPy from the written form, at the point t."""
    import sympy as sp

    x = sp.Dummy("x", real=True)
    return sp.diff(_sig(x), x).subs(x, t)


# ----- Note 002: Vanishing or Exploding Gradient -----
# Sigmoid σ(z) = 1/(1 + e^{−z}); Tanh σ(z) = (e^z − e^{−z})/(e^z + e^{−z}) (the note reuses σ);
# ReLU(z) = z (z > 0), 0 otherwise; LeakyReLU(z) = z (z > 0), az otherwise.  The note defines
# the four functions and says how large their gradients are; the derivative formulas
# themselves are standard.

VEC = Section(SRC_3, symbols="z: vector(n), g: vector(n), a: scalar")
ONE = Section(SRC_3, symbols="z: scalar, a: scalar")

CLAIMS = (
    # σ'(z) = σ(z)(1 − σ(z)), element-wise
    VEC.claim("sigmoid_derivative", f"grad(g.T @ ({SIG}), z)", f"{SIG} * (1 - {SIG}) * g",
              sizes=[{"n": 2}, {"n": 3}],
              source="standard",
              title="∇_z Σ gᵢσ(zᵢ) = σ(z) ⊙ (1 − σ(z)) ⊙ g, σ written as 1/(1 + e^{−z})"),
    # Tanh: σ(z) = (e^z − e^{−z})/(e^z + e^{−z})  (the note reuses the name σ for tanh)
    VEC.claim("tanh_as_written", TANH, "tanh(z)", sizes=[{"n": 2}],
              title="(e^z − e^{−z})/(e^z + e^{−z}) = tanh z, element-wise (the note calls it σ "
              "too)"),
    # tanh'(z) = 1 − tanh²(z), element-wise
    VEC.claim("tanh_derivative", f"grad(g.T @ ({TANH}), z)", "(1 - tanh(z) ** 2) * g",
              sizes=[{"n": 2}, {"n": 3}],
              source="standard",
              title="∇_z Σ gᵢ tanh(zᵢ) = (1 − tanh²z) ⊙ g, tanh as the note writes it"),
    # tanh(z) = 2σ(2z) − 1
    ONE.claim("tanh_via_sigmoid", "tanh(z)", "2 / (1 + exp(-2 * z)) - 1", source="standard",
              title="tanh z = 2σ(2z) − 1"),
    # tanh'(z) = 4σ'(2z) = 4σ(2z)(1 − σ(2z)): tanh's gradient is at most 1, four times the
    # sigmoid's 1/4
    ONE.claim("tanh_derivative_via_sigmoid", f"grad({TANH}, z)",
              "4 / (1 + exp(-2 * z)) * (1 - 1 / (1 + exp(-2 * z)))", source="standard",
              title="tanh'(z) = 4σ'(2z)"),
    # ReLU'(z) = 1[z > 0]  (z ≠ 0)
    VEC.claim("relu_derivative", "grad(g.T @ relu(z), z)", "(z > 0) * g",
              source="standard",
              title="∇_z Σ gᵢ ReLU(zᵢ) = 1[z > 0] ⊙ g (away from the kink z = 0)"),
    # LeakyReLU'(z) = 1 (z > 0), a (z < 0)
    VEC.claim("leaky_relu_derivative", "grad(g.T @ leaky_relu(z, a), z)",
              "((z > 0) + a * (z <= 0)) * g",
              source="standard",
              title="∇_z Σ gᵢ LeakyReLU(zᵢ) = (1 if z > 0 else a) ⊙ g (away from z = 0)"),
    # "the gradient of the Sigmoid is very small": its largest value is σ'(0) = 1/4 …
    # (Python: a derivative evaluated at a point)
    ONE.claim("sigmoid_derivative_at_zero", lambda s: _dsig(0), "1/4", uses="z",
              title="σ'(0) = 1/4"),
    # … and nothing is larger: 1/4 − σ'(z) = (σ(z) − 1/2)² ≥ 0
    ONE.claim("sigmoid_derivative_max_certificate", f"1/4 - {DSIG}", f"({SIG} - 1/2) ** 2",
              title="1/4 − σ'(z) = (σ(z) − 1/2)², so σ'(z) ≤ 1/4 with equality only at z = 0"),
    # σ' is even: σ'(−z) = σ'(z), so a bound for z > 0 is a bound in |z|
    # (Python: the derivative evaluated at −z)
    ONE.claim("sigmoid_derivative_even", lambda s: _dsig(-s.z), DSIG, source="standard",
              uses="z", title="σ'(−z) = σ'(z)"),
    # "very small most of the time", the decidable part: σ'(z) < e^{−|z|} because
    # e^{−z} − σ'(z) = e^{−2z}(2 + e^{−z})/(1 + e^{−z})², every factor positive
    ONE.claim("sigmoid_derivative_exp_certificate", f"exp(-z) - {DSIG}",
              "exp(-2 * z) * (2 + exp(-z)) / (1 + exp(-z)) ** 2",
              title="e^{−z} − σ'(z) = e^{−2z}(2 + e^{−z})/(1 + e^{−z})² > 0, so σ'(z) < e^{−|z|}"),
    # … and e^{−3} < 1/10, so σ'(z) < 1/10 whenever |z| > 3 (SymPy compares the exact numbers)
    ONE.claim("sigmoid_derivative_small_beyond_three", "max(exp(-3), 1/10)", "1/10",
              title="max(e^{−3}, 1/10) = 1/10: with the certificate above, σ'(z) < 1/10 for "
              "|z| > 3"),
    # ReLU'(z) ∈ {0, 1}: it does not explode, but it is 0 for z < 0 ("some neurons may not be
    # activated"): d(d − 1) = 0 for d = ReLU'(z)
    ONE.claim("relu_derivative_values", "grad(relu(z), z) * (grad(relu(z), z) - 1)", "0",
              title="ReLU'(z) ∈ {0, 1}: d(d − 1) = 0 with d = 1[z > 0]"),
    # "LeakyReLU: the gradient neither vanishes nor explodes": LeakyReLU'(z) ∈ {a, 1}
    ONE.claim("leaky_relu_derivative_values",
              "(grad(leaky_relu(z, a), z) - 1) * (grad(leaky_relu(z, a), z) - a)", "0",
              title="LeakyReLU'(z) ∈ {a, 1}: (d − 1)(d − a) = 0 (never 0 when a ≠ 0, "
              "never above max(1, |a|))"),
)

def _abs_gt(t):
    """|t| as a Piecewise on the condition t > 0."""
    return _sp().Piecewise((t, t > 0), (-t, True))


# ----- Gradient library (derivations.gradients.activations): the functions' conventions -----
# Each *_grad returns the element-wise derivative f'(z) itself (no upstream gradient): the
# gradient of Σᵢ f(zᵢ).  The forward functions are written through |z| to state them without
# the piecewise definitions they implement.

LIB = Section("standard", symbols="z: vector(n), a: scalar")

CLAIMS += (
    # ∇_z Σᵢ σ(zᵢ) = σ(z) ⊙ (1 − σ(z))
    LIB.claim("sigmoid_derivative_elementwise", f"grad(sum({SIG}), z)", f"{SIG} * (1 - {SIG})",
              sizes=[{"n": 2}, {"n": 3}],
              title="∇_z Σᵢ σ(zᵢ) = σ(z) ⊙ (1 − σ(z)), σ written as 1/(1 + e^{−z})",
              implementation=f"{GRAD}.sigmoid_grad", impl_args=lambda v: (v.z,)),
    # ∇_z Σᵢ tanh(zᵢ) = 1 − tanh²(z)
    LIB.claim("tanh_derivative_elementwise", f"grad(sum({TANH}), z)", "1 - tanh(z) ** 2",
              sizes=[{"n": 2}, {"n": 3}],
              title="∇_z Σᵢ tanh(zᵢ) = 1 − tanh²(z), tanh written as a ratio of exponentials",
              implementation=f"{GRAD}.tanh_grad", impl_args=lambda v: (v.z,)),
    # ReLU(z) = (z + |z|)/2
    LIB.claim("relu_via_abs", "(z + abs(z)) / 2", "relu(z)", sizes=[{"n": 2}, {"n": 3}],
              title="(z + |z|)/2 = ReLU(z), element-wise",
              implementation=f"{GRAD}.relu", impl_args=lambda v: (v.z,)),
    # ∇_z Σᵢ ReLU(zᵢ) = 1[z > 0] (away from z = 0)
    LIB.claim("relu_derivative_elementwise", "grad(sum(relu(z)), z)", "z > 0",
              sizes=[{"n": 2}, {"n": 3}],
              title="∇_z Σᵢ ReLU(zᵢ) = 1[z > 0] (away from the kink z = 0)",
              implementation=f"{GRAD}.relu_grad", impl_args=lambda v: (v.z,)),
    # LeakyReLU(z) = ((1 + a)z + (1 − a)|z|)/2
    # (Python left side: |z| as a Piecewise on LeakyReLU's own condition z > 0; with abs the
    # engine only checks the identity numerically, its zero test does not fold the two)
    LIB.claim("leaky_relu_via_abs",
              lambda s: s.z.applyfunc(lambda t: ((1 + s.a) * t + (1 - s.a) * _abs_gt(t)) / 2),
              "leaky_relu(z, a)",
              sizes=[{"n": 2}, {"n": 3}],
              title="((1 + a)z + (1 − a)|z|)/2 = LeakyReLU(z) (z if z > 0 else az), element-wise",
              implementation=f"{GRAD}.leaky_relu", impl_args=lambda v: (v.z, v.a)),
    # ∇_z Σᵢ LeakyReLU(zᵢ) = 1 where z > 0, a elsewhere (away from z = 0)
    LIB.claim("leaky_relu_derivative_elementwise", "grad(sum(leaky_relu(z, a)), z)",
              "(z > 0) + a * (z <= 0)", sizes=[{"n": 2}, {"n": 3}],
              title="∇_z Σᵢ LeakyReLU(zᵢ) = (1 if z > 0 else a), element-wise (away from z = 0)",
              implementation=f"{GRAD}.leaky_relu_grad", impl_args=lambda v: (v.z, v.a)),
)

# ----- Gradient library: GELU, SiLU, ELU and softplus (as in PyTorch) -----
# GELU's Φ needs erf, which the language has not: those two entries are Python builders.


def _erf(t):
    return _sp().erf(t)


def _normal_cdf(t):
    """Φ(t) = ½(1 + erf(t/√2)), the standard normal CDF."""
    return (1 + _erf(t / _sp().sqrt(2))) / 2


def _normal_pdf(t):
    import sympy as sp

    return sp.exp(-(t**2) / 2) / sp.sqrt(2 * sp.pi)


U = "sqrt(2 / pi) * (z + 0.044715 * z ** 3)"  # GELU's tanh approximation: its argument u
DU = "sqrt(2 / pi) * (1 + 3 * 0.044715 * z ** 2)"  # u'
ELU = "(z > 0) * z + (z <= 0) * alpha * (exp(z) - 1)"  # z if z > 0 else α(e^z − 1)
SCALAR = Section("standard", symbols="z: scalar, alpha: scalar")

CLAIMS += (
    # GELU(z) = z Φ(z) = z/2 + (z/2) erf(z/√2)
    SCALAR.claim("gelu_as_normal_cdf", lambda s: s.z * _normal_cdf(s.z),
                 lambda s: s.z / 2 + s.z * _erf(s.z / _sp().sqrt(2)) / 2, uses="z",
                 title="GELU(z) = zΦ(z), Φ(z) = ½(1 + erf(z/√2)): z/2 + (z/2)·erf(z/√2)",
                 implementation=f"{GRAD}.gelu"),
    # GELU'(z) = Φ(z) + z φ(z),  φ(z) = e^{−z²/2}/√(2π)
    SCALAR.claim("gelu_derivative", lambda s: s.z * _normal_cdf(s.z),
                 lambda s: _normal_cdf(s.z) + s.z * _normal_pdf(s.z), wrt="z", uses="z",
                 title="d/dz zΦ(z) = Φ(z) + z e^{−z²/2}/√(2π)",
                 implementation=f"{GRAD}.gelu_grad"),
    # tanh approximation: (z/2)(1 + tanh u) = z σ(2u),  u = √(2/π)(z + 0.044715 z³)
    SCALAR.claim("gelu_tanh_as_sigmoid", f"z / 2 * (1 + tanh({U}))", f"z / (1 + exp(-2 * {U}))",
                 title="(z/2)(1 + tanh u) = zσ(2u), u = √(2/π)(z + 0.044715z³) (GELU's tanh form)",
                 implementation=f"{GRAD}.gelu", impl_args=lambda v: (v.z, "tanh")),
    # d/dz zσ(2u) = s + 2z s(1 − s) u',  s = σ(2u)
    SCALAR.claim("gelu_tanh_derivative", f"grad(z * sigmoid(2 * {U}), z)",
                 f"sigmoid(2 * {U}) + 2 * z * sigmoid(2 * {U}) * (1 - sigmoid(2 * {U})) * {DU}",
                 title="d/dz zσ(2u) = s + 2zs(1 − s)u', s = σ(2u), u' = √(2/π)(1 + 3·0.044715z²)",
                 implementation=f"{GRAD}.gelu_grad", impl_args=lambda v: (v.z, "tanh")),
    # SiLU(z) = zσ(z) = z/(1 + e^{−z}): the engine's σ against the note's formula
    SCALAR.claim("silu_as_written", "z * sigmoid(z)", "z / (1 + exp(-z))",
                 title="SiLU(z) = zσ(z) = z/(1 + e^{−z})", implementation=f"{GRAD}.silu"),
    # SiLU'(z) = σ(z)(1 + z(1 − σ(z)))
    SCALAR.claim("silu_derivative", "grad(z / (1 + exp(-z)), z)", f"{SIG} * (1 + z * (1 - {SIG}))",
                 title="d/dz zσ(z) = σ(z)(1 + z(1 − σ(z))), σ written as 1/(1 + e^{−z})",
                 implementation=f"{GRAD}.silu_grad"),
    # ELU(z) = ReLU(z) + α(e^z − 1)·1[z ≤ 0]
    SCALAR.claim("elu_via_relu", ELU, "relu(z) + alpha * (exp(z) - 1) * (1 - (z > 0))",
                 title="ELU(z) (z if z > 0 else α(e^z − 1)) = ReLU(z) + α(e^z − 1)(1 − 1[z > 0])",
                 implementation=f"{GRAD}.elu"),
    # ELU'(z) = 1 (z > 0), αe^z (z < 0)
    SCALAR.claim("elu_derivative", f"grad({ELU}, z)", "(z > 0) + (z <= 0) * alpha * exp(z)",
                 title="ELU'(z) = 1 if z > 0 else αe^z (away from z = 0)",
                 implementation=f"{GRAD}.elu_grad"),
    # softplus(z) = log(1 + e^z) = −log σ(−z)
    SCALAR.claim("softplus_as_log_sigmoid", "-log(1 / (1 + exp(z)))", "log(1 + exp(z))",
                 title="−log σ(−z) = log(1 + e^z) = softplus(z), σ written as 1/(1 + e^{−z})",
                 implementation=f"{GRAD}.softplus"),
    # softplus'(z) = σ(z)
    SCALAR.claim("softplus_derivative", "grad(log(1 + exp(z)), z)", SIG,
                 title="d/dz log(1 + e^z) = σ(z) = 1/(1 + e^{−z})",
                 implementation=f"{GRAD}.softplus_grad"),
)

# ----- softplus with torch's β: (1/β) log(1 + e^{βz}), computed stably as z + (1/β)
# log(1 + e^{−βz}) for β > 0 -----
BETA = Section("standard", symbols="z: scalar, beta: scalar")

CLAIMS += (
    # log(1 + e^{βz}) = βz + log(1 + e^{−βz}): the form that does not overflow for βz ≫ 0
    BETA.claim("softplus_beta_stable", "log(1 + exp(beta * z)) / beta",
               "z + log(1 + exp(-beta * z)) / beta", assume=["beta positive"],
               title="(1/β) log(1 + e^{βz}) = z + (1/β) log(1 + e^{−βz}) (softplus with β, "
               "the form without overflow)",
               implementation=f"{GRAD}.softplus", impl_args=lambda v: (v.z, v.beta)),
    # d/dz (1/β) log(1 + e^{βz}) = σ(βz)
    BETA.claim("softplus_beta_derivative", "grad(log(1 + exp(beta * z)) / beta, z)",
               "1 / (1 + exp(-beta * z))", assume=["beta positive"],
               title="d/dz (1/β) log(1 + e^{βz}) = σ(βz) = 1/(1 + e^{−βz})",
               implementation=f"{GRAD}.softplus_grad", impl_args=lambda v: (v.z, v.beta)),
)
