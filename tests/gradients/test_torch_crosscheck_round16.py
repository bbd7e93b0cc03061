"""Round 16 of the torch cross-check: torch's documented semantics at the corners rounds 9–15
did not try. Class weights that are not finite (±∞, NaN, the largest float) in cross-entropy
and NLL, with and without label smoothing and ignore_index; hyper-parameters at ±∞ (ELU's α,
Huber's δ, SmoothL1's β, BCE's pos_weight); integer hyper-parameters given as 0-d integer
arrays, where torch takes 0-d integer tensors; targets out of range, integer and boolean inputs
and mixed float32/float64 arguments, which torch refuses and the library takes or refuses by
its documented rule; Huber and SmoothL1 at tiny δ and β; KL divergence with zeros in a log
target; the hinge loss at its margin; conv2d with stride above the kernel, 1×1 kernels,
padding above the kernel, one output pixel, and a dilation the input cannot hold; max-pool
ties, −∞ and NaN and the indices torch picks; Adam and AdamW with amsgrad, maximize and
weight decay, SGD with dampening and the two combinations torch refuses; clipping with ±∞ or
NaN gradients, max_norm = 0 and zero gradients; layer norm without affine parameters; dropout
at p = 0 and p = 1; softmax and log-softmax VJPs along every axis; float32 subnormals; the
optimizers on parameters and state in Fortran, strided, reversed and transposed layouts,
updated in place as torch's in-place step. The truth is torch on the same values: in float64,
or in the input's dtype where the dtype's own overflow is the point; on the three kernel
paths (round 12's _paths) unless a test says otherwise.

What it found, each test failing before its change:
- cross_entropy_grad with a class weight that is ±∞ or NaN formed w_c · 0 for every class a
  row does not target (w ⊙ T̃ with T̃ one-hot): NaN on every row, where torch's nll_loss reads
  w_y only and leaves the other rows finite; the 'mean' of cross_entropy and nll_loss summed
  0 · w₀ for an ignored row (NaN at w₀ = ±∞), and nll_loss_grad gave an ignored row NaN when
  the mean's Σw is NaN (torch: 0) (test_cross_entropy_non_finite_class_weight_as_torch,
  test_nll_loss_non_finite_class_weight_as_torch);
- a 0-d integer array where torch takes an int (ignore_index, the step t, conv2d's stride,
  padding, dilation and groups as entries of a pair, divisor_override, softmax's dim, an entry
  of normalized_shape or of conv2d_grad_input's x_shape) was refused; torch takes a 0-d integer
  tensor there (test_zero_d_integer_arguments_as_torch);
- hyper-parameters at ±∞: ELU with α = ±∞ gave NaN at z = ±0 (torch: z itself); huber_loss
  with δ = ∞ gave ∞ at |r| = ∞ (torch: NaN, its branch is |r| < δ); smooth_l1_grad with β = ∞
  gave NaN at r = ±∞ (torch: ±1); and NumPy printed RuntimeWarnings where torch is silent:
  ELU and its derivative at α = ±∞, Huber at δ = ∞, SmoothL1 at β = ∞, BCE with logits (its
  loss, its gradient on the reference path) at pos_weight = ±∞, the weighted 'mean' of
  cross-entropy, mse_grad and l1_grad whose Σw passes the range
  (test_infinite_hyper_parameters_as_torch, test_bce_with_logits_infinite_pos_weight_quietly,
  test_weighted_mean_whose_weight_sum_overflows_quietly).

Found here in the fast path and fixed there (lead18): the block-wise cross_entropy_grad
formed w ⊙ T̃ with every class, NaN rows for a non-finite weight of a class the row does not
target (test_cross_entropy_non_finite_class_weight_fast_path); the block-wise
binary_cross_entropy_with_logits_grad printed 'invalid value' at pos_weight = ±∞
(test_bce_with_logits_grad_infinite_pos_weight_fast_path).

Decided and documented, no change (README: the gradient library): torch refuses integer
logits and float32 data with float64 weights; the library reads integers as float64 and
promotes mixed floating arguments (the result is float64, torch's value on the promoted
arguments), test_integer_and_mixed_dtype_inputs_promote; a 'mean' whose weights sum to 0 stays
a refusal (torch: ±∞ or NaN), now with a message that says so.

Tried and found right (no change): targets out of range (refused, as torch), Huber and
SmoothL1 at δ, β down to the subnormals, KL with −∞ log targets, the hinge loss at its margin,
conv2d's corner geometries and its refusal of a dilation the input cannot hold, max-pool
ties/−∞/NaN with torch's indices, Adam/AdamW/SGD flags over 6 steps and torch's two refusals
(nesterov with dampening, nesterov without momentum), clipping's non-finite norms, layer norm
without affine parameters, dropout's p = 0 and p = 1, softmax VJPs along every axis, float32
subnormals through the activations, optimizers in place on every layout.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from quiet import quiet_as_torch

import derivations.gradients as G

torch = pytest.importorskip("torch")
from test_torch_crosscheck_round12 import (  # noqa: E402
    _agree,
    _kernels_restored,  # noqa: F401  (autouse: the kernel path restored after each test)
    _one_torch_thread,  # noqa: F401  (autouse: torch on one thread in this module too)
    _paths,
    _t,
)
from test_torch_crosscheck_round14 import _same_specials  # noqa: E402

F = torch.nn.functional
O = torch.optim

pytestmark = pytest.mark.one_path  # each test runs the kernel paths itself (_paths)
DTYPES = [np.float32, np.float64]
REDUCTIONS = ["mean", "sum", "none"]
TORCH_DTYPE = {np.float32: torch.float32, np.float64: torch.float64}


def _in_dtype(a) -> torch.Tensor:
    """a as a tensor of its own dtype (torch's rounding and overflow in float32 are the
    point where the truth is taken in the input's dtype)."""
    return torch.tensor(np.asarray(a))


def _vjp(f: Callable, x: torch.Tensor, upstream: torch.Tensor | None = None) -> tuple:
    """(f(x), the gradient of f at x against upstream, ones by default)."""
    x = x.detach().clone().requires_grad_(True)
    y = f(x)
    (g,) = torch.autograd.grad(y, x, torch.ones_like(y) if upstream is None else upstream)
    return y.detach(), g


def _specials_in_dtype(got, want, dtype) -> None:
    """got has dtype, NaN and ±∞ where torch's want (computed in that dtype) has them, and
    the finite entries agree to the dtype's rounding."""
    got = np.asarray(got)
    want = np.asarray(want.detach() if hasattr(want, "detach") else want)
    assert got.dtype == dtype and got.shape == want.shape
    np.testing.assert_array_equal(np.isnan(got), np.isnan(want))
    np.testing.assert_array_equal(np.isposinf(got), np.isposinf(want))
    np.testing.assert_array_equal(np.isneginf(got), np.isneginf(want))
    finite = np.isfinite(want)
    rtol = 1e-5 if dtype == np.float32 else 1e-12
    np.testing.assert_allclose(got[finite], want[finite], rtol=rtol, atol=0)


# ----- Found and fixed: class weights that are not finite -----

# (class weights, targets): a weight that is not finite on a targeted class, on class 0 (the
# stand-in label of an ignored row), NaN, and the largest float64
LOGITS = np.array([[0.5, -1.0, 2.0], [1.0, 0.0, -1.0], [0.2, 0.3, 0.1], [0.0, 1.0, 2.0]])
WEIGHTS = [[1.0, np.inf, 1.0], [np.inf, 1.0, 2.0], [-np.inf, 1.0, 2.0], [1.0, np.nan, 1.0],
           [1.0, 1e308, 0.5]]
TARGETS = [[0, 1, 2, -100], [-100, 1, 2, 1]]


def _ce_torch(w, tg, ls, reduction):
    return _vjp(lambda z: F.cross_entropy(z, torch.tensor(tg), weight=_t(w), reduction=reduction,
                                          label_smoothing=ls), _t(LOGITS))


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("ls", [0.0, 0.3])
@pytest.mark.parametrize("tg", TARGETS)
@pytest.mark.parametrize("w", WEIGHTS)
def test_cross_entropy_non_finite_class_weight_as_torch(w, tg, ls, reduction):
    """torch's cross-entropy of class indices reads w_y alone without smoothing (a weight
    that is not finite shows in the rows that target its class, and in 'mean' everywhere
    only through Σw); with smoothing every kept row reads all of w, and an ignored row is 0
    (or NaN from torch's masked 0 · w). Loss and gradient, on the reference path (the fast
    paths: the strict xfail below)."""
    w, tg = np.array(w), np.array(tg)
    y, g = _ce_torch(w, tg, ls, reduction)
    u = np.ones(4) if reduction == "none" else None
    with quiet_as_torch():
        loss = G.cross_entropy(LOGITS, tg, w, label_smoothing=ls, reduction=reduction)
        grad = G.cross_entropy_grad(LOGITS, tg, w, label_smoothing=ls, reduction=reduction,
                                    grad_output=u)
    _specials_in_dtype(loss, y, np.float64)
    _specials_in_dtype(grad, g, np.float64)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("tg", TARGETS)
@pytest.mark.parametrize("w", WEIGHTS)
def test_nll_loss_non_finite_class_weight_as_torch(w, tg, reduction):
    """nll_loss reads w_y of the kept rows only; an ignored row's gradient is 0, also when
    the mean's Σw is NaN or ∞. On every path (the fast path gets the picked weights)."""
    w, tg = np.array(w), np.array(tg)
    y, g = _vjp(lambda z: F.nll_loss(z, torch.tensor(tg), weight=_t(w), reduction=reduction),
                _t(LOGITS))
    u = np.ones(4) if reduction == "none" else None
    for _ in _paths():
        with quiet_as_torch():
            loss = G.nll_loss(LOGITS, tg, w, reduction=reduction)
            grad = G.nll_loss_grad(LOGITS, tg, w, reduction=reduction, grad_output=u)
        _specials_in_dtype(loss, y, np.float64)
        _specials_in_dtype(grad, g, np.float64)


@pytest.mark.parametrize("path", ["numpy", "numba"])
def test_cross_entropy_non_finite_class_weight_fast_path(path):
    # fixed in _fast (lead18): the weight at the target only, (ε/C)·Σw only with smoothing
    w, tg = np.array([1.0, np.inf, 1.0]), np.array([0, 1, 2, -100])
    _, g = _ce_torch(w, tg, 0.0, "sum")
    for p in _paths():
        if p == path:
            with np.errstate(all="ignore"):
                grad = G.cross_entropy_grad(LOGITS, tg, w, reduction="sum")
            _specials_in_dtype(grad, g, np.float64)


def test_mean_over_weights_summing_to_zero_is_refused_saying_so():
    """torch divides by Σw = 0 (±∞ or NaN); the library refuses a 'mean' that is not one (a
    decision: see the README), and its message names weights that sum to 0 as well as rows
    that are all ignored."""
    with pytest.raises(ValueError, match="sum to 0"):
        G.cross_entropy(LOGITS[:2], np.array([0, 1]), np.array([-1.0, 1.0, 0.5]))


# ----- Found and fixed: 0-d integer arrays where torch takes an int -----

def _i(v: int) -> np.ndarray:
    return np.array(v)


X5 = np.random.default_rng(1600).standard_normal((1, 2, 5, 5))
W2 = np.random.default_rng(1601).standard_normal((2, 1, 2, 2))
Z23 = np.random.default_rng(1602).standard_normal((2, 3))

# (name, the library's call, torch's call with 0-d integer tensors)
ZERO_D_INTEGERS = [
    ("ignore_index", lambda: G.cross_entropy(Z23, np.array([0, 1]), ignore_index=_i(1)),
     lambda: F.cross_entropy(_t(Z23), torch.tensor([0, 1]), ignore_index=torch.tensor(1))),
    ("nll ignore_index", lambda: G.nll_loss(Z23, np.array([0, 2]), ignore_index=_i(0)),
     lambda: F.nll_loss(_t(Z23), torch.tensor([0, 2]), ignore_index=torch.tensor(0))),
    ("conv2d stride, padding and dilation pairs",
     lambda: G.conv2d(X5, W2, (_i(2), _i(1)), (_i(1), 0), (_i(2), 1), groups=_i(2)),
     lambda: F.conv2d(_t(X5), _t(W2), None, (torch.tensor(2), 1), (torch.tensor(1), 0),
                      (torch.tensor(2), 1), torch.tensor(2))),
    ("max_pool2d size, stride, padding",
     lambda: G.max_pool2d(X5, _i(2), _i(2), (_i(1), 0)),
     lambda: F.max_pool2d(_t(X5), torch.tensor(2), torch.tensor(2), (torch.tensor(1), 0))),
    ("avg_pool2d divisor_override",
     lambda: G.avg_pool2d(X5, 2, divisor_override=_i(3)),
     lambda: F.avg_pool2d(_t(X5), 2, divisor_override=torch.tensor(3))),
    ("softmax dim", lambda: G.softmax(Z23, _i(0)), lambda: F.softmax(_t(Z23), torch.tensor(0))),
    ("log_softmax dim", lambda: G.log_softmax(Z23, _i(-2)),
     lambda: F.log_softmax(_t(Z23), torch.tensor(-2))),
    ("layer norm's normalized_shape entries",
     lambda: G.layernorm_forward(Z23, normalized_shape=(_i(3),))[0],
     lambda: F.layer_norm(_t(Z23), (torch.tensor(3),))),
]


@pytest.mark.parametrize("case", range(len(ZERO_D_INTEGERS)), ids=[c[0] for c in ZERO_D_INTEGERS])
def test_zero_d_integer_arguments_as_torch(case):
    _, ours, theirs = ZERO_D_INTEGERS[case]
    want = theirs()
    for _ in _paths():
        _agree(ours(), want, np.float64)


def test_zero_d_integer_step_and_shape():
    """The library's own integers take a 0-d integer array as well: Adam's step t (torch keeps
    it as a tensor in its state) and conv2d_grad_input's x_shape entries."""
    p, g = np.array([1.0, -2.0]), np.array([0.5, 0.25])
    pt = _t(p).requires_grad_(True)
    pt.grad = _t(g)
    O.Adam([pt], lr=0.1).step()
    m, v = np.zeros(2), np.zeros(2)
    G.adam_step(p, g, m, v, _i(1), lr=0.1)
    _agree(p, pt.detach(), np.float64)
    up = np.ones((1, 2, 4, 4))
    got = G.conv2d_grad_input(up, W2, (_i(1), _i(2), _i(5), _i(5)), 1, 0, 1, groups=2)
    _, want = _vjp(lambda x: F.conv2d(x, _t(W2), groups=2), _t(X5))
    _agree(got, want, np.float64)
    f, h = np.arange(5.0), np.array([1.0, -2.0, 0.5])  # conv1d_matrix's n (NumPy's convolve)
    np.testing.assert_array_equal(G.conv1d_matrix(h, _i(5)) @ f, np.convolve(f, h, "valid"))


@pytest.mark.parametrize("bad", [np.array(2.0), np.array(True), np.array([[2]]), True])
def test_zero_d_non_integer_arguments_still_refused(bad):
    """A 0-d float or bool array, a bool and a 2-D array are no integer (torch refuses a float
    tensor there)."""
    with pytest.raises(ValueError, match="ignore_index"):
        G.cross_entropy(Z23, np.array([0, 1]), ignore_index=bad)


# ----- Found and fixed: hyper-parameters at ±∞ -----

Z_EDGES = np.array([-np.inf, -1e3, -2.0, -1e-300, -0.0, 0.0, 1e-300, 1.5, np.inf])
R_EDGES = np.array([-np.inf, -3.0, -1.0, -0.0, 0.0, 0.5, 2.0, np.inf, np.nan])

# (name, the library's f(x, dtype), torch's f(tensor))
INFINITE_HYPERS = [
    ("elu alpha=inf", lambda x: G.elu(x, np.inf), lambda x: F.elu(x, np.inf)),
    ("elu alpha=-inf", lambda x: G.elu(x, -np.inf), lambda x: F.elu(x, -np.inf)),
    ("elu alpha=-1 at signed zeros", lambda x: G.elu(x, -1.0), lambda x: F.elu(x, -1.0)),
    ("huber delta=inf", lambda x: G.huber_loss(x, np.zeros_like(x), np.inf, "none"),
     lambda x: F.huber_loss(x, torch.zeros_like(x), "none", np.inf)),
    ("smooth_l1 beta=inf", lambda x: G.smooth_l1_loss(x, np.zeros_like(x), np.inf, "none"),
     lambda x: F.smooth_l1_loss(x, torch.zeros_like(x), reduction="none", beta=np.inf)),
]
INFINITE_HYPER_GRADS = [
    ("elu_grad alpha=inf", lambda x: G.elu_grad(x, np.inf), lambda x: F.elu(x, np.inf)),
    ("elu_grad alpha=-inf", lambda x: G.elu_grad(x, -np.inf), lambda x: F.elu(x, -np.inf)),
    ("huber_grad delta=inf",
     lambda x: G.huber_grad(x, np.zeros_like(x), np.inf, "none", np.ones_like(x)),
     lambda x: F.huber_loss(x, torch.zeros_like(x), "none", np.inf)),
    ("smooth_l1_grad beta=inf sum", lambda x: G.smooth_l1_grad(x, np.zeros_like(x), np.inf, "sum"),
     lambda x: F.smooth_l1_loss(x, torch.zeros_like(x), reduction="sum", beta=np.inf)),
    ("smooth_l1_grad beta=inf mean",
     lambda x: G.smooth_l1_grad(x, np.zeros_like(x), np.inf, "mean"),
     lambda x: F.smooth_l1_loss(x, torch.zeros_like(x), reduction="mean", beta=np.inf)),
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("case", range(len(INFINITE_HYPERS)), ids=[c[0] for c in INFINITE_HYPERS])
def test_infinite_hyper_parameters_as_torch(case, dtype):
    """The values (signed zeros of ELU too) and NaN placement of torch in the input's dtype,
    quietly; the elementwise losses."""
    _, ours, theirs = INFINITE_HYPERS[case]
    x = (Z_EDGES if case < 3 else R_EDGES).astype(dtype)
    want = theirs(_in_dtype(x))
    for _ in _paths():
        with quiet_as_torch():
            got = ours(x)
        _specials_in_dtype(got, want, dtype)
        if case < 3:  # ±0 with its sign, as torch's
            np.testing.assert_array_equal(np.signbit(got[4:6]), np.signbit(want.numpy()[4:6]))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("case", range(len(INFINITE_HYPER_GRADS)),
                         ids=[c[0] for c in INFINITE_HYPER_GRADS])
def test_infinite_hyper_parameter_gradients_as_torch(case, dtype):
    _, ours, theirs = INFINITE_HYPER_GRADS[case]
    x = (Z_EDGES if case < 2 else R_EDGES).astype(dtype)
    _, want = _vjp(theirs, _in_dtype(x))
    for _ in _paths():
        with quiet_as_torch():
            got = ours(x)
        _specials_in_dtype(got, want, dtype)


BCE_Z = np.array([[-np.inf, -3.0, 0.0, 2.0, np.inf, 1.0], [1.0, -1.0, 0.5, -0.5, 2.0, -2.0]])
BCE_Y = np.array([[0.0, 1.0, 0.5, 1.0, 0.0, 1.0], [1.0, 0.0, 0.25, 0.0, 1.0, 0.0]])


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("pw", [np.inf, -np.inf])
@pytest.mark.parametrize("dtype", DTYPES)
def test_bce_with_logits_infinite_pos_weight_quietly(dtype, pw, reduction):
    """pos_weight = ±∞: NaN at y = 0 (0 · ∞) and ∞ − ∞, as torch's, without a warning: the
    loss on every path, the gradient on the reference path (the fast ones: strict xfail)."""
    z, y, q = BCE_Z.astype(dtype), BCE_Y.astype(dtype), np.full(6, pw, dtype)
    loss_of = (lambda a: F.binary_cross_entropy_with_logits(a, _in_dtype(y), reduction=reduction,
                                                            pos_weight=_in_dtype(q)))
    want, grad_want = _vjp(loss_of, _in_dtype(z))
    u = np.ones_like(z) if reduction == "none" else None
    for path in _paths():
        with quiet_as_torch():
            got = G.binary_cross_entropy_with_logits(z, y, reduction=reduction, pos_weight=q)
        _specials_in_dtype(got, want, dtype)
        if path == "reference":
            with quiet_as_torch():
                grad = G.binary_cross_entropy_with_logits_grad(z, y, reduction=reduction,
                                                               pos_weight=q, grad_output=u)
            _specials_in_dtype(grad, grad_want, dtype)


@pytest.mark.parametrize("path", ["numpy", "numba"])
def test_bce_with_logits_grad_infinite_pos_weight_fast_path(path):
    # fixed in _fast (lead18): the pos_weight branch under nan_quietly
    q = np.full(6, np.inf)
    for p in _paths():
        if p == path:
            with quiet_as_torch():
                G.binary_cross_entropy_with_logits_grad(BCE_Z, BCE_Y, pos_weight=q)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("fn", ["cross_entropy", "cross_entropy_grad", "mse_grad", "l1_grad"])
def test_weighted_mean_whose_weight_sum_overflows_quietly(fn, dtype):
    """Weights at the top of the dtype's range: Σw = ∞ in the 'mean' (torch's, in the dtype),
    quietly, and the values torch gives in that dtype."""
    big = np.finfo(dtype).max
    r = np.random.default_rng(1603)
    if fn.startswith("cross"):
        z, tg, w = r.standard_normal((4, 3)).astype(dtype), np.array([0, 1, 2, 1]), \
            np.full(3, big, dtype)
        loss_of = (lambda a: F.cross_entropy(a, torch.tensor(tg), weight=_in_dtype(w)))
        y, g = _vjp(loss_of, _in_dtype(z))
        ours = (lambda: getattr(G, fn)(z, tg, w))
        want = y if fn == "cross_entropy" else g
    else:
        p, t, w = r.standard_normal(6).astype(dtype), r.standard_normal(6).astype(dtype), \
            np.full(6, big, dtype)
        tf = F.mse_loss if fn == "mse_grad" else F.l1_loss
        _, want = _vjp(lambda a: tf(a, _in_dtype(t), weight=_in_dtype(w)), _in_dtype(p))
        ours = (lambda: getattr(G, fn)(p, t, weight=w))
    for path in _paths():
        with quiet_as_torch():
            got = ours()
        if path == "reference" or fn in ("mse_grad", "l1_grad"):
            _specials_in_dtype(got, want, dtype)


# ----- Decided: inputs torch refuses -----

@pytest.mark.parametrize("case", ["above C", "negative", "far negative", "K-dimensional",
                                  "weighted", "nll"])
def test_targets_out_of_range_refused_as_torch(case):
    """A class index outside [0, C) that is not ignore_index: torch raises, so does the
    library (on each path, loss and gradient)."""
    z, tg = Z23, np.array([0, 3])
    if case == "negative":
        tg = np.array([0, -1])
    elif case == "far negative":
        tg = np.array([-5, 1])
    elif case == "K-dimensional":
        z, tg = np.zeros((1, 3, 2, 2)), np.array([[[0, 1], [2, 7]]])
    call = (lambda f: f(z, tg, np.ones(3))) if case == "weighted" else (lambda f: f(z, tg))
    torch_f = F.nll_loss if case == "nll" else F.cross_entropy
    with pytest.raises((IndexError, RuntimeError)):
        torch_f(_t(z), torch.tensor(tg))
    fs = (G.nll_loss, G.nll_loss_grad) if case == "nll" else (G.cross_entropy,
                                                                G.cross_entropy_grad)
    for _ in _paths():
        for f in fs:
            with pytest.raises(ValueError, match="target|label"):
                call(f)


# (name, the library's call, torch's call on the same arrays, which raises)
PROMOTED = [
    ("integer logits", lambda: G.cross_entropy(np.array([[1, 2, 3], [0, 1, 0]]), np.array([0, 2])),
     lambda: F.cross_entropy(torch.tensor([[1, 2, 3], [0, 1, 0]]), torch.tensor([0, 2])),
     lambda: F.cross_entropy(torch.tensor([[1.0, 2, 3], [0, 1, 0]], dtype=torch.float64),
                             torch.tensor([0, 2]))),
    ("integer softmax", lambda: G.softmax(np.array([[1, 2, 3]])),
     lambda: F.softmax(torch.tensor([[1, 2, 3]]), -1),
     lambda: F.softmax(torch.tensor([[1.0, 2, 3]], dtype=torch.float64), -1)),
    ("integer mse", lambda: G.mse_loss(np.array([1, 2, 4]), np.array([0, 2, 2])),
     lambda: F.mse_loss(torch.tensor([1, 2, 4]), torch.tensor([0, 2, 2])),
     lambda: F.mse_loss(_t(np.array([1.0, 2, 4])), _t(np.array([0.0, 2, 2])))),
    ("float32 logits, float64 class weights",
     lambda: G.cross_entropy(Z23.astype(np.float32), np.array([0, 2]), np.array([1.0, 2, 3])),
     lambda: F.cross_entropy(torch.tensor(Z23.astype(np.float32)), torch.tensor([0, 2]),
                             weight=torch.tensor([1.0, 2, 3], dtype=torch.float64)),
     lambda: F.cross_entropy(_t(Z23.astype(np.float32)), torch.tensor([0, 2]),
                             weight=torch.tensor([1.0, 2, 3], dtype=torch.float64))),
    ("float32 input, float64 kernel",
     lambda: G.conv2d(X5.astype(np.float32), W2, groups=2),
     lambda: F.conv2d(torch.tensor(X5.astype(np.float32)), _t(W2), groups=2),
     lambda: F.conv2d(_t(X5.astype(np.float32)), _t(W2), groups=2)),
    ("float32 pred, float64 target",
     lambda: G.mse_grad(Z23.astype(np.float32), Z23[::-1].copy()),
     lambda: F.mse_loss(torch.tensor(Z23.astype(np.float32)), _t(Z23[::-1].copy())),
     lambda: _vjp(lambda a: F.mse_loss(a, _t(Z23[::-1].copy())), _t(Z23.astype(np.float32)))[1]),
    ("float32 logits, float64 pos_weight",
     lambda: G.binary_cross_entropy_with_logits(Z23.astype(np.float32), np.ones((2, 3)),
                                                pos_weight=np.array([1.0, 2, 3])),
     lambda: F.binary_cross_entropy_with_logits(
         torch.tensor(Z23.astype(np.float32)), torch.ones(2, 3),
         pos_weight=torch.tensor([1.0, 2, 3], dtype=torch.float64)),
     lambda: F.binary_cross_entropy_with_logits(_t(Z23.astype(np.float32)),
                                                torch.ones(2, 3, dtype=torch.float64),
                                                pos_weight=_t(np.array([1.0, 2, 3])))),
]


@pytest.mark.parametrize("case", range(len(PROMOTED)), ids=[c[0] for c in PROMOTED])
def test_integer_and_mixed_dtype_inputs_promote(case):
    """torch refuses integer logits and some mixes of float32 and float64 (conv2d,
    cross-entropy's weight) and takes others with a dtype of its own per function (mse_loss:
    float64; BCE with a float64 pos_weight: float32). The library, as its README documents,
    reads integers as float64 and promotes mixed floating arguments alike: a float64 result,
    torch's value on the promoted arguments (a deliberate uniform rule, in the report)."""
    _, ours, direct, promoted = PROMOTED[case]
    if case < 2:  # torch: "not implemented for 'Long'"
        with pytest.raises((RuntimeError, NotImplementedError)):
            direct()
    want = promoted()
    for _ in _paths():
        _agree(ours(), want, np.float64)


# ----- Tried and found right -----

@pytest.mark.parametrize("fn", ["huber", "smooth_l1"])
@pytest.mark.parametrize("d", [1e-30, 1e-39, 1e-45, 5e-324, 1e-8])
@pytest.mark.parametrize("dtype", DTYPES)
def test_huber_and_smooth_l1_at_tiny_delta_and_beta(dtype, d, fn):
    """δ and β down to the subnormals (0 in float32 below 1.4e-45, where SmoothL1 is the L1
    loss and torch refuses Huber's δ = 0 only as a Python number): values and gradients per
    entry, against torch in the input's dtype (its own rounding of δ/β is the point)."""
    r = np.array([-2.0, -1e-30, -0.0, 0.0, 1e-40, 1e-20, 3.0, np.inf]).astype(dtype)
    t = np.zeros_like(r)
    if fn == "huber":
        loss_of = (lambda a: F.huber_loss(a, _in_dtype(t), "none", d))
        ours = (lambda: (G.huber_loss(r, t, d, "none"),
                         G.huber_grad(r, t, d, "none", np.ones_like(r))))
    else:
        loss_of = (lambda a: F.smooth_l1_loss(a, _in_dtype(t), reduction="none", beta=d))
        ours = (lambda: (G.smooth_l1_loss(r, t, d, "none"),
                         G.smooth_l1_grad(r, t, d, "none", np.ones_like(r))))
    y, g = _vjp(loss_of, _in_dtype(r))
    for _ in _paths():
        with quiet_as_torch():
            loss, grad = ours()
        _specials_in_dtype(loss, y, dtype)
        _specials_in_dtype(grad, g, dtype)


@pytest.mark.parametrize("reduction", ["batchmean", "mean", "sum", "none"])
@pytest.mark.parametrize("dtype", DTYPES)
def test_kl_divergence_log_target_with_zeros(dtype, reduction):
    """log_target=True with log P = −∞ (P = 0) in some entries, and log Q = −∞ where P = 0:
    torch's exp(log P)(log P − log Q) is 0 there (and its gradient −exp(log P) is 0)."""
    r = np.random.default_rng(1604)
    P = r.dirichlet(np.ones(4), 3)
    P[0, 1] = 0.0
    P[1] = [0.0, 0.0, 1.0, 0.0]
    with np.errstate(divide="ignore"):
        log_p = np.log(P).astype(dtype)
    log_q = np.log(r.dirichlet(np.ones(4), 3)).astype(dtype)
    log_q[0, 1] = -np.inf
    y, g = _vjp(lambda a: F.kl_div(a, _t(log_p), reduction=reduction, log_target=True),
                _t(log_q))
    u = np.ones_like(log_q) if reduction == "none" else None
    for _ in _paths():
        with quiet_as_torch():
            got = G.kl_divergence(log_p, log_q, reduction=reduction, log_target=True)
            grad = G.kl_divergence_grad(log_p, log_q, reduction=reduction, log_target=True,
                                        grad_output=u)
        _same_specials(got, y, dtype)
        _same_specials(grad, g, dtype)


@pytest.mark.parametrize("dtype", DTYPES)
def test_hinge_loss_at_its_margin(dtype):
    """mean(relu(1 − y s)) through torch's autograd, scores at the margin y s = 1 exactly
    (torch's relu'(0) = 0, the library's subgradient 0 there), inside and outside it."""
    s = np.array([1.0, -1.0, 0.5, -0.25, 2.0, -3.0, 1.0, 0.0]).astype(dtype)
    y = np.array([1.0, -1.0, 1.0, -1.0, 1.0, 1.0, -1.0, 1.0]).astype(dtype)
    want, g = _vjp(lambda a: F.relu(1 - _t(y) * a).mean(), _t(s))
    for _ in _paths():
        _agree(G.hinge_loss(s, y), want, dtype)
        _agree(G.hinge_grad(s, y), g, dtype)


# (x's shape, w's shape, stride, padding, dilation): stride above the kernel, 1 × 1 kernels,
# padding above the kernel, one output pixel, a dilation that just fits
CONV_CORNERS = [
    ((1, 2, 5, 5), (3, 2, 2, 2), 3, 0, 1),
    ((2, 1, 4, 4), (1, 1, 2, 2), 5, 0, 1),
    ((1, 2, 5, 5), (3, 2, 1, 1), 2, 0, 1),
    ((1, 2, 4, 4), (2, 2, 1, 1), 1, 2, 1),
    ((1, 1, 3, 3), (2, 1, 2, 2), 1, 3, 1),
    ((1, 1, 3, 3), (1, 1, 3, 3), 1, 0, 1),
    ((1, 1, 1, 1), (1, 1, 3, 3), 1, 1, 1),
    ((1, 1, 5, 5), (1, 1, 2, 2), 1, 0, 4),
    ((1, 1, 4, 6), (1, 1, 2, 3), (3, 4), (0, 2), (2, 1)),
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("case", range(len(CONV_CORNERS)))
def test_conv2d_corner_geometries(case, dtype):
    shape, w_shape, stride, padding, dilation = CONV_CORNERS[case]
    r = np.random.default_rng(1610 + case)
    x, w = r.standard_normal(shape).astype(dtype), r.standard_normal(w_shape).astype(dtype)
    xt, wt = _t(x).requires_grad_(True), _t(w).requires_grad_(True)
    y = F.conv2d(xt, wt, None, stride, padding, dilation)
    up = r.standard_normal(tuple(y.shape)).astype(dtype)
    dx, dw = torch.autograd.grad(y, [xt, wt], _t(up))
    for _ in _paths():
        with quiet_as_torch():
            _agree(G.conv2d(x, w, stride, padding, dilation), y, dtype)
            _agree(G.conv2d_grad_input(up, w, x.shape, stride, padding, dilation), dx, dtype)
            _agree(G.conv2d_grad_weight(x, up, w.shape, stride, padding, dilation), dw, dtype)


@pytest.mark.parametrize("case", [((1, 1, 5, 5), (1, 1, 2, 2), 5), ((1, 1, 3, 3), (1, 1, 3, 3), 2),
                                  ((1, 1, 2, 2), (1, 1, 3, 3), 1)])
def test_conv2d_kernel_the_input_cannot_hold_refused_as_torch(case):
    shape, w_shape, dilation = case
    x, w = np.ones(shape), np.ones(w_shape)
    with pytest.raises(RuntimeError):
        F.conv2d(_t(x), _t(w), dilation=dilation)
    for _ in _paths():
        with pytest.raises(ValueError):
            G.conv2d(x, w, dilation=dilation)


POOL_INPUTS = {
    "ties": np.ones((1, 1, 4, 4)),
    "-inf": np.full((1, 1, 4, 4), -np.inf),
    "mixed ties": np.array([[[[1, 3, 3, 1], [3, 1, 1, 3], [2, 2, 2, 2], [0, 0, 0, 0]]]], float),
    "nan": np.array([[[[np.nan, 1, 2, 2], [1, np.nan, 2, 2], [-np.inf, 0, 0, -np.inf],
                       [0, np.inf, np.inf, 0]]]]),
}
# (size, stride, padding, dilation, ceil_mode)
POOL_GEOMETRY = [(2, 2, 0, 1, False), (2, 1, 0, 1, False), (3, 1, 1, 1, False),
                 (2, 2, 1, 1, True), (2, 1, 0, 2, False)]


@pytest.mark.parametrize("geometry", POOL_GEOMETRY)
@pytest.mark.parametrize("name", list(POOL_INPUTS))
def test_max_pool_ties_and_specials_pick_torchs_index(name, geometry):
    """Which entry of a tied, all −∞ or NaN window torch picks (its index and so its gradient):
    the first maximum in the window's row-major order, a NaN before any number."""
    k, s, p, d, ceil = geometry
    x = POOL_INPUTS[name]
    xt = _t(x).requires_grad_(True)
    y, idx = F.max_pool2d(xt, k, s, p, d, ceil, return_indices=True)
    up = np.arange(1.0, 1 + y.numel()).reshape(tuple(y.shape))
    (g,) = torch.autograd.grad(y, xt, _t(up))
    for _ in _paths():
        with quiet_as_torch():
            out, got_idx = G.max_pool2d(x, k, s, p, d, ceil, return_indices=True)
            grad = G.max_pool2d_grad(up, x, k, s, padding=p, dilation=d, ceil_mode=ceil)
        _same_specials(out, y, np.float64)
        np.testing.assert_array_equal(got_idx, idx.numpy())
        _agree(grad, g, np.float64)


def _run_optimizer(make, step, state_names, dtype, steps: int = 6, layout: str = "C"):
    """torch.optim's make([p]) and the library's step(p, g, state, t) over the same steps, the
    parameters and state arrays in layout (updated in place there)."""
    r = np.random.default_rng(1620)
    p0 = r.standard_normal((3, 4)).astype(dtype)
    pt = _t(p0).requires_grad_(True)
    opt = make([pt])
    p = _in_layout(p0, layout)
    state = {k: _in_layout(np.zeros_like(p0), layout) for k in state_names}
    for t in range(1, steps + 1):
        g = r.standard_normal((3, 4)).astype(dtype)
        pt.grad = _t(g)
        opt.step()
        step(p, _in_layout(g, layout), state, t)
        _agree(p, pt.detach(), dtype)


def _in_layout(a: np.ndarray, layout: str) -> np.ndarray:
    """A writeable array of a's values in the layout (the optimizers write in place)."""
    if layout == "F":
        return np.asfortranarray(a)
    if layout == "strided":
        holder = np.zeros((a.shape[0], 2 * a.shape[1]), a.dtype)
        holder[:, ::2] = a
        return holder[:, ::2]
    if layout == "reversed":
        return np.ascontiguousarray(a[:, ::-1])[:, ::-1]
    if layout == "transposed":
        return np.ascontiguousarray(a.T).T
    return a.copy()


@pytest.mark.parametrize("weight_decay", [0.0, 0.1])
@pytest.mark.parametrize("maximize", [False, True])
@pytest.mark.parametrize("amsgrad", [False, True])
@pytest.mark.parametrize("decoupled", [False, True])
def test_adam_and_adamw_flags(decoupled, amsgrad, maximize, weight_decay):
    """Adam (decoupled=False) and AdamW over 6 steps, amsgrad × maximize × weight decay 0 or
    positive, float32, against torch.optim in float64."""
    kw = dict(lr=0.05, amsgrad=amsgrad, maximize=maximize, weight_decay=weight_decay)

    def step(p, g, s, t):
        f = G.adamw_step if decoupled else G.adam_step
        f(p, g, s["m"], s["v"], t, max_v=s["max_v"] if amsgrad else None, **kw)

    make = (lambda ps: (O.AdamW if decoupled else O.Adam)(ps, **kw))
    for _ in _paths():
        _run_optimizer(make, step, ["m", "v", "max_v"], np.float32)


@pytest.mark.parametrize("nesterov", [False, True])
@pytest.mark.parametrize("dampening", [0.0, 0.5])
@pytest.mark.parametrize("momentum", [0.0, 0.9])
def test_sgd_dampening_and_nesterov(momentum, dampening, nesterov):
    """SGD's momentum × dampening × nesterov with weight decay: torch refuses nesterov with
    dampening and nesterov without momentum, and so does the library; the others step as
    torch's (momentum 0 ignores dampening)."""
    kw = dict(lr=0.1, momentum=momentum, dampening=dampening, nesterov=nesterov,
              weight_decay=0.05)
    refused = nesterov and (dampening or not momentum)

    def step(p, g, s, t):
        if momentum or nesterov:
            G.momentum_step(p, g, s["velocity"], 0.1, momentum, weight_decay=0.05,
                            dampening=dampening, nesterov=nesterov, t=t)
        else:
            G.sgd_step(p, g, 0.1, weight_decay=0.05, dampening=dampening)

    if refused:
        with pytest.raises(ValueError):
            O.SGD([torch.zeros(2, requires_grad=True)], **kw)
        with pytest.raises(ValueError):
            step(np.zeros(2), np.ones(2), {"velocity": np.zeros(2)}, 1)
        return
    for _ in _paths():
        _run_optimizer(lambda ps: O.SGD(ps, **kw), step, ["velocity"], np.float64)


OPTIMIZERS = {
    "adam amsgrad": (lambda ps: O.Adam(ps, lr=0.1, amsgrad=True, weight_decay=0.1),
                     lambda p, g, s, t: G.adam_step(p, g, s["m"], s["v"], t, lr=0.1,
                                                    amsgrad=True, max_v=s["x"],
                                                    weight_decay=0.1), ["m", "v", "x"]),
    "nesterov": (lambda ps: O.SGD(ps, lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.1),
                 lambda p, g, s, t: G.sgd_nesterov_step(p, g, s["v"], 0.1, 0.9, 0.1), ["v"]),
    "centered rmsprop": (lambda ps: O.RMSprop(ps, lr=0.01, momentum=0.5, centered=True),
                         lambda p, g, s, t: G.rmsprop_step(p, g, s["s"], 0.01, momentum=0.5,
                                                           momentum_buffer=s["b"],
                                                           centered=True, grad_avg=s["a"]),
                         ["s", "b", "a"]),
    "adagrad": (lambda ps: O.Adagrad(ps, lr=0.1, lr_decay=0.01),
                lambda p, g, s, t: G.adagrad_step(p, g, s["s"], 0.1, lr_decay=0.01, t=t), ["s"]),
}


@pytest.mark.parametrize("layout", ["F", "strided", "reversed", "transposed"])
@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_optimizers_in_place_on_every_layout(name, layout):
    """Parameters, gradients and state arrays all in one non-C layout: each step lands in
    the caller's arrays (views of larger buffers too), as torch's in-place step."""
    make, step, state = OPTIMIZERS[name]
    for _ in _paths():
        _run_optimizer(make, step, state, np.float64, steps=4, layout=layout)


@pytest.mark.parametrize("norm_type", [2.0, 1.0, np.inf, 0.5, -np.inf, 0.0])
@pytest.mark.parametrize("case", ["inf", "nan", "-inf entry", "zeros", "max_norm 0"])
def test_clip_grad_norm_non_finite_zero_and_max_norm_zero(case, norm_type):
    """torch's clip_grad_norm_ with error_if_nonfinite=False: the total norm (∞ or NaN, as
    torch's) and the gradients scaled by max_norm/(norm + 1e-6) clamped at 1 (NaN or 0 when
    the norm is not finite), zero gradients left alone, max_norm = 0 zeroing them."""
    r = np.random.default_rng(1630)
    grads = [r.standard_normal(4), r.standard_normal((2, 3))]
    max_norm = 0.0 if case == "max_norm 0" else 1.0
    if case == "inf":
        grads[0][1] = np.inf
    elif case == "-inf entry":
        grads[1][0, 0] = -np.inf
    elif case == "nan":
        grads[1][1, 1] = np.nan
    elif case == "zeros":
        grads = [np.zeros(4), np.zeros((2, 3))]
    params = [torch.zeros(g.shape, dtype=torch.float64, requires_grad=True) for g in grads]
    for p, g in zip(params, grads, strict=True):
        p.grad = _t(g)
    want = torch.nn.utils.clip_grad_norm_(params, max_norm, norm_type)
    for _ in _paths():
        ours = [g.copy() for g in grads]
        with quiet_as_torch():
            total = G.clip_grad_norm(ours, max_norm, norm_type)
        _same_specials(np.float64(total), want, np.float64)
        for got, p in zip(ours, params, strict=True):
            _same_specials(got, p.grad, np.float64)


LAYERNORM_SHAPES = [((3, 5), (5,)), ((2, 3, 4), (3, 4)), ((4,), (4,)), ((2, 1), (1,))]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("case", range(len(LAYERNORM_SHAPES)))
def test_layernorm_without_affine_parameters(case, dtype):
    """elementwise_affine=False: normalized_shape alone, the backward's γ and β gradients
    None (torch has no such parameters), the input's gradient torch's."""
    shape, normalized = LAYERNORM_SHAPES[case]
    r = np.random.default_rng(1640 + case)
    X, up = r.standard_normal(shape).astype(dtype), r.standard_normal(shape).astype(dtype)
    y, g = _vjp(lambda a: F.layer_norm(a, normalized), _t(X), _t(up))
    for _ in _paths():
        out, cache = G.layernorm_forward(X, normalized_shape=normalized)
        dx, dgamma, dbeta = G.layernorm_backward(up, cache)
        _agree(out, y, dtype)
        _agree(dx, g, dtype)
        assert dgamma is None and dbeta is None


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("p", [0.0, 1.0, 0.25, 0.999999])
def test_dropout_scale_at_its_edges(p, dtype):
    """x ⊙ mask/(1 − p), zeros at p = 1 (torch's F.dropout(p=1) gives zeros, the signs of x
    kept), x itself at p = 0; the gradient the same map of the upstream gradient. The mask
    torch would draw is the caller's here; torch's p = 0 and p = 1 draw no choice."""
    r = np.random.default_rng(1650)
    x = r.standard_normal((3, 4)).astype(dtype)
    mask = r.random((3, 4)) >= p
    if p in (0.0, 1.0):
        want = F.dropout(_t(x), p)
        np.testing.assert_array_equal(mask, p == 0.0)
    else:
        want = _t(x) * _t(mask.astype(np.float64)) / (1 - p)
    for _ in _paths():
        got = G.dropout(x, mask, p)
        _agree(got, want, dtype)
        _agree(G.dropout_grad(x, mask, p), want, dtype)
        if p == 1.0:
            np.testing.assert_array_equal(np.signbit(got), np.signbit(want.numpy()))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("axis", [0, 1, 2, -1, -2, -3])
def test_softmax_and_log_softmax_vjps_along_every_axis(axis, dtype):
    r = np.random.default_rng(1660)
    Z, up = r.standard_normal((2, 3, 4)).astype(dtype), r.standard_normal((2, 3, 4)).astype(dtype)
    s, g = _vjp(lambda a: F.softmax(a, axis), _t(Z), _t(up))
    ls, lg = _vjp(lambda a: F.log_softmax(a, axis), _t(Z), _t(up))
    for _ in _paths():
        so, lo = G.softmax(Z, axis), G.log_softmax(Z, axis)
        _agree(so, s, dtype)
        _agree(lo, ls, dtype)
        _agree(G.softmax_vjp(up, so, axis), g, dtype)
        _agree(G.log_softmax_vjp(up, lo, axis), lg, dtype)


SUBNORMALS = np.array([1e-45, -1e-45, 1e-38, -1e-39, 1.2e-38, 0.0, -0.0, 3e-42], np.float32)
ACTIVATIONS = [("relu", F.relu), ("sigmoid", torch.sigmoid), ("silu", F.silu),
               ("gelu", F.gelu), ("elu", F.elu), ("leaky_relu", F.leaky_relu),
               ("softplus", F.softplus)]


@pytest.mark.parametrize("name", [a[0] for a in ACTIVATIONS])
def test_float32_subnormals_through_the_activations(name):
    """Each activation and its derivative at float32 subnormals and signed zeros, entry by
    entry (no flush to zero where torch's float64 keeps the value)."""
    tf = dict(ACTIVATIONS)[name]
    y, g = _vjp(tf, _t(SUBNORMALS))
    for _ in _paths():
        with quiet_as_torch():
            _agree(getattr(G, name)(SUBNORMALS), y, np.float32, entrywise=True)
            _agree(getattr(G, name + "_grad")(SUBNORMALS), g, np.float32)
