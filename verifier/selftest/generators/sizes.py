"""Size-dependent identities: true at the small sizes a strategy tries, false at a larger one.

Polynomials in n that vanish at n = 1..5, the elementary symmetric polynomial e_k (written
with Newton's identities in power sums) that is 0 for vectors shorter than k, Cayley–Hamilton
for 2×2 or 3×3 matrices claimed at every size, det(cA) = c^k det(A) (true at size k; with A
skew-symmetric, c² det A holds at n = 1, 2, 3 and fails at 4), det(xyᵀ) = 0 (false at
n = 1 only), det(AB) = det(BA) for rectangular factors, comparisons of two sizes that hold
at one assignment alone (n·m == 35), and the same formulas at the fixed size where they do
hold.
"""

from __future__ import annotations

from fractions import Fraction

from verifier.selftest.generators.base import Draft, Rand, col, diag, eye, witness

NAME = "sizes"

# e_k in power sums p_j = sum(x ** j) (Newton's identities)
NEWTON = {
    3: "(p1 ** 3 - 3 * p1 * p2 + 2 * p3) / 6",
    4: "(p1 ** 4 - 6 * p1 ** 2 * p2 + 3 * p2 ** 2 + 8 * p1 * p3 - 6 * p4) / 24",
    5: "(p1 ** 5 - 10 * p1 ** 3 * p2 + 15 * p1 * p2 ** 2 + 20 * p1 ** 2 * p3 - 20 * p2 * p3"
       " - 30 * p1 * p4 + 24 * p5) / 120",
}


def newton(k: int, x: str) -> str:
    text = NEWTON[k]
    for j in range(5, 0, -1):
        text = text.replace(f"p{j}", f"sum({x} ** {j})" if j > 1 else f"sum({x})")
    return text


def vanishing_polynomial(r: Rand) -> Draft:
    x, a = r.vec(), r.mat()
    n = r.dim()
    top = r.randint(3, 5)
    roots = list(range(1, top + 1))
    if r.chance(0.3):
        roots.remove(r.choice(roots[:-1]))  # a gap: false at a small size too
    poly = " * ".join(f"({n} - {k})" for k in roots)
    factor, wit = r.choice([
        (f"sum({x})", lambda m: {x: col(*([1] * m)), a: eye(m)}),
        (f"trace({a})", lambda m: {x: col(*([1] * m)), a: eye(m)}),
        (f"({x}.T @ {x})", lambda m: {x: col(*([1] * m)), a: eye(m)}),
    ])
    first = next(m for m in range(1, 8) if m not in roots)
    if r.chance(0.25):  # the same polynomial, true: it is subtracted again
        return Draft({x: f"vector({n})", a: f"matrix({n}, {n})"},
                     f"{poly} * {factor} - {factor} * {poly}", "0", "equal",
                     "a polynomial in n minus itself")
    d = Draft({x: f"vector({n})", a: f"matrix({n}, {n})"}, f"{poly} * {factor}", "0",
              "differ", f"∏(n − k), k in {roots}, times a sum vanishes for all n")
    d.witness = witness(wit(first), {n: first})
    return d


def elementary_symmetric(r: Rand) -> Draft:
    x = r.vec()
    k = r.choice((3, 4, 5))
    fixed = r.chance(0.35)
    if fixed:  # a vector of length k − 1 or less: e_k is identically 0
        m = r.randint(max(1, k - 2), k - 1)
        return Draft({x: f"vector({m})"}, newton(k, x), "0", "equal",
                     f"e_{k} of {m} numbers is 0")
    n = r.dim()
    d = Draft({x: f"vector({n})"}, newton(k, x), "0", "differ",
              f"e_{k}(x) = 0 (true for n < {k} only)")
    d.witness = witness({x: col(*([1] * k))}, {n: k})
    return d


def cayley_hamilton(r: Rand) -> Draft:
    a = r.mat()
    k = r.choice((2, 3))
    fixed = r.chance(0.4)
    n = k if fixed else r.dim()
    e = f"eye({n})"
    if k == 2:
        lhs = f"{a} @ {a} - trace({a}) * {a} + det({a}) * {e}"
    else:
        lhs = (f"{a} @ {a} @ {a} - trace({a}) * {a} @ {a} + (trace({a}) ** 2 - "
               f"trace({a} @ {a})) / 2 * {a} - det({a}) * {e}")
    d = Draft({a: f"matrix({n}, {n})"}, lhs, f"zeros({n}, {n})",
              "equal" if fixed else "differ", f"Cayley–Hamilton of a {k}×{k} matrix"
              + ("" if fixed else ", claimed at every size"))
    if not fixed:
        m = 3 if k == 2 else 2
        d.witness = witness({a: diag(*range(1, m + 1))}, {n: m})
    return d


def determinant_scaling(r: Rand) -> Draft:
    a, c = r.mat(), r.scal()
    skew = r.chance(0.5)
    power = r.choice((1, 2, 3))
    fixed = r.chance(0.35)
    if skew:
        if fixed:
            n = r.choice((1, 2, 3, 4))
            sides = "equal" if n in (1, 2, 3) else "differ"
        else:
            n = r.dim()
            sides = "differ"
        power = 2
        why = "det(cA) = c² det A for A skew-symmetric (fails at n = 4)"
    else:
        n = power if fixed else r.dim()
        sides = "equal" if fixed else "differ"
        why = f"det(cA) = c^{power} det A" + ("" if fixed else " at every size")
    assume = [f"{a} skew-symmetric"] if skew else []
    if r.chance(0.3):
        assume.append(f"{c} {r.choice(('positive', 'in (0, 1)', 'nonzero'))}")
    d = Draft({a: f"matrix({n}, {n})", c: "scalar"}, f"det({c} * {a})",
              f"{c} ** {power} * det({a})", sides, why, r.shuffled(assume))
    if sides == "differ":
        cv = 1 / 2 if any("in (0, 1)" in x for x in assume) else 2
        if skew:
            j = [[0, 1, 0, 0], [-1, 0, 0, 0], [0, 0, 0, 1], [0, 0, -1, 0]]
            d.witness = witness({a: j, c: cv}, {n: 4} if isinstance(n, str) else {})
        else:
            m = 1 if power != 1 else 2
            d.witness = witness({a: eye(m), c: cv}, {n: m})
    return d


def small_size_traps(r: Rand) -> Draft:
    x, y = r.vec(), r.vec()
    n = r.dim()
    lhs, rhs, sides, why, wit = r.choice([
        (f"det({x} @ {y}.T)", "0", "differ", "det(xyᵀ) = 0 (false at n = 1)",
         ({x: col(1), y: col(1)}, 1)),
        (f"sum({x}) ** 2", f"{n} * sum({x} ** 2)", "differ", "(Σx)² = nΣx² (true at n = 1)",
         ({x: col(1, 0), y: col(0, 0)}, 2)),
        (f"det(2 * eye({n}))", "4", "differ", "det(2I) = 4 (true at n = 2)",
         ({x: col(1), y: col(1)}, 1)),
        (f"det(2 * eye({n}))", f"2 ** {n}", "equal", "det(2I) = 2ⁿ", None),
        (f"det(-eye({n})) ** 2", "1", "equal", "det(−I)² = 1", None),
        (f"det(-eye({n}))", "1", "differ", "det(−I) = 1 (n even only)",
         ({x: col(1), y: col(1)}, 1)),
        (f"trace(eye({n}))", n, "equal", "tr I = n", None),
        (f"sum({x} @ {y}.T)", f"sum({x}) * sum({y})", "equal", "Σ xyᵀ = Σx·Σy", None),
        (f"var({x}) * {n} / ({n} - 1)", f"sum(({x} - mean({x})) ** 2) / ({n} - 1)", "equal",
         "sample variance (undefined at n = 1)", None),
    ])
    d = Draft({x: f"vector({n})", y: f"vector({n})"}, lhs, rhs, sides, why)
    if wit is not None:
        d.witness = witness(wit[0], {n: wit[1]})
    return d


def rectangular_products(r: Rand) -> Draft:
    a, b = r.mat(), r.mat()
    square = r.chance(0.3)
    n = r.dim()
    m = n if square else r.dim()
    lhs, rhs, sides, why = r.choice([
        (f"trace({a} @ {b})", f"trace({b} @ {a})", "equal", "tr AB = tr BA"),
        (f"det({a} @ {b})", f"det({b} @ {a})", "equal" if square else "differ",
         "det AB = det BA" + ("" if square else " for rectangular A, B")),
        (f"sum(({a} @ {b}) ** 2)", f"sum(({b} @ {a}) ** 2)", "differ", "‖AB‖² = ‖BA‖²"),
    ])
    d = Draft({a: f"matrix({n}, {m})", b: f"matrix({m}, {n})"}, lhs, rhs, sides, why)
    if sides == "differ" and not square and lhs.startswith("det"):
        d.witness = witness({a: [[1, 0]], b: [[1], [0]]}, {n: 1, m: 2})
    return d


def windows_past_sizes(r: Rand) -> Draft:
    """A window in Σx that counts only from a size on (or at n = 1 alone): 0 at the sizes a
    proof takes, false past them on a window no random point enters."""
    x = r.vec()
    n = r.dim()
    lo, hi, mid = r.choice((("1/3", "1/2", "5/12"),
                            ("1/3", "1/3 + 1e-30", "2000000000000000000000000000003/"
                                                   "6000000000000000000000000000000")))
    gate, first = r.choice(((f"({n} > 3)", 4), (f"({n} > 4)", 5), (f"({n} < 2)", 1)))
    lhs = f"(sum({x}) > {lo}) * (sum({x}) < {hi}) * {gate}"
    if r.chance(0.25):
        return Draft({x: f"vector({n})"}, f"{lhs} * 0", "0", "equal", "0 times anything")
    d = Draft({x: f"vector({n})"}, lhs, "0", "differ",
              f"a window in Σx, open only where {gate} holds")
    d.witness = witness({x: col(Fraction(mid), *([0] * (first - 1)))}, {n: first})
    return d


def joint_size_switches(r: Rand) -> Draft:
    """A comparison of two sizes that holds at one assignment alone, never with the sizes
    equal or one of them small: (n·m == 35) at n = 5, m = 7 (or 7, 5), n² + m² == 25 at
    (3, 4) and (4, 3), n == m + 5.  Read one size at a time, it was "proved at sizes"."""
    x, y = r.vec(), r.vec()
    n, m = r.dim(), r.dim()
    gate, at = r.choice(((f"({n} * {m} == 35)", (5, 7)), (f"({n} * {m} == 35)", (7, 5)),
                         (f"({n} * {n} + {m} * {m} == 25)", (3, 4)),
                         (f"({n} == {m} + 5)", (6, 1)), (f"({n} + 2 * {m} == 13)", (5, 4))))
    symbols = {x: f"vector({n})", y: f"vector({m})"}
    if r.chance(0.25):
        return Draft(symbols, f"{gate} * (sum({x}) - {x}.T @ ones({n}))", "0", "equal",
                     f"{gate} times Σx − Σx")
    d = Draft(symbols, f"{gate} * sum({x})", "0", "differ",
              f"{gate} holds at {n} = {at[0]}, {m} = {at[1]} alone")
    d.witness = witness({x: col(*([1] * at[0])), y: col(*([0] * at[1]))}, {n: at[0], m: at[1]})
    return d


TEMPLATES = (vanishing_polynomial, elementary_symmetric, cayley_hamilton, determinant_scaling,
             small_size_traps, rectangular_products, windows_past_sizes, joint_size_switches)
