"""Atomic file writes: write to a temporary file beside the target, then rename.

Every file tpmkit writes (``tpmkit.write``, ``tpmkit convert``, ``--csv`` outputs, the HTML
report, artefact tables) goes through :func:`atomic_path`:

* the content goes to a temporary file in the target's folder, named
  ``.<name>.tpmkit-<pid>-<token><suffix>``, which is flushed to disk (``fsync``) and then
  renamed onto the target in one ``os.replace``: a reader sees the old file or the new one,
  never a part; a process killed mid-write leaves the old file intact;
* temporary files left by an interrupted write (their process no longer runs) are removed
  by the next write to the same target;
* a failed write (disk full, read-only folder, no permission) raises
  :class:`~tpmkit.errors.OutputFileError` naming the target and the fix, and leaves no
  partial file;
* a target that is a symlink to a file is written through the link (the link is kept); a
  target that is not a regular file (``/dev/stdout``, a FIFO) is written directly;
* an input file is never overwritten (:func:`refuse_overwrite` compares the files
  themselves, so symlinks, hard links and other spellings of the same name on
  case-insensitive file systems are caught).
"""

from __future__ import annotations

import contextlib
import errno
import glob
import os
import re
import secrets
import stat
import time
from collections.abc import Iterator
from pathlib import Path

__all__ = ["TEMP_TAG", "atomic_path", "refuse_overwrite", "stale_temporaries", "write_text_atomic"]

#: marks tpmkit's temporary files: ``.<name>.tpmkit-<pid>-<token><suffix>``
TEMP_TAG = ".tpmkit-"
#: where process ids cannot be probed (Windows), a temporary file this old [s] is stale
_STALE_AGE = 24 * 3600.0


def _same_file(a: Path, b: Path) -> bool:
    """True when ``a`` and ``b`` name one file (through symlinks, hard links or case)."""
    if os.path.normcase(os.path.realpath(a)) == os.path.normcase(os.path.realpath(b)):
        return True  # the same resolved path (normcase folds case on Windows)
    try:
        # the file system decides: one inode (device + number) is one file, whatever the
        # spelling: symlinks, hard links, and Plan.XML vs plan.xml on a case-insensitive disk
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist: writing a cannot overwrite b
        return False


def refuse_overwrite(target: str | os.PathLike, *sources: object,
                     fix: str = "choose another output path") -> None:
    """Raise InputFileError when ``target`` is one of the files that were read (``sources``).

    Sources that are not paths (``sample:NAME``, None) are ignored.
    """
    from tpmkit.errors import InputFileError

    out = Path(target)
    for src in sources:
        if src is None or str(src).startswith("sample:"):
            continue
        if _same_file(out, Path(src)):
            raise InputFileError(f"refusing to overwrite the input file {str(src)!r} "
                                 f"(output {str(out)!r}); {fix}")


def _alive(pid: int) -> bool:
    """Whether process ``pid`` runs (POSIX; on Windows, assumed so)."""
    if os.name == "nt":  # os.kill would terminate the process there
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it runs, as another user
        return True
    return True


def stale_temporaries(target: str | os.PathLike) -> list[Path]:
    """The temporary files that interrupted writes of ``target`` left behind.

    A temporary file is stale when the process that created it no longer runs (or, where
    that cannot be probed, when it is older than a day); files of writes still running are
    not listed.
    """
    target = Path(target)
    pattern = re.compile(re.escape(f".{target.name}{TEMP_TAG}") + r"(\d+)-[0-9a-f]+"
                         + re.escape(target.suffix) + "$")
    out = []
    try:
        candidates = list(target.parent.glob(f".{glob.escape(target.name)}{TEMP_TAG}*"))
    except OSError:
        return []
    for p in candidates:
        m = pattern.match(p.name)
        if not m or int(m.group(1)) == os.getpid():
            continue
        try:
            old = time.time() - p.stat().st_mtime > _STALE_AGE
        except OSError:
            continue
        if not _alive(int(m.group(1))) or (os.name == "nt" and old):
            out.append(p)
    return out


def _output_error(target: Path, exc: OSError):
    """The one-line OutputFileError for a failed write of ``target``."""
    from tpmkit.errors import OutputFileError

    code = exc.errno
    folder = str(target.parent) or "."
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        why, fix = "the disk is full", "free some space or choose another output path"
    elif code == errno.EROFS:
        why, fix = f"the folder {folder!r} is on a read-only file system", \
            "choose another output path"
    elif code in (errno.EACCES, errno.EPERM):
        why, fix = f"permission denied in the folder {folder!r}", \
            "choose a folder you can write to, or change its permissions"
    elif code == errno.ENOENT:
        why, fix = f"the folder {folder!r} cannot be created", "check the path"
    else:
        why, fix = exc.strerror or str(exc), "check the path and the permissions"
    return OutputFileError(f"cannot write {str(target)!r}: {why}; {fix} (nothing was written)")


def _destination(path: Path) -> tuple[Path, bool]:
    """The file to replace (symlinks to files followed) and whether to write it directly."""
    try:
        st = os.stat(path)
    except OSError:
        return path, False  # a new file (or a dangling link: replaced by the new file)
    if stat.S_ISDIR(st.st_mode):
        from tpmkit.errors import OutputFileError

        raise OutputFileError(f"cannot write {str(path)!r}: it is a folder; name a file")
    if not stat.S_ISREG(st.st_mode):
        return path, True  # /dev/stdout, a FIFO, /dev/full: a stream, not a file to replace
    return (Path(os.path.realpath(path)) if path.is_symlink() else path), False


def _create_temporary(target: Path) -> Path:
    """Create (exclusively) an empty temporary file beside ``target``; return its path.

    Its permissions are those a plain ``open(target, "w")`` gives (0o666 less the umask).
    """
    while True:
        tmp = target.parent / (f".{target.name}{TEMP_TAG}{os.getpid()}-"
                               f"{secrets.token_hex(4)}{target.suffix}")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        os.close(fd)
        return tmp


def _keep_mode(tmp: Path, target: Path) -> None:
    """Give ``tmp`` the permission bits of the file it replaces (if there is one)."""
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        return
    os.chmod(tmp, mode)


def _flush_to_disk(path: Path) -> None:
    """fsync ``path`` so that the rename publishes the content, not an empty file."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike, *, inputs: tuple = ()) -> Iterator[Path]:
    """Yield a temporary path; on success it replaces ``path`` in one rename.

    On error the temporary file is removed and ``path`` is left as it was; an ``OSError``
    (disk full, permission denied, read-only folder) becomes an
    :class:`~tpmkit.errors.OutputFileError` naming ``path``. ``inputs`` are the files the
    output was made from: writing onto one of them is refused. Stale temporary files of
    interrupted writes of ``path`` are removed first.
    """
    target = Path(path)
    refuse_overwrite(target, *inputs)
    target, direct = _destination(target)
    if direct:
        try:
            yield target
        except OSError as exc:
            raise _output_error(target, exc) from exc
        return
    tmp: Path | None = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        for stale in stale_temporaries(target):
            stale.unlink(missing_ok=True)
        tmp = _create_temporary(target)
        yield tmp
        _flush_to_disk(tmp)
        _keep_mode(tmp, target)
        os.replace(tmp, target)
        tmp = None
    except OSError as exc:
        raise _output_error(target, exc) from exc
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)


def write_text_atomic(path: str | os.PathLike, text: str | bytes, *, inputs: tuple = ()) -> Path:
    """Write ``text`` to ``path`` through a temporary file renamed into place.

    Refuses to overwrite any of ``inputs`` (the files the command read).
    """
    target = Path(path)
    with atomic_path(target, inputs=inputs) as tmp:
        if isinstance(text, bytes):
            tmp.write_bytes(text)
        else:
            tmp.write_text(text, encoding="utf-8")
    return target
