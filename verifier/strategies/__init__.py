"""Ways of deciding a claim, one module each, in the order the engine tries them."""

from verifier.strategies.context import Context
from verifier.strategies.exact import refute_exact
from verifier.strategies.general import prove_general, prove_indexed
from verifier.strategies.noncommutative import prove_noncommutative
from verifier.strategies.numeric import check_numeric
from verifier.strategies.shapes import check_shapes
from verifier.strategies.sizes import prove_at_sizes

PIPELINE = (check_shapes, refute_exact, prove_general, prove_noncommutative, prove_indexed,
            prove_at_sizes, check_numeric)
PROOFS = (prove_general, prove_noncommutative, prove_indexed, prove_at_sizes, check_numeric)

__all__ = [
    "Context",
    "PIPELINE",
    "PROOFS",
    "check_numeric",
    "check_shapes",
    "prove_at_sizes",
    "prove_general",
    "prove_indexed",
    "prove_noncommutative",
    "refute_exact",
]
