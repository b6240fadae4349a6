"""The command line's files: output written atomically, and OSErrors said as environment errors.

An output file is written to a temporary file beside it (same folder, so the rename cannot cross
file systems; same extension, so matplotlib and NumPy pick the same format) and renamed over the
target only when everything succeeded, with :func:`os.replace` (atomic on POSIX and Windows). An
error or a Ctrl-C at any moment removes the temporary file: no partial output is ever left behind.
The temporary file is created before the work starts, so a missing folder or a read-only one is
refused at once, not after a long solve. Devices and pipes (``/dev/stdout``, ``/dev/full``) are
written directly: there is nothing to rename over them.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Iterator

_FIXES = {
    errno.ENOENT: "check the path",
    errno.ENOTDIR: "a part of the path is a file, not a folder: check the path",
    errno.EISDIR: "give a file name, not a folder",
    errno.EACCES: "check the permissions, or choose another path",
    errno.EPERM: "check the permissions, or choose another path",
    errno.EROFS: "the file system is read-only: choose another path",
    errno.ENOSPC: "the disk is full: free some space or write elsewhere",
    errno.EDQUOT: "the disk quota is exceeded: free some space or write elsewhere",
    errno.EFBIG: "the file is too large for this file system: write elsewhere",
    errno.ENAMETOOLONG: "the file name is too long: choose a shorter one",
}


def environment_message(exc: OSError, path: str | None = None) -> str:
    """One line naming the file, the problem and the fix, for an OSError on a user's file."""
    name = path or exc.filename
    verb = "cannot write" if isinstance(exc, OutputError) else "cannot access"
    where = f" {name}" if name else ""
    what = exc.strerror or type(exc).__name__
    fix = _FIXES.get(exc.errno or 0, "check the path and the disk, then try again")
    folder = os.path.dirname(os.path.abspath(str(name)))
    if isinstance(exc, OutputError) and exc.errno == errno.ENOENT and not os.path.isdir(folder):
        fix = f"create the folder first (mkdir -p {folder}) or choose another path"
    return f"{verb}{where}: {what}; {fix}"


class OutputError(OSError):
    """An OSError on an output file, with the path the user gave (not the temporary one)."""


def _is_special(path: str) -> bool:
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


@contextlib.contextmanager
def atomic_output(path: str) -> Iterator[str]:
    """Yield the path to write instead of ``path``; rename it over ``path`` on success.

    Raises :class:`OutputError` (an OSError naming ``path``) when the folder is missing or not
    writable, at entry, or when writing or the rename fails. Other files' OSErrors pass
    unchanged."""
    if _is_special(path):
        with _named(path, path):
            yield path
        return
    folder = os.path.dirname(os.path.abspath(path))
    stem, ext = os.path.splitext(os.path.basename(path))
    if os.path.isdir(path):
        raise OutputError(errno.EISDIR, os.strerror(errno.EISDIR), path)
    if os.path.exists(folder) and not os.path.isdir(folder):
        raise OutputError(errno.ENOTDIR, f"{os.strerror(errno.ENOTDIR)} ({folder} is a file)", path)
    if not os.path.isdir(folder):
        missing = f"{os.strerror(errno.ENOENT)} (the folder {folder} does not exist)"
        raise OutputError(errno.ENOENT, missing, path)
    import tempfile

    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{stem}.", suffix=f".part{ext}", dir=folder)
    except OSError as exc:
        raise OutputError(exc.errno, exc.strerror, path) from None
    os.close(fd)
    try:
        with _named(path, tmp):
            yield tmp
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; give the file the usual mode
            os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


@contextlib.contextmanager
def _named(path: str, written: str) -> Iterator[None]:
    """Re-raise an OSError on ``written`` (or on no named file: a write to an open handle) as an
    :class:`OutputError` naming ``path``."""
    try:
        yield
    except OutputError:
        raise
    except OSError as exc:
        if exc.filename not in (None, written, path):
            raise
        raise OutputError(exc.errno, exc.strerror, path) from None
