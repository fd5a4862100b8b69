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
from tpmkit.model.columns import (
    column_name,
    is_task_id,
    positions,
    split_cells,
    text_column,
)

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
# the type and lag after an id (the same grammar for one token and for a whole column)
_REST_BODY = r"""\s*(?P<type>FS|SS|FF|SF)?\s*
        (?:(?P<sign>[+-])\s*(?P<num>\d+(?:\.\d*)?|\.\d+)\s*
           (?P<unit>%|d|days?|wd|wdays?|w|wks?|weeks?)?)?\s*"""
_LINK_REST = re.compile(f"^{_REST_BODY}$", re.IGNORECASE | re.VERBOSE)
# a whole token read at once: the longest run of id characters that leaves a valid suffix
_LINK_GREEDY = (r"(?ix)^\s*(?P<id>[\w.\-]+)" + _REST_BODY.replace("(?P<", "(?P<r_") + "$")


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
        if not is_task_id(pid):
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
        m = re.match(r"^\s*([\w.\-]+?)(?=\s|[+-]|(?:FS|SS|FF|SF)\b|$)", text, re.I)
        guess = m.group(1) if m else text
        rest = text[len(guess):] if m else ""
        if known is not None and guess not in known and (not rest or _LINK_REST.match(rest)):
            raise _UnknownPredecessor(guess)
        raise ValidationError(f"malformed link {token!r}")
    pid, m = candidates[0]
    ltype, lag, frac = _suffix_values(pd.DataFrame([m.groupdict()]))
    return pid, str(ltype[0]), float(lag[0]), float(frac[0])


def _suffix_values(groups: pd.DataFrame, prefix: str = "") -> tuple[np.ndarray, ...]:
    """Types, lags [working days] and percent lags [fractions] of matched link suffixes.

    ``groups`` holds the ``type``, ``sign``, ``num`` and ``unit`` groups of
    :data:`_LINK_REST` (column names with ``prefix``), one row per link; the one place
    the lag units are read (``d``/``wd`` days, ``w`` weeks of 5 days, ``%``).
    """
    g = {k: groups[prefix + k].to_numpy(dtype=object) for k in ("type", "sign", "num", "unit")}
    ltype = pd.Series(g["type"]).fillna("FS").str.upper().to_numpy(dtype=object)
    num = pd.to_numeric(pd.Series(g["num"]), errors="coerce").fillna(0.0).to_numpy(np.float64)
    value = np.where(g["sign"] == "-", -num, num)
    unit = pd.Series(g["unit"]).fillna("d").str.lower()
    pct = (unit == "%").to_numpy()
    weeks = (unit.str.startswith("w") & ~unit.str.startswith("wd")).to_numpy()
    lag = np.where(pct, 0.0, np.where(weeks, 5.0 * value, value))
    return ltype, lag, np.where(pct, value / 100.0, 0.0)


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
    df = raw.copy(deep=False)
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
    lags = {}
    for col in ("lag", "lag_percent"):
        v = (pd.to_numeric(df[col], errors="coerce").to_numpy(dtype=float)
             if col in df.columns else np.zeros(len(df)))
        lags[col] = np.where(pd.isna(df[col]).to_numpy() if col in df.columns else False, 0.0, v)
    return _link_table(pred, succ, ltype, lags["lag"], lags["lag_percent"], pd.Index(ids), what,
                       text)


def _pairs(pred: np.ndarray, succ: np.ndarray, mask: np.ndarray) -> str:
    return format_ids(f"{a}→{b}" for a, b in zip(pred[mask], succ[mask], strict=True))


def _link_table(pred: np.ndarray, succ: np.ndarray, ltype: np.ndarray, lag: np.ndarray,
                frac: np.ndarray, index: pd.Index, what: str, text: np.ndarray | None,
                pred_pos: np.ndarray | None = None, succ_pos: np.ndarray | None = None
                ) -> pd.DataFrame:
    """The checks of :func:`check_links` on link arrays (ids as text; ``pred_pos``,
    ``succ_pos``: their places in ``index`` when known). Vectorised: ids are compared as their
    places in ``index``, pairs and types as one integer key."""
    code = pd.Index(LINK_TYPES).get_indexer(ltype)
    if (code < 0).any():
        bad = code < 0
        raise ValidationError(f"unknown link type {ltype[bad][0]!r} for the link(s) "
                              f"{_pairs(pred, succ, bad)}; choose one of: {', '.join(LINK_TYPES)}")
    for col, v in (("lag", lag), ("lag_percent", frac)):
        bad = ~np.isfinite(v)
        if bad.any():
            raise ValidationError(f"{col} is not a finite number for the link(s) "
                                  f"{_pairs(pred, succ, bad)}"
                                  f"; give {col} in {'working days' if col == 'lag' else 'a fraction'}")
        limit = MAX_DAYS if col == "lag" else 100.0
        big = np.abs(v) > limit
        if big.any():
            raise ValidationError(f"{col} beyond ±{limit:g}{' working days' if col == 'lag' else ''}"
                                  f" for the link(s) {_pairs(pred, succ, big)}"
                                  f"; give a {col} within ±{limit:g}")
    if pred_pos is None:
        pred_pos, succ_pos = positions(index, pred, succ)
    places = {"predecessor": pred_pos, "successor": succ_pos}
    for col, arr in (("predecessor", pred), ("successor", succ)):
        unknown = places[col] < 0
        if unknown.any():
            other = succ if col == "predecessor" else pred
            raise ValidationError(
                f"unknown {col}(s) {format_ids(pd.unique(arr[unknown]))} in {what} (linked with "
                f"task(s) {format_ids(pd.unique(other[unknown]))}); add the missing task(s) or "
                "correct the id")
    a, b = places["predecessor"].astype(np.int64), places["successor"].astype(np.int64)
    self_loop = a == b
    if self_loop.any():
        raise CycleError(f"task(s) {format_ids(succ[self_loop])} list themselves as predecessor; "
                         "remove the self-link", [str(succ[self_loop][0])] * 2)
    if text is None:
        text = pred.copy()
        plain = (code == 0) & (lag == 0) & (frac == 0)
        text[~plain] = [format_link(p, t, g, q) for p, t, g, q in
                        zip(pred[~plain], ltype[~plain], lag[~plain], frac[~plain], strict=True)]
    # several links between one pair are standard PDM when their types differ (SS + FF:
    # "start together, finish at least 2 days later"); two of one type are a typing error
    dup = pd.Index((a * len(index) + b) * 4 + code).duplicated(keep=False)
    if dup.any():
        raise ValidationError(
            f"task(s) {format_ids(pd.unique(succ[dup]))} link to the same predecessor twice "
            f"with the same type {ltype[dup][0]} ({format_ids(pd.unique(pred[dup]))}); "
            "keep one link per pair and type (different types, e.g. SS and FF, may be combined)")
    return pd.DataFrame({"predecessor": pred, "successor": succ, "type": ltype,
                         "lag": lag.astype(np.float64), "lag_percent": frac.astype(np.float64),
                         "text": text})


def links_text(links: pd.DataFrame, ids: pd.Index) -> pd.Series:
    """The ``predecessors`` text column (``'A; B SS+2d'``) of each task from a link table."""
    out = pd.Series("", index=ids, dtype=object)
    if len(links):
        joined = links.groupby("successor", sort=False)["text"].agg("; ".join)
        out[joined.index] = joined.to_numpy(dtype=object)
    return out


def links_from_text(df: pd.DataFrame) -> pd.DataFrame:
    """Parse the ``predecessors`` column of a task table (index = ids) into a link table.

    Vectorised: the column is split once (numpy's variable-width strings, so a merge
    milestone with thousands of predecessors costs its text, not text × tasks); plain ids
    are looked up in one pass, ``ID TYPE±LAG`` tokens are read by one regular expression
    over the column, and only tokens that stay ambiguous (an id that is a prefix of another
    followed by a type, e.g. ``3SS+2d`` or ``ESS-1``) go through :func:`parse_link`.
    """
    preds = df["predecessors"]
    has = (preds != "").to_numpy(dtype=bool)
    if not has.any():
        return empty_links()
    pieces, counts = split_cells(preds.to_numpy(dtype=object)[has].tolist())
    keep = pieces.astype(bool)
    succ_pos = np.repeat(np.flatnonzero(has), counts)[keep]
    succ = df.index.to_numpy(dtype=object)[succ_pos]
    tokens = pieces[keep]
    index = pd.Index(df.index)
    (pos,) = positions(index, tokens)
    pred = np.where(pos >= 0, tokens, None)
    ltype = np.full(len(tokens), "FS", dtype=object)
    lag = np.zeros(len(tokens))
    frac = np.zeros(len(tokens))
    rest = np.flatnonzero(pos < 0)
    if len(rest):
        groups = pd.Series(tokens[rest]).str.extract(_LINK_GREEDY)
        gpos = index.get_indexer(groups["id"].to_numpy(dtype=object))
        hit = gpos >= 0
        sel = rest[hit]
        pos[sel], pred[sel] = gpos[hit], groups["id"].to_numpy(dtype=object)[hit]
        ltype[sel], lag[sel], frac[sel] = _suffix_values(groups[hit], "r_")
        rest = rest[~hit]
    if len(rest):
        _parse_ambiguous(tokens, succ, rest, set(index.to_numpy(dtype=object).tolist()),
                         (pred, ltype, lag, frac))
        pos[rest] = index.get_indexer(pred[rest])
    return _link_table(pred, succ, ltype, lag, frac, index, "the predecessors column", tokens,
                       pos, succ_pos)


def _parse_ambiguous(tokens: np.ndarray, succ: np.ndarray, rows: np.ndarray, known: set[str],
                     out: tuple[np.ndarray, ...]) -> None:
    """:func:`parse_link` on the tokens ``rows`` in place of ``out`` (pred, type, lag,
    fraction); one error naming every malformed link or unknown predecessor."""
    pred, ltype, lag, frac = out
    unknown: dict[str, list[str]] = {}
    malformed: list[tuple[str, str]] = []
    for i in rows:
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


def check_cycles(tasks: pd.DataFrame, links: pd.DataFrame) -> None:
    """Raise :class:`CycleError` naming one cycle when the links are not acyclic."""
    if links.empty:
        return
    lf, lt = positions(pd.Index(tasks.index), links["predecessor"].to_numpy(dtype=object),
                       links["successor"].to_numpy(dtype=object))
    if topological_order(len(tasks), lf, lt) is None:
        ids = tasks.index.to_numpy()
        cycle = [str(ids[k]) for k in find_cycle(len(tasks), lf, lt)]
        raise CycleError(
            f"the network has a cycle: {' → '.join(cycle)}; remove or reverse one of these links",
            cycle)

