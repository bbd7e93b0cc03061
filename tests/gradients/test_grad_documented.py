"""What the gradient library documents, checked mechanically against what it does: the claim
ids each public function declares exist in the catalogue as claims expected to hold (so
`derivcheck verify` proves them), each docstring's "Claims:" line says the same, and the
defaults the README calls torch's are those of torch's functional form (read from torch's
own signatures where it has them)."""

from __future__ import annotations

import inspect
from typing import Any

import pytest

import derivations.gradients as G
from derivations import catalogue

pytestmark = pytest.mark.one_path  # signatures and the catalogue: no kernel path involved

CATALOGUE = {entry.id: entry for entry in catalogue()}
PUBLIC = [name for name in G.__all__ if inspect.isfunction(getattr(G, name))]


def test_every_public_function_declares_its_claims():
    undeclared = [name for name in PUBLIC if not getattr(getattr(G, name), "__claims__", ())]
    assert not undeclared, f"public functions without @implements: {undeclared}"
    assert sorted(G.CLAIM_IDS) == sorted(PUBLIC)


@pytest.mark.parametrize("name", PUBLIC)
def test_declared_claims_exist_and_are_expected_to_hold(name: str):
    """Each id of @implements names a catalogue claim that is expected to hold outright (no
    condition, no xfail): a claim expected to be refuted, to hold only conditionally or to
    fail would not vouch for the function."""
    for claim_id in G.CLAIM_IDS[name]:
        assert claim_id in CATALOGUE, f"{name} declares {claim_id}, not in the catalogue"
        entry = CATALOGUE[claim_id]
        assert entry.expect.outcome == "holds" and entry.expect.condition is None, \
            (name, claim_id, entry.expect)
        assert not entry.xfail, (name, claim_id, entry.xfail)


@pytest.mark.parametrize("name", PUBLIC)
def test_docstring_names_the_declared_claims(name: str):
    fn = getattr(G, name)
    lines = [line for line in (fn.__doc__ or "").splitlines() if line.startswith("Claims: ")]
    assert lines == [f"Claims: {', '.join(fn.__claims__)}"], name


def _defaults(fn: Any) -> dict[str, Any]:
    return {p.name: p.default for p in inspect.signature(fn).parameters.values()
            if p.default is not inspect.Parameter.empty}


torch = pytest.importorskip("torch")
F = torch.nn.functional
optim = torch.optim

# (library function, torch's function or None where torch's is a builtin without a signature,
# {library parameter: torch parameter}, torch's documented defaults for the builtins)
SAME_DEFAULTS = [
    ("elu", F.elu, {"alpha": "alpha"}, {}),
    ("elu_grad", F.elu, {"alpha": "alpha"}, {}),
    ("leaky_relu", F.leaky_relu, {"negative_slope": "negative_slope"}, {}),
    ("leaky_relu_grad", F.leaky_relu, {"negative_slope": "negative_slope"}, {}),
    ("gelu", None, {"approximate": "approximate"}, {"approximate": "none"}),
    ("gelu_grad", None, {"approximate": "approximate"}, {"approximate": "none"}),
    ("softplus", None, {"beta": "beta"}, {"beta": 1.0}),  # threshold: a stated difference
    ("huber_loss", F.huber_loss, {"delta": "delta", "reduction": "reduction",
                                  "weight": "weight"}, {}),
    ("huber_grad", F.huber_loss, {"delta": "delta", "reduction": "reduction",
                                  "weight": "weight"}, {}),
    ("smooth_l1_loss", F.smooth_l1_loss, {"beta": "beta", "reduction": "reduction"}, {}),
    ("smooth_l1_grad", F.smooth_l1_loss, {"beta": "beta", "reduction": "reduction"}, {}),
    ("mse_loss", F.mse_loss, {"reduction": "reduction", "weight": "weight"}, {}),
    ("mse_grad", F.mse_loss, {"reduction": "reduction", "weight": "weight"}, {}),
    ("l1_loss", F.l1_loss, {"reduction": "reduction", "weight": "weight"}, {}),
    ("l1_grad", F.l1_loss, {"reduction": "reduction", "weight": "weight"}, {}),
    ("kl_divergence", F.kl_div, {"log_target": "log_target"}, {}),  # 'batchmean': stated
    ("cross_entropy", F.cross_entropy, {"weight": "weight", "ignore_index": "ignore_index",
                                        "label_smoothing": "label_smoothing",
                                        "reduction": "reduction"}, {}),
    ("cross_entropy_grad", F.cross_entropy, {"weight": "weight", "ignore_index": "ignore_index",
                                             "label_smoothing": "label_smoothing",
                                             "reduction": "reduction"}, {}),
    ("nll_loss", F.nll_loss, {"weight": "weight", "ignore_index": "ignore_index",
                              "reduction": "reduction"}, {}),
    ("binary_cross_entropy", F.binary_cross_entropy, {"weight": "weight",
                                                      "reduction": "reduction"}, {}),
    ("binary_cross_entropy_with_logits", F.binary_cross_entropy_with_logits,
     {"weight": "weight", "reduction": "reduction", "pos_weight": "pos_weight"}, {}),
    ("conv2d", None, {"stride": "stride", "padding": "padding", "dilation": "dilation",
                      "bias": "bias", "groups": "groups"},
     {"stride": 1, "padding": 0, "dilation": 1, "bias": None, "groups": 1}),
    ("max_pool2d", None, {"stride": "stride", "padding": "padding", "dilation": "dilation",
                          "ceil_mode": "ceil_mode", "return_indices": "return_indices"},
     {"stride": None, "padding": 0, "dilation": 1, "ceil_mode": False,
      "return_indices": False}),
    ("avg_pool2d", None, {"stride": "stride", "padding": "padding", "ceil_mode": "ceil_mode",
                          "count_include_pad": "count_include_pad",
                          "divisor_override": "divisor_override"},
     {"stride": None, "padding": 0, "ceil_mode": False, "count_include_pad": True,
      "divisor_override": None}),
    ("batchnorm_forward", F.batch_norm, {"gamma": "weight", "beta": "bias", "eps": "eps",
                                         "momentum": "momentum"}, {}),
    ("layernorm_forward", F.layer_norm, {"gamma": "weight", "beta": "bias", "eps": "eps"}, {}),
    ("clip_grad_norm", torch.nn.utils.clip_grad_norm_,
     {"norm_type": "norm_type", "error_if_nonfinite": "error_if_nonfinite"}, {}),
    ("adam_step", optim.Adam.__init__, {"lr": "lr", "eps": "eps", "weight_decay": "weight_decay",
                                        "amsgrad": "amsgrad", "maximize": "maximize",
                                        "decoupled_weight_decay": "decoupled_weight_decay"}, {}),
    ("adamw_step", optim.AdamW.__init__, {"lr": "lr", "eps": "eps",
                                          "weight_decay": "weight_decay", "amsgrad": "amsgrad",
                                          "maximize": "maximize"}, {}),
    ("rmsprop_step", optim.RMSprop.__init__, {"beta": "alpha", "eps": "eps",
                                              "weight_decay": "weight_decay",
                                              "momentum": "momentum", "centered": "centered",
                                              "maximize": "maximize"}, {}),
    ("adagrad_step", optim.Adagrad.__init__, {"eps": "eps", "weight_decay": "weight_decay",
                                              "lr_decay": "lr_decay", "maximize": "maximize"},
     {}),
    ("sgd_step", optim.SGD.__init__, {"weight_decay": "weight_decay", "maximize": "maximize"},
     {}),
    ("momentum_step", optim.SGD.__init__, {"weight_decay": "weight_decay", "maximize": "maximize",
                                           "dampening": "dampening", "nesterov": "nesterov"},
     {}),
]


@pytest.mark.parametrize("name, theirs, names, builtin", SAME_DEFAULTS,
                         ids=[row[0] for row in SAME_DEFAULTS])
def test_defaults_are_torchs(name, theirs, names, builtin):
    ours = _defaults(getattr(G, name))
    torchs = builtin if theirs is None else _defaults(theirs)
    for mine, their_name in names.items():
        assert mine in ours, f"{name} has no default for {mine}"
        assert ours[mine] == torchs[their_name], (name, mine, ours[mine], torchs[their_name])


def test_adam_betas_are_torchs():
    betas = _defaults(optim.Adam.__init__)["betas"]
    for name in ("adam_step", "adamw_step", "adam_bias_corrected"):
        ours = _defaults(getattr(G, name))
        assert (ours["beta1"], ours["beta2"]) == betas, name
