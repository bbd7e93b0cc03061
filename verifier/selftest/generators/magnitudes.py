"""Extreme magnitudes: constants and points from 1e-30 to 1e30, where rounding lies.

A difference of exactly 1 next to e^{200x} (no relative threshold may swallow it), bumps of
width 1e-6 (a sample that never lands near the centre misses them), sums that cancel a
1e28 offset exactly, tiny constants that make a claim false by 1e-30, gradients of
functions shifted by 1e30 (a finite difference in fixed precision returns noise), and
softplus against its linear tail, and differences no ordinary point shows (10^-434 apart,
beside a kink at the end of the domain).  True claims here must not be
refuted by noise; false ones must not be called checked.
"""

from __future__ import annotations

from fractions import Fraction

from verifier.selftest.generators.base import Draft, Rand, col, sizes_of, witness

NAME = "magnitudes"

BIG = ("1e10", "1e15", "1e20", "1e25", "1e28", "1e30")
TINY = ("1e-10", "1e-15", "1e-20", "1e-25", "1e-30")


def exp_plus_one(r: Rand) -> Draft:
    x = r.scal()
    k = r.choice(("50", "100", "200", "300", "500"))
    lhs, rhs, sides, why = r.choice([
        (f"exp({k} * {x}) + 1", f"exp({k} * {x})", "differ", f"e^({k}x) + 1 = e^({k}x)"),
        (f"exp({k} * {x}) * exp(-{k} * {x})", "1", "equal", "e^(kx)e^(−kx) = 1"),
        (f"log(exp({k} * {x}) + 1) - {k} * {x}", f"log(1 + exp(-{k} * {x}))", "equal",
         "log(e^(kx) + 1) − kx = log(1 + e^(−kx))"),
        (f"{x} + exp({k} * {x})", f"exp({k} * {x}) + {x} + 1e-30", "differ",
         "a 1e-30 difference beside e^(kx)"),
    ])
    assume = [f"{x} positive"] if r.chance(0.6) else r.choice(([], [f"{x} in (0.5, 2)"]))
    d = Draft({x: "scalar"}, lhs, rhs, sides, why, assume)
    if sides == "differ":
        d.witness = witness({x: 1})
    return d


def bumps(r: Rand) -> Draft:
    x = r.scal()
    k = r.choice(("10", "100", "1000", "1e4", "1e6"))
    eps = r.choice(("1e-3", "1e-6", "1e-9"))
    c = Fraction(r.randint(-30, 30), 10)
    cs = str(float(c))
    lhs, rhs, sides, why, w = r.choice([
        (f"relu(1 - {k} * abs({x} - {cs}))", "0", "differ", f"a bump of width 1/{k} at {cs}",
         c),
        (f"relu({eps} - abs({x} - {cs}))", "0", "differ", f"a bump of height {eps} at {cs}",
         c),
        (f"relu(-{k} * abs({x} - {cs}))", "0", "equal", "relu of a non-positive number", None),
        (f"relu(1 - {k} * abs({x}))", "0", "differ", f"a bump of width 1/{k} at 0", Fraction(0)),
        (f"exp(-{k} * {x} ** 2)", "0", "differ", "a Gaussian spike at 0", Fraction(0)),
        (f"abs({x} - {cs}) + relu({cs} - {x}) - relu({x} - {cs})", f"2 * relu({cs} - {x})",
         "equal", "|x − c| = relu(c − x) + relu(x − c)", None),
    ])
    d = Draft({x: "scalar"}, lhs, rhs, sides, why)
    if w is not None:
        d.witness = witness({x: w})
    return d


def big_constants(r: Rand) -> Draft:
    x = r.scal()
    big, tiny = r.choice(BIG), r.choice(TINY)
    lhs, rhs, sides, why, w = r.choice([
        (f"({x} + {big}) - {big}", x, "equal", f"(x + {big}) − {big} = x", None),
        (f"({x} + {big}) - {big}", "0", "differ", f"(x + {big}) − {big} = 0", 1),
        (f"{big} * ({x} + 1) - {big} * {x}", big, "equal", "c(x + 1) − cx = c", None),
        (f"{big} * {x} + 1", f"{big} * {x}", "differ", f"{big}·x + 1 = {big}·x", 1),
        (f"{x} * {tiny}", "0", "differ", f"{tiny}·x = 0", 1),
        (f"{x} + {tiny}", x, "differ", f"x + {tiny} = x", 1),
        (f"(1 + {tiny}) * {x}", x, "differ", f"(1 + {tiny})x = x", 1),
        (f"({x} + 1) ** 2 - {x} ** 2", f"2 * {x} + 1", "equal", "(x + 1)² − x² = 2x + 1", None),
        (f"{big} * {x} - {big} * {x} + 1", "1", "equal", "cx − cx + 1 = 1", None),
    ])
    assume = [] if r.chance(0.5) else [f"{x} {r.choice(('positive', 'nonzero', 'in (1e6, 1e30)'))}"]
    if w is not None and assume and "1e6" in assume[0]:
        w = Fraction(10) ** 20
    d = Draft({x: "scalar"}, lhs, rhs, sides, why, assume)
    if w is not None:
        d.witness = witness({x: w})
    return d


def shifted_gradients(r: Rand) -> Draft:
    w, x = r.vec(), r.vec()
    n = r.dim()
    big, tiny = r.choice(BIG), r.choice(TINY)
    k = r.choice(("3", "10", "50"))
    z = f"({w}.T @ {x})"
    lhs, rhs, sides, why = r.choice([
        (f"grad(sigmoid({z}) + {big}, {w})", f"sigmoid({z}) * (1 - sigmoid({z})) * {x}",
         "equal", f"∇ of σ(wᵀx) + {big}"),
        (f"grad({z} ** 2 + {big}, {w})", f"2 * {z} * {x}", "equal", f"∇ of (wᵀx)² + {big}"),
        (f"grad({big} * {z}, {w})", f"{big} * {x}", "equal", f"∇ of {big}·wᵀx"),
        (f"grad({z} ** 2 + {big}, {w})", f"{z} * {x}", "differ", "∇(wᵀx)² = (wᵀx)x"),
        (f"grad({tiny} * {z} ** 2, {w})", f"zeros({n}, 1)", "differ",
         f"∇ of {tiny}·(wᵀx)² = 0"),
        (f"grad(exp({k} * {z}), {w})", f"{k} * exp({k} * {z}) * {x}", "equal",
         f"∇ exp({k}wᵀx)"),
        (f"grad(exp({k} * {z}), {w})", f"exp({k} * {z}) * {x}", "differ",
         f"∇ exp({k}wᵀx) without the {k}"),
    ])
    d = Draft({w: f"vector({n})", x: f"vector({n})"}, lhs, rhs, sides, why)
    if sides == "differ":
        d.witness = witness({w: col(1, 0), x: col(1, 0)}, {n: 2})
    return d


def softplus_tail(r: Rand) -> Draft:
    x = r.scal()
    k = r.choice(("20", "100", "200", "1000"))
    lhs, rhs, sides, why = r.choice([
        (f"log(1 + exp({k} * {x}))", f"{k} * {x}", "differ", "softplus(kx) = kx for x > 0"),
        (f"log(1 + exp({k} * {x}))", f"{k} * {x} + log(1 + exp(-{k} * {x}))", "equal",
         "softplus(kx) = kx + softplus(−kx)"),
        (f"sigmoid({k} * {x})", "1", "differ", "σ(kx) = 1 for x > 0"),
        (f"tanh({x})", f"2 * sigmoid(2 * {x}) - 1", "equal", "tanh x = 2σ(2x) − 1"),
        (f"sigmoid({k} * {x}) + sigmoid(-{k} * {x})", "1", "equal", "σ(t) + σ(−t) = 1"),
        (f"sqrt({x} ** 2 + 1) - abs({x})", "0", "differ", "√(x² + 1) = |x|"),
    ])
    d = Draft({x: "scalar"}, lhs, rhs, sides, why, [f"{x} positive"] if r.chance(0.6) else [])
    if sides == "differ":
        d.witness = witness({x: Fraction(1, 1000)})
    return d


def big_points(r: Rand) -> Draft:
    z, a = r.vec(), r.mat()
    n, k = r.size(2, 3)
    big, tiny = r.choice(BIG), r.choice(TINY)
    shift = r.choice(("1e3", "1e4", "50"))
    lhs, rhs, sides, why = r.choice([
        (f"softmax({z} + {shift})", f"softmax({z})", "equal", f"softmax(z + {shift})"),
        (f"log_softmax({z})", f"{z} - log(sum(exp({z})))", "equal", "log-softmax"),
        (f"({a} + {big} * eye({n})) - {big} * eye({n})", a, "equal",
         f"(A + {big}I) − {big}I = A"),
        (f"{a} * {tiny}", f"zeros({n}, {n})", "differ", f"{tiny}·A = 0"),
        (f"{a} + {tiny} * eye({n})", a, "differ", f"A + {tiny}·I = A"),
        (f"softmax({z} * {shift})", f"softmax({z})", "differ", "softmax(cz) = softmax(z)"),
    ])
    d = Draft({z: f"vector({n})", a: f"matrix({n}, {n})"}, lhs, rhs, sides, why)
    if sides == "differ":
        one = [[1] * k for _ in range(k)]
        d.witness = witness({z: col(1, *([0] * (k - 1))), a: one}, sizes_of((n, k)))
    return d


def hidden_differences(r: Rand) -> Draft:
    """Differences no ordinary point shows: below the 1e-30 agreement bound everywhere
    (10^-434), on (0, 10^-40) only (beside a kink at the end of the domain); and true
    claims with a kink at such a point (the uniform probability vector)."""
    x, p = r.scal(), r.vec()
    k = r.choice(("40", "45", "60"))
    tiny = f"(1/10) ** {k}"
    lhs, rhs, sides, why, symbols, assume, w = r.choice([
        (f"{x} / ({x} + exp(-1000))", "1", "differ", "x/(x + e^-1000) = 1 (10^-434 apart)",
         {x: "scalar"}, [f"{x} positive"], {x: 1}),
        (f"{x} * exp(-1000) + {x}", f"{x} * (1 + exp(-1000))", "equal",
         "x e^-1000 + x = x(1 + e^-1000)", {x: "scalar"}, [], None),
        (f"relu({x} - {tiny})", f"{x} - {tiny}", "differ",
         f"relu(x − 10^-{k}) = x − 10^-{k} for x > 0 (fails below 10^-{k})",
         {x: "scalar"}, [f"{x} positive"], {x: Fraction(1, 10 ** (int(k) + 1))}),
        (f"relu({x} - {tiny}) + relu({tiny} - {x})", f"abs({x} - {tiny})", "equal",
         "relu(x − c) + relu(c − x) = |x − c|", {x: "scalar"}, [f"{x} positive"], None),
        (f"relu(max({p}) - 1/3)", f"max({p}) - 1/3", "equal",
         "max p ≥ 1/3 (equal at the uniform p)", {p: "vector(3)"}, [f"{p} sums to 1"], None),
    ])
    d = Draft(symbols, lhs, rhs, sides, why, assume)
    if w is not None:
        d.witness = witness(w)
    return d


TEMPLATES = (exp_plus_one, bumps, big_constants, shifted_gradients, softplus_tail, big_points,
             hidden_differences)
