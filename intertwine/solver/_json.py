"""What the JSON contract lists, and what it leaves out with a word.

Sizes, in numbers listed (a Basis of dimension d between reps of dimensions in and out):

- ``basis``: d · out · in numbers. Listed up to ``JSON_BASIS`` (10^6) numbers; beyond that only
  with ``full`` (``--full``), up to ``JSON_FULL`` (5·10^7); beyond that ``full`` is refused
  before anything is listed (and by the CLI before solving, when the dimension is known in
  advance: :func:`refuse_before_solving`).
- ``tying`` and ``signed_tying``: one integer per entry of W (out · in). Listed whenever W can
  be listed: out · in up to ``JSON_W`` (2.5·10^7), and for a diagram basis whenever its entries
  can be materialised.
- generator matrices of a diagram basis: up to ``MAX_JSON_GENERATORS`` numbers (else their
  ``in``/``out`` are null; the diagrams and n say everything).

Whenever a key is left out, the object's ``omitted`` maps it to the reason and the flag that
lists it (DESIGN.md), and the CLI says so in one line on stderr.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import SolverError

JSON_BASIS = 1_000_000  # numbers of `basis` listed by default
JSON_FULL = 50_000_000  # numbers of `basis` listed with --full
JSON_W = 25_000_000  # entries of W listed in `tying`


@dataclass(frozen=True)
class Listing:
    """Which of the large keys a JSON object lists, and why the others are left out."""

    basis: bool
    tying: bool
    omitted: dict[str, str] = field(default_factory=dict)


def listing(dim: int, out_dim: int, in_dim: int, *, full: bool, w_listable: bool) -> Listing:
    """The keys to list for a basis of these sizes; SolverError when ``full`` asks for more
    than JSON_FULL numbers (nothing has been listed yet)."""
    numbers = dim * out_dim * in_dim
    entries = out_dim * in_dim
    omitted: dict[str, str] = {}
    if full and numbers > JSON_FULL:
        raise SolverError(refusal(numbers))
    basis = full or numbers <= JSON_BASIS
    if not basis:
        omitted["basis"] = (
            f"{dim} matrices of {out_dim} x {in_dim} would list {numbers:.3g} numbers, over the "
            f"default {JSON_BASIS:.0e}; add --full to list them (up to {JSON_FULL:.0e})"
        )
    tying = w_listable and entries <= JSON_W
    if not tying:
        omitted["tying"] = (
            f"W has {entries:.3g} entries, too many to list (over {JSON_W:.2g}); no flag "
            f"lists them: use the diagrams, or --format npz"
        )
    return Listing(basis, tying, omitted)


def refusal(numbers: int) -> str:
    return (
        f"the JSON basis would list {numbers:.3g} numbers, over the {JSON_FULL:.0e} that "
        f"--full allows; leave out --full (the JSON then says what it omits) or use --format npz"
    )


def estimated_dim(action, rep_in, rep_out) -> int:
    """A lower bound on dim Hom(IN, OUT), known without solving: the exact dimension for the
    diagram families (partition counts for S(n); Pieri walk counts for O(n), SO(n), Sp(n)),
    else 1."""
    from .diagrams import applies, rules_for, tensor_degrees

    rules = rules_for(action.family)
    if rules is None or applies(action, rep_in, rep_out) is not None:
        return 1
    if getattr(rules.family, "q", 0):  # O(p,q): not estimated here
        return 1
    ins, outs = tensor_degrees(rep_in) or [], tensor_degrees(rep_out) or []
    return sum(rules.dimension(k + l) for k in ins for l in outs)


def refuse_before_solving(action, rep_in, rep_out) -> None:
    """SolverError when ``--full`` JSON would list more than JSON_FULL numbers, decided from the
    rep dimensions and :func:`estimated_dim` before any solving."""
    from ..spec import resolve

    action, rep_in, rep_out = resolve(action, rep_in, rep_out)
    numbers = rep_in.dim * rep_out.dim * estimated_dim(action, rep_in, rep_out)
    if numbers > JSON_FULL:
        raise SolverError(refusal(numbers))
