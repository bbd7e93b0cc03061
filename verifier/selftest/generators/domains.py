"""Scalar domains: several sign and interval assumptions on one scalar, and integers.

"s positive" with "s in (−1, 1)" means s in (0, 1): both hold, whichever is written last.
Intersections that leave one point ([0, 1] and [1, 2]), or none (vacuous claims), claims
true only because of the intersection, two scalars with opposite signs (a log that is
undefined everywhere), and positive integers beyond 1..6 (a product (t−1)…(t−6) and a
degree-5 fit of 2ᵗ that agree with the truth at t = 1..6 only), and probability vectors with
positive entries, false only near a vertex; sums of two squares compared with 0, false at
one rational point only; a switch that touches 0 without changing sign, (x − p)²(y − q) > 0
against y > q, false on the line x = p alone.
"""

from __future__ import annotations

from fractions import Fraction

from verifier.selftest.generators.base import Draft, Rand, witness

NAME = "domains"


def _interval(lo: str, hi: str, r: Rand) -> str:
    return f"in {r.choice('([')}{lo}, {hi}{r.choice(')]')}"


def positive_and_interval(r: Rand) -> Draft:
    s = r.scal()
    lo, hi = r.choice(("-1", "-2", "-0.5", "-3")), r.choice(("1", "2", "0.5", "3"))
    h = Fraction(hi)
    lhs, rhs, sides, why, w = r.choice([
        (f"abs({s})", s, "equal", "|s| = s on (0, hi)", None),
        (f"relu({s} - {hi})", "0", "equal", "relu(s − hi) = 0 below hi", None),
        (f"relu(-{s})", "0", "equal", "relu(−s) = 0 for s > 0", None),
        (f"abs({s} - {hi})", f"{hi} - {s}", "equal", "|s − hi| = hi − s", None),
        (f"sqrt({s} ** 2)", s, "equal", "√(s²) = s for s > 0", None),
        (f"abs(log({s} / {hi}))", f"-log({s} / {hi})", "equal", "log(s/hi) ≤ 0", None),
        (f"relu({s} - {hi} / 2)", "0", "differ", "relu(s − hi/2) = 0", h * 3 / 4),
        (f"abs({s})", f"-{s}", "differ", "|s| = −s", h / 2),
    ])
    assume = r.shuffled([f"{s} positive", f"{s} {_interval(lo, hi, r)}"])
    d = Draft({s: "scalar"}, lhs, rhs, sides, why, assume)
    if w is not None:
        d.witness = witness({s: w})
    return d


def negative_and_interval(r: Rand) -> Draft:
    s = r.scal()
    lo, hi = r.choice(("-1", "-2", "-0.5", "-3")), r.choice(("1", "2", "0.5", "3"))
    lhs, rhs, sides, why, w = r.choice([
        (f"abs({s})", f"-{s}", "equal", "|s| = −s for s < 0", None),
        (f"relu({s})", "0", "equal", "relu(s) = 0 for s < 0", None),
        (f"abs({s} - ({lo}))", f"{s} - ({lo})", "equal", "|s − lo| = s − lo above lo", None),
        (f"sqrt(-{s}) ** 2", f"-{s}", "equal", "(√−s)² = −s", None),
        (f"relu({s})", s, "differ", "relu(s) = s", Fraction(lo) / 2),
        (f"relu({s} - ({lo}) / 2)", "0", "differ", "relu(s − lo/2) = 0", Fraction(lo) / 4),
    ])
    assume = r.shuffled([f"{s} negative", f"{s} {_interval(lo, hi, r)}"])
    d = Draft({s: "scalar"}, lhs, rhs, sides, why, assume)
    if w is not None:
        d.witness = witness({s: w})
    return d


def nonzero_nonnegative(r: Rand) -> Draft:
    s = r.scal()
    lhs, rhs, sides, why, w = r.choice([
        (f"{s} / abs({s})", "1", "equal", "s/|s| = 1 for s > 0", None),
        (f"abs({s}) / {s}", "1", "equal", "|s|/s = 1", None),
        (f"relu({s})", s, "equal", "relu(s) = s", None),
        (f"sqrt({s}) ** 2", s, "equal", "(√s)² = s", None),
        (f"{s} / abs({s})", "-1", "differ", "s/|s| = −1", Fraction(1)),
        (f"log({s}) * 0", "0", "equal", "0·log s = 0 (log s defined)", None),
    ])
    assume = r.shuffled([f"{s} nonzero", f"{s} nonnegative"])
    d = Draft({s: "scalar"}, lhs, rhs, sides, why, assume)
    if w is not None:
        d.witness = witness({s: w})
    return d


def two_intervals(r: Rand) -> Draft:
    s = r.scal()
    a = r.randint(-4, 2)
    c = a + r.randint(1, 2)
    b = c + r.randint(1, 2)
    e = b + r.randint(1, 2)
    mid = Fraction(c + b, 2)
    lhs, rhs, sides, why, w = r.choice([
        (f"relu({s} - {b})", "0", "equal", "s ≤ b (the first interval's end)", None),
        (f"relu({c} - {s})", "0", "equal", "s ≥ c (the second interval's start)", None),
        (f"abs({s} - ({c}))", f"{s} - ({c})", "equal", "|s − c| = s − c", None),
        (f"abs({s} - ({mid}))", f"{s} - ({mid})", "differ", "|s − mid| = s − mid",
         mid - Fraction(1, 4)),
        (f"relu({s} - ({a}))", f"{s} - ({a})", "equal", "relu(s − a) = s − a", None),
    ])
    assume = r.shuffled([f"{s} in ({a}, {b})", f"{s} in [{c}, {e}]"])
    d = Draft({s: "scalar"}, lhs, rhs, sides, why, assume)
    if w is not None:
        d.witness = witness({s: w})
    return d


def single_point(r: Rand) -> Draft:
    s = r.scal()
    p = r.randint(-3, 3)
    lhs, rhs, sides, why, w = r.choice([
        (s, str(p), "equal", f"[{p - 1}, {p}] ∩ [{p}, {p + 2}] is {{{p}}}", None),
        (f"{s} ** 2", str(p * p), "equal", "s² at the only admissible point", None),
        (s, str(p + 1), "differ", "s = p + 1 at the only admissible point", Fraction(p)),
    ])
    assume = r.shuffled([f"{s} in [{p - 1}, {p}]", f"{s} in [{p}, {p + 2}]"])
    d = Draft({s: "scalar"}, lhs, rhs, sides, why, assume)
    if w is not None:
        d.witness = witness({s: w})
    return d


def contradictory(r: Rand) -> Draft:
    s = r.scal()
    assume = r.choice([
        [f"{s} positive", f"{s} in (-3, -1)"],
        [f"{s} in (0, 1)", f"{s} in (2, 3)"],
        [f"{s} negative", f"{s} nonnegative"],
        [f"{s} positive", f"{s} negative"],
        [f"{s} in [0, 1]", f"{s} in (1, 2)"],
        [f"{s} in (-1, 0)", f"{s} nonnegative"],
    ])
    lhs, rhs = r.choice([(s, f"{s} + 1"), (f"abs({s})", "-1"), (f"{s} ** 2", f"-{s} ** 2 - 1"),
                         (f"relu({s})", f"relu({s}) + 2")])
    return Draft({s: "scalar"}, lhs, rhs, "vacuous", "contradictory assumptions",
                 r.shuffled(assume))


def opposite_signs(r: Rand) -> Draft:
    s, g = r.scal(), r.scal()
    lhs, rhs, sides, why, w = r.choice([
        (f"abs({s} * {g})", f"-({s} * {g})", "equal", "|sg| = −sg", None),
        (f"relu({s} * {g})", "0", "equal", "relu(sg) = 0", None),
        (f"relu({s} + {g})", "0", "differ", "relu(s + g) = 0", {s: 2, g: -1}),
        (f"sqrt(-{s} * {g}) ** 2", f"-{s} * {g}", "equal", "(√−sg)² = −sg", None),
        (f"log({s}) + log(-{g})", f"log(-{s} * {g})", "equal", "log s + log(−g) = log(−sg)",
         None),
        (f"log({s} * {g})", f"log({s}) + log({g})", "undefined", "log of sg < 0", None),
    ])
    assume = r.shuffled([f"{s} positive", f"{g} negative"])
    d = Draft({s: "scalar", g: "scalar"}, lhs, rhs, sides, why, assume)
    if w is not None:
        d.witness = witness(w)
    return d


def integers(r: Rand) -> Draft:
    t = r.integer()
    k = r.randint(6, 40)
    fit = " + ".join(
        ["1"] + [" * ".join(f"({t} - {i})" for i in range(1, j + 1)) + f" / {_fact(j)}"
                 for j in range(1, 6)])
    lhs, rhs, sides, why, w = r.choice([
        (f"(-1) ** (2 * {t})", "1", "equal", "(−1)^(2t) = 1", None),
        (f"(-1) ** {t}", "1", "differ", "(−1)^t = 1", 1),
        (f"relu(1 - {t})", "0", "equal", "t ≥ 1", None),
        (f"abs({t})", t, "equal", "|t| = t", None),
        (f"relu({t} - {k})", "0", "differ", f"relu(t − {k}) = 0 (t beyond {k})", k + 1),
        (" * ".join(f"({t} - {i})" for i in range(1, 7)), "0", "differ",
         "(t − 1)…(t − 6) = 0", 7),
        (f"2 ** {t}", f"2 * ({fit})", "differ", "2ᵗ against its fit through t = 1..6", 7),
        (f"2 ** ({t} + 1)", f"2 * 2 ** {t}", "equal", "2^(t+1) = 2·2ᵗ", None),
    ])
    d = Draft({t: "integer"}, lhs, rhs, sides, why)
    if w is not None:
        d.witness = witness({t: w})
    return d


def _fact(j: int) -> int:
    out = 1
    for i in range(2, j + 1):
        out *= i
    return out


def tempting_conditions(r: Rand) -> Draft:
    """False claims where "s positive", the condition a search tries first, is not enough."""
    s, g = r.scal(), r.scal()
    k = r.choice(("1", "2", "0.5", "3"))
    kv = Fraction(k)
    lhs, rhs, why, w = r.choice([
        (f"abs({s} - {k})", f"{s} - {k}", f"|s − {k}| = s − {k} (needs s ≥ {k})", kv / 2),
        (f"relu({s} - {k})", f"{s} - {k}", f"relu(s − {k}) = s − {k}", kv / 2),
        (f"sqrt(({s} - {k}) ** 2)", f"{s} - {k}", f"√((s − {k})²) = s − {k}", kv / 2),
        (f"abs({s} * {g})", f"{s} * {g}", "|sg| = sg (s positive is not enough)", None),
        (f"abs(log({s}))", f"log({s})", "|log s| = log s (needs s ≥ 1)", Fraction(1, 2)),
    ])
    d = Draft({s: "scalar", g: "scalar"}, lhs, rhs, "differ", why)
    if w is not None:
        d.witness = witness({s: w, g: 1})
    else:
        d.witness = witness({s: 1, g: -1})
    return d


def boundary_windows(r: Rand) -> Draft:
    """A window between the boundary of a side's domain and a switch: log(s − k) is defined
    above k alone, 1[s < k + 10⁻³⁰] is 1 below k + 10⁻³⁰, and the claim differs on the
    window between them only (no nudge of either reaches it)."""
    s = r.scal()
    k = r.choice(("1/3", "2/7", "1", "5/3"))
    kv = Fraction(k)
    w = kv + Fraction(1, 2 * 10**30)
    lhs, rhs, sides, why, wit = r.choice([
        (f"log({s} - {k}) * ({s} < {k} + 1e-30)", "0", "differ",
         "log(s − k)·1[s < k + 10⁻³⁰] = 0 (on (k, k + 10⁻³⁰) it is log of a tiny number)", w),
        (f"(sqrt({s} - {k}) + 1) * ({s} < {k} + 1e-30)", "0", "differ",
         "(√(s − k) + 1)·1[s < k + 10⁻³⁰] = 0", w),
        (f"(1 / ({s} - {k})) * ({s} > {k}) * ({s} < {k} + 1e-30)", "0", "differ",
         "1/(s − k) on a window beside its pole", w),
        (f"log({k} - {s}) * ({s} > {k} - 1e-30)", "0", "differ",
         "log(k − s)·1[s > k − 10⁻³⁰] = 0", kv - Fraction(1, 2 * 10**30)),
        (f"log({s} - {k}) * ({s} < {k})", "0", "equal",
         "log(s − k)·1[s < k] = 0 wherever it is defined", None),
        (f"(sqrt({s} - {k}) + 1) * ({s} < {k})", "0", "equal",
         "(√(s − k) + 1)·1[s < k] = 0 wherever it is defined", None),
    ])
    d = Draft({s: "scalar"}, lhs, rhs, sides, why)
    if wit is not None:
        d.witness = witness({s: wit})
    return d


def transcendental_switches(r: Rand) -> Draft:
    """A comparison of a transcendental expression whose set SymPy 1.14 reads as empty
    (log p + log(1 − p) < −140 on (0, 1)): the claim must not be proved from it."""
    s = r.scal()
    c = r.choice((140, 150, 200))
    lhs, rhs, sides, why, wit = r.choice([
        (f"(log({s}) + log(1 - {s}) < -{c})", "0", "differ",
         f"1[log s + log(1 − s) < −{c}] = 0 (false near 0)", Fraction(1, 10 ** (c // 2 + 10))),
        (f"(log({s}) + log(1 - {s}) < -{c}) * 0", "0", "equal", "0·1[…] = 0", None),
        (f"(log({s}) + log(1 - {s}) < 0)", "1", "equal", "s(1 − s) < 1 on (0, 1)", None),
    ])
    d = Draft({s: "scalar"}, lhs, rhs, sides, why, [f"{s} in (0, 1)"])
    if wit is not None:
        d.witness = witness({s: wit})
    return d


def simplex_corners(r: Rand) -> Draft:
    """A probability vector with positive entries, a claim false only near a vertex other
    than the last: its free entries drawn one by one below 1/n never get there, and the
    vertices themselves are not positive."""
    p = r.vec()
    lhs, rhs, sides, why, wit = r.choice([
        (f"(onehot(0, 3).T @ {p} < 9 / 10)", "1", "differ", "p₀ < 9/10 (false near e₀)",
         [Fraction(19, 20), Fraction(1, 40), Fraction(1, 40)]),
        (f"(onehot(1, 3).T @ {p} < 19 / 20)", "1", "differ", "p₁ < 19/20 (false near e₁)",
         [Fraction(1, 100), Fraction(49, 50), Fraction(1, 100)]),
        (f"(max(-{p}) < -1 / 100)", "1", "differ", "min p > 1/100 (false near a vertex)",
         [Fraction(49, 50), Fraction(1, 100), Fraction(1, 100)]),
        (f"(max({p}) < 1)", "1", "equal", "max p < 1 (every entry positive)", None),
        (f"(onehot(0, 3).T @ {p} < 1)", "1", "equal", "p₀ < 1 (the others are positive)",
         None),
        (f"(sum({p} * {p}) <= 1)", "1", "equal", "‖p‖² ≤ 1", None),
        (f"(max(-{p}) >= -1 / 3)", "1", "equal", "min p ≤ 1/3", None),
    ])
    d = Draft({p: "vector(3)"}, lhs, rhs, sides, why,
              r.shuffled([f"{p} sums to 1", f"{p} positive"]))
    if wit is not None:
        d.witness = witness({p: [[x] for x in wit]})
    return d


def box_vertices(r: Rand) -> Draft:
    """Entries in a closed interval, a claim false only at some vertices of the box: the
    special points put every entry at one value at once, and (det A > −1) = 1 for A 2×2 in
    [0, 1] (false at the swap) or (det A < 2) = 1 for 3×3 (false at three of 512 vertices)
    was "checked"."""
    a = r.mat()
    lhs, rhs, sides, why, wit, k = r.choice([
        (f"(det({a}) > -1)", "1", "differ", "det A > −1 on [0, 1]² (false at the swap)",
         [[0, 1], [1, 0]], 2),
        (f"(det({a}) >= -1)", "1", "equal", "det A ≥ −1 on [0, 1]²", None, 2),
        (f"(det({a}) < 2)", "1", "differ", "det A < 2 on [0, 1]³ˣ³ (2 at three vertices)",
         [[1, 1, 0], [0, 1, 1], [1, 0, 1]], 3),
        (f"(det({a}) <= 2)", "1", "equal", "det A ≤ 2 on [0, 1]³ˣ³ (Hadamard's bound)", None,
         3),
    ])
    d = Draft({a: f"matrix({k}, {k})"}, lhs, rhs, sides, why, [f"{a} in [0, 1]"])
    if wit is not None:
        d.witness = witness({a: [[Fraction(x) for x in row] for row in wit]})
    return d


def thin_switch_sets(r: Rand) -> Draft:
    """A comparison of a sum of squares, false only where every square vanishes at once (one
    rational point, which no parameter moved alone reaches: the other square stays positive)
    beside the same sum made nonnegative or kept away from 0; (a − 2)² + (b + 3)² > 0 was
    "checked"."""
    a, b = r.scal(), r.scal()
    p = Fraction(r.randint(-7, 7), r.choice((1, 2, 3, 7)))
    q = Fraction(r.randint(-7, 7), r.choice((1, 5, 9)))
    squares = f"({a} - ({p}))**2 + ({b} - ({q}))**2"
    lhs, rhs, sides, why, wit = r.choice([
        (f"({squares} > 0)", "1", "differ", f"a sum of squares is 0 at ({p}, {q})", (p, q)),
        (f"(3 * {squares} <= 0)", "0", "differ", f"a sum of squares is 0 at ({p}, {q})",
         (p, q)),
        (f"({squares} >= 0)", "1", "equal", "a sum of squares is nonnegative", None),
        (f"({squares} + 1/1000 > 0)", "1", "equal", "a sum of squares plus 1/1000 > 0", None),
    ])
    d = Draft({a: "scalar", b: "scalar"}, lhs, rhs, sides, why)
    if wit is not None:
        d.witness = witness({a: wit[0], b: wit[1]})
    return d


def touching_switches(r: Rand) -> Draft:
    """A kink argument that touches 0 without changing sign, (x − p)²(y − q) > 0 against
    y > q: false on the line x = p (where y > q) alone, which no point beside x = p meets;
    beside a factor that never vanishes (true).  1[x²(y − 1) > 0] = 1[y > 1] was "checked"
    at half the seeds."""
    x, y = r.scal(), r.scal()
    p = Fraction(r.randint(-7, 7), r.choice((1, 2, 3)))
    q = Fraction(r.randint(-7, 7), r.choice((1, 5)))
    sq = f"({x} - ({p}))**2"
    lhs, rhs, sides, why, wit = r.choice([
        (f"({sq} * ({y} - ({q})) > 0)", f"({y} > {q})", "differ",
         f"0 on the line {x} = {p} where {y} > {q}", (p, q + 1)),
        (f"({sq} * ({y} - ({q})) >= 0)", f"({y} >= {q})", "differ",
         f"1 on the line {x} = {p} where {y} < {q}", (p, q - 1)),
        (f"(({sq} + 1) * ({y} - ({q})) > 0)", f"({y} > {q})", "equal",
         "the square plus 1 never vanishes", None),
        (f"({sq} * ({y} - ({q}))**2 >= 0)", "1", "equal", "a product of squares is ≥ 0", None),
    ])
    d = Draft({x: "scalar", y: "scalar"}, lhs, rhs, sides, why)
    if wit is not None:
        d.witness = witness({x: wit[0], y: wit[1]})
    return d


def lens_windows(r: Rand) -> Draft:
    """A window 10⁻ᵏ wide between a curved switch and a line, entered beside where they
    cross or touch: xy > ab against x/a + y/b < 2 + 10⁻ᵏ (AM-GM: x/a + y/b ≥ 2 where
    xy ≥ ab, for positive x, y), false at x = a(1 + 10⁻ᵏ/4), y = b(1 + 10⁻ᵏ/4) and true with
    2 itself; a third switch that keeps the window; a disc against a line.  Such claims were
    "checked": no parameter moved alone from a base point enters the window."""
    x, y = r.scal(), r.scal()
    a = r.choice((Fraction(1), Fraction(2), Fraction(1, 2)))
    b = r.choice((Fraction(1), Fraction(3)))
    k = r.randint(3, 8)
    d = Fraction(1, 10**k)
    wide, narrow = f"2.{'0' * (k - 1)}1", f"1.{'9' * k}"
    curve, line = f"({x} * {y} > {a * b})", f"({x} / ({a}) + {y} / ({b})"
    lhs, sides, why, wit = r.choice([
        (f"{curve} * {line} < {wide})", "differ", "a lens beside the crossings",
         (a * (1 + d / 4), b * (1 + d / 4))),
        (f"{curve} * {line} < 2)", "equal", "AM-GM: no window", None),
        (f"{curve} * {line} < {wide}) * ({y} < {b * (1 + d)})", "differ",
         "a lens cut by a third switch", (a * (1 + d / 4), b * (1 + d / 4))),
        (f"({x}**2 + {y}**2 < 2) * ({x} + {y} > {narrow})", "differ",
         "a disc beside its tangent line", (1 - d / 4, 1 - d / 4)),
    ])
    d_ = Draft({x: "scalar", y: "scalar"}, lhs, "0", sides, why,
               [f"{x} positive", f"{y} positive"])
    if wit is not None:
        d_.witness = witness({x: wit[0], y: wit[1]})
    return d_


TEMPLATES = (tempting_conditions, positive_and_interval, negative_and_interval,
             nonzero_nonnegative, two_intervals, single_point, contradictory, opposite_signs,
             integers, boundary_windows, transcendental_switches, simplex_corners,
             box_vertices, thin_switch_sets, touching_switches, lens_windows)
