"""The exceptions tpmkit raises for bad input.

Every error subclasses :class:`TpmkitError`, which subclasses :class:`ValueError`, so
``except ValueError`` keeps working. Messages follow one pattern: what is wrong → which
ids (the first five, then "and N more") → how to fix it. The command line prints the
message as one line on stderr and exits with status 2.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = [
    "CorrelationWarning",
    "CycleError",
    "DataError",
    "EVMWarning",
    "FileFormatError",
    "InputFileError",
    "OptionError",
    "OutputFileError",
    "TpmkitError",
    "TpmkitWarning",
    "ValidationError",
    "check_option",
    "format_ids",
    "quote",
]


class TpmkitError(ValueError):
    """Base class of every tpmkit input error."""


class ValidationError(TpmkitError):
    """A task table, risk register or other table holds invalid values."""


class CycleError(ValidationError):
    """The precedence network contains a cycle (the message prints it)."""

    def __init__(self, message: str, cycle: list[str] | None = None):
        super().__init__(message)
        self.cycle = cycle or []


class OptionError(TpmkitError):
    """An option is not one of its closed set of choices."""


class InputFileError(TpmkitError):
    """A file cannot be found, read or decoded."""


class FileFormatError(InputFileError):
    """A file was read but its content is malformed (names file, record and field)."""


class DataError(TpmkitError):
    """A computation lacks the data it needs (e.g. no baseline for EVM)."""


class OutputFileError(TpmkitError):
    """An output file cannot be written (disk full, read-only folder); nothing was written."""


class TpmkitWarning(UserWarning):
    """Base class of every warning tpmkit issues (one readable line: what, ids, consequence)."""


class EVMWarning(TpmkitWarning):
    """An earned-value figure is undefined for some periods (set to NaN; the message names them)."""


class CorrelationWarning(TpmkitWarning):
    """A correlation matrix was not positive semi-definite and was repaired."""


def format_ids(ids: Iterable[object], limit: int = 5) -> str:
    """Return ``'A, B, C'`` or ``'A, B, C, D, E and 7 more'``.

    Examples
    --------
    >>> format_ids(["A", "B"])
    'A, B'
    >>> format_ids(range(8))
    '0, 1, 2, 3, 4 and 3 more'
    """
    ids = [str(i) for i in ids]
    head = ", ".join(ids[:limit])
    return head if len(ids) <= limit else f"{head} and {len(ids) - limit} more"


def quote(value: object, chars: int = 80) -> str:
    """The ``repr`` of ``value`` cut to its first ``chars`` characters, saying how long it was.

    Error lines quote at most 80 characters of a bad value.

    Examples
    --------
    >>> quote("2024-01-04")
    "'2024-01-04'"
    >>> quote("9" * 1000, chars=5)
    "'99999…' (1,000 characters)"
    """
    text = value if isinstance(value, str) else repr(value)
    if len(text) <= chars:
        return repr(value)
    return f"{text[:chars]!r}"[:-1] + f"…' ({len(text):,} characters)"


def check_option(value: str, choices: Iterable[str], name: str) -> str:
    """Return ``value`` lower-cased if it is one of ``choices``, else raise OptionError.

    Examples
    --------
    >>> check_option("PERT", ["pert", "triangular"], "distribution")
    'pert'
    """
    choices = list(choices)
    v = str(value).strip().lower()
    if v not in [c.lower() for c in choices]:
        raise OptionError(
            f"unknown {name} {value!r}; choose one of: {', '.join(choices)}"
        )
    return v
