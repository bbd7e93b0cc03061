"""Real powers read back as powers.

The language reads x ** a with a real exponent as exp(a log x) (x positive), so a derivative
of x ** a came out as a * (exp(a * log(x)) / x).  Here exp(k log q) prints as q ** k, and
q ** k beside q⁻¹ or q⁻² merges to q ** (k − 1), q ** (k − 2): a x^(a−1), as textbooks write
it.  Both are identities wherever the expression is defined (log q needs q > 0, where
exp(k log q) = qᵏ and qᵏq^c = q^(k+c)); ``derive`` keeps the result only where the printed
power reads back (the language accepts q ** k only for a base positive by assumption or form)
and proves what it prints."""

from __future__ import annotations

from verifier.derive.expr import E, Fn, Had, Mul, Num, Pow, Sym, add, is_scalar, leaves, mul, num
from verifier.derive.simplify import map_children

__all__ = ["real_powers"]


def real_powers(e: E) -> E:
    """``e`` with every exp(k log q) as q ** k and such powers merged with integer powers of
    their base in one product."""
    e = map_children(e, real_powers)
    if (p := _as_power(e)) is not None:
        return p
    if isinstance(e, Had):
        merged = _merged(list(e.factors))
        return e if merged is None else (merged[0] if len(merged) == 1 else
                                         Had(e.shape, factors=tuple(merged)))
    if isinstance(e, Mul):
        scalars = [f for f in e.factors if is_scalar(f)]
        merged = _merged(scalars)
        if merged is not None:
            return mul(*merged, *[f for f in e.factors if not is_scalar(f)])
    return e


def _as_power(e: E) -> Pow | None:
    """q ** k where ``e`` is exp(k log q), k a product of scalars and q of e's shape."""
    if not (isinstance(e, Fn) and e.name == "exp" and len(e.args) == 1):
        return None
    arg = e.args[0]
    factors = list(arg.factors) if isinstance(arg, Mul) else [arg]
    logs = [i for i, f in enumerate(factors) if isinstance(f, Fn) and f.name == "log"]
    if len(logs) != 1 or len(factors) < 2:
        return None
    q = factors.pop(logs[0]).args[0]
    if q.shape != e.shape or not all(is_scalar(f) for f in factors):
        return None
    return Pow(e.shape, base=q, exp=mul(*factors))


def _symbols(e: E) -> set[str]:
    return {n.name for n in leaves(e) if isinstance(n, Sym)}


def _integer_exponent(f: E, base: E) -> int | None:
    """c where ``f`` is base or base ** c with an integer c."""
    if f == base:
        return 1
    if isinstance(f, Pow) and f.base == base and isinstance(f.exp, Num) \
            and f.exp.value.denominator == 1:
        return int(f.exp.value)
    return None


def _merged(factors: list[E]) -> list[E] | None:
    """The factors with each q ** k (k symbolic and free of q's symbols: x ** a, not
    x ** (1/x), whose x^(1/x − 2) would read worse than x^(1/x)/x²) absorbing the integer
    powers of q beside it; None where nothing merges."""
    out: list[E | None] = list(factors)
    changed = False
    for i in range(len(out)):
        f = out[i]
        if not isinstance(f, Pow) or isinstance(f.exp, Num) or _symbols(f.exp) & _symbols(f.base):
            continue
        extra, absorbed = 0, False
        for j, g in enumerate(out):
            c = None if j == i or g is None else _integer_exponent(g, f.base)
            if c is not None:
                extra, absorbed, out[j] = extra + c, True, None
        if absorbed:
            out[i] = Pow(f.shape, base=f.base, exp=add(f.exp, num(extra)))
            changed = True
    return [f for f in out if f is not None] if changed else None
