"""The HTML report: one self-contained page, formulas as MathML, grouped by note and section.

Everything is inline (style, a small filter script, no URLs), so the file opens offline from
``file://``; a Content-Security-Policy forbids any load besides.  Every claim is visible
without the script: the filters only hide.
"""

from __future__ import annotations

import platform
from collections.abc import Iterable
from html import escape
from importlib import metadata

from verifier.report import Run, group_results
from verifier.report.audit import NoteAudit, audit, correct_form, totals
from verifier.report.html_assets import CSP, CSS, SCRIPT
from verifier.report.html_math import math, name_mathml, value_mathml
from verifier.report.notes import note_title
from verifier.report.plain import why_line
from verifier.verdict import (
    VERDICTS,
    Counterexample,
    Result,
    StepResult,
    Verdict,
    extra_facts,
    fact_text,
)

__all__ = ["BADGES", "group_results", "render_html"]

# symbol and word of each verdict; the symbol is decoration, the word is the label
BADGES = {
    "proved": ("✓", "proved"),
    "proved-at-sizes": ("✓", "proved at sizes"),
    "checked": ("≈", "checked"),
    "refuted": ("✗", "refuted"),
    "conditional": ("◐", "conditional"),
    "undecided": ("?", "undecided"),
    "timeout": ("⧗", "timeout"),
    "error": ("!", "error"),
}


def _e(text: object) -> str:
    return escape(str(text), quote=True)


# ----- grouping: notes in order 000…004, then "standard", then claim files -----


def _note_slug(note: str, index: int) -> str:
    head = note.split("_", 1)[0]
    return f"dc-note-{head}" if head.isdigit() else f"dc-group-{index}"


def _note_heading(note: str) -> tuple[str, str]:
    """(heading, smaller file text) of a group: a note by its title, then its file name."""
    if note.endswith(".txt"):
        title = note_title(note)
        return title or f"Note {note.split('_', 1)[0]}", note
    if note == "standard":
        return "Standard results", "not from a note"
    return note, "claim file"


# ----- pieces -----


def badge(v: Verdict | str) -> str:
    status = v if isinstance(v, str) else v.status
    sym, word = BADGES[status]
    cond = ""
    if isinstance(v, Verdict) and v.condition:
        cond = f" if {v.condition}"
    return (
        f'<span class="badge v-{status}"><span class="sym" aria-hidden="true">{sym}</span>'
        f'<span class="sr">verdict: </span>{_e(word + cond)}</span>'
    )


def formula(lhs: str, rhs: str, lhs_mml: str, rhs_mml: str, op: str = "=") -> str:
    """Both sides as one MathML formula; a side too large to typeset hides both behind a note.

    Such sides are element-wise expansions at a fixed size (hundreds of terms): no
    typesetting makes them readable, and half a formula in MathML next to half in text reads
    worse than the title, which gives the formula as the note writes it.  The text stays one
    click away for whoever wants to search it.
    """
    if not (lhs or rhs):
        return ""
    if lhs_mml and rhs_mml:
        body = math(f"<mrow>{lhs_mml}<mo>{op}</mo>{rhs_mml}</mrow>", block=True)
        return f'<div class="formula">{body}</div>'
    size = f"{len(lhs):,} and {len(rhs):,}"
    return (
        '<details class="expansion"><summary>Element-wise expansion, not typeset '
        f"({size} characters of text): the title gives the formula</summary>"
        f'<pre class="elided">{_e(lhs)}\n{_e(op)}\n{_e(rhs)}</pre></details>'
    )


def _value_mml(v: object) -> str:
    if v is None or v == "None":
        return "<mtext>—</mtext>"
    return value_mathml(v)


def counterexample(cx: Counterexample | None, name: str = "Counterexample") -> str:
    """The point (symbol = value, matrices as tables), then both sides and their difference."""
    if cx is None:
        return ""
    where = ", ".join(f"{k} = {n}" for k, n in cx.sizes.items())
    kind = "exact" if cx.exact else "numeric"
    head = name + (f" at {_e(where)}" if where else "")
    parts = [f'<div class="block cx-block"><h5>{head} ({kind})</h5>']
    if cx.note:
        parts.append(f"<p>{_e(cx.note)}</p>")
    if cx.values:
        point = "".join(
            f'<div class="cx-item">{math(name_mathml(k) + "<mo>=</mo>" + _value_mml(v))}</div>'
            for k, v in cx.values.items()
        )
        sides = "".join(
            f'<div class="cx-item{cls}"><span class="cx-label">{label}</span>'
            f"{math(_value_mml(v))}</div>"
            for label, v, cls in (("left side", cx.lhs, ""), ("right side", cx.rhs, ""),
                                  ("left − right", cx.difference, " diff"))
        )
        parts.append(f'<div class="cx-row">{point}</div><div class="cx-row">{sides}</div>')
    parts.append("</div>")
    return "".join(parts)


def _steps(r: Result) -> str:
    if not r.steps:
        return ""
    first_fail = next((s.index for s in r.steps if not s.verdict.holds), None)
    items = [_step(s, s.index == first_fail) for s in r.steps]
    return (
        f'<div class="block"><h5>Derivation: {len(r.steps)} steps, each decided on its own'
        f'</h5><ol class="steps">{"".join(items)}</ol></div>'
    )


def _step(s: StepResult, first_fail: bool) -> str:
    cls = f"step v-{s.verdict.status}" + (" first-failure" if first_fail else "")
    flag = '<span class="step-flag">first failing step</span>' if first_fail else ""
    if not s.as_expected:
        flag += ' <span class="flag">⚠ not as expected</span>'
    body = formula(s.lhs, s.rhs, s.lhs_mathml, s.rhs_mathml)
    extra = "".join(_extra(s.verdict))
    if not s.verdict.holds:
        extra = counterexample(s.verdict.counterexample) + correct_gradient(s.verdict)
        if s.verdict.condition:
            extra += f'<p class="condition">Holds if {_e(s.verdict.condition)}.</p>'
    return (
        f'<li class="{cls}"><span class="step-n">step {s.index}</span>{badge(s.verdict)}'
        f'{flag}<div class="step-body">{body}{extra}</div></li>'
    )


def correct_gradient(v: Verdict) -> str:
    """The gradient a refuted or conditional gradient claim should state, beside its
    counterexample: the formula as a textbook prints it, its claim-language text, evidence."""
    g = v.correct_gradient
    if g is None:
        return ""
    return (f'<p class="correct correct-gradient">Correct gradient: '
            f'<span class="formula" title="{_e(g.latex)}">{_e(g.equation)}</span> '
            f"<code>{_e(g.text)}</code> ({_e(g.evidence_phrase)})</p>")


def _fmt_error(x: float | None) -> str:
    return "—" if x is None else f"{x:.2e}"


def _facts(r: Result) -> str:
    v = r.verdict
    items = [("source", r.source), ("expected", r.expected)]  # method, time: in the header
    if v.sizes:
        items.append(("sizes", "; ".join(", ".join(f"{k}={n}" for k, n in s.items())
                                         for s in v.sizes)))
    if v.max_error is not None:
        items.append(("max error", _fmt_error(v.max_error)))
    if r.origin:
        items.append(("file", r.origin))
    body = "".join(f"<div><dt>{_e(k)}</dt><dd>{_e(x)}</dd></div>" for k, x in items)
    return f'<dl class="facts">{body}</dl>'


def _extra(obj: Verdict | Result) -> list[str]:
    """Fields the report does not know by name (e.g. a verdict's ``requires``), as text."""
    return [f'<p class="detail">{_e(name.replace("_", " "))}: {_e(fact_text(value))}</p>'
            for name, value in extra_facts(obj)]


def claim_html(r: Result, anchor: str, note: str) -> str:
    v = r.verdict
    classes = f"claim v-{v.status}" + ("" if r.as_expected else " unexpected")
    flag = "" if r.as_expected else '<span class="flag">⚠ not as expected</span>'
    parts = [
        f'<article class="{classes}" id="{_e(anchor)}" data-verdict="{v.status}" '
        f'data-note="{_e(note)}" data-expected="{"yes" if r.as_expected else "no"}" '
        f'data-text="{_e(" ".join((r.id, r.title, r.source)).lower())}">',
        f'<header class="claim-head"><a class="claim-id" href="#{_e(anchor)}">{_e(r.id)}</a>'
        f"{badge(v)}{flag}<span class=\"claim-meta\">method {_e(v.method)} · "
        f"{'cached' if r.cached else f'{r.seconds:.2f} s'}</span></header>",
        f'<h4 class="claim-title">{_e(r.title)}</h4>',
        formula(r.lhs, r.rhs, r.lhs_mathml, r.rhs_mathml,
                "≠" if r.kind == "non-identity" else "="),
        _facts(r),
    ]
    if v.detail:
        parts.append(f'<p class="detail">{_e(v.detail)}</p>')
    parts += _extra(v) + _extra(r)
    if not r.steps:  # a derivation's steps show their own
        witness = r.kind == "non-identity" and v.status == "proved"
        parts.append(counterexample(v.counterexample, "Witness" if witness else "Counterexample"))
        parts.append(correct_gradient(v))
    if v.condition:
        evidence = f" ({_e(v.condition_evidence)})" if v.condition_evidence else ""
        parts.append(f'<p class="condition">Holds if {_e(v.condition)}{evidence}.</p>')
    if r.corrected_title:
        parts.append(f'<p class="correct">Correct: <a href="#{_e(r.corrected)}">'
                     f"{_e(r.corrected_title)}</a></p>")
    parts.append(_steps(r))
    if r.implementation is not None:
        i = r.implementation
        mark = ("ok", "✓ matches") if i.matches else ("bad", "✗ differs")
        parts.append(
            f'<p class="impl {mark[0]}">Implementation <code>{_e(i.path)}</code>: {mark[1]} '
            f"(max error {_fmt_error(i.max_error)}){': ' + _e(i.detail) if i.detail else ''}</p>"
        )
    if r.xfail:
        parts.append(f'<p class="detail">Known limitation: {_e(r.xfail)}</p>')
    parts.append(f'<p class="reproduce">Reproduce: <code>{_e(r.reproduce)}</code></p>')
    parts.append("</article>")
    return "\n".join(p for p in parts if p)


# ----- the page -----


def _versions(run: Run) -> str:
    try:
        sympy = metadata.version("sympy")
    except metadata.PackageNotFoundError:
        sympy = "?"
    return f"derivcheck {run.version} · SymPy {sympy} · Python {platform.python_version()}"


def _count(n: int, word: str, cls: str) -> str:
    return f'<strong class="{cls}">{n} {_e(word)}</strong>' if n else f"{n} {_e(word)}"


def _audit_line(wrong: int, conditional: int, correct: int, undecided: int) -> str:
    out = (f"{_count(wrong, 'wrong', 'n-refuted')}, "
           f"{_count(conditional, 'conditional', 'n-conditional')}, {correct} correct")
    return out + (f", {undecided} undecided" if undecided else "")


def _problem(run: Run, r: Result, anchors: dict[int, str]) -> str:
    """One wrong or conditional formula in the summary: title (linked), why, correct form."""
    v = r.verdict
    parts = [f'<li class="v-{v.status}">{badge(v)} <a href="#{_e(anchors[id(r)])}">'
             f"{_e(r.title)}</a>"]
    if not r.as_expected:
        parts.append(' <span class="flag">⚠ not as expected</span>')
    parts.append(f'<div class="why">{_e(why_line(r, 200))}</div>')
    if v.correct_gradient is not None:
        g = v.correct_gradient
        parts.append(f'<div class="correct">Correct gradient: {_e(g.equation)} '
                     f"({_e(g.evidence_phrase)})</div>")
    form = correct_form(run, r)
    if form is not None:
        title, status = form
        link = (f'<a href="#{_e(r.corrected)}">{_e(title)}</a>'
                if any(x.id == r.corrected for x in run.results) else _e(title))
        parts.append(f'<div class="correct">Correct: {link}'
                     f"{f' ({_e(status)})' if status else ''}</div>")
    parts.append("</li>")
    return "".join(parts)


def _audit_section(run: Run, audits: list[NoteAudit], slugs: dict[str, str],
                   anchors: dict[int, str]) -> str:
    """The lead of the page: what is wrong in the notes, per note, and the correct forms."""
    tot = totals(audits)
    undecided = any(a.undecided for a in audits)
    out = ['<section class="audit" aria-labelledby="dc-audit-h">',
           '<h2 id="dc-audit-h">What is wrong in the notes</h2>',
           f'<p class="lead">{_e(tot.subject.capitalize())}: '
           f"{_audit_line(tot.wrong, tot.conditional, tot.correct, tot.undecided)}."
           + (" <span class=\"muted\">Conditional: holds only under a condition the note "
              "does not state.</span>" if tot.conditional else "")
           + (f' <span class="muted">{tot.corrections} corrected forms added by the catalogue '
              "are not counted.</span>" if tot.corrections else "") + "</p>"]
    for a in tot.other:
        out.append(f'<p class="lead">{_e(_note_heading(a.note)[0])} '
                   f'<span class="muted">({_e(_note_heading(a.note)[1])})</span>: '
                   f"{_audit_line(*map(len, (a.wrong, a.conditional, a.correct, a.undecided)))}"
                   ".</p>")
    head = "".join(f'<th scope="col">{w}</th>' for w in
                   ("wrong", "conditional", "correct") + (("undecided",) if undecided else ()))
    rows = []
    for a in audits:
        title, file = _note_heading(a.note)
        cells = [len(a.wrong), len(a.conditional), len(a.correct)]
        cells += [len(a.undecided)] if undecided else []
        tds = "".join(f'<td class="zero">{n}</td>' if not n else f"<td>{n}</td>" for n in cells)
        rows.append(f'<tr><th scope="row"><a href="#{slugs[a.note]}">{_e(title)}</a> '
                    f'<span class="muted">{_e(file)}</span></th>{tds}'
                    f"<td>{len(a.results)}</td></tr>")
    out.append('<table class="notes"><caption class="sr">Formulas per note</caption><thead><tr>'
               f'<th scope="col">note</th>{head}<th scope="col">entries</th></tr></thead>'
               f'<tbody>{"".join(rows)}</tbody></table>')
    for a in audits:
        if not a.problems:
            continue
        title, file = _note_heading(a.note)
        items = "".join(_problem(run, r, anchors) for r in a.problems)
        out.append(f'<h3>{_e(title)} <span class="muted">{_e(file)}</span></h3>'
                   f'<ul class="problems">{items}</ul>')
    out.append("</section>")
    return "\n".join(out)


def _summary(run: Run, groups, slugs: dict[str, str], anchors: dict[int, str]) -> str:
    counts = run.counts
    present = [k for k in VERDICTS if counts[k]]
    ok = len(run.results) - len(run.unexpected)
    seeds = sorted({r.seed for r in run.results})
    seed = f" · seed {seeds[0]}" if len(seeds) == 1 else ""
    out = [
        '<header class="top"><h1>derivcheck report</h1>',
        f'<p class="facts-line">{len(run.results)} entries · wall time '
        f"{run.wall_seconds:.1f} s{seed} · {_e(_versions(run))}</p>",
    ]
    if run.interrupted:
        out.append('<div class="banner warn"><strong>Interrupted:</strong> this report holds '
                   "only the entries that finished.</div>")
    out.append(_audit_section(run, audit(run), slugs, anchors))
    out.append('<section class="verifier" aria-labelledby="dc-verifier-h">'
               '<h2 id="dc-verifier-h">The verifier</h2>'
               f'<p class="facts-line">{len(run.results)} entries, {ok} as expected by the '
               "catalogue</p>")
    out.append('<ul class="counts" aria-label="verdict counts">')
    out += [f'<li>{badge(k)}<span class="n">{counts[k]}</span></li>' for k in present]
    out.append("</ul>")
    if run.unexpected:
        links = "".join(f'<li><a href="#{_e(anchors[id(r)])}">{_e(r.id)}</a>: '
                        f"{_e(r.verdict.status)}, expected {_e(r.expected)}</li>"
                        for r in run.unexpected)
        out.append(f'<div class="banner warn"><strong>{len(run.unexpected)} not as expected'
                   f"</strong><ul>{links}</ul></div>")
    elif run.results:
        out.append('<p class="verifier-ok">Every verdict is the one the catalogue expects (a '
                   "statement about the verifier; the notes are above).</p>")
    if run.notes:
        out.append('<ul class="muted">' + "".join(f"<li>{_e(n)}</li>" for n in run.notes)
                   + "</ul>")
    out.append("</section></header>")
    return "\n".join(out)


def _filters(run: Run, groups) -> str:
    counts = run.counts
    verdicts = "".join(
        f'<label><input type="checkbox" name="verdict" value="{k}" checked> '
        f"{_e(BADGES[k][1])} ({counts[k]})</label>"
        for k in VERDICTS if counts[k]
    )
    notes = "".join(
        f'<label><input type="checkbox" name="note" value="{_e(note)}" checked> '
        f"{_e(_note_heading(note)[0])}</label>"
        for note, _ in groups
    )
    return (
        '<form class="filters" id="dc-filters" hidden aria-label="filters"><div>'
        f"<fieldset><legend>Verdict</legend>{verdicts}</fieldset>"
        f"<fieldset><legend>Note</legend>{notes}</fieldset>"
        '<label><input type="checkbox" id="dc-unexpected"> only not as expected</label>'
        '<label><span class="sr">search </span><input type="search" id="dc-search" '
        'placeholder="search id or title"></label>'
        '<output aria-live="polite"></output></div></form>'
    )


def _anchors(results: Iterable[Result]) -> dict[int, str]:
    """A unique ``id`` attribute per result: the claim id (suffixed if ids repeat)."""
    seen: dict[str, int] = {}
    out: dict[int, str] = {}
    for r in results:
        n = seen.get(r.id, 0)
        seen[r.id] = n + 1
        out[id(r)] = r.id if n == 0 else f"{r.id}-{n + 1}"
    return out


def render_html(run: Run) -> str:
    groups = group_results(run.results)
    slugs = {note: _note_slug(note, i) for i, (note, _) in enumerate(groups)}
    anchors = _anchors(run.results)
    body: list[str] = []
    for note, sections in groups:
        title, file = _note_heading(note)
        body.append(
            f'<section class="note" id="{slugs[note]}" aria-labelledby="{slugs[note]}-h">'
            f'<div class="note-head"><h2 id="{slugs[note]}-h">{_e(title)}</h2>'
            f'<span class="file">{_e(file)}</span></div>'
        )
        for section, results in sections:
            body.append('<section class="section">')
            if section:
                body.append(f"<h3>§ {_e(section)}</h3>")
            body += [claim_html(r, anchors[id(r)], note) for r in results]
            body.append("</section>")
        body.append("</section>")
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>derivcheck report: {len(run.results)} entries</title>\n"
        f"<style>{CSS}</style></head>\n<body>\n"
        f"{_summary(run, groups, slugs, anchors)}\n{_filters(run, groups)}\n<main>\n"
        + "\n".join(body)
        + f"\n</main>\n<script>{SCRIPT}</script>\n</body></html>\n"
    )
