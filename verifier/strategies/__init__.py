"""Ways of deciding a claim, one module each, in the order the engine tries them."""

from verifier.derive.differential import prove_differential
from verifier.strategies.context import Context
from verifier.strategies.defined_region import prove_where_defined
from verifier.strategies.exact import refute_exact, refute_special
from verifier.strategies.general import prove_general, prove_indexed
from verifier.strategies.index_inequality import prove_index_inequality
from verifier.strategies.indexed import prove_index_form
from verifier.strategies.noncommutative import prove_noncommutative
from verifier.strategies.nonnegative import prove_nonnegative
from verifier.strategies.numeric import check_numeric
from verifier.strategies.shapes import check_shapes
from verifier.strategies.sizes import prove_at_sizes

# General proofs are tried first: they are cheap and decide most true claims, which a
# refutation search only tries in vain.  Proofs cover every point, so the special points
# (refute_special) are searched only where no proof was found, before numeric evidence.
# prove_differential (verifier.derive) proves gradients of the claim language by their
# differential, where SymPy's matrix derivatives fail (log det X) or take prove_general
# seconds to re-check (inverses); it stands down at once for anything else.
# prove_nonnegative proves an inequality (f ≥ g) = 1 by a certificate that f − g ≥ 0 in
# general dimension (sums of squares and norms, Gram matrices, squared roots);
# prove_index_inequality does the same for sides with sums of symbolic length.
PIPELINE = (check_shapes, prove_differential, prove_general, prove_nonnegative,
            prove_noncommutative, prove_indexed, prove_where_defined, refute_exact,
            prove_index_form, prove_index_inequality, prove_at_sizes, refute_special,
            check_numeric)
PROOFS = (prove_differential, prove_general, prove_nonnegative, prove_noncommutative,
          prove_indexed, prove_where_defined, prove_index_form, prove_index_inequality,
          prove_at_sizes, refute_special, check_numeric)

__all__ = [
    "Context",
    "PIPELINE",
    "PROOFS",
    "check_numeric",
    "check_shapes",
    "prove_at_sizes",
    "prove_differential",
    "prove_general",
    "prove_index_form",
    "prove_index_inequality",
    "prove_indexed",
    "prove_noncommutative",
    "prove_nonnegative",
    "prove_where_defined",
    "refute_exact",
    "refute_special",
]
