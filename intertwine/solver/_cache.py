"""A disk cache of solved bases, keyed by a content hash of the generator matrices and method.

Location: ``$INTERTWINE_CACHE_DIR`` if set, else ``$XDG_CACHE_HOME/intertwine``, else
``~/.cache/intertwine``. Entries are .npz files written atomically (a temporary file, then
``os.replace``); an entry that fails its checksum, does not load, or fails its certificate is
deleted and recomputed. Only proved (exact) bases are stored, and a hit is checked and its
dimension proved again. ``clear`` removes only files the cache wrote (its name scheme, regular
files, never links), and a read-only cache never fails a solve.
The key never involves names: two differently named actions with equal generators share entries,
and a redefined action with other generators never sees a stale basis.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import stat
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


ENTRY = re.compile(r"^[0-9a-f]{64}\.npz$")
TEMPORARY = re.compile(r"^intertwine-[A-Za-z0-9_]+\.tmp$")


def load(key: str, rep_in: Rep, rep_out: Rep) -> tuple[Basis | None, str | None]:
    """(the entry for ``key`` or None, why a damaged entry was removed or None)."""
    path = cache_dir() / f"{key}.npz"
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return None, None  # never follow a link or read a device planted under its name
    except OSError:
        return None, None
    try:
        return Basis.load(path, rep_in, rep_out), None
    except IntertwineError as exc:
        discard(key)
        return None, str(exc)


def discard(key: str) -> None:
    """Remove one entry (one that failed its check); a read-only cache is left as it is."""
    try:
        (cache_dir() / f"{key}.npz").unlink(missing_ok=True)
    except OSError:
        pass


def store(key: str, basis: Basis) -> None:
    directory = cache_dir()
    tmp = None
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=directory, prefix="intertwine-", suffix=".tmp")
        with os.fdopen(fd, "wb"):
            pass
        basis.save(tmp)
        os.replace(tmp, directory / f"{key}.npz")
    except OSError:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        return  # a read-only or full disk never fails a solve


def _written_by_cache(entry: os.DirEntry) -> bool:
    """A regular file (not a link, not a directory) with a name only the cache gives, and for
    entries the zip signature of an .npz file."""
    if not entry.is_file(follow_symlinks=False):
        return False
    if TEMPORARY.match(entry.name):
        return True
    if not ENTRY.match(entry.name):
        return False
    try:
        with open(entry.path, "rb") as fh:
            return fh.read(4) == b"PK\x03\x04"
    except OSError:
        return False


def clear_cache() -> int:
    """Delete the cache's own entries (and its interrupted temporary files); return how many.
    Anything else in the directory, links and subdirectories included, is left alone."""
    directory = cache_dir()
    count = 0
    try:
        entries = list(os.scandir(directory))
    except (FileNotFoundError, NotADirectoryError):
        return 0
    except OSError as exc:
        raise IntertwineError(
            f"cannot read the cache directory {directory}: {exc.strerror}"
        ) from None
    for entry in entries:
        if _written_by_cache(entry):
            try:
                os.unlink(entry.path)
                count += 1
            except FileNotFoundError:
                pass
            except OSError as exc:
                raise IntertwineError(
                    f"cannot remove {entry.path}: {exc.strerror}; check the cache directory's "
                    f"permissions"
                ) from None
    return count
