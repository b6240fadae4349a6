"""Refusals before work that cannot fit in the memory available now."""

from __future__ import annotations

from ..errors import SolverError


def available_memory() -> int:  # noqa: D401
    """Bytes of memory available now (MemAvailable), or 8 GiB where it cannot be read."""
    try:
        with open("/proc/meminfo") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 8 * 2**30


def require_memory(what: str, need: int) -> None:
    """SolverError naming ``what`` when ``need`` bytes exceed 70% of the memory available."""
    have = available_memory()
    if need > 0.7 * have:
        raise SolverError(
            f"{what} needs about {_bytes(need)}, but {_bytes(have)} is available; use smaller reps"
        )


def count_text(n: int) -> str:
    return f"{n:,}" if n < 10**15 else f"about 10^{len(str(n)) - 1}"


def _bytes(b: int) -> str:
    return f"{b / 2**30:.1f} GiB" if b < 2**80 else f"2^{b.bit_length() - 1} bytes"
