"""The numba shim: the only module of tpmkit that imports numba.

numba is optional. It is used when it is installed and the environment variable
``TPMKIT_NO_NUMBA`` is not ``1`` (:data:`HAVE_NUMBA`); otherwise :func:`njit` returns the
function unchanged and :data:`prange` is :class:`range`, so the same Python/numpy code
runs (much slower for large inputs) and gives the same results: the kernels use only
IEEE float64 arithmetic, which numba evaluates exactly as CPython and numpy do (no
fast-math, no contraction into fused multiply-adds).

numba itself is imported on first need, never by ``import tpmkit``:

* ``@njit(...)`` compiles eagerly: it imports numba when the decorated module is imported
  (the levelling kernels);
* ``@njit(..., lazy=True)`` (the core's graph and PDM passes, the Monte Carlo, distribution
  and Kendall kernels) returns a :class:`Kernel` that runs as plain Python until numba is
  loaded, and compiled afterwards. :func:`call` loads numba for large inputs only, so
  scheduling or simulating a small network never imports it (the Monte Carlo engine then
  takes its numpy reference path, which gives the same results).
"""

from __future__ import annotations

import functools
import importlib.util
import os
from collections.abc import Callable
from typing import Any

__all__ = ["COMPILE_ABOVE", "HAVE_NUMBA", "Kernel", "call", "compiled", "load", "loaded", "njit",
           "prange"]

HAVE_NUMBA = (os.environ.get("TPMKIT_NO_NUMBA", "") != "1"
              and importlib.util.find_spec("numba") is not None)

#: Input size (tasks + links) from which :func:`call` compiles: below it a Python pass
#: (~40 µs per task or link) takes less time (≤ ~0.1 s) than importing numba and loading
#: the compiled code from the disk cache (~1 s).
COMPILE_ABOVE = 2_000

_LAZY: list[Kernel] = []
_numba: Any = None


class Kernel:
    """A lazily compiled function: Python until numba is loaded, then its dispatcher."""

    def __init__(self, func: Callable, options: dict) -> None:
        functools.update_wrapper(self, func)
        self.py_func = func
        self.options = options
        self.dispatcher: Any = None

    def __call__(self, *args: Any) -> Any:
        if self.dispatcher is not None:
            return self.dispatcher(*args)
        return self.py_func(*args)

    def compiled(self, *args: Any) -> Any:
        """Run compiled (loads numba and compiles or reads the disk cache on first use)."""
        if self.dispatcher is None:
            _load()
        return self.dispatcher(*args)


def _rebind(namespace: dict) -> None:
    # numba resolves globals by value when it compiles: lazy kernels must be dispatchers,
    # and the stand-in ``prange`` (``range`` until numba is loaded) numba's parallel range
    for name, value in list(namespace.items()):
        if isinstance(value, Kernel) and value.dispatcher is not None:
            namespace[name] = value.dispatcher
        elif value is range and name == "prange":
            namespace[name] = _numba.prange


def _load() -> None:
    """Import numba, compile (lazily) every registered kernel, rebind module globals."""
    global _numba
    if _numba is None:
        import numba

        _numba = numba
    for k in _LAZY:
        if k.dispatcher is None:
            k.dispatcher = _numba.njit(**k.options)(k.py_func)
    for k in _LAZY:
        _rebind(k.py_func.__globals__)


def load() -> None:
    """Load numba and compile every lazy kernel on first call from now on (the warm-up uses
    it to compile tiny inputs; a no-op without numba)."""
    if HAVE_NUMBA:
        _load()


def loaded() -> bool:
    """Whether numba has been imported by tpmkit (compiled kernels are in use)."""
    return _numba is not None


def call(kernel: Callable, size: int, *args: Any, above: int = COMPILE_ABOVE) -> Any:
    """Run ``kernel`` compiled when numba is available and either loaded already or
    ``size ≥ above``; else as Python (the same results)."""
    if isinstance(kernel, Kernel) and (loaded() or size >= above):
        return kernel.compiled(*args)
    return kernel(*args)


def compiled(kernel: Callable, *args: Any) -> Any:
    """Run ``kernel`` compiled whenever numba is available (the caller decided it is worth
    loading), else as Python."""
    if isinstance(kernel, Kernel):
        return kernel.compiled(*args)
    return kernel(*args)


if HAVE_NUMBA:
    def njit(*args: Any, lazy: bool = False, **options: Any) -> Any:
        """:func:`numba.njit`; with ``lazy=True`` a :class:`Kernel` (compiled on demand)."""
        if len(args) == 1 and callable(args[0]):
            return njit(lazy=lazy, **options)(args[0])

        def decorate(func: Callable) -> Any:
            if lazy and _numba is None:
                kernel = Kernel(func, options)
                _LAZY.append(kernel)
                return kernel
            _load()
            _rebind(func.__globals__)  # names the module imported from lazy modules
            return _numba.njit(**options)(func)

        return decorate

    #: ``range`` until numba is loaded; :func:`_rebind` puts ``numba.prange`` in the modules of
    #: the kernels (a lazy kernel runs as Python with ``range``, compiled in parallel)
    prange = range
else:
    def njit(*args: Any, lazy: bool = False, **options: Any) -> Any:
        """No-op stand-in for :func:`numba.njit` (``@njit`` and ``@njit(...)``)."""
        if len(args) == 1 and callable(args[0]):
            return args[0]

        def decorate(func: Callable) -> Callable:
            return func

        return decorate

    prange = range
