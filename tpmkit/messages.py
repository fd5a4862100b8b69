"""How warnings reach a person: one readable line each, on the command line and in notebooks.

Python prints a warning as ``/path/module.py:47: TpmkitWarning: message`` followed by the
source line that raised it; in Jupyter the path is the kernel's cell file
(``/tmp/ipykernel_123/456.py:14:``). Neither helps the reader. :func:`warning_line` is the
one formatter: the message on one line, prefixed by what issued it. The command line
installs it for every command (``tpmkit schedule: warning: …``); a notebook calls
:func:`readable_warnings` once (``tpmkit.readable_warnings()``) and then sees
``tpmkit warning: …``.
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Callable
from typing import Any, TextIO

from tpmkit.errors import TpmkitWarning

__all__ = ["one_line", "readable_warnings", "show_warning_as_line", "warning_line"]

#: ``warnings.showwarning`` as it was before :func:`readable_warnings` replaced it.
_ORIGINAL: dict[str, Callable[..., Any]] = {}


def one_line(text: object) -> str:
    """``text`` with every run of whitespace (newlines too) collapsed to one space.

    Examples
    --------
    >>> one_line("a\\n   b  c ")
    'a b c'
    """
    return " ".join(str(text).split())


def warning_line(message: Warning | str, category: type[Warning] = UserWarning,
                 prefix: str | None = None) -> str:
    """The one line a person sees for a warning (no source path, no source line).

    ``prefix`` names who is speaking (``"tpmkit schedule"`` on the command line); without
    it, tpmkit's own warnings read ``tpmkit warning: …`` and other libraries' warnings
    ``<Category>: …``.

    Examples
    --------
    >>> warning_line("negative float on\\n task B", TpmkitWarning, "tpmkit schedule")
    'tpmkit schedule: warning: negative float on task B'
    >>> warning_line("x is deprecated", DeprecationWarning)
    'DeprecationWarning: x is deprecated'
    """
    text = one_line(message)
    if prefix:
        return f"{prefix}: warning: {text}"
    if issubclass(category, TpmkitWarning):
        return f"tpmkit warning: {text}"
    return f"{category.__name__}: {text}"


def show_warning_as_line(prefix: str | None = None) -> Callable[..., None]:
    """A ``warnings.showwarning`` replacement that writes :func:`warning_line` to stderr."""

    def show(message: Warning | str, category: type[Warning], filename: str, lineno: int,
             file: TextIO | None = None, line: str | None = None) -> None:
        stream = file if file is not None else sys.stderr
        if stream is None:  # pythonw: no stderr to write to
            return
        try:
            stream.write(warning_line(message, category, prefix) + "\n")
        except (OSError, ValueError):  # a closed stream (e.g. after a broken pipe)
            pass

    return show


def readable_warnings(enable: bool = True) -> None:
    """Show every warning as one readable line (for notebooks; the CLI does it by itself).

    Call it once at the top of a notebook: ``tpmkit.readable_warnings()``. Warnings keep
    their filters (a warning shown once is still shown once); only the way they print
    changes. ``readable_warnings(False)`` restores Python's own display.

    Examples
    --------
    >>> import io, warnings
    >>> readable_warnings()
    >>> buf = io.StringIO()
    >>> warnings.showwarning(TpmkitWarning("task B has\\n no successor"), TpmkitWarning,
    ...                      "/tmp/ipykernel_1/2.py", 14, file=buf)
    >>> buf.getvalue()
    'tpmkit warning: task B has no successor\\n'
    >>> readable_warnings(False)
    """
    if enable:
        _ORIGINAL.setdefault("showwarning", warnings.showwarning)
        warnings.showwarning = show_warning_as_line()
    elif "showwarning" in _ORIGINAL:
        warnings.showwarning = _ORIGINAL.pop("showwarning")
