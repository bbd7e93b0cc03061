"""Decide many entries: cached results first, the rest in worker processes (``verifier.pool``).

A worker that raises, dies or runs past the time limit gives an ``error`` or ``timeout``
result for its own entry; a timeout keeps the evidence the entry had reached (its last
progress, e.g. ``checked`` with "stopped at the time limit").  Neither is cached.  ``present``
(from the caller, e.g. the reports) adds what a result shows besides its verdict, such as
both sides typeset; results are cached without it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from verifier.claim import Entry
from verifier.engine import Options, decide
from verifier.pool import Interrupted, Outcome, progress, run_tasks
from verifier.verdict import Result, Verdict

__all__ = ["Interrupted", "run"]

Present = Callable[[Entry, Result], Result]


def _failed(entry: Entry, status: str, detail: str, seconds: float, opts: Options) -> Result:
    v = Verdict(status, "engine", detail=detail)
    return Result(
        id=entry.id,
        title=entry.title,
        source=entry.source,
        kind=entry.kind,
        verdict=v,
        expected=str(entry.expect),
        as_expected=False,
        seconds=seconds,
        seed=opts.seed,
        xfail=entry.xfail,
        origin=entry.origin,
        corrected=getattr(entry, "corrected", None),
    )


def _stopped(partial: Result, detail: str, seconds: float) -> Result:
    """The evidence an entry had reached when it was stopped at the time limit."""
    v = partial.verdict
    return replace(partial, seconds=seconds,
                   verdict=replace(v, detail=f"{v.detail}; stopped at the time limit ({detail})"))


def run(
    entries: Sequence[Entry],
    opts: Options | None = None,
    *,
    on_result: Callable[[Result], None] | None = None,
    on_start: Callable[[Entry], None] | None = None,
    cache=None,
    present: Present | None = None,
) -> list[Result]:
    """Decide every entry in worker processes; results in the order of ``entries``.

    On Ctrl-C, raises ``Interrupted`` whose ``results`` hold the finished entries (``None``
    elsewhere).
    """
    opts = opts or Options()
    results: list[Result | None] = [None] * len(entries)
    todo: list[int] = []

    def shown(entry: Entry, result: Result) -> Result:
        return present(entry, result) if present is not None else result

    def work(entry: Entry) -> tuple[Result, Result]:
        """In the worker: the verdict (cached as it is) and the result as shown."""
        decided = decide(entry, opts, progress=progress)
        return decided, shown(entry, decided)

    def done(o: Outcome) -> None:
        i = todo[o.index]
        entry = entries[i]
        if o.status == "ok":
            decided, result = o.value
            if cache is not None and decided.verdict.status not in ("timeout", "error"):
                cache.put(entry, opts, decided)
        elif o.status == "timeout" and isinstance(o.value, Result):
            result = shown(entry, _stopped(o.value, o.detail, o.seconds))
        else:
            result = _failed(entry, o.status, o.detail, o.seconds, opts)
        results[i] = result
        if on_result:
            on_result(result)

    try:
        for i, e in enumerate(entries):
            hit = cache.get(e, opts) if cache is not None else None
            if hit is None:
                todo.append(i)
                continue
            results[i] = hit = shown(e, hit)
            if on_result:
                on_result(hit)
        run_tasks(
            work, [entries[i] for i in todo],
            jobs=opts.jobs, timeout=opts.timeout, memory_limit=opts.memory_limit,
            on_outcome=done, on_start=(lambda k: on_start(entries[todo[k]])) if on_start else None,
        )
    except (Interrupted, KeyboardInterrupt):
        raise Interrupted(results) from None
    return [r for r in results if r is not None]
