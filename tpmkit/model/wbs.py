"""The ONE WBS grammar: dot-separated levels of letters and digits (``1``, ``1.2.3``, ``1.A.2``).

MS Project, Primavera P6 and GanttProject let WBS codes hold letters, so a level is any
run of ASCII letters and digits; empty levels (``1..2``), other characters and leading or
trailing dots are refused. :func:`tpmkit.read` and :func:`tpmkit.scope.check_wbs` both use
:func:`malformed_codes`, so a code is accepted by both or refused by both. Numbering rules
(siblings numbered from 1 without gaps, no ``0`` level) are checks of the WBS dictionary in
:mod:`tpmkit.scope`, not part of the grammar.
"""

from __future__ import annotations

import re

import pandas as pd

__all__ = ["WBS_PATTERN", "is_wbs_code", "malformed_codes", "wbs_key", "wbs_parent"]

#: A WBS code: levels of letters/digits separated by single dots.
WBS_PATTERN = re.compile(r"^[A-Za-z0-9]+(?:\.[A-Za-z0-9]+)*$")


def is_wbs_code(code: object) -> bool:
    """True when ``code`` follows the WBS grammar.

    Examples
    --------
    >>> is_wbs_code("1.A.2"), is_wbs_code("1..2"), is_wbs_code("1.a!")
    (True, False, False)
    """
    return bool(WBS_PATTERN.match(str(code)))


def malformed_codes(codes: pd.Series) -> pd.Series:
    """Boolean mask of the non-blank codes (stripped text) that break the grammar."""
    given = codes != ""
    bad = given.copy()
    if given.any():
        bad[given] = ~codes[given].str.match(WBS_PATTERN.pattern)
    return bad


def wbs_parent(code: str) -> str:
    """Parent of a WBS code (``'1.2.3'`` → ``'1.2'``; top level → ``''``).

    Examples
    --------
    >>> wbs_parent("1.2.3"), wbs_parent("1")
    ('1.2', '')
    """
    code = str(code).strip()
    return code.rsplit(".", 1)[0] if "." in code else ""


def wbs_key(code: str) -> tuple[tuple[int, int, str], ...]:
    """Sort key: numeric levels in numeric order (``1.9`` before ``1.10``), then lettered ones.

    Examples
    --------
    >>> sorted(["1.10", "1.B", "1.9", "1.A"], key=wbs_key)
    ['1.9', '1.10', '1.A', '1.B']
    """
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in str(code).split("."))
