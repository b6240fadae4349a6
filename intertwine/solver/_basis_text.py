"""Renderings of a basis as text: the tying pattern as letters, the summary, LaTeX.

Every function takes any basis (:class:`~intertwine.solver.Basis` or a diagram basis): the
fields of the :class:`BasisLike` protocol are all they read.
"""

from __future__ import annotations


def _letters(k: int) -> str:
    """Parameter names a..z, A..Z, then a1, b1, ... ."""
    alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return alphabet[k % 52] + (str(k // 52) if k >= 52 else "")


def basis_repr(basis) -> str:
    head = (
        f"Basis(dim={basis.dim}, {basis.group}: {basis.rep_in} -> {basis.rep_out}, "
        f"{basis.out_dim}x{basis.in_dim}, method={basis.method}, exact={basis.exact})"
    )
    if basis.signed_tying is not None and basis.out_dim <= 12 and basis.in_dim <= 12:
        return head + "\n" + pattern_text(basis)
    return head


def pattern_text(basis) -> str:
    """The tying pattern as a grid of letters ('.' is a forced zero), or '' if none."""
    if basis.signed_tying is None:
        return ""
    idx, sign = basis.signed_tying  # type: ignore[misc]
    cells = [
        ["." if i < 0 else ("-" if s < 0 else "") + _letters(int(i)) for i, s in zip(r_idx, r_sign)]
        for r_idx, r_sign in zip(idx, sign)
    ]
    w = max((len(c) for row in cells for c in row), default=1)
    return "\n".join(" ".join(f"{c:>{w}}" for c in row) for row in cells)


def basis_text(basis, max_pattern: int = 30) -> str:
    """Human summary: dim, method, time, and the pattern for sizes up to max_pattern."""
    lines = [
        f"group:   {basis.group} ({basis.kind})",
        f"map:     {basis.rep_in} ({basis.in_dim}) -> {basis.rep_out} ({basis.out_dim})",
        f"dim:     {basis.dim}",
        f"method:  {basis.method} ({'exact' if basis.exact else 'float64'})",
        f"time:    {basis.seconds:.3f} s",
    ]
    if basis.lower_bound:
        lines.insert(3, f"         AT LEAST {basis.dim}: the dimension is not certified")
    if basis.rank_gap is not None:
        lines.append(f"rank:    {basis.rank_gap.to_text()}")
    if basis.signed_tying is not None:
        lines.append(
            f"tying:   {'signed ' if basis.tying is None else ''}tying pattern, "
            f"{basis.dim} parameter{'' if basis.dim == 1 else 's'}"
        )
        if basis.out_dim <= max_pattern and basis.in_dim <= max_pattern:
            lines.append(pattern_text(basis))
    elif basis.dim and basis.out_dim * basis.in_dim <= 64 and basis.dim <= 8:
        for k, b in enumerate(exact_or_dense(basis)):
            lines.append(f"B{k} =")
            lines.extend("  " + " ".join(f"{v:g}" for v in row) for row in b)
    return "\n".join(lines)


def exact_or_dense(basis):
    """The matrices with exact integers where they exceed 64 bits, else ``dense``."""
    return basis._json_matrices() if basis.exact_values is not None else basis.dense


def latex(basis) -> str:
    """LaTeX: the pattern matrix in θ_k for a tying, else W = Σ θ_k B_k."""
    if basis.signed_tying is not None:
        idx, sign = basis.signed_tying  # type: ignore[misc]
        rows = [
            " & ".join(
                "0" if i < 0 else ("-" if s < 0 else "") + f"\\theta_{{{i}}}"
                for i, s in zip(ri, rs)
            )
            for ri, rs in zip(idx, sign)
        ]
        return "W = \\begin{pmatrix} " + " \\\\ ".join(rows) + " \\end{pmatrix}"
    terms = []
    for k, b in enumerate(exact_or_dense(basis)):
        body = " \\\\ ".join(" & ".join(f"{v:g}" for v in row) for row in b)
        terms.append(f"\\theta_{{{k}}} \\begin{{pmatrix}} {body} \\end{{pmatrix}}")
    return "W = " + (" + ".join(terms) if terms else "0")
