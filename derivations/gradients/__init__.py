"""The verified NumPy gradient library: one module per topic of the catalogue.

NumPy only (no SymPy), vectorised, dtype-preserving (float32 in, float32 out), numerically
stable, with shape-checked arguments (``ValueError`` naming the argument). Conventions: X is
N × d with samples as rows, parameter vectors are 1-D, labels are integer class indices,
losses are means over samples unless a docstring says otherwise (a mean over an empty batch is
a ``ValueError``; a sum over one is 0, and a result per sample is empty).

Dtypes: a result has NumPy's promotion of the floating array arguments, all of them (float32
logits with float64 class weights, a float64 bias or a float64 upstream gradient give
float64); integer and boolean arrays (labels, masks, integer data) do not widen it, and
integers alone give float64 (a boolean array as the input of relu, leaky_relu, elu, gelu, silu,
softplus, their derivatives, softmax or log_softmax is refused, as torch refuses a bool tensor
there). Hyper-parameters never widen it (a NumPy float64 scalar or 0-d array keeps float32
data float32), and an optimizer step keeps the parameters' dtype (it works in place).
A 0-d input (a Python number too) gives a 0-d array, as it would be a 0-d tensor in torch.

Each topic module holds the reference formulas, written as their docstrings state them; the
tuned versions of some of them live in ``_fast`` (see its front page), which a reference
function hands off to when it applies. Each function declares the catalogue claims it
implements (``@implements``, in ``_claims.py``); ``CLAIM_IDS`` collects them.
"""

from __future__ import annotations

from ._claims import claim_ids
from .activations import (
    elu,
    elu_grad,
    gelu,
    gelu_grad,
    leaky_relu,
    leaky_relu_grad,
    relu,
    relu_grad,
    sigmoid_grad,
    silu,
    silu_grad,
    softplus,
    softplus_grad,
    tanh_grad,
)
from .classification import (
    binary_cross_entropy,
    binary_cross_entropy_grad,
    binary_cross_entropy_with_logits,
    binary_cross_entropy_with_logits_grad,
    cross_entropy,
    cross_entropy_grad,
    hinge_grad,
    hinge_loss,
    log_softmax,
    log_softmax_vjp,
    logistic_grad,
    logistic_loss,
    logistic_mse_grad,
    logistic_mse_loss,
    nll_loss,
    nll_loss_grad,
    perceptron_grad,
    perceptron_loss,
    sigmoid,
    softmax,
    softmax_cross_entropy,
    softmax_cross_entropy_grad,
    softmax_regression_grad,
    softmax_regression_loss,
    softmax_vjp,
)
from .convolution import (
    avg_pool2d,
    avg_pool2d_grad,
    conv1d_matrix,
    conv2d,
    conv2d_grad_bias,
    conv2d_grad_input,
    conv2d_grad_weight,
    max_pool2d,
    max_pool2d_grad,
)
from .mixtures import (
    gmm_log_likelihood,
    gmm_responsibilities,
)
from .networks import (
    ReluNetForward,
    ReluNetGrads,
    TwoLayerForward,
    dropout,
    dropout_grad,
    linear_input_grad,
    linear_weight_grad,
    relu_backward,
    relu_net_forward,
    relu_net_grads,
    two_layer_forward,
    two_layer_grads,
)
from .normalization import (
    BatchNormCache,
    LayerNormCache,
    batchnorm_backward,
    batchnorm_forward,
    layernorm_backward,
    layernorm_forward,
)
from .optimizers import (
    adagrad_step,
    adam_bias_corrected,
    adam_step,
    adamw_step,
    clip_grad_norm,
    momentum_step,
    rmsprop_step,
    sgd_nesterov_step,
    sgd_step,
)
from .probability import (
    kl_divergence,
    kl_divergence_grad,
)
from .regression import (
    huber_grad,
    huber_loss,
    l1_grad,
    l1_loss,
    lasso_loss,
    lasso_subgrad,
    linear_regression_grad,
    linear_regression_loss,
    mse_grad,
    mse_loss,
    normal_equation,
    ridge_grad,
    ridge_loss,
    smooth_l1_grad,
    smooth_l1_loss,
)

# Public function → the catalogue claim ids it implements, from each function's @implements.
CLAIM_IDS: dict[str, tuple[str, ...]] = claim_ids()

__all__ = [
    "BatchNormCache",
    "CLAIM_IDS",
    "LayerNormCache",
    "ReluNetForward",
    "ReluNetGrads",
    "TwoLayerForward",
    "adagrad_step",
    "adam_bias_corrected",
    "adam_step",
    "adamw_step",
    "avg_pool2d",
    "avg_pool2d_grad",
    "batchnorm_backward",
    "binary_cross_entropy",
    "binary_cross_entropy_grad",
    "binary_cross_entropy_with_logits",
    "binary_cross_entropy_with_logits_grad",
    "batchnorm_forward",
    "clip_grad_norm",
    "conv1d_matrix",
    "conv2d",
    "conv2d_grad_bias",
    "conv2d_grad_input",
    "conv2d_grad_weight",
    "cross_entropy",
    "cross_entropy_grad",
    "dropout",
    "dropout_grad",
    "elu",
    "elu_grad",
    "gelu",
    "gelu_grad",
    "gmm_log_likelihood",
    "gmm_responsibilities",
    "hinge_grad",
    "hinge_loss",
    "huber_grad",
    "huber_loss",
    "kl_divergence",
    "kl_divergence_grad",
    "l1_grad",
    "l1_loss",
    "lasso_loss",
    "lasso_subgrad",
    "layernorm_backward",
    "layernorm_forward",
    "leaky_relu",
    "leaky_relu_grad",
    "linear_input_grad",
    "linear_regression_grad",
    "linear_regression_loss",
    "linear_weight_grad",
    "log_softmax",
    "log_softmax_vjp",
    "logistic_grad",
    "logistic_loss",
    "logistic_mse_grad",
    "logistic_mse_loss",
    "max_pool2d",
    "max_pool2d_grad",
    "momentum_step",
    "mse_grad",
    "mse_loss",
    "nll_loss",
    "nll_loss_grad",
    "normal_equation",
    "perceptron_grad",
    "perceptron_loss",
    "relu",
    "relu_backward",
    "relu_grad",
    "relu_net_forward",
    "relu_net_grads",
    "ridge_grad",
    "ridge_loss",
    "rmsprop_step",
    "sgd_nesterov_step",
    "sgd_step",
    "sigmoid",
    "sigmoid_grad",
    "silu",
    "silu_grad",
    "smooth_l1_grad",
    "smooth_l1_loss",
    "softmax",
    "softmax_cross_entropy",
    "softmax_cross_entropy_grad",
    "softmax_regression_grad",
    "softmax_regression_loss",
    "softmax_vjp",
    "softplus",
    "softplus_grad",
    "tanh_grad",
    "two_layer_forward",
    "two_layer_grads",
]
