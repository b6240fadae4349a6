"""Test helpers: ``assert_equivariant`` for pytest (or any test runner)."""

from __future__ import annotations

from .verify import verify


def assert_equivariant(obj, action, rep_in, rep_out, **kwargs) -> None:
    """Raise AssertionError naming each failing generator and its error, unless obj is
    equivariant (see :func:`intertwine.verify.verify` for the arguments)."""
    report = verify(obj, action, rep_in, rep_out, **kwargs)
    if not report:
        worst = ", ".join(
            f"{c.name} ({c.kind}) relative error {c.error:.2e}" for c in report.failures
        )
        raise AssertionError(
            f"not equivariant under {report.group}: {report.rep_in} -> "
            f"{report.rep_out}; failing: {worst} (tol {report.tol:g})"
        )
