"""Structured matrices and several assumptions on one matrix.

Orthogonal matrices with det −1 (a rotation-only sample proves det Q = 1), comparisons
that switch at −I or a half-turn (which no Cayley transform reaches), symmetric and
orthogonal (Q² = I), diagonal and skew (only 0), diagonal and orthogonal (diag(±1)),
positive definite and orthogonal (only I), skew and orthogonal (even sizes only: vacuous at
odd ones), positive definite quadratic forms, invertible matrices and commuting pairs,
alone and combined with symmetric or orthogonal, and commuting assumptions whose set has
the component A = cI (a structure on one side, a matrix in two pairs).  The assumptions are
written in a random order, so a strategy where the last one wins is caught either way.
"""

from __future__ import annotations

from fractions import Fraction

from verifier.selftest.generators.base import Draft, Rand, col, diag, eye, sizes_of, witness

NAME = "structures"


def _pad(m: list[list[Fraction]], k: int) -> list[list[Fraction]]:
    """Block-diagonal [m, I]: a 2×2 witness grown to k×k."""
    n = len(m)
    out = eye(k)
    for i in range(n):
        for j in range(n):
            out[i][j] = Fraction(m[i][j])
    return out


ROT = [[Fraction(3, 5), Fraction(-4, 5)], [Fraction(4, 5), Fraction(3, 5)]]


def orthogonal_det(r: Rand) -> Draft:
    q = r.mat()
    n, k = r.size(2, 4)
    flip = diag(-1, *([1] * (k - 1)))
    lhs, rhs, sides, why, wit = r.choice([
        (f"det({q})", "1", "differ", "det Q = 1 for Q orthogonal (det −1 exists)", flip),
        (f"det({q}) ** 2", "1", "equal", "det(Q)² = 1 for Q orthogonal", None),
        (f"abs(det({q}))", "1", "equal", "|det Q| = 1 for Q orthogonal", None),
        (f"det({q}) * {q}.T", f"inv({q})", "differ", "det(Q)·Qᵀ = Q⁻¹ (only for rotations)",
         flip),
        (f"det({q} @ {q})", "1", "equal", "det(Q²) = 1 for Q orthogonal", None),
        (f"trace({q} @ {q}.T)", f"{n}", "equal", "tr(QQᵀ) = n", None),
        (f"{q}.T @ {q}", f"eye({n})", "equal", "QᵀQ = I", None),
    ])
    d = Draft({q: f"matrix({n}, {n})"}, lhs, rhs, sides, why, [f"{q} orthogonal"])
    if wit is not None:
        d.witness = witness({q: wit}, sizes_of((n, k)))
    return d


def orthogonal_2x2(r: Rand) -> Draft:
    q = r.mat()
    refl = diag(1, -1)
    lhs, rhs, sides, why, wit = r.choice([
        (f"{q} + {q}.T", f"trace({q}) * eye(2)", "differ", "Q + Qᵀ = tr(Q)·I (rotations only)",
         refl),
        (f"{q} @ {q}", f"trace({q}) * {q} - eye(2)", "differ",
         "Q² = tr(Q)Q − I (rotations only)", refl),
        (f"{q} @ {q}", f"trace({q}) * {q} - det({q}) * eye(2)", "equal",
         "Cayley–Hamilton for an orthogonal 2×2", None),
        (f"det({q} + eye(2))", f"2 + trace({q})", "differ", "det(Q + I) = 2 + tr Q (rotations)",
         refl),
        (f"det({q} + eye(2))", f"1 + det({q}) + trace({q})", "equal", "det(Q + I), 2×2", None),
        (f"{q} - {q}.T", "zeros(2, 2)", "differ", "Q = Qᵀ (reflections only)", ROT),
    ])
    d = Draft({q: "matrix(2, 2)"}, lhs, rhs, sides, why, [f"{q} orthogonal"])
    if wit is not None:
        d.witness = witness({q: wit})
    return d


def orthogonal_3x3(r: Rand) -> Draft:
    q, x = r.mat(), r.vec()
    minus = diag(-1, -1, -1)
    lhs, rhs, sides, why, wit = r.choice([
        (f"det({q} - eye(3))", "0", "differ", "a 3×3 orthogonal Q has eigenvalue 1 "
         "(rotations only)", minus),
        (f"det({q} + eye(3))", "0", "differ", "a 3×3 orthogonal Q has eigenvalue −1 "
         "(reflections only)", eye(3)),
        (f"det({q} - eye(3)) * det({q} + eye(3))", "0", "equal",
         "±1 is an eigenvalue of every 3×3 orthogonal Q", None),
        (f"norm({q} @ {x})", f"norm({x})", "equal", "‖Qx‖ = ‖x‖", None),
        (f"{q} @ {q}.T @ {q}", q, "equal", "QQᵀQ = Q", None),
    ])
    d = Draft({q: "matrix(3, 3)", x: "vector(3)"}, lhs, rhs, sides, why, [f"{q} orthogonal"])
    if wit is not None:
        d.witness = witness({q: wit, x: col(1, 0, 0)})
    return d


def orthogonal_minus_one(r: Rand) -> Draft:
    """Comparisons that switch on the orthogonal matrices with the eigenvalue −1 in their
    det +1 component (−I at even sizes, rotations by π): no Cayley transform reaches them, so
    a parametrisation by I·C(K) and diag(−1, 1, …)·C(K) alone is dense but not onto."""
    q = r.mat()
    k = r.choice((2, 3))
    half_turn = diag(-1, -1, *([1] * (k - 2)))
    lhs, rhs, sides, why, wit = r.choice([
        (f"(trace({q}) > -{k})", "1", "differ", "tr Q > −n (Q = −I)", diag(*([-1] * k))),
        (f"(trace({q}) >= -{k})", "1", "equal", "tr Q ≥ −n", None),
        (f"(abs(det({q} + eye({k}))) > 0) * (det({q}) > 0)", f"(det({q}) > 0)", "differ",
         "a rotation never has the eigenvalue −1 (a half-turn has)", half_turn),
        (f"(det({q} + eye({k})) >= 0)", "1", "equal", "det(Q + I) ≥ 0 for Q orthogonal", None),
        (f"(abs(trace({q})) <= {k})", "1", "equal", "|tr Q| ≤ n", None),
    ])
    d = Draft({q: f"matrix({k}, {k})"}, lhs, rhs, sides, why, [f"{q} orthogonal"])
    if wit is not None:
        d.witness = witness({q: wit})
    return d


def cayley_inverse(r: Rand) -> Draft:
    q = r.mat()
    n, k = r.size(2, 4)
    e = f"eye({n})"
    cay = f"({e} - {q}) @ inv({e} + {q})"
    lhs, rhs, sides, why, wit = r.choice([
        (cay, f"-({cay}).T", "equal", "(I − Q)(I + Q)⁻¹ is skew (where I + Q is invertible)",
         None),
        (f"inv({e} + {q}) @ ({e} + {q})", e, "equal", "(I + Q)⁻¹(I + Q) = I where defined",
         None),
        (cay, f"zeros({n}, {n})", "differ", "the Cayley transform of Q is 0", _pad(ROT, k)),
    ])
    d = Draft({q: f"matrix({n}, {n})"}, lhs, rhs, sides, why, [f"{q} orthogonal"])
    if wit is not None:
        d.witness = witness({q: wit}, sizes_of((n, k)))
    return d


def symmetric_orthogonal(r: Rand) -> Draft:
    q = r.mat()
    n, k = r.size(2, 4)
    e = f"eye({n})"
    lhs, rhs, sides, why, wit = r.choice([
        (f"{q} @ {q}", e, "equal", "Q² = I for Q symmetric and orthogonal", None),
        (f"inv({q})", q, "equal", "Q⁻¹ = Q for Q symmetric and orthogonal", None),
        (f"{q} @ {q} @ {q}", q, "equal", "Q³ = Q", None),
        (f"trace({q} @ {q})", f"{n}", "equal", "tr(Q²) = n", None),
        (f"abs(det({q}))", "1", "equal", "|det Q| = 1", None),
        (f"det({q})", "1", "differ", "det Q = 1 (diag(−1, 1, …) is symmetric orthogonal)",
         diag(-1, *([1] * (k - 1)))),
        (q, e, "differ", "Q = I", diag(*([1] * (k - 1)), -1)),
    ])
    assume = r.shuffled([f"{q} symmetric", f"{q} orthogonal"])
    d = Draft({q: f"matrix({n}, {n})"}, lhs, rhs, sides, why, assume)
    if wit is not None:
        d.witness = witness({q: wit}, sizes_of((n, k)))
    return d


def diagonal_skew(r: Rand) -> Draft:
    m, a = r.mat(), r.mat()
    n, k = r.size(2, 4)
    z = f"zeros({n}, {n})"
    lhs, rhs, sides, why = r.choice([
        (m, z, "equal", "diagonal and skew: M = 0"),
        (f"{m} @ {a}", f"{a} @ {m}", "equal", "M = 0 commutes with everything"),
        (f"exp(trace({m}))", "1", "equal", "exp(tr M) = 1"),
        (f"det(eye({n}) + {m})", "1", "equal", "det(I + M) = 1"),
        (f"sum(abs({m}))", "1", "differ", "Σ|Mᵢⱼ| = 1 (M is 0)"),
        (f"norm({m})", "0", "equal", "‖M‖ = 0"),
        (f"{a} + {m}", f"{a} - {m}", "equal", "A + M = A − M"),
    ])
    symbols = {m: f"matrix({n}, {n})", a: f"matrix({n}, {n})"}
    assume = r.shuffled([f"{m} diagonal", f"{m} skew-symmetric"])
    d = Draft(symbols, lhs, rhs, sides, why, assume)
    if sides == "differ":
        d.witness = witness({m: [[0] * k for _ in range(k)], a: eye(k)}, sizes_of((n, k)))
    return d


def diagonal_orthogonal(r: Rand) -> Draft:
    m, a = r.mat(), r.mat()
    n, k = r.size(2, 4)
    e = f"eye({n})"
    lhs, rhs, sides, why, wit = r.choice([
        (f"{m} @ {m}", e, "equal", "D² = I for D diagonal and orthogonal", None),
        (f"abs({m})", e, "equal", "|D| = I entry-wise", None),
        (m, e, "differ", "D = I (diag(−1, 1) is diagonal orthogonal)",
         {m: diag(-1, *([1] * (k - 1))), a: eye(k)}),
        (f"{m} @ {a} @ {m}", a, "differ", "DAD = A", {m: diag(-1, *([1] * (k - 1))),
                                                       a: [[1] * k for _ in range(k)]}),
        (f"{m} @ {a} @ {m} @ {m}", f"{m} @ {a}", "equal", "D A D D = D A", None),
    ])
    symbols = {m: f"matrix({n}, {n})", a: f"matrix({n}, {n})"}
    d = Draft(symbols, lhs, rhs, sides, why, r.shuffled([f"{m} diagonal", f"{m} orthogonal"]))
    if wit is not None:
        d.witness = witness(wit, sizes_of((n, k)))
    return d


def definite_orthogonal(r: Rand) -> Draft:
    q, a = r.mat(), r.mat()
    n, k = r.size(2, 4)
    lhs, rhs, sides, why = r.choice([
        (q, f"eye({n})", "equal", "positive definite and orthogonal: Q = I"),
        (f"trace({q})", f"{n}", "equal", "tr Q = n"),
        (f"{q} @ {a}", a, "equal", "QA = A"),
        (f"det({q})", "2", "differ", "det Q = 2 (Q = I)"),
    ])
    symbols = {q: f"matrix({n}, {n})", a: f"matrix({n}, {n})"}
    assume = r.shuffled([f"{q} positive definite", f"{q} orthogonal"])
    d = Draft(symbols, lhs, rhs, sides, why, assume)
    if sides == "differ":
        d.witness = witness({q: eye(k), a: eye(k)}, sizes_of((n, k)))
    return d


def skew_orthogonal(r: Rand) -> Draft:
    m = r.mat()
    n = r.choice(("n", "m", 2, 4, 3, 5))
    lhs, rhs, sides, why = r.choice([
        (f"{m} @ {m}", f"-eye({n})", "equal", "skew and orthogonal: M² = −I"),
        (f"det({m})", "1", "equal", "det M = 1 for M skew and orthogonal"),
        (f"{m}.T", f"-{m}", "equal", "Mᵀ = −M"),
        (m, f"zeros({n}, {n})", "differ", "M = 0"),
    ])
    if isinstance(n, int) and n % 2:
        sides, why = "vacuous", why + f" (no such matrix at size {n})"
    d = Draft({m: f"matrix({n}, {n})"}, lhs, rhs, sides, why,
              r.shuffled([f"{m} skew-symmetric", f"{m} orthogonal"]))
    if sides == "differ":
        k = n if isinstance(n, int) else 2
        j = [[0] * k for _ in range(k)]
        for i in range(0, k, 2):
            j[i][i + 1], j[i + 1][i] = 1, -1
        d.witness = witness({m: j}, sizes_of((n, k)))
    return d


def definite_forms(r: Rand) -> Draft:
    a, x = r.mat(), r.vec()
    n, k = r.size(2, 4)
    assumed = r.chance(0.5)
    q = f"{x}.T @ {a} @ {x}"
    neg = {a: diag(-1, *([1] * (k - 1))), x: col(1, *([0] * (k - 1)))}
    choices = [
        (f"abs({q})", q, "equal" if assumed else "differ", "|xᵀAx| = xᵀAx", neg),
        (f"relu(-({q}))", "0", "equal" if assumed else "differ", "relu(−xᵀAx) = 0", neg),
        (f"sqrt({q}) ** 2", q, "equal", "(√xᵀAx)² = xᵀAx where defined", None),
        (f"det({a})", f"abs(det({a}))", "equal" if assumed else "differ", "det A = |det A|",
         neg),
        (f"inv({a}) @ {a} @ {x}", x, "equal", "A⁻¹Ax = x where defined", None),
        (f"log(det({a}))", f"-log(det(inv({a})))", "equal", "log det A = −log det A⁻¹", None),
    ]
    lhs, rhs, sides, why, wit = r.choice(choices)
    assume = []
    if assumed:
        assume = [f"{a} positive definite"] + ([f"{a} symmetric"] if r.chance(0.3) else [])
        assume = r.shuffled(assume)
    d = Draft({a: f"matrix({n}, {n})", x: f"vector({n})"}, lhs, rhs, sides, why, assume)
    if sides == "differ":
        d.witness = witness(wit, sizes_of((n, k)))
    return d


def invertible(r: Rand) -> Draft:
    a, b, c = r.mat(), r.mat(), r.scal()
    n, k = r.size(2, 4)
    up, low = _pad([[1, 1], [0, 1]], k), _pad([[1, 0], [1, 1]], k)
    lhs, rhs, sides, why, wit = r.choice([
        (f"inv({a}) @ {a}", f"eye({n})", "equal", "A⁻¹A = I", None),
        (f"det(inv({a}))", f"1 / det({a})", "equal", "det A⁻¹ = 1/det A", None),
        (f"inv({a}.T)", f"inv({a}).T", "equal", "(Aᵀ)⁻¹ = (A⁻¹)ᵀ", None),
        (f"inv({a} @ {b})", f"inv({a}) @ inv({b})", "differ", "(AB)⁻¹ = A⁻¹B⁻¹",
         {a: up, b: low, c: 1}),
        (f"inv({a} @ {b})", f"inv({b}) @ inv({a})", "equal", "(AB)⁻¹ = B⁻¹A⁻¹", None),
        (f"inv(2 * {a})", f"2 * inv({a})", "differ", "(2A)⁻¹ = 2A⁻¹", {a: eye(k), b: eye(k),
                                                                      c: 1}),
        (f"inv({c} * {a})", f"inv({a}) / {c}", "equal", "(cA)⁻¹ = A⁻¹/c", None),
    ])
    assume = [f"{a} invertible"] + ([f"{b} invertible"] if r.chance(0.5) else [])
    symbols = {a: f"matrix({n}, {n})", b: f"matrix({n}, {n})", c: "scalar"}
    d = Draft(symbols, lhs, rhs, sides, why, r.shuffled(assume) if r.chance(0.8) else [])
    if wit is not None:
        d.witness = witness(wit, sizes_of((n, k)))
    return d


def skew_invertible(r: Rand) -> Draft:
    a = r.mat()
    n = r.choice((3, 5, r.dim(), 2, 4))
    lhs, rhs, sides, why = r.choice([
        (f"inv({a}) @ {a}", f"eye({n})", "equal", "A⁻¹A = I for A skew and invertible"),
        (f"inv({a}).T", f"-inv({a})", "equal", "the inverse of a skew matrix is skew"),
        (f"det({a})", f"abs(det({a}))", "equal", "det A ≥ 0 for A skew (even n)"),
        (f"{a}", f"zeros({n}, {n})", "differ", "A = 0"),
    ])
    if isinstance(n, int) and n % 2:
        sides, why = "vacuous", why + f" (a skew matrix of odd size {n} is singular)"
    d = Draft({a: f"matrix({n}, {n})"}, lhs, rhs, sides, why,
              r.shuffled([f"{a} skew-symmetric", f"{a} invertible"]))
    if sides == "differ":
        k = n if isinstance(n, int) else 2
        j = [[0] * k for _ in range(k)]
        for i in range(0, k, 2):
            j[i][i + 1], j[i + 1][i] = 1, -1
        d.witness = witness({a: j}, sizes_of((n, k)))
    return d


def condition_traps(r: Rand) -> Draft:
    """False claims that some standard conditions fix and others do not: a condition the
    engine names must be one that does."""
    a = r.mat()
    n, k = r.size(2, 3)
    lhs, rhs, why, wit = r.choice([
        (f"{a} @ {a}.T", f"{a}.T @ {a}", "AAᵀ = AᵀA (symmetric, skew, orthogonal, diagonal)",
         [[0, 1], [0, 0]]),
        (f"trace({a} @ {a})", f"trace({a}.T @ {a})", "tr A² = tr AᵀA (symmetric; not skew)",
         [[0, 1], [0, 0]]),
        (f"det({a} + {a}.T)", f"2 ** {n} * det({a})", "det(A + Aᵀ) = 2ⁿ det A (symmetric)",
         [[0, 1], [0, 0]]),
        (f"abs(det({a}))", f"det({a})", "|det A| = det A (positive definite; not orthogonal)",
         [[-1, 0], [0, 1]]),
        (f"{a} @ {a}", f"eye({n})", "A² = I (not for every orthogonal A)", [[0, 1], [0, 0]]),
    ])
    d = Draft({a: f"matrix({n}, {n})"}, lhs, rhs, "differ", why)
    d.witness = witness({a: _pad(wit, k)}, sizes_of((n, k)))
    return d


def commuting(r: Rand) -> Draft:
    a, b = r.mat(), r.mat()
    n, k = r.size(2, 4)
    mode = r.choice(("plain", "symmetric", "orthogonal", "definite", "diagonal"))
    commute = r.chance(0.6)
    e = f"eye({n})"
    choices = [
        (f"({a} + {b}) @ ({a} + {b})", f"{a} @ {a} + 2 * ({a} @ {b}) + {b} @ {b}",
         "(A + B)² = A² + 2AB + B²"),
        (f"{a} @ {b} @ {a}", f"{a} @ {a} @ {b}", "ABA = A²B"),
        (f"{a} @ {b} - {b} @ {a}", f"zeros({n}, {n})", "AB − BA = 0"),
    ]
    always = [
        (f"exp(trace({a} @ {b} - {b} @ {a}))", "1", "tr(AB − BA) = 0"),
        (f"det({a} @ {b})", f"det({b} @ {a})", "det AB = det BA"),
    ]
    never: list[tuple[str, str, str]] = []  # false whatever commutes
    assume = []
    if mode == "symmetric":
        assume = [f"{a} symmetric", f"{b} symmetric"]
        choices.append((f"({a} @ {b}).T", f"{a} @ {b}", "AB is symmetric"))
    elif mode == "orthogonal":
        assume = [f"{a} orthogonal", f"{b} orthogonal"]
        choices.append((f"{a} @ {b} @ {a}.T", b, "ABAᵀ = B"))
        always.append((f"({a} @ {b}).T @ ({a} @ {b})", e, "(AB)ᵀAB = I"))
    elif mode == "definite":
        assume = [f"{a} positive definite", f"{b} symmetric"]
        choices.append((f"{a} @ {b}", f"{b} @ {a}", "AB = BA"))
    elif mode == "diagonal":  # diagonal matrices always commute
        assume = [f"{a} diagonal", f"{b} diagonal"]
        always.append((f"{a} @ {b}", f"{b} @ {a}", "diagonal matrices commute"))
        always.append((f"({a} + {b}) @ ({a} + {b})", f"{a} @ {a} + 2 * ({a} @ {b}) + {b} @ {b}",
                       "(A + B)² for diagonal A, B"))
        choices = []
        never.append((f"{a} @ {b}", f"{a} + {b}", "AB = A + B"))
    if commute:
        assume.append(f"{a} and {b} commute")
    lhs, rhs, why = r.choice(choices + always + never)
    picked = (lhs, rhs, why)
    sides = "equal" if picked in always or (commute and picked in choices) else "differ"
    d = Draft({a: f"matrix({n}, {n})", b: f"matrix({n}, {n})"}, lhs, rhs, sides, why,
              r.shuffled(assume))
    if sides == "differ" and mode == "orthogonal":
        d.witness = witness({a: _pad(diag(1, -1), k), b: _pad([[0, 1], [1, 0]], k)},
                            sizes_of((n, k)))
    return d


NILPOTENT = [[0, 1], [0, 0]]


def commuting_identity(r: Rand) -> Draft:
    """A = cI commutes with every matrix: with a structure on A alone (symmetric, diagonal,
    positive definite), or a matrix in two commuting pairs, B = p(A) misses that component
    (B need not be symmetric; A ~ B ~ C says nothing of A and C)."""
    a, b, c = r.mat(), r.mat(), r.mat()
    n, k = r.size(2, 4)
    sq = f"matrix({n}, {n})"
    mode = r.choice(("one-sided", "chain", "star"))
    if mode == "one-sided":
        struct = r.choice(("symmetric", "diagonal", "positive definite"))
        lhs, rhs, sides, why = r.choice([
            (f"{b} - {b}.T", f"zeros({n}, {n})", "differ", f"B symmetric (A {struct})"),
            (f"({a} @ {b}).T", f"{a} @ {b}", "differ", f"AB symmetric (A {struct})"),
            (f"({a} @ {b}).T", f"{b}.T @ {a}", "equal", f"(AB)ᵀ = BᵀA (A {struct})"),
            (f"{a} @ {b} @ {a}", f"{a} @ {a} @ {b}", "equal", "ABA = A²B"),
        ])
        d = Draft({a: sq, b: sq}, lhs, rhs, sides, why,
                  r.shuffled([f"{a} {struct}", f"{a} and {b} commute"]))
        wit = {a: eye(k), b: _pad(NILPOTENT, k)}
    else:
        hub, x, y = (b, a, c) if mode == "chain" else (a, b, c)
        pairs = [f"{a} and {b} commute", f"{b} and {c} commute" if mode == "chain"
                 else f"{a} and {c} commute"]
        lhs, rhs, sides, why = r.choice([
            (f"{x} @ {y}", f"{y} @ {x}", "differ", f"{x}, {y} commute with {hub}, not each other"),
            (f"{hub} @ {x} @ {y}", f"{x} @ {hub} @ {y}", "equal", "the hub commutes with both"),
        ])
        d = Draft({a: sq, b: sq, c: sq}, lhs, rhs, sides, why, r.shuffled(pairs))
        wit = {hub: eye(k), x: _pad(NILPOTENT, k), y: _pad([[0, 0], [1, 0]], k)}
    if sides == "differ":
        d.witness = witness(wit, sizes_of((n, k)))
    return d


def positive_diagonal_windows(r: Rand) -> Draft:
    """A positive definite (or diagonal positive definite) matrix whose trace enters a
    window below every value a random positive entry gives (diag(1/5, 1/5) has trace 2/5);
    the condition "symmetric" is implied and must not be offered."""
    m = r.mat()
    n, k = r.size(2, 3)
    lo, hi = r.choice((("1/3", "1/2"), ("1/3", "1/3 + 1e-30")))
    mid = (Fraction(1, 3) + (Fraction(1, 2) if hi == "1/2" else
                             Fraction(1, 3) + Fraction(1, 10**30))) / 2
    lhs, rhs, sides, why = r.choice([
        (f"(trace({m}) > {lo}) * (trace({m}) < {hi})", "0", "differ",
         "tr M never lies in a window below 1/2"),
        (f"(trace({m}) > 0)", "1", "equal", "tr M > 0 for M positive definite"),
    ])
    symbols = {m: f"matrix({n}, {n})"}
    props = [f"{m} positive definite"] + ([f"{m} diagonal"] if r.rng.random() < 0.5 else [])
    d = Draft(symbols, lhs, rhs, sides, why, r.shuffled(props))
    if sides == "differ":
        d.witness = witness({m: eye(k, mid / k)}, sizes_of((n, k)))
    return d


def nonnegative_symmetric(r: Rand) -> Draft:
    """A symmetric matrix with nonnegative entries: (tr M ≥ n) = 1 fails at 0, and under
    "M orthogonal" still at a permutation ([[0, 1], [1, 0]] ⊕ I), so that is no condition
    (the engine's orthogonal sampler, filtered by the sign, reached I alone and offered it)."""
    m = r.mat()
    n, k = r.size(2, 3)
    lhs, rhs, sides, why = r.choice([
        (f"(trace({m}) >= {n})", "1", "differ", "tr M ≥ n (0 and the swaps have less)"),
        (f"(trace({m}) >= 0)", "1", "equal", "tr M ≥ 0 for a nonnegative M"),
    ])
    symbols = {m: f"matrix({n}, {n})"}
    d = Draft(symbols, lhs, rhs, sides, why, r.shuffled([f"{m} symmetric", f"{m} nonnegative"]))
    if sides == "differ":
        d.witness = witness({m: [[0] * k for _ in range(k)]}, sizes_of((n, k)))
    return d


def orthogonal_swaps(r: Rand) -> Draft:
    """An orthogonal (or symmetric orthogonal) matrix at a swap: rational Cayley parameters
    never reach [[0, 1], [1, 0]] in a symmetric component (R a rotation by π/4), and a
    comparison on the entries switches there alone; "holds if Q symmetric" was offered for
    (Q₀₀² + Q₁₁² > 0) = 1, false at the swap."""
    q = r.mat()
    k = r.choice((2, 3))
    swap = [[1 if i + j == k - 1 else 0 for j in range(k)] for i in range(k)]
    first, last = f"onehot(0, {k})", f"onehot({k - 1}, {k})"
    corner, top, bottom = (f"({first}.T @ {q} @ {last})", f"({first}.T @ {q} @ {first})",
                           f"({last}.T @ {q} @ {last})")
    lhs, rhs, sides, why, wit = r.choice([
        (f"({top} ** 2 + {bottom} ** 2 > 0)", "1", "differ",
         "a corner of the diagonal is nonzero (false at the reversal)", swap),
        (f"(abs({corner}) < 1)", "1", "differ", "|Q₀ₖ| < 1 (false at the reversal)", swap),
        (f"(abs({corner}) <= 1)", "1", "equal", "|Q₀ₖ| ≤ 1 for an orthogonal Q", None),
    ])
    props = [f"{q} orthogonal"] + ([f"{q} symmetric"] if r.chance(0.5) else [])
    d = Draft({q: f"matrix({k}, {k})"}, lhs, rhs, sides, why, r.shuffled(props))
    if wit is not None:
        d.witness = witness({q: wit})
    return d


TEMPLATES = (orthogonal_det, orthogonal_2x2, orthogonal_3x3, orthogonal_minus_one,
             cayley_inverse, skew_invertible,
             symmetric_orthogonal, diagonal_skew, diagonal_orthogonal, definite_orthogonal,
             skew_orthogonal, definite_forms, invertible, condition_traps, commuting,
             commuting_identity, positive_diagonal_windows, nonnegative_symmetric,
             orthogonal_swaps)
