"""Speed of derivations.gradients against PyTorch on the CPU, with a roofline.

For each library function, at realistic sizes in float32, this times the NumPy
function and up to three PyTorch versions of the same computation, in one run
with the same thread count: autograd (forward + torch.autograd.grad, or the
backward alone where the NumPy function takes the upstream gradient), a
hand-written torch version of the same formula, and a fused library kernel
where torch has one (F.cross_entropy, native_batch_norm_backward,
torch.nn.grad.conv2d_weight, torch.optim.Adam(fused=True), ...). It also
measures this machine's memory bandwidth (a large array copy) and matmul
GFLOP/s, and prints, per function, the roofline bound: max(compulsory bytes /
bandwidth, flops / peak matmul rate), and how far each side is from it.

Run (torch is a benchmark-only dependency: pip install torch==2.13.0 threadpoolctl):

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE PYTHONPATH=. python benchmarks/gradients.py

``env -u`` clears the OpenBLAS tuning overrides for this command only, so
OpenBLAS picks its kernels for the real CPU; the library and tests never touch
them. ``--quick`` runs tiny sizes as a smoke test; ``--only NAME`` filters
rows by substring; ``--threads N`` sets both NumPy's BLAS and torch (default:
all cores). Never run by the tests.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import resource
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

import derivations.gradients as G

F32 = np.float32


# ----- timing -----
#
# The cores are shared with other processes, so a single timing can be inflated
# by any amount. Every variant of a case is therefore timed in the same loop, for
# a time budget: a burst of outside load then hits numpy and torch alike, and the
# minimum over many short runs approaches the unloaded time; the median is kept
# too, as a check on how noisy the row was.
#
# The two libraries must not time each other's idle threads, though. After a call,
# OpenBLAS's workers spin for ~0.1 s and torch's OpenMP workers for a while too; a
# product timed in that window ran 1.7× slower here (torch after NumPy: 89 ms
# against 45 ms after its own call or after a 0.2 s pause). So each round runs the
# libraries in turn as blocks (NumPy's variant, then all torch variants, the order
# alternating), with a pause between blocks and an untimed call opening each block:
# every timed call follows a call of its own library, as in a loop that uses one.

SETTLE_S = 0.3  # pause between the two libraries' blocks: longer than either one's spin
REPEATS = 3  # timed calls of each variant per block


def interleaved_ms(
    fns: dict[str, Callable[[], object]],
    budget: float,
    min_rounds: int,
    max_rounds: int = 400,
    library: Callable[[str], str] = lambda label: "numpy" if label.startswith("np") else "torch",
) -> dict[str, tuple[float, float]]:
    """{label: (min ms, median ms)} over rounds of per-library blocks, after a warm-up call."""
    samples = interleaved_samples(fns, budget, min_rounds, max_rounds, library)
    return summary_ms(samples)


def summary_ms(samples: dict[str, list[float]]) -> dict[str, tuple[float, float]]:
    return {k: (1e3 * min(v), 1e3 * statistics.median(v)) for k, v in samples.items()}


def interleaved_samples(
    fns: dict[str, Callable[[], object]],
    budget: float,
    min_rounds: int,
    max_rounds: int = 400,
    library: Callable[[str], str] = lambda label: "numpy" if label.startswith("np") else "torch",
    faults: dict[str, list[int]] | None = None,
) -> dict[str, list[float]]:
    """{label: seconds of each timed call}: interleaved_ms's rounds, unsummarised; with
    `faults`, each timed call's minor page faults there too (counted outside the timing)."""
    for fn in fns.values():
        fn()
    blocks: dict[str, list[str]] = {}
    for label in fns:
        blocks.setdefault(library(label), []).append(label)
    groups = list(blocks.values())
    samples: dict[str, list[float]] = {k: [] for k in fns}
    start = time.perf_counter()
    r = 0
    while r < min_rounds or (time.perf_counter() - start < budget and r < max_rounds):
        for g in range(len(groups)):
            labels = groups[(g + r) % len(groups)]
            labels = labels[r % len(labels) :] + labels[: r % len(labels)]
            if len(groups) > 1:
                time.sleep(SETTLE_S)
            fns[labels[0]]()  # untimed: wakes this library's threads
            for k in labels:
                for _ in range(REPEATS):
                    f0 = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
                    t0 = time.perf_counter()
                    fns[k]()
                    samples[k].append(time.perf_counter() - t0)
                    if faults is not None:
                        f1 = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
                        faults.setdefault(k, []).append(f1 - f0)
        r += 1
    return samples


@dataclass
class Case:
    name: str
    numpy: Callable[[], object]
    torch: dict[str, Callable[[], object]]
    bytes: float  # compulsory memory traffic
    flops: float = 0.0
    check: Callable[[], tuple[object, object]] | None = None  # (numpy, torch) results
    results: dict[str, tuple[float, float]] = field(default_factory=dict)
    # minor page faults of each timed call: a fresh 32 MiB array costs ~3 ms of them here
    faults: dict[str, list[int]] = field(default_factory=dict)


def machine_rates(torch, quick: bool, budget: float) -> tuple[float, float]:
    """(copy bandwidth in GB/s counting read + write, matmul GFLOP/s), best of NumPy and torch."""
    n = (1 << 22) if quick else (1 << 26)  # 256 MiB of float32 at full size
    src, dst = np.ones(n, F32), np.empty(n, F32)
    ts, td = torch.from_numpy(src), torch.from_numpy(dst)
    m = 512 if quick else 2048
    a, b = np.ones((m, m), F32), np.ones((m, m), F32)
    ta, tb = torch.from_numpy(a), torch.from_numpy(b)
    t = interleaved_ms(
        {
            "np copy": lambda: np.copyto(dst, src),
            "torch copy": lambda: td.copy_(ts),
            "np matmul": lambda: a @ b,
            "torch matmul": lambda: ta @ tb,
        },
        budget,
        min_rounds=5,
    )
    copy_ms = min(t["np copy"][0], t["torch copy"][0])
    mm_ms = min(t["np matmul"][0], t["torch matmul"][0])
    return 2 * 4 * n / copy_ms / 1e6, 2 * m**3 / mm_ms / 1e6


# ----- cases -----


def rnd(rng, *shape, scale=1.0):
    return (rng.standard_normal(shape) * scale).astype(F32)


def regression_cases(torch, F, rng, n, d):
    X, y, th = rnd(rng, n, d), rnd(rng, n), rnd(rng, d, scale=0.05)
    yb = (rng.random(n) < 0.5).astype(F32)
    tX, ty, tyb, tth = (torch.from_numpy(a) for a in (X, y, yb, th))
    tthg = tth.clone().requires_grad_(True)
    nbytes, flops = 4 * n * d, 4 * n * d  # X read once (a fused pass), two mat-vecs

    def lin_auto():
        r = tX @ tthg - ty
        return torch.autograd.grad((r * r).mean(), tthg)[0]

    def lin_mse():
        return torch.autograd.grad(F.mse_loss(tX @ tthg, ty), tthg)[0]

    def lin_hand():
        return tX.T @ (tX @ tth - ty) * (2 / n)

    def log_auto():
        u = tX @ tthg
        loss = (torch.logaddexp(torch.zeros_like(u), u) - tyb * u).mean()
        return torch.autograd.grad(loss, tthg)[0]

    def log_bce():
        return torch.autograd.grad(F.binary_cross_entropy_with_logits(tX @ tthg, tyb), tthg)[0]

    def log_hand():
        return tX.T @ (torch.sigmoid(tX @ tth) - tyb) / n

    return [
        Case(
            "linear_regression_grad",
            lambda: G.linear_regression_grad(X, y, th),
            {"autograd": lin_auto, "F.mse_loss": lin_mse, "hand": lin_hand},
            nbytes,
            flops,
            lambda: (G.linear_regression_grad(X, y, th), lin_hand()),
        ),
        Case(
            "logistic_grad",
            lambda: G.logistic_grad(X, yb, th),
            {"autograd": log_auto, "F.bce_logits": log_bce, "hand": log_hand},
            nbytes,
            flops,
            lambda: (G.logistic_grad(X, yb, th), log_hand()),
        ),
    ]


def softmax_cases(torch, F, rng, n, c, d):
    Z, lab = rnd(rng, n, c, scale=3), rng.integers(0, c, n)
    X, W = rnd(rng, n, d), rnd(rng, d, c, scale=0.05)
    tZ, tlab, tX, tW = (torch.from_numpy(a) for a in (Z, lab, X, W))
    tZg, tWg = tZ.clone().requires_grad_(True), tW.clone().requires_grad_(True)
    rows = torch.arange(n)

    def ce_fused():
        return torch.autograd.grad(F.cross_entropy(tZg, tlab), tZg)[0]

    def ce_auto():
        return torch.autograd.grad(-torch.log_softmax(tZg, 1)[rows, tlab].mean(), tZg)[0]

    def ce_hand():
        p = torch.softmax(tZ, 1)
        p[rows, tlab] -= 1
        return p.div_(n)

    def sr_fused():
        return torch.autograd.grad(F.cross_entropy(tX @ tWg, tlab), tWg)[0]

    def sr_hand():
        p = torch.softmax(tX @ tW, 1)
        p[rows, tlab] -= 1
        return tX.T @ p.div_(n)

    zbytes = 4 * n * c
    return [
        Case(
            "softmax",
            lambda: G.softmax(Z),
            {"torch.softmax": lambda: torch.softmax(tZ, 1)},
            2 * zbytes,
            check=lambda: (G.softmax(Z), torch.softmax(tZ, 1)),
        ),
        Case(
            "softmax_cross_entropy_grad",
            lambda: G.softmax_cross_entropy_grad(Z, lab),
            {"F.cross_entropy": ce_fused, "autograd": ce_auto, "hand": ce_hand},
            2 * zbytes,
            check=lambda: (G.softmax_cross_entropy_grad(Z, lab), ce_hand()),
        ),
        Case(
            "softmax_regression_grad",
            lambda: G.softmax_regression_grad(X, W, lab),
            {"F.cross_entropy": sr_fused, "hand": sr_hand},
            4 * (n * d + 2 * d * c),
            4 * n * d * c,
            lambda: (G.softmax_regression_grad(X, W, lab), sr_hand()),
        ),
    ]


def network_cases(torch, F, rng, n, m, h, c):
    X, lab = rnd(rng, n, m), rng.integers(0, c, n)
    W, V = rnd(rng, m, h, scale=m**-0.5), rnd(rng, h, c, scale=h**-0.5)
    W1, b1 = rnd(rng, h, m, scale=m**-0.5), rnd(rng, h)
    W2, b2, Y = rnd(rng, c, h, scale=h**-0.5), rnd(rng, c), rnd(rng, n, c)
    t = {
        k: torch.from_numpy(v)
        for k, v in dict(X=X, lab=lab, W=W, V=V, W1=W1, b1=b1, W2=W2, b2=b2, Y=Y).items()
    }
    g = {k: t[k].clone().requires_grad_(True) for k in ("W", "V", "W1", "b1", "W2", "b2")}
    rows = torch.arange(n)

    def ann_auto():
        loss = F.cross_entropy(torch.sigmoid(t["X"] @ g["W"]) @ g["V"], t["lab"])
        return torch.autograd.grad(loss, (g["W"], g["V"]))

    def ann_hand():
        Z = torch.sigmoid(t["X"] @ t["W"])
        D = torch.softmax(Z @ t["V"], 1)
        D[rows, t["lab"]] -= 1
        D /= n
        H = (D @ t["V"].T).mul_(Z).mul_(1 - Z)
        return t["X"].T @ H, Z.T @ D

    def relu_auto():
        out = F.linear(torch.relu(F.linear(t["X"], g["W1"], g["b1"])), g["W2"], g["b2"])
        loss = 0.5 * ((out - t["Y"]) ** 2).sum() / n
        return torch.autograd.grad(loss, (g["W1"], g["b1"], g["W2"], g["b2"]))

    def relu_hand():
        Z = torch.addmm(t["b1"], t["X"], t["W1"].T)
        A = torch.relu(Z)
        d2 = torch.addmm(t["b2"], A, t["W2"].T).sub_(t["Y"]).div_(n)
        d1 = (d2 @ t["W2"]).mul_(Z > 0)
        return d1.T @ t["X"], d1.sum(0), d2.T @ A, d2.sum(0)

    flops = 2 * 2 * n * m * h + 4 * n * h * c  # XW and its weight gradient dominate
    nbytes = 4 * (n * m + 2 * m * h)
    return [
        Case(
            "two_layer_grads",
            lambda: G.two_layer_grads(X, W, V, lab),
            {"autograd": ann_auto, "hand": ann_hand},
            nbytes,
            flops + 2 * n * h * c,
            lambda: (G.two_layer_grads(X, W, V, lab), ann_hand()),
        ),
        Case(
            "relu_net_grads",
            lambda: G.relu_net_grads(X, Y, W1, b1, W2, b2),
            {"autograd": relu_auto, "hand": relu_hand},
            nbytes,
            flops,
            lambda: (G.relu_net_grads(X, Y, W1, b1, W2, b2), relu_hand()),
        ),
    ]


def conv_cases(torch, F, rng, n, c, hw, o, k):
    x, w = rnd(rng, n, c, hw, hw), rnd(rng, o, c, k, k, scale=(c * k * k) ** -0.5)
    ho = hw - k + 1
    dout = rnd(rng, n, o, ho, ho)
    tx, tw, td = (torch.from_numpy(a) for a in (x, w, dout))
    txg, twg = tx.clone().requires_grad_(True), tw.clone().requires_grad_(True)
    out_g = F.conv2d(txg, twg)
    grad = torch.nn.grad
    pdout = rnd(rng, n, c, hw // 2, hw // 2)
    tpd = torch.from_numpy(pdout)
    mp_out = F.max_pool2d(txg, 2)
    ap_out = F.avg_pool2d(txg, 2)
    _, where = G.max_pool2d(x, 2, return_indices=True)
    _, twhere = F.max_pool2d(tx, 2, return_indices=True)

    def conv_hand():  # unfold (im2col) + one matmul
        cols = F.unfold(tx, k)  # (N, C·k·k, P)
        return (tw.reshape(o, -1) @ cols).reshape(n, o, ho, ho)

    def gw_hand():
        cols = F.unfold(tx, k)
        return (td.reshape(n, o, -1) @ cols.transpose(1, 2)).sum(0).reshape(w.shape)

    def gi_hand():
        cols = tw.reshape(o, -1).T @ td.reshape(n, o, -1)
        return F.fold(cols, (hw, hw), k)

    def mp_fused():
        out, idx = F.max_pool2d(tx, 2, return_indices=True)
        return torch.ops.aten.max_pool2d_with_indices_backward(
            tpd, tx, [2, 2], [2, 2], [0, 0], [1, 1], False, idx
        )

    flops = 2 * n * o * ho * ho * c * k * k
    xb, ob, wb = 4 * x.size, 4 * dout.size, 4 * w.size
    return [
        Case(
            "conv2d",
            lambda: G.conv2d(x, w),
            {"F.conv2d": lambda: F.conv2d(tx, tw), "hand(unfold)": conv_hand},
            xb + wb + ob,
            flops,
            lambda: (G.conv2d(x, w), F.conv2d(tx, tw)),
        ),
        Case(
            "conv2d_grad_input",
            lambda: G.conv2d_grad_input(dout, w, x.shape),
            {
                "nn.grad.conv2d_input": lambda: grad.conv2d_input(x.shape, tw, td),
                "autograd(bwd)": lambda: torch.autograd.grad(out_g, txg, td, retain_graph=True),
                "hand(fold)": gi_hand,
            },
            xb + wb + ob,
            flops,
            lambda: (G.conv2d_grad_input(dout, w, x.shape), gi_hand()),
        ),
        Case(
            "conv2d_grad_weight",
            lambda: G.conv2d_grad_weight(x, dout, w.shape),
            {
                "nn.grad.conv2d_weight": lambda: grad.conv2d_weight(tx, w.shape, td),
                "autograd(bwd)": lambda: torch.autograd.grad(out_g, twg, td, retain_graph=True),
                "hand(unfold)": gw_hand,
            },
            xb + wb + ob,
            flops,
            lambda: (G.conv2d_grad_weight(x, dout, w.shape), gw_hand()),
        ),
        Case(
            "max_pool2d",
            lambda: G.max_pool2d(x),
            {"F.max_pool2d": lambda: F.max_pool2d(tx, 2)},
            xb * 1.25,
            check=lambda: (G.max_pool2d(x), F.max_pool2d(tx, 2)),
        ),
        # two rows, like with like: finding the maxima and scattering, and the scatter alone
        # through the forward's saved indices (what torch's autograd backward does)
        Case(
            "max_pool2d_grad",
            lambda: G.max_pool2d_grad(pdout, x),
            {
                "fwd+aten bwd": mp_fused,
                "autograd(fwd+bwd)": lambda: torch.autograd.grad(F.max_pool2d(txg, 2), txg, tpd),
            },
            xb * 2.25,
            check=lambda: (G.max_pool2d_grad(pdout, x), mp_fused()),
        ),
        Case(
            "max_pool2d_grad(indices=)",
            lambda: G.max_pool2d_grad(pdout, x, indices=where),
            {
                "autograd(bwd)": lambda: torch.autograd.grad(mp_out, txg, tpd, retain_graph=True),
                "aten bwd(saved idx)": lambda: torch.ops.aten.max_pool2d_with_indices_backward(
                    tpd, tx, [2, 2], [2, 2], [0, 0], [1, 1], False, twhere
                ),
            },
            xb * 1.25 + 8 * pdout.size,
            check=lambda: (G.max_pool2d_grad(pdout, x, indices=where), mp_fused()),
        ),
        Case(
            "avg_pool2d_grad",
            lambda: G.avg_pool2d_grad(pdout, x.shape),
            {
                "aten.avg_pool2d_backward": lambda: torch.ops.aten.avg_pool2d_backward(
                    tpd, tx, [2, 2], [2, 2], [0, 0], False, True, None
                ),
                "autograd(bwd)": lambda: torch.autograd.grad(ap_out, txg, tpd, retain_graph=True),
            },
            xb * 1.25,
            check=lambda: (
                G.avg_pool2d_grad(pdout, x.shape),
                torch.autograd.grad(ap_out, txg, tpd, retain_graph=True)[0],
            ),
        ),
    ]


def optimizer_cases(torch, rng, size):
    lr = 1e-3
    g = rnd(rng, size)
    tg = torch.from_numpy(g)

    def np_state(k):
        return [rnd(rng, size) for _ in range(k)]

    def torch_opt(cls, **kw):
        p = torch.from_numpy(rnd(rng, size))
        p.grad = tg
        try:
            opt = cls([p], lr=lr, **kw)
        except (RuntimeError, TypeError, ValueError):
            return None
        opt.step()  # create the state once, outside the timing
        return opt.step

    cases = []
    specs = [  # name, numpy step, torch class, kwargs, state arrays, arrays touched
        ("sgd_step", lambda s: lambda: G.sgd_step(s[0], g, lr), torch.optim.SGD, {}, 1, 3),
        (
            "momentum_step",
            lambda s: lambda: G.momentum_step(s[0], g, s[1], lr),
            torch.optim.SGD,
            {"momentum": 0.9},
            2,
            5,
        ),
        (
            "adagrad_step",
            lambda s: lambda: G.adagrad_step(s[0], g, np.abs(s[1], out=s[1]), lr),
            torch.optim.Adagrad,
            {},
            2,
            5,
        ),
        (
            "rmsprop_step",
            lambda s: lambda: G.rmsprop_step(s[0], g, np.abs(s[1], out=s[1]), lr),
            torch.optim.RMSprop,
            {},
            2,
            5,
        ),
        (
            "adam_step",
            lambda s: lambda: G.adam_step(s[0], g, s[1], np.abs(s[2], out=s[2]), 10, lr=lr),
            torch.optim.Adam,
            {},
            3,
            7,
        ),
    ]
    for name, make, cls, kw, k, touched in specs:
        variants = {}
        for label, extra in (
            ("fused", {"fused": True}),
            ("foreach", {"foreach": True}),
            ("for-loop", {"foreach": False}),
        ):
            step = torch_opt(cls, **kw, **extra)
            if step is not None:
                variants[f"optim.{cls.__name__}({label})"] = step
        if name == "adam_step":
            variants["hand"] = _torch_adam_hand(torch, rnd(rng, size), tg, lr)
        state = np_state(k)
        # abs() on an already non-negative array inside the timed call costs one pass; it is
        # done once here instead so the timed call is the step alone
        if name in ("adagrad_step", "rmsprop_step", "adam_step"):
            np.abs(state[-1], out=state[-1])
            step = {
                "adagrad_step": lambda s=state: G.adagrad_step(s[0], g, s[1], lr),
                "rmsprop_step": lambda s=state: G.rmsprop_step(s[0], g, s[1], lr),
                "adam_step": lambda s=state: G.adam_step(s[0], g, s[1], s[2], 10, lr=lr),
            }[name]
        else:
            step = make(state)
        cases.append(Case(name, step, variants, 4 * size * touched))
    return cases


def _torch_adam_hand(torch, p0, g, lr, b1=0.9, b2=0.999, eps=1e-8, t=10):
    p = torch.from_numpy(p0)
    m, v = torch.zeros_like(p), torch.zeros_like(p)
    step, bc2 = lr / (1 - b1**t), (1 - b2**t) ** 0.5

    def run():
        m.mul_(b1).add_(g, alpha=1 - b1)
        v.mul_(b2).addcmul_(g, g, value=1 - b2)
        denom = v.sqrt().div_(bc2).add_(eps)
        p.addcdiv_(m, denom, value=-step)

    return run


def batchnorm_cases(torch, F, rng, n, d):
    X, gamma, beta, dout = rnd(rng, n, d, scale=2), rnd(rng, d), rnd(rng, d), rnd(rng, n, d)
    tX, tg, tb, td = (torch.from_numpy(a) for a in (X, gamma, beta, dout))
    tXg, tgg, tbg = (a.clone().requires_grad_(True) for a in (tX, tg, tb))
    eps = 1e-5

    def numpy_fb():
        _, cache = G.batchnorm_forward(X, gamma, beta, eps)
        return G.batchnorm_backward(dout, cache)

    def fused():
        out, mean, invstd = torch.ops.aten.native_batch_norm(tX, tg, tb, None, None, True, 0.1, eps)
        return torch.ops.aten.native_batch_norm_backward(
            td, tX, tg, None, None, mean, invstd, True, eps, [True, True, True]
        )

    def auto():
        out = F.batch_norm(tXg, None, None, tgg, tbg, training=True, eps=eps)
        return torch.autograd.grad(out, (tXg, tgg, tbg), td)

    def hand():
        mu = tX.mean(0)
        xhat = tX - mu
        inv = torch.rsqrt((xhat * xhat).mean(0) + eps)
        xhat *= inv
        _ = xhat * tg + tb
        dbeta = td.sum(0)
        dgamma = (td * xhat).sum(0)
        dX = (td - dbeta / n - xhat * (dgamma / n)) * (tg * inv)
        return dX, dgamma, dbeta

    return [
        Case(
            "batchnorm_forward+backward",
            numpy_fb,
            {"native_batch_norm(+bwd)": fused, "autograd": auto, "hand": hand},
            4 * n * d * 5,
            check=lambda: (numpy_fb(), fused()),
        )
    ]


def activation_cases(torch, rng, n, d):
    z = rnd(rng, n, d, scale=3)
    tz = torch.from_numpy(z)
    tzg = tz.clone().requires_grad_(True)
    ones = torch.ones_like(tz)
    cases = []
    for name, fn, tfn, back in [
        (
            "sigmoid_grad",
            G.sigmoid_grad,
            torch.sigmoid,
            lambda: torch.ops.aten.sigmoid_backward(ones, torch.sigmoid(tz)),
        ),
        (
            "tanh_grad",
            G.tanh_grad,
            torch.tanh,
            lambda: torch.ops.aten.tanh_backward(ones, torch.tanh(tz)),
        ),
        ("relu_grad", G.relu_grad, torch.relu, lambda: (tz > 0).to(tz.dtype)),
    ]:
        out = tfn(tzg)
        cases.append(
            Case(
                name,
                lambda fn=fn: fn(z),
                {
                    "aten *_backward / hand": back,
                    "autograd(fwd+bwd)": lambda tfn=tfn: torch.autograd.grad(tfn(tzg), tzg, ones),
                    "autograd(bwd)": lambda out=out: torch.autograd.grad(
                        out, tzg, ones, retain_graph=True
                    ),
                },
                2 * 4 * z.size,
                check=lambda fn=fn, back=back: (fn(z), back()),
            )
        )
    return cases


# ----- the layers of issue 18: activations, losses, layer norm, padded conv, optimizers -----


def elementwise_cases(torch, F, rng, n, d):
    z = rnd(rng, n, d, scale=3)
    tz = torch.from_numpy(z)
    ones = torch.ones_like(tz)
    specs = [  # name, ours, torch's forward (its backward is timed as autograd(fwd+bwd))
        ("gelu_grad", lambda: G.gelu_grad(z), lambda t: F.gelu(t)),
        ("gelu_grad(tanh)", lambda: G.gelu_grad(z, "tanh"),
         lambda t: F.gelu(t, approximate="tanh")),
        ("silu_grad", lambda: G.silu_grad(z), F.silu),
        ("elu_grad", lambda: G.elu_grad(z), F.elu),
        ("softplus_grad", lambda: G.softplus_grad(z), F.softplus),
    ]
    cases = []
    for name, ours, tfn in specs:
        tzg = tz.clone().requires_grad_(True)
        out = tfn(tzg)
        cases.append(
            Case(
                name,
                ours,
                {
                    "autograd(bwd)": lambda out=out, tzg=tzg: torch.autograd.grad(
                        out, tzg, ones, retain_graph=True
                    ),
                    "autograd(fwd+bwd)": lambda tfn=tfn, tzg=tzg: torch.autograd.grad(
                        tfn(tzg), tzg, ones
                    ),
                },
                2 * 4 * z.size,
                check=lambda ours=ours, out=out, tzg=tzg: (
                    ours(), torch.autograd.grad(out, tzg, ones, retain_graph=True)
                ),
            )
        )
    return cases


def loss_cases(torch, F, rng, n, c):
    Z, lab = rnd(rng, n, c, scale=3), rng.integers(0, c, n)
    lab[::17] = -100  # some rows ignored
    w = (rng.random(c) + 0.5).astype(F32)
    P = G.softmax(rnd(rng, n, c))
    logQ = G.log_softmax(Z)
    pred, target = rnd(rng, n, c), rnd(rng, n, c)
    scores, ypm = rnd(rng, n * c), np.where(rng.random(n * c) < 0.5, -1, 1).astype(F32)
    up = rnd(rng, n, c)
    S = G.softmax(Z)
    t = {k: torch.from_numpy(v) for k, v in dict(Z=Z, lab=lab, w=w, P=P, logQ=logQ, pred=pred,
                                                  target=target, scores=scores, y=ypm, up=up,
                                                  S=S).items()}
    target_p = rng.random((n, c)).astype(F32)
    t["target_p"] = torch.from_numpy(target_p)
    g = {k: t[k].clone().requires_grad_(True) for k in ("Z", "logQ", "pred", "scores", "P")}

    def ce():
        loss = F.cross_entropy(g["Z"], t["lab"], weight=t["w"], label_smoothing=0.1)
        return torch.autograd.grad(loss, g["Z"])[0]

    def kl():
        loss = F.kl_div(g["logQ"], t["P"], reduction="batchmean")
        return torch.autograd.grad(loss, g["logQ"])[0]

    def huber():
        return torch.autograd.grad(F.huber_loss(g["pred"], t["target"]), g["pred"])[0]

    def l1():
        return torch.autograd.grad(F.l1_loss(g["pred"], t["target"]), g["pred"])[0]

    def hinge():
        loss = torch.relu(1 - t["y"] * g["scores"]).mean()
        return torch.autograd.grad(loss, g["scores"])[0]

    def nll():
        loss = F.nll_loss(g["logQ"], t["lab"], weight=t["w"])
        return torch.autograd.grad(loss, g["logQ"])[0]

    def bce():
        loss = F.binary_cross_entropy(g["P"], t["target_p"])
        return torch.autograd.grad(loss, g["P"])[0]

    def mse():
        return torch.autograd.grad(F.mse_loss(g["pred"], t["target"]), g["pred"])[0]

    def smooth_l1():
        loss = F.smooth_l1_loss(g["pred"], t["target"], beta=0.5)
        return torch.autograd.grad(loss, g["pred"])[0]

    def bce_logits():
        loss = F.binary_cross_entropy_with_logits(g["Z"], t["P"], pos_weight=t["w"])
        return torch.autograd.grad(loss, g["Z"])[0]

    zb = 4 * Z.size
    return [
        Case("cross_entropy_grad(w, ls, ignore)",
             lambda: G.cross_entropy_grad(Z, lab, w, label_smoothing=0.1),
             {"F.cross_entropy": ce}, 2 * zb,
             check=lambda: (G.cross_entropy_grad(Z, lab, w, label_smoothing=0.1), ce())),
        Case("kl_divergence_grad", lambda: G.kl_divergence_grad(P, logQ), {"F.kl_div": kl},
             3 * zb, check=lambda: (G.kl_divergence_grad(P, logQ), kl())),
        Case("huber_grad", lambda: G.huber_grad(pred, target), {"F.huber_loss": huber}, 3 * zb,
             check=lambda: (G.huber_grad(pred, target), huber())),
        Case("l1_grad", lambda: G.l1_grad(pred, target), {"F.l1_loss": l1}, 3 * zb,
             check=lambda: (G.l1_grad(pred, target), l1())),
        Case("hinge_grad", lambda: G.hinge_grad(scores, ypm), {"autograd": hinge}, 3 * zb,
             check=lambda: (G.hinge_grad(scores, ypm), hinge())),
        Case("nll_loss_grad(w)", lambda: G.nll_loss_grad(logQ, lab, w), {"F.nll_loss": nll},
             2 * zb, check=lambda: (G.nll_loss_grad(logQ, lab, w), nll())),
        Case("binary_cross_entropy_grad", lambda: G.binary_cross_entropy_grad(P, target_p),
             {"F.binary_cross_entropy": bce}, 3 * zb,
             check=lambda: (G.binary_cross_entropy_grad(P, target_p), bce())),
        Case("mse_grad", lambda: G.mse_grad(pred, target), {"F.mse_loss": mse}, 3 * zb,
             check=lambda: (G.mse_grad(pred, target), mse())),
        Case("smooth_l1_grad", lambda: G.smooth_l1_grad(pred, target, 0.5),
             {"F.smooth_l1_loss": smooth_l1}, 3 * zb,
             check=lambda: (G.smooth_l1_grad(pred, target, 0.5), smooth_l1())),
        Case("binary_cross_entropy_with_logits_grad(pos_weight)",
             lambda: G.binary_cross_entropy_with_logits_grad(Z, P, pos_weight=w),
             {"F.binary_cross_entropy_with_logits": bce_logits}, 3 * zb,
             check=lambda: (G.binary_cross_entropy_with_logits_grad(Z, P, pos_weight=w),
                            bce_logits())),
        Case("softmax_vjp", lambda: G.softmax_vjp(up, S),
             {"aten _softmax_backward_data": lambda: torch.ops.aten._softmax_backward_data(
                 t["up"], t["S"], 1, torch.float32)},
             3 * zb,
             check=lambda: (G.softmax_vjp(up, S), torch.ops.aten._softmax_backward_data(
                 t["up"], t["S"], 1, torch.float32))),
        Case("log_softmax_vjp", lambda: G.log_softmax_vjp(up, logQ),
             {"aten _log_softmax_backward_data": lambda: torch.ops.aten._log_softmax_backward_data(
                 t["up"], torch.from_numpy(logQ), 1, torch.float32)},
             3 * zb,
             check=lambda: (G.log_softmax_vjp(up, logQ),
                            torch.ops.aten._log_softmax_backward_data(
                                t["up"], torch.from_numpy(logQ), 1, torch.float32))),
    ]


def layernorm_cases(torch, F, rng, n, d):
    X, gamma, beta, dout = rnd(rng, n, d, scale=2), rnd(rng, d), rnd(rng, d), rnd(rng, n, d)
    tX, tg, tb, td = (torch.from_numpy(a) for a in (X, gamma, beta, dout))
    tXg, tgg, tbg = (a.clone().requires_grad_(True) for a in (tX, tg, tb))
    mask = rng.random((n, d)) < 0.9
    tmask = torch.from_numpy(mask)

    def ours():
        _, cache = G.layernorm_forward(X, gamma, beta)
        return G.layernorm_backward(dout, cache)

    def auto():
        out = F.layer_norm(tXg, (d,), tgg, tbg)
        return torch.autograd.grad(out, (tXg, tgg, tbg), td)

    def drop_hand():
        return td * tmask / 0.9

    return [
        Case("layernorm_forward+backward", ours, {"autograd": auto}, 4 * n * d * 5,
             check=lambda: (ours(), auto())),
        Case("dropout_grad", lambda: G.dropout_grad(dout, mask, 0.1), {"hand": drop_hand},
             4 * n * d * 2.25, check=lambda: (G.dropout_grad(dout, mask, 0.1), drop_hand())),
    ]


def padded_conv_cases(torch, F, rng, n, c, hw, o, k):
    x, w = rnd(rng, n, c, hw, hw), rnd(rng, o, c, k, k, scale=(c * k * k) ** -0.5)
    b = rnd(rng, o)
    dout = rnd(rng, n, o, hw, hw)  # padding 1 keeps the size
    dout2 = rnd(rng, n, o, hw // 2, hw // 2)  # stride 2, dilation 2, padding 2
    tx, tw, tb, td, td2 = (torch.from_numpy(a) for a in (x, w, b, dout, dout2))
    txg, twg = tx.clone().requires_grad_(True), tw.clone().requires_grad_(True)
    out_g = F.conv2d(txg, twg, padding=1)
    out2_g = F.conv2d(txg, twg, stride=2, padding=2, dilation=2)
    flops = 2 * n * o * hw * hw * c * k * k
    xb, ob, wb = 4 * x.size, 4 * dout.size, 4 * w.size
    return [
        Case("conv2d(pad=1, bias)", lambda: G.conv2d(x, w, 1, 1, bias=b),
             {"F.conv2d": lambda: F.conv2d(tx, tw, tb, padding=1)}, xb + wb + ob, flops,
             lambda: (G.conv2d(x, w, 1, 1, bias=b), F.conv2d(tx, tw, tb, padding=1))),
        Case("conv2d_grad_input(pad=1)", lambda: G.conv2d_grad_input(dout, w, x.shape, 1, 1),
             {"autograd(bwd)": lambda: torch.autograd.grad(out_g, txg, td, retain_graph=True)},
             xb + wb + ob, flops,
             lambda: (G.conv2d_grad_input(dout, w, x.shape, 1, 1),
                      torch.autograd.grad(out_g, txg, td, retain_graph=True))),
        Case("conv2d_grad_weight(pad=1)", lambda: G.conv2d_grad_weight(x, dout, w.shape, 1, 1),
             {"autograd(bwd)": lambda: torch.autograd.grad(out_g, twg, td, retain_graph=True)},
             xb + wb + ob, flops,
             lambda: (G.conv2d_grad_weight(x, dout, w.shape, 1, 1),
                      torch.autograd.grad(out_g, twg, td, retain_graph=True))),
        Case("conv2d(s=2, pad=2, dil=2)", lambda: G.conv2d(x, w, 2, 2, 2),
             {"F.conv2d": lambda: F.conv2d(tx, tw, stride=2, padding=2, dilation=2)},
             xb + wb + ob / 4, flops / 4,
             lambda: (G.conv2d(x, w, 2, 2, 2), F.conv2d(tx, tw, stride=2, padding=2, dilation=2))),
        Case("conv2d_grad_input(s=2, pad=2, dil=2)",
             lambda: G.conv2d_grad_input(dout2, w, x.shape, 2, 2, 2),
             {"autograd(bwd)": lambda: torch.autograd.grad(out2_g, txg, td2, retain_graph=True)},
             xb + wb + ob / 4, flops / 4,
             lambda: (G.conv2d_grad_input(dout2, w, x.shape, 2, 2, 2),
                      torch.autograd.grad(out2_g, txg, td2, retain_graph=True))),
        Case("conv2d_grad_weight(s=2, pad=2, dil=2)",
             lambda: G.conv2d_grad_weight(x, dout2, w.shape, 2, 2, 2),
             {"autograd(bwd)": lambda: torch.autograd.grad(out2_g, twg, td2, retain_graph=True)},
             xb + wb + ob / 4, flops / 4,
             lambda: (G.conv2d_grad_weight(x, dout2, w.shape, 2, 2, 2),
                      torch.autograd.grad(out2_g, twg, td2, retain_graph=True))),
        Case("conv2d_grad_bias", lambda: G.conv2d_grad_bias(dout),
             {"sum": lambda: td.sum((0, 2, 3))}, ob,
             check=lambda: (G.conv2d_grad_bias(dout), td.sum((0, 2, 3)))),
    ]


def more_optimizer_cases(torch, rng, size):
    lr = 1e-3
    g = rnd(rng, size)
    tg = torch.from_numpy(g)
    params, m, v = rnd(rng, size), rnd(rng, size), np.abs(rnd(rng, size))
    p2, vel = rnd(rng, size), rnd(rng, size)
    parts = [rnd(rng, size // 4) for _ in range(4)]

    def torch_step(cls, **kw):
        p = torch.from_numpy(rnd(rng, size))
        p.grad = tg
        variants = {}
        for label, extra in (("fused", {"fused": True}), ("foreach", {"foreach": True}),
                             ("for-loop", {"foreach": False})):
            try:
                opt = cls([p], lr=lr, **kw, **extra)
                opt.step()
            except (RuntimeError, TypeError, ValueError):
                continue
            variants[f"optim.{cls.__name__}({label})"] = opt.step
        return variants

    tparts = [torch.from_numpy(a.copy()) for a in parts]
    for tp, a in zip(tparts, parts, strict=True):
        tp.grad = torch.from_numpy(a.copy())
    return [
        Case("adamw_step", lambda: G.adamw_step(params, g, m, v, 10, lr=lr),
             torch_step(torch.optim.AdamW, weight_decay=1e-2), 4 * size * 7),
        Case("sgd_nesterov_step",
             lambda: G.sgd_nesterov_step(p2, g, vel, lr, 0.9, 1e-4),
             torch_step(torch.optim.SGD, momentum=0.9, nesterov=True, weight_decay=1e-4),
             4 * size * 5),
        Case("clip_grad_norm", lambda: G.clip_grad_norm(parts, 1e9),
             {"nn.utils.clip_grad_norm_": lambda: torch.nn.utils.clip_grad_norm_(tparts, 1e9)},
             4 * size),
    ]


# ----- running and reporting -----


def _flatten(result):
    if isinstance(result, tuple | list):
        return [a for r in result for a in _flatten(r)]
    return [np.asarray(result.detach() if hasattr(result, "detach") else result)]


def verify(case: Case) -> str:
    if case.check is None:
        return ""
    ours, theirs = (_flatten(r) for r in case.check())
    worst = 0.0
    for a, b in zip(ours, theirs, strict=True):
        scale = max(float(np.abs(b).max()), 1e-30)
        worst = max(worst, float(np.abs(a.astype(np.float64) - b).max()) / scale)
    return "" if worst < 1e-3 else f"  MISMATCH vs torch: max rel. err {worst:.1e}"


def blas_info() -> str:
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return "threadpoolctl not installed"
    infos = [
        f"{i.get('internal_api')} {i.get('version')} ({i.get('architecture', '?')}, "
        f"{i.get('num_threads')} threads)"
        for i in threadpool_info()
        if i.get("user_api") == "blas"
    ]
    return "; ".join(infos) or "no BLAS found by threadpoolctl"


def kernel_info() -> str:
    """Which code path the library's large inputs take (derivations/gradients/_fast/)."""
    from derivations.gradients._fast import _compiled

    mode = _compiled.mode()
    if mode in ("numpy", "reference") or _compiled._load() is None:
        return f"NumPy only (DERIVCHECK_KERNELS={mode}, numba not used)"
    import numba

    return (
        f"numba {numba.__version__} kernels for inputs of ≥ {_compiled.MIN_SIZE} elements "
        f"({numba.get_num_threads()} threads), NumPy below"
    )


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes (smoke run)")
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--only", default="", help="run rows whose name contains this")
    parser.add_argument(
        "--budget", type=float, default=3.0, help="seconds of timing rounds per row"
    )
    parser.add_argument(
        "--passes",
        type=int,
        default=1,
        help="time the whole suite this many times and pool each row's calls over the passes "
        "(a burst of outside load that lasts for seconds then spoils one pass of a row, not "
        "the row); each pass's np/torch ratio is printed too",
    )
    args = parser.parse_args()
    if args.passes < 1:
        parser.error(f"--passes must be at least 1; got {args.passes}")

    import torch
    import torch.nn.functional as F

    torch.set_num_threads(args.threads)
    try:  # the library's compiled kernels get the same thread count as torch and BLAS
        import numba

        numba.set_num_threads(min(args.threads, numba.config.NUMBA_NUM_THREADS))
    except ImportError:
        pass
    try:
        from threadpoolctl import threadpool_limits

        threadpool_limits(args.threads)
    except ImportError:
        pass

    q = args.quick
    rng = np.random.default_rng(0)
    print(f"date: {datetime.date.today()}  machine: {cpu_model()}, nproc {os.cpu_count()}")
    print(
        f"numpy {np.__version__}, torch {torch.__version__}, threads {args.threads}, "
        f"float32{', QUICK sizes' if q else ''}"
    )
    print(f"BLAS (numpy): {blas_info()}; torch: {torch.__config__.parallel_info().splitlines()[0]}")
    print(f"library kernels: {kernel_info()}")
    load0 = os.getloadavg()
    budget, min_rounds = (0.3, 3) if q else (args.budget, 5)
    bw0, peak0 = machine_rates(torch, q, budget)

    builders = [
        lambda: regression_cases(torch, F, rng, *((512, 64) if q else (65536, 512))),
        lambda: softmax_cases(torch, F, rng, *((256, 100, 64) if q else (8192, 1000, 512))),
        lambda: network_cases(
            torch, F, rng, *((256, 784, 128, 10) if q else (8192, 784, 1024, 10))
        ),
        lambda: conv_cases(torch, F, rng, *((4, 16, 16, 32, 3) if q else (32, 16, 32, 32, 3))),
        lambda: optimizer_cases(torch, rng, 100_000 if q else 10_000_000),
        lambda: batchnorm_cases(torch, F, rng, *((256, 128) if q else (8192, 1024))),
        lambda: activation_cases(torch, rng, *((256, 128) if q else (8192, 1024))),
        lambda: elementwise_cases(torch, F, rng, *((256, 128) if q else (8192, 1024))),
        lambda: loss_cases(torch, F, rng, *((256, 100) if q else (8192, 1000))),
        lambda: layernorm_cases(torch, F, rng, *((256, 128) if q else (8192, 1024))),
        lambda: padded_conv_cases(
            torch, F, rng, *((4, 16, 16, 32, 3) if q else (32, 16, 32, 32, 3))
        ),
        lambda: more_optimizer_cases(torch, rng, 100_000 if q else 10_000_000),
    ]
    cases = [case for build in builders for case in build() if args.only in case.name]
    notes = [verify(case) for case in cases]
    pooled: list[dict[str, list[float]]] = [{} for _ in cases]
    ratios: list[list[float]] = [[] for _ in cases]
    loads = [0.0 for _ in cases]
    for p in range(args.passes):
        for i, case in enumerate(cases):
            fns = {"numpy": case.numpy, **case.torch}
            samples = interleaved_samples(fns, budget, min_rounds, faults=case.faults)
            np_s = min(samples["numpy"])
            ratios[i].append(np_s / min(min(v) for k, v in samples.items() if k != "numpy"))
            for label, values in samples.items():
                pooled[i].setdefault(label, []).extend(values)
            loads[i] = max(loads[i], os.getloadavg()[0])
            progress = f"  pass {p + 1}/{args.passes}: measured {case.name}"
            print(progress, file=sys.stderr, flush=True)
    for case, samples in zip(cases, pooled, strict=True):
        case.results = summary_ms(samples)
    done = list(zip(cases, notes, loads, ratios, strict=True))
    # the rates again at the end; the better of the two is the less disturbed one
    bw1, peak1 = machine_rates(torch, q, budget)
    bw, peak = max(bw0, bw1), max(peak0, peak1)
    load1 = os.getloadavg()

    print(
        f"load average (1, 5, 15 min) at start: {', '.join(f'{v:.2f}' for v in load0)}; "
        f"at end: {', '.join(f'{v:.2f}' for v in load1)} on {os.cpu_count()} cores"
    )
    print(
        f"measured: copy bandwidth {bw:.1f} GB/s, matmul {peak:.0f} GFLOP/s "
        f"(best of start {bw0:.1f} / {peak0:.0f} and end {bw1:.1f} / {peak1:.0f})"
    )
    print(
        f"timing: rounds for {budget:g} s (at least {min_rounds}) of per-library blocks, "
        f"{SETTLE_S:g} s apart, {REPEATS} timed calls per variant each; "
        f"{args.passes} pass(es) over the suite, pooled; ms = minimum, 'med' = median; "
        "load = the highest 1-min load average after the row's passes\n"
    )
    header = (
        f"{'function':<38}{'numpy ms':>10}{'best torch ms':>15}  {'(variant)':<26}"
        f"{'np/torch':>9}{'roofline ms':>13}{'np/roof':>9}{'torch/roof':>11}{'load':>6}"
    )
    print(header)
    print("-" * len(header))
    for case, note, load, pass_ratios in done:
        np_ms, np_med = case.results["numpy"]
        torch_results = {k: v for k, v in case.results.items() if k != "numpy"}
        best_label = min(torch_results, key=lambda k: torch_results[k][0])
        t_ms, t_med = torch_results[best_label]
        roof = max(case.bytes / bw / 1e6, case.flops / peak / 1e6)
        print(
            f"{case.name:<38}{np_ms:>10.3f}{t_ms:>15.3f}  {best_label:<26}"
            f"{np_ms / t_ms:>9.2f}{roof:>13.3f}{np_ms / roof:>9.2f}{t_ms / roof:>11.2f}"
            f"{load:>6.1f}{note}"
        )
        others = ", ".join(f"{k} {v[0]:.3f}" for k, v in torch_results.items() if k != best_label)
        per_pass = " ".join(f"{r:.2f}" for r in pass_ratios)
        faults = {k: statistics.median(case.faults[k]) for k in ("numpy", best_label)}
        print(
            f"{'':<40}med: numpy {np_med:.3f}, torch {t_med:.3f} ({np_med / t_med:.2f})"
            + (f"; np/torch by pass: {per_pass}" if len(pass_ratios) > 1 else "")
            + f"; page faults per call (median): numpy {faults['numpy']:.0f}, "
            f"torch {faults[best_label]:.0f}"
            + (f"; other torch: {others}" if others else "")
        )
    print_summary(done)


def print_summary(done: list[tuple[Case, str, float, list[float]]]) -> None:
    """The target in one line: how many rows are at most 1.0× torch, and the others with the
    ratio of each pass, so that a row at parity within the noise reads as such."""
    above = []
    for case, _note, _load, pass_ratios in done:
        np_ms = case.results["numpy"][0]
        t_ms = min(v[0] for k, v in case.results.items() if k != "numpy")
        if np_ms > t_ms:
            by_pass = " ".join(f"{r:.2f}" for r in pass_ratios)
            above.append(f"{case.name} {np_ms / t_ms:.2f} (by pass: {by_pass})")
    print(f"\nrows at most 1.0× the best torch time: {len(done) - len(above)} of {len(done)}")
    for row in above:
        print(f"  above: {row}")


if __name__ == "__main__":
    main()
