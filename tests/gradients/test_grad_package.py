"""Package-level contracts: no SymPy on import, the claim map, float32 for every function."""

from __future__ import annotations

import dataclasses
import inspect
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import derivations.gradients as G

ROOT = Path(__file__).resolve().parents[2]


def test_import_does_not_pull_sympy_or_numba():
    # numba (~0.3 s to import) loads on the first large input, not on import
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    code = (
        "import derivations.gradients as G, sys\n"
        "assert 'sympy' not in sys.modules, 'sympy loaded'\n"
        "assert 'numba' not in sys.modules, 'numba loaded'\n"
        "G.softmax([[1.0, 2.0]])\n"  # small: the NumPy path
        "assert 'numba' not in sys.modules, 'numba loaded for a small input'\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_claim_ids_match_docstrings_and_exports():
    functions = {n for n in G.__all__ if inspect.isfunction(getattr(G, n))}
    assert set(G.CLAIM_IDS) == functions
    for name, ids in G.CLAIM_IDS.items():
        doc = inspect.getdoc(getattr(G, name))
        match = re.search(r"Claims: (.+?)(?:\n\n|\Z)", doc, re.S)
        assert match, f"{name} has no 'Claims:' line"
        stated = tuple(i.strip() for i in match.group(1).replace("\n", " ").split(","))
        assert stated == ids, (name, stated, ids)
        assert all(re.fullmatch(r"[a-z_]+\.[a-z0-9_]+", i) for i in ids), ids


def _float32_calls():
    rng = np.random.default_rng(0)

    def f(*shape):
        return rng.standard_normal(shape).astype(np.float32)

    X, y, th = f(6, 3), (f(6) > 0).astype(np.float32), f(3)
    lab = np.array([0, 1, 2, 1, 0, 2])
    Z, W, V = f(6, 3), f(3, 4), f(4, 3)
    x4, w4 = f(2, 3, 6, 6), f(4, 3, 3, 3)
    out4 = np.ones((2, 4, 4, 4), np.float32)
    pool_up = np.ones((2, 3, 3, 3), np.float32)
    W1, b1, W2, b2, Y = f(5, 3), f(5), f(2, 5), f(2), f(6, 2)
    _, cache = G.batchnorm_forward(X, th, th)
    _, ln_cache = G.layernorm_forward(X, th, th)
    P = G.softmax(Z)
    mask = rng.random(X.shape) > 0.5
    s, pm = f(6), np.array([1, -1, 1, 1, -1, -1], np.float32)
    cov = np.stack([np.eye(3, dtype=np.float32)] * 2)
    mix = (X, np.array([0.25, 0.75], np.float32), f(2, 3), cov)
    return {
        "linear_regression_loss": lambda: G.linear_regression_loss(X, y, th),
        "linear_regression_grad": lambda: G.linear_regression_grad(X, y, th),
        "normal_equation": lambda: G.normal_equation(X, y),
        "ridge_loss": lambda: G.ridge_loss(X, y, th, np.float64(0.1)),
        "ridge_grad": lambda: G.ridge_grad(X, y, th, 0.1),
        "lasso_loss": lambda: G.lasso_loss(X, y, th, 0.1),
        "lasso_subgrad": lambda: G.lasso_subgrad(X, y, th, 0.1),
        "sigmoid": lambda: G.sigmoid(X),
        "logistic_loss": lambda: G.logistic_loss(X, y, th),
        "logistic_grad": lambda: G.logistic_grad(X, y, th),
        "logistic_mse_loss": lambda: G.logistic_mse_loss(X, y, th),
        "logistic_mse_grad": lambda: G.logistic_mse_grad(X, y, th),
        "perceptron_loss": lambda: G.perceptron_loss(X, y, th),
        "perceptron_grad": lambda: G.perceptron_grad(X, y, th),
        "softmax": lambda: G.softmax(Z),
        "log_softmax": lambda: G.log_softmax(Z),
        "softmax_cross_entropy": lambda: G.softmax_cross_entropy(Z, lab),
        "softmax_cross_entropy_grad": lambda: G.softmax_cross_entropy_grad(Z, lab),
        "softmax_regression_loss": lambda: G.softmax_regression_loss(X, Z[:3], lab),
        "softmax_regression_grad": lambda: G.softmax_regression_grad(X, Z[:3], lab),
        "two_layer_forward": lambda: G.two_layer_forward(X, W, V, lab),
        "two_layer_grads": lambda: G.two_layer_grads(X, W, V, lab),
        "linear_weight_grad": lambda: G.linear_weight_grad(Y, X),
        "linear_input_grad": lambda: G.linear_input_grad(W2, Y),
        "relu_backward": lambda: G.relu_backward(X, X),
        "relu_net_forward": lambda: G.relu_net_forward(X, Y, W1, b1, W2, b2),
        "relu_net_grads": lambda: G.relu_net_grads(X, Y, W1, b1, W2, b2),
        "sigmoid_grad": lambda: G.sigmoid_grad(X),
        "tanh_grad": lambda: G.tanh_grad(X),
        "relu": lambda: G.relu(X),
        "relu_grad": lambda: G.relu_grad(X),
        "leaky_relu": lambda: G.leaky_relu(X, np.float64(0.1)),
        "leaky_relu_grad": lambda: G.leaky_relu_grad(X),
        "sgd_step": lambda: G.sgd_step(f(5), f(5), 0.1),
        "momentum_step": lambda: G.momentum_step(f(5), f(5), f(5), 0.1),
        "adagrad_step": lambda: G.adagrad_step(f(5), f(5), f(5) ** 2, 0.1),
        "rmsprop_step": lambda: G.rmsprop_step(f(5), f(5), f(5) ** 2, 0.1),
        "adam_step": lambda: G.adam_step(f(5), f(5), f(5), f(5) ** 2, 3),
        "adam_bias_corrected": lambda: G.adam_bias_corrected(f(5), f(5) ** 2, 3, np.float64(0.9)),
        "batchnorm_forward": lambda: G.batchnorm_forward(X, th, th),
        "batchnorm_backward": lambda: G.batchnorm_backward(X, cache),
        "conv2d": lambda: G.conv2d(x4, w4),
        "conv2d_grad_input": lambda: G.conv2d_grad_input(out4, w4, x4.shape),
        "conv2d_grad_weight": lambda: G.conv2d_grad_weight(x4, out4, w4.shape),
        "conv1d_matrix": lambda: G.conv1d_matrix(th, 7),
        "max_pool2d": lambda: G.max_pool2d(x4[:, :3]),
        "max_pool2d_grad": lambda: G.max_pool2d_grad(pool_up, x4),
        "avg_pool2d": lambda: G.avg_pool2d(x4),
        "avg_pool2d_grad": lambda: G.avg_pool2d_grad(pool_up, x4.shape),
        "gmm_log_likelihood": lambda: G.gmm_log_likelihood(*mix),
        "gmm_responsibilities": lambda: G.gmm_responsibilities(*mix),
        "gelu": lambda: G.gelu(X),
        "gelu_grad": lambda: G.gelu_grad(X, approximate="tanh"),
        "silu": lambda: G.silu(X),
        "silu_grad": lambda: G.silu_grad(X),
        "elu": lambda: G.elu(X, np.float64(0.5)),
        "elu_grad": lambda: G.elu_grad(X),
        "softplus": lambda: G.softplus(X),
        "softplus_grad": lambda: G.softplus_grad(X),
        "layernorm_forward": lambda: G.layernorm_forward(X, th, th),
        "layernorm_backward": lambda: G.layernorm_backward(X, ln_cache),
        "dropout": lambda: G.dropout(X, mask, 0.5),
        "dropout_grad": lambda: G.dropout_grad(X, mask, np.float64(0.5)),
        "huber_loss": lambda: G.huber_loss(y, th[[0, 1, 2, 0, 1, 2]]),
        "huber_grad": lambda: G.huber_grad(y, th[[0, 1, 2, 0, 1, 2]], np.float64(0.5)),
        "l1_loss": lambda: G.l1_loss(X, Z),
        "l1_grad": lambda: G.l1_grad(X, Z),
        "hinge_loss": lambda: G.hinge_loss(s, pm),
        "hinge_grad": lambda: G.hinge_grad(s, pm),
        "kl_divergence": lambda: G.kl_divergence(P, G.log_softmax(X)),
        "kl_divergence_grad": lambda: G.kl_divergence_grad(P, G.log_softmax(X)),
        "cross_entropy": lambda: G.cross_entropy(Z, lab, weight=th ** 2, label_smoothing=0.1),
        "cross_entropy_grad": lambda: G.cross_entropy_grad(Z, P, label_smoothing=0.1),
        "softmax_vjp": lambda: G.softmax_vjp(X, P),
        "log_softmax_vjp": lambda: G.log_softmax_vjp(X, G.log_softmax(Z)),
        "conv2d_grad_bias": lambda: G.conv2d_grad_bias(out4),
        "adamw_step": lambda: G.adamw_step(f(5), f(5), f(5), f(5) ** 2, 3, np.float64(1e-3)),
        "sgd_nesterov_step": lambda: G.sgd_nesterov_step(f(5), f(5), f(5), 0.1, 0.9, 0.01),
        "clip_grad_norm": lambda: (lambda g: (G.clip_grad_norm(g, 0.1), tuple(g))[1])([f(5), f(3)]),
        "nll_loss": lambda: G.nll_loss(G.log_softmax(Z), lab, th ** 2),
        "nll_loss_grad": lambda: G.nll_loss_grad(Z, lab, reduction="none",
                                                 grad_output=np.ones(len(lab), np.float32)),
        "binary_cross_entropy": lambda: G.binary_cross_entropy(P, P[::-1], th ** 2),
        "binary_cross_entropy_grad": lambda: G.binary_cross_entropy_grad(P, P[::-1]),
        "mse_loss": lambda: G.mse_loss(X, Z),
        "mse_grad": lambda: G.mse_grad(X, Z, "none", np.ones(X.shape, np.float32)),
        "smooth_l1_loss": lambda: G.smooth_l1_loss(X, Z, np.float64(0.5)),
        "smooth_l1_grad": lambda: G.smooth_l1_grad(X, Z, 0.5),
        "binary_cross_entropy_with_logits": lambda: G.binary_cross_entropy_with_logits(
            X, P, pos_weight=np.full(X.shape[1], 2.0, np.float32)),
        "binary_cross_entropy_with_logits_grad": lambda: G.binary_cross_entropy_with_logits_grad(
            X, P, th ** 2),
    }


FLOAT32_CALLS = _float32_calls()


def _leaves(result):
    if dataclasses.is_dataclass(result):  # a cache: its arrays (not ε, not the input's shape)
        fields = (getattr(result, f.name) for f in dataclasses.fields(result))
        result = tuple(v for v in fields if isinstance(v, np.ndarray))
    if isinstance(result, tuple):  # including NamedTuples and (out, cache) pairs
        for item in result:
            yield from _leaves(item)
    else:
        yield result


def test_float32_table_covers_every_function():
    assert set(FLOAT32_CALLS) == set(G.CLAIM_IDS)


@pytest.mark.parametrize("name", sorted(FLOAT32_CALLS))
def test_float32_in_float32_out(name):
    leaves = list(_leaves(FLOAT32_CALLS[name]()))
    assert leaves
    for leaf in leaves:
        assert np.asarray(leaf).dtype == np.float32, (name, np.asarray(leaf).dtype)
