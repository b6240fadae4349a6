"""Verify a callable f: batch (n, in) -> batch (n, out), in JAX, NumPy or PyTorch (the framework
is decided by ``_frameworks`` from the callable's type or its output, never by trying).

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
from ._frameworks import Framework, Target, framework_of_output, is_torch_tensor
from ._report import Check


def _x64():
    import jax

    ctx: Any = getattr(jax, "enable_x64", None)
    if ctx is None:  # older JAX
        import jax.experimental

        ctx = getattr(jax.experimental, "enable_x64")  # noqa: B009 - absent from newer stubs
    return ctx(True)


def _array(out: Any) -> np.ndarray:
    """A user function's result as float64, or a bad-input error naming what came back."""
    if is_torch_tensor(out):
        out = out.detach().cpu().numpy()
    kinds = (np.ndarray, np.generic, list, tuple, int, float)
    if not (isinstance(out, kinds) or hasattr(out, "__array__")) or isinstance(out, (str, bytes)):
        raise IntertwineError(
            f"the function returned {type(out).__name__}, not an array of shape (n, out)"
        )
    try:
        arr = np.asarray(out)
    except ValueError as exc:  # a ragged list
        raise IntertwineError(
            f"the function returned {type(out).__name__}, which is not an array: {exc}"
        ) from None
    if arr.dtype.kind == "c":
        raise IntertwineError(
            "the function returned complex values; equivariance is checked "
            "for real maps: return the real representation"
        )
    if arr.dtype.kind not in "biuf":
        raise IntertwineError(
            f"the function returned {type(out).__name__} of {arr.dtype}, not numbers"
        )
    return arr.astype(np.float64)


def _user_call(fn: Callable, *args: Any, hint: str = "") -> Any:
    """Call the user's function; whatever it raises is the user's error, said in one line. (The
    one place where verify catches a broad exception: to report it, never to guess.)"""
    try:
        return fn(*args)
    except IntertwineError:
        raise
    except Exception as exc:  # noqa: BLE001 - the user's function failed
        raise IntertwineError(f"the function raised {type(exc).__name__}: {exc}{hint}") from None


PROBE_HINT = (
    " (it was called on a float64 NumPy batch; if it takes torch tensors, say so: "
    "framework='torch', or --framework torch)"
)


class _Adapter:
    """Calls a user function on float64 numpy batches in its own framework (see
    ``_frameworks``): JAX under ``jax_enable_x64``, PyTorch on tensors of the module's dtype,
    NumPy as is. A plain function's framework is the type of its output on ``probe``."""

    def __init__(self, target: Target, probe: np.ndarray):
        self.fn = target.fn
        self.torch_dtype = target.torch_dtype
        self.dtype: Any = target.dtype
        framework = target.framework
        if framework is None:  # a plain function: called once on NumPy, judged by its output
            with _x64() if _importable("jax") else contextlib.nullcontext():
                out = _user_call(self.fn, probe, hint=PROBE_HINT)
            # a jax.Array means JAX (fed under x64, JVPs exact); anything else keeps NumPy input
            framework = Framework.JAX if framework_of_output(out) is Framework.JAX else None
            framework = framework or Framework.NUMPY
            self._note_dtype(out)
        self.framework = framework

    def _note_dtype(self, out: Any) -> None:
        dtype = str(getattr(out, "dtype", "float64"))
        if dtype.endswith(("float32", "float16", "bfloat16")):
            self.dtype = np.float32  # the function computes in lower precision: looser checks

    def context(self):
        return _x64() if self.framework is Framework.JAX else contextlib.nullcontext()

    def __call__(self, x: np.ndarray) -> np.ndarray:
        if self.framework is Framework.TORCH:
            import torch

            feed = self.torch_dtype or torch.float64
            out = _user_call(self.fn, torch.as_tensor(x, dtype=feed))
        elif self.framework is Framework.JAX:
            import jax.numpy as jnp

            with self.context():
                out = _user_call(self.fn, jnp.asarray(x))
        else:
            out = _user_call(self.fn, x)
        self._note_dtype(out)
        return _array(out)

    def jvp(self, x: np.ndarray, v: np.ndarray) -> np.ndarray:
        if self.framework is Framework.JAX:
            import jax
            import jax.numpy as jnp

            with self.context():
                _, tangent = _user_call(jax.jvp, self.fn, (jnp.asarray(x),), (jnp.asarray(v),))
            return _array(tangent)
        h = self.step
        return (self(x + h * v) - self(x - h * v)) / (2 * h)

    @property
    def step(self) -> float:
        """The central-difference step: about the cube root of the unit roundoff, which
        balances truncation (h²) against rounding (eps/h)."""
        return float(np.finfo(self.dtype).eps ** (1 / 3)) if self.dtype != np.float64 else 1e-4

    @property
    def exact_derivative(self) -> bool:
        return self.framework is Framework.JAX


def _importable(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None


DEFAULT_TOL = {"float64": (1e-5, 1e-5), "float32": (1e-4, 1e-3)}  # (discrete, Lie)


def callable_checks(
    target: Target,
    rep_in: Rep,
    rep_out: Rep,
    tol: float | None,
    samples: int = 8,
    words: int = 8,
    seed: int = 0,
    channels: tuple[int, int] | None = None,
) -> tuple[list[Check], str, float, list[str]]:
    """Checks for every generator, ``words`` random words, and every Lie generator. With
    ``channels = (c_in, c_out)`` the function maps (n, c_in, in) to (n, c_out, out), and the group
    acts on the last axis.

    Returns (checks, framework, tolerance of the discrete checks, notes). Without ``tol`` the
    tolerances follow the function's precision: 1e-5 in float64; in float32 1e-4 for discrete
    checks and 1e-3 for Lie derivatives taken by central differences (step eps^(1/3), whose
    truncation and rounding errors are both about eps^(2/3) ≈ 2e-5 times the scale of f)."""
    rng = np.random.default_rng(seed)
    c_in, c_out = channels if channels is not None else (None, None)
    lead_in = (samples,) if c_in is None else (samples, c_in)
    x = rng.standard_normal(lead_in + (rep_in.dim,))
    f = _Adapter(target, x)
    fx = f(x)
    want = ((samples,) if c_out is None else (samples, c_out)) + (rep_out.dim,)
    if fx.shape != want:
        axes = "n" if c_in is None else f"n, {c_in}"
        raise IntertwineError(
            f"the function returned shape {fx.shape} for input {x.shape}; it "
            f"must map a batch ({axes}, {rep_in.dim}) to {want}"
        )
    if not np.all(np.isfinite(fx)):
        raise IntertwineError("the function returned NaN or infinite values on Gaussian inputs")
    precision = "float64" if np.dtype(f.dtype) == np.float64 else "float32"
    tol_discrete, tol_lie = (tol, tol) if tol is not None else DEFAULT_TOL[precision]
    if tol is None and f.exact_derivative:
        tol_lie = tol_discrete
    norm = max(float(np.linalg.norm(fx)), 1e-12)
    gens = list(zip(rep_in.action.generators, rep_in.generators, rep_out.generators))
    discrete = [(g.name, a.to_numpy(), b.to_numpy()) for g, a, b in gens if g.kind == "discrete"]
    checks = []
    for name, a, b in discrete:
        err = float(np.linalg.norm(f(x @ a.T) - fx @ b.T)) / norm
        checks.append(Check(name, "discrete", err, err <= tol_discrete))
    seen: set[tuple[int, ...]] = set()
    if discrete and words:
        for _ in range(words * 8):  # distinct words only, as many as asked where they exist
            if len(seen) >= words:
                break
            picks = tuple(
                int(k) for k in rng.integers(0, len(discrete), size=int(rng.integers(2, 6)))
            )
            if picks in seen:
                continue
            seen.add(picks)
            wa = np.eye(rep_in.dim)
            wb = np.eye(rep_out.dim)
            for k in picks:
                wa, wb = discrete[k][1] @ wa, discrete[k][2] @ wb
            name = "*".join(discrete[k][0] for k in picks[::-1])
            err = float(np.linalg.norm(f(x @ wa.T) - fx @ wb.T)) / norm
            checks.append(Check(name, "word", err, err <= tol_discrete))
    lie = [(g, ma, mb) for g, ma, mb in gens if g.kind == "lie"]
    for g, ma, mb in lie:
        xa, xb = ma.to_numpy(), mb.to_numpy()
        err = float(np.linalg.norm(f.jvp(x, x @ xa.T) - fx @ xb.T)) / norm
        checks.append(Check(g.name, "lie", err, err <= tol_lie))
    notes = [f"called as a {f.framework.value} function ({precision}) on {samples} Gaussian inputs"]
    if lie:
        how = (
            "an exact JVP" if f.exact_derivative else f"central differences with step {f.step:.1e}"
        )
        notes.append(f"Lie derivatives by {how}, tolerance {tol_lie:g}")
    return checks, f.framework.value, tol_discrete, notes
