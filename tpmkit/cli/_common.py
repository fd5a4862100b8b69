"""Helpers shared by the command modules: input arguments, loading, JSON and atomic writes."""

from __future__ import annotations

import argparse
import json
import math
from typing import Any

import numpy as np
import pandas as pd

from tpmkit._files import write_text_atomic

__all__ = ["add_input_arguments", "date_or_days", "jsonable", "load_project", "print_json",
           "write_text_atomic"]


def add_input_arguments(parser: argparse.ArgumentParser, json_flag: bool = True) -> None:
    """Add FILE, ``--start`` and (by default) ``--json`` to ``parser``."""
    parser.add_argument("file", metavar="FILE",
                        help="project file (csv, xlsx, yaml, json, MSPDI xml, xer, gan, ...) "
                             "or sample:NAME for a bundled sample")
    parser.add_argument("--start", metavar="DATE",
                        help="project start date (overrides the file's), e.g. 2027-01-04")
    parser.add_argument("--dayfirst", action="store_true", default=None,
                        help="read dates such as 03/02/2027 day-first (3 February); default: "
                             "ISO dates, and ambiguous dates are refused")
    parser.add_argument("--date-format", metavar="FORMAT",
                        help="how to read non-ISO dates, e.g. '%%d/%%m/%%Y'")
    if json_flag:
        parser.add_argument("--json", action="store_true",
                            help="print one JSON object on stdout instead of a table")


def load_project(args: argparse.Namespace, **settings: Any):
    """Read ``args.file`` (or ``sample:NAME``) with the command-line settings applied.

    With ``--status-date`` the progress is rolled back to that date (:func:`tpmkit.evm.as_of`).
    """
    from tpmkit.datasets import read_source

    if getattr(args, "start", None):
        settings["start"] = args.start
    for key in ("dayfirst", "date_format"):
        if getattr(args, key, None) is not None:
            settings[key] = getattr(args, key)
    project, _ = read_source(args.file, getattr(args, "status_date", None) or None, **settings)
    return project


def date_or_days(text: str | None, option: str = "--deadline") -> float | str | None:
    """A command-line value that is either working days (``"45"``) or a date string.

    Working days must lie in 0 … :data:`~tpmkit.model.calendar.MAX_DAYS` (100 years).
    """
    from tpmkit.errors import OptionError
    from tpmkit.model.calendar import MAX_DAYS

    if text is None:
        return None
    try:
        days = float(text)
    except ValueError:
        return text
    if not 0 <= days <= MAX_DAYS:
        raise OptionError(f"{option} {text} is outside the valid range 0 … {MAX_DAYS:g} working "
                          "days; give working days from the start or a date (YYYY-MM-DD)")
    return days


def jsonable(value: Any) -> Any:
    """Convert numpy/pandas scalars, NaN and timestamps into JSON-friendly values."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | np.ndarray | pd.Index):
        return [jsonable(v) for v in value]
    if isinstance(value, pd.Timestamp | np.datetime64):
        ts = pd.Timestamp(value)
        return None if pd.isna(ts) else ts.date().isoformat()
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, np.bool_ | bool):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        value = float(value)
        return None if math.isnan(value) or math.isinf(value) else value
    return value


def print_json(obj: Any) -> None:
    """Print ``obj`` as one JSON object on stdout."""
    try:  # plain values in json's C encoder; numpy/pandas scalars through jsonable, one each
        text = json.dumps(obj, ensure_ascii=False, allow_nan=False, default=_json_default)
    except (TypeError, ValueError):  # NaN, infinity or an unusual key: convert it all first
        text = json.dumps(jsonable(obj), ensure_ascii=False)
    print(text)


def _json_default(value: Any) -> Any:
    out = jsonable(value)
    if out is value:
        raise TypeError(f"not JSON: {type(value).__name__}")
    return out
