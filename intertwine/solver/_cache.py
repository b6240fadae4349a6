"""A disk cache of solved bases, keyed by a content hash of the generator matrices and method.

Location: ``$INTERTWINE_CACHE_DIR`` if set, else ``$XDG_CACHE_HOME/intertwine``, else
``~/.cache/intertwine``. Entries are .npz files written atomically (a temporary file, then
``os.replace``); an entry that fails its checksum or does not load is deleted and recomputed.
The key never involves names: two differently named actions with equal generators share entries,
and a redefined action with other generators never sees a stale basis.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from ..core import Rep
from ..errors import IntertwineError
from ._basis import FORMAT_VERSION, Basis


def cache_dir() -> Path:
    env = os.environ.get("INTERTWINE_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "intertwine"


def cache_key(rep_in: Rep, rep_out: Rep, method: str) -> str:
    h = hashlib.sha256(f"intertwine-basis-v{FORMAT_VERSION}|{method}|".encode())
    h.update(rep_in.digest())
    h.update(b"|")
    h.update(rep_out.digest())
    return h.hexdigest()


def load(key: str, rep_in: Rep, rep_out: Rep) -> Basis | None:
    path = cache_dir() / f"{key}.npz"
    if not path.exists():
        return None
    try:
        return Basis.load(path, rep_in, rep_out)
    except IntertwineError:
        path.unlink(missing_ok=True)
        return None


def discard(key: str) -> None:
    """Remove one entry (one that failed its check); a read-only cache is left as it is."""
    try:
        (cache_dir() / f"{key}.npz").unlink(missing_ok=True)
    except OSError:
        pass


def store(key: str, basis: Basis) -> None:
    directory = cache_dir()
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=directory, suffix=".tmp")
        with os.fdopen(fd, "wb"):
            pass
        basis.save(tmp)
        os.replace(tmp, directory / f"{key}.npz")
    except OSError:
        return  # a read-only or full disk never fails a solve


def clear_cache() -> int:
    """Delete every cache entry; return how many were removed."""
    directory = cache_dir()
    count = 0
    if directory.is_dir():
        for p in directory.iterdir():
            if p.suffix in (".npz", ".tmp"):
                p.unlink(missing_ok=True)
                count += 1
    return count
