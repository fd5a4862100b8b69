"""Atomic file writes: write to a temporary file beside the target, then rename."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

__all__ = ["atomic_path", "refuse_overwrite", "write_text_atomic"]


def refuse_overwrite(target: str | os.PathLike, *sources: object,
                     fix: str = "choose another output path") -> None:
    """Raise InputFileError when ``target`` is one of the files that were read (``sources``).

    Sources that are not paths (``sample:NAME``, None) are ignored.
    """
    from tpmkit.errors import InputFileError

    out = Path(target)
    if not out.exists():
        return
    for src in sources:
        if src is None or str(src).startswith("sample:"):
            continue
        if Path(src).exists() and out.resolve() == Path(src).resolve():
            raise InputFileError(f"refusing to overwrite the input file {str(out)!r}; {fix}")


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path; on success it replaces ``path`` in one rename.

    On error the temporary file is removed and ``path`` is left as it was.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=target.suffix, dir=target.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        # mkstemp creates 0600; give the file the permissions a plain open() would
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    finally:
        Path(tmp).unlink(missing_ok=True)


def write_text_atomic(path: str | os.PathLike, text: str | bytes, *, inputs: tuple = ()) -> Path:
    """Write ``text`` to ``path`` through a temporary file renamed into place.

    Refuses to overwrite any of ``inputs`` (the files the command read).
    """
    target = Path(path)
    refuse_overwrite(target, *inputs)
    with atomic_path(target) as tmp:
        if isinstance(text, bytes):
            tmp.write_bytes(text)
        else:
            tmp.write_text(text, encoding="utf-8")
    return target
