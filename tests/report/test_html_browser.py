"""The HTML report of a real run, opened in headless Chromium from file://.

A copy of the report gets a test harness: an early script that records errors and CSP
violations, and a late one that, once the page has loaded, measures the MathML boxes,
clicks the filters and writes what it saw into the DOM, which ``--dump-dom`` returns.
Chromium's stderr carries every console message of the page; there must be none.
"""

from __future__ import annotations

import html
import json
import re
import struct
import zlib
from pathlib import Path

import pytest

from verifier.report.html import render_html
from verifier.report.html_browser import console_messages, find_chromium, run_chromium, screenshot

CHROMIUM = find_chromium()
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="chromium is not installed at /usr/bin/chromium (.ci/run installs it with apt-get)",
)

EARLY = """<script>
window.__dc = {errors: [], violations: []};
addEventListener("error", (e) => __dc.errors.push(
  String(e.message || (e.target && (e.target.src || e.target.href)) || e.type)), true);
document.addEventListener("securitypolicyviolation",
  (e) => __dc.violations.push(`${e.violatedDirective} ${e.blockedURI}`));
for (const level of ["error", "warn"]) {
  const original = console[level];
  console[level] = (...args) => { __dc.errors.push(`${level}: ${args.join(" ")}`);
                                  original.apply(console, args); };
}
</script>"""

LATE = """<script>
addEventListener("load", () => { try { measure(); } catch (e) { report({harness: String(e)}); } });
function report(r) {
  const pre = document.createElement("pre");
  pre.id = "dc-test-results";
  pre.textContent = JSON.stringify(r);
  document.body.append(pre);
}
function measure() {
  const visible = (el) => el.getClientRects().length > 0;
  const box = (el) => el.getBoundingClientRect();
  const r = {errors: __dc.errors, violations: __dc.violations,
             resources: performance.getEntriesByType("resource").map((e) => e.name)};
  const maths = Array.from(document.querySelectorAll("math"))
    .filter((m) => !m.closest("details:not([open])"));
  r.mathIsMathML = maths.every((m) => m instanceof MathMLElement);
  r.maths = maths.length;
  r.emptyMaths = maths.filter((m) => !(box(m).width > 0 && box(m).height > 0))
    .map((m) => (m.closest("article") || {}).id || "?");
  const fracs = Array.from(document.querySelectorAll("mfrac")).filter(visible);
  r.fracs = fracs.length;
  r.stackedFracs = fracs.filter((f) =>
    box(f.children[0]).bottom <= box(f.children[1]).top + 1).length;
  const tables = Array.from(document.querySelectorAll("mtable")).filter(
    (t) => visible(t) && t.children.length > 1);
  r.tables = tables.length;
  r.stackedTables = tables.filter((t) =>
    box(t.children[1]).top >= box(t.children[0]).bottom - 1).length;
  const claims = Array.from(document.querySelectorAll("article.claim"));
  const shown = () => claims.filter(visible).map((c) => c.id);
  const f = {form: visible(document.getElementById("dc-filters")), initial: shown()};
  const refuted = document.querySelector('input[name="verdict"][value="refuted"]');
  refuted.click();
  f.withoutRefuted = shown();
  refuted.click();
  f.refutedAgain = shown();
  const note = document.querySelector('input[name="note"]');
  note.click();
  f.note = note.value;
  f.withoutNote = shown();
  note.click();
  const search = document.getElementById("dc-search");
  search.value = "quadratic_form";
  search.dispatchEvent(new Event("input", {bubbles: true}));
  f.searched = shown();
  search.value = "";
  search.dispatchEvent(new Event("input", {bubbles: true}));
  f.final = shown();
  r.filters = f;
  report(r);
}
</script>"""


def _with_harness(page: str) -> str:
    page = page.replace("<style>", EARLY + "<style>", 1)
    return page.replace("</body>", LATE + "</body>", 1)


@pytest.fixture(scope="module")
def report(real_run, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("html") / "report.html"
    path.write_text(render_html(real_run), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def seen(report, tmp_path_factory) -> dict:
    """What the harness measured in the browser."""
    page = report.with_name("report-harness.html")
    page.write_text(_with_harness(report.read_text(encoding="utf-8")), encoding="utf-8")
    done = run_chromium(
        page.as_uri(), "--dump-dom", "--virtual-time-budget=10000", "--window-size=1280,2000",
        user_data_dir=tmp_path_factory.mktemp("chromium-profile"),
    )
    m = re.search(r'<pre id="dc-test-results">(.*?)</pre>', done.stdout, re.S)
    assert m, f"the harness did not report; chromium said: {done.stderr[-3000:]}"
    data = json.loads(html.unescape(m.group(1)))
    assert "harness" not in data, data
    data["console"] = console_messages(done.stderr)
    return data


def test_page_loads_without_console_messages_errors_or_requests(seen):
    assert seen["console"] == []
    assert seen["errors"] == [] and seen["violations"] == []
    assert seen["resources"] == []  # nothing fetched: no fonts, styles, scripts or images


def test_mathml_is_laid_out(seen, real_run):
    assert seen["mathIsMathML"]
    assert seen["maths"] >= 2 * len(real_run.results) // 2  # formulas and counterexamples
    assert seen["emptyMaths"] == []
    assert seen["fracs"] > 0 and seen["stackedFracs"] == seen["fracs"]
    assert seen["tables"] > 0 and seen["stackedTables"] == seen["tables"]


def test_filters_hide_and_show_claims(seen, real_run):
    f = seen["filters"]
    everything = [r.id for r in real_run.results]
    assert f["form"], "the script shows the filter controls"
    assert sorted(f["initial"]) == sorted(everything)
    refuted = {r.id for r in real_run.results if r.verdict.status == "refuted"}
    assert refuted
    assert set(f["withoutRefuted"]) == set(everything) - refuted
    assert sorted(f["refutedAgain"]) == sorted(everything)
    in_note = {r.id for r in real_run.results if r.source.startswith(f["note"])}
    assert in_note and set(f["withoutNote"]) == set(everything) - in_note
    assert f["searched"] and all("quadratic_form" in i for i in f["searched"])
    assert sorted(f["final"]) == sorted(everything)


def _png_size_and_colours(png: bytes) -> tuple[int, int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    data, pos = b"", 8
    while pos < len(png):
        length, kind = struct.unpack(">I4s", png[pos:pos + 8])
        if kind == b"IDAT":
            data += png[pos + 8:pos + 8 + length]
        pos += 12 + length
    return width, height, len(set(zlib.decompress(data)))


def test_screenshot(report, tmp_path_factory):
    png = tmp_path_factory.mktemp("artifacts") / "report.png"
    done = screenshot(report, png, 1280, 1600, user_data_dir=tmp_path_factory.mktemp("profile"))
    assert console_messages(done.stderr) == []
    width, height, colours = _png_size_and_colours(png.read_bytes())
    assert (width, height) == (1280, 1600)
    assert colours > 50, "a blank screenshot"
    print(f"screenshot: {png}")


def test_print_stylesheet_puts_each_note_on_its_own_pages(report, real_run, tmp_path_factory):
    pdf = tmp_path_factory.mktemp("artifacts") / "report.pdf"
    run_chromium(report.as_uri(), f"--print-to-pdf={pdf}", "--no-pdf-header-footer",
                 user_data_dir=tmp_path_factory.mktemp("profile"))
    pages = len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf.read_bytes()))
    notes = len(real_run.by_note())
    assert pages >= notes + 1  # the summary, then a page break before every note


def test_a_link_can_preset_the_filters(report, real_run, tmp_path_factory):
    done = run_chromium(report.as_uri() + "?verdict=refuted,conditional&note=000",
                        "--dump-dom", "--virtual-time-budget=5000",
                        user_data_dir=tmp_path_factory.mktemp("profile"))
    shown = {m.group(2) for m in re.finditer(r'<article class="([^"]*)" id="([^"]+)"', done.stdout)
             if 'hidden=""' not in done.stdout[m.start():done.stdout.index(">", m.start())]}
    wanted = {r.id for r in real_run.results if r.verdict.status in ("refuted", "conditional")
              and r.source.startswith("000")}
    assert wanted and shown == wanted
