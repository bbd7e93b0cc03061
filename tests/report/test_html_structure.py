"""The HTML report's structure, read with html.parser (no browser): anchors, badges, MathML,
grouping, no URL, everything visible without the script."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser

import pytest

from verifier.report import Run, render
from verifier.report.html import BADGES, render_html
from verifier.report.html_math import expr_mathml, value_mathml
from verifier.verdict import VERDICTS, Counterexample, ImplementationCheck, Result, StepResult
from verifier.verdict import Verdict as V

VOID = {"meta", "input", "br", "img", "link", "hr", "col", "source", "wbr", "mspace"}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    parent: Node | None = None
    children: list[Node] = field(default_factory=list)
    text: list[str] = field(default_factory=list)

    def all_text(self) -> str:
        return "".join(self.text) + "".join(c.all_text() for c in self.children)

    def find_all(self, pred) -> list[Node]:
        out = [self] if pred(self) else []
        for c in self.children:
            out += c.find_all(pred)
        return out

    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())


class Tree(HTMLParser):
    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.root = self.node = Node("#root", {})
        self.feed(page)
        self.close()

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: v or "" for k, v in attrs}, self.node)
        self.node.children.append(node)
        if tag not in VOID:
            self.node = node

    def handle_endtag(self, tag):
        n = self.node
        while n is not None and n.tag != tag:
            n = n.parent
        if n is not None and n.parent is not None:
            self.node = n.parent

    def handle_data(self, data):
        self.node.text.append(data)


def tags(tree: Tree, tag: str, cls: str | None = None) -> list[Node]:
    return tree.root.find_all(lambda n: n.tag == tag and (cls is None or cls in n.classes()))


# ----- a synthetic run: every verdict, steps, an implementation, a claim file -----


def _result(id_, status, source, **kw) -> Result:
    verdict = kw.pop("verdict", None) or V(status, "prove_general", detail=f"{status} because")
    base = dict(id=id_, title=f"title of {id_}", source=source, kind="identity",
                verdict=verdict, expected="holds", as_expected=True, seconds=0.5, seed=0,
                lhs="a", rhs="b", lhs_mathml="<mi>a</mi>", rhs_mathml="<mi>b</mi>")
    base.update(kw)
    return Result(**base)


N0 = "000_a52696e652c128e2.txt"
N2 = "002_4ae23f3e3e4323a6.txt"
CX = Counterexample(values={"M": [["0", "-3/2"], ["1", "0"]], "t": "1/2"},
                    lhs=[["1"], ["0"]], rhs=[["0"], ["0"]], difference=[["1"], ["0"]],
                    exact=True, sizes={"n": 2})


def synthetic() -> Run:
    results = [
        _result("standard.first", "proved", "standard"),
        _result("n2.later", "checked", f"{N2} § Gradient Descent",
                verdict=V("checked", "check_numeric", max_error=3e-9)),
        _result("n0.sec_b", "refuted", f"{N0} § Matrix Calculus",
                verdict=V("refuted", "refute_exact", counterexample=CX), expected="fails"),
        _result("n0.sec_a", "conditional", f"{N0} § Matrix Transpose",
                verdict=V("conditional", "refute_exact", counterexample=CX,
                          condition="M symmetric", condition_evidence="proved"),
                expected="holds if M symmetric"),
        _result("n0.sec_b2", "timeout", f"{N0} § Matrix Calculus", as_expected=False),
        _result("n2.err", "error", f"{N2} § Regression", title="<script>alert(1)</script> | x"),
        _result("n2.undecided", "undecided", f"{N2} § Regression"),
        _result("n2.sizes", "proved-at-sizes", f"{N2} § Regression",
                implementation=ImplementationCheck("derivations.gradients.x.f", True, 2e-16)),
        _result("n2.huge", "proved-at-sizes", f"{N2} § Regression", lhs="x + " * 400 + "x",
                lhs_mathml=""),
        _result("n0.chain", "refuted", f"{N0} § Matrix Calculus", kind="derivation",
                verdict=V("refuted", "refute_exact", counterexample=CX), lhs="", rhs="",
                lhs_mathml="", rhs_mathml="",
                steps=(StepResult(1, V("proved", "prove_general"), "holds", True, "a", "b",
                                  lhs_mathml="<mi>a</mi>", rhs_mathml="<mi>b</mi>"),
                       StepResult(2, V("refuted", "refute_exact", counterexample=CX), "holds",
                                  False, "b", "c", lhs_mathml="<mi>b</mi>",
                                  rhs_mathml="<mi>c</mi>"),
                       StepResult(3, V("refuted", "refute_exact"), "holds", False, "c", "d"))),
        _result("file-claim", "proved", "examples/q.claims.toml",
                origin="examples/q.claims.toml:3"),
    ]
    return Run(tuple(results), 12.5, "0.1.0", notes=("cache: 3 hits",))


@pytest.fixture(scope="module")
def page() -> str:
    return render_html(synthetic())


@pytest.fixture(scope="module")
def tree(page) -> Tree:
    return Tree(page)


def test_render_dispatches_html():
    assert render(synthetic(), "html").startswith("<!DOCTYPE html>")


def test_every_claim_has_its_anchor_and_a_link_to_it(tree):
    articles = tags(tree, "article", "claim")
    assert [a.attrs["id"] for a in articles] != []
    assert {a.attrs["id"] for a in articles} == {r.id for r in synthetic().results}
    for a in articles:
        href = f"#{a.attrs['id']}"
        links = a.find_all(lambda n, href=href: n.tag == "a" and n.attrs.get("href") == href)
        assert links, a.attrs["id"]
    ids = [n.attrs["id"] for n in tree.root.find_all(lambda n: "id" in n.attrs)]
    assert len(ids) == len(set(ids)), "ids are unique"


def test_badges_have_words_and_decorative_symbols(tree):
    badges = tags(tree, "span", "badge")
    assert badges
    words = {w for _, w in BADGES.values()}
    for b in badges:
        text = b.all_text()
        assert "verdict:" in text and any(w in text for w in words)
        sym = [c for c in b.children if "sym" in c.classes()]
        assert sym and sym[0].attrs.get("aria-hidden") == "true"
    seen = {next(c for c in b.classes() if c.startswith("v-"))[2:] for b in badges}
    assert seen == set(VERDICTS)


def test_no_url_anywhere(page, tree):
    for n in tree.root.find_all(lambda n: "src" in n.attrs or "href" in n.attrs):
        for attr in ("src", "href"):
            if attr in n.attrs:
                assert n.attrs[attr].startswith("#"), (n.tag, n.attrs[attr])
    assert not tags(tree, "link") and not tags(tree, "img") and not tags(tree, "iframe")
    assert all("src" not in s.attrs for s in tags(tree, "script"))
    css = "".join(s.all_text() for s in tags(tree, "style"))
    assert "url(" not in css and "@import" not in css and "@font-face" not in css
    assert not re.search(r"(src|href)\s*=\s*[\"']?(https?:|//|file:)", page)


def test_mathml_for_formulas_and_counterexamples(tree):
    by_id = {a.attrs["id"]: a for a in tags(tree, "article", "claim")}
    assert by_id["standard.first"].find_all(lambda n: n.tag == "math")
    cx = by_id["n0.sec_a"].find_all(lambda n: n.tag == "mtable")
    assert len(cx) >= 4  # M, and the two sides and their difference
    fracs = by_id["n0.sec_a"].find_all(lambda n: n.tag == "mfrac")
    assert {f.all_text() for f in fracs} >= {"32", "12"}  # -3/2 and 1/2 as fractions
    assert "Holds if M symmetric (proved)." in by_id["n0.sec_a"].all_text()


def test_huge_sides_are_not_typeset(tree):
    huge = next(a for a in tags(tree, "article", "claim") if a.attrs["id"] == "n2.huge")
    assert not huge.find_all(lambda n: n.tag == "math")
    details = huge.find_all(lambda n: n.tag == "details")
    assert details and "not typeset" in details[0].all_text()


def test_derivation_steps_and_the_first_failing_one(tree):
    chain = next(a for a in tags(tree, "article", "claim") if a.attrs["id"] == "n0.chain")
    steps = chain.find_all(lambda n: n.tag == "li" and "step" in n.classes())
    assert len(steps) == 3
    failing = [s for s in steps if "first-failure" in s.classes()]
    assert len(failing) == 1 and "step 2" in failing[0].all_text()
    assert "first failing step" in failing[0].all_text()
    assert failing[0].find_all(lambda n: n.tag == "mtable")  # its own counterexample


def test_groups_in_note_order_with_section_headings(tree):
    notes = tags(tree, "section", "note")
    assert [n.attrs["id"] for n in notes] == [
        "dc-note-000", "dc-note-002", "dc-group-2", "dc-group-3"]
    # a note by its title (from the note's text), then its file name
    assert [n.find_all(lambda x: x.tag == "h2")[0].all_text() for n in notes] == [
        "Formulas [of deep learning]", "Deep Learning", "Standard results",
        "examples/q.claims.toml"]
    assert N0 in notes[0].all_text() and N2 in notes[1].all_text()
    headings = [h.all_text() for h in notes[0].find_all(lambda n: n.tag == "h3")]
    # the note's own order (derivations.SECTIONS), not the order the claims came in
    assert headings == ["§ Matrix Transpose", "§ Matrix Calculus"]


def test_summary_counts_versions_and_unexpected(tree):
    top = tags(tree, "header", "top")[0].all_text()
    assert "11 entries, 10 as expected" in top and "12.5 s" in top
    assert re.search(r"SymPy \d", top) and re.search(r"Python 3\.\d", top)
    assert "1 not as expected" in top and "cache: 3 hits" in top
    rows = tags(tree, "table", "notes")[0].find_all(lambda n: n.tag == "tr")
    assert len(rows) == 1 + 4


def test_readable_without_script(tree):
    form = tags(tree, "form", "filters")[0]
    assert "hidden" in form.attrs  # the script shows the controls it drives
    assert not [a for a in tags(tree, "article") if "hidden" in a.attrs]


def test_text_is_escaped(page):
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; | x" in page


def test_implementation_and_reproduce(tree):
    sizes = next(a for a in tags(tree, "article", "claim") if a.attrs["id"] == "n2.sizes")
    assert "✓ matches (max error 2.00e-16)" in sizes.all_text()
    assert "derivcheck check n2.sizes --seed 0" in sizes.all_text()
    file_claim = next(a for a in tags(tree, "article") if a.attrs["id"] == "file-claim")
    assert "derivcheck check examples/q.claims.toml --seed 0" in file_claim.all_text()


def test_value_and_expression_mathml():
    assert value_mathml("-3/2") == "<mrow><mo>−</mo><mfrac><mn>3</mn><mn>2</mn></mfrac></mrow>"
    assert value_mathml("1.5e-7") == (
        "<mrow><mn>1.5</mn><mo>×</mo><msup><mn>10</mn><mrow><mo>−</mo><mn>7</mn></mrow>"
        "</msup></mrow>")
    assert value_mathml([["1"], ["2"]]).count("<mtr>") == 2
    long = value_mathml([["1"], ["2"], ["3"], ["4"]])  # a long column: a transposed row
    assert long.count("<mtr>") == 1 and long.count("<mtd>") == 4 and long.startswith("<msup>")
    assert value_mathml("2×1") == "<mtext>2×1</mtext>"
    import sympy as sp

    n = sp.Symbol("n")
    a, m = sp.MatrixSymbol("a", n, 1), sp.MatrixSymbol("M", n, n)
    out = expr_mathml(sp.Trace(a.T * m * a))  # the 1×1 trace reads as the scalar aᵀMa
    assert "trace" not in out and '<mi mathvariant="normal">T</mi>' in out
    assert "&" not in expr_mathml(sp.exp(sp.Symbol("t")) * 2)  # no named entities
    assert "<mtable>" in expr_mathml(sp.Matrix([[1, 2], [3, 4]]))
    assert expr_mathml(sp.Add(*sp.symbols("x0:400"))) == ""  # too large to typeset


def test_real_run_structure(real_run):
    tree = Tree(render_html(real_run))
    articles = {a.attrs["id"]: a for a in tags(tree, "article", "claim")}
    assert set(articles) == {r.id for r in real_run.results}
    for r in real_run.results:
        maths = articles[r.id].find_all(lambda n: n.tag == "math")
        if r.lhs_mathml and r.rhs_mathml:
            assert maths, r.id
        if r.verdict.counterexample and r.verdict.counterexample.values and not r.steps:
            block = articles[r.id].find_all(lambda n: "cx-block" in n.classes())
            assert block and block[0].find_all(lambda n: n.tag == "math"), r.id
    notes = [n.attrs["id"] for n in tags(tree, "section", "note")]
    assert notes == ["dc-note-000", "dc-note-001", "dc-note-002", "dc-note-003", "dc-note-004",
                     "dc-group-5"]


def test_interrupted_banner():
    page = render_html(replace(synthetic(), interrupted=True))
    assert "<strong>Interrupted:</strong> this report holds only the entries that finished." in page


def test_cli_writes_one_html_file(tmp_path):
    from verifier import cli

    out = tmp_path / "report.html"
    code = cli.main(["check", "linear_algebra.transpose_of_sum", "--format", "html", "--output",
                     str(out), "--no-cache", "--jobs", "1", "--quiet"])
    assert code == 0
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and 'id="linear_algebra.transpose_of_sum"' in page
    assert "<math" in page
