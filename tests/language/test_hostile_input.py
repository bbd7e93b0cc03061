"""Bad input gets a clear ClaimInputError (what is wrong, where), never a traceback, and
nothing in a claim is ever executed."""

from __future__ import annotations

import builtins
import os
import subprocess
import sys
from pathlib import Path

import pytest

from verifier.claim import ClaimError
from verifier.claimfile import load_claim_files, one_liner
from verifier.language import ClaimInputError

SYMBOLS = "x: vector(n), A: matrix(n, n), y: vector(m), s: scalar, t: integer, c: index(C)"
ROOT = Path(__file__).resolve().parents[2]

# (expression, a fragment the message must contain)
BAD_EXPRESSIONS = [
    ("x +", "syntax error"),
    ("(x", "never closed"),
    ("x)", "unmatched ')'"),
    ("", "empty"),
    ("   ", "empty"),
    ("z + x", 'unknown name "z"'),
    ("trnspose(A)", 'unknown function "trnspose"'),
    ("foo(x)", 'unknown function "foo"'),
    # functions of ML code the language spells otherwise, or lacks: say how to write them
    ("softplus(x, beta=2)", "softplus(x): log(1 + exp(x))"),
    ("sofplus(x)", 'did you mean "softplus"? (softplus(x): log(1 + exp(x)))'),
    ("log1p(x, 1)", "log1p(x): log(1 + x)"),
    ("gelu(x)", "write x * (1 + erf(x / sqrt(2))) / 2"),
    ("arcsinh(x)", "asinh x is log(x + sqrt(x**2 + 1))"),
    ("x.__class__", 'attribute ".__class__" is not in the language'),
    ("x.__class__.__bases__[0].__subclasses__()", "is not in the language"),
    ("__import__('os')", 'unknown function "__import__"'),
    ("__import__('os').system('echo hi')", 'attribute ".system" is not in the language'),
    ("eval('1')", 'unknown function "eval"'),
    ("lambda: x", "a lambda is not in the language"),
    ("[v for v in x]", "a list comprehension is not in the language"),
    ("sum(v for v in x)", "a generator expression is not in the language"),
    ("trace(A, axis=0)", "keyword arguments are not in the language (axis=...), except"),
    ("sum(x, axis=2)", "axis is 0 (down each column) or 1"),
    ("sum(x, out=0)", "keyword arguments are not in the language (out=...)"),  # dim=: read
    ("sum(**{'a': 1})", "keyword arguments are not in the language"),
    ("sum(*x)", "a starred argument is not in the language"),
    ("x[0:1]", "only a whole row or column is sliced"),
    ("x[-1]", "negative indices are not in the language"),
    ("x[s]", "an index is an integer from 0 or a symbol declared index(n)"),
    ("x[n]", "is a dimension (a size), not an index"),
    ("A[c, 0]", "c ranges over 0..C-1 but A has n rows"),
    ("A[0]", "write an entry A[i, j], a row A[i, :] or a column A[:, j]"),
    ("s[0]", "only vectors and matrices can be indexed"),
    ("x[0, 0, 0]", "at most two indices"),
    ("sum(x, s)", "the index of sum(e, i) must be a symbol declared index(n)"),
    ("x > y", "shapes do not fit"),
    ("s is s", '"is" is not in the language'),
    ("'x'", "a string literal is not in the language"),
    ("f'{x}'", "an f-string is not in the language"),
    ("(z := x)", "an assignment (:=) is not in the language"),
    ("x if s else x", "a conditional expression"),
    ("x == x", "== compares integers"),
    ("s and s", "and/or; for 'both hold' multiply the indicators"),
    ("not s", '"not" is not in the language'),
    ("~s", '"~" is not in the language'),
    ("s // 2", "operator // is not in the language"),
    ("s % 2", "operator % is not in the language"),
    ("s ^ q", 'unknown name "q"'),  # s ^ 2, s ^ t are read as powers (rounds 14, 15)
    ("s ^ s", "a symbolic exponent must be integer-valued"),
    ("[x, x]", "a list is not in the language"),
    ("{1: x}", "a dict is not in the language"),
    ("A @ y", "shapes do not fit: A is n×n, y is m×1 in A @ y"),
    ("x + y", "shapes do not fit: x is n×1, y is m×1"),
    ("x.T @ x.T", "shapes do not fit"),  # x @ x is NumPy's xᵀx (round 14)
    ("s @ x", "@ is the matrix product and s is a scalar"),
    ("trace(x)", "trace needs a square matrix"),
    ("inv(y @ x.T)", "inv needs a square matrix"),
    ("grad(x, x)", "grad(f, X) needs a scalar-valued f"),
    ("grad(s, 2 * s)", "must be a declared symbol"),
    ("grad(s, c)", "cannot differentiate"),
    ("grad(s, c) + 1", "cannot differentiate"),
    ("jacobian(A, x)", "jacobian(f, x) needs a scalar or a column vector f"),
    ("jacobian(x, A)", "differentiates by a scalar or a column vector"),
    ("hessian(x, x)", "hessian(f, x) needs a scalar-valued f"),
    ("hessian(s, 2 * s)", "the variable of hessian(f, x) must be a declared symbol"),
    ("prod(x, c)", "prod(e, i) multiplies scalars"),
    ("max(x, y)", "an element-wise max or min needs equal shapes"),
    ("sum(x, c, axis=0)", "axis= goes with sum(X, axis=k) alone"),
    ("eye(1000000)", "a size in eye(...)"),
    ("eye(s)", "a size in eye(...)"),
    ("2 ** 10 ** 10", "is not a plain number"),
    ("s ** 1000", "too large"),
    ("((s ** 64) ** 64) ** 64", "powers nested too high"),
    ("x ** s", "a symbolic exponent"),
    ("1" * 1000, "at most 30 digits"),
    ("1" * 5000, "a number is far too long"),
    ("1e999999", "decimal exponent"),
    ("0x10 * s", "write integers in decimal"),
    ("2j * s", "complex numbers are not in the language"),
    ("True * s", "True is not in the language"),
    ("s / 0", "division by zero"),
    ("np.linalg.slogdet(A)", "log(abs(det(A)))"),  # np.trace(A) is read (round 14)
    ("A.I", "for an inverse write inv(A)"),
    ("A' @ x", "write A.T for a transpose"),
    ("A⁻ @ x", "write inv(A) for an inverse"),  # A⁻¹ is read as inv(A) (round 14)
    ("x∘x", "write a * b for an element-wise (Hadamard) product"),  # x⊙x is read
    ("1/2x", "is 2s the divisor, a / (2 * s), or s a factor"),  # 2x alone is read (round 18)
    ("sig(s)", "write sigmoid(x)"),  # σ(s) is sigmoid(s) since round 17
    ("A ** -1", "for the inverse write inv(A)"),
    ("dot(A, A)", "write A @ B for a matrix product"),
    ("transpose(A, B)", "transpose takes 1 argument(s)"),
    ("exp", '"exp" is a function; call it'),
    ("x(A)", "is no matrix product"),  # A(x) is read as A @ x since round 15
    ("(" * 10_000 + "x" + ")" * 10_000, "characters long"),
    ("(" * 4_000 + "x" + ")" * 4_000, "parentheses nested more than 100 deep"),
    ("-" * 60 + "x", "more than 50 signs in a row"),
    ("-" * 5_000 + "x", "operators; at most 500"),
    ("+".join(["s"] * 3_000), "operators; at most 500"),
    ("+".join(["s"] * 300), "nested more than 200 levels deep"),
    ("x" * 10_001, "at most 10000 are accepted"),
    ("s\x00", "NUL"),
    ("x.T.T" + ".T" * 600, "operators; at most 500"),
]


@pytest.mark.parametrize("text,fragment", BAD_EXPRESSIONS, ids=range(len(BAD_EXPRESSIONS)))
def test_bad_expression_is_a_clear_error(text, fragment):
    with pytest.raises(ClaimInputError) as info:
        one_liner(text, "s", SYMBOLS)
    assert fragment in str(info.value)
    assert isinstance(info.value, ClaimError)  # one error family for every bad input


def test_at_least_thirty_bad_expressions():
    assert len(BAD_EXPRESSIONS) >= 30


def test_error_names_the_column():
    with pytest.raises(ClaimInputError) as info:
        one_liner("x + A @ y", "x", SYMBOLS)
    assert (info.value.line, info.value.column) == (1, 7)  # the @
    assert "lhs, column 7" in str(info.value)


BAD_FIELDS = [
    ({"symbols": "x: tensor(n)"}, 'unknown kind "tensor(n)"'),
    ({"symbols": "x: vector(0)"}, "neither a name nor a positive integer"),
    ({"symbols": "x: vector(n), x: scalar"}, "declared twice"),
    ({"symbols": "exp: scalar"}, "is a function or constant of the language"),
    ({"symbols": "n: scalar, x: vector(n)"}, "both a symbol and a dimension"),
    ({"assume": ["x symetric"]}, "unknown assumption"),
    ({"assume": ["A symmetric"], "symbols": "A: matrix(n, m)", "lhs": "A", "rhs": "A"},
     "needs a square matrix"),
    ({"layout": "denominater"}, 'did you mean "denominator"'),
    ({"expect": "maybe"}, "use holds, fails"),
    ({"kind": "identy"}, 'did you mean "identity"'),
    ({"sizes": [{"q": 2}]}, "not a dimension of the claim"),
    ({"sizes": [{"n": 1000}]}, "a size is an integer from 1 to 16"),
    ({"lhss": "x"}, 'unknown key "lhss"; did you mean "lhs"'),
    ({"lhs": ["x"]}, "lhs must be a string"),  # a number is its expression (rhs = 0)
]


@pytest.mark.parametrize("fields,fragment", BAD_FIELDS, ids=range(len(BAD_FIELDS)))
def test_bad_field_in_a_file(tmp_path, fields, fragment):
    table = {"id": "c", "symbols": "x: vector(n)", "lhs": "x", "rhs": "x", **fields}
    lines = ["[[claim]]"] + [f"{k} = {_toml(v)}" for k, v in table.items()]
    path = tmp_path / "bad.claims.toml"
    path.write_text("\n".join(lines) + "\n")
    entries, errors = load_claim_files([str(path)])
    assert not entries and len(errors) == 1
    msg = str(errors[0])
    assert fragment in msg
    assert msg.startswith(f'{path}:') and 'in claim "c"' in msg


def _toml(v) -> str:
    if isinstance(v, str):
        return '"' + v + '"'
    if isinstance(v, list):
        return "[" + ", ".join(_toml(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{k} = {_toml(x)}" for k, x in v.items()) + " }"
    return str(v)


BAD_FILES = [
    (b"", "no claims in the file"),
    (b"# only a comment\n", "no claims in the file"),
    (b"[[claim]\nid = 1", "not valid TOML"),
    (b"not = toml = x", "not valid TOML"),
    (b'[[claim]]\nid = "a"\nlhs = "\xff\xfe"\n', "not UTF-8 text"),
    (b'[claim]\nid = "a"\n', "must be an array of tables"),
    (b'[[claims]]\nid = "a"\n', 'unknown top-level key "claims"; did you mean "claim"'),
    (b'[[claim]]\nlhs = "x"\nrhs = "x"\n', "needs an id"),
    (b'[[claim]]\nid = "a b"\nlhs = "x"\nrhs = "x"\n', "an id is letters"),
    (b'[[claim]]\nid = "a"\nrhs = "1"\n', "a claim needs lhs"),
    (b'[[derivation]]\nid = "a"\nsteps = ["1"]\n', "at least two expressions"),
]


@pytest.mark.parametrize("content,fragment", BAD_FILES, ids=range(len(BAD_FILES)))
def test_bad_file_is_a_clear_error(tmp_path, content, fragment):
    path = tmp_path / "f.claims.toml"
    path.write_bytes(content)
    entries, errors = load_claim_files([str(path)])
    assert not entries and errors
    assert any(fragment in str(e) for e in errors), [str(e) for e in errors]
    assert all(str(e).startswith(str(path)) for e in errors)


def test_missing_file_and_directory(tmp_path):
    _, errors = load_claim_files([str(tmp_path / "nope.toml"), str(tmp_path)])
    assert [e.message for e in errors] == ["no such file", "is a directory, not a claim file"]


def test_errors_name_file_line_and_column(tmp_path):
    path = tmp_path / "c.claims.toml"
    path.write_text(
        '[[claim]]\nid = "ok"\nsymbols = { x = "vector(n)" }\nlhs = "x"\nrhs = "x"\n\n'
        '[[claim]]\nid = "quadratic-form"\nsymbols = { x = "vector(n)", A = "matrix(n, n)" }\n'
        'lhs = "grad(x.T @ A @ x, x)"\nrhs = "2 * trnspose(A) @ x"\n'
    )
    entries, errors = load_claim_files([str(path)])
    assert [e.id for e in entries] == ["ok"]  # the good claim still loads
    (err,) = errors
    assert (err.line, err.column, err.claim) == (11, 12, "quadratic-form")
    assert str(err).startswith(f'{path}:11:12 in claim "quadratic-form": unknown function')
    assert err.render().splitlines()[-1].index("^") == 4 + 11


def test_multiline_expression_positions(tmp_path):
    path = tmp_path / "m.claims.toml"
    path.write_text(
        '[[claim]]\nid = "m"\nsymbols = { x = "vector(n)" }\nlhs = "x"\n'
        'rhs = """\n    x +\n    0 * q"""\n'
    )
    _, (err,) = load_claim_files([str(path)])
    assert (err.line, err.column) == (7, 9)
    assert 'unknown name "q"' in err.message


def test_duplicate_ids(tmp_path):
    text = '[[claim]]\nid = "a"\nlhs = "1"\nrhs = "1"\n'
    p1, p2 = tmp_path / "1.claims.toml", tmp_path / "2.claims.toml"
    p1.write_text(text * 2)
    p2.write_text(text)
    entries, errors = load_claim_files([str(p1), str(p2)])
    assert len(entries) == 1 and len(errors) == 2
    assert all("already used" in str(e) for e in errors)


# ----- nothing is ever executed -----

PAYLOADS = [
    "__import__('os').system('touch {marker}')",
    "eval(\"__import__('os').system('touch {marker}')\")",
    "x.__class__.__init__.__globals__['os'].system('touch {marker}')",
    "(lambda: __import__('os').system('touch {marker}'))()",
    "[__import__('os').system('touch {marker}') for _ in (1,)]",
    "f\"{{__import__('os').system('touch {marker}')}}\"",
]


@pytest.mark.parametrize("payload", PAYLOADS, ids=range(len(PAYLOADS)))
def test_nothing_is_executed(tmp_path, monkeypatch, payload):
    marker = tmp_path / "pwned"
    text = payload.format(marker=marker)
    real_compile = builtins.compile

    def only_ast(source, filename, mode, flags=0, *args, **kwargs):
        import ast as _ast

        assert flags & _ast.PyCF_ONLY_AST, "user text compiled to code"
        return real_compile(source, filename, mode, flags, *args, **kwargs)

    def forbidden(*args, **kwargs):
        raise AssertionError("user text evaluated")

    import sympy

    real_sympify = sympy.sympify

    def sympify_no_strings(a, *args, **kwargs):
        assert not isinstance(a, str), "user text handed to sympify"
        return real_sympify(a, *args, **kwargs)

    monkeypatch.setattr(builtins, "compile", only_ast)
    monkeypatch.setattr(builtins, "eval", forbidden)
    monkeypatch.setattr(builtins, "exec", forbidden)
    monkeypatch.setattr(sympy, "sympify", sympify_no_strings)
    for lhs, rhs in ((text, "s"), ("s", text)):
        with pytest.raises(ClaimInputError):
            one_liner(lhs, rhs, SYMBOLS)
    path = tmp_path / "p.claims.toml"
    path.write_text(f"[[claim]]\nid = \"p\"\nsymbols = \"{SYMBOLS}\"\nlhs = '''{text}'''\n"
                    "rhs = \"s\"\n")
    entries, errors = load_claim_files([str(path)])
    assert not entries and len(errors) == 1
    assert not marker.exists()


# ----- through the command line -----


def _run_cli(*paths, cache: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT), DERIVCHECK_CACHE=str(cache))
    return subprocess.run(
        [sys.executable, "-m", "verifier", "check", *map(str, paths)],
        capture_output=True, text=True, timeout=120, cwd=ROOT, env=env,
    )


def test_cli_exit_2_without_traceback_on_bad_input(tmp_path):
    bad = tmp_path / "bad.claims.toml"
    table = "\n".join(
        f'[[claim]]\nid = "bad{k}"\nsymbols = "{SYMBOLS}"\nlhs = {_toml_str(text)}\nrhs = "s"\n'
        for k, (text, _) in enumerate(BAD_EXPRESSIONS)
        if len(text) < 200 and "\x00" not in text
    )
    bad.write_text(table + '[[claim]]\nid = "good"\nlhs = "1 + 1"\nrhs = "2"\n')
    files = [bad]
    for k, (content, _) in enumerate(BAD_FILES):
        p = tmp_path / f"file{k}.claims.toml"
        p.write_bytes(content)
        files.append(p)
    proc = _run_cli(*files, cache=tmp_path / "cache")
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    assert "shapes do not fit" in proc.stdout + proc.stderr


def _toml_str(text: str) -> str:
    return "'''" + text + "'''" if "'''" not in text and "\n" not in text else '"x"'
