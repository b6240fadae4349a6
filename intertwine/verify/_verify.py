"""``verify``: is a weight matrix or a function equivariant, and if not, where does it break?"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..core import Action, Rep
from ..errors import IntertwineError
from ..spec import resolve
from ._callable import callable_checks
from ._frameworks import target_of
from ._matrix import as_weight, matrix_checks, nearest_intertwiner
from ._report import Report

MATRIX_TOL = 1e-9
CALLABLE_TOL = 1e-5  # float64 functions; float32 ones get 1e-4 (see callable_checks)


def verify(
    obj,
    action: Action | str,
    rep_in: Rep | str,
    rep_out: Rep | str,
    *,
    tol: float | None = None,
    samples: int = 8,
    words: int = 8,
    seed: int = 0,
    name: str | None = None,
    channels: tuple[int, int] | None = None,
    framework: str | None = None,
) -> Report:
    """Check ``obj`` (a weight matrix, or a callable on batches) for equivariance.

    A matrix W (out × in) gets a residual per generator, the nearest equivariant matrix and its
    relative distance. A callable f: (n, in) -> (n, out) (JAX, NumPy or PyTorch) is tested on
    seeded Gaussian inputs for every discrete generator, random words in them, and the Lie
    derivative along every Lie-algebra generator. With ``channels=(c_in, c_out)`` the callable maps
    (n, c_in, in) to (n, c_out, out) and the group acts on the last axis.

    The framework is decided from the object's type, never by trying: the package's own layers,
    MLPs and networks (``equivariant_linear``, ``equivariant_mlp``, ``gated_network``, ...;
    initialised from ``seed``), Equinox and Flax modules and jitted functions are JAX, a
    ``torch.nn.Module`` is PyTorch (fed its parameters' dtype); a loaded ONNX model
    (``onnxruntime.InferenceSession``) or pt2 package (``torch._inductor.aoti_load_package``)
    runs in float32 with the channels it was exported with; a plain function is called once on
    a float64 NumPy batch and is JAX if it returns a ``jax.Array``, else NumPy. A plain function
    that takes torch tensors needs ``framework="torch"``. JAX runs under ``jax_enable_x64``.

    Args:
      obj: a matrix of shape (out, in) (NumPy, JAX, PyTorch, nested lists), or a callable on
        batches of shape (n, in) (or (n, c_in, in) with ``channels``).
      action: an :class:`Action` or a spec string such as ``"S(5)"``.
      rep_in: the input rep (value or expression).
      rep_out: the output rep.
      tol: the relative tolerance; by default from the precision (float64 1e-5, float32 1e-4,
        1e-3 for finite-difference Lie derivatives; 1e-9 for a matrix).
      samples: the number of random inputs (at least 1).
      words: the number of random products of generators (monoid words too).
      seed: seeds the inputs and the words, and the parameters of the package's own layers.
      name: the name in the report.
      channels: ``(c_in, c_out)`` for a callable on (n, c_in, in) arrays.
      framework: ``"torch"`` for a plain function that takes torch tensors.

    Returns:
      A :class:`Report`, truthy when every check passes: ``failures`` (the failed
      ``Check`` values, each with its generator and relative error), ``max_error``, the
      tolerance used, and for a matrix ``nearest`` (the nearest equivariant matrix, shape
      (out, in)).

    Raises:
      IntertwineError: bad specs, a function that raises or returns no array of the right
        shape, a recursion cell or fold (not a function of one batch), an unknown framework.

    >>> import numpy as np
    >>> bool(verify(lambda x: x + x.sum(-1, keepdims=True), "S(4)", "V", "V"))
    True
    >>> report = verify(np.eye(4) + 0.01 * np.arange(16).reshape(4, 4), "S(4)", "V", "V")
    >>> bool(report), [c.name for c in report.failures], report.nearest.shape
    (False, ['swap01', 'cycle'], (4, 4))
    """
    a, ri, ro = resolve(action, rep_in, rep_out)
    for what, value, least in (("samples", samples, 1), ("words", words, 0)):
        if not isinstance(value, int) or isinstance(value, bool) or value < least:
            raise IntertwineError(
                f"{what} must be an integer >= {least}, not {value!r}: a check on no inputs "
                f"proves nothing"
            )
    target_name = name or (getattr(obj, "__name__", None) or type(obj).__name__)
    target = target_of(obj, seed, framework)
    if target is not None and target.channels is not None:
        target_name = name or repr(obj)
        channels = target.channels
    elif channels is not None:
        if len(channels) != 2 or not all(
            isinstance(c, int) and not isinstance(c, bool) and c >= 1 for c in channels
        ):
            raise IntertwineError(
                f"channels must be two positive ints (c_in, c_out), not {channels!r}"
            )
    if target is not None:
        checks, _, used_tol, notes = callable_checks(
            target, ri, ro, tol, samples, words, seed, channels=channels
        )
        return Report(target_name, a.name, str(ri), str(ro), used_tol, checks, notes=notes)
    tol = MATRIX_TOL if tol is None else tol
    w = as_weight(obj, ri, ro)
    checks = matrix_checks(w, ri, ro, tol)
    nearest, dist = nearest_intertwiner(w, ri, ro)
    return Report(
        name or "matrix", a.name, str(ri), str(ro), tol, checks, distance=dist, nearest=nearest
    )


def equivariant_to(matrix, candidates: Sequence[tuple], *, tol: float = MATRIX_TOL) -> list[dict]:
    """Which of the candidate (action, rep_in, rep_out) does the matrix commute with?

    For each candidate: whether it commutes with the whole action, and the subset of generators
    it commutes with (so a partial symmetry, e.g. only the rotations of D(4), shows up).
    """
    out = []
    for cand in candidates:
        if len(cand) != 3:
            raise IntertwineError("each candidate is (action, rep_in, rep_out)")
        a, ri, ro = resolve(*cand)
        w = np.asarray(matrix, dtype=np.float64)
        if w.shape != (ro.dim, ri.dim):
            out.append(
                {
                    "action": a.name,
                    "in": str(ri),
                    "out": str(ro),
                    "equivariant": False,
                    "generators": [],
                    "reason": f"shape {w.shape} != ({ro.dim}, {ri.dim})",
                }
            )
            continue
        checks = matrix_checks(w, ri, ro, tol)
        out.append(
            {
                "action": a.name,
                "in": str(ri),
                "out": str(ro),
                "equivariant": all(c.passed for c in checks),
                "generators": [c.name for c in checks if c.passed],
                "failing": [c.name for c in checks if not c.passed],
            }
        )
    return out
