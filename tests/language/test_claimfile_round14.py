"""Round 14: a claim written whole in a claim file's lhs, without rhs, is read as verify() and
``derivcheck claim`` read one string: an inequality as its indicator (= 1), an equation as its
two sides.  Until round 14 both were refused ('write lhs = "(…)" and rhs = "1"', 'write
lhs = "a" and rhs = "b"')."""

from __future__ import annotations

from pathlib import Path

from verifier.claimfile import load_claim_file
from verifier.engine import Options, decide

HEAD = '[[claim]]\nid = "{id}"\nsymbols = {{ x = "vector(n)", y = "vector(n)" }}\n'


def _load(tmp_path: Path, *bodies: str):
    text = "\n".join(HEAD.format(id=f"c{k}") + body for k, body in enumerate(bodies))
    path = tmp_path / "one_sided.claims.toml"
    path.write_text(text, encoding="utf-8")
    return load_claim_file(str(path))


def test_an_inequality_alone_is_its_indicator_and_is_decided(tmp_path: Path) -> None:
    entries, errors = _load(
        tmp_path,
        'lhs = "norm(x + y) <= norm(x) + norm(y)"\n',           # the triangle inequality
        'lhs = "abs(x @ y) >= norm(x) * norm(y)"\nexpect = "fails"\n',  # Cauchy–Schwarz reversed
    )
    assert not errors
    assert [(e.lhs.text, e.rhs.text) for e in entries] == [
        ("norm(x + y) <= norm(x) + norm(y)", "1"), ("abs(x @ y) >= norm(x) * norm(y)", "1")]
    opts = Options(timeout=30, jobs=1)
    assert decide(entries[0], opts).verdict.status in ("proved", "proved-at-sizes", "checked")
    assert decide(entries[1], opts).verdict.status == "refuted"


def test_an_equation_alone_is_split_into_its_sides(tmp_path: Path) -> None:
    entries, errors = _load(tmp_path, 'lhs = "x @ y = y.T @ x"\n')
    assert not errors and (entries[0].lhs.text, entries[0].rhs.text) == ("x @ y", "y.T @ x")


def test_an_error_in_the_right_side_points_into_it(tmp_path: Path) -> None:
    _, errors = _load(tmp_path, 'lhs = "x @ y = nrm(x) ** 2"\n')
    (err,) = errors
    assert (err.line, err.column) == (4, 16) and 'unknown function "nrm"' in err.render()


def test_a_chain_and_a_comparison_expression_are_still_refused(tmp_path: Path) -> None:
    _, errors = _load(tmp_path, 'lhs = "x @ x = norm(x) ** 2 = sum(x ** 2)"\n',
                      'lhs = "(x >= 0) * x"\n')
    assert len(errors) == 2
    assert "[[derivation]] with steps" in errors[0].render()
    assert 'a claim needs rhs = "..."' in errors[1].render()


# ----- a claim as code asserts it: A == B, np.allclose(A, B) -----

def test_an_assertion_as_code_writes_it_is_an_equation(tmp_path: Path) -> None:
    entries, errors = _load(
        tmp_path,
        'lhs = "np.allclose(x @ y, y.T @ x, atol=1e-6)"\n',
        'lhs = "assert x @ y == y @ x"\n',
        'lhs = "torch.allclose(np.outer(x, y), np.outer(y, x))"\nexpect = "fails"\n',
    )
    assert not errors
    assert [(e.lhs.text, e.rhs.text) for e in entries] == [
        ("x @ y", "y.T @ x"), ("x @ y", "y @ x"), ("np.outer(x, y)", "np.outer(y, x)")]
    opts = Options(timeout=30, jobs=1)
    assert [decide(e, opts).verdict.status for e in entries] == ["proved", "proved", "refuted"]


def test_verify_reads_an_assertion_too() -> None:
    from verifier import verify

    sym = "A: matrix(n, n), B: matrix(n, n)"
    assert verify("(A @ B).T == B.T @ A.T", symbols=sym).verdict.status == "proved"
    assert verify("np.allclose((A @ B).T, A.T @ B.T)", symbols=sym,
                  expect="fails").as_expected


def test_an_error_in_an_assertion_points_into_its_side(tmp_path: Path) -> None:
    _, errors = _load(tmp_path, 'lhs = "x @ y == x @ yy"\n')
    (err,) = errors
    assert (err.line, err.column) == (4, 21) and 'unknown name "yy"' in err.render()


def test_verify_reads_a_chain_of_equalities_as_a_derivation() -> None:
    # refused before round 14 ('verify needs both sides'); each step is decided on its own
    from verifier import verify

    chain = verify("np.var(x) = np.mean((x - x.mean()) ** 2) = np.mean(x ** 2) - x.mean() ** 2",
                   symbols="x: vector(n)")
    assert chain.verdict.status == "proved"
    wrong = verify("‖x + y‖² = ‖x‖² + ‖y‖² + 2 * x · y = ‖x‖² + ‖y‖²",
                   symbols="x: vector(n), y: vector(n)", expect="fails")
    assert wrong.verdict.status == "refuted" and "step 2" in wrong.verdict.detail


def test_an_inequality_pasted_from_latex_alone_is_its_indicator(tmp_path: Path) -> None:
    # \le was not seen as an inequality, so the claim asked for rhs (round 14)
    entries, errors = _load(tmp_path, "lhs = '\\|x + y\\| \\le \\|x\\| + \\|y\\|'\n")
    assert not errors and entries[0].rhs.text == "1"
    assert decide(entries[0], Options(timeout=30, jobs=1)).verdict.status in (
        "proved", "proved-at-sizes", "checked")
