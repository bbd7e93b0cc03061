"""The HTML report's stylesheet and script, inlined so that the file works offline.

Kept as Python strings (not package data) so that an installed derivcheck always has them.
Fonts are the reader's own: ``math`` is the browser's math font (an OpenType MATH font
where the system has one), never one fetched from the network.
"""

from __future__ import annotations

__all__ = ["CSS", "CSP", "SCRIPT"]

# The report may load nothing: no fonts, images, styles or scripts from anywhere.
CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"

CSS = """
:root {
  --ink: #1b1f24; --muted: #59636e; --line: #d5dae0; --paper: #ffffff; --wash: #f5f7f9;
  --proved: #1a7f37; --proved-bg: #dafbe1;
  --sizes: #2f6f3e; --sizes-bg: #e9f6ec;
  --checked: #0b6a8a; --checked-bg: #ddf4ff;
  --refuted: #b42318; --refuted-bg: #ffebe9;
  --conditional: #8a5a00; --conditional-bg: #fff4d6;
  --other: #7d2ea8; --other-bg: #f6e8ff;
  color-scheme: light;
}
* { box-sizing: border-box; }
body {
  margin: 0; background: var(--wash); color: var(--ink);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
}
main, .top { max-width: 1180px; margin: 0 auto; padding: 0 24px; }
code, pre, .claim-id { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas,
  "DejaVu Sans Mono", monospace; font-size: 0.9em; }
math { font-family: "STIX Two Math", "Latin Modern Math", "Cambria Math", math; font-size: 1.1em; }
a { color: #0b5cad; }
h1 { font-size: 1.7rem; margin: 24px 0 4px; }
h2 { font-size: 1.35rem; margin: 0; }
h3 { font-size: 1.05rem; margin: 22px 0 10px; color: var(--muted); font-weight: 600; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0);
  white-space: nowrap; }
.muted { color: var(--muted); }

/* ----- summary ----- */
.top { padding-bottom: 8px; }
.facts-line { margin: 0 0 12px; color: var(--muted); }
.counts { display: flex; flex-wrap: wrap; gap: 8px; list-style: none; padding: 0;
  margin: 0 0 16px; }
.counts li { display: flex; align-items: center; gap: 6px; }
.counts .n { font-weight: 700; font-variant-numeric: tabular-nums; }
table.notes { border-collapse: collapse; width: 100%; background: var(--paper);
  border: 1px solid var(--line); border-radius: 8px; font-variant-numeric: tabular-nums; }
table.notes th, table.notes td { padding: 6px 10px; border-bottom: 1px solid var(--line);
  text-align: right; }
table.notes th:first-child, table.notes td:first-child { text-align: left; }
table.notes thead th { font-size: 0.85em; color: var(--muted); font-weight: 600; }
table.notes td.zero { color: #b0b7bf; }
.banner { padding: 10px 14px; border-radius: 8px; margin: 12px 0; border: 2px solid; }
.banner.warn { border-color: var(--refuted); background: var(--refuted-bg); }
.banner.ok { border-color: var(--proved); background: var(--proved-bg); }
.banner ul { margin: 4px 0 0; padding-left: 20px; }
.audit, .verifier { margin: 12px 0 20px; }
.audit h2, .verifier h2 { margin: 18px 0 8px; }
.audit .lead { font-size: 1.1em; margin: 0 0 10px; }
.audit .n-refuted { color: var(--refuted); }
.audit .n-conditional { color: var(--conditional); }
ul.problems { list-style: none; padding: 0; margin: 0 0 12px; }
ul.problems li { background: var(--paper); border: 1px solid var(--line); border-radius: 8px;
  padding: 8px 12px; margin: 6px 0; }
ul.problems .why { color: var(--muted); font-size: 0.92em; overflow-wrap: anywhere; }
ul.problems .correct, p.correct { font-size: 0.95em; }
.verifier-ok { margin: 8px 0; }

/* ----- filters (shown only when the script runs) ----- */
.filters { position: sticky; top: 0; z-index: 2; background: rgba(245, 247, 249, 0.96);
  border-bottom: 1px solid var(--line); padding: 8px 24px; margin: 16px 0 0;
  backdrop-filter: blur(4px); }
.filters > div { max-width: 1132px; margin: 0 auto; display: flex; flex-wrap: wrap;
  gap: 6px 18px; align-items: center; }
.filters fieldset { border: 0; padding: 0; margin: 0; display: flex; flex-wrap: wrap;
  gap: 4px 10px; align-items: center; }
.filters legend { float: left; font-weight: 600; margin-right: 6px; font-size: 0.9em; }
.filters label { font-size: 0.9em; white-space: nowrap; }
.filters input[type=search] { font: inherit; padding: 2px 8px; border: 1px solid var(--line);
  border-radius: 6px; width: 14em; }
.filters output { color: var(--muted); font-size: 0.9em; margin-left: auto; }

/* ----- notes, sections, claims ----- */
.note { margin: 28px 0 36px; }
.note-head { display: flex; align-items: baseline; gap: 12px; flex-wrap: wrap;
  border-bottom: 2px solid var(--ink); padding-bottom: 6px; }
.note-head .file { color: var(--muted); font-size: 0.9em; }
.claim { background: var(--paper); border: 1px solid var(--line); border-left: 6px solid;
  border-radius: 8px; padding: 10px 16px; margin: 0 0 10px; scroll-margin-top: 72px; }
.claim:target { outline: 3px solid #0b5cad; }
.claim.unexpected { box-shadow: 0 0 0 2px var(--refuted); }
.claim-head { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 12px; }
.claim-id { font-weight: 600; color: var(--ink); text-decoration: none; }
.claim-id:hover { text-decoration: underline; }
.claim-meta { margin-left: auto; color: var(--muted); font-size: 0.85em; }
.claim-title { font-size: 1rem; margin: 4px 0 2px; font-weight: 600; }
.formula { overflow-x: auto; margin: 6px 0; padding: 4px 0; }
.formula math[display=block] { display: inline math; math-style: normal; margin: 4px 0; }
.elided { white-space: pre-wrap; word-break: break-all; background: var(--wash);
  border: 1px dashed var(--line); border-radius: 6px; padding: 6px 8px; margin: 4px 0;
  max-height: 16em; overflow: auto; font-size: 0.8em; }
details.expansion { margin: 6px 0; }
details.expansion summary { font-size: 0.88em; color: var(--muted); cursor: pointer; }
dl.facts { display: flex; flex-wrap: wrap; gap: 2px 18px; margin: 6px 0; font-size: 0.9em; }
dl.facts div { display: flex; gap: 6px; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
.detail { color: var(--muted); font-size: 0.9em; margin: 4px 0; overflow-wrap: anywhere; }
.block { margin: 10px 0 4px; padding: 8px 12px; border-radius: 6px; background: var(--wash); }
.block h5 { margin: 0 0 6px; font-size: 0.9em; }
.cx-row { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 28px;
  margin: 4px 0; }
.cx-item { display: flex; align-items: center; gap: 8px; }
.cx-label { font-size: 0.85em; font-weight: 600; color: var(--muted); }
.cx-item.diff .cx-label { color: var(--refuted); }
.condition { font-weight: 600; }
ol.steps { margin: 8px 0 4px; padding-left: 0; list-style: none; counter-reset: step; }
ol.steps li { display: flex; gap: 10px; align-items: center; flex-wrap: wrap; padding: 4px 8px;
  border-radius: 6px; }
ol.steps li .step-n { font-weight: 600; color: var(--muted); min-width: 3.5em; }
ol.steps li.first-failure { background: var(--refuted-bg); outline: 2px solid var(--refuted); }
ol.steps li .step-body { flex: 1 1 300px; overflow-x: auto; }
.step-flag { font-weight: 700; color: var(--refuted); }
.reproduce { font-size: 0.88em; margin: 8px 0 0; }
.reproduce code { background: var(--wash); padding: 1px 6px; border-radius: 4px; }

/* ----- verdict badges: colour, symbol and word (greyscale and screen readers get both) ----- */
.badge { display: inline-flex; align-items: center; gap: 4px; border: 1.5px solid;
  border-radius: 999px; padding: 0 9px; font-size: 0.85em; font-weight: 700; line-height: 1.6;
  white-space: nowrap; }
.badge .sym { font-size: 1.05em; }
.v-proved { --c: var(--proved); --bg: var(--proved-bg); }
.v-proved-at-sizes { --c: var(--sizes); --bg: var(--sizes-bg); }
.v-checked { --c: var(--checked); --bg: var(--checked-bg); }
.v-refuted { --c: var(--refuted); --bg: var(--refuted-bg); }
.v-conditional { --c: var(--conditional); --bg: var(--conditional-bg); }
.v-undecided, .v-timeout, .v-error { --c: var(--other); --bg: var(--other-bg); }
.badge { color: var(--c); background: var(--bg); border-color: var(--c); }
.badge.v-proved-at-sizes, .badge.v-checked { border-style: dashed; }
.badge.v-refuted { border-width: 2.5px; }
.badge.v-undecided, .badge.v-timeout, .badge.v-error { border-style: dotted; }
.claim { border-left-color: var(--c); }
.flag { font-weight: 700; color: var(--refuted); font-size: 0.85em; }
.impl.ok { color: var(--proved); }
.impl.bad { color: var(--refuted); font-weight: 700; }

/* ----- print: everything, no controls, no backgrounds, a page per note ----- */
@media print {
  body { background: none; font-size: 11pt; }
  .filters { display: none !important; }
  .claim[hidden], .note[hidden], .section[hidden] { display: block !important; }
  .claim, .block, .badge, table.notes, .elided, .reproduce code, ol.steps li.first-failure {
    background: none !important; box-shadow: none; }
  .claim { break-inside: avoid; border-left-width: 3px; }
  .note { break-before: page; }
  a { color: inherit; text-decoration: none; }
  .formula { overflow: visible; }
}
"""

# Filters: verdict and note checkboxes and a text search, preset from the page's query string.
# Without the script the controls stay hidden and every claim is shown, so the page reads
# fully with scripts off.
SCRIPT = """
(() => {
  "use strict";
  const form = document.getElementById("dc-filters");
  if (!form) return;
  form.hidden = false;
  const claims = Array.from(document.querySelectorAll("article.claim"));
  const groups = Array.from(document.querySelectorAll("section.section, section.note"));
  const status = form.querySelector("output");
  const checked = (name) => new Set(
    Array.from(form.querySelectorAll(`input[name="${name}"]:checked`), (i) => i.value));
  function apply() {
    const verdicts = checked("verdict");
    const notes = checked("note");
    const unexpected = form.querySelector("#dc-unexpected").checked;
    const words = form.querySelector("#dc-search").value.trim().toLowerCase();
    let shown = 0;
    for (const c of claims) {
      const show = verdicts.has(c.dataset.verdict) && notes.has(c.dataset.note) &&
        (!unexpected || c.dataset.expected === "no") &&
        (!words || c.dataset.text.includes(words));
      c.hidden = !show;
      if (show) shown += 1;
    }
    for (const g of groups) g.hidden = !g.querySelector("article.claim:not([hidden])");
    status.value = `showing ${shown} of ${claims.length}`;
  }
  // a link can carry a filter: report.html?verdict=refuted,conditional&note=000&q=softmax
  const params = new URLSearchParams(location.search);
  for (const name of ["verdict", "note"]) {
    if (!params.has(name)) continue;
    const wanted = params.get(name).split(",");
    for (const box of form.querySelectorAll(`input[name="${name}"]`)) {
      box.checked = wanted.some((w) => w && box.value.startsWith(w));
    }
  }
  if (params.has("q")) form.querySelector("#dc-search").value = params.get("q");
  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("submit", (e) => e.preventDefault());
  apply();
})();
"""
