"""Verify a callable f: batch (n, in) -> batch (n, out), in JAX, NumPy or PyTorch.

On seeded Gaussian inputs x (float64 where the framework allows), for each discrete generator g
and for random words w = g_1 g_2 ... g_m in the discrete generators (monoid words included):

    err(g) = ‖f(x ρ_in(g)ᵀ) − f(x) ρ_out(g)ᵀ‖ / ‖f(x)‖,

and for each Lie-algebra generator A the Lie derivative (Gruver et al. 2023)

    err(A) = ‖J_f(x) · (x A_inᵀ) − f(x) A_outᵀ‖ / ‖f(x)‖,

by a JVP in JAX, else by a central difference (step 1e-4 in float64, 1e-2 in float32).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

import numpy as np

from ..core import Rep
from ..errors import IntertwineError
from ._report import Check


def _x64():
    import jax

    ctx = getattr(jax, "enable_x64", None)
    if ctx is None:  # older JAX
        from jax.experimental import enable_x64 as ctx
    return ctx(True)


class _Adapter:
    """Calls a user function on float64 numpy batches, whatever its framework."""

    def __init__(self, fn: Callable, probe: np.ndarray):
        self.fn = fn
        self.dtype: Any = np.float64
        try:
            with _x64() if _importable("jax") else contextlib.nullcontext():
                out = fn(probe)
        except Exception as exc:  # noqa: BLE001 - not a NumPy/JAX function: try PyTorch
            if not _importable("torch"):
                raise IntertwineError(
                    f"calling the function on a float64 batch of shape "
                    f"{probe.shape} failed: {type(exc).__name__}: {exc}"
                ) from None
            self.framework = "torch"
            return
        mod = type(out).__module__
        self.framework = (
            "jax"
            if mod.startswith(("jax", "jaxlib"))
            else "torch"
            if mod.startswith("torch")
            else "numpy"
        )
        if self.framework == "numpy" and np.asarray(out).dtype == np.float32:
            self.dtype = np.float32  # a float32 function: larger difference steps

    def context(self):
        return _x64() if self.framework == "jax" else contextlib.nullcontext()

    def __call__(self, x: np.ndarray) -> np.ndarray:
        if self.framework == "torch":
            import torch

            try:
                out = self.fn(torch.as_tensor(x, dtype=torch.float64))
                self.dtype = np.float64
            except RuntimeError:
                out = self.fn(torch.as_tensor(x, dtype=torch.float32))
                self.dtype = np.float32
            return out.detach().cpu().numpy().astype(np.float64)
        if self.framework == "jax":
            import jax.numpy as jnp

            with self.context():
                out = self.fn(jnp.asarray(x))
                self.dtype = np.dtype(out.dtype)
            return np.asarray(out, dtype=np.float64)
        return np.asarray(self.fn(x), dtype=np.float64)

    def jvp(self, x: np.ndarray, v: np.ndarray) -> np.ndarray:
        if self.framework == "jax":
            import jax
            import jax.numpy as jnp

            with self.context():
                _, tangent = jax.jvp(self.fn, (jnp.asarray(x),), (jnp.asarray(v),))
            return np.asarray(tangent, dtype=np.float64)
        h = 1e-4 if self.dtype == np.float64 else 1e-2
        return (self(x + h * v) - self(x - h * v)) / (2 * h)


def _importable(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None


def callable_checks(
    fn: Callable[[Any], Any],
    rep_in: Rep,
    rep_out: Rep,
    tol: float,
    samples: int = 8,
    words: int = 8,
    seed: int = 0,
) -> tuple[list[Check], str]:
    """Checks for every generator, ``words`` random words, and every Lie generator."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((samples, rep_in.dim))
    f = _Adapter(fn, x)
    fx = f(x)
    if fx.shape != (samples, rep_out.dim):
        raise IntertwineError(
            f"the function returned shape {fx.shape} for input {x.shape}; it "
            f"must map a batch (n, {rep_in.dim}) to (n, {rep_out.dim})"
        )
    if not np.all(np.isfinite(fx)):
        raise IntertwineError("the function returned NaN or infinite values on Gaussian inputs")
    norm = max(float(np.linalg.norm(fx)), 1e-12)
    gens = list(zip(rep_in.action.generators, rep_in.generators, rep_out.generators))
    discrete = [(g.name, a.to_numpy(), b.to_numpy()) for g, a, b in gens if g.kind == "discrete"]
    checks = []
    for name, a, b in discrete:
        err = float(np.linalg.norm(f(x @ a.T) - fx @ b.T)) / norm
        checks.append(Check(name, "discrete", err, err <= tol))
    if len(discrete) > 1 or (discrete and words):
        for _ in range(words if discrete else 0):
            picks = rng.integers(0, len(discrete), size=int(rng.integers(2, 6)))
            wa = np.eye(rep_in.dim)
            wb = np.eye(rep_out.dim)
            for k in picks:
                wa, wb = discrete[k][1] @ wa, discrete[k][2] @ wb
            name = "*".join(discrete[k][0] for k in picks[::-1])
            err = float(np.linalg.norm(f(x @ wa.T) - fx @ wb.T)) / norm
            checks.append(Check(name, "word", err, err <= tol))
    for g, ma, mb in gens:
        if g.kind != "lie":
            continue
        xa, xb = ma.to_numpy(), mb.to_numpy()
        err = float(np.linalg.norm(f.jvp(x, x @ xa.T) - fx @ xb.T)) / norm
        checks.append(Check(g.name, "lie", err, err <= tol))
    return checks, f.framework
