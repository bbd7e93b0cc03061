"""Round 17: claims as outsiders write them that have no one meaning in the language.  Each is
refused where it is written, the file's line and column named, with what is wrong and what
to write.  Before round 17 "s \\approx t" said "write the language's own name for \\approx"
(there is none), "L := s + t" was a syntax error at column 3 and, as one string, "s ≈ t" a
claim whose right side was missing.
"""

from __future__ import annotations

import pytest

from verifier.api import verify
from verifier.claimfile import load_claim_files

# (id, symbols, lhs, what the refusal says)
REFUSED = [
    ("approx", "s ∈ ℝ, t ∈ ℝ", r"e^{s} \approx 1 + s", "a claim is an exact equality"),
    ("approx_unicode", "s ∈ ℝ, t ∈ ℝ", "e^{s} ≈ 1 + s", "write = for what holds exactly"),
    ("propto", "x ∈ ℝ^n, z ∈ ℝ^n", r"\operatorname{softmax}(z) \propto e^{z}",
     "write the equality with the constant"),
    ("definition", "s ∈ ℝ, t ∈ ℝ, L ∈ ℝ", "L := s + t", "a definition (:=) is not a claim"),
    ("coloneqq", "s ∈ ℝ, t ∈ ℝ, L ∈ ℝ", r"L \coloneqq s + t", "substitute what it defines"),
    ("expectation", "x ∈ ℝ^n", r"\mathbb{E}[x] = x", "mean(e, i) with i declared index(N)"),
    ("argmax", "z ∈ ℝ^n, i: index(n)", r"\arg\max_i z_i = 0", "arg max / arg min is an index"),
    ("max_over_index", "z ∈ ℝ^n, i: index(n)", r"\max_i z_i = z_0",
     "write max(x) (min(x)) for the largest (smallest) entry"),
    ("sampled", "x ∈ ℝ^n, s ∈ ℝ", r"x \sim s", "says how x is distributed"),
    ("cube_root", "s ∈ ℝ", r"\sqrt[3]{s^3} = s", "sign(x) * abs(x) ** (1/3)"),
    ("sample_superscript", "x ∈ ℝ^n, i: index(n)", r"x^{(i)} = x", "names a sample, a step"),
    ("sigma_prime", "s ∈ ℝ", r"\sigma'(s) = \sigma(s)(1 - \sigma(s))", "a prime is"),
    ("log_two_operands", "s ∈ ℝ, t ∈ ℝ", r"\log s t = \log s + \log t",
     "write the call with its parentheses"),
    ("cos_two_operands", "s ∈ ℝ, t ∈ ℝ", r"\cos 2 s t = 1", "write the call with its parentheses"),
    ("others_of_a_scalar", "x ∈ ℝ^n, s ∈ ℝ, j: index(n)", r"\sum_{j \ne s} x_j = 0",
     "s is not an index over j's range"),
    ("slogdet_pair", "A ∈ ℝ^{n×n}", "np.linalg.slogdet(A) = np.linalg.det(A)",
     "log(abs(det(A))) for log |det A|"),
    ("kl_div", "x ∈ ℝ^n, y ∈ ℝ^n", "F.kl_div(x, y) = 0", "takes log-probabilities"),
    ("bce", "x ∈ ℝ^n, y ∈ ℝ^n", "F.binary_cross_entropy(x, y) = 0", "clamps each log at -100"),
    ("cdist", "x ∈ ℝ^n, y ∈ ℝ^n", "torch.cdist(x, y) = 0", "for two vectors write norm(x - y)"),
    ("cosine", "x ∈ ℝ^n, y ∈ ℝ^n", "F.cosine_similarity(x, y, dim=0) = 1",
     "x.T @ y / (norm(x) * norm(y))"),
    ("numerator_jacobian_as_grad", "x ∈ ℝ^n, A ∈ ℝ^{n×n}",
     r"\frac{\partial (A x)}{\partial x} = A^\top", "jacobian"),
    ("huber_word", "x ∈ ℝ^n, y ∈ ℝ^n", "huber(x - y) = 0", "declare d: scalar"),
    ("loss_as_function", "L ∈ ℝ, θ ∈ ℝ", r"\mathcal{L}(\theta) = L \theta",
     "the language has no function symbols"),
    ("ell_as_function", "ell ∈ ℝ, θ ∈ ℝ", r"\ell(\theta) = \ell \theta",
     "the language has no function symbols"),
]


def _claim_file(tmp_path, rows) -> str:
    parts = []
    for cid, symbols, lhs, _ in rows:
        parts.append(f"[[claim]]\nid = \"{cid}\"\nsymbols = \"{symbols}\"\nlhs = '''{lhs}'''\n")
    path = tmp_path / "outsiders.claims.toml"
    path.write_text("\n".join(parts), encoding="utf-8")
    return str(path)


def test_each_refusal_names_file_line_and_what_to_write(tmp_path) -> None:
    path = _claim_file(tmp_path, REFUSED)
    entries, errors = load_claim_files([path])
    assert entries == []
    assert len(errors) == len(REFUSED)
    for k, ((cid, _, _, says), error) in enumerate(zip(REFUSED, errors, strict=True)):
        message = str(error)
        line = 5 * k + 4  # each table is 5 lines long; lhs is its 4th
        assert message.startswith(f"{path}:{line}:"), message
        assert f'in claim "{cid}"' in message
        assert says in message, message
        assert "the language's own name" not in message, message


@pytest.mark.parametrize("text", ["s ≈ t", r"s \approx t", "s ∝ t", "L := s + t",
                                  "s + t =: L"])
def test_one_string_with_another_relation_is_refused_as_such(text: str) -> None:
    with pytest.raises(Exception, match="not a claim|constant unnamed") as info:
        verify(text, symbols="s: scalar, t: scalar, L: scalar")
    assert "both sides" not in str(info.value)
