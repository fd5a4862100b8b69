"""The fields of a Microsoft Project XML file: text, numbers, dates and ISO 8601 durations
read from an element, with one-line errors naming the file, the record and the field
(:mod:`tpmkit.io.mspdi`)."""

from __future__ import annotations

import math
import re
from xml.etree.ElementTree import Element

import pandas as pd

from tpmkit.errors import FileFormatError
from tpmkit.io._xml import stamp
from tpmkit.io.limits import quote

__all__ = ["FORMATS", "ISO_DURATION", "Ctx", "clock_minutes", "date_of", "duration_format",
           "iso_minutes", "number", "text"]

# duration/lag format codes (estimated variants are +32): unit name and whether elapsed
FORMATS = {3: ("m", False), 4: ("em", True), 5: ("h", False), 6: ("eh", True),
           7: ("d", False), 8: ("ed", True), 9: ("w", False), 10: ("ew", True),
           11: ("mo", False), 12: ("emo", True), 19: ("%", False), 20: ("e%", True),
           21: ("d", False)}
ISO_DURATION = re.compile(r"^(-)?P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)D)?"
                          r"(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$")


def duration_format(code: str | None) -> tuple[str, bool]:
    """The unit of a ``DurationFormat``/``LagFormat`` code and whether it is elapsed time."""
    try:
        c = int(code) if code not in (None, "") else 7
    except ValueError:
        c = 7
    if c >= 35:
        c -= 32
    return FORMATS.get(c, ("d", False))


class Ctx:
    """Where we are in the file, for error messages."""

    def __init__(self, path: str):
        self.path = path

    def error(self, where: str, field: str, value: object, fix: str) -> FileFormatError:
        return FileFormatError(f"{self.path}: {where}: field {field} has the invalid value "
                               f"{quote(value)}; {fix}")


def text(el: Element | None, tag: str, default: str | None = None) -> str | None:
    """The stripped text of child ``tag`` of ``el``; ``default`` when absent or blank."""
    if el is None:
        return default
    c = el.find(tag)
    if c is None or c.text is None:
        return default
    t = c.text.strip()
    return t if t != "" else default


def number(el: Element, tag: str, ctx: Ctx, where: str, default: float = math.nan) -> float:
    """Child ``tag`` as a finite number (``default`` when absent); one-line error otherwise."""
    t = text(el, tag)
    if t is None:
        return default
    try:
        f = float(t)
    except ValueError:
        f = math.nan
    if not math.isfinite(f):
        raise ctx.error(where, tag, t, "it must be a number")
    return f


def date_of(el: Element, tag: str, ctx: Ctx, where: str) -> pd.Timestamp:
    """Child ``tag`` as a timestamp (NaT when absent or ``NA``); one-line error otherwise."""
    t = text(el, tag)
    if t is None or t.startswith("NA"):
        return pd.NaT
    try:
        return stamp(t)
    except ValueError as exc:
        raise ctx.error(where, tag, t, f"it must be an ISO date-time such as "
                        f"2024-01-08T08:00:00 ({exc})") from None


def iso_minutes(text: str | None, ctx: Ctx, where: str, field: str) -> float:
    """ISO 8601 duration → minutes (NaN when absent)."""
    if text is None:
        return math.nan
    m = ISO_DURATION.match(text.strip())
    if not m or text.strip() in ("P", "PT", "-P", "-PT"):
        raise ctx.error(where, field, text, "durations must look like PT16H0M0S")
    sign = -1.0 if m.group(1) else 1.0
    y, mo, d, h, mi, s = (float(g) if g else 0.0 for g in m.groups()[1:])
    return sign * (((y * 365 + mo * 30 + d) * 24 + h) * 60 + mi + s / 60.0)


def clock_minutes(t: str | None) -> int:
    """Minutes after midnight of a ``HH:MM:SS`` time (0 when absent)."""
    if not t:
        return 0
    hh, mm, *_ = (t.split(":") + ["0", "0"])
    return int(hh) * 60 + int(mm)
