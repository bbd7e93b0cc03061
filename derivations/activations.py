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
from verifier import ops
from verifier.claim import make_claim

sc, hadamard = ops.sc, ops.hadamard


def _map(x, fn):
    """fn applied entry by entry (explicit matrices and scalars; no general-size form)."""
    import sympy as sp

    if isinstance(x, sp.MatrixBase):
        return x.applyfunc(fn)
    if isinstance(x, sp.MatrixExpr):
        raise ops.GeneralFormUnavailable("element-wise function of a general-size vector")
    return fn(x)


def _sig(t):
    """σ(t) = 1/(1 + e^{−t}), spelled out as the note writes it."""
    import sympy as sp

    return 1 / (1 + sp.exp(-t))


def _tanh_written(t):
    """(e^t − e^{−t})/(e^t + e^{−t}), note 002's formula for tanh."""
    import sympy as sp

    return (sp.exp(t) - sp.exp(-t)) / (sp.exp(t) + sp.exp(-t))


def _dsig(t):
    """σ'(t), differentiated by SymPy from the written form."""
    import sympy as sp

    x = sp.Dummy("x", real=True)
    return sp.diff(_sig(x), x).subs(x, t)


def _piecewise(t, pos, other):
    import sympy as sp

    return sp.Piecewise((pos, t > 0), (other, True))


def _relu_slope(t):
    return _piecewise(t, 1, 0)


def _leaky_slope(t, a):
    return _piecewise(t, 1, a)


def _q(p, q):
    """The exact rational p/q (a Python 1/4 would be a float)."""
    import sympy as sp

    return sp.Rational(p, q)


def _max(*args):
    import sympy as sp

    return sp.Max(*args)


def _exp(t):
    import sympy as sp

    return sp.exp(t)


def _tanh(t):
    import sympy as sp

    return sp.tanh(t)


SRC_11 = note("002", "Binary classification problem")
SRC_3 = note("002", "Vanishing or Exploding Gradient")

CLAIMS = (
    # ----- Note 002: Binary classification problem -----
    # ----- Note 002: Vanishing or Exploding Gradient -----
    # σ(z) = 1/(1 + e^{−z});  σ'(z) = σ(z)(1 − σ(z)), element-wise
    make_claim(
        "activations.sigmoid_derivative",
        title="∇_z Σ gᵢσ(zᵢ) = σ(z) ⊙ (1 − σ(z)) ⊙ g, σ written as 1/(1 + e^{−z})",
        source=SRC_3,
        symbols="z: vector(n), g: vector(n)",
        kind="gradient",
        f=lambda s: sc(s.g.T @ _map(s.z, _sig)),
        wrt="z",
        rhs=lambda s: hadamard(_map(s.z, lambda t: _sig(t) * (1 - _sig(t))), s.g),
        sizes=[{"n": 2}, {"n": 3}],
    ),
    # Tanh: σ(z) = (e^z − e^{−z})/(e^z + e^{−z})  (the note reuses the name σ for tanh)
    make_claim(
        "activations.tanh_as_written",
        title="(e^z − e^{−z})/(e^z + e^{−z}) = tanh z, element-wise (the note calls it σ too)",
        source=SRC_3,
        symbols="z: vector(n)",
        lhs=lambda s: _map(s.z, _tanh_written),
        rhs=lambda s: ops.tanh(s.z),
        sizes=[{"n": 2}],
    ),
    # tanh'(z) = 1 − tanh²(z), element-wise
    make_claim(
        "activations.tanh_derivative",
        title="∇_z Σ gᵢ tanh(zᵢ) = (1 − tanh²z) ⊙ g, tanh as the note writes it",
        source=SRC_3,
        symbols="z: vector(n), g: vector(n)",
        kind="gradient",
        f=lambda s: sc(s.g.T @ _map(s.z, _tanh_written)),
        wrt="z",
        rhs=lambda s: hadamard(_map(s.z, lambda t: 1 - _tanh(t) ** 2), s.g),
        sizes=[{"n": 2}, {"n": 3}],
    ),
    # tanh(z) = 2σ(2z) − 1
    make_claim(
        "activations.tanh_via_sigmoid",
        title="tanh z = 2σ(2z) − 1",
        source="standard",
        symbols="z: scalar",
        lhs=lambda s: _tanh(s.z),
        rhs=lambda s: 2 * _sig(2 * s.z) - 1,
    ),
    # tanh'(z) = 4σ'(2z): tanh's gradient is at most 1, four times the sigmoid's 1/4
    make_claim(
        "activations.tanh_derivative_via_sigmoid",
        title="tanh'(z) = 4σ'(2z)",
        source="standard",
        symbols="z: scalar",
        lhs=lambda s: ops.diff(_tanh_written(s.z), s.z),
        rhs=lambda s: 4 * _dsig(2 * s.z),
    ),
    # ReLU(z) = z (z > 0), 0 otherwise;  ReLU'(z) = 1[z > 0]  (z ≠ 0)
    make_claim(
        "activations.relu_derivative",
        title="∇_z Σ gᵢ ReLU(zᵢ) = 1[z > 0] ⊙ g (away from the kink z = 0)",
        source=SRC_3,
        symbols="z: vector(n), g: vector(n)",
        kind="gradient",
        f=lambda s: sc(s.g.T @ ops.relu(s.z)),
        wrt="z",
        rhs=lambda s: hadamard(ops.indicator(s.z), s.g),
    ),
    # LeakyReLU(z) = z (z > 0), az otherwise;  LeakyReLU'(z) = 1 (z > 0), a (z < 0)
    make_claim(
        "activations.leaky_relu_derivative",
        title="∇_z Σ gᵢ LeakyReLU(zᵢ) = (1 if z > 0 else a) ⊙ g (away from z = 0)",
        source=SRC_3,
        symbols="z: vector(n), g: vector(n), a: scalar",
        kind="gradient",
        f=lambda s: sc(s.g.T @ ops.leaky_relu(s.z, s.a)),
        wrt="z",
        rhs=lambda s: hadamard(_map(s.z, lambda t: _leaky_slope(t, s.a)), s.g),
    ),
    # "the gradient of the Sigmoid is very small": its largest value is σ'(0) = 1/4 …
    make_claim(
        "activations.sigmoid_derivative_at_zero",
        title="σ'(0) = 1/4",
        source=SRC_3,
        symbols="z: scalar",
        lhs=lambda s: _dsig(0),
        rhs=lambda s: _q(1, 4),
    ),
    # … and nothing is larger: 1/4 − σ'(z) = (σ(z) − 1/2)² ≥ 0
    make_claim(
        "activations.sigmoid_derivative_max_certificate",
        title="1/4 − σ'(z) = (σ(z) − 1/2)², so σ'(z) ≤ 1/4 with equality only at z = 0",
        source=SRC_3,
        symbols="z: scalar",
        lhs=lambda s: _q(1, 4) - _dsig(s.z),
        rhs=lambda s: (_sig(s.z) - _q(1, 2)) ** 2,
    ),
    # σ' is even: σ'(−z) = σ'(z), so a bound for z > 0 is a bound in |z|
    make_claim(
        "activations.sigmoid_derivative_even",
        title="σ'(−z) = σ'(z)",
        source="standard",
        symbols="z: scalar",
        lhs=lambda s: _dsig(-s.z),
        rhs=lambda s: _dsig(s.z),
    ),
    # "very small most of the time", the decidable part: σ'(z) < e^{−|z|} because
    # e^{−z} − σ'(z) = e^{−2z}(2 + e^{−z})/(1 + e^{−z})², every factor positive
    make_claim(
        "activations.sigmoid_derivative_exp_certificate",
        title="e^{−z} − σ'(z) = e^{−2z}(2 + e^{−z})/(1 + e^{−z})² > 0, so σ'(z) < e^{−|z|}",
        source=SRC_3,
        symbols="z: scalar",
        lhs=lambda s: _exp(-s.z) - _dsig(s.z),
        rhs=lambda s: _exp(-2 * s.z) * (2 + _exp(-s.z)) / (1 + _exp(-s.z)) ** 2,
    ),
    # … and e^{−3} < 1/10, so σ'(z) < 1/10 whenever |z| > 3 (SymPy compares the exact numbers)
    make_claim(
        "activations.sigmoid_derivative_small_beyond_three",
        title="max(e^{−3}, 1/10) = 1/10: with the certificate above, σ'(z) < 1/10 for |z| > 3",
        source=SRC_3,
        symbols="z: scalar",
        lhs=lambda s: _max(_exp(-3), _q(1, 10)),
        rhs=lambda s: _q(1, 10),
    ),
    # ReLU'(z) ∈ {0, 1}: it does not explode, but it is 0 for z < 0 ("some neurons may not be
    # activated"): d(d − 1) = 0 for d = ReLU'(z)
    make_claim(
        "activations.relu_derivative_values",
        title="ReLU'(z) ∈ {0, 1}: d(d − 1) = 0 with d = 1[z > 0]",
        source=SRC_3,
        symbols="z: scalar",
        lhs=lambda s: ops.diff(ops.relu(s.z), s.z) * (ops.diff(ops.relu(s.z), s.z) - 1),
        rhs=lambda s: 0,
    ),
    # "LeakyReLU: the gradient neither vanishes nor explodes": LeakyReLU'(z) ∈ {a, 1}
    make_claim(
        "activations.leaky_relu_derivative_values",
        title="LeakyReLU'(z) ∈ {a, 1}: (d − 1)(d − a) = 0 (never 0 when a ≠ 0, "
        "never above max(1, |a|))",
        source=SRC_3,
        symbols="z: scalar, a: scalar",
        lhs=lambda s: (
            (ops.diff(ops.leaky_relu(s.z, s.a), s.z) - 1)
            * (ops.diff(ops.leaky_relu(s.z, s.a), s.z) - s.a)
        ),
        rhs=lambda s: 0,
    ),
)


# ----- Gradient library (derivations.gradients.activations): the functions' conventions -----
# Each *_grad returns the element-wise derivative f'(z) itself (no upstream gradient): the
# gradient of Σᵢ f(zᵢ).  The forward functions are written through |z| to state them without
# the Piecewise they are defined by.

GRAD = "derivations.gradients.activations"


def _abs(t):
    """|t| as a Piecewise on ReLU's own condition t > 0 (with Abs, or with t ≥ 0, the engine's
    zero test does not fold the two Piecewise into 0)."""
    import sympy as sp

    return sp.Piecewise((t, t > 0), (-t, True))


CLAIMS += (
    # ∇_z Σᵢ σ(zᵢ) = σ(z) ⊙ (1 − σ(z))
    make_claim(
        "activations.sigmoid_derivative_elementwise",
        title="∇_z Σᵢ σ(zᵢ) = σ(z) ⊙ (1 − σ(z)), σ written as 1/(1 + e^{−z})",
        source="standard",
        symbols="z: vector(n)",
        kind="gradient",
        f=lambda s: ops.sum_(_map(s.z, _sig)),
        wrt="z",
        rhs=lambda s: _map(s.z, lambda t: _sig(t) * (1 - _sig(t))),
        sizes=[{"n": 2}, {"n": 3}],
        implementation=f"{GRAD}.sigmoid_grad",
        impl_args=lambda v: (v.z,),
    ),
    # ∇_z Σᵢ tanh(zᵢ) = 1 − tanh²(z)
    make_claim(
        "activations.tanh_derivative_elementwise",
        title="∇_z Σᵢ tanh(zᵢ) = 1 − tanh²(z), tanh written as a ratio of exponentials",
        source="standard",
        symbols="z: vector(n)",
        kind="gradient",
        f=lambda s: ops.sum_(_map(s.z, _tanh_written)),
        wrt="z",
        rhs=lambda s: _map(s.z, lambda t: 1 - _tanh(t) ** 2),
        sizes=[{"n": 2}, {"n": 3}],
        implementation=f"{GRAD}.tanh_grad",
        impl_args=lambda v: (v.z,),
    ),
    # ReLU(z) = (z + |z|)/2
    make_claim(
        "activations.relu_via_abs",
        title="(z + |z|)/2 = ReLU(z), element-wise",
        source="standard",
        symbols="z: vector(n)",
        lhs=lambda s: _map(s.z, lambda t: (t + _abs(t)) / 2),
        rhs=lambda s: ops.relu(s.z),
        sizes=[{"n": 2}, {"n": 3}],
        implementation=f"{GRAD}.relu",
        impl_args=lambda v: (v.z,),
    ),
    # ∇_z Σᵢ ReLU(zᵢ) = 1[z > 0] (away from z = 0)
    make_claim(
        "activations.relu_derivative_elementwise",
        title="∇_z Σᵢ ReLU(zᵢ) = 1[z > 0] (away from the kink z = 0)",
        source="standard",
        symbols="z: vector(n)",
        kind="gradient",
        f=lambda s: ops.sum_(ops.relu(s.z)),
        wrt="z",
        rhs=lambda s: ops.indicator(s.z),
        sizes=[{"n": 2}, {"n": 3}],
        implementation=f"{GRAD}.relu_grad",
        impl_args=lambda v: (v.z,),
    ),
    # LeakyReLU(z) = ((1 + a)z + (1 − a)|z|)/2
    make_claim(
        "activations.leaky_relu_via_abs",
        title="((1 + a)z + (1 − a)|z|)/2 = LeakyReLU(z) (z if z > 0 else az), element-wise",
        source="standard",
        symbols="z: vector(n), a: scalar",
        lhs=lambda s: _map(s.z, lambda t: ((1 + s.a) * t + (1 - s.a) * _abs(t)) / 2),
        rhs=lambda s: ops.leaky_relu(s.z, s.a),
        sizes=[{"n": 2}, {"n": 3}],
        implementation=f"{GRAD}.leaky_relu",
        impl_args=lambda v: (v.z, v.a),
    ),
    # ∇_z Σᵢ LeakyReLU(zᵢ) = 1 where z > 0, a elsewhere (away from z = 0)
    make_claim(
        "activations.leaky_relu_derivative_elementwise",
        title="∇_z Σᵢ LeakyReLU(zᵢ) = (1 if z > 0 else a), element-wise (away from z = 0)",
        source="standard",
        symbols="z: vector(n), a: scalar",
        kind="gradient",
        f=lambda s: ops.sum_(ops.leaky_relu(s.z, s.a)),
        wrt="z",
        rhs=lambda s: _map(s.z, lambda t: _leaky_slope(t, s.a)),
        sizes=[{"n": 2}, {"n": 3}],
        implementation=f"{GRAD}.leaky_relu_grad",
        impl_args=lambda v: (v.z, v.a),
    ),
)


# ----- Gradient library: GELU, SiLU, ELU and softplus (as in PyTorch) -----


def _erf(t):
    import sympy as sp

    return sp.erf(t)


def _normal_cdf(t):
    """Φ(t) = ½(1 + erf(t/√2)), the standard normal CDF."""
    import sympy as sp

    return (1 + _erf(t / sp.sqrt(2))) / 2


def _gelu_tanh_inner(t):
    """u = √(2/π)(t + 0.044715 t³), the tanh approximation's argument."""
    import sympy as sp

    return sp.sqrt(2 / sp.pi) * (t + sp.Rational(44715, 10**6) * t**3)


def _elu_written(t, alpha):
    """ELU(t) = t if t > 0 else α(e^t − 1)."""
    import sympy as sp

    return sp.Piecewise((t, t > 0), (alpha * (sp.exp(t) - 1), True))


CLAIMS += (
    # GELU(z) = z Φ(z) = z/2 + (z/2) erf(z/√2)
    make_claim(
        "activations.gelu_as_normal_cdf",
        title="GELU(z) = zΦ(z), Φ(z) = ½(1 + erf(z/√2)): z/2 + (z/2)·erf(z/√2)",
        source="standard",
        symbols="z: scalar",
        lhs=lambda s: s.z * _normal_cdf(s.z),
        rhs=lambda s: s.z / 2 + s.z * _erf(s.z / _sqrt(2)) / 2,
        implementation=f"{GRAD}.gelu",
    ),
    # GELU'(z) = Φ(z) + z φ(z),  φ(z) = e^{−z²/2}/√(2π)
    make_claim(
        "activations.gelu_derivative",
        title="d/dz zΦ(z) = Φ(z) + z e^{−z²/2}/√(2π)",
        source="standard",
        symbols="z: scalar",
        lhs=lambda s: ops.diff(s.z * _normal_cdf(s.z), s.z),
        rhs=lambda s: _normal_cdf(s.z) + s.z * _exp(-(s.z**2) / 2) / _sqrt(2 * _pi()),
        implementation=f"{GRAD}.gelu_grad",
    ),
    # tanh approximation: (z/2)(1 + tanh u) = z σ(2u),  u = √(2/π)(z + 0.044715 z³)
    make_claim(
        "activations.gelu_tanh_as_sigmoid",
        title="(z/2)(1 + tanh u) = zσ(2u), u = √(2/π)(z + 0.044715z³) (GELU's tanh form)",
        source="standard",
        symbols="z: scalar",
        lhs=lambda s: s.z / 2 * (1 + _tanh(_gelu_tanh_inner(s.z))),
        rhs=lambda s: s.z * _sig(2 * _gelu_tanh_inner(s.z)),
        implementation=f"{GRAD}.gelu",
        impl_args=lambda v: (v.z, "tanh"),
    ),
    # d/dz zσ(2u) = s + 2z s(1 − s) u',  s = σ(2u)
    make_claim(
        "activations.gelu_tanh_derivative",
        title="d/dz zσ(2u) = s + 2zs(1 − s)u', s = σ(2u), u' = √(2/π)(1 + 3·0.044715z²)",
        source="standard",
        symbols="z: scalar",
        lhs=lambda s: ops.diff(s.z * ops.sigmoid(2 * _gelu_tanh_inner(s.z)), s.z),
        rhs=lambda s: (
            ops.sigmoid(2 * _gelu_tanh_inner(s.z))
            + 2 * s.z * ops.sigmoid(2 * _gelu_tanh_inner(s.z))
            * (1 - ops.sigmoid(2 * _gelu_tanh_inner(s.z)))
            * ops.diff(_gelu_tanh_inner(s.z), s.z)
        ),
        implementation=f"{GRAD}.gelu_grad",
        impl_args=lambda v: (v.z, "tanh"),
    ),
    # SiLU(z) = zσ(z) = z/(1 + e^{−z})
    make_claim(
        "activations.silu_as_written",
        title="SiLU(z) = zσ(z) = z/(1 + e^{−z})",
        source="standard",
        symbols="z: scalar",
        lhs=lambda s: s.z * _sig(s.z),
        rhs=lambda s: s.z / (1 + _exp(-s.z)),
        implementation=f"{GRAD}.silu",
    ),
    # SiLU'(z) = σ(z)(1 + z(1 − σ(z)))
    make_claim(
        "activations.silu_derivative",
        title="d/dz zσ(z) = σ(z)(1 + z(1 − σ(z))), σ written as 1/(1 + e^{−z})",
        source="standard",
        symbols="z: scalar",
        lhs=lambda s: ops.diff(s.z * _sig(s.z), s.z),
        rhs=lambda s: _sig(s.z) * (1 + s.z * (1 - _sig(s.z))),
        implementation=f"{GRAD}.silu_grad",
    ),
    # ELU(z) = ReLU(z) + α(e^z − 1)·1[z ≤ 0]
    make_claim(
        "activations.elu_via_relu",
        title="ELU(z) (z if z > 0 else α(e^z − 1)) = ReLU(z) + α(e^z − 1)(1 − 1[z > 0])",
        source="standard",
        symbols="z: scalar, alpha: scalar",
        lhs=lambda s: _elu_written(s.z, s.alpha),
        rhs=lambda s: ops.relu(s.z) + s.alpha * (_exp(s.z) - 1) * (1 - ops.indicator(s.z)),
        implementation=f"{GRAD}.elu",
    ),
    # ELU'(z) = 1 (z > 0), αe^z (z < 0)
    make_claim(
        "activations.elu_derivative",
        title="ELU'(z) = 1 if z > 0 else αe^z (away from z = 0)",
        source="standard",
        symbols="z: scalar, alpha: scalar",
        lhs=lambda s: ops.diff(_elu_written(s.z, s.alpha), s.z),
        rhs=lambda s: _piecewise(s.z, 1, s.alpha * _exp(s.z)),
        implementation=f"{GRAD}.elu_grad",
    ),
    # softplus(z) = log(1 + e^z) = −log σ(−z)
    make_claim(
        "activations.softplus_as_log_sigmoid",
        title="−log σ(−z) = log(1 + e^z) = softplus(z), σ written as 1/(1 + e^{−z})",
        source="standard",
        symbols="z: scalar",
        lhs=lambda s: -ops.log(_sig(-s.z)),
        rhs=lambda s: ops.log(1 + _exp(s.z)),
        implementation=f"{GRAD}.softplus",
    ),
    # softplus'(z) = σ(z)
    make_claim(
        "activations.softplus_derivative",
        title="d/dz log(1 + e^z) = σ(z) = 1/(1 + e^{−z})",
        source="standard",
        symbols="z: scalar",
        lhs=lambda s: ops.diff(ops.log(1 + _exp(s.z)), s.z),
        rhs=lambda s: _sig(s.z),
        implementation=f"{GRAD}.softplus_grad",
    ),
)


def _sqrt(t):
    import sympy as sp

    return sp.sqrt(t)


def _pi():
    import sympy as sp

    return sp.pi
