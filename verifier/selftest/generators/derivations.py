"""Multi-step derivations: each step is a claim, and the chain is only as good as its worst.

Chains whose failing steps need *different* conditions (step 1 needs A symmetric, step 2
needs B symmetric: no single condition makes the chain hold unless the claim assumes the
other), one wrong step among right ones (a lost factor 2 or a flipped sign, the later steps
continuing correctly from the wrong expression), a step with a gradient whose last step
needs symmetry, a step that fails only at n = 4, steps through singular points, and steps
next to extreme magnitudes.
"""

from __future__ import annotations

from verifier.selftest.generators.base import Draft, Rand, witness

NAME = "derivations"


def _overall(steps: list[str]) -> str:
    """A chain holds only if every step does: one false step makes it false, one step
    undefined everywhere leaves it undecidable."""
    if "differ" in steps:
        return "differ"
    if "undefined" in steps:
        return "undefined"
    if all(s == "vacuous" for s in steps):
        return "vacuous"
    return "equal"


def _draft(symbols, steps, step_sides, why, assume=(), wit=None) -> Draft:
    return Draft(symbols, sides=_overall(step_sides), why=why, assume=list(assume),
                 steps=list(steps), step_sides=list(step_sides), witness=wit)


def two_conditions(r: Rand) -> Draft:
    x, y, a, b = r.vec(), r.vec(), r.mat(), r.mat()
    n = r.choice((r.dim(), 2, 3))
    sym_a, sym_b = r.chance(0.35), r.chance(0.35)
    if r.chance(0.5):  # which symbol the first failing step needs
        a, b, sym_a, sym_b = b, a, sym_b, sym_a
    steps = [f"{x}.T @ {a} @ {y} + {x}.T @ {b} @ {y}",
             f"{y}.T @ {a} @ {x} + {x}.T @ {b} @ {y}",
             f"{y}.T @ {a} @ {x} + {y}.T @ {b} @ {x}",
             f"{y}.T @ ({a} + {b}) @ {x}"]
    sides = ["equal" if sym_a else "differ", "equal" if sym_b else "differ", "equal"]
    if r.chance(0.4):
        steps.insert(0, f"{x}.T @ ({a} + {b}) @ {y}")
        sides.insert(0, "equal")
    assume = [f"{a} symmetric"] * sym_a + [f"{b} symmetric"] * sym_b
    symbols = {x: f"vector({n})", y: f"vector({n})", a: f"matrix({n}, {n})",
               b: f"matrix({n}, {n})"}
    return _draft(symbols, steps, sides, "two steps, each needing its own symmetric matrix",
                  r.shuffled(assume))


def commute_then_symmetric(r: Rand) -> Draft:
    a, b = r.mat(), r.mat()
    n = r.choice((r.dim(), 2, 3))
    commute, sym = r.chance(0.35), r.chance(0.35)
    steps = [f"({a} + {b}) @ ({a} + {b})",
             f"{a} @ {a} + {a} @ {b} + {b} @ {a} + {b} @ {b}",
             f"{a} @ {a} + 2 * ({a} @ {b}) + {b} @ {b}",
             f"{a}.T @ {a} + 2 * ({a} @ {b}) + {b} @ {b}"]
    sides = ["equal", "equal" if commute else "differ", "equal" if sym else "differ"]
    assume = [f"{a} and {b} commute"] * commute + [f"{a} symmetric"] * sym
    return _draft({a: f"matrix({n}, {n})", b: f"matrix({n}, {n})"}, steps, sides,
                  "one step needs A, B to commute, a later one A symmetric", r.shuffled(assume))


def wrong_step(r: Rand) -> Draft:
    a, b = r.vec(), r.vec()
    n = r.choice((r.dim(), 2, 3, 4))
    slip = r.choice(("none", "factor", "sign", "last"))
    cross = f"({a}.T @ {b})"
    mid = {"factor": f"- {cross}", "sign": f"+ 2 * {cross}"}.get(slip, f"- 2 * {cross}")
    steps = [f"norm({a} - {b}) ** 2",
             f"({a} - {b}).T @ ({a} - {b})",
             f"{a}.T @ {a} {mid} + {b}.T @ {b}",
             f"norm({a}) ** 2 {mid} + norm({b}) ** 2"]
    sides = ["equal", "equal" if slip in ("none", "last") else "differ", "equal"]
    if slip == "last":
        steps[3] = f"norm({a}) ** 2 {mid} - norm({b}) ** 2"
        sides[2] = "differ"
    if r.chance(0.4):
        steps.append(f"norm({b}) ** 2 {mid} + norm({a}) ** 2" if slip != "last"
                     else f"-norm({b}) ** 2 {mid} + norm({a}) ** 2")
        sides.append("equal")
    return _draft({a: f"vector({n})", b: f"vector({n})"}, steps, sides,
                  f"‖a − b‖² expanded ({'no slip' if slip == 'none' else 'a slip: ' + slip})")


def gradient_steps(r: Rand) -> Draft:
    x, a = r.vec(), r.mat()
    n = r.choice((r.dim(), 2, 3))
    sym = r.chance(0.4)
    steps = [f"grad({x}.T @ {a} @ {x}, {x})", f"{a} @ {x} + {a}.T @ {x}",
             f"({a} + {a}.T) @ {x}", f"2 * {a} @ {x}"]
    sides = ["equal", "equal", "equal" if sym else "differ"]
    if r.chance(0.3):  # a slip in the middle instead
        steps[2] = f"({a} + {a}) @ {x}"
        sides = ["equal", "equal" if sym else "differ", "equal"]
    return _draft({x: f"vector({n})", a: f"matrix({n}, {n})"}, steps, sides,
                  "∇(xᵀAx) = (A + Aᵀ)x = 2Ax", [f"{a} symmetric"] * sym)


def determinant_chain(r: Rand) -> Draft:
    a, b, c = r.mat(), r.mat(), r.scal()
    n = r.choice((r.dim(), 2, 3, 4))
    steps = [f"det({c} * {a}) * det({b})", f"{c} ** 2 * det({a}) * det({b})",
             f"{c} ** 2 * det({a} @ {b})"]
    first = "equal" if n in (1, 2, 3) else "differ"
    d = _draft({a: f"matrix({n}, {n})", b: f"matrix({n}, {n})", c: "scalar"}, steps,
               [first, "equal"], "det(cA) = c² det A for A skew (fails at n = 4)",
               [f"{a} skew-symmetric"])
    if first == "differ":
        j = [[0, 1, 0, 0], [-1, 0, 0, 0], [0, 0, 0, 1], [0, 0, -1, 0]]
        eye4 = [[int(i == k) for k in range(4)] for i in range(4)]
        d.witness = witness({a: j, b: eye4, c: 2}, {n: 4} if isinstance(n, str) else {},
                            step=1)
    return d


def through_singular_points(r: Rand) -> Draft:
    x, y, a, s = r.vec(), r.vec(), r.mat(), r.scal()
    n = r.choice((r.dim(), 2, 3))
    symbols = {x: f"vector({n})", y: f"vector({n})", a: f"matrix({n}, {n})", s: "scalar"}
    steps, sides, why = r.choice([
        ([f"inv({a}) @ {a} @ {x} + {y}", f"{x} + {y}", f"{y} + {x}"], ["equal", "equal"],
         "A⁻¹Ax + y = x + y where A is invertible"),
        ([f"log({s} ** 2)", f"2 * log({s})", f"log({s}) + log({s})"], ["equal", "equal"],
         "log s² = 2 log s where defined"),
        ([f"({s} ** 2 - 1) / ({s} - 1)", f"{s} + 1", f"1 + {s}"], ["equal", "equal"],
         "(s² − 1)/(s − 1) = s + 1 where s ≠ 1"),
        ([f"({s} ** 2 - 1) / ({s} - 1)", f"{s} + 1", f"{s} - 1"], ["equal", "differ"],
         "(s² − 1)/(s − 1) = s + 1 = s − 1"),
        ([f"inv({a} - {a}) @ {x}", f"zeros({n}, 1)", f"0 * {x}"], ["undefined", "equal"],
         "a step through inv(A − A)"),
    ])
    return _draft(symbols, steps, sides, why)


def magnitude_steps(r: Rand) -> Draft:
    x = r.scal()
    big = r.choice(("1e20", "1e28", "1e30"))
    k = r.choice(("100", "200", "300"))
    steps, sides, why, w = r.choice([
        ([f"({x} + {big}) - {big}", x, f"{x} * 1"], ["equal", "equal"],
         f"(x + {big}) − {big} = x", None),
        ([f"exp({k} * {x}) + 1", f"exp({k} * {x})", f"exp({int(k) // 2} * {x}) ** 2"],
         ["differ", "equal"], f"e^({k}x) + 1 = e^({k}x)", 1),
        ([f"relu(1 - 1000 * abs({x})) + {x}", x, f"abs({x})"], ["differ", "equal"],
         "a bump of width 1/1000 dropped", "1/10000"),
    ])
    d = _draft({x: "scalar"}, steps, sides, why, [f"{x} positive"])
    if w is not None:
        d.witness = witness({x: w}, step=1)
    return d


TEMPLATES = (two_conditions, commute_then_symmetric, wrong_step, gradient_steps,
             determinant_chain, through_singular_points, magnitude_steps)

