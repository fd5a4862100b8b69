"""Links: the link grammar of the task table and the validated link table.

A link table has one row per precedence link: ``predecessor``, ``successor``, ``type``
(FS/SS/FF/SF), ``lag`` [working days, exact float] and ``lag_percent`` [fraction of the
predecessor's duration]. Readers hand such a table to :func:`tpmkit.model.build_project`
in ``parts["links"]``; a task table's ``predecessors`` text is parsed into the same table
by :func:`links_from_text`. Both go through :func:`check_links`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from tpmkit._core.graph import csr, find_cycle, topological_order
from tpmkit.errors import CycleError, ValidationError, format_ids
from tpmkit.model.calendar import MAX_DAYS
from tpmkit.model.columns import ID_PATTERN, column_name, text_column

# csr and topological_order are the core's (tpmkit._core.graph), re-exported for the model's
# network builder; the one cycle search is the core's find_cycle too.
__all__ = [
    "LINK_COLUMNS",
    "LINK_TYPES",
    "check_cycles",
    "check_links",
    "csr",
    "empty_links",
    "expand_summary_links",
    "format_link",
    "format_number",
    "links_from_text",
    "links_text",
    "parse_link",
    "topological_order",
]

LINK_TYPES = ("FS", "SS", "FF", "SF")
LINK_COLUMNS = ("predecessor", "successor", "type", "lag", "lag_percent")
_LINK_REST = re.compile(
    r"""^\s*(?P<type>FS|SS|FF|SF)?\s*
        (?:(?P<sign>[+-])\s*(?P<num>\d+(?:\.\d*)?|\.\d+)\s*
           (?P<unit>%|d|days?|wd|wdays?|w|wks?|weeks?)?)?\s*$""",
    re.IGNORECASE | re.VERBOSE,
)


def parse_link(token: str, known: Mapping[str, Any] | set[str] | None = None
               ) -> tuple[str, str, float, float]:
    """Parse one link ``ID [TYPE][±LAG]`` into ``(id, type, lag_days, lag_fraction)``.

    When ``known`` ids are given, the longest known id that leaves a valid type/lag suffix
    wins, so ids such as ``T-1`` or ``CLASS`` parse correctly.

    Examples
    --------
    >>> parse_link("B SS+2")
    ('B', 'SS', 2.0, 0.0)
    >>> parse_link("C FF-1d")
    ('C', 'FF', -1.0, 0.0)
    >>> parse_link("D SS+50%")
    ('D', 'SS', 0.0, 0.5)
    >>> parse_link("3SS+2d")
    ('3', 'SS', 2.0, 0.0)
    >>> parse_link("E+1w")
    ('E', 'FS', 5.0, 0.0)
    """
    text = token.strip()
    if known is not None and text in known:
        return text, "FS", 0.0, 0.0
    candidates = []
    for cut in range(len(text), 0, -1):
        pid = text[:cut].strip()
        if not pid or not ID_PATTERN.match(pid):
            continue
        m = _LINK_REST.match(text[cut:])
        if m and (known is None or pid in known):
            candidates.append((pid, m))
    if known is None and len(candidates) > 1:
        # without the id list, read MS-Project style "3SS+2d" as id 3 + SS
        numeric = [c for c in candidates if c[0].isdigit() and c[1].group("type")]
        candidates = numeric or candidates
    if not candidates:
        # report the most plausible reading: the id before the first space/sign/type
        m = re.match(r"^\s*([A-Za-z0-9_.\-]+?)(?=\s|[+-]|(?:FS|SS|FF|SF)\b|$)", text, re.I)
        guess = m.group(1) if m else text
        rest = text[len(guess):] if m else ""
        if known is not None and guess not in known and (not rest or _LINK_REST.match(rest)):
            raise _UnknownPredecessor(guess)
        raise ValidationError(f"malformed link {token!r}")
    pid, m = candidates[0]
    ltype = (m.group("type") or "FS").upper()
    lag, frac = 0.0, 0.0
    if m.group("num") is not None:
        value = float(m.group("num")) * (-1.0 if m.group("sign") == "-" else 1.0)
        unit = (m.group("unit") or "d").lower()
        if unit == "%":
            frac = value / 100.0
        elif unit.startswith("w") and not unit.startswith("wd"):
            lag = value * 5.0
        else:
            lag = value
    return pid, ltype, lag, frac


class _UnknownPredecessor(Exception):
    def __init__(self, pid: str):
        super().__init__(pid)
        self.pid = pid


def empty_links() -> pd.DataFrame:
    """An empty link table with the canonical columns (plus the display ``text``)."""
    return pd.DataFrame({c: pd.Series(dtype=float if c in ("lag", "lag_percent") else object)
                         for c in (*LINK_COLUMNS, "text")})


def format_number(x: float) -> str:
    """Format a lag compactly for display (``2``, ``0.5``, ``-1.25``; 10 significant digits).

    Examples
    --------
    >>> format_number(2.0), format_number(0.125), format_number(1 / 3)
    ('2', '0.125', '0.3333333333')
    """
    x = float(x)
    if x == int(x) and abs(x) < 1e15:
        return str(int(x))
    return f"{x:.10g}"


def format_link(pred: str, kind: str = "FS", lag_days: float = 0.0,
                lag_percent: float = 0.0) -> str:
    """One predecessor entry for display/writing, e.g. ``'A SS+2d'`` or ``'7 FS+50%'``.

    ``lag_percent`` is a fraction of the predecessor's duration (0.5 = 50 %). The task-table
    syntax holds one lag per link, so a link with both parts shows the percent (the link
    table keeps both).

    Examples
    --------
    >>> format_link("A"), format_link("B", "SS", 2), format_link("C", "FF", -0.5)
    ('A', 'B SS+2d', 'C FF-0.5d')
    >>> format_link("7", "FS", 0, 0.5)
    '7 FS+50%'
    """
    kind = str(kind).upper()
    if lag_percent:
        pct = format_number(lag_percent * 100)
        sign = "" if pct.startswith("-") else "+"
        return f"{pred} {kind}{sign}{pct}%"
    if lag_days:
        v = format_number(lag_days)
        sign = "" if v.startswith("-") else "+"
        return f"{pred} {kind}{sign}{v}d"
    return pred if kind == "FS" else f"{pred} {kind}"


def expand_summary_links(rows: Iterable[tuple], leaves: Mapping[str, list[str]]
                         ) -> tuple[list[tuple], list[tuple[str, str]]]:
    """Redirect links to/from summary tasks to the summaries' leaf tasks (MS Project semantics).

    The ONE summary-link expansion of every reader. ``rows`` are link tuples whose first two
    items are the predecessor and successor ids (in the reader's own id space; the rest is
    kept); ``leaves`` maps each summary id to its leaf (non-summary) descendants. Returns
    the expanded rows (identical rows once, first occurrence kept) and the ``(predecessor,
    successor)`` pairs that were moved.

    Examples
    --------
    >>> expand_summary_links([("S", "C", "FS", 0.0)], {"S": ["A", "B"]})
    ([('A', 'C', 'FS', 0.0), ('B', 'C', 'FS', 0.0)], [('S', 'C')])
    """
    out: list[tuple] = []
    moved: list[tuple[str, str]] = []
    for row in rows:
        p, s, rest = row[0], row[1], tuple(row[2:])
        if p in leaves or s in leaves:
            moved.append((p, s))
        for a in leaves.get(p, [p]):
            for b in leaves.get(s, [s]):
                out.append((a, b, *rest))
    return list(dict.fromkeys(out)), moved


def check_links(raw: pd.DataFrame, ids: pd.Index, what: str = "the link table",
                text: np.ndarray | None = None) -> pd.DataFrame:
    """Validate a link table against the task ids and return it in canonical form.

    Columns ``predecessor``, ``successor`` (required), ``type`` (FS/SS/FF/SF, default FS),
    ``lag`` [working days, default 0] and ``lag_percent`` [fraction, default 0] are checked:
    unknown ids, self links, unknown types, non-finite lags and two links of one type
    between the same pair are refused (links of different types between one pair are kept)
    with one-line errors. The ``text`` column (the task-table spelling, for display) is
    ``text`` when given (the tokens as typed), else written from the link. Cycles are checked
    separately by :func:`check_cycles`.
    """
    df = raw.copy()
    df.columns = [column_name(c, aliases=False) for c in df.columns]
    missing = [c for c in ("predecessor", "successor") if c not in df.columns]
    if missing:
        raise ValidationError(f"{what} has no {' or '.join(missing)} column (columns: "
                              f"{format_ids(df.columns, 8)}); give one row per link with "
                              "predecessor, successor, type, lag, lag_percent")
    if len(df) == 0:
        return empty_links()
    pred = text_column(df["predecessor"]).to_numpy(dtype=object)
    succ = text_column(df["successor"]).to_numpy(dtype=object)
    ltype = (text_column(df["type"]).str.upper().replace("", "FS").to_numpy(dtype=object)
             if "type" in df.columns else np.full(len(df), "FS", dtype=object))
    bad = ~pd.Index(ltype).isin(LINK_TYPES)
    if bad.any():
        raise ValidationError(f"unknown link type {ltype[bad][0]!r} for the link(s) "
                              f"{format_ids(f'{a}→{b}' for a, b in zip(pred[bad], succ[bad], strict=True))}"
                              f"; choose one of: {', '.join(LINK_TYPES)}")
    lags = {}
    for col in ("lag", "lag_percent"):
        v = (pd.to_numeric(df[col], errors="coerce").to_numpy(dtype=float)
             if col in df.columns else np.zeros(len(df)))
        v = np.where(pd.isna(df[col]).to_numpy() if col in df.columns else False, 0.0, v)
        bad = ~np.isfinite(v)
        if bad.any():
            raise ValidationError(f"{col} is not a finite number for the link(s) "
                                  f"{format_ids(f'{a}→{b}' for a, b in zip(pred[bad], succ[bad], strict=True))}"
                                  f"; give {col} in {'working days' if col == 'lag' else 'a fraction'}")
        limit = MAX_DAYS if col == "lag" else 100.0
        big = np.abs(v) > limit
        if big.any():
            raise ValidationError(f"{col} beyond ±{limit:g}{' working days' if col == 'lag' else ''}"
                                  " for the link(s) "
                                  f"{format_ids(f'{a}→{b}' for a, b in zip(pred[big], succ[big], strict=True))}"
                                  f"; give a {col} within ±{limit:g}")
        lags[col] = v.astype(np.float64)
    index = pd.Index(ids)
    for col, arr in (("predecessor", pred), ("successor", succ)):
        unknown = ~pd.Index(arr).isin(index)
        if unknown.any():
            other = succ if col == "predecessor" else pred
            raise ValidationError(
                f"unknown {col}(s) {format_ids(pd.unique(arr[unknown]))} in {what} (linked with "
                f"task(s) {format_ids(pd.unique(other[unknown]))}); add the missing task(s) or "
                "correct the id")
    self_loop = pred == succ
    if self_loop.any():
        raise CycleError(f"task(s) {format_ids(succ[self_loop])} list themselves as predecessor; "
                         "remove the self-link", [str(succ[self_loop][0])] * 2)
    if text is None:
        text = np.array([format_link(a, t, g, q) for a, t, g, q in
                         zip(pred, ltype, lags["lag"], lags["lag_percent"], strict=True)], dtype=object)
    links = pd.DataFrame({"predecessor": pred, "successor": succ, "type": ltype,
                          "lag": lags["lag"], "lag_percent": lags["lag_percent"], "text": text})
    # several links between one pair are standard PDM when their types differ (SS + FF:
    # "start together, finish at least 2 days later"); two of one type are a typing error
    dup = links.duplicated(["predecessor", "successor", "type"], keep=False)
    if dup.any():
        d = links[dup]
        raise ValidationError(
            f"task(s) {format_ids(d['successor'].unique())} link to the same predecessor twice "
            f"with the same type {d['type'].iloc[0]} ({format_ids(d['predecessor'].unique())}); "
            "keep one link per pair and type (different types, e.g. SS and FF, may be combined)")
    return links.reset_index(drop=True)


def links_text(links: pd.DataFrame, ids: pd.Index) -> pd.Series:
    """The ``predecessors`` text column (``'A; B SS+2d'``) of each task from a link table."""
    out = pd.Series("", index=ids, dtype=object)
    if len(links):
        joined = links.groupby("successor", sort=False)["text"].agg("; ".join)
        out[joined.index] = joined.to_numpy(dtype=object)
    return out


def links_from_text(df: pd.DataFrame) -> pd.DataFrame:
    """Parse the ``predecessors`` column of a task table (index = ids) into a link table."""
    preds = df["predecessors"]
    has = preds != ""
    if not has.any():
        return empty_links()
    text = np.strings.replace(preds[has].to_numpy(dtype=object).astype(str), ",", ";")
    counts = np.strings.count(text, ";") + 1
    pieces = np.array(";".join(text.tolist()).split(";"), dtype=str)
    pieces = np.strings.strip(pieces)
    keep = pieces != ""
    succ = np.repeat(preds.index[has].to_numpy(dtype=object), counts)[keep]
    tokens = pieces[keep].astype(object)
    simple = pd.Index(tokens).isin(df.index)
    known = set(df.index.to_numpy(dtype=object).tolist()) if not simple.all() else set()
    pred = np.empty(len(tokens), dtype=object)
    ltype = np.full(len(tokens), "FS", dtype=object)
    lag = np.zeros(len(tokens))
    frac = np.zeros(len(tokens))
    pred[simple] = tokens[simple]
    unknown: dict[str, list[str]] = {}
    malformed: list[tuple[str, str]] = []
    for i in np.flatnonzero(~simple):
        try:
            pred[i], ltype[i], lag[i], frac[i] = parse_link(tokens[i], known)
        except _UnknownPredecessor as exc:
            unknown.setdefault(exc.pid, []).append(succ[i])
        except ValidationError:
            malformed.append((succ[i], tokens[i]))
    if malformed:
        tok = malformed[0][1]
        raise ValidationError(
            f"malformed link {tok!r} in the predecessors of task(s) {format_ids(t for t, _ in malformed)}; "
            "write links as 'ID', 'ID SS+2', 'ID FF-1d', 'ID SS+50%' or 'ID FS+1w' "
            "(types FS/SS/FF/SF, lags in d, w or %)")
    if unknown:
        first = next(iter(unknown))
        raise ValidationError(
            f"unknown predecessor(s) {format_ids(unknown)} (named by task(s) "
            f"{format_ids(unknown[first])}); add the missing task(s) or correct the id")
    links = pd.DataFrame({"predecessor": pred, "successor": succ, "type": ltype, "lag": lag,
                          "lag_percent": frac})
    return check_links(links, df.index, "the predecessors column", text=tokens)


def check_cycles(tasks: pd.DataFrame, links: pd.DataFrame) -> None:
    """Raise :class:`CycleError` naming one cycle when the links are not acyclic."""
    if links.empty:
        return
    index = pd.Index(tasks.index)
    lf = index.get_indexer(links["predecessor"]).astype(np.int64)
    lt = index.get_indexer(links["successor"]).astype(np.int64)
    if topological_order(len(tasks), lf, lt) is None:
        ids = tasks.index.to_numpy()
        cycle = [str(ids[k]) for k in find_cycle(len(tasks), lf, lt)]
        raise CycleError(
            f"the network has a cycle: {' → '.join(cycle)}; remove or reverse one of these links",
            cycle)

