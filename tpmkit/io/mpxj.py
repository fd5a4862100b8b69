"""Optional MPXJ bridge for binary and other formats (``.mpp``, ``.mpt``, ``.pmxml``, …).

`MPXJ <https://www.mpxj.org>`_ (Java, LGPL) reads binary MS Project ``.mpp`` files and about
twenty other formats (FastTrack, Phoenix, Asta, Sure Trak, …); Primavera PMXML
(``.pmxml``) is recognised by its content and read in pure Python by
:func:`tpmkit.io.xer.read_pmxml_parts` without MPXJ. When the
Python package ``mpxj`` (with JPype) and a Java runtime are present, :func:`read_parts`
lets MPXJ read the file, has MPXJ write it as MS Project XML into a temporary file, and
reads that with :func:`tpmkit.io.mspdi.read_parts` — so every bridged format gets exactly
the same conversion rules (durations, lags, calendars, stored dates) as MSPDI.

Install with ``pip install "tpmkit[mpp]"`` (``mpxj`` + ``JPype1``) and a Java 11+ runtime.
Without them, reading such a file raises :class:`~tpmkit.errors.InputFileError` saying so.

References
----------
J. Iles, MPXJ ``UniversalProjectReader`` and ``MSPDIWriter`` (https://www.mpxj.org).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from tpmkit.errors import FileFormatError, InputFileError
from tpmkit.io._xml import check_size

__all__ = ["available", "read_parts", "to_mspdi"]

_INSTALL = ('install the optional MPXJ bridge with: pip install "tpmkit[mpp]" (the mpxj and '
            "JPype1 packages) and a Java 11+ runtime, or save the file from its tool as MS "
            "Project XML (.xml), XER or MPX")


def available() -> tuple[bool, str]:
    """Return ``(True, "")`` when the bridge can run, else ``(False, reason)``.

    Examples
    --------
    >>> ok, reason = available()
    >>> isinstance(ok, bool) and isinstance(reason, str)
    True
    """
    for mod in ("jpype", "mpxj"):
        if importlib.util.find_spec(mod) is None:
            return False, f"the Python package {mod!r} is not installed"
    java_home = os.environ.get("JAVA_HOME")
    if not (shutil.which("java") or (java_home and Path(java_home, "bin", "java").exists())):
        return False, "no Java runtime was found (java is not on PATH and JAVA_HOME is unset)"
    return True, ""


def _classes():
    import jpype
    import mpxj  # noqa: F401  (puts the MPXJ jars on the class path)

    if not jpype.isJVMStarted():
        # silence log4j's "no logging provider" notice on stderr
        jpype.startJVM("-Dlog4j2.loggerContextFactory="
                       "org.apache.logging.log4j.simple.SimpleLoggerContextFactory",
                       "-Dorg.apache.logging.log4j.level=OFF")
    try:
        from org.mpxj.mspdi import MSPDIWriter
        from org.mpxj.reader import UniversalProjectReader
    except ImportError:  # MPXJ before 14 used the net.sf.mpxj packages
        from net.sf.mpxj.mspdi import MSPDIWriter
        from net.sf.mpxj.reader import UniversalProjectReader
    return UniversalProjectReader, MSPDIWriter


def to_mspdi(path: str | os.PathLike, out: str | os.PathLike) -> Path:
    """Have MPXJ read ``path`` (any format it supports) and write it as MS Project XML.

    Parameters
    ----------
    path : path-like
        Input file (``.mpp``, ``.fts``, ``.pp``, ... or MSPDI itself).
    out : path-like
        The MSPDI file to write.

    Returns
    -------
    pathlib.Path
        ``out``.

    Raises
    ------
    InputFileError
        The bridge is not installed, no Java runtime is available, or the JVM fails to start.
    FileFormatError
        MPXJ does not recognise, cannot read or cannot convert the file.
    """
    name = str(path)
    ok, reason = available()
    if not ok:
        raise InputFileError(f"{name}: reading {Path(name).suffix or 'this'} files needs MPXJ, "
                             f"but {reason}; {_INSTALL}")
    import jpype

    try:
        Reader, Writer = _classes()
        project = Reader().read(str(Path(name).resolve()))
    except jpype.JException as exc:
        raise FileFormatError(f"{name}: MPXJ cannot read the file ({exc.getMessage()}); "
                              "check that it opens in its tool and save it again") from None
    except (OSError, RuntimeError) as exc:
        raise InputFileError(f"{name}: the MPXJ bridge failed to start ({exc}); {_INSTALL}") \
            from None
    if project is None:
        raise FileFormatError(f"{name}: MPXJ does not recognise this file format; save it from "
                              "its tool as MS Project XML, XER or MPX")
    try:
        Writer().write(project, str(Path(out).resolve()))
    except jpype.JException as exc:
        raise FileFormatError(f"{name}: MPXJ could not convert the file to MS Project XML "
                              f"({exc.getMessage()})") from None
    return Path(out)


def read_parts(path: str | os.PathLike, *, max_bytes: int | None = None,
               **settings: Any) -> dict[str, Any]:
    """Read any MPXJ-supported file into the parts of a tpmkit project.

    Parameters
    ----------
    path : path-like
        The file (``.mpp``, ``.mpt``, ``.pmxml``, ``.fts``, ``.pp``, …).
    max_bytes : int, optional
        Size limit [bytes].
    **settings
        Passed on to :func:`tpmkit.io.mspdi.read_parts`.

    Returns
    -------
    dict
        As :func:`tpmkit.io.mspdi.read_parts`; ``project["source_format"]`` names the
        original format (``"mpxj:mpp"``, ...).

    Raises
    ------
    InputFileError
        The bridge is not installed or no Java runtime is available (the message says how
        to install it).
    FileFormatError
        MPXJ does not recognise or cannot read the file.
    """
    name = str(path)
    check_size(path, max_bytes)
    with open(name, "rb") as fh:
        head = fh.read(1024)
    if b"APIBusinessObjects" in head:  # Primavera PMXML: read in pure Python, no Java needed
        from tpmkit.io import xer

        return xer.read_pmxml_parts(path, max_bytes=max_bytes, **settings)
    from tpmkit.io import mspdi

    with tempfile.TemporaryDirectory(prefix="tpmkit-mpxj-") as tmp:
        out = to_mspdi(path, Path(tmp) / "converted.xml")
        parts = mspdi.read_parts(out, max_bytes=max_bytes, **settings)
    parts["project"]["source_format"] = f"mpxj:{Path(name).suffix.lstrip('.').lower()}"
    parts["warnings"] = [w.replace(str(out), name) for w in parts.get("warnings", [])]
    return parts
