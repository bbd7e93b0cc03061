"""The verified NumPy gradient library: one module per topic of the catalogue.

NumPy only (no SymPy), vectorised, dtype-preserving (float32 in, float32 out),
numerically stable, with shape-checked arguments (``ValueError`` naming the
argument). Conventions: X is N × d with samples as rows, parameter vectors are
1-D, labels are integer class indices, losses are means over samples unless a
docstring says otherwise. Each docstring states its formula and the catalogue
claims it implements; ``CLAIM_IDS`` collects them.
"""

from __future__ import annotations

from .activations import leaky_relu, leaky_relu_grad, relu, relu_grad, sigmoid_grad, tanh_grad
from .classification import (
    log_softmax,
    logistic_grad,
    logistic_loss,
    logistic_mse_grad,
    logistic_mse_loss,
    perceptron_grad,
    perceptron_loss,
    sigmoid,
    softmax,
    softmax_cross_entropy,
    softmax_cross_entropy_grad,
    softmax_regression_grad,
    softmax_regression_loss,
)
from .convolution import (
    avg_pool2d,
    avg_pool2d_grad,
    conv1d_matrix,
    conv2d,
    conv2d_grad_input,
    conv2d_grad_weight,
    max_pool2d,
    max_pool2d_grad,
)
from .mixtures import gmm_log_likelihood, gmm_responsibilities
from .networks import (
    ReluNetForward,
    ReluNetGrads,
    TwoLayerForward,
    linear_input_grad,
    linear_weight_grad,
    relu_backward,
    relu_net_forward,
    relu_net_grads,
    two_layer_forward,
    two_layer_grads,
)
from .normalization import BatchNormCache, batchnorm_backward, batchnorm_forward
from .optimizers import (
    adagrad_step,
    adam_bias_corrected,
    adam_step,
    momentum_step,
    rmsprop_step,
    sgd_step,
)
from .regression import (
    lasso_loss,
    lasso_subgrad,
    linear_regression_grad,
    linear_regression_loss,
    normal_equation,
    ridge_grad,
    ridge_loss,
)

# Public function → the catalogue claim ids (topic module + dotted name) it
# implements; each docstring's "Claims:" line says the same.
CLAIM_IDS: dict[str, tuple[str, ...]] = {
    # regression
    "linear_regression_loss": (
        "regression.linear_regression_gradient",
        "regression.linear_regression_loss",
    ),
    "linear_regression_grad": ("regression.linear_regression_gradient",),
    "normal_equation": ("regression.normal_equation", "regression.normal_equation_solution"),
    "ridge_loss": ("regression.ridge_gradient", "regression.ridge_loss"),
    "ridge_grad": ("regression.ridge_gradient",),
    "lasso_loss": ("regression.lasso_subgradient", "regression.lasso_loss"),
    "lasso_subgrad": ("regression.lasso_subgradient",),
    # classification
    "sigmoid": ("classification.sigmoid_one_minus",),
    "logistic_loss": (
        "classification.logistic_cross_entropy_gradient",
        "classification.logistic_cross_entropy_loss",
    ),
    "logistic_grad": ("classification.logistic_cross_entropy_gradient",),
    "logistic_mse_loss": (
        "classification.logistic_mse_gradient",
        "classification.logistic_mse_loss",
    ),
    "logistic_mse_grad": ("classification.logistic_mse_gradient", "activations.sigmoid_derivative"),
    "perceptron_loss": ("classification.perceptron_gradient", "classification.perceptron_loss"),
    "perceptron_grad": (
        "classification.perceptron_gradient",
        "classification.perceptron_gradient_piecewise",
    ),
    "softmax": (
        "classification.softmax_log_likelihood_gradient",
        "classification.softmax_shift_invariance",
    ),
    "log_softmax": ("classification.softmax_log_likelihood_gradient", "classification.log_softmax"),
    "softmax_cross_entropy": (
        "classification.softmax_log_likelihood_gradient",
        "classification.softmax_cross_entropy",
    ),
    "softmax_cross_entropy_grad": (
        "classification.softmax_log_likelihood_gradient",
        "classification.softmax_cross_entropy_logit_gradient",
    ),
    "softmax_regression_loss": (
        "classification.softmax_log_likelihood_gradient",
        "classification.softmax_regression_loss",
    ),
    "softmax_regression_grad": ("classification.softmax_log_likelihood_gradient",),
    # networks
    "two_layer_forward": (
        "networks.ann_output_weight_gradient_matrix",
        "networks.ann_hidden_weight_gradient_matrix",
        "networks.ann_batch_loss",
    ),
    "two_layer_grads": (
        "networks.ann_output_weight_gradient_matrix",
        "networks.ann_hidden_weight_gradient_matrix",
    ),
    "linear_weight_grad": ("networks.relu_net_weight_grad_lemma",),
    "linear_input_grad": ("networks.relu_net_input_grad_lemma",),
    "relu_backward": ("networks.relu_net_relu_grad_lemma", "activations.relu_derivative"),
    "relu_net_forward": (
        "networks.relu_net_weight_grad_lemma",
        "networks.relu_net_input_grad_lemma",
        "networks.relu_net_relu_grad_lemma",
        "networks.relu_net_batch_loss",
    ),
    "relu_net_grads": (
        "networks.relu_net_weight_grad_lemma",
        "networks.relu_net_input_grad_lemma",
        "networks.relu_net_relu_grad_lemma",
        "networks.relu_net_first_layer_weight_gradient",
        "networks.relu_net_batch_output_weight_gradient",
    ),
    # activations
    "sigmoid_grad": (
        "activations.sigmoid_derivative",
        "activations.sigmoid_derivative_elementwise",
    ),
    "tanh_grad": ("activations.tanh_derivative", "activations.tanh_derivative_elementwise"),
    "relu": ("activations.relu_derivative", "activations.relu_via_abs"),
    "relu_grad": ("activations.relu_derivative", "activations.relu_derivative_elementwise"),
    "leaky_relu": ("activations.leaky_relu_derivative", "activations.leaky_relu_via_abs"),
    "leaky_relu_grad": (
        "activations.leaky_relu_derivative",
        "activations.leaky_relu_derivative_elementwise",
    ),
    # optimizers
    "sgd_step": ("optimizers.sgd_step",),
    "momentum_step": ("optimizers.momentum_step",),
    "adagrad_step": ("optimizers.adagrad_step", "optimizers.adagrad_step_nonnegative_accumulator"),
    "rmsprop_step": ("optimizers.rmsprop_step", "optimizers.rmsprop_step_nonnegative_average"),
    "adam_step": ("optimizers.adam_bias_correction", "optimizers.adam_step_constant_gradient"),
    "adam_bias_corrected": ("optimizers.adam_bias_correction",),
    # normalization
    "batchnorm_forward": (
        "normalization.batchnorm_mean_zero",
        "normalization.batchnorm_unit_variance",
        "normalization.batchnorm_forward_columns",
    ),
    "batchnorm_backward": ("normalization.batchnorm_input_gradient",),
    # convolution
    "conv2d": (
        "convolution.conv_output_size",
        "convolution.conv_output_size_stride",
        "convolution.conv_layer_output_shape_valid",
    ),
    "conv2d_grad_input": (
        "convolution.conv_input_gradient_full_convolution",
        "convolution.conv_input_gradient_full_convolution_2d",
    ),
    "conv2d_grad_weight": ("convolution.conv_weight_gradient_valid_correlation",),
    "conv1d_matrix": (
        "convolution.conv1d_banded_matrix",
        "convolution.conv1d_banded_matrix_is_jacobian",
    ),
    "max_pool2d": ("convolution.max_pool_gradient", "convolution.max_pool_running_maximum"),
    "max_pool2d_grad": ("convolution.max_pool_gradient", "convolution.max_pool_layer_gradient"),
    "avg_pool2d": ("convolution.avg_pool_gradient", "convolution.avg_pool_strided_correlation"),
    "avg_pool2d_grad": ("convolution.avg_pool_gradient",),
    # mixtures
    "gmm_log_likelihood": (
        "probability.gmm_weights_sum_to_one",
        "probability.gmm_log_likelihood",
        "probability.gmm_total_log_likelihood",
    ),
    "gmm_responsibilities": (
        "probability.gmm_weights_sum_to_one",
        "probability.gmm_responsibilities_sum_to_one",
        "probability.gmm_responsibilities",
    ),
}

__all__ = [
    "CLAIM_IDS",
    "BatchNormCache",
    "ReluNetForward",
    "ReluNetGrads",
    "TwoLayerForward",
    "adagrad_step",
    "adam_bias_corrected",
    "adam_step",
    "avg_pool2d",
    "avg_pool2d_grad",
    "batchnorm_backward",
    "batchnorm_forward",
    "conv1d_matrix",
    "conv2d",
    "conv2d_grad_input",
    "conv2d_grad_weight",
    "gmm_log_likelihood",
    "gmm_responsibilities",
    "lasso_loss",
    "lasso_subgrad",
    "leaky_relu",
    "leaky_relu_grad",
    "linear_input_grad",
    "linear_regression_grad",
    "linear_regression_loss",
    "linear_weight_grad",
    "log_softmax",
    "logistic_grad",
    "logistic_loss",
    "logistic_mse_grad",
    "logistic_mse_loss",
    "max_pool2d",
    "max_pool2d_grad",
    "momentum_step",
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
    "sgd_step",
    "sigmoid",
    "sigmoid_grad",
    "softmax",
    "softmax_cross_entropy",
    "softmax_cross_entropy_grad",
    "softmax_regression_grad",
    "softmax_regression_loss",
    "tanh_grad",
    "two_layer_forward",
    "two_layer_grads",
]
