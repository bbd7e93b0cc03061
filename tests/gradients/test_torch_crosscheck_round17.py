"""Round 17 of the torch cross-check: classes rounds 9–16 did not try. Upstream gradients that
are ±∞ or NaN through cross-entropy's gradient and every VJP (convolution, pooling, the norms,
the softmax VJPs, the linear layer, the activations); boolean inputs, which torch refuses;
GELU at ±∞ in both dtypes and both approximations; mixed float32/float64 arguments of every
function that takes two floating arrays, against the library's documented rule; every function
called twice on the same arrays (bit-identical results, inputs unchanged byte for byte, signed
zeros and NaN payloads included); float32 losses over N = 10⁵ entries against the float64
truth; softmax and log-softmax at −∞ entries and all −∞ rows, cross-entropy with a −∞ logit
at the target; conv2d with groups and channels-last inputs, pooling with ceil_mode and
stride 1 with padding k//2 in that layout; optimizer hyper-parameters as 0-d arrays; 200
float32 steps of centered RMSprop with alpha = 0.5 (last round's open drift). The truth is
torch in float64 on the same values (its own dtype where that is the point), on the three
kernel paths (round 12's _paths).

What it found, each test failing before its change:
- cross_entropy_grad (reduction='none') with an upstream gradient uᵢ = ±∞ scaled the finite
  row S·Σw T̃ − w T̃ by uᵢ: ∓∞ at the target, where torch's backward (nll_loss's −uᵢw_y at the
  target, then log_softmax's G − S ΣG) forms ∞ − ∞ = NaN; the reference formula now scales
  the terms first, as torch (the fast paths already did)
  (test_cross_entropy_grad_with_infinite_upstream_as_torch);
- relu, leaky_relu, elu, gelu, silu, softplus, their derivatives, softmax and log_softmax
  took a boolean array as 0 and 1 (float64 out); torch refuses a bool tensor in each
  ('Boolean inputs not supported for relu', '"softmax_lastdim_kernel_impl" not implemented
  for 'Bool''); the library refuses it now, naming the argument
  (test_boolean_inputs_refused_as_torch). sigmoid_grad and tanh_grad still take booleans:
  torch's sigmoid and tanh compute on a bool tensor;
- clip_grad_norm returned its total norm as a Python float for every dtype, where torch's is
  a tensor of the gradients' dtype (float32 for float32 gradients); it is a NumPy scalar of
  their promotion now (test_clip_grad_norm_returns_the_norm_in_the_gradients_dtype).

Decided, no change (asserted, so that a change shows):
- mixed float32/float64 arrays: the result has NumPy's promotion of the floating array
  arguments (float64), as the README documents; torch refuses some mixes (conv2d,
  cross-entropy's weight) and promotes others by a rule of its own per function. The
  promoted result is bit for bit the call on float64 copies, on every function that takes
  two floating arrays, and a hyper-parameter given as a 0-d float64 array never widens
  float32 data (test_mixed_float32_and_float64_arrays_promote,
  test_hyper_parameters_as_zero_d_arrays_keep_float32);
- GELU: gelu(+∞) = +∞ in float32 as in float64 (its limit, torch's float64 value); torch's
  float32 erf form gives NaN there (and ∞ at 3e38, where x·Φ(x) = x) in its vectorised loop
  only: a float32 tensor of one entry gives ∞ (and 3e38); gelu(−∞) and gelu'(±∞) are NaN as
  torch's in both dtypes
  (test_gelu_at_infinity).

Open then, fixed in round 18: layer norm over zero features, (2, 0) over (0,), which torch
returns empty and the library refused ('X has no features'); its strict xfail became
test_torch_crosscheck_round18.py's test_layer_norm_over_zero_features_as_torch.

Tried and found right (no change): ±∞ and NaN upstream gradients through 17 VJPs and through
nll_loss's gradient, twice-called functions (67 calls, float32 results), N = 10⁵ float32
'mean' and 'sum' of nine losses within one float32 ulp of the float64 truth, softmax rows
with −∞ entries (an all −∞ row is NaN, as torch's), cross-entropy at a −∞ target logit (∞,
as torch's, with its finite gradient), grouped and depthwise conv2d on channels-last views,
pooling with ceil_mode, 'same'-like padding k//2 and count_include_pad on those views,
centered RMSprop with alpha = 0.5 over 200 float32 steps within twice torch's own drift from
float64 (no drift at step 25), optimizer hyper-parameters as 0-d arrays.
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
from test_torch_crosscheck_round15 import (  # noqa: E402
    _aliasing_calls,
    _grads,
    _leaves,
    _results,
    _torch_run,
)

F = torch.nn.functional
O = torch.optim

pytestmark = pytest.mark.one_path  # each test runs the kernel paths itself (_paths)
DTYPES = [np.float32, np.float64]


def _as_in(a: np.ndarray, dtype) -> np.ndarray:
    with np.errstate(over="ignore"):
        return a.astype(dtype)


def _specials_as(got, want, dtype) -> None:
    """got has dtype; NaN and ±∞ where want (torch, float64) has them once rounded to dtype;
    the finite entries as _agree."""
    got = np.asarray(got)
    assert got.dtype == dtype
    want = _as_in(np.asarray(want.detach() if hasattr(want, "detach") else want), dtype)
    _same_specials(got, want, dtype)


# ----- Found and fixed: cross-entropy's gradient at an infinite upstream gradient -----

_CE_Z = np.array([[0.5, -1.0, 2.0], [1.0, 0.0, -1.0], [0.2, 0.3, 0.1], [0.0, 1.0, 2.0],
                  [-1.0, 3.0, 0.5]])
_CE_U = np.array([np.inf, -np.inf, np.nan, 2.0, np.inf])
_CE_TARGETS = {
    "indices": np.array([0, 1, 2, 1, 2]),
    "ignored row": np.array([0, 1, 2, 1, -100]),
    "probabilities": np.array([[0.2, 0.3, 0.5], [0.0, 1.0, 0.0], [1 / 3, 1 / 3, 1 / 3],
                               [0.5, 0.5, 0.0], [0.1, 0.1, 0.8]]),
}


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("ls", [0.0, 0.2])
@pytest.mark.parametrize("kind", list(_CE_TARGETS))
@pytest.mark.parametrize("dtype", DTYPES)
def test_cross_entropy_grad_with_infinite_upstream_as_torch(dtype, kind, ls, weighted):
    """reduction='none', u = (∞, −∞, NaN, 2, ∞): torch's backward is nll_loss's −uᵢ w_y at
    the target (and −uᵢ(ε/C)w along a smoothed row), then log_softmax's G − S ΣG, so an
    infinite uᵢ gives NaN at the target (∞ − ∞) and ±∞ elsewhere; with smoothing or
    probability targets NaN on the whole row; an ignored row 0 whatever its uᵢ."""
    tg = _CE_TARGETS[kind]
    z, u = _CE_Z.astype(dtype), _CE_U.astype(dtype)
    w = np.array([1.0, 2.0, 0.5], dtype) if weighted else None
    if kind == "probabilities":
        tg = tg.astype(dtype)
    target = torch.tensor(tg) if kind != "probabilities" else _t(tg)

    def loss_of(a):
        return F.cross_entropy(a, target, weight=None if w is None else _t(w),
                               reduction="none", label_smoothing=ls)

    _, want = _vjp_t(loss_of, _t(z), _t(u))
    for _ in _paths():
        with quiet_as_torch():
            got = G.cross_entropy_grad(z, tg, w, label_smoothing=ls, reduction="none",
                                       grad_output=u)
        _specials_as(got, want, dtype)


@pytest.mark.parametrize("case", ["K-dimensional, smoothed", "unbatched"])
def test_cross_entropy_grad_with_infinite_upstream_other_shapes(case):
    """The same through the K-dimensional (N, C, d) and unbatched (C,) forms."""
    if case == "unbatched":
        z, tg, u = np.array([1.0, 2.0, 3.0]), np.array(1), np.array(np.inf)
        ls = 0.0
    else:
        z = np.random.default_rng(1706).standard_normal((2, 3, 2))
        tg, u = np.array([[0, 1], [2, -100]]), np.array([[np.inf, 1.0], [np.nan, np.inf]])
        ls = 0.1
    _, want = _vjp_t(lambda a: F.cross_entropy(a, torch.tensor(tg), reduction="none",
                                               label_smoothing=ls), _t(z), _t(u))
    for _ in _paths():
        with quiet_as_torch():
            got = G.cross_entropy_grad(z, tg, reduction="none", label_smoothing=ls,
                                       grad_output=u)
        _specials_as(got, want, np.float64)


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("dtype", DTYPES)
def test_nll_loss_grad_with_infinite_upstream_as_torch(dtype, weighted):
    """nll_loss's gradient is −uᵢw_y at the target alone: ±∞ or NaN there (0 · ∞ = NaN for a
    class of weight 0), 0 elsewhere and on an ignored row, as torch's."""
    z = np.random.default_rng(1707).standard_normal((4, 3)).astype(dtype)
    tg, u = np.array([0, 1, 2, -100]), np.array([np.inf, np.nan, -np.inf, np.inf], dtype)
    w = np.array([0.0, 1.0, 2.0], dtype) if weighted else None
    _, want = _vjp_t(lambda a: F.nll_loss(a, torch.tensor(tg), None if w is None else _t(w),
                                          reduction="none"), _t(z), _t(u))
    for _ in _paths():
        with quiet_as_torch():
            got = G.nll_loss_grad(z, tg, w, reduction="none", grad_output=u)
        _specials_as(got, want, dtype)


def _vjp_t(f: Callable, x: torch.Tensor, upstream: torch.Tensor) -> tuple:
    x = x.detach().clone().requires_grad_(True)
    y = f(x)
    (g,) = torch.autograd.grad(y, x, upstream)
    return y.detach(), g


# ----- Found and fixed: boolean inputs -----

REFUSE_BOOL = {
    "relu": (G.relu, F.relu), "relu_grad": (G.relu_grad, F.relu),
    "leaky_relu": (G.leaky_relu, F.leaky_relu), "leaky_relu_grad": (G.leaky_relu_grad,
                                                                     F.leaky_relu),
    "elu": (G.elu, F.elu), "elu_grad": (G.elu_grad, F.elu),
    "gelu": (G.gelu, F.gelu), "gelu_grad": (G.gelu_grad, F.gelu),
    "silu": (G.silu, F.silu), "silu_grad": (G.silu_grad, F.silu),
    "softplus": (G.softplus, F.softplus), "softplus_grad": (G.softplus_grad, F.softplus),
    "softmax": (G.softmax, lambda t: F.softmax(t, -1)),
    "log_softmax": (G.log_softmax, lambda t: F.log_softmax(t, -1)),
}


@pytest.mark.parametrize("name", list(REFUSE_BOOL))
def test_boolean_inputs_refused_as_torch(name):
    """torch refuses a bool tensor here (relu: 'Boolean inputs not supported', the others
    'not implemented for 'Bool''); so does the library, naming the argument, also for a 0-d
    boolean and a list of bools. Integers stay taken (float64, round 14)."""
    ours, theirs = REFUSE_BOOL[name]
    with pytest.raises((RuntimeError, NotImplementedError)):
        theirs(torch.tensor([True, False]))
    for _ in _paths():
        for bad in (np.array([[True, False]]), np.array(True), [True, False]):
            with pytest.raises(ValueError, match=r"is boolean, which \w+ does not take"):
                ours(bad)
        assert ours(np.array([1, 0])).dtype == np.float64


@pytest.mark.parametrize("name", ["sigmoid_grad", "tanh_grad"])
def test_boolean_inputs_taken_where_torch_takes_them(name):
    """torch's sigmoid and tanh compute on a bool tensor (as 0 and 1): their derivatives here
    take a boolean array too (float64, the dtype rule for non-floating input)."""
    theirs = torch.sigmoid if name == "sigmoid_grad" else torch.tanh
    theirs(torch.tensor([True, False]))
    _, want = _vjp_t(theirs, _t(np.array([1.0, 0.0])), torch.ones(2, dtype=torch.float64))
    for _ in _paths():
        _agree(getattr(G, name)(np.array([True, False])), want, np.float64)


# ----- Found and fixed: clip_grad_norm's total norm in the gradients' dtype -----

@pytest.mark.parametrize("norm_type", [2.0, 1.0, np.inf, 0.5, 0.0, -np.inf])
@pytest.mark.parametrize("dtypes", [(np.float32, np.float32), (np.float64, np.float64),
                                    (np.float32, np.float64)], ids=["32", "64", "mixed"])
def test_clip_grad_norm_returns_the_norm_in_the_gradients_dtype(dtypes, norm_type):
    """torch's clip_grad_norm_ returns its total norm as a tensor of the gradients' dtype
    (float32 for float32 gradients, float64 once one is float64); the library returned a
    Python float for every dtype. Now a NumPy scalar of the promoted dtype, torch's value
    (the float64 sum rounded once: 1e20-sized float32 gradients keep their norm)."""
    r = np.random.default_rng(1708)
    grads = [r.standard_normal(5).astype(dtypes[0]), r.standard_normal((2, 3)).astype(dtypes[1])]
    params = []
    for g in grads:
        params.append(torch.nn.Parameter(torch.zeros(g.shape, dtype=torch.tensor(g).dtype)))
        params[-1].grad = torch.tensor(g)
    want = torch.nn.utils.clip_grad_norm_(params, 0.5, norm_type)
    dtype = np.result_type(*dtypes)
    assert want.numpy().dtype == dtype
    for _ in _paths():
        got = G.clip_grad_norm([g.copy() for g in grads], 0.5, norm_type)
        assert isinstance(got, np.floating) and got.dtype == dtype
        # torch's norm of a float32 array is float32's even when the total is float64
        exact = dtypes == (np.float64, np.float64)
        np.testing.assert_allclose(got, want.item(), rtol=1e-12 if exact else 1e-6)
    big = [np.full(4, 1e20, np.float32)]
    np.testing.assert_allclose(G.clip_grad_norm(big, 1.0), np.float32(2e20), rtol=1e-7)


# ----- Decided: GELU at ±∞ -----

@pytest.mark.parametrize("approximate", ["none", "tanh"])
@pytest.mark.parametrize("dtype", DTYPES)
def test_gelu_at_infinity(dtype, approximate):
    """gelu(+∞) = +∞ (its limit, x·Φ(x) with Φ = 1), gelu(−∞) = NaN (−∞ · 0) and gelu'(±∞) =
    NaN (∞ · 0 in x·φ(x)), as torch's float64 in both approximations. torch's float32 erf form
    gives NaN at +∞ and ∞ at 3e38 in its vectorised loop, but ∞ and 3e38 for a tensor of one
    entry (its scalar loop): an artefact that depends on the tensor's length, not a value to
    follow. The library keeps the float64 values in float32, asserted with torch's beside."""
    x = np.array([np.inf, -np.inf, 3e38, -3e38, 0.0], dtype)
    y64, g64 = _vjp_t(lambda a: F.gelu(a, approximate=approximate), _t(x),
                      torch.ones(5, dtype=torch.float64))
    y32 = F.gelu(torch.tensor(x.astype(np.float32)), approximate=approximate).numpy()
    if approximate == "none":  # torch's float32 artefacts, which the library does not copy
        assert np.isnan(y32[0]) and np.isinf(y32[2])
        one = [F.gelu(torch.tensor([v], dtype=torch.float32)).item() for v in (np.inf, 3e38)]
        assert one[0] == np.inf and np.isclose(one[1], 3e38)
    for _ in _paths():
        with quiet_as_torch():
            got, grad = G.gelu(x, approximate), G.gelu_grad(x, approximate)
        if approximate == "tanh" and dtype == np.float32:  # round 14: the limit 0 or 1 where
            g64 = g64.clone()                               # torch's x³ overflows
            g64[2:4] = torch.tensor([1.0, 0.0], dtype=torch.float64)
        _specials_as(got, y64, dtype)
        _specials_as(grad, g64, dtype)
        np.testing.assert_array_equal(got[:2], [np.inf, np.nan])


# ----- Decided: mixed float32 and float64 arrays promote (the README's rule) -----

def _mixed_calls() -> dict[str, tuple[Callable, tuple, tuple[int, ...]]]:
    """name → (f, its array arguments in float64, the positions given in float32): every
    function that takes two floating arrays, the mix in either direction."""
    r = np.random.default_rng(1700)
    z, t, u = (r.standard_normal((4, 5)) for _ in range(3))
    p01 = 1 / (1 + np.exp(-z))
    X, y, theta = r.standard_normal((6, 3)), r.standard_normal(6), r.standard_normal(3)
    yb = (y > 0).astype(np.float64)
    x4, w4 = r.standard_normal((2, 2, 5, 5)), r.standard_normal((3, 2, 3, 3))
    up4 = r.standard_normal((2, 3, 3, 3))
    labels = np.array([0, 1, 4, 2])
    W, V = r.standard_normal((3, 4)), r.standard_normal((4, 5))
    return {
        "mse_loss": (G.mse_loss, (z, t), (0,)),
        "mse_grad": (G.mse_grad, (z, t), (1,)),
        "mse_grad weight": (lambda a, b, c: G.mse_grad(a, b, weight=c), (z, t, np.abs(u)), (0, 1)),
        "l1_loss": (G.l1_loss, (z, t), (1,)),
        "l1_grad": (G.l1_grad, (z, t), (0,)),
        "huber_loss": (G.huber_loss, (z, t), (0,)),
        "huber_grad none": (lambda a, b, c: G.huber_grad(a, b, 1.0, "none", c), (z, t, u), (0, 1)),
        "smooth_l1_loss": (G.smooth_l1_loss, (z, t), (1,)),
        "smooth_l1_grad": (G.smooth_l1_grad, (z, t), (0,)),
        "bce": (G.binary_cross_entropy, (p01, (t > 0).astype(float)), (0,)),
        "bce_grad": (G.binary_cross_entropy_grad, (p01, (t > 0).astype(float)), (1,)),
        "bce_with_logits pos_weight": (
            lambda a, b, q: G.binary_cross_entropy_with_logits(a, b, pos_weight=q),
            (z, p01, np.abs(u[0])), (0, 1)),
        "bce_with_logits_grad weight": (
            lambda a, b, c: G.binary_cross_entropy_with_logits_grad(a, b, c), (z, p01, np.abs(u)),
            (0,)),
        "cross_entropy weight": (lambda a, c: G.cross_entropy(a, labels, c), (z, np.abs(u[0])),
                                 (0,)),
        "cross_entropy_grad probabilities": (G.cross_entropy_grad, (z, G.softmax(t)), (1,)),
        "nll_loss_grad weight": (lambda a, c: G.nll_loss_grad(a, labels, c), (z, np.abs(u[0])),
                                 (1,)),
        "kl_divergence": (G.kl_divergence, (p01 / p01.sum(), z), (0,)),
        "kl_divergence_grad": (G.kl_divergence_grad, (p01 / p01.sum(), z), (1,)),
        "softmax_vjp": (G.softmax_vjp, (u, G.softmax(z)), (0,)),
        "log_softmax_vjp": (G.log_softmax_vjp, (u, G.log_softmax(z)), (1,)),
        "relu_backward": (G.relu_backward, (u, z), (1,)),
        "dropout_grad": (lambda a: G.dropout_grad(a, z > 0, 0.5), (u,), ()),
        "linear_input_grad": (G.linear_input_grad, (z, u[:, :4].T.copy()), (0,)),
        "linear_weight_grad": (G.linear_weight_grad, (z, u), (1,)),
        "linear_regression_grad": (G.linear_regression_grad, (X, y, theta), (0, 2)),
        "ridge_loss": (lambda a, b, c: G.ridge_loss(a, b, c, 0.1), (X, y, theta), (1,)),
        "lasso_subgrad": (lambda a, b, c: G.lasso_subgrad(a, b, c, 0.1), (X, y, theta), (2,)),
        "normal_equation": (G.normal_equation, (X, y), (0,)),
        "logistic_grad": (G.logistic_grad, (X, yb, theta), (0,)),
        "logistic_mse_loss": (G.logistic_mse_loss, (X, yb, theta), (2,)),
        "perceptron_grad": (G.perceptron_grad, (X, yb, theta), (1, 2)),
        "hinge_grad": (G.hinge_grad, (y, np.sign(y)), (1,)),
        "softmax_regression_grad": (lambda a, b: G.softmax_regression_grad(a, b, labels[:3] % 4),
                                    (X[:3], W[:, :4]), (1,)),
        "two_layer_grads": (lambda a, b, c: G.two_layer_grads(a, b, c, labels[:3]),
                            (X[:3], W, V), (1,)),
        "relu_net_grads": (lambda *a: G.relu_net_grads(*a), (X, y, W.T[:, :3].copy(),
                                                            theta[:1].repeat(4), V[:, :1].T.copy(),
                                                            theta[:1]), (0, 3)),
        "conv2d bias": (lambda a, b, c: G.conv2d(a, b, padding=1, bias=c), (x4, w4, theta),
                        (0,)),
        "conv2d_grad_input": (lambda d, w: G.conv2d_grad_input(d, w, x4.shape), (up4, w4), (1,)),
        "conv2d_grad_weight": (lambda a, d: G.conv2d_grad_weight(a, d, w4.shape), (x4, up4),
                               (0,)),
        "max_pool2d_grad": (lambda d, a: G.max_pool2d_grad(d, a, 2, 1), (x4[:, :, :4, :4],
                                                                       x4), (0,)),
        "layernorm_forward": (lambda a, g, b: G.layernorm_forward(a, g, b)[0],
                              (z, np.abs(t[0]), u[0]), (0,)),
        "layernorm_backward": (lambda a, d: G.layernorm_backward(d, G.layernorm_forward(a)[1]),
                               (z, u), (1,)),
        "batchnorm_forward": (lambda a, g: G.batchnorm_forward(a, g)[0], (z, np.abs(t[0])),
                              (1,)),
        "batchnorm_backward": (lambda a, d: G.batchnorm_backward(d, G.batchnorm_forward(a)[1]),
                               (z, u), (1,)),
        "adam_bias_corrected": (lambda m, v: G.adam_bias_corrected(m, v, 3), (z, np.abs(t)),
                                (0,)),
        "gmm_log_likelihood": (lambda a, m: G.gmm_log_likelihood(a, np.array([0.5, 0.5]), m,
                                                                 np.stack([np.eye(2)] * 2)),
                               (X[:, :2], W[:2, :2]), (0,)),
    }


_MIXED = _mixed_calls()
# a float32 forward's cache holds float32 statistics: a float64 upstream gradient then gives
# float64 from them, not the float64 forward's values (torch refuses the mix: autograd's
# dtype check); the other way round (a float64 forward, a float32 dout) is exact
_CACHE_OF_THE_FORWARD = {"layernorm_backward", "batchnorm_backward"}


@pytest.mark.parametrize("name", list(_MIXED))
def test_mixed_float32_and_float64_arrays_promote(name):
    """The arguments at the listed positions in float32, the others float64: every result is
    float64 (NumPy's promotion, the README's rule; torch refuses some of these mixes and
    promotes others by a rule per function), bit for bit the call on float64 copies of the
    same values (float32's, so that each mix holds them). The reverse mix (float32 where
    float64 was) promotes alike."""
    f, args, low = _MIXED[name]
    rounded = tuple(a.astype(np.float32).astype(np.float64) for a in args)  # float32's values
    for _ in _paths():
        want = _results(f(*(a.copy() for a in rounded)))
        for positions in (low, tuple(i for i in range(len(args)) if i not in low)):
            mixed = [a.astype(np.float32) if i in positions else a.copy()
                     for i, a in enumerate(rounded)]
            if positions == low and not low:
                continue
            got = _results(f(*mixed))
            assert len(got) == len(want)
            for g, w in zip(got, want, strict=True):
                all32 = len(positions) == len(args)
                assert g.dtype == (np.float32 if all32 else np.float64), name
                if not all32 and (positions == low or name not in _CACHE_OF_THE_FORWARD):
                    np.testing.assert_array_equal(g, w)


def test_clip_grad_norm_of_mixed_dtypes_scales_each_array_in_its_own():
    """clip_grad_norm of float32 and float64 arrays together: each is scaled in place and keeps
    its dtype (as torch's parameters of two dtypes), by the norm of all of them (a Python
    float; the float32 array's squares summed by a float32 dot, as documented)."""
    r = np.random.default_rng(1705)
    a, b = r.standard_normal(5).astype(np.float32), r.standard_normal((2, 3))
    total = float(np.sqrt((a.astype(np.float64) ** 2).sum() + (b ** 2).sum()))
    params = [torch.nn.Parameter(torch.zeros(a.shape)), torch.nn.Parameter(_t(np.zeros_like(b)))]
    params[0].grad, params[1].grad = torch.tensor(a), _t(b)
    want = torch.nn.utils.clip_grad_norm_(params, 0.5)
    for _ in _paths():
        ga, gb = a.copy(), b.copy()
        got = G.clip_grad_norm([ga, gb], 0.5)
        assert ga.dtype == np.float32 and gb.dtype == np.float64
        np.testing.assert_allclose(got, total, rtol=1e-6)
        np.testing.assert_allclose(got, want.item(), rtol=1e-6)
        _agree(ga, params[0].grad, np.float32)
        # the float64 array's scale carries the float32 part of the norm (rounded as torch's
        # float32 norm, not to the same bits)
        np.testing.assert_allclose(gb, params[1].grad.numpy(), rtol=1e-6)


OPTIMIZER_CALLS = {  # name → (step(p, g, state, lr, λ, extra), number of state arrays)
    "sgd": (lambda p, g, s, lr, wd, x: G.sgd_step(p, g, lr, weight_decay=wd), 0),
    "momentum": (lambda p, g, s, lr, wd, x: G.momentum_step(p, g, s[0], lr, x,
                                                             weight_decay=wd), 1),
    "nesterov": (lambda p, g, s, lr, wd, x: G.sgd_nesterov_step(p, g, s[0], lr, x, wd), 1),
    "adagrad": (lambda p, g, s, lr, wd, x: G.adagrad_step(p, g, s[0], lr, x, weight_decay=wd,
                                                           lr_decay=x, t=2), 1),
    "rmsprop": (lambda p, g, s, lr, wd, x: G.rmsprop_step(p, g, s[0], lr, x, x,
                                                           weight_decay=wd), 1),
    "adam": (lambda p, g, s, lr, wd, x: G.adam_step(p, g, s[0], s[1], 2, lr, x, x, x,
                                                     weight_decay=wd), 2),
    "adamw": (lambda p, g, s, lr, wd, x: G.adamw_step(p, g, s[0], s[1], 2, lr, x, x, x,
                                                       weight_decay=wd), 2),
}


@pytest.mark.parametrize("name", list(OPTIMIZER_CALLS))
def test_hyper_parameters_as_zero_d_arrays_keep_float32(name):
    """lr, weight decay, momentum, β, ε and lr_decay as 0-d float64 arrays (and NumPy float64
    scalars): float32 parameters and state stay float32, bit for bit the step with Python
    floats."""
    step, n = OPTIMIZER_CALLS[name]
    r = np.random.default_rng(1701)
    p0, g = r.standard_normal((3, 4)).astype(np.float32), r.standard_normal((3, 4)).astype(
        np.float32)
    s0 = [np.abs(r.standard_normal((3, 4))).astype(np.float32) for _ in range(n)]
    for _ in _paths():
        outs = []
        for lr, wd, x in ((0.05, 0.01, 0.5), (np.array(0.05), np.array(0.01), np.array(0.5)),
                          (np.float64(0.05), np.array(0.01), np.float64(0.5))):
            p, s = p0.copy(), [a.copy() for a in s0]
            step(p, g, s, lr, wd, x)
            assert p.dtype == np.float32 and all(a.dtype == np.float32 for a in s)
            outs.append([p, *s])
        for other in outs[1:]:
            for a, b in zip(outs[0], other, strict=True):
                np.testing.assert_array_equal(a, b)


# ----- Tried and found right: non-finite upstream gradients through the VJPs -----

def _with_specials(a: np.ndarray) -> np.ndarray:
    flat = a.reshape(-1)
    flat[0], flat[1], flat[3] = np.inf, np.nan, -np.inf
    return a


def _upstream_cases(dtype) -> dict[str, tuple[Callable, Callable, list, np.ndarray, int]]:
    """name → (ours(*args, u), torch's forward on leaves, args, u with ±∞ and NaN, which
    argument's gradient)."""
    r = np.random.default_rng(1702)
    x, w = r.standard_normal((2, 4, 5, 5)).astype(dtype), r.standard_normal((6, 2, 3, 3)).astype(
        dtype)
    Z, g, b = (r.standard_normal(s).astype(dtype) for s in ((3, 4), (4,), (4,)))
    W = r.standard_normal((5, 4)).astype(dtype)
    u_conv = _with_specials(r.standard_normal((2, 6, 5, 5)).astype(dtype))
    u_pool = _with_specials(r.standard_normal((2, 4, 2, 2)).astype(dtype))
    u = _with_specials(r.standard_normal((3, 4)).astype(dtype))
    u_lin = _with_specials(r.standard_normal((3, 5)).astype(dtype))

    def conv(a, k):
        return F.conv2d(a, k, None, 1, 1, 1, 2)

    cases = {
        "conv2d x": (lambda a, k, d: G.conv2d_grad_input(d, k, a.shape, 1, 1, 1, 2), conv,
                     [x, w], u_conv, 0),
        "conv2d w": (lambda a, k, d: G.conv2d_grad_weight(a, d, k.shape, 1, 1, 1, 2), conv,
                     [x, w], u_conv, 1),
        "max_pool2d": (lambda a, d: G.max_pool2d_grad(d, a, 2), lambda a: F.max_pool2d(a, 2),
                       [x], u_pool, 0),
        "avg_pool2d": (lambda a, d: G.avg_pool2d_grad(d, a.shape, 2),
                       lambda a: F.avg_pool2d(a, 2), [x], u_pool, 0),
        "softmax_vjp": (lambda a, d: G.softmax_vjp(d, G.softmax(a)), lambda a: F.softmax(a, -1),
                        [Z], u, 0),
        "log_softmax_vjp": (lambda a, d: G.log_softmax_vjp(d, G.log_softmax(a)),
                            lambda a: F.log_softmax(a, -1), [Z], u, 0),
        "relu_backward": (lambda a, d: G.relu_backward(d, a), F.relu, [Z], u, 0),
        "linear input": (lambda a, k, d: G.linear_input_grad(k, d), lambda a, k: a @ k.T,
                         [Z, W], u_lin, 0),
        "linear weight": (lambda a, k, d: G.linear_weight_grad(d, a), lambda a, k: a @ k.T,
                          [Z, W], u_lin, 1),
    }
    for i, name in enumerate("Xγβ"):
        cases[f"layer norm {name}"] = (
            lambda a, c, e, d, i=i: G.layernorm_backward(d, G.layernorm_forward(a, c, e)[1])[i],
            lambda a, c, e: F.layer_norm(a, (4,), c, e), [Z, g, b], u, i)
        cases[f"batch norm {name}"] = (
            lambda a, c, e, d, i=i: G.batchnorm_backward(d, G.batchnorm_forward(a, c, e)[1])[i],
            lambda a, c, e: F.batch_norm(a, None, None, c, e, training=True), [Z, g, b], u, i)
    for name in ("gelu", "silu"):
        cases[f"{name}_grad · u"] = (lambda a, d, n=name: getattr(G, n + "_grad")(a) * d,
                                     getattr(F, name), [Z], u, 0)
    return cases


_UPSTREAM_NAMES = list(_upstream_cases(np.float64))


@pytest.mark.parametrize("name", _UPSTREAM_NAMES)
@pytest.mark.parametrize("dtype", DTYPES)
def test_vjps_with_infinite_and_nan_upstream_gradients_as_torch(dtype, name):
    """One upstream entry +∞, one NaN, one −∞: NaN and ±∞ land where torch's autograd puts
    them (a window, a channel, a row or a column of the VJP), the other entries finite and
    torch's, quietly."""
    ours, theirs, args, u, which = _upstream_cases(dtype)[name]
    leaves = _leaves(*args)
    want = _grads(theirs(*leaves), leaves, u)[which]
    for _ in _paths():
        with quiet_as_torch():
            got = ours(*args, u)
        _specials_as(got, want, dtype)


# ----- Tried and found right: every function twice on the same arrays -----

def _more_calls(dtype) -> dict[str, tuple[Callable, tuple]]:
    """The functions round 15's aliasing calls leave out (losses, models, networks, steps)."""
    r = np.random.default_rng(1703)
    z, t = (r.standard_normal((4, 5)).astype(dtype) for _ in range(2))
    z[0, 0], t[1, 1] = -0.0, -0.0
    p01 = (1 / (1 + np.exp(-z))).astype(dtype)
    X, y, theta = (r.standard_normal((6, 3)).astype(dtype), r.standard_normal(6).astype(dtype),
                   r.standard_normal(3).astype(dtype))
    yb = (y > 0).astype(dtype)
    labels = np.array([0, 1, 4, 2])
    x4, w4 = r.standard_normal((2, 2, 5, 5)).astype(dtype), r.standard_normal((3, 2, 3, 3)).astype(
        dtype)
    W, V = r.standard_normal((3, 4)).astype(dtype), r.standard_normal((4, 5)).astype(dtype)
    return {
        "cross_entropy": (lambda a: G.cross_entropy(a, labels, label_smoothing=0.1), (z,)),
        "nll_loss": (lambda a: G.nll_loss(a, labels), (z,)),
        "bce": (G.binary_cross_entropy, (p01, (t > 0).astype(dtype))),
        "bce_with_logits": (G.binary_cross_entropy_with_logits, (z, p01)),
        "huber_loss": (G.huber_loss, (z, t)), "smooth_l1_loss": (G.smooth_l1_loss, (z, t)),
        "l1_loss": (G.l1_loss, (z, t)), "mse_loss": (G.mse_loss, (z, t)),
        "kl_divergence": (G.kl_divergence, (p01 / p01.sum(), z)),
        "softmax_cross_entropy": (lambda a: (G.softmax_cross_entropy(a, labels),
                                             G.softmax_cross_entropy_grad(a, labels)), (z,)),
        "linear_regression": (lambda *a: (G.linear_regression_loss(*a),
                                          G.linear_regression_grad(*a)), (X, y, theta)),
        "ridge": (lambda *a: (G.ridge_loss(*a, 0.3), G.ridge_grad(*a, 0.3)), (X, y, theta)),
        "lasso": (lambda *a: (G.lasso_loss(*a, 0.3), G.lasso_subgrad(*a, 0.3)), (X, y, theta)),
        "normal_equation": (G.normal_equation, (X, y)),
        "logistic": (lambda *a: (G.logistic_loss(*a), G.logistic_grad(*a)), (X, yb, theta)),
        "logistic_mse": (lambda *a: (G.logistic_mse_loss(*a), G.logistic_mse_grad(*a)),
                         (X, yb, theta)),
        "perceptron": (lambda *a: (G.perceptron_loss(*a), G.perceptron_grad(*a)),
                       (X, yb, theta)),
        "hinge_loss": (G.hinge_loss, (y, np.sign(y))),
        "softmax_regression": (lambda a, b: (G.softmax_regression_loss(a, b, labels[:3] % 4),
                                             G.softmax_regression_grad(a, b, labels[:3] % 4)),
                               (X[:3], W)),
        "two_layer": (lambda a, b, c: (G.two_layer_forward(a, b, c, labels[:3]).loss,
                                       G.two_layer_grads(a, b, c, labels[:3])), (X[:3], W, V)),
        "relu_net": (lambda *a: G.relu_net_grads(*a),
                     (X, y, W.T[:, :3].copy(), theta[:1].repeat(4), V[:, :1].T.copy(),
                      theta[:1])),
        "conv2d_grad_weight": (lambda a, d: G.conv2d_grad_weight(a, d, w4.shape, padding=1),
                               (x4, r.standard_normal((2, 3, 5, 5)).astype(dtype))),
        "conv1d_matrix": (lambda h: G.conv1d_matrix(h, 6), (theta,)),
        "sigmoid and tanh_grad": (lambda a: (G.sigmoid(a), G.tanh_grad(a), G.sigmoid_grad(a)),
                                  (z,)),
        "elu, softplus, leaky_relu grads": (lambda a: (G.elu_grad(a), G.softplus_grad(a),
                                                       G.leaky_relu_grad(a)), (z,)),
        "gmm_log_likelihood": (lambda a: G.gmm_log_likelihood(
            a, np.array([0.5, 0.5], dtype), np.zeros((2, 2), dtype),
            np.stack([np.eye(2, dtype=dtype)] * 2)), (X[:, :2],)),
    }


_TWICE = {**{k: "aliasing" for k in _aliasing_calls(np.float64)},
          **{k: "more" for k in _more_calls(np.float64)}}


@pytest.mark.parametrize("name", list(_TWICE))
def test_called_twice_gives_identical_results_and_leaves_inputs_alone(name):
    """The same call twice on the same float32 arrays (where the fast paths accumulate in
    float64 and split work into blocks): results float32 (max-pool's indices int64, as
    torch's) and bit for bit the same (dtype, shape and bytes: signed zeros too), the
    arguments' bytes unchanged (round 15's calls whose result could be an input, and every
    other function)."""
    calls = (_aliasing_calls(np.float32) if _TWICE[name] == "aliasing"
             else _more_calls(np.float32))
    f, args = calls[name]
    before = [a.tobytes() for a in args]
    for _ in _paths():
        with quiet_as_torch():
            first, second = _results(f(*args)), _results(f(*args))
        assert first and len(first) == len(second)
        for a, b in zip(first, second, strict=True):
            assert a.dtype == b.dtype and a.shape == b.shape, name
            assert a.dtype == (np.int64 if a.dtype.kind == "i" else np.float32), name
            assert a.tobytes() == b.tobytes(), name
        assert [a.tobytes() for a in args] == before, f"{name} changed an input"


# ----- Tried and found right: N = 10⁵ float32 reductions against the float64 truth -----

def _large_batch() -> dict[str, tuple[Callable, Callable]]:
    n = 100_000
    r = np.random.default_rng(1704)
    p = (r.standard_normal(n) * 3 + 10).astype(np.float32)
    t = r.standard_normal(n).astype(np.float32)
    z = (r.standard_normal(n) * 4 + 3).astype(np.float32)
    y = (r.random(n) < 0.3).astype(np.float32)
    pr = r.uniform(0.01, 0.99, n).astype(np.float32)
    Z = (r.standard_normal((n, 5)) * 3 + 1).astype(np.float32)
    lab = r.integers(0, 5, n)
    logq = np.log(r.dirichlet(np.ones(5), n)).astype(np.float32)
    P = r.dirichlet(np.ones(5), n).astype(np.float32)
    return {
        "mse": (lambda red: G.mse_loss(p, t, red), lambda red: F.mse_loss(_t(p), _t(t),
                                                                          reduction=red)),
        "l1": (lambda red: G.l1_loss(p, t, red), lambda red: F.l1_loss(_t(p), _t(t),
                                                                       reduction=red)),
        "huber": (lambda red: G.huber_loss(p, t, 1.0, red),
                  lambda red: F.huber_loss(_t(p), _t(t), reduction=red)),
        "smooth_l1": (lambda red: G.smooth_l1_loss(p, t, 1.0, red),
                      lambda red: F.smooth_l1_loss(_t(p), _t(t), reduction=red)),
        "bce": (lambda red: G.binary_cross_entropy(pr, y, reduction=red),
                lambda red: F.binary_cross_entropy(_t(pr), _t(y), reduction=red)),
        "bce_with_logits": (lambda red: G.binary_cross_entropy_with_logits(z, y, reduction=red),
                            lambda red: F.binary_cross_entropy_with_logits(_t(z), _t(y),
                                                                           reduction=red)),
        "cross_entropy": (lambda red: G.cross_entropy(Z, lab, reduction=red),
                          lambda red: F.cross_entropy(_t(Z), torch.tensor(lab), reduction=red)),
        "nll_loss": (lambda red: G.nll_loss(logq, lab, reduction=red),
                     lambda red: F.nll_loss(_t(logq), torch.tensor(lab), reduction=red)),
        "kl_divergence": (lambda red: G.kl_divergence(P, logq, reduction=red),
                          lambda red: F.kl_div(_t(logq), _t(P), reduction=red)),
    }


_LARGE = _large_batch()


@pytest.mark.parametrize("reduction", ["mean", "sum"])
@pytest.mark.parametrize("name", list(_LARGE))
def test_large_float32_batches_reduce_within_an_ulp(name, reduction):
    """A float32 'mean' or 'sum' over 10⁵ entries (5·10⁵ for the class losses) is within one
    float32 ulp (2⁻²³ relative) of torch's float64 value on the same numbers: a naive float32
    running sum drifts by ~10⁻⁴ at this size."""
    ours, theirs = _LARGE[name]
    with np.testing.suppress_warnings() as sup:  # torch's kl_div 'mean' deprecation notice
        sup.filter(UserWarning)
        want = theirs(reduction).item()
    for _ in _paths():
        got = ours(reduction)
        assert np.asarray(got).dtype == np.float32
        assert abs(float(got) - want) <= 2.0 ** -23 * abs(want), (float(got), want)


# ----- Tried and found right: −∞ logits -----

_NEG_INF_ROWS = np.array([[-np.inf, 0.0, 1.0], [-np.inf, -np.inf, -np.inf],
                          [-np.inf, -np.inf, 2.0], [-np.inf, 1e30, -1e30], [0.5, -np.inf, 0.5]])


@pytest.mark.parametrize("fn", ["softmax", "log_softmax"])
@pytest.mark.parametrize("dtype", DTYPES)
def test_softmax_rows_with_negative_infinity(dtype, fn):
    """A −∞ entry is 0 (−∞ for log-softmax), an all −∞ row NaN, as torch's; the VJPs at those
    outputs with an upstream of mixed sign, NaN where torch's is."""
    z = _NEG_INF_ROWS.astype(dtype)
    up = np.tile(np.array([1.0, -2.0, 3.0], dtype), (5, 1))
    tf = F.softmax if fn == "softmax" else F.log_softmax
    y, g = _vjp_t(lambda a: tf(a, -1), _t(z), _t(up))
    vjp = G.softmax_vjp if fn == "softmax" else G.log_softmax_vjp
    for _ in _paths():
        with quiet_as_torch():
            out = getattr(G, fn)(z)
            grad = vjp(up, out)
        _specials_as(out, y, dtype)
        _specials_as(grad, g, dtype)
        assert np.isnan(out[1]).all()


@pytest.mark.parametrize("ls", [0.0, 0.1])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("dtype", DTYPES)
def test_cross_entropy_with_negative_infinity_at_the_target(dtype, reduction, ls):
    """A −∞ logit at a row's target: its loss ∞ (the mean and sum too), its gradient the
    finite S − onehot (torch's); with smoothing every class's log-probability counts, so a
    −∞ logit anywhere makes the loss ∞."""
    z = np.array([[-np.inf, 0.0, 1.0], [0.0, -np.inf, 2.0], [1.0, 2.0, 3.0],
                  [-np.inf, -np.inf, 0.0]], dtype)
    tg = np.array([0, 1, 2, 2])
    y, g = _vjp_t(lambda a: F.cross_entropy(a, torch.tensor(tg), reduction=reduction,
                                            label_smoothing=ls), _t(z),
                  torch.ones(4 if reduction == "none" else (), dtype=torch.float64))
    u = np.ones(4, dtype) if reduction == "none" else None
    for _ in _paths():
        with quiet_as_torch():
            loss = G.cross_entropy(z, tg, reduction=reduction, label_smoothing=ls)
            grad = G.cross_entropy_grad(z, tg, reduction=reduction, label_smoothing=ls,
                                        grad_output=u)
        _specials_as(loss, y, dtype)
        _specials_as(grad, g, dtype)


# ----- Tried and found right: channels-last convolution and pooling -----

def _channels_last(a: np.ndarray) -> np.ndarray:
    """a's values as a view of an (N, H, W, C) buffer, torch's channels_last memory format."""
    return np.ascontiguousarray(a.transpose(0, 2, 3, 1)).transpose(0, 3, 1, 2)


# (x's shape, w's shape, stride, padding, dilation, groups): grouped, depthwise, k//2 padding
CONV_GROUPS = [((2, 4, 7, 6), (6, 2, 3, 3), 1, 1, 1, 2), ((1, 6, 5, 5), (6, 1, 3, 3), 1, 1, 1, 6),
               ((2, 4, 6, 6), (4, 2, 5, 5), 1, 2, 1, 2), ((1, 4, 8, 7), (8, 1, 3, 2), 2, (1, 0),
                                                          (2, 1), 4),
               ((3, 2, 5, 5), (4, 2, 3, 3), 1, "same", 1, 1)]


@pytest.mark.parametrize("case", range(len(CONV_GROUPS)))
@pytest.mark.parametrize("dtype", DTYPES)
def test_grouped_conv2d_on_channels_last_views(dtype, case):
    shape, w_shape, stride, padding, dilation, groups = CONV_GROUPS[case]
    r = np.random.default_rng(1710 + case)
    x, w = r.standard_normal(shape).astype(dtype), r.standard_normal(w_shape).astype(dtype)
    b = r.standard_normal(w_shape[0]).astype(dtype)
    leaves = _leaves(x, w, b)
    y = F.conv2d(*leaves, stride, padding, dilation, groups)
    up = r.standard_normal(tuple(y.shape)).astype(dtype)
    dx, dw, db = _grads(y, leaves, up)
    xc, wc, uc = _channels_last(x), _channels_last(w), _channels_last(up)
    assert not xc.flags.c_contiguous
    for _ in _paths():
        _agree(G.conv2d(xc, wc, stride, padding, dilation, bias=b, groups=groups), y, dtype)
        _agree(G.conv2d_grad_input(uc, wc, x.shape, stride, padding, dilation, groups), dx, dtype)
        _agree(G.conv2d_grad_weight(xc, uc, w.shape, stride, padding, dilation, groups), dw,
               dtype)
        _agree(G.conv2d_grad_bias(uc), db, dtype)


# (x's shape, size, stride, padding, ceil_mode): stride 1 with padding k//2 among them
POOLS = [((2, 3, 7, 7), 3, 2, 1, True), ((1, 2, 6, 5), 3, 1, 1, False),
         ((1, 2, 5, 5), 5, 1, 2, False), ((2, 2, 8, 8), (2, 3), (3, 2), (1, 1), True),
         ((1, 1, 4, 4), 2, 3, 0, True)]


@pytest.mark.parametrize("case", range(len(POOLS)))
@pytest.mark.parametrize("dtype", DTYPES)
def test_pooling_on_channels_last_views(dtype, case):
    """max and average pooling (count_include_pad both ways) and their gradients."""
    shape, k, s, p, ceil = POOLS[case]
    r = np.random.default_rng(1720 + case)
    x = r.standard_normal(shape).astype(dtype)
    xt = _leaves(x)
    ym = F.max_pool2d(xt[0], k, s, p, 1, ceil)
    up = r.standard_normal(tuple(ym.shape)).astype(dtype)
    (gm,) = _grads(ym, xt, up)
    avg = {cip: F.avg_pool2d(xt[0], k, s, p, ceil, cip) for cip in (True, False)}
    gavg = {cip: _grads(y, xt, up)[0] for cip, y in avg.items()}
    xc, uc = _channels_last(x), _channels_last(up)
    for _ in _paths():
        _agree(G.max_pool2d(xc, k, s, p, 1, ceil), ym, dtype)
        _agree(G.max_pool2d_grad(uc, xc, k, s, padding=p, ceil_mode=ceil), gm, dtype)
        for cip in (True, False):
            _agree(G.avg_pool2d(xc, k, s, p, ceil, cip), avg[cip], dtype)
            _agree(G.avg_pool2d_grad(uc, x.shape, k, s, p, ceil, cip), gavg[cip], dtype)


# ----- Decided: centered RMSprop with alpha = 0.5 over 200 float32 steps -----

RMSPROP_RUNS = {"centered": (dict(lr=0.01, alpha=0.5, centered=True), 2)}


@pytest.mark.parametrize("name", list(RMSPROP_RUNS))
def test_rmsprop_alpha_half_over_two_hundred_float32_steps(name):
    """Last round's open item, a drift of centered RMSprop with alpha = 0.5 at step 25 in
    float32: measured against torch's float64 trajectory, ours stays within twice torch's
    own float32 drift from it at every step (1.4 times at worst over four seeds), which is
    rounding, not a formula difference. Centered RMSprop has no fast path: the reference
    path alone."""
    kw, n = RMSPROP_RUNS[name]
    r = np.random.default_rng(1730)
    p0 = r.standard_normal(32).astype(np.float32)
    grads = (r.standard_normal((200, 32)) * np.linspace(0.01, 10, 32)).astype(np.float32)

    def make(q):
        return O.RMSprop(q, **kw)

    exact = _torch_run(make, p0.astype(np.float64), grads.astype(np.float64), np.float64)
    torch_drift = np.abs(_torch_run(make, p0, grads, np.float32) - exact).max(axis=1)
    scale = np.abs(exact).max(axis=1)
    p, s = p0.copy(), [np.zeros_like(p0) for _ in range(n)]
    for t, g in enumerate(grads, 1):
        G.rmsprop_step(p, g, s[0], kw["lr"], 0.5, centered=True, grad_avg=s[1],
                       momentum=kw.get("momentum", 0.0), momentum_buffer=s[2] if n > 2 else None)
        assert p.dtype == np.float32
        drift = np.abs(p - exact[t - 1]).max()
        assert drift <= 2 * torch_drift[t - 1] + 1e-7 * scale[t - 1], (t, drift)
