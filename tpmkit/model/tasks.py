"""The task table: every column of ARCHITECTURE.md parsed and validated once.

* ``id`` unique, made of (Unicode) letters, digits, ``_``, ``-``, ``.``
  (:func:`tpmkit.model.columns.is_task_id`);
* ``duration`` ≥ 0, or a three-point estimate with o ≤ m ≤ p (the deterministic duration is
  then the PERT mean (o + 4m + p)/6, or m with ``duration_from="most_likely"``);
* ``predecessors`` (see :mod:`tpmkit.model.links`), ``wbs`` (see :mod:`tpmkit.model.wbs`);
* constraints, dates, resources (``dev:1; qa:0.5``), costs, baseline and progress columns;
* the extra columns consumers read (``crash_duration``, ``crash_cost``,
  ``crash_cost_per_day``: numbers ≥ 0; ``existence_probability``: 0..1).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from tpmkit.errors import ValidationError, check_option, format_ids
from tpmkit.model.calendar import DATE_MAX, DATE_MIN, MAX_DAYS, Calendar, parse_date_column
from tpmkit.model.columns import (
    STRING,
    id_problem_characters,
    is_blank,
    is_task_id,
    normalise_columns,
    split_cells,
    strip,
    text_column,
    to_dates,
    to_number,
)
from tpmkit.model.wbs import malformed_codes

__all__ = [
    "CONSTRAINT_TYPES",
    "DISTRIBUTIONS",
    "EXTRA_NUMBER_COLUMNS",
    "TASK_COLUMNS",
    "empty_assignments",
    "empty_tasks",
    "parse_resources",
    "parse_tasks",
]

CONSTRAINT_TYPES = ("SNET", "SNLT", "FNET", "FNLT", "MSO", "MFO", "ALAP")
#: constraints without a date (as late as possible; "ASAP" is read as no constraint)
_DATELESS = {"ALAP"}
DISTRIBUTIONS = ("pert", "triangular", "uniform", "normal", "lognormal", "fixed", "empirical")
_START_CONSTRAINTS = {"SNET", "SNLT", "MSO"}

#: canonical task columns (always present in ``Project.tasks``) and their kinds
TASK_COLUMNS: dict[str, str] = {
    "name": "text",
    "duration": "number",
    "optimistic": "number",
    "most_likely": "number",
    "pessimistic": "number",
    "distribution": "text",
    "predecessors": "text",
    "wbs": "text",
    "constraint": "text",
    "constraint_date": "date",
    "constraint_offset": "number",
    "resources": "text",
    "cost": "number",
    "rate": "number",
    "baseline_start": "date",
    "baseline_finish": "date",
    "baseline_cost": "number",
    "percent_complete": "number",
    "actual_start": "date",
    "actual_finish": "date",
    "actual_cost": "number",
    "remaining_duration": "number",
}


#: extra task columns read by consumers: column → (lowest, highest) allowed value; the
#: existence probability excludes 0 (a task that never exists is left out instead)
EXTRA_NUMBER_COLUMNS: dict[str, tuple[float, float]] = {
    "crash_duration": (0.0, np.inf),
    "crash_cost": (0.0, np.inf),
    "crash_cost_per_day": (0.0, np.inf),
    "existence_probability": (0.0, 1.0),
    "remaining_optimistic": (0.0, MAX_DAYS),
    "remaining_most_likely": (0.0, MAX_DAYS),
    "remaining_pessimistic": (0.0, MAX_DAYS),
}
_OPEN_LOW = {"existence_probability"}

_SEP_RE = re.compile(r"[;,]")
_RES_RE = re.compile(r"^\s*(?P<name>[^:=\s][^:=]*?)\s*(?:[:=]\s*(?P<units>[-+0-9.eE]+)\s*)?$")


def parse_resources(text: object) -> list[tuple[str, float]]:
    """Parse ``'dev:1; qa:0.5'`` into ``[('dev', 1.0), ('qa', 0.5)]`` (units default 1).

    Examples
    --------
    >>> parse_resources("dev:1; qa:0.5")
    [('dev', 1.0), ('qa', 0.5)]
    """
    if text is None or (isinstance(text, float) and np.isnan(text)):
        return []
    out = []
    for part in _SEP_RE.split(str(text)):
        if not part.strip():
            continue
        m = _RES_RE.match(part)
        if not m:
            raise ValueError(part)
        units = float(m.group("units")) if m.group("units") else 1.0
        if not np.isfinite(units) or units < 0:
            raise ValueError(part)
        out.append((m.group("name").strip(), units))
    return out



def parse_tasks(raw: pd.DataFrame, duration_from: str, start: pd.Timestamp | None,
                 calendar: Calendar, date_rule: dict | None = None
                 ) -> tuple[pd.DataFrame, pd.DataFrame, np.ndarray]:
    """Validate a raw task table → (tasks indexed by id, assignments, duration-derived mask).

    ``date_rule`` (``dayfirst``, ``date_format``: the project settings) says how to read
    date text that is not ISO; see :func:`tpmkit.model.calendar.parse_date_column`.

    The ``predecessors`` column is cleaned text here; :func:`tpmkit.model.links.links_from_text`
    turns it into the link table.
    """
    if not isinstance(raw, pd.DataFrame):
        raise ValidationError("the task table must be a table (DataFrame, CSV, sheet or list of rows)")
    df = normalise_columns(raw)
    if df.index.name == "id" and "id" not in df.columns:
        df = df.reset_index()
    if len(df) == 0:
        raise ValidationError("the task table is empty; add at least one task row with an id "
                              "and a duration")
    if "id" not in df.columns:
        raise ValidationError(f"the task table has no 'id' column (columns: {format_ids(df.columns, 8)}); "
                              "add an 'id' column with a unique id per task")
    _check_scalars(df)
    ids = _task_ids(df["id"])
    df["id"] = ids
    df = df.set_index("id")
    df.index.name = "id"
    for col, kind in TASK_COLUMNS.items():
        if col not in df.columns:
            df[col] = np.nan if kind != "text" else ""
    _check_numbers(df)
    derived = _durations(df, duration_from)
    df["distribution"] = _choice_column(df["distribution"], DISTRIBUTIONS, "distribution", np.strings.lower)
    # text columns
    for col in ("name", "wbs", "resources", "predecessors"):
        df[col] = text_column(df[col])
    wbs_bad = malformed_codes(df["wbs"])
    if wbs_bad.any():
        raise ValidationError(f"malformed WBS code for task(s) {format_ids(df.index[wbs_bad])}; "
                              "write codes like 1.2.3 (levels of letters and digits, e.g. 1.A.2)")
    # dates
    for col, kind in TASK_COLUMNS.items():
        if kind == "date" and col != "constraint_date":  # that one may be an offset
            df[col] = to_dates(df, col, **(date_rule or {}))
            out = df[col].notna() & ((df[col] < DATE_MIN) | (df[col] > DATE_MAX))
            if out.any():
                raise ValidationError(
                    f"column '{col}' holds a date outside the supported range {DATE_MIN.date()} … "
                    f"{DATE_MAX.date()} for task(s) {format_ids(df.index[out])}; give a date in that range")
    # an actual finish before the actual start is a progress warning (tpmkit.model.progress)
    for kind in ("baseline",):
        early, late = df[f"{kind}_start"], df[f"{kind}_finish"]
        wrong = early.notna() & late.notna() & (late < early)
        if wrong.any():
            raise ValidationError(f"{kind}_finish before {kind}_start for task(s) "
                                  f"{format_ids(df.index[wrong])}; check the {kind} dates")
    # constraints
    _parse_constraints(df, start, calendar, date_rule or {})
    _extra_columns(df)
    # resources
    assignments = _parse_assignments(df)
    return df, assignments, derived


def _check_scalars(df: pd.DataFrame) -> None:
    """Refuse cells holding a list, mapping or set (e.g. ``name: [a, b]`` in YAML)."""
    for col in df.columns:
        s = df[col]
        if s.dtype != object:
            continue
        nested = s.map(lambda v: isinstance(v, list | tuple | dict | set)).to_numpy(dtype=bool)
        if nested.any():
            rows = (np.flatnonzero(nested) + 1).tolist()
            value = repr(s.iloc[int(np.flatnonzero(nested)[0])])[:80]
            raise ValidationError(f"column '{col}' holds a list or mapping in row(s) {format_ids(rows)} "
                                  f"(e.g. {value}); give one plain value per cell")


def _task_ids(idcol: pd.Series) -> pd.Series:
    """The task ids as text, checked: none missing, only safe characters, none repeated."""
    if is_blank(idcol).any():
        rows = (np.flatnonzero(is_blank(idcol).to_numpy()) + 1).tolist()
        raise ValidationError(f"task id missing in row(s) {format_ids(rows)}; give every task an id")
    ids = text_column(idcol)
    # one pass over all ids joined (C regex); the per-id check only names the culprits
    if id_problem_characters("".join(ids.to_numpy(dtype=object).tolist())) or (ids == "").any():
        bad = ids[[not is_task_id(x) for x in ids]]
    else:
        bad = ids.iloc[:0]
    if len(bad):
        raise ValidationError(f"invalid task id(s) {format_ids(repr(b) for b in bad)}; use letters, "
                              "digits, '_', '-' and '.' only (no spaces, ';', ',' or '+')")
    dup = ids[ids.duplicated()].unique()
    if len(dup):
        raise ValidationError(f"duplicate task id(s) {format_ids(dup)}; every task needs a unique id")
    return ids


#: a duration with the units of the lag grammar (:mod:`tpmkit.model.links`): days or weeks
_DURATION = re.compile(r"^\s*(?P<num>[0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?)\s*"
                       r"(?P<unit>d|days?|wd|wdays?|w|wks?|weeks?)?\s*$", re.IGNORECASE)
DURATION_COLUMNS = ("duration", "optimistic", "most_likely", "pessimistic")
#: The largest cost, rate or budget a task may hold (10^15: sums of 100,000 tasks stay exact
#: to the cent well below float overflow).
MAX_AMOUNT = 1e15


def _duration_units(df: pd.DataFrame) -> None:
    """Durations written with a unit (``3d``, ``2w``, ``1.5 weeks``) → working days, in place.

    The units are the lag grammar's: ``d``/``day(s)``/``wd`` (working days) and
    ``w``/``wk(s)``/``week(s)`` (5 working days). Anything else is refused, naming the tasks.
    """
    for col in DURATION_COLUMNS:
        raw = df[col]
        if pd.api.types.is_numeric_dtype(raw):
            continue
        text = raw.map(lambda v: v.strip() if isinstance(v, str) else v)
        is_text = text.map(lambda v: isinstance(v, str) and v != "").to_numpy(dtype=bool)
        if not is_text.any():
            continue
        values = raw.astype(object).copy()
        bad = []
        for tid, cell in text[is_text].items():
            m = _DURATION.match(cell.replace(",", ".", 1) if cell.count(",") == 1 else cell)
            if not m:
                bad.append(tid)
                continue
            unit = (m.group("unit") or "d").lower()
            factor = 5.0 if unit.startswith("w") and not unit.startswith("wd") else 1.0
            values[tid] = float(m.group("num")) * factor
        if bad:
            raise ValidationError(f"column '{col}' is not a number for task(s) {format_ids(bad)} "
                                  f"(e.g. {raw[bad[0]]!r}); write working days (5, 2.5, 3d) or "
                                  "weeks (2w = 10 days), as in lags")
        df[col] = values


def _check_numbers(df: pd.DataFrame) -> None:
    """Convert the number columns in place and check their ranges."""
    _duration_units(df)
    for col, kind in TASK_COLUMNS.items():
        if kind == "number" and col != "constraint_offset":
            df[col] = to_number(df, col)
    for col in ("duration", "optimistic", "most_likely", "pessimistic", "cost", "rate",
                "baseline_cost", "actual_cost", "remaining_duration"):
        neg = df[col] < 0
        if neg.any():
            raise ValidationError(f"negative {col} for task(s) {format_ids(df.index[neg])}; "
                                  f"{col} must be ≥ 0")
        inf = np.isinf(df[col])
        if inf.any():
            raise ValidationError(f"infinite {col} for task(s) {format_ids(df.index[inf])}; "
                                  "give a finite number")
        if col not in DURATION_COLUMNS and col != "remaining_duration":
            big = df[col] > MAX_AMOUNT
            if big.any():
                raise ValidationError(f"{col} above {MAX_AMOUNT:,.0f} for task(s) "
                                      f"{format_ids(df.index[big])}; check the value (a typo?)")
        if col in ("duration", "optimistic", "most_likely", "pessimistic", "remaining_duration"):
            big = df[col] > MAX_DAYS
            if big.any():
                raise ValidationError(f"{col} above {MAX_DAYS:g} working days (100 years) for task(s) "
                                      f"{format_ids(df.index[big])}; give at most {MAX_DAYS:g}")
    pc = df["percent_complete"]
    if ((pc < 0) | (pc > 100)).any():
        bad = df.index[(pc < 0) | (pc > 100)]
        raise ValidationError(f"percent_complete outside 0–100 for task(s) {format_ids(bad)}; "
                              "write e.g. 40 for 40 %")


def _durations(df: pd.DataFrame, duration_from: str) -> np.ndarray:
    """Check the three-point estimates and fill missing durations from them, in place.

    Returns the mask of tasks whose duration was derived.
    """
    o, m, p = df["optimistic"], df["most_likely"], df["pessimistic"]
    have3 = o.notna() | m.notna() | p.notna()
    partial = have3 & (o.isna() | m.isna() | p.isna())
    if partial.any():
        raise ValidationError(
            f"incomplete three-point estimate for task(s) {format_ids(df.index[partial])}; "
            "give optimistic, most_likely and pessimistic together")
    if (o > m).any():
        raise ValidationError(f"optimistic > most_likely for task(s) {format_ids(df.index[o > m])}; "
                              "three-point estimates need o ≤ m ≤ p")
    if (m > p).any():
        raise ValidationError(f"most_likely > pessimistic for task(s) {format_ids(df.index[m > p])}; "
                              "three-point estimates need o ≤ m ≤ p")
    dur_missing = df["duration"].isna()
    missing = dur_missing & ~have3
    if missing.any():
        raise ValidationError(
            f"duration missing for task(s) {format_ids(df.index[missing])}; give a duration in "
            "working days (0 for a milestone) or a three-point estimate")
    duration_from = check_option(duration_from, ["mean", "most_likely"], "duration_from")
    derived = (dur_missing & have3).to_numpy()
    pert_mean = (o + 4 * m + p) / 6.0
    df.loc[derived, "duration"] = (pert_mean if duration_from == "mean" else m)[derived]
    return derived


def _extra_columns(df: pd.DataFrame) -> None:
    """Numbers and ranges of the extra task columns consumers read (crashing, existence)."""
    for col, (lo, hi) in EXTRA_NUMBER_COLUMNS.items():
        if col not in df.columns:
            continue
        df[col] = to_number(df, col)
        v = df[col]
        bad = ((v <= lo) if col in _OPEN_LOW else (v < lo)) | (v > hi) | np.isinf(v)
        if bad.any():
            rng = "a probability in (0, 1]" if hi == 1.0 else "a finite number ≥ 0"
            raise ValidationError(f"{col} out of range for task(s) {format_ids(df.index[bad])}; "
                                  f"give {rng}")


def empty_tasks() -> pd.DataFrame:
    """A task table with the canonical columns and no rows."""
    tasks = pd.DataFrame({c: pd.Series(dtype=object if k in ("text", "date") else float)
                          for c, k in TASK_COLUMNS.items()})
    tasks.index = pd.Index([], name="id", dtype=object)
    return tasks


def _choice_column(col: pd.Series, choices: tuple[str, ...], what: str, case) -> pd.Series:
    """A text column whose non-blank values must be one of ``choices`` (after ``case``)."""
    text = text_column(col)
    out = text.copy()
    given = (text != "").to_numpy(dtype=bool)
    if given.any():
        out[given] = case(text.to_numpy(dtype=object)[given].astype(STRING)).astype(object)
    bad = out[(out != "") & ~out.isin(choices)]
    if len(bad):
        raise ValidationError(f"unknown {what} {text[bad.index[0]]!r} for task(s) "
                              f"{format_ids(bad.index)}; choose one of: {', '.join(choices)}")
    return out


def _parse_constraints(df: pd.DataFrame, start: pd.Timestamp | None, calendar: Calendar,
                       date_rule: dict) -> None:
    ctype = _choice_column(df["constraint"], CONSTRAINT_TYPES + ("ASAP",), "constraint",
                           np.strings.upper)
    ctype = ctype.where(ctype != "ASAP", "")  # as soon as possible: the default, no constraint
    df["constraint"] = ctype
    raw = df["constraint_date"]
    offset = pd.Series(np.nan, index=df.index)
    if raw.isna().all() and not (ctype != "").any():
        df["constraint_date"] = pd.Series(pd.NaT, index=df.index, dtype="datetime64[ns]")
        df["constraint_offset"] = offset
        return
    if pd.api.types.is_datetime64_any_dtype(raw):
        dates = raw
        numeric = pd.Series(np.nan, index=df.index)
    else:
        blank = is_blank(raw)
        numeric = pd.to_numeric(raw.where(~blank), errors="coerce")
        as_date = raw.where(~blank & numeric.isna())
        dates = parse_date_column(as_date, "column 'constraint_date'", **date_rule)
        bad = ~blank & numeric.isna() & dates.isna()
        if bad.any():
            raise ValidationError(
                f"unreadable constraint_date for task(s) {format_ids(df.index[bad])}; give a date "
                "(YYYY-MM-DD) or a working-day offset from the project start")
    has_date = dates.notna()
    if has_date.any():
        if start is None:
            raise ValidationError(
                f"constraint dates given for task(s) {format_ids(df.index[has_date])} but the project "
                "has no start date; set project.start (or --start) or give offsets in working days")
        is_start = ctype.isin(_START_CONSTRAINTS)
        for kind, mask in (("start", has_date & is_start), ("finish", has_date & ~is_start)):
            if mask.any():
                offset[mask] = calendar.offset_of(dates[mask].to_numpy(), start, kind=kind)
    offset[numeric.notna()] = numeric[numeric.notna()]
    dateless = ctype.isin(_DATELESS)
    dated = dateless & offset.notna()
    if dated.any():
        raise ValidationError(f"an ALAP (as late as possible) constraint takes no date, but "
                              f"task(s) {format_ids(df.index[dated])} give a constraint_date; "
                              "clear the date, or use SNLT/FNLT for a latest date")
    need = (ctype != "") & ~dateless & offset.isna()
    if need.any():
        raise ValidationError(f"constraint without constraint_date for task(s) {format_ids(df.index[need])}; "
                              "give the date the constraint refers to")
    orphan = (ctype == "") & offset.notna()
    if orphan.any():
        raise ValidationError(f"constraint_date without a constraint type for task(s) "
                              f"{format_ids(df.index[orphan])}; set constraint to one of "
                              f"{', '.join(CONSTRAINT_TYPES)}")
    df["constraint_date"] = dates.dt.normalize() if has_date.any() else pd.Series(pd.NaT, index=df.index,
                                                                                  dtype="datetime64[ns]")
    df["constraint_offset"] = offset.astype(float)


def _parse_assignments(df: pd.DataFrame) -> pd.DataFrame:
    """The ``resources`` column as an assignments table (task, resource, units), in task and
    then text order: one split of the column and one regular expression over the pieces
    (the grammar of :func:`parse_resources`)."""
    res = df["resources"]
    has = (res != "").to_numpy(dtype=bool)
    if not has.any():
        return empty_assignments()
    pieces, counts = split_cells(res.to_numpy(dtype=object)[has].tolist())
    task = np.repeat(df.index.to_numpy(dtype=object)[has], counts)
    keep = pieces.astype(bool)
    pieces, task = pieces[keep], task[keep]
    groups = pd.Series(pieces, dtype=object).str.extract(_RES_RE)
    given = groups["units"].notna().to_numpy()
    units = pd.to_numeric(groups["units"], errors="coerce").to_numpy(dtype=np.float64)
    units = np.where(given, units, 1.0)
    bad = groups["name"].isna().to_numpy() | ~np.isfinite(units) | (units < 0)
    if bad.any():
        raise ValidationError(f"malformed resources for task(s) {format_ids(pd.unique(task[bad]))}; "
                              "write 'name:units' separated by ';', e.g. 'dev:1; qa:0.5'")
    names = groups["name"].to_numpy(dtype=object)
    return pd.DataFrame({"task": task, "resource": strip(pd.Series(names, dtype=object)),
                         "units": units.astype(float)})


def empty_assignments() -> pd.DataFrame:
    """An assignments table (task, resource, units) with no rows."""
    return pd.DataFrame({"task": pd.Series(dtype=object), "resource": pd.Series(dtype=object),
                         "units": pd.Series(dtype=float)})

