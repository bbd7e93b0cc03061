"""Round 10 of the torch cross-check: a call ported from torch keeps torch's keywords.

torch's spelling of an argument is an alias of the library's (both give the same result, and
giving both is a TypeError); torch keywords without a counterpart here are accepted at the
values that change nothing and refused otherwise, naming the keyword. Each test failed before
its change (TypeError: unexpected keyword argument)."""

from __future__ import annotations

import sys
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import derivations.gradients as G

pytestmark = pytest.mark.one_path  # argument handling: the same on every kernel path

RNG = np.random.default_rng(10)
Z = RNG.standard_normal((4, 5))
IMG = RNG.standard_normal((1, 2, 6, 6))
GAMMA = RNG.standard_normal(5)
BETA = RNG.standard_normal(5)


def _state(n: int = 6) -> tuple[np.ndarray, ...]:
    """params, grad and three zero state arrays, fresh for each call (steps work in place)."""
    r = np.random.default_rng(3)
    return (r.standard_normal(n), r.standard_normal(n), np.zeros(n), np.zeros(n), np.zeros(n))


def _adam(**kw: Any):
    p, g, m, v, _ = _state()
    return G.adam_step(p, g, m, v, 1, 0.1, **kw)


def _adamw(**kw: Any):
    p, g, m, v, _ = _state()
    return G.adamw_step(p, g, m, v, 2, 0.1, **kw)


def _rmsprop(**kw: Any):
    p, g, s, _, _ = _state()
    return G.rmsprop_step(p, g, s, 0.1, **kw)


def _momentum(**kw: Any):
    p, g, vel, _, _ = _state()
    vel += 1.0  # a first step from zero velocity does not depend on the momentum
    return G.momentum_step(p, g, vel, 0.1, **kw)


def _nesterov(**kw: Any):
    p, g, vel, _, _ = _state()
    vel += 1.0
    return G.sgd_nesterov_step(p, g, vel, 0.1, **kw)


# (what, call(**kw), torch's keywords, the library's keywords)
ALIASES: list[tuple[str, Callable[..., Any], dict, dict]] = [
    ("softmax dim", lambda **kw: G.softmax(Z, **kw), {"dim": 0}, {"axis": 0}),
    ("log_softmax dim", lambda **kw: G.log_softmax(Z, **kw), {"dim": 0}, {"axis": 0}),
    ("softmax_vjp dim", lambda **kw: G.softmax_vjp(Z, G.softmax(Z, 0), **kw), {"dim": 0},
     {"axis": 0}),
    ("log_softmax_vjp dim", lambda **kw: G.log_softmax_vjp(Z, G.log_softmax(Z, 0), **kw),
     {"dim": 0}, {"axis": 0}),
    ("max_pool2d kernel_size", lambda **kw: G.max_pool2d(IMG, stride=1, **kw),
     {"kernel_size": 3}, {"size": 3}),
    ("avg_pool2d kernel_size", lambda **kw: G.avg_pool2d(IMG, stride=1, **kw),
     {"kernel_size": 3}, {"size": 3}),
    ("max_pool2d_grad kernel_size",
     lambda **kw: G.max_pool2d_grad(np.ones((1, 2, 2, 2)), IMG, stride=3, **kw),
     {"kernel_size": 3}, {"size": 3}),
    ("avg_pool2d_grad kernel_size",
     lambda **kw: G.avg_pool2d_grad(np.ones((1, 2, 2, 2)), IMG.shape, stride=3, **kw),
     {"kernel_size": 3}, {"size": 3}),
    ("batchnorm_forward weight, bias", lambda **kw: G.batchnorm_forward(Z, **kw)[0],
     {"weight": GAMMA, "bias": BETA}, {"gamma": GAMMA, "beta": BETA}),
    ("layernorm_forward weight, bias", lambda **kw: G.layernorm_forward(Z, **kw)[0],
     {"weight": GAMMA, "bias": BETA}, {"gamma": GAMMA, "beta": BETA}),
    ("adam_step betas", _adam, {"betas": (0.8, 0.99)}, {"beta1": 0.8, "beta2": 0.99}),
    ("adamw_step betas", _adamw, {"betas": (0.8, 0.99)}, {"beta1": 0.8, "beta2": 0.99}),
    ("rmsprop_step alpha", _rmsprop, {"alpha": 0.9}, {"beta": 0.9}),
    ("momentum_step momentum", _momentum, {"momentum": 0.5}, {"rho": 0.5}),
    ("sgd_nesterov_step momentum", _nesterov, {"momentum": 0.5}, {"rho": 0.5}),
]


def _items(result: Any) -> tuple:
    return result if isinstance(result, tuple) else (result,)


def _same(a: Any, b: Any) -> None:
    for x, y in zip(_items(a), _items(b), strict=True):
        np.testing.assert_array_equal(x, y)


@pytest.mark.parametrize("what, call, theirs, ours", ALIASES, ids=[a[0] for a in ALIASES])
def test_torch_keyword_is_an_alias(what, call, theirs, ours) -> None:
    aliased = call(**theirs)
    _same(aliased, call(**ours))
    # the alias is not dropped: its value gives another result than the default's
    assert not all(np.array_equal(x, y)
                   for x, y in zip(_items(call()), _items(aliased), strict=True)), what


@pytest.mark.parametrize("what, call, theirs, ours", ALIASES, ids=[a[0] for a in ALIASES])
def test_both_spellings_is_a_type_error(what, call, theirs, ours) -> None:
    with pytest.raises(TypeError, match="spelling"):
        call(**theirs, **ours)


def test_an_alias_given_positionally_and_by_torch_name_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="'axis' and torch's spelling 'dim'"):
        G.softmax(Z, 0, dim=1)


def test_betas_must_be_a_pair() -> None:
    with pytest.raises(ValueError, match="betas must be a sequence of 2"):
        _adam(betas=0.9)


def test_adam_betas_as_torch() -> None:
    torch = pytest.importorskip("torch")
    p, g, m, v, _ = _state()
    tp = torch.tensor(p.copy(), requires_grad=True)
    opt = torch.optim.Adam([tp], lr=0.1, betas=(0.5, 0.7))
    for t in (1, 2):
        tp.grad = torch.tensor(g * t)
        opt.step()
        G.adam_step(p, g * t, m, v, t, 0.1, betas=(0.5, 0.7))
    np.testing.assert_allclose(p, tp.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(v, opt.state[tp]["exp_avg_sq"].numpy(), rtol=1e-12)


# (what, call(**kw), keywords accepted with no effect, keywords refused)
FLAGS: list[tuple[str, Callable[..., Any], list[dict], list[dict]]] = [
    ("relu inplace", lambda **kw: G.relu(Z, **kw), [{"inplace": False}], [{"inplace": True}]),
    ("softmax dtype", lambda **kw: G.softmax(Z, dim=1, **kw), [{"dtype": None}],
     [{"dtype": np.float64}]),
    ("log_softmax dtype", lambda **kw: G.log_softmax(Z, **kw), [{"dtype": None}],
     [{"dtype": np.float32}]),
    ("leaky_relu inplace", lambda **kw: G.leaky_relu(Z, 0.2, **kw), [{"inplace": False}],
     [{"inplace": True}]),
    ("elu inplace", lambda **kw: G.elu(Z, **kw), [{"inplace": False}], [{"inplace": True}]),
    ("silu inplace", lambda **kw: G.silu(Z, **kw), [{"inplace": False}], [{"inplace": True}]),
    ("conv2d padding_mode", lambda **kw: G.conv2d(IMG, np.ones((3, 2, 3, 3)), padding=1, **kw),
     [{"padding_mode": "zeros"}], [{"padding_mode": m} for m in ("reflect", "circular")]),
    ("conv2d_grad_input padding_mode",
     lambda **kw: G.conv2d_grad_input(np.ones((1, 3, 4, 4)), np.ones((3, 2, 3, 3)), IMG.shape,
                                      **kw),
     [{"padding_mode": "zeros"}], [{"padding_mode": "replicate"}]),
    ("conv2d_grad_weight padding_mode",
     lambda **kw: G.conv2d_grad_weight(IMG, np.ones((1, 3, 4, 4)), (3, 2, 3, 3), **kw),
     [{"padding_mode": "zeros"}], [{"padding_mode": "reflect"}]),
    ("cross_entropy size_average, reduce",
     lambda **kw: G.cross_entropy(Z, np.arange(4), **kw),
     [{"size_average": None, "reduce": None}], [{"size_average": False}, {"reduce": True}]),
    ("nll_loss_grad reduce", lambda **kw: G.nll_loss_grad(Z, np.arange(4), **kw),
     [{"reduce": None}], [{"reduce": False}]),
    ("mse_loss size_average", lambda **kw: G.mse_loss(Z, Z + 1, **kw),
     [{"size_average": None}], [{"size_average": True}]),
    ("kl_divergence reduce",
     lambda **kw: G.kl_divergence(G.softmax(Z), G.log_softmax(-Z), **kw),
     [{"reduce": None}], [{"reduce": False}]),
    ("sgd_step momentum, dampening, nesterov, foreach",
     lambda **kw: G.sgd_step(*_state()[:2], 0.1, **kw),
     [{"momentum": 0, "dampening": 0, "nesterov": False, "foreach": True, "fused": None,
       "capturable": False, "differentiable": False}],
     [{"momentum": 0.9}, {"nesterov": True}, {"differentiable": True}, {"momentum": False}]),
    ("sgd_nesterov_step nesterov", _nesterov, [{"nesterov": True}], [{"nesterov": False}]),
    ("adagrad_step initial_accumulator_value",
     lambda **kw: G.adagrad_step(*_state()[:3], 0.1, **kw),
     [{"initial_accumulator_value": 0, "foreach": None}], [{"initial_accumulator_value": 0.1}]),
    ("adam_step fused", _adam, [{"fused": True, "foreach": False, "capturable": True}],
     [{"differentiable": True}]),
    ("clip_grad_norm foreach", lambda **kw: G.clip_grad_norm([np.ones(3)], 1.0, **kw),
     [{"foreach": None}, {"foreach": True}], [{"foreach": "yes"}]),
]


@pytest.mark.parametrize("what, call, accepted, refused", FLAGS, ids=[f[0] for f in FLAGS])
def test_torch_flags_accepted_or_refused_by_name(what, call, accepted, refused) -> None:
    plain = call()
    for kw in accepted:
        _same(call(**kw), plain)
    for kw in refused:
        (name,) = kw
        with pytest.raises(ValueError, match=f"does not take torch's {name}="):
            call(**kw)


@pytest.mark.parametrize("shape_arg", [5, (5,), [5], (4, 5)])
def test_layernorm_refuses_torch_positional_normalized_shape(shape_arg) -> None:
    # F.layer_norm(x, normalized_shape, weight, bias): the shape is torch's second argument
    with pytest.raises(ValueError, match="normalized_shape=shape"):
        G.layernorm_forward(Z, shape_arg)


def test_layernorm_keeps_a_gamma_that_looks_like_a_shape() -> None:
    X = RNG.standard_normal((3, 2))
    out, _ = G.layernorm_forward(X, [2, 2])  # γ = (2, 2) of shape (2,), not a shape
    np.testing.assert_allclose(out, 2 * G.layernorm_forward(X)[0])


@pytest.mark.parametrize("dtype", [np.int8, np.int16, np.int32, np.uint8, np.uint16])
@pytest.mark.parametrize("fn", [G.cross_entropy, G.cross_entropy_grad, G.nll_loss,
                                G.nll_loss_grad])
def test_narrow_integer_targets_as_int64(fn, dtype) -> None:
    # Documented leniency: torch refuses int8/16/32 targets ("expected target dtype to be Long
    # or Byte"), the library reads any integer dtype as the class indices it holds
    target = np.array([0, 4, 2, 1])
    _same(fn(Z, target.astype(dtype)), fn(Z, target))


# ----- no numba pedantic warning where torch prints nothing -----


def _numba_ssa_repro():
    """numba issue #9489's reproducer: an inline="always" function with a conditional
    expression, called twice, makes numba's SSA pass warn NumbaIRAssumptionWarning (Python
    3.11) when it compiles, as the kernels' exponential and Φ did."""
    numba = pytest.importorskip("numba")
    from numba import extending

    @extending.register_jitable(inline="always")
    def step(a):
        return a + 1 if a > 0 else a - 1

    @numba.njit
    def twice(a):
        return step(a) + step(-a)

    return twice


def test_quiet_compile_silences_numbas_ssa_warning() -> None:
    from numba.core.errors import NumbaIRAssumptionWarning

    from derivations.gradients._fast import _compiled
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        _numba_ssa_repro()(1)
    if not any(issubclass(w.category, NumbaIRAssumptionWarning) for w in caught):
        pytest.skip("this numba and Python compile the reproducer without the warning")
    quieted = _numba_ssa_repro()
    _compiled.quiet_compile(quieted)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # as a caller running with warnings as errors
        assert quieted(1) == 2 + -2  # step(1) + step(-1)


def test_every_kernel_compiles_quietly() -> None:
    # a first large call compiles its kernel (cold cache, or a read-only array's signature):
    # gelu_grad printed four NumbaIRAssumptionWarnings there before
    numba = pytest.importorskip("numba")
    from derivations.gradients._fast import _compiled
    if _compiled._load() is None:
        pytest.skip("the compiled kernels are off")
    kernels = [v for name, m in list(sys.modules.items())
               if name.startswith("derivations.gradients._fast._numba")
               for v in vars(m).values() if isinstance(v, numba.core.dispatcher.Dispatcher)]
    assert len(kernels) > 20
    assert all(getattr(k, "_quiet_compiles", False) for k in kernels)


# ----- conv errors name the call as it was made -----


@pytest.mark.parametrize("call", [
    lambda: G.conv2d_grad_input(np.ones((2, 4, 4, 5)), np.ones((4, 3, 3, 2)), (2, 3, 7, 8),
                                stride=2, padding=(1, 2)),
    lambda: G.conv2d_grad_weight(np.ones((2, 3, 7, 8)), np.ones((2, 4, 4, 5)), (4, 3, 3, 2),
                                 stride=2, padding=(1, 2)),
])
def test_conv_gradient_shape_error_names_the_given_geometry(call) -> None:
    # the error named x padded to (2, 3, 9, 12) and "padding 0" for padding=(1, 2)
    with pytest.raises(ValueError, match=r"x has shape \(2, 3, 7, 8\).*padding \(1, 2\).*"
                                         r"expected dout of shape \(2, 4, 4, 6\)"):
        call()


def test_conv_kernel_too_large_names_the_given_padding() -> None:
    # padding (0, 1) is added to x explicitly (it is not the same on all four sides): the
    # error named the padded x and "padding 0"
    with pytest.raises(ValueError, match=r"x has shape \(1, 1, 2, 2\).*padding \(0, 1\).*"
                                         r"must fit in the input"):
        G.conv2d(np.ones((1, 1, 2, 2)), np.ones((1, 1, 4, 4)), padding=(0, 1))
