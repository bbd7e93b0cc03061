"""Singular and undefined points: where a side has no value, nothing is decided.

Inverses of singular matrices (zeros, A − A, rank-one x xᵀ, XᵀX for X wider than tall, a
skew-symmetric matrix of odd size), 0/0, logarithms and square roots outside their domain,
log det of a matrix whose determinant cannot be positive.  Claims undefined everywhere
(only undecided is sound), claims true wherever they are defined (the undefined points are
no counterexample), and claims false at defined points next to undefined ones.
"""

from __future__ import annotations

from fractions import Fraction

from verifier.selftest.generators.base import Draft, Rand, col, eye, sizes_of, witness

NAME = "undefined"


def singular_inverse(r: Rand) -> Draft:
    a, x = r.mat(), r.vec()
    k = r.randint(2, 4)
    n = r.choice((r.dim(), k))
    e, z = f"eye({n})", f"zeros({n}, {n})"
    lhs, rhs, why = r.choice([
        (f"inv({z})", z, "inv(0) = 0"),
        (f"inv({a} - {a})", z, "inv(A − A) = 0"),
        (f"inv(0 * {a}) @ {x}", f"zeros({n}, 1)", "inv(0·A)x = 0"),
        (f"inv({a} - {a}) @ ({a} - {a})", e, "inv(A − A)(A − A) = I"),
        (f"det(inv({z}))", "0", "det(inv 0) = 0"),
    ])
    return Draft({a: f"matrix({n}, {n})", x: f"vector({n})"}, lhs, rhs, "undefined",
                 why + " (a singular inverse)")


def rank_one_inverse(r: Rand) -> Draft:
    x, y = r.vec(), r.vec()
    k = r.randint(2, 4)
    lhs, rhs, why = r.choice([
        (f"inv({x} @ {x}.T) @ {x}", f"{x} / ({x}.T @ {x})", "(xxᵀ)⁻¹x = x/xᵀx"),
        (f"inv({x} @ {y}.T)", f"{y} @ {x}.T / ({x}.T @ {y}) ** 2", "(xyᵀ)⁻¹"),
        (f"det(inv({x} @ {x}.T))", "0", "det (xxᵀ)⁻¹ = 0"),
    ])
    return Draft({x: f"vector({k})", y: f"vector({k})"}, lhs, rhs, "undefined",
                 f"inverse of a rank-one {k}×{k} matrix")


def defined_inverses(r: Rand) -> Draft:
    x, a, b = r.vec(), r.mat(), r.mat()
    k = r.randint(2, 4)
    n = r.choice((r.dim(), k))
    e = f"eye({n})"
    lhs, rhs, sides, why = r.choice([
        (f"inv({e} + {x} @ {x}.T)", f"{e} - {x} @ {x}.T / (1 + {x}.T @ {x})", "equal",
         "Sherman–Morrison: I + xxᵀ is always invertible"),
        (f"inv({e} - ones({n}, {n}) / {n}) @ {x}", x, "undefined" if n != 1 else "equal",
         "the centring matrix I − 11ᵀ/n is singular"),
        (f"inv(ones({n}, {n}))", f"ones({n}, {n})", "undefined", "11ᵀ is singular"),
        (f"inv({a}) + inv({b})", f"inv({a} + {b})", "differ", "A⁻¹ + B⁻¹ = (A + B)⁻¹"),
        (f"inv({a} @ {a}.T + {e})", f"inv({a}.T @ {a} + {e})", "differ",
         "(AAᵀ + I)⁻¹ = (AᵀA + I)⁻¹"),
    ])
    if isinstance(n, str) and "ones" in lhs:
        # at n = 1 the centring matrix is 0 (singular) but 11ᵀ = [1] is invertible
        sides = "undefined" if "/ " in lhs else "equal"
    d = Draft({x: f"vector({n})", a: f"matrix({n}, {n})", b: f"matrix({n}, {n})"}, lhs, rhs,
              sides, why)
    if sides == "differ" and lhs.startswith("inv(" + a + ") +"):
        kk = k if isinstance(n, int) else 2
        d.witness = witness({x: col(*([1] * kk)), a: eye(kk), b: eye(kk)}, sizes_of((n, kk)))
    return d


def gram_inverse(r: Rand) -> Draft:
    xm, y = r.mat(), r.vec()
    wide = r.chance(0.5)
    if wide:  # X has more columns than rows: XᵀX is singular
        rows = r.randint(1, 2)
        cols = rows + r.randint(1, 2)
        lhs, rhs, why = r.choice([
            (f"{xm} @ inv({xm}.T @ {xm}) @ {xm}.T", f"eye({rows})", "the hat matrix is I"),
            (f"inv({xm}.T @ {xm}) @ {xm}.T @ {y}", f"zeros({cols}, 1)", "normal equations"),
            (f"inv({xm}.T @ {xm}) @ {xm}.T @ {xm}", f"eye({cols})", "(XᵀX)⁻¹XᵀX = I"),
        ])
        return Draft({xm: f"matrix({rows}, {cols})", y: f"vector({rows})"}, lhs, rhs,
                     "undefined", why + f" for a {rows}×{cols} X (XᵀX singular)")
    big, small = r.dim(), r.dim()
    lhs, rhs, sides, why = r.choice([
        (f"inv({xm}.T @ {xm}) @ {xm}.T @ {xm}", f"eye({small})", "equal",
         "(XᵀX)⁻¹XᵀX = I where XᵀX is invertible"),
        (f"{xm} @ inv({xm}.T @ {xm}) @ {xm}.T @ {xm}", xm, "equal", "HX = X"),
        (f"{xm} @ inv({xm}.T @ {xm}) @ {xm}.T", f"eye({big})", "differ",
         "the hat matrix is I (only when X is square)"),
    ])
    d = Draft({xm: f"matrix({big}, {small})", y: f"vector({big})"}, lhs, rhs, sides, why)
    if sides == "differ":
        d.witness = witness({xm: col(1, 0), y: col(0, 0)}, {big: 2, small: 1})
    return d


def skew_odd_inverse(r: Rand) -> Draft:
    a = r.mat()
    k = r.choice((3, 5))
    s = f"({a} - {a}.T)"
    lhs, rhs, why = r.choice([
        (f"inv{s} @ {s}", f"eye({k})", "(A − Aᵀ)⁻¹(A − Aᵀ) = I"),
        (f"det(inv{s})", f"1 / det{s}", "det (A − Aᵀ)⁻¹"),
        (f"inv{s}.T", f"-inv{s}", "the inverse of a skew matrix is skew"),
    ])
    return Draft({a: f"matrix({k}, {k})"}, lhs, rhs, "undefined",
                 why + f": A − Aᵀ is skew of odd size {k}, so singular")


def zero_over_zero(r: Rand) -> Draft:
    s, a, b = r.scal(), r.vec(), r.vec()
    n = r.dim()
    sym = {s: "scalar", a: f"vector({n})", b: f"vector({n})"}
    lhs, rhs, sides, why, w = r.choice([
        (f"({s} - {s}) / ({s} - {s})", "1", "undefined", "0/0 = 1", None),
        (f"({s} - {s}) / ({s} - {s})", "0", "undefined", "0/0 = 0", None),
        (f"({a}.T @ {b} - {b}.T @ {a}) / ({a}.T @ {b} - {b}.T @ {a})", "1", "undefined",
         "(aᵀb − bᵀa)/(aᵀb − bᵀa) = 1", None),
        (f"{s} / {s}", "1", "equal", "s/s = 1 where s ≠ 0", None),
        (f"({s} ** 2 - 1) / ({s} - 1)", f"{s} + 1", "equal", "(s² − 1)/(s − 1) = s + 1",
         None),
        (f"({s} ** 2 - 1) / ({s} - 1)", f"{s} - 1", "differ", "(s² − 1)/(s − 1) = s − 1",
         Fraction(2)),
        (f"{s} * inv({s})", "1", "equal", "s·s⁻¹ = 1 where s ≠ 0", None),
        (f"0 * inv({s} - {s})", "0", "undefined", "0·(1/0) = 0", None),
    ])
    d = Draft(sym, lhs, rhs, sides, why)
    if w is not None:
        d.witness = witness({s: w, a: col(0), b: col(0)}, {n: 1})
    return d


def logarithms(r: Rand) -> Draft:
    s, g = r.scal(), r.scal()
    c = r.choice(("1", "2", "0.5", "1e-6"))
    lhs, rhs, sides, why, w = r.choice([
        (f"log(-({s} ** 2) - {c})", "0", "undefined", "log of a negative number", None),
        (f"log({s} ** 2)", f"2 * log({s})", "equal", "log s² = 2 log s where defined", None),
        (f"log({s} * {g})", f"log({s}) + log({g})", "equal", "log sg = log s + log g", None),
        (f"log({s} ** 2) / 2", f"log(abs({s}))", "equal", "½ log s² = log|s|", None),
        (f"exp(log({s}))", s, "equal", "exp(log s) = s where defined", None),
        (f"log(exp({s}))", s, "equal", "log(exp s) = s", None),
        (f"log({s}) + log(-{s})", "0", "undefined", "log s + log(−s): never both defined",
         None),
        (f"log(1 + {s} ** 2)", f"2 * log({s})", "differ", "log(1 + s²) = 2 log s",
         {s: 1, g: 1}),
        (f"log(abs({s}))", f"log({s})", "equal", "log|s| = log s where log s is defined",
         None),
    ])
    d = Draft({s: "scalar", g: "scalar"}, lhs, rhs, sides, why)
    if w is not None:
        d.witness = witness(w)
    return d


def square_roots(r: Rand) -> Draft:
    s, g = r.scal(), r.scal()
    lhs, rhs, sides, why, w = r.choice([
        (f"sqrt(-({s} ** 2) - 1)", "0", "undefined", "sqrt of a negative number", None),
        (f"sqrt({s} - abs({s}) - 1)", "0", "undefined", "sqrt(s − |s| − 1): always negative",
         None),
        (f"sqrt({s}) ** 2", s, "equal", "(√s)² = s where defined", None),
        (f"sqrt({s} ** 2)", s, "differ", "√(s²) = s", {s: -1, g: 1}),
        (f"sqrt({s}) * sqrt({s})", s, "equal", "√s·√s = s", None),
        (f"sqrt({s} * {g})", f"sqrt({s}) * sqrt({g})", "equal", "√(sg) = √s√g where defined",
         None),
        (f"sqrt(-abs({s}))", "0", "equal", "√(−|s|) = 0: defined only at s = 0", None),
    ])
    d = Draft({s: "scalar", g: "scalar"}, lhs, rhs, sides, why)
    if w is not None:
        d.witness = witness(w)
    return d


def log_determinants(r: Rand) -> Draft:
    a, c = r.mat(), r.scal()
    k = r.choice((2, 3, 4))
    n = r.choice((r.dim(), k))
    lhs, rhs, sides, why, w = r.choice([
        (f"log(det({a} @ {a}))", f"2 * log(det({a}))", "equal",
         "log det A² = 2 log det A where defined", None),
        (f"log(det({a} @ {a}.T))", f"2 * log(abs(det({a})))", "equal",
         "log det AAᵀ = 2 log|det A|", None),
        (f"log(det({c} * {a}))", f"log({c}) + log(det({a}))", "differ",
         "log det(cA) = log c + log det A", None),
    ])
    if r.chance(0.35):
        odd = r.choice((1, 3))
        lhs, rhs, sides, why = (f"log(det(-({a} @ {a}.T)))", f"2 * log(abs(det({a})))",
                                "undefined", f"log det(−AAᵀ) at odd size {odd}")
        n = odd
    d = Draft({a: f"matrix({n}, {n})", c: "scalar"}, lhs, rhs, sides, why)
    if sides == "differ":
        kk = k if isinstance(n, int) else 2
        d.witness = witness({a: eye(kk), c: 2}, sizes_of((n, kk)))
    return d


TEMPLATES = (singular_inverse, rank_one_inverse, defined_inverses, gram_inverse, skew_odd_inverse,
             zero_over_zero, logarithms, square_roots, log_determinants)
