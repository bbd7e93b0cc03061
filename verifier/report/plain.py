"""Plain-text pieces shared by the console report and ``print(result)``: values on one line,
a counterexample in a line or two, clipping with a visible mark.  No rich, no SymPy."""

from __future__ import annotations

from verifier.account import inline_value
from verifier.verdict import Counterexample, Result, Verdict

__all__ = ["clip", "counterexample_line", "inline_value", "why_line"]


def clip(text: str, limit: int) -> str:
    """``text`` on one line, at most ``limit`` characters; a clipped text ends in "…"."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: max(limit - 1, 1)].rstrip() + "…"


def _sizes(cx: Counterexample) -> str:
    return ", ".join(f"{k}={n}" for k, n in cx.sizes.items())


def _fill(texts: list[str], room: int) -> list[str]:
    """Clip ``texts`` to share ``room`` characters: short ones whole, the rest equally."""
    texts = list(texts)
    short = set()
    while True:
        long_ = [i for i in range(len(texts)) if i not in short]
        if not long_:
            return texts
        share = (room - sum(len(texts[i]) for i in short)) // len(long_)
        fits = [i for i in long_ if len(texts[i]) <= share]
        if not fits:
            return [t if i in short else clip(t, max(share, 8)) for i, t in enumerate(texts)]
        short.update(fits)


def counterexample_line(cx: Counterexample, budget: int = 240) -> str:
    """A counterexample in about ``budget`` characters: where, the point, both sides.

    When it is longer, the values share the room (short ones whole, long ones clipped with
    "…"; ``derivcheck check ID`` prints them whole), both sides getting at least a quarter.
    """
    if cx.note and not cx.values:
        return cx.note
    where = f"at {_sizes(cx)}: " if cx.sizes else ""
    kind = " (numeric)" if not cx.exact else ""
    names = list(cx.values)
    values = [inline_value(cx.values[k]) for k in names]
    sides = [inline_value(cx.lhs), inline_value(cx.rhs)]

    def text(vals: list[str], sds: list[str]) -> str:
        point = ", ".join(f"{k} = {v}" for k, v in zip(names, vals, strict=True))
        both = f"lhs = {sds[0]}, rhs = {sds[1]}{kind}"
        return f"{where}{point} gives {both}" if point else f"{where}{both}"

    full = text(values, sides)
    if len(full) <= budget:
        return full
    overhead = len(text([""] * len(values), ["", ""]))
    room = max(budget - overhead, 16)
    sides = _fill(sides, max(room // 2, room - sum(len(x) for x in values)))
    values = _fill(values, max(room - sum(len(x) for x in sides), 8 * len(values)))
    return text(values, sides)


def why_line(r: Result | Verdict, budget: int = 240) -> str:
    """Why a refuted or conditional entry is false as stated, in a line or two."""
    v = r.verdict if isinstance(r, Result) else r
    steps = r.steps if isinstance(r, Result) else ()
    failing = next((s for s in steps if not s.verdict.holds), None)
    if failing is not None:
        v = failing.verdict
        head = f"step {failing.index} of {len(steps)} fails"
        cx = v.counterexample
        if cx is not None and (cx.values or cx.note):
            body = counterexample_line(cx, budget - len(head) - 2)
            return f"{head}: {body}"
        return f"{head}: {clip(v.detail, budget - len(head) - 2)}" if v.detail else head
    cx = v.counterexample
    if cx is not None and (cx.values or cx.note):
        return counterexample_line(cx, budget)
    return clip(v.detail, budget) if v.detail else v.method
