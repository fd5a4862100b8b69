"""The numba shim: the only module of tpmkit that imports numba.

numba is optional. It is used when it can be imported and the environment variable
``TPMKIT_NO_NUMBA`` is not ``1``; otherwise :func:`njit` returns the function unchanged
and :data:`prange` is :class:`range`, so the same Python/numpy code runs (much slower
for large inputs) and gives the same results: the kernels use only IEEE float64
arithmetic that numba evaluates exactly as CPython and numpy do (no fast-math).

Importing this module imports numba (when enabled), so public modules import the kernel
modules that use it inside functions; ``import tpmkit`` never loads numba.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

__all__ = ["HAVE_NUMBA", "njit", "prange"]

HAVE_NUMBA = False
if os.environ.get("TPMKIT_NO_NUMBA", "") != "1":
    try:
        import numba as _numba
    except ImportError:  # pragma: no cover - depends on the installation
        pass
    else:
        HAVE_NUMBA = True

if HAVE_NUMBA:
    njit = _numba.njit
    prange = _numba.prange
else:
    def njit(*args: Any, **options: Any) -> Any:
        """No-op stand-in for :func:`numba.njit` (``@njit`` and ``@njit(...)``)."""
        if len(args) == 1 and callable(args[0]) and not options:
            return args[0]

        def decorate(func: Callable) -> Callable:
            return func

        return decorate

    prange = range
