"""Typed errors. Each message names the problem and the fix in one line."""

from __future__ import annotations


class IntertwineError(ValueError):
    """Base class of every error intertwine raises on bad input."""


class SpecError(IntertwineError):
    """A group, monoid or representation spec string could not be read."""


class ActionError(IntertwineError):
    """An action is ill-formed (bad generators, bad custom JSON, bad arguments)."""


class RepError(IntertwineError):
    """A representation operation is not defined (dual of a monoid rep, mixed actions)."""


class SolverError(IntertwineError):
    """The solver cannot run this problem (method does not apply, too large for memory)."""


class InternalError(RuntimeError):
    """A bug in intertwine, never bad input (the CLI exits with status 3 and says so)."""


class VerificationError(InternalError):
    """A computed basis failed its own constraint check. This is a bug: please report it."""


class IntertwineWarning(UserWarning):
    """Base class of every warning intertwine gives."""


class EmptyLayerWarning(IntertwineWarning):
    """A layer whose space of equivariant maps has dimension 0: W is zero, whatever θ."""
