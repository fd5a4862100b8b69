"""Work breakdown structure: the tree of codes, roll-ups, structural checks, the dictionary.

:func:`wbs_tree` derives the tree implied by codes such as ``1.2.3``; :func:`wbs_rollup`
rolls span, cost, work and weighted percent complete up it; :func:`check_wbs` finds orphans,
numbering gaps, work packages with children and breaches of the 100 % rule;
:func:`wbs_dictionary` lists every element with its text fields and roll-ups (written to a
file by :func:`tpmkit.artefacts.write_wbs_dictionary`). The task table's ``wbs`` column feeds
the same functions.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from tpmkit.errors import ValidationError, check_option, format_ids
from tpmkit.model.tables import table_frame
from tpmkit.model.wbs import malformed_codes, wbs_key, wbs_parent
from tpmkit.scope._common import numeric_column, require_columns, text_column

__all__ = ["check_wbs", "wbs_dictionary", "wbs_rollup", "wbs_tree"]


# --------------------------------------------------------------------------- WBS
_code_key = wbs_key  # numeric levels in numeric order, lettered levels after them


def _wbs_codes(df: pd.DataFrame, what: str) -> pd.Series:
    """Validated WBS codes of the rows that have one (blank codes give '')."""
    require_columns(df, ["wbs"], what)
    codes = text_column(df, "wbs").str.replace(r"\.0$", "", regex=True)
    # a spreadsheet may turn "1" into 1.0; undo that for single-level codes only
    given = codes != ""
    bad = given & malformed_codes(codes)  # the one WBS grammar (tpmkit.model.wbs)
    if bad.any():
        raise ValidationError(
            f"{what}: malformed WBS code(s) {format_ids(codes[bad].unique())}; use dot-separated "
            "levels of letters and digits such as 1, 1.2, 1.2.3 or 1.A.2"
        )
    zero = given & codes.str.contains(r"(?:^|\.)0+(?:\.|$)", regex=True)
    if zero.any():
        raise ValidationError(
            f"{what}: WBS code(s) {format_ids(codes[zero].unique())} contain a 0 level; "
            "number siblings from 1"
        )
    return codes


def _ancestors(code: str) -> list[str]:
    parts = code.split(".")
    return [".".join(parts[:k]) for k in range(1, len(parts))]


def wbs_tree(codes: Iterable[str] | pd.DataFrame) -> pd.DataFrame:
    """Build the WBS tree implied by a set of codes, deriving missing summary levels.

    Parameters
    ----------
    codes : iterable of str, or DataFrame with a ``wbs`` column
        WBS codes such as ``"1"``, ``"1.2"``, ``"1.2.3"`` (duplicates allowed, e.g. several
        tasks in one work package). Blank codes are ignored.

    Returns
    -------
    DataFrame
        Indexed by ``wbs`` code in outline order (1, 1.1, 1.1.1, 1.2, 2, ...), columns
        ``parent`` (``""`` at the top level), ``depth`` (1 for top-level codes), ``children``
        (tuple of direct child codes), ``leaf`` (bool), ``given`` (bool: the code was in the
        input; False for derived summary levels).

    Examples
    --------
    >>> t = wbs_tree(["1.1", "1.2.1", "2"])
    >>> list(t.index)
    ['1', '1.1', '1.2', '1.2.1', '2']
    >>> t.loc["1", "children"], int(t.loc["1.2.1", "depth"])
    (('1.1', '1.2'), 3)
    """
    if isinstance(codes, pd.DataFrame):
        given = _wbs_codes(codes, "WBS")
    else:
        given = _wbs_codes(pd.DataFrame({"wbs": list(codes)}), "WBS")
    return _tree(given)


def _tree(given: pd.Series) -> pd.DataFrame:
    """The tree of already validated codes (see :func:`wbs_tree`)."""
    given_set = set(given[given != ""])
    every = set(given_set)
    for code in given_set:
        every.update(_ancestors(code))
    order = sorted(every, key=_code_key)
    parent = [wbs_parent(code) for code in order]
    children: dict[str, list[str]] = {code: [] for code in order}
    for code, par in zip(order, parent):
        if par:
            children[par].append(code)
    out = pd.DataFrame(
        {
            "parent": parent,
            "depth": [code.count(".") + 1 for code in order],
            "children": [tuple(children[c]) for c in order],
            "leaf": [not children[c] for c in order],
            "given": [c in given_set for c in order],
        },
        index=pd.Index(order, name="wbs"),
    )
    return out


def _wbs_frame(data: Any) -> pd.DataFrame:
    """A WBS dictionary or task table as a DataFrame; a Project contributes its scheduled tasks."""
    if hasattr(data, "tasks") and hasattr(data, "network"):
        tasks = data.tasks.copy()
        from tpmkit.cpm import schedule

        sched = schedule(data).table
        tasks["start"] = sched["early_start"]
        tasks["finish"] = sched["early_finish"]
        tasks = tasks.reset_index()
        return tasks
    return table_frame(data, "WBS") if not isinstance(data, pd.DataFrame) else data.copy()


def _pairs(codes: pd.Series) -> pd.DataFrame:
    """(row position, ancestor-or-self code) pairs for the rows that have a code."""
    rows = np.flatnonzero((codes != "").to_numpy())
    node = [[*_ancestors(c), c] for c in codes.iloc[rows].tolist()]
    lens = np.fromiter((len(x) for x in node), dtype=np.int64, count=len(node))
    flat = [c for chain in node for c in chain]
    return pd.DataFrame({"row": np.repeat(rows, lens), "wbs": flat})


def wbs_rollup(
    data: Any,
    *,
    start: str = "start",
    finish: str = "finish",
    cost: str = "cost",
    work: str = "work",
    percent: str = "percent_complete",
    weight: str = "work",
) -> pd.DataFrame:
    """Roll span, cost, work and weighted percent complete up the WBS tree.

    Every row with a WBS code contributes its own values to its node and to every ancestor,
    so each summary equals the aggregate of the rows beneath it (summary levels that are
    not in the input are derived).

    Parameters
    ----------
    data : DataFrame, list of rows or Project
        Rows with a ``wbs`` column (a WBS dictionary or a task table). A
        :class:`~tpmkit.model.Project` is scheduled with :func:`tpmkit.schedule` and its early
        start/finish offsets are used as ``start``/``finish`` [working days].
    start, finish : str
        Columns holding start and finish (numbers such as working-day offsets, or dates).
    cost, work, percent : str
        Columns holding cost [currency], work [person-days or hours] and percent complete
        [0–100]. Absent columns give NaN roll-ups.
    weight : {"work", "cost", "duration", "equal"}
        Weight of each row in the percent-complete average. Rows whose weight is missing
        count with weight 0; when a node's weights sum to 0 it falls back to equal weights.

    Returns
    -------
    DataFrame
        Indexed by WBS code in outline order: ``parent``, ``depth``, ``leaf``, ``given``,
        ``rows`` (number of input rows beneath), ``start`` (min), ``finish`` (max),
        ``span`` (finish − start: working days for contract offsets, where finish = start +
        duration; a Timedelta between the first start date and the last finish date for
        dates), ``cost``, ``work`` (sums, NaN when no row has a value),
        ``percent_complete`` (weighted mean).

    Notes
    -----
    Weighted percent complete: :math:`pc_{node} = \\sum_i w_i\\,pc_i / \\sum_i w_i` over the
    rows *i* beneath the node.

    References
    ----------
    .. [1] Project Management Institute, *Practice Standard for Work Breakdown Structures*,
       3rd ed., 2019 (roll-up of work-package data to control accounts).

    Examples
    --------
    >>> df = pd.DataFrame({"wbs": ["1.1", "1.2", "2"], "cost": [100.0, 50.0, 25.0],
    ...                    "work": [10.0, 30.0, 5.0], "percent_complete": [100.0, 0.0, 50.0]})
    >>> r = wbs_rollup(df)
    >>> float(r.loc["1", "cost"]), float(r.loc["1", "percent_complete"])
    (150.0, 25.0)
    """
    weight = check_option(weight, ["work", "cost", "duration", "equal"], "weight")
    df = _wbs_frame(data)
    codes = _wbs_codes(df, "WBS")
    ids = pd.Index([str(i) for i in range(len(df))])
    tree = _tree(codes)
    pairs = _pairs(codes)
    out = tree.drop(columns="children").copy()
    out["rows"] = pairs.groupby("wbs").size().reindex(out.index, fill_value=0).astype(int)

    def column(name: str, numeric: bool = True) -> np.ndarray:
        if name not in df.columns:
            return np.full(len(df), np.nan)
        if numeric and not (pd.api.types.is_datetime64_any_dtype(df[name])):
            return numeric_column(df, name, "WBS", ids).to_numpy()
        return df[name].to_numpy()

    for name, agg in ((start, "min"), (finish, "max")):
        values = df[name] if name in df.columns else pd.Series(np.nan, index=df.index)
        if not pd.api.types.is_datetime64_any_dtype(values):
            as_num = pd.to_numeric(values, errors="coerce")
            values = as_num if as_num.notna().sum() >= values.notna().sum() else pd.to_datetime(
                values, errors="coerce")
        v = pd.Series(values.to_numpy()[pairs["row"].to_numpy()], index=pairs.index)
        out["start" if agg == "min" else "finish"] = (
            v.groupby(pairs["wbs"].to_numpy()).agg(agg).reindex(out.index)
        )
    out["span"] = out["finish"] - out["start"]
    rows = pairs["row"].to_numpy()
    for name, label in ((cost, "cost"), (work, "work")):
        v = pd.Series(column(name)[rows])
        out[label] = v.groupby(pairs["wbs"].to_numpy()).sum(min_count=1).reindex(out.index)
    pc = column(percent)[rows]
    if weight == "equal":
        w = np.ones(len(rows))
    else:
        src = {"work": work, "cost": cost, "duration": "duration"}[weight]
        w = np.nan_to_num(column(src)[rows], nan=0.0)
    has = ~np.isnan(pc)
    frame = pd.DataFrame({
        "wbs": pairs["wbs"].to_numpy(),
        "wx": np.where(has, w * np.nan_to_num(pc), 0.0),
        "w": np.where(has, w, 0.0),
        "x": np.where(has, np.nan_to_num(pc), 0.0),
        "n": has.astype(float),
    })
    g = frame.groupby("wbs")[["wx", "w", "x", "n"]].sum().reindex(out.index)
    weighted = g["wx"] / g["w"].where(g["w"] > 0)
    equal = g["x"] / g["n"].where(g["n"] > 0)
    out["percent_complete"] = weighted.fillna(equal)
    return out


def check_wbs(data: Any, *, complete: bool | None = None, rtol: float = 1e-6) -> pd.DataFrame:
    """Structural checks of a WBS dictionary or the ``wbs`` column of a task table.

    Parameters
    ----------
    data : DataFrame, list of rows or Project
        Rows with a ``wbs`` column; optional ``budget``, ``cost``, ``work``, ``duration``,
        ``percent_complete``, ``id``.
    complete : bool, optional
        Whether every summary level must be a row of its own (a WBS dictionary). Default: True
        unless the rows look like a task table (they have an ``id`` or ``duration`` column),
        whose summary rows are derived.
    rtol : float
        Relative tolerance of the 100 % rule.

    Returns
    -------
    DataFrame
        One row per finding with columns ``check`` (``orphan``, ``gap``,
        ``work_package_with_children``, ``hundred_percent_rule``, ``duplicate``), ``wbs``
        (the code concerned) and ``message`` (what is wrong and how to fix it). Empty when the
        WBS is sound. Malformed codes raise :class:`~tpmkit.errors.ValidationError`.

    Notes
    -----
    * *orphan*: a code whose parent level is not in the dictionary;
    * *gap*: siblings are not numbered 1…k (e.g. 1.1 and 1.3 without 1.2);
    * *work_package_with_children*: a row that carries work data (``cost``, ``work``,
      ``duration`` or ``percent_complete``) has child codes — work belongs in leaves;
    * *hundred_percent_rule*: a parent's ``budget`` differs from the sum of its children's
      amounts (a child's amount is its own ``budget`` or else its rolled-up ``cost``); checked
      where the parent's budget and every child's amount are given;
    * *duplicate*: a WBS dictionary (``complete``) lists a code twice.

    References
    ----------
    .. [1] Project Management Institute, *Practice Standard for Work Breakdown Structures*,
       3rd ed., 2019 (the 100 % rule).

    Examples
    --------
    >>> df = pd.DataFrame({"wbs": ["1", "1.1", "1.3"], "budget": [100.0, None, None],
    ...                    "cost": [None, 60.0, 30.0]})
    >>> check_wbs(df)[["check", "wbs"]].to_records(index=False).tolist()
    [('hundred_percent_rule', '1'), ('gap', '1.2')]
    """
    df = _wbs_frame(data)
    codes = _wbs_codes(df, "WBS")
    if complete is None:
        complete = not ({"id", "duration"} & set(df.columns))
    tree = _tree(codes)
    given = set(codes[codes != ""])
    findings: list[tuple[str, str, str]] = []
    if complete:
        for code in codes[codes.duplicated() & (codes != "")].unique():
            findings.append(("duplicate", code, f"WBS code {code} is listed more than once; "
                             "give each element one row"))
        for code in sorted(given, key=_code_key):
            par = wbs_parent(code)
            if par and par not in given:
                findings.append(("orphan", code, f"WBS code {code} has no parent row {par}; add "
                                 f"a row for {par} or renumber {code}"))
    for par, kids in zip(tree.index, tree["children"]):
        numbers = sorted(int(k.rpartition(".")[2]) for k in kids if k.rpartition(".")[2].isdigit())
        if not numbers:
            continue
        missing = sorted(set(range(1, numbers[-1] + 1)) - set(numbers))
        for m in missing:
            code = f"{par}.{m}"
            findings.append(("gap", code, f"WBS level {par} skips {code} (children "
                             f"{format_ids(kids)}); renumber the siblings 1..{len(kids)}"))
    tops = sorted(int(c) for c in tree.index[tree["depth"] == 1] if c.isdigit())
    for m in sorted(set(range(1, (tops[-1] if tops else 0) + 1)) - set(tops)):
        findings.append(("gap", str(m), f"top WBS level skips {m}; renumber the top levels "
                         f"1..{len(tops)}"))
    work_cols = [c for c in ("cost", "work", "duration", "percent_complete") if c in df.columns]
    if work_cols:
        has_work = df[work_cols].apply(pd.to_numeric, errors="coerce").notna().any(axis=1)
        parents = set(tree.index[~tree["leaf"]])
        flagged = sorted({c for c, h in zip(codes, has_work) if h and c in parents},
                         key=_code_key)
        for code in flagged:
            label = "row" if "id" not in df.columns else "task(s) " + format_ids(
                df.loc[(codes == code).to_numpy(), "id"].astype(str))
            findings.append(("work_package_with_children", code,
                             f"WBS {code} ({label}) carries work data but has children "
                             f"{format_ids(tree.loc[code, 'children'])}; move the work into a "
                             "child work package or remove the child codes"))
    if "budget" in df.columns:
        ids = pd.Index(codes.to_numpy())
        budget = numeric_column(df, "budget", "WBS", ids, lo=0)
        by_code = budget.groupby(codes.to_numpy()).max()
        cost_roll = wbs_rollup(df, weight="equal")["cost"] if "cost" in df.columns else None
        for par, kids in zip(tree.index, tree["children"]):
            if not kids or pd.isna(by_code.get(par, np.nan)):
                continue
            amounts = []
            for k in kids:
                amt = by_code.get(k, np.nan)
                if pd.isna(amt) and cost_roll is not None:
                    amt = cost_roll.get(k, np.nan)
                amounts.append(amt)
            if any(pd.isna(a) for a in amounts):
                continue
            total, target = float(np.sum(amounts)), float(by_code[par])
            if not np.isclose(total, target, rtol=rtol, atol=1e-9):
                findings.append(("hundred_percent_rule", par,
                                 f"children of WBS {par} add up to {total:g}, its budget is "
                                 f"{target:g} (difference {total - target:+g}); adjust the "
                                 "children or the budget so they agree (100 % rule)"))
    out = pd.DataFrame(findings, columns=["check", "wbs", "message"])
    return out.sort_values("wbs", key=lambda s: s.map(_code_key), kind="stable").reset_index(
        drop=True)


_DICTIONARY_TEXT = ("name", "description", "owner", "deliverable", "acceptance_criteria")


def wbs_dictionary(data: Any) -> pd.DataFrame:
    """WBS dictionary: one row per element with its text fields and rolled-up figures.

    Parameters
    ----------
    data : DataFrame, list of rows or Project
        A WBS dictionary (columns ``wbs, name, description, owner, deliverable,
        acceptance_criteria, budget, cost, work, start, finish, percent_complete``) or a task
        table with a ``wbs`` column (task names are listed under their work package). Write
        the result to a file with :func:`tpmkit.artefacts.write_wbs_dictionary`.

    Returns
    -------
    DataFrame
        Indexed by WBS code in outline order: ``depth``, ``parent``, ``leaf``, the text fields
        (``name`` of a work package holding tasks is the ``;``-joined task names when the row
        has no name of its own), ``budget``, and the roll-ups of :func:`wbs_rollup`.

    Examples
    --------
    >>> d = wbs_dictionary(pd.DataFrame({"wbs": ["1", "1.1"], "name": ["Release", "Build"],
    ...                                  "cost": [None, 10.0]}))
    >>> d.loc["1", "name"], float(d.loc["1", "cost"])
    ('Release', 10.0)
    """
    df = _wbs_frame(data)
    codes = _wbs_codes(df, "WBS")
    roll = wbs_rollup(df)
    out = roll[["depth", "parent", "leaf", "given"]].copy()
    has = codes != ""
    for col in _DICTIONARY_TEXT:
        text = text_column(df, col)[has]
        joined = text[text != ""].groupby(codes[has][text != ""].to_numpy()).agg("; ".join)
        out[col] = joined.reindex(out.index).fillna("")
    if "budget" in df.columns:
        b = numeric_column(df, "budget", "WBS", pd.Index(codes.to_numpy()), lo=0)
        out["budget"] = b[has].groupby(codes[has].to_numpy()).max().reindex(out.index)
    else:
        out["budget"] = np.nan
    for col in ("rows", "start", "finish", "span", "cost", "work", "percent_complete"):
        out[col] = roll[col]
    return out
