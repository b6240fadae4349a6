"""EMLP's three regression datasets and its split and standardisation, in plain NumPy.

The generative processes are those of ``emlp/datasets.py`` (mfinzi/equivariant-MLP, commit
b80815b), line for line; this module imports only NumPy so that EMLP's own virtualenv and ours
train on the same arrays.

- ``o5``: x = (r1, r2) ~ N(0, I_10); y = sin|r1| − |r2|³/2 + r1·r2 / (|r1||r2|). O(5) invariant.
- ``inertia``: k = 5 masses m = softplus(N(0, 1)) and positions r_i ~ N(0, I_3);
  y = Σ m_i (|r_i|² I − r_i r_iᵀ) flattened row-major (9 numbers). O(3) equivariant, V**2.
- ``particle``: p_1..p_4 ~ N(0, I_4)/4, η = diag(1, −1, −1, −1);
  y = 4 Σ_ab (p1_a p3_b − (p1·p3 − p1·p1) η_ab)(η p2 ⊗ η p4 − (p2·p4 − p2·p2) η)_ab
  (EMLP's electron-muon amplitude). O(1,3) invariant.

Split (``experiments/data_efficiency.py`` with oil's ``split_dataset``): one pool of
30000 + 5000 + 1000 samples is drawn, of which 5000 are the test set, 1000 the validation set and
``n_train`` the training set. Standardisation (EMLP's ``Standardize(model, stats)``): the model sees
(x − μx)/σx and its output is σy·f + μy, with EMLP's equivariance-safe statistics, computed (as in
EMLP, whose split datasets forward ``.stats`` to the whole pool) over the whole pool: o5 σx the
rms of each vector, y mean and std; inertia none (0, 1, 0, 1); particle σx = sqrt(mean |p·p|_η)
per particle, y mean and std.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

POOL = 30000 + 5000 + 1000
N_TEST, N_VAL = 5000, 1000
ETA = np.diag([1.0, -1.0, -1.0, -1.0])


class Task(NamedTuple):
    group: str  # intertwine's spec string
    rep_in: str
    rep_out: str
    emlp_class: str  # the class in emlp.datasets


TASKS = {
    "o5": Task("O(5)", "2*V", "1", "O5Synthetic"),
    "inertia": Task("O(3)", "5*1 + 5*V", "V**2", "Inertia"),
    "particle": Task("O(1,3)", "4*V", "1", "ParticleInteraction"),
}


class Split(NamedTuple):
    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    stats: tuple  # (μx, σx, μy, σy), each broadcastable to x or y


def _o5(rng: np.random.Generator, n: int):
    x = rng.standard_normal((n, 10))
    r1, r2 = x.reshape(-1, 2, 5).transpose(1, 0, 2)
    n1, n2 = np.sqrt((r1**2).sum(-1)), np.sqrt((r2**2).sum(-1))
    y = (np.sin(n1) - 0.5 * n2**3 + (r1 * r2).sum(-1) / (n1 * n2))[:, None]
    scale = (np.sqrt((x.reshape(n, 2, 5) ** 2).mean((0, 2)))[:, None] + np.zeros((2, 5))).ravel()
    return x, y, (0.0, scale, y.mean(0), y.std(0))


def _inertia(rng: np.random.Generator, n: int, k: int = 5):
    x = rng.standard_normal((n, 4 * k))
    x[:, :k] = np.log(1 + np.exp(x[:, :k]))  # masses
    m, r = x[:, :k], x[:, k:].reshape(-1, k, 3)
    r2 = (r**2).sum(-1)[..., None, None]
    y = (m[:, :, None, None] * (r2 * np.eye(3) - r[..., None] * r[..., None, :])).sum(1)
    return x, y.reshape(-1, 9), (0.0, 1.0, 0.0, 1.0)


def _particle(rng: np.random.Generator, n: int):
    x = rng.standard_normal((n, 16)) / 4
    p1, p2, p3, p4 = x.reshape(n, 4, 4).transpose(1, 0, 2)

    def dot(a, b):
        return ((a @ ETA) * b).sum(-1)

    le = p1[:, :, None] * p3[:, None, :] - (dot(p1, p3) - dot(p1, p1))[:, None, None] * ETA
    lmu = (p2 @ ETA)[:, :, None] * (p4 @ ETA)[:, None, :] - (dot(p2, p4) - dot(p2, p2))[
        :, None, None
    ] * ETA
    y = (4 * (le * lmu).sum(-1).sum(-1))[:, None]
    p = x.reshape(n, 4, 4)
    scale = np.sqrt(np.abs((p @ ETA) * p).mean(-1).mean(0))
    return x, y, (0.0, (scale[:, None] + np.zeros((4, 4))).ravel(), y.mean(0), y.std(0))


MAKERS = {"o5": _o5, "inertia": _inertia, "particle": _particle}


def split(task: str, n_train: int, seed: int) -> Split:
    """The pool of ``POOL`` samples drawn with ``seed``, split into test, validation, train."""
    if n_train > POOL - N_TEST - N_VAL:
        raise ValueError(f"at most {POOL - N_TEST - N_VAL} training samples, not {n_train}")
    rng = np.random.default_rng(seed)
    x, y, stats = MAKERS[task](rng, POOL)
    order = rng.permutation(POOL)
    te, va = order[:N_TEST], order[N_TEST : N_TEST + N_VAL]
    tr = order[N_TEST + N_VAL : N_TEST + N_VAL + n_train]
    return Split(x[tr], y[tr], x[va], y[va], x[te], y[te], stats)


def epochs_for(n_train: int) -> int:
    """EMLP's data-efficiency schedule: min(int(30·30000 / n_train), 1000) epochs."""
    return min(int(30 * 30000 / n_train), 1000)


def batch_for(n_train: int) -> int:
    """EMLP's batch: min(500, n_train)."""
    return min(500, n_train)


LR = 3e-3  # constant, Adam (objax defaults: β = 0.9, 0.999, ε = 1e-8)
N_EVALS = 50  # validation/test evaluations per run, evenly spaced, and one at the end
