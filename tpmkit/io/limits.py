"""Resource limits of the readers: file size, field length, workbook size, rows and columns.

Every reader checks its input against these limits before the expensive work (parsing,
inflating a workbook), so a hostile or broken file ends in one
:class:`~tpmkit.errors.InputFileError` line instead of exhausting memory or time. Each limit
has a default and an environment variable that overrides it for trusted large inputs:

===========================  ===========================  =====================
limit                        environment variable         default
===========================  ===========================  =====================
file size [bytes]            ``TPMKIT_MAX_FILE_BYTES``    268,435,456 (256 MiB)
field / cell [characters]    ``TPMKIT_MAX_FIELD_CHARS``   131,072
workbook, inflated [bytes]   ``TPMKIT_MAX_XLSX_BYTES``    268,435,456 (256 MiB)
rows per table               ``TPMKIT_MAX_ROWS``          100,000
columns per table            ``TPMKIT_MAX_COLUMNS``       1,000
===========================  ===========================  =====================

A workbook member that inflates more than :data:`MAX_RATIO` times (and to more than 1 MiB)
is refused as a zip bomb whatever the limits: spreadsheets compress 5–30 times.
Error messages quote at most 80 characters of a bad value (:func:`tpmkit.errors.quote`).
"""

from __future__ import annotations

import os
from pathlib import Path

from tpmkit.errors import FileFormatError, InputFileError, quote

__all__ = ["DEFAULTS", "MAX_DATE_CHARS", "MAX_RATIO", "check_size", "check_text_field", "limit",
           "quote"]

#: limit name → (environment variable, default)
DEFAULTS: dict[str, tuple[str, int]] = {
    "file_bytes": ("TPMKIT_MAX_FILE_BYTES", 256 * 1024 * 1024),
    "field_chars": ("TPMKIT_MAX_FIELD_CHARS", 131_072),
    "xlsx_bytes": ("TPMKIT_MAX_XLSX_BYTES", 256 * 1024 * 1024),
    "rows": ("TPMKIT_MAX_ROWS", 100_000),
    "columns": ("TPMKIT_MAX_COLUMNS", 1_000),
}
#: compression ratio above which a workbook member is a zip bomb (members over 1 MiB inflated)
MAX_RATIO = 200
#: longest text read as a date (``2024-01-08T08:00:00.000+01:00`` has 29)
MAX_DATE_CHARS = 64


def limit(name: str) -> int:
    """The current value of limit ``name`` (its environment variable, else the default).

    Examples
    --------
    >>> limit("columns")
    1000
    """
    env, default = DEFAULTS[name]
    raw = os.environ.get(env, "").strip()
    if not raw:
        return default
    try:
        value = int(float(raw))
    except ValueError:
        raise InputFileError(f"environment variable {env}={quote(raw)} is not a number; "
                             f"give a whole number such as {default}") from None
    if value <= 0:
        raise InputFileError(f"environment variable {env}={raw} must be positive; "
                             f"give e.g. {default}")
    return value


def check_text_field(text: str, where: str) -> str:
    """Return ``text``, or refuse it when longer than the ``field_chars`` limit.

    ``where`` names the file and the field for the message.
    """
    cap = limit("field_chars")
    if len(text) > cap:
        raise FileFormatError(f"{where}: a value of {len(text):,} characters is above the field "
                             f"limit of {cap:,} ({quote(text)}); shorten it, or raise "
                             f"{DEFAULTS['field_chars'][0]} if the file is trusted")
    return text


def check_size(path: str | os.PathLike, max_bytes: int | None = None) -> int:
    """Return the size of ``path`` [bytes]; raise if it is missing or larger than the limit."""
    cap = limit("file_bytes") if max_bytes is None else int(max_bytes)
    p = Path(path)
    try:
        size = p.stat().st_size
    except FileNotFoundError:
        raise InputFileError(f"file {str(p)!r} does not exist; check the path") from None
    except OSError as exc:
        raise InputFileError(f"cannot read {str(p)!r}: {exc.strerror or exc}; "
                             "check the path and permissions") from None
    if size > cap:
        raise InputFileError(
            f"file {str(p)!r} is {size:,} bytes, above the import limit of {cap:,} bytes; "
            f"set {DEFAULTS['file_bytes'][0]} (or pass max_bytes=... to the reader) if the "
            "file is trusted")
    return size
