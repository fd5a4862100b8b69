"""Versions of tpmkit and its dependencies, for bug reports and report footers."""

from __future__ import annotations

import importlib.metadata
import platform
import sys

__all__ = ["show_versions", "versions"]

_PACKAGES = ("tpmkit", "numpy", "pandas", "scipy", "numba", "matplotlib", "openpyxl", "pyyaml",
             "defusedxml", "ipywidgets", "jupyterlab", "nbconvert", "nbclient", "papermill")


def versions() -> dict[str, str]:
    """Return ``{package: version}`` for Python, the platform and tpmkit's dependencies.

    Packages that are not installed map to ``"not installed"``.

    Examples
    --------
    >>> "numpy" in versions()
    True
    """
    out = {"python": sys.version.split()[0], "platform": platform.platform()}
    for name in _PACKAGES:
        try:
            out[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def show_versions() -> None:
    """Print :func:`versions` as an aligned list (paste it into a bug report)."""
    info = versions()
    width = max(map(len, info))
    for key, value in info.items():
        print(f"{key:<{width}} : {value}")
