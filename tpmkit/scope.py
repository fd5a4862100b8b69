"""Scope artefacts as validated tables: WBS, requirements, stakeholders, RACI and change log.

Each artefact is a small DataFrame that a PM keeps before (and beside) the schedule. The
functions here validate it once — messages name the offending ids and say how to fix them —
and compute what the artefact is for:

* **WBS** (:func:`wbs_tree`, :func:`check_wbs`, :func:`wbs_rollup`, :func:`wbs_dictionary`):
  the tree implied by codes such as ``1.2.3``, its structural checks (orphans, numbering gaps,
  work packages with children, the 100 % rule) and roll-ups of span, cost, work and weighted
  percent complete. The task table's ``wbs`` column feeds the same functions.
* **Requirements** (:func:`requirements`, :func:`traceability`): MoSCoW plus Wiegers'
  value/cost/risk priority score and rank, traced to WBS items.
* **Stakeholders** (:func:`stakeholders`): power/interest grid, Mitchell–Agle–Wood salience
  and the engagement gap between current and desired engagement.
* **RACI** (:func:`raci`): exactly one A and at least one R per row; flags overloaded roles
  and rows nobody is consulted on.
* **Change log** (:func:`change_log`, :func:`change_transition`, :func:`change_summary`):
  change requests with cost/schedule impact and the status workflow
  proposed → approved/rejected/withdrawn → implemented.

:func:`read_artefact` reads any of them (and the estimation artefacts of
:mod:`tpmkit.estimate` and the risk register) from CSV, XLSX, YAML/JSON or a DataFrame
through the same validation; the blank templates in ``templates/`` load through it too.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from tpmkit._files import atomic_path
from tpmkit.errors import (
    DataError,
    FileFormatError,
    InputFileError,
    ValidationError,
    check_option,
    format_ids,
)
from tpmkit.model.wbs import malformed_codes, wbs_key, wbs_parent

__all__ = [
    "ARTEFACTS",
    "CHANGE_STATUSES",
    "CHANGE_TRANSITIONS",
    "ENGAGEMENT_LEVELS",
    "MOSCOW",
    "ChangeSummary",
    "RaciResult",
    "Traceability",
    "change_log",
    "change_summary",
    "change_transition",
    "check_wbs",
    "raci",
    "read_artefact",
    "read_table",
    "requirements",
    "split_ids",
    "stakeholders",
    "traceability",
    "wbs_dictionary",
    "wbs_rollup",
    "wbs_tree",
]

_ID_SPLIT = re.compile(r"[;,]")


# --------------------------------------------------------------------------- helpers
def split_ids(value: Any) -> tuple[str, ...]:
    """Split ``"A; B, C"`` (or a list) into a tuple of stripped ids; empty → ``()``.

    Examples
    --------
    >>> split_ids("A; B,C")
    ('A', 'B', 'C')
    >>> split_ids(float("nan"))
    ()
    """
    if isinstance(value, list | tuple | np.ndarray | pd.Series):
        parts = [str(v).strip() for v in value]
    else:
        if value is None or pd.isna(value):
            return ()
        parts = [p.strip() for p in _ID_SPLIT.split(str(value))]
    return tuple(p for p in parts if p and p.lower() != "nan")


def read_table(source: Any, sheet: str | None = None) -> pd.DataFrame:
    """Read one artefact table from a DataFrame, CSV, XLSX, YAML or JSON source.

    Parameters
    ----------
    source : DataFrame, str or Path
        A DataFrame (copied), or a path to ``.csv``, ``.xlsx``, ``.yaml``/``.yml`` or ``.json``.
        YAML/JSON hold a list of rows, or a mapping whose ``sheet`` key holds that list.
    sheet : str, optional
        Sheet of an XLSX workbook, or key of a YAML/JSON mapping. Default: the first sheet.

    Returns
    -------
    DataFrame
        The rows as read, column names stripped and lower-cased, fully blank rows dropped.

    Raises
    ------
    InputFileError
        The file is missing or its format is not supported.
    FileFormatError
        The sheet/key is absent or the file cannot be parsed.
    """
    if isinstance(source, pd.DataFrame):
        df = source.copy()
    elif isinstance(source, Mapping | list):
        df = _frame_from_records(source, sheet, "input")
    else:
        path = Path(source)
        if not path.exists():
            raise InputFileError(f"file {str(path)!r} not found; check the path")
        suffix = path.suffix.lower()
        try:
            if suffix == ".csv":
                df = pd.read_csv(path, dtype=str, keep_default_na=False, skipinitialspace=True)
                df = df.replace({"": np.nan})
            elif suffix in (".xlsx", ".xlsm"):
                df = pd.read_excel(path, sheet_name=sheet or 0, engine="openpyxl")
            elif suffix in (".yaml", ".yml", ".json"):
                text = path.read_text(encoding="utf-8")
                if suffix == ".json":
                    data = json.loads(text)
                else:
                    import yaml

                    data = yaml.safe_load(text)
                df = _frame_from_records(data, sheet, str(path))
            else:
                raise InputFileError(
                    f"unsupported file type {suffix!r} for {path.name}; "
                    "use .csv, .xlsx, .yaml, .yml or .json"
                )
        except (ValueError, KeyError) as exc:
            if isinstance(exc, InputFileError):
                raise
            raise FileFormatError(f"cannot read {path.name} (sheet {sheet!r}): {exc}") from exc
    df.columns = [str(c).strip().lower() for c in df.columns]
    df = df.dropna(how="all")
    return df.reset_index(drop=True) if not isinstance(source, pd.DataFrame) else df


def _frame_from_records(data: Any, sheet: str | None, where: str) -> pd.DataFrame:
    if isinstance(data, Mapping):
        if sheet is None or sheet not in data:
            raise FileFormatError(
                f"{where} has no key {sheet!r}; keys present: {format_ids(data)}; "
                "pass sheet=<key> naming the list of rows"
            )
        data = data[sheet]
    if data is None:
        data = []
    if not isinstance(data, list):
        raise FileFormatError(f"{where}: expected a list of rows under {sheet!r}")
    return pd.DataFrame.from_records(data)


def _require_columns(df: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValidationError(
            f"{what} lacks column(s) {format_ids(missing)}; "
            f"add them (columns present: {format_ids(df.columns, 12) or 'none'})"
        )


def _numeric(df: pd.DataFrame, column: str, what: str, ids: pd.Index,
             lo: float | None = None, hi: float | None = None) -> pd.Series:
    """Column as float (NaN when absent/blank); non-numbers and out-of-range values raise."""
    if column not in df.columns:
        return pd.Series(np.nan, index=df.index, dtype=float)
    raw = df[column]
    values = pd.to_numeric(raw, errors="coerce").astype(float)
    bad = values.isna() & raw.notna()
    if bad.any():  # blanks typed as spaces are missing values, not errors
        bad &= raw.astype(str).str.strip() != ""
    if bad.any():
        raise ValidationError(
            f"{what}: column {column!r} holds non-numbers for {format_ids(ids[bad.to_numpy()])}; "
            "enter plain numbers"
        )
    out = pd.Series(False, index=df.index)
    if lo is not None:
        out |= values < lo
    if hi is not None:
        out |= values > hi
    if out.any():
        rng = f"[{lo if lo is not None else '-inf'}, {hi if hi is not None else 'inf'}]"
        raise ValidationError(
            f"{what}: column {column!r} outside {rng} for {format_ids(ids[out.to_numpy()])}; "
            f"use values within {rng}"
        )
    return values


def _ids(df: pd.DataFrame, what: str, column: str = "id") -> pd.Index:
    _require_columns(df, [column], what)
    ids = df[column].astype("string").str.strip()
    blank = ids.isna() | (ids == "")
    if blank.any():
        rows = [str(i + 2) for i in np.flatnonzero(blank.to_numpy())]
        raise ValidationError(
            f"{what}: {column!r} is blank in row(s) {format_ids(rows)} (counting the header as "
            f"row 1); give every row a {column}"
        )
    dup = ids[ids.duplicated()].unique()
    if len(dup):
        raise ValidationError(f"{what}: duplicate {column} {format_ids(dup)}; make each unique")
    return pd.Index(ids.astype(str).to_numpy(), name=column)


def _text(df: pd.DataFrame, column: str) -> pd.Series:
    if column not in df.columns:
        return pd.Series("", index=df.index, dtype=object)
    return df[column].astype(object).where(df[column].notna(), "").astype(str).str.strip()


# --------------------------------------------------------------------------- WBS
_code_key = wbs_key  # numeric levels in numeric order, lettered levels after them


def _wbs_codes(df: pd.DataFrame, what: str) -> pd.Series:
    """Validated WBS codes of the rows that have one (blank codes give '')."""
    _require_columns(df, ["wbs"], what)
    codes = _text(df, "wbs").str.replace(r"\.0$", "", regex=True)
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
    return read_table(data) if not isinstance(data, pd.DataFrame) else data.copy()


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
    data : DataFrame, path or Project
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
            return _numeric(df, name, "WBS", ids).to_numpy()
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
    data : DataFrame, path or Project
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
        budget = _numeric(df, "budget", "WBS", ids, lo=0)
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


def wbs_dictionary(data: Any, path: str | Path | None = None) -> pd.DataFrame:
    """WBS dictionary: one row per element with its text fields and rolled-up figures.

    Parameters
    ----------
    data : DataFrame, path or Project
        A WBS dictionary (columns ``wbs, name, description, owner, deliverable,
        acceptance_criteria, budget, cost, work, start, finish, percent_complete``) or a task
        table with a ``wbs`` column (task names are listed under their work package).
    path : str or Path, optional
        When given, also write the dictionary to ``.csv`` or ``.xlsx`` (written to a
        temporary file, then renamed into place).

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
        text = _text(df, col)[has]
        joined = text[text != ""].groupby(codes[has][text != ""].to_numpy()).agg("; ".join)
        out[col] = joined.reindex(out.index).fillna("")
    if "budget" in df.columns:
        b = _numeric(df, "budget", "WBS", pd.Index(codes.to_numpy()), lo=0)
        out["budget"] = b[has].groupby(codes[has].to_numpy()).max().reindex(out.index)
    else:
        out["budget"] = np.nan
    for col in ("rows", "start", "finish", "span", "cost", "work", "percent_complete"):
        out[col] = roll[col]
    if path is not None:
        _write_frame(out, Path(path))
    return out


def _write_frame(df: pd.DataFrame, path: Path) -> None:
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise InputFileError(f"cannot write {path.name}: use a .csv or .xlsx file name")
    with atomic_path(path) as tmp:
        if suffix == ".csv":
            df.to_csv(tmp)
        else:
            df.to_excel(tmp, engine="openpyxl")


# --------------------------------------------------------------------------- requirements
MOSCOW = ("must", "should", "could", "wont")
_MOSCOW_ALIASES = {
    "m": "must", "must": "must", "must have": "must", "must-have": "must",
    "s": "should", "should": "should", "should have": "should", "should-have": "should",
    "c": "could", "could": "could", "could have": "could", "could-have": "could",
    "w": "wont", "wont": "wont", "won't": "wont", "won't have": "wont", "wont have": "wont",
    "won’t": "wont",
}


def requirements(
    data: Any,
    *,
    weights: Mapping[str, float] | None = None,
    wbs: Iterable[str] | pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Validate a requirements list and compute its priority score and rank.

    Parameters
    ----------
    data : DataFrame or path
        Columns ``id`` (required), ``title``, ``description``, ``moscow`` (Must/Should/Could/
        Won't or M/S/C/W), ``value`` *or* ``benefit`` and ``penalty``, ``cost``, ``risk`` (all
        relative scores ≥ 0, typically 1–9), ``wbs`` (codes traced, separated by ``;``),
        ``source``, ``stakeholder``, ``status``.
    weights : mapping, optional
        Wiegers weights ``benefit`` (2), ``penalty`` (1), ``cost`` (1), ``risk`` (0.5).
    wbs : iterable of codes or DataFrame, optional
        The WBS (codes or a table with a ``wbs`` column; summaries derived) against which
        traced codes are checked.

    Returns
    -------
    DataFrame
        Indexed by ``id`` in input order: the input columns plus ``moscow`` (canonical
        ``must/should/could/wont``), ``value`` (benefit·w_b + penalty·w_p), ``value_share``,
        ``cost_share``, ``risk_share`` (fractions of the column totals), ``priority``
        (Wiegers score), ``score_rank`` (1 = highest priority), ``rank`` (MoSCoW bucket first,
        then priority) and ``wbs`` as a tuple of codes.

    Notes
    -----
    Wiegers (1999): priority = value% / (cost% · w_c + risk% · w_r), each % relative to the
    column total over all requirements. A requirement without cost and risk gets priority
    NaN and ranks last in its bucket.

    References
    ----------
    .. [1] K. E. Wiegers, "First Things First: Prioritizing Requirements", *Software
       Development* 7(9), 1999.
    .. [2] DSDM Consortium, *The DSDM Agile Project Framework*, 2014 (MoSCoW).

    Examples
    --------
    >>> r = requirements(pd.DataFrame({"id": ["R1", "R2"], "moscow": ["S", "M"],
    ...     "value": [8, 4], "cost": [2, 4], "risk": [1, 1]}))
    >>> r["rank"].tolist(), r["score_rank"].tolist()
    ([2, 1], [1, 2])
    """
    df = read_table(data)
    what = "requirements"
    if df.empty and "id" in df.columns:
        df = df.astype(object)
    ids = _ids(df, what)
    w = {"benefit": 2.0, "penalty": 1.0, "cost": 1.0, "risk": 0.5}
    if weights:
        unknown = set(weights) - set(w)
        if unknown:
            raise ValidationError(f"unknown requirement weight(s) {format_ids(sorted(unknown))}; "
                                  "use benefit, penalty, cost, risk")
        w.update({k: float(v) for k, v in weights.items()})
    out = df.set_axis(ids, axis=0).drop(columns="id")
    raw = _text(df, "moscow").str.lower().set_axis(ids)
    canon = raw.map(lambda s: _MOSCOW_ALIASES.get(s, "" if s == "" else None))
    bad = canon.isna()
    if bad.any():
        raise ValidationError(
            f"requirements: unknown MoSCoW value for {format_ids(ids[bad.to_numpy()])}; use "
            "Must, Should, Could or Won't (M/S/C/W)"
        )
    out["moscow"] = canon
    value = _numeric(df, "value", what, ids, lo=0).to_numpy()
    benefit = _numeric(df, "benefit", what, ids, lo=0).to_numpy()
    penalty = _numeric(df, "penalty", what, ids, lo=0).to_numpy()
    derived = w["benefit"] * benefit + w["penalty"] * np.nan_to_num(penalty)
    value = np.where(np.isnan(value), derived, value)
    cost = _numeric(df, "cost", what, ids, lo=0).to_numpy()
    risk = _numeric(df, "risk", what, ids, lo=0).to_numpy()

    def share(x: np.ndarray) -> np.ndarray:
        total = np.nansum(x)
        return x / total if total > 0 else np.where(np.isnan(x), np.nan, 0.0)

    out["value"] = value
    out["value_share"] = share(value)
    out["cost_share"] = share(cost)
    out["risk_share"] = share(risk)
    denom = w["cost"] * np.nan_to_num(out["cost_share"]) + w["risk"] * np.nan_to_num(
        out["risk_share"])
    known = ~(np.isnan(cost) & np.isnan(risk)) & ~np.isnan(value)
    with np.errstate(divide="ignore", invalid="ignore"):
        prio = np.where(known & (denom > 0), out["value_share"] / denom, np.nan)
    prio = np.where(known & (denom == 0) & (out["value_share"] > 0), np.inf, prio)
    out["priority"] = prio
    order_score = pd.Series(-np.nan_to_num(prio, nan=-np.inf, posinf=np.inf), index=ids)
    out["score_rank"] = order_score.rank(method="first").astype(int).to_numpy() if len(ids) else []
    bucket = out["moscow"].map({"must": 0, "should": 1, "could": 2, "wont": 3, "": 4})
    key = pd.DataFrame({"b": bucket.to_numpy(), "s": order_score.to_numpy(),
                        "i": np.arange(len(ids))})
    ranked = key.sort_values(["b", "s", "i"]).index.to_numpy()
    rank = np.empty(len(ids), dtype=int)
    rank[ranked] = np.arange(1, len(ids) + 1)
    out["rank"] = rank
    traced = df["wbs"].map(split_ids).set_axis(ids) if "wbs" in df.columns else (
        pd.Series([()] * len(ids), index=ids, dtype=object))
    if wbs is not None:
        known_codes = set(wbs_tree(wbs).index)
        unknown = [i for i, codes in traced.items() if set(codes) - known_codes]
        if unknown:
            bad_codes = sorted({c for i in unknown for c in traced[i]} - known_codes)
            raise ValidationError(
                f"requirements {format_ids(unknown)} trace to unknown WBS code(s) "
                f"{format_ids(bad_codes)}; correct the codes or add them to the WBS"
            )
    out["wbs"] = traced
    return out


@dataclass(frozen=True)
class Traceability:
    """Requirements × WBS traceability (:func:`traceability`).

    Attributes
    ----------
    table : DataFrame
        Boolean matrix indexed by requirement id, one column per *leaf* WBS element (outline
        order), True where the requirement covers the element.
    untraced : list of str
        Requirements traced to nothing.
    uncovered : list of str
        Leaf elements no requirement covers.
    """

    table: pd.DataFrame
    untraced: list[str]
    uncovered: list[str]

    def _repr_html_(self) -> str:
        head = (f"<p><b>Traceability</b>: {len(self.table)} requirement(s) × "
                f"{self.table.shape[1]} leaf element(s); untraced: "
                f"{', '.join(self.untraced) or 'none'}; uncovered: "
                f"{', '.join(self.uncovered) or 'none'}.</p>")
        return head + self.table.to_html(max_rows=60)


def traceability(reqs: pd.DataFrame, wbs: Iterable[str] | pd.DataFrame) -> Traceability:
    """Requirements × WBS traceability matrix with coverage flags.

    A requirement traced to a summary element covers every element beneath it.

    Parameters
    ----------
    reqs : DataFrame
        Output of :func:`requirements` (or its input: it is validated when ``wbs`` holds
        strings rather than tuples).
    wbs : iterable of codes or DataFrame
        The WBS.

    Returns
    -------
    Traceability
        ``table``: boolean matrix indexed by requirement id, one column per *leaf* WBS
        element (outline order), True where the requirement covers the element;
        ``untraced``: requirements traced to nothing; ``uncovered``: leaf elements no
        requirement covers.

    Examples
    --------
    >>> r = requirements(pd.DataFrame({"id": ["R1", "R2"], "wbs": ["1", ""]}))
    >>> m = traceability(r, ["1.1", "1.2", "2"])
    >>> m.table.loc["R1"].tolist(), m.untraced, m.uncovered
    ([True, True, False], ['R2'], ['2'])
    """
    if "wbs" not in reqs.columns or not all(isinstance(v, tuple) for v in reqs["wbs"]):
        reqs = requirements(reqs.reset_index() if "id" not in reqs.columns else reqs, wbs=wbs)
    tree = wbs_tree(wbs)
    unknown = {c for codes in reqs["wbs"] for c in codes} - set(tree.index)
    if unknown:
        raise ValidationError(
            f"traceability: WBS code(s) {format_ids(sorted(unknown))} are not in the WBS; "
            "correct the requirement's wbs field or add the element"
        )
    leaves = list(tree.index[tree["leaf"]])
    leaf_arr = np.array(leaves, dtype=object)
    matrix = np.zeros((len(reqs), len(leaves)), dtype=bool)
    for i, codes in enumerate(reqs["wbs"]):
        for c in codes:
            matrix[i] |= (leaf_arr == c) | np.char.startswith(leaf_arr.astype(str), c + ".")
    out = pd.DataFrame(matrix, index=reqs.index, columns=pd.Index(leaves, name="wbs"))
    return Traceability(
        table=out,
        untraced=[str(i) for i, codes in zip(reqs.index, reqs["wbs"]) if not codes],
        uncovered=[c for c, hit in zip(leaves, matrix.any(axis=0)) if not hit])


# --------------------------------------------------------------------------- stakeholders
ENGAGEMENT_LEVELS = ("unaware", "resistant", "neutral", "supportive", "leading")
_SALIENCE = {
    (False, False, False): "non_stakeholder",
    (True, False, False): "dormant",
    (False, True, False): "discretionary",
    (False, False, True): "demanding",
    (True, True, False): "dominant",
    (True, False, True): "dangerous",
    (False, True, True): "dependent",
    (True, True, True): "definitive",
}


def _flag_or_score(df: pd.DataFrame, col: str, ids: pd.Index, threshold: float,
                   scale: tuple[float, float]) -> np.ndarray:
    """Salience attribute as bool: yes/no/true/false text or a score ≥ threshold."""
    if col not in df.columns:
        return np.zeros(len(df), dtype=bool)
    text = _text(df, col).str.lower()
    yes = text.isin(["yes", "y", "true", "x"]).to_numpy()
    no = text.isin(["no", "n", "false", ""]).to_numpy()
    rest = ~(yes | no)
    score = _numeric(df.loc[rest], col, "stakeholders", ids[rest], *scale).to_numpy()
    out = yes.copy()
    out[rest] = score >= threshold
    return out


def stakeholders(
    data: Any,
    *,
    threshold: float = 3.0,
    scale: tuple[float, float] = (1.0, 5.0),
) -> pd.DataFrame:
    """Classify a stakeholder register: power/interest grid, salience and engagement gap.

    Parameters
    ----------
    data : DataFrame or path
        Columns ``id`` (required), ``name``, ``role``, ``organisation``, ``power`` and
        ``interest`` (scores on ``scale``), ``legitimacy`` and ``urgency`` (scores or yes/no),
        ``current`` and ``desired`` engagement (unaware, resistant, neutral, supportive,
        leading), ``strategy``, ``contact``.
    threshold : float
        A score ≥ ``threshold`` counts as *high* (grid) or *present* (salience).
    scale : (float, float)
        Valid range of the scores.

    Returns
    -------
    DataFrame
        Indexed by ``id``: input columns plus ``quadrant`` (``manage_closely`` high power and
        interest, ``keep_satisfied`` high power, ``keep_informed`` high interest,
        ``monitor``; ``""`` when power or interest is missing), ``salience`` (Mitchell et al.
        class: definitive, dominant, dangerous, dependent, dormant, discretionary, demanding,
        non_stakeholder), ``salience_attributes`` (0–3), ``engagement_gap`` (desired − current
        level; > 0 means engagement must be raised, NaN when either is missing).

    References
    ----------
    .. [1] A. L. Mendelow, "Environmental scanning: the impact of the stakeholder concept",
       ICIS 1981 (power/interest grid).
    .. [2] R. K. Mitchell, B. R. Agle, D. J. Wood, "Toward a theory of stakeholder
       identification and salience", *Academy of Management Review* 22(4), 853–886, 1997.
    .. [3] PMI, *PMBOK Guide*, 6th ed., §13.2.2.5 (stakeholder engagement assessment matrix).

    Examples
    --------
    >>> s = stakeholders(pd.DataFrame({"id": ["CFO", "Dev"], "power": [5, 2],
    ...     "interest": [2, 5], "legitimacy": ["yes", "yes"], "urgency": [4, 1],
    ...     "current": ["neutral", "supportive"], "desired": ["supportive", "leading"]}))
    >>> s[["quadrant", "salience", "engagement_gap"]].values.tolist()
    [['keep_satisfied', 'definitive', 1.0], ['keep_informed', 'discretionary', 1.0]]
    """
    df = read_table(data)
    what = "stakeholders"
    ids = _ids(df, what)
    out = df.set_axis(ids, axis=0).drop(columns="id")
    power = _numeric(df, "power", what, ids, *scale).to_numpy()
    interest = _numeric(df, "interest", what, ids, *scale).to_numpy()
    hp, hi = power >= threshold, interest >= threshold
    quad = np.select([hp & hi, hp, hi], ["manage_closely", "keep_satisfied", "keep_informed"],
                     "monitor").astype(object)
    quad[np.isnan(power) | np.isnan(interest)] = ""
    out["quadrant"] = quad
    p = hp & ~np.isnan(power)
    leg = _flag_or_score(df, "legitimacy", ids, threshold, scale)
    urg = _flag_or_score(df, "urgency", ids, threshold, scale)
    out["salience"] = [_SALIENCE[(bool(a), bool(b), bool(c))] for a, b, c in zip(p, leg, urg)]
    out["salience_attributes"] = p.astype(int) + leg.astype(int) + urg.astype(int)
    level = {name: k for k, name in enumerate(ENGAGEMENT_LEVELS)}
    gaps = {}
    for col in ("current", "desired"):
        text = _text(df, col).str.lower()
        bad = (text != "") & ~text.isin(ENGAGEMENT_LEVELS)
        if bad.any():
            raise ValidationError(
                f"stakeholders: unknown {col} engagement for {format_ids(ids[bad.to_numpy()])}; "
                f"use one of {', '.join(ENGAGEMENT_LEVELS)}"
            )
        out[col] = text.to_numpy()
        gaps[col] = text.map(level).astype(float).to_numpy()
    out["engagement_gap"] = gaps["desired"] - gaps["current"]
    return out


# --------------------------------------------------------------------------- RACI
@dataclass
class RaciResult:
    """A validated RACI matrix with its per-role and per-row findings.

    Attributes
    ----------
    matrix : DataFrame
        Tasks × roles, cells normalised to upper-case letter sets such as ``"A/R"`` or ``""``.
    roles : DataFrame
        Per role: ``responsible``, ``accountable``, ``consulted``, ``informed`` counts,
        ``load`` (share of rows where the role is R or A) and ``overloaded`` (load >
        ``max_load``).
    tasks : DataFrame
        Per row: ``accountable`` (role), ``responsible`` (tuple of roles), ``consulted``
        (count), ``no_consultation`` (bool).
    """

    matrix: pd.DataFrame
    roles: pd.DataFrame
    tasks: pd.DataFrame

    @property
    def warnings(self) -> list[str]:
        """Human-readable flags: overloaded roles and rows without consultation."""
        msgs = []
        over = self.roles.index[self.roles["overloaded"]]
        if len(over):
            msgs.append(f"overloaded role(s) {format_ids(over)}: responsible or accountable for "
                        "too many rows; delegate some R/A assignments")
        lonely = self.tasks.index[self.tasks["no_consultation"]]
        if len(lonely):
            msgs.append(f"row(s) {format_ids(lonely)} consult nobody; add a C where expertise "
                        "is needed")
        return msgs

    def _repr_html_(self) -> str:
        notes = "".join(f"<li>{m}</li>" for m in self.warnings) or "<li>no flags</li>"
        return (f"<b>RACI</b> {self.matrix.shape[0]} rows × {self.matrix.shape[1]} roles"
                f"<ul>{notes}</ul>{self.matrix.to_html()}")


def raci(data: Any, *, task_column: str | None = None, max_load: float = 0.5,
         task_ids: Iterable[str] | None = None) -> RaciResult:
    """Validate a RACI matrix (rows: tasks or deliverables, columns: roles).

    Parameters
    ----------
    data : DataFrame or path
        First column (or ``task_column``, default ``task`` or ``id`` when present) names the
        row; every other column is a role whose cells hold R, A, C, I, combinations such as
        ``A/R`` or ``RA``, or blank.
    task_column : str, optional
        Column naming the rows.
    max_load : float
        A role that is R or A on more than this share of rows is flagged as overloaded.
    task_ids : iterable of str, optional
        Known task ids; rows naming other ids raise.

    Returns
    -------
    RaciResult

    Raises
    ------
    ValidationError
        Unknown letters; a row without an A or with several; a row without an R; unknown task.

    References
    ----------
    .. [1] PMI, *PMBOK Guide*, 6th ed., §9.1.2.2 (responsibility assignment matrix).

    Examples
    --------
    >>> m = pd.DataFrame({"task": ["Design", "Build"], "pm": ["A", "A"],
    ...                   "dev": ["R", "R"], "qa": ["C", "I"]})
    >>> res = raci(m)
    >>> res.tasks["no_consultation"].tolist(), res.roles["overloaded"].tolist()
    ([False, True], [True, True, False])
    """
    df = read_table(data)
    if task_column is None:
        task_column = next((c for c in ("task", "id", "deliverable") if c in df.columns),
                           df.columns[0] if len(df.columns) else "task")
    ids = _ids(df, "RACI", task_column)
    roles = [c for c in df.columns if c != task_column]
    if not roles:
        raise ValidationError("RACI matrix has no role columns; add one column per role")
    if task_ids is not None:
        unknown = [i for i in ids if i not in set(map(str, task_ids))]
        if unknown:
            raise ValidationError(f"RACI rows {format_ids(unknown)} are not tasks of the project; "
                                  "correct the ids or remove the rows")
    cells = df[roles].astype(object).where(df[roles].notna(), "").astype(str)
    cells = cells.apply(lambda s: s.str.upper().str.replace(r"[\s/,+;-]", "", regex=True))
    bad = cells.apply(lambda s: s.str.contains(r"[^RACI]", regex=True))
    if bad.to_numpy().any():
        rows = ids[bad.any(axis=1).to_numpy()]
        raise ValidationError(f"RACI rows {format_ids(rows)} hold letters other than R, A, C, I; "
                              "use R, A, C, I or combinations such as A/R")
    has = {k: cells.apply(lambda s, k=k: s.str.contains(k)).to_numpy() for k in "RACI"}
    n_a = has["A"].sum(axis=1)
    if (n_a != 1).any():
        none = ids[n_a == 0]
        many = ids[n_a > 1]
        parts = []
        if len(none):
            parts.append(f"no A on {format_ids(none)}")
        if len(many):
            parts.append(f"several A on {format_ids(many)}")
        raise ValidationError(f"RACI: {'; '.join(parts)}; every row needs exactly one "
                              "accountable role (A)")
    no_r = ids[~has["R"].any(axis=1)]
    if len(no_r):
        raise ValidationError(f"RACI: no responsible role (R) on {format_ids(no_r)}; mark at "
                              "least one role R on every row (the A may also be R: A/R)")
    normal = cells.apply(lambda s: s.map(lambda v: "/".join(k for k in "ARCI" if k in v)))
    normal.index = ids
    role_idx = np.array(roles, dtype=object)
    n = max(len(ids), 1)
    load = (has["R"] | has["A"]).sum(axis=0) / n
    role_table = pd.DataFrame({
        "responsible": has["R"].sum(axis=0), "accountable": has["A"].sum(axis=0),
        "consulted": has["C"].sum(axis=0), "informed": has["I"].sum(axis=0),
        "load": load, "overloaded": load > max_load,
    }, index=pd.Index(roles, name="role"))
    task_table = pd.DataFrame({
        "accountable": role_idx[has["A"].argmax(axis=1)] if len(ids) else [],
        "responsible": [tuple(role_idx[row]) for row in has["R"]],
        "consulted": has["C"].sum(axis=1),
        "no_consultation": ~has["C"].any(axis=1),
    }, index=ids)
    return RaciResult(matrix=normal, roles=role_table, tasks=task_table)


# --------------------------------------------------------------------------- change log
CHANGE_STATUSES = ("proposed", "approved", "rejected", "withdrawn", "implemented")
CHANGE_TRANSITIONS = {
    "proposed": ("approved", "rejected", "withdrawn"),
    "approved": ("implemented", "withdrawn"),
    "rejected": (),
    "withdrawn": (),
    "implemented": (),
}


def _dates(df: pd.DataFrame, col: str, ids: pd.Index) -> pd.Series:
    if col not in df.columns:
        return pd.Series(pd.NaT, index=ids, dtype="datetime64[ns]")
    raw = df[col]
    parsed = pd.to_datetime(raw, errors="coerce")
    bad = parsed.isna() & raw.notna() & (raw.astype(str).str.strip() != "")
    if bad.any():
        raise ValidationError(f"change log: {col!r} is not a date for "
                              f"{format_ids(ids[bad.to_numpy()])}; use ISO dates (2027-01-31)")
    return pd.Series(parsed.to_numpy(), index=ids)


def change_log(data: Any, *, task_ids: Iterable[str] | None = None) -> pd.DataFrame:
    """Validate a change log (change requests with impact and status).

    Parameters
    ----------
    data : DataFrame or path
        Columns ``id`` (required), ``title``, ``description``, ``requested_by``, ``owner``,
        ``raised`` (date), ``cost_impact`` [currency, signed], ``schedule_impact_days``
        [working days, signed], ``tasks`` (affected task ids), ``status`` (proposed, approved,
        rejected, withdrawn, implemented; default proposed), ``decided`` and ``implemented``
        (dates).
    task_ids : iterable of str, optional
        Known task ids; unknown affected tasks raise.

    Returns
    -------
    DataFrame
        Indexed by ``id``: the columns above with canonical types (``tasks`` a tuple, dates as
        Timestamps, impacts as float with 0 for blanks).

    Raises
    ------
    ValidationError
        Unknown status; approved/rejected/implemented without a ``decided`` date (when the
        column is present); dates out of order (raised ≤ decided ≤ implemented); an
        ``implemented`` date on a change that is not implemented; unknown tasks.

    References
    ----------
    .. [1] PMI, *PMBOK Guide*, 6th ed., §4.6 Perform Integrated Change Control.

    Examples
    --------
    >>> log = change_log(pd.DataFrame({"id": ["CR1"], "cost_impact": [1200],
    ...                                "status": ["Approved"]}))
    >>> log.loc["CR1", "status"], float(log.loc["CR1", "cost_impact"])
    ('approved', 1200.0)
    """
    df = read_table(data)
    what = "change log"
    ids = _ids(df, what)
    out = df.set_axis(ids, axis=0).drop(columns="id")
    status = _text(df, "status").str.lower().replace("", "proposed").set_axis(ids)
    bad = ~status.isin(CHANGE_STATUSES)
    if bad.any():
        raise ValidationError(f"change log: unknown status for {format_ids(ids[bad.to_numpy()])}; "
                              f"use one of {', '.join(CHANGE_STATUSES)}")
    out["status"] = status
    for col in ("cost_impact", "schedule_impact_days"):
        out[col] = _numeric(df, col, what, ids).fillna(0.0).to_numpy()
    raised = _dates(df, "raised", ids)
    decided = _dates(df, "decided", ids)
    implemented = _dates(df, "implemented", ids)
    if "decided" in df.columns:
        need = status.isin(["approved", "rejected", "implemented"]) & decided.isna()
        if need.any():
            raise ValidationError(f"change log: {format_ids(ids[need.to_numpy()])} have a decision "
                                  "status but no 'decided' date; enter the decision date")
    stray = implemented.notna() & (status != "implemented")
    if stray.any():
        raise ValidationError(f"change log: {format_ids(ids[stray.to_numpy()])} have an "
                              "'implemented' date but are not implemented; clear the date or "
                              "set status implemented")
    early = (decided < raised) | (implemented < decided) | (implemented < raised)
    if early.any():
        raise ValidationError(f"change log: dates out of order for "
                              f"{format_ids(ids[early.to_numpy()])}; need raised ≤ decided ≤ "
                              "implemented")
    out["raised"], out["decided"], out["implemented"] = raised, decided, implemented
    tasks = df["tasks"].map(split_ids).set_axis(ids) if "tasks" in df.columns else (
        pd.Series([()] * len(ids), index=ids, dtype=object))
    if task_ids is not None:
        known = set(map(str, task_ids))
        unknown = [i for i, t in tasks.items() if set(t) - known]
        if unknown:
            missing = sorted({x for i in unknown for x in tasks[i]} - known)
            raise ValidationError(f"change log: {format_ids(unknown)} name unknown task(s) "
                                  f"{format_ids(missing)}; use ids from the task table")
    out["tasks"] = tasks
    return out


def change_transition(log: pd.DataFrame, change_id: str, status: str,
                      date: Any = None) -> pd.DataFrame:
    """Move one change request along the workflow and return the updated log (a copy).

    Allowed: proposed → approved | rejected | withdrawn; approved → implemented | withdrawn.

    Parameters
    ----------
    log : DataFrame
        Output of :func:`change_log`.
    change_id : str
        The change request.
    status : str
        The new status.
    date : date-like, optional
        Decision or implementation date (default: today).

    Returns
    -------
    DataFrame

    Examples
    --------
    >>> log = change_log(pd.DataFrame({"id": ["CR1"]}))
    >>> change_transition(log, "CR1", "approved", "2027-02-01").loc["CR1", "status"]
    'approved'
    """
    status = check_option(status, CHANGE_STATUSES, "change status")
    if change_id not in log.index:
        raise ValidationError(f"change request {change_id} is not in the log; known: "
                              f"{format_ids(log.index)}")
    current = log.loc[change_id, "status"]
    if status not in CHANGE_TRANSITIONS[current]:
        allowed = ", ".join(CHANGE_TRANSITIONS[current]) or "none (final status)"
        raise ValidationError(f"change request {change_id} cannot go from {current} to {status}; "
                              f"allowed next: {allowed}")
    out = log.copy()
    when = pd.Timestamp(date) if date is not None else pd.Timestamp.today().normalize()
    out.loc[change_id, "status"] = status
    column = "implemented" if status == "implemented" else "decided"
    if column not in out.columns:
        out[column] = pd.Series(pd.NaT, index=out.index, dtype="datetime64[ns]")
    out.loc[change_id, column] = when
    return change_log(out.reset_index())


@dataclass(frozen=True)
class ChangeSummary:
    """Change requests by status (:func:`change_summary`).

    Attributes
    ----------
    table : DataFrame
        Indexed by status (workflow order): ``count``, ``cost_impact`` [currency],
        ``schedule_impact_days`` [working days].
    baseline_change : dict of str to float
        ``cost_impact`` and ``schedule_impact_days`` of the approved plus implemented
        changes (what moves the baseline).
    """

    table: pd.DataFrame
    baseline_change: dict[str, float]

    def _repr_html_(self) -> str:
        b = self.baseline_change
        head = (f"<p><b>Changes</b>: baseline change {b['cost_impact']:,.2f} cost, "
                f"{b['schedule_impact_days']:g} working days.</p>")
        return head + self.table.to_html(float_format=lambda x: f"{x:,.2f}")


def change_summary(log: pd.DataFrame) -> ChangeSummary:
    """Counts and total cost/schedule impact by status.

    Parameters
    ----------
    log : DataFrame
        Output of :func:`change_log`.

    Returns
    -------
    ChangeSummary
        ``table`` indexed by status (all statuses, in workflow order): ``count``,
        ``cost_impact`` [currency], ``schedule_impact_days`` [working days];
        ``baseline_change``: the totals of approved plus implemented changes (what moves
        the baseline).

    Examples
    --------
    >>> log = change_log(pd.DataFrame({"id": ["A", "B"], "cost_impact": [10, 5],
    ...                                "status": ["approved", "rejected"]}))
    >>> change_summary(log).baseline_change["cost_impact"]
    10.0
    """
    g = log.groupby("status")[["cost_impact", "schedule_impact_days"]]
    out = g.sum().reindex(list(CHANGE_STATUSES), fill_value=0.0)
    out.insert(0, "count", log["status"].value_counts().reindex(out.index, fill_value=0))
    out.index.name = "status"
    base = out.loc[["approved", "implemented"]].sum()
    return ChangeSummary(table=out, baseline_change={
        "cost_impact": float(base["cost_impact"]),
        "schedule_impact_days": float(base["schedule_impact_days"])})


# --------------------------------------------------------------------------- one entry point
ARTEFACTS = ("wbs", "requirements", "stakeholders", "raci", "risks", "changes",
             "estimation_rounds", "throughput_history", "estimates_vs_actuals")


def read_artefact(source: Any, kind: str, sheet: str | None = None, **options: Any) -> Any:
    """Read and validate one artefact (templates and user files alike).

    Parameters
    ----------
    source : DataFrame or path
        CSV/XLSX/YAML/JSON file or DataFrame.
    kind : str
        One of ``wbs``, ``requirements``, ``stakeholders``, ``raci``, ``risks``, ``changes``,
        ``estimation_rounds``, ``throughput_history``, ``estimates_vs_actuals``.
    sheet : str, optional
        Sheet/key to read; default: ``kind`` for workbooks and YAML/JSON, else the first sheet.
    **options
        Passed to the validating function.

    Returns
    -------
    The validated artefact: the WBS dictionary (after :func:`check_wbs` found no orphan or
    duplicate), a requirements/stakeholder/change table, a :class:`RaciResult`, the
    normalised risk register (:func:`tpmkit.risk.register.normalize_register`), a
    :class:`tpmkit.estimate.DelphiResult`, a throughput Series or a
    :class:`tpmkit.estimate.Calibration`.

    Examples
    --------
    >>> read_artefact(pd.DataFrame({"id": ["CR1"]}), "changes")["status"].tolist()
    ['proposed']
    """
    kind = check_option(kind, ARTEFACTS, "artefact")
    if sheet is None and not isinstance(source, pd.DataFrame):
        suffix = Path(str(source)).suffix.lower()
        if suffix in (".xlsx", ".xlsm", ".yaml", ".yml", ".json"):
            sheet = kind
    df = read_table(source, sheet)
    if kind == "wbs":
        findings = check_wbs(df, complete=True, **options)
        hard = findings[findings["check"].isin(["orphan", "duplicate"])]
        if len(hard):
            raise ValidationError("WBS: " + "; ".join(hard["message"].head(5)))
        return wbs_dictionary(df)
    if kind == "requirements":
        return requirements(df, **options)
    if kind == "stakeholders":
        return stakeholders(df, **options)
    if kind == "raci":
        return raci(df, **options)
    if kind == "changes":
        return change_log(df, **options)
    if kind == "risks":
        from tpmkit.risk.register import normalize_register

        return normalize_register(df, **options)
    from tpmkit import estimate

    if kind == "estimation_rounds":
        return estimate.delphi(df, **options)
    if kind == "throughput_history":
        return estimate.throughput_history(df, **options)
    if kind == "estimates_vs_actuals":
        return estimate.calibrate(df, **options)
    raise DataError(f"artefact {kind!r} has no reader")  # unreachable: check_option above
