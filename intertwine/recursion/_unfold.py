"""Unfolds (anamorphisms) and Mealy machines with one shared parameter set.

- Unfolds: a coalgebra x ↦ (a, x') for A × X generates a stream of a fixed length; with a stop
  logit (1 + A × X) every step after the first stop is masked.
- Mealy machines X → (O × X)^I: (i, x) ↦ (o, x') over an input stream, by ``lax.scan``.
"""

from __future__ import annotations

from ..errors import IntertwineError
from ._cells import Cell


def unfold(cell: Cell, steps: int, stop: bool = False):
    """The anamorphism of a stream coalgebra x ↦ (a, x') as ``apply(params, x0) -> (B, steps, a)``;
    with ``stop=True`` the cell returns (stop_logit, a, x') (a coalgebra for 1 + A × X) and the
    result is ``(outputs, alive)`` with alive[b, t] false from the first positive stop logit on."""
    import jax
    import jax.numpy as jnp

    if not isinstance(steps, int) or steps < 0:
        raise IntertwineError(f"steps must be a non-negative integer, not {steps!r}")

    def apply(params, x0):
        def step(carry, _):
            x, alive = carry
            if stop:
                logit, a, nxt = cell.apply(params, x)
                alive = alive & (logit.reshape(-1) <= 0)
                return (nxt, alive), (a, alive)
            a, nxt = cell.apply(params, x)
            return (nxt, alive), (a, alive)

        alive0 = jnp.ones(x0.shape[0], bool)
        _, (outs, alive) = jax.lax.scan(step, (x0, alive0), None, length=steps)
        outs = jnp.swapaxes(outs, 0, 1)
        return (outs, jnp.swapaxes(alive, 0, 1)) if stop else outs

    return apply


def mealy(cell: Cell):
    """Run a Mealy machine (i, x) ↦ (o, x') over inputs (B, T, i) from states x0 (B, d):
    ``apply(params, inputs, x0) -> (outputs (B, T, o), final states (B, d))``."""
    import jax
    import jax.numpy as jnp

    def apply(params, inputs, x0):
        def step(x, i):
            o, nxt = cell.apply(params, i, x)
            return nxt, o

        final, outs = jax.lax.scan(step, x0, jnp.swapaxes(jnp.asarray(inputs), 0, 1))
        return jnp.swapaxes(outs, 0, 1), final

    return apply
