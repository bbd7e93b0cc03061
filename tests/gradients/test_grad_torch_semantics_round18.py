"""Round 18's decisions, without torch (so that CI, which has no torch, keeps them): the
shapes and refusals torch 2.13 gives, as test_torch_crosscheck_round18.py checks against
torch itself. Each failed before its change (see that file's docstring)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

import derivations.gradients as G


def test_layer_norm_over_zero_features_is_empty():
    """torch: layer_norm of (2, 0) over (0,) is (2, 0), its gradients (2, 0), (0,), (0,)."""
    out, cache = G.layernorm_forward(np.zeros((2, 0), np.float32), np.ones(0, np.float32),
                                     np.zeros(0, np.float32))
    assert out.shape == (2, 0) and out.dtype == np.float32
    grads = G.layernorm_backward(np.zeros((2, 0), np.float32), cache)
    assert [(g.shape, g.dtype) for g in grads] == [((2, 0), np.float32), ((0,), np.float32),
                                                   ((0,), np.float32)]


@pytest.mark.one_path  # refused (or converted) before any kernel path is chosen
@pytest.mark.parametrize("call", [
    lambda x: G.max_pool2d(x, 2), lambda x: G.avg_pool2d(x, 2),
    lambda x: G.max_pool2d_grad(np.zeros((*x.shape[:-2], 2, 2)), x, 2),
    lambda x: G.avg_pool2d_grad(np.zeros((*x.shape[:-2], 2, 2)), x.shape, 2),
], ids=["max_pool2d", "avg_pool2d", "max_pool2d_grad", "avg_pool2d_grad"])
def test_pooling_of_zero_channels_refused(call: Callable):
    """torch: 'Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size'."""
    for shape in [(1, 0, 4, 4), (0, 4, 4)]:
        with pytest.raises(ValueError, match="no empty channel, row or column axis"):
            call(np.zeros(shape))
    assert call(np.zeros((0, 2, 4, 4))).shape[0] == 0  # an empty batch: taken


def test_conv2d_of_zero_input_channels_has_torchs_empty_shape():
    """torch: conv2d of (1, 0, 4, 4) by (3, 0, 2, 2) is (1, 0, 3, 3), the bias dropped, and
    its gradients of x and w have x's and w's (empty) shapes."""
    x, w = np.zeros((1, 0, 4, 4), np.float32), np.zeros((3, 0, 2, 2), np.float32)
    out = G.conv2d(x, w, bias=np.ones(3, np.float32))
    assert out.shape == (1, 0, 3, 3) and out.dtype == np.float32
    assert G.conv2d(x[0], w).shape == (0, 3, 3)
    assert G.conv2d_grad_input(out, w, x.shape).shape == x.shape
    assert G.conv2d_grad_weight(x, out, w.shape).shape == w.shape


@pytest.mark.one_path  # refused (or converted) before any kernel path is chosen
@pytest.mark.parametrize("call", [
    lambda: G.conv2d(np.zeros((1, 2, 4, 4)), np.zeros((0, 2, 2, 2))),
    lambda: G.conv2d_grad_input(np.zeros((1, 0, 3, 3)), np.zeros((0, 2, 2, 2)), (1, 2, 4, 4)),
    lambda: G.conv2d_grad_weight(np.zeros((1, 2, 4, 4)), np.zeros((1, 0, 3, 3)), (0, 2, 2, 2)),
], ids=["conv2d", "grad_input", "grad_weight"])
def test_conv2d_of_no_output_channel_refused(call: Callable):
    """torch: 'expected weight to be at least 1 at dimension 0'."""
    with pytest.raises(ValueError, match="no output channel"):
        call()


@pytest.mark.one_path  # refused (or converted) before any kernel path is chosen
@pytest.mark.parametrize("step", [
    lambda p, g: G.sgd_step(p, g, 0.1),
    lambda p, g: G.momentum_step(p, g, np.zeros_like(p), 0.1),
    lambda p, g: G.sgd_nesterov_step(p, g, np.zeros_like(p), 0.1),
    lambda p, g: G.adagrad_step(p, g, np.zeros_like(p), 0.1),
    lambda p, g: G.rmsprop_step(p, g, np.zeros_like(p), 0.1),
    lambda p, g: G.adam_step(p, g, np.zeros_like(p), np.zeros_like(p), 1),
    lambda p, g: G.adamw_step(p, g, np.zeros_like(p), np.zeros_like(p), 1),
], ids=["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw"])
def test_optimizer_gradient_of_another_dtype_refused(step: Callable):
    """torch: 'The gradient must match the tensor's grad_dtype'; nothing is written."""
    params = np.ones(3, np.float32)
    with pytest.raises(ValueError, match="grad has dtype float64 but params float32"):
        step(params, np.full(3, 2.0))
    np.testing.assert_array_equal(params, 1)
    step(params, np.full(3, 2.0, np.float32))
    assert (params != 1).all()


class _CountedArray:
    """An array-like that counts its conversions (each one a copy for a real array-like)."""

    def __init__(self, values: np.ndarray) -> None:
        self.values, self.conversions = values, 0

    def __array__(self, dtype=None, copy=None) -> np.ndarray:
        self.conversions += 1
        return self.values if dtype is None else self.values.astype(dtype)


@pytest.mark.one_path  # refused (or converted) before any kernel path is chosen
@pytest.mark.parametrize("fn", [G.relu, G.gelu_grad, G.softmax, G.log_softmax])
def test_boolean_check_converts_the_input_once(fn: Callable):
    """not_boolean converted the input, then floats() converted it again."""
    z = _CountedArray(np.array([[1.0, -2.0, 0.5]]))
    fn(z)
    assert z.conversions == 1


def test_batch_norm_and_linear_over_an_empty_axis_are_empty():
    """torch: batch norm of (2, 0, 3) is (2, 0, 3); a linear layer of no input feature has
    ∂L/∂W of shape (k, 0). Both raised 'cannot reshape array of size 0'."""
    out, cache = G.batchnorm_forward(np.zeros((2, 0, 3), np.float32))
    assert out.shape == (2, 0, 3) and out.dtype == np.float32
    assert G.batchnorm_backward(np.ones((2, 0, 3), np.float32), cache)[0].shape == (2, 0, 3)
    assert G.linear_weight_grad(np.ones((2, 5, 3)), np.zeros((2, 5, 0))).shape == (3, 0)


def test_cross_entropy_of_no_class_with_probability_targets():
    """torch: 'none' (−0, −0), 'sum' −0, 'mean' NaN (refused here, an undefined mean); it
    raised ZeroDivisionError."""
    z = np.zeros((2, 0))
    np.testing.assert_array_equal(G.cross_entropy(z, z, reduction="none"), [0.0, 0.0])
    assert G.cross_entropy(z, z, reduction="sum", label_smoothing=0.1) == 0
    with pytest.raises(ValueError, match="no class"):
        G.cross_entropy(z, z)


@pytest.mark.one_path  # refused before any kernel path is chosen
def test_conv2d_of_no_row_or_column_refused_unless_the_input_is_empty():
    """torch: 'Only zero batch or zero channel inputs are supported'; (1, 2, 4, 0) padded by 1
    gave zeros of (1, 3, 6, 2)."""
    with pytest.raises(ValueError, match="no row or column"):
        G.conv2d(np.zeros((1, 2, 4, 0)), np.zeros((3, 2, 1, 1)), padding=1)
    assert G.conv2d(np.zeros((0, 2, 0, 4)), np.zeros((3, 2, 1, 1)), padding=1).shape == (
        0, 3, 2, 6)
