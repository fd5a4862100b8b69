"""The work-item model: one validated table of items (and their status history).

:func:`items` is the boundary of the agile half of tpmkit, as :func:`tpmkit.model.build_project`
is for schedules: it takes a DataFrame (or row mappings) of work items in the shape of a Jira
or generic export, maps every workflow status to one of three categories (``To do``,
``In progress``, ``Done``; the mapping is the caller's to extend), derives ``started`` and
``done`` from a status history where one is given, checks the data once and returns a frozen
:class:`Board`. Every metric and forecast in :mod:`tpmkit.agile` reads only a Board.

Dates are timestamps; durations computed from them are whole calendar days counted inclusively
(an item started and finished on the same day took 1 day), the convention of Vacanti [1]_.

References
----------
.. [1] D. S. Vacanti, *Actionable Agile Metrics for Predictability*, ActionableAgile Press 2015,
   ch. 2–3 (definitions of WIP, cycle time and throughput).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from tpmkit.errors import ValidationError, format_ids
from tpmkit.model.tables import table_frame

__all__ = ["CATEGORIES", "DEFAULT_WORKFLOW", "Board", "items"]

#: the three status categories every workflow status maps to, in flow order
CATEGORIES = ("To do", "In progress", "Done")

#: default workflow: status (case-insensitive) → category; extend it with ``status_map=``
DEFAULT_WORKFLOW: Mapping[str, str] = {
    "backlog": "To do", "to do": "To do", "todo": "To do", "open": "To do", "new": "To do",
    "selected for development": "To do", "ready": "To do",
    "in progress": "In progress", "in development": "In progress", "doing": "In progress",
    "in review": "In progress", "review": "In progress", "code review": "In progress",
    "testing": "In progress", "in test": "In progress", "qa": "In progress",
    "blocked": "In progress", "waiting": "In progress",
    "done": "Done", "closed": "Done", "resolved": "Done", "complete": "Done",
    "completed": "Done", "released": "Done",
}

_ALIASES = {
    "id": ("id", "key", "issue_key", "issue key"),
    "type": ("type", "issue_type", "issue type"),
    "created": ("created", "created_at"),
    "started": ("started", "start", "started_at"),
    "done": ("done", "resolved", "finished", "done_at", "completed"),
    "points": ("points", "story_points", "story points"),
    "sprint": ("sprint", "sprints"),
    "resolution": ("resolution",),
    "status": ("status",),
    "status_category": ("status_category", "status category"),
    "status_category_changed": ("status_category_changed", "status category changed"),
}
_BLOCKED = ("blocked",)


@dataclass(frozen=True)
class Board:
    """Validated work items of a team (:func:`items`). Frozen: its tables come back as copies.

    Attributes
    ----------
    table : DataFrame
        Indexed by item ``id`` (input order): ``type``, ``created``, ``started``, ``done``
        (timestamps; NaT when the item has not reached that state), ``points`` (float, NaN
        when unsized), ``sprint`` (``"; "``-separated sprint names, ``""`` when none),
        ``resolution``, ``status`` (the workflow status) and ``category`` (To do / In
        progress / Done).
    history : DataFrame or None
        Status history, one row per transition: ``item``, ``status``, ``entered_at``,
        ``category``, sorted by item and time.
    blocked : DataFrame
        Blocked periods: ``item``, ``start``, ``end`` (``end`` NaT while still blocked); from
        the input, else from the history's blocked statuses.
    sprints : DataFrame
        Indexed by sprint name (first-seen order): ``start``, ``end``.
    now : Timestamp
        Status date (midnight): the ``now`` given, else the latest date in the data.
    status_map : dict of str to str
        The workflow mapping used (lower-case status → category).
    """

    _table: pd.DataFrame = field(repr=False)
    _history: pd.DataFrame | None = field(repr=False)
    _blocked: pd.DataFrame = field(repr=False)
    _sprints: pd.DataFrame = field(repr=False)
    now: pd.Timestamp
    status_map: dict[str, str] = field(repr=False)

    # the tables come back as (copy-on-write) copies: changing one never changes the board
    @property
    def table(self) -> pd.DataFrame:
        return self._table.copy(deep=False)

    @property
    def history(self) -> pd.DataFrame | None:
        return None if self._history is None else self._history.copy(deep=False)

    @property
    def blocked(self) -> pd.DataFrame:
        return self._blocked.copy(deep=False)

    @property
    def sprints(self) -> pd.DataFrame:
        return self._sprints.copy(deep=False)

    def __len__(self) -> int:
        return len(self.table)

    @property
    def types(self) -> list[str]:
        """Item types in first-seen order."""
        return list(dict.fromkeys(self.table["type"]))

    def _repr_html_(self) -> str:
        counts = self.table["category"].value_counts().reindex(CATEGORIES, fill_value=0)
        text = ", ".join(f"{c}: {int(n)}" for c, n in counts.items())
        return (f"<b>Board</b> of {len(self)} items ({text}), status date "
                f"{self.now.date().isoformat()}{self.table.head(10).to_html()}")


def _pick(df: pd.DataFrame, name: str) -> pd.Series | None:
    for alias in _ALIASES[name]:
        if alias in df.columns:
            return df[alias]
    return None


def _dates(values: Any, what: str, ids: pd.Index) -> pd.Series:
    raw = pd.Series(values, index=ids)
    blank = raw.isna() | (raw.astype(str).str.strip() == "")
    out = pd.to_datetime(raw.where(~blank), errors="coerce", format="mixed")
    bad = out.isna() & ~blank
    if bad.any():
        raise ValidationError(f"work items: {what} is not a date for item(s) "
                              f"{format_ids(ids[bad.to_numpy()])}; use ISO dates such as "
                              "2021-01-04 or 2021-01-04 09:30")
    if getattr(out.dt, "tz", None) is not None:
        out = out.dt.tz_convert(None)
    return out.astype("datetime64[ns]")


def _export_categories(df: pd.DataFrame) -> dict[str, str]:
    """Status → category pairs an export states itself (Jira's ``Status Category`` column)."""
    status, cat = _pick(df, "status"), _pick(df, "status_category")
    if status is None or cat is None:
        return {}
    names = {c.lower(): c for c in CATEGORIES}
    out = {}
    for st, c in zip(status.astype(str), cat.astype(str)):
        category = names.get(c.strip().lower())
        if category is not None and st.strip():
            out[st.strip().lower()] = category
    return out


def _workflow(status_map: Mapping[str, str] | None,
              exported: Mapping[str, str] | None = None) -> dict[str, str]:
    """Default workflow, then the export's own status categories, then the caller's map."""
    flow = dict(DEFAULT_WORKFLOW)
    flow.update(exported or {})
    for status, category in (status_map or {}).items():
        cat = {c.lower(): c for c in CATEGORIES}.get(str(category).strip().lower())
        if cat is None:
            raise ValidationError(f"status_map: {status!r} maps to {category!r}, not a category; "
                                  f"map every status to one of: {', '.join(CATEGORIES)}")
        flow[str(status).strip().lower()] = cat
    return flow


def _categorise(status: pd.Series, flow: dict[str, str], who: pd.Series) -> pd.Series:
    key = status.astype(str).str.strip().str.lower()
    cat = key.map(flow)
    unknown = cat.isna().to_numpy()
    if unknown.any():
        names = list(dict.fromkeys(status[unknown].astype(str)))
        raise ValidationError(
            f"work items: unknown status {format_ids(repr(n) for n in names)} for item(s) "
            f"{format_ids(dict.fromkeys(who[unknown]))}; map it with status_map="
            f"{{{names[0]!r}: 'In progress'}} (categories: {', '.join(CATEGORIES)})")
    return cat


def _history(raw: Any, flow: dict[str, str], ids: pd.Index) -> pd.DataFrame:
    h = table_frame(raw, "status history")
    h.columns = [str(c).strip().lower().replace(" ", "_") for c in h.columns]
    h = h.rename(columns={"id": "item", "key": "item", "issue_key": "item", "to": "status",
                          "date": "entered_at", "entered": "entered_at", "timestamp": "entered_at"})
    missing = [c for c in ("item", "status", "entered_at") if c not in h.columns]
    if missing:
        raise ValidationError(f"status history: column(s) {', '.join(missing)} missing; give "
                              "one row per transition with item, status, entered_at")
    h["item"] = h["item"].astype(str).str.strip()
    outside = ~h["item"].isin(ids)
    if outside.any():
        raise ValidationError(f"status history: item(s) {format_ids(dict.fromkeys(h['item'][outside]))} "
                              "are not in the items table; add them or drop their rows")
    h["entered_at"] = _dates(h["entered_at"].to_numpy(), "status history entered_at",
                             pd.Index(h["item"])).to_numpy()
    if h["entered_at"].isna().any():
        raise ValidationError(f"status history: entered_at is blank for item(s) "
                              f"{format_ids(dict.fromkeys(h['item'][h['entered_at'].isna()]))}; "
                              "give every transition its timestamp")
    h["status"] = h["status"].astype(str).str.strip()
    h["category"] = _categorise(h["status"], flow, h["item"]).to_numpy()
    h = h[["item", "status", "entered_at", "category"]]
    order = pd.Series(np.arange(len(ids)), index=ids)
    h = h.assign(_o=h["item"].map(order).to_numpy())
    h = h.sort_values(["_o", "entered_at"], kind="stable").drop(columns="_o")
    return h.reset_index(drop=True)


def _blocked_from_history(h: pd.DataFrame) -> pd.DataFrame:
    nxt = h.groupby("item", sort=False)["entered_at"].shift(-1)
    mask = h["status"].str.lower().isin(_BLOCKED).to_numpy()
    return pd.DataFrame({"item": h["item"][mask].to_numpy(),
                         "start": h["entered_at"][mask].to_numpy(),
                         "end": nxt[mask].to_numpy()})


def _blocked(raw: Any, ids: pd.Index) -> pd.DataFrame:
    b = table_frame(raw, "blocked periods")
    b.columns = [str(c).strip().lower() for c in b.columns]
    b = b.rename(columns={"id": "item", "key": "item", "from": "start", "to": "end"})
    if not {"item", "start"} <= set(b.columns):
        raise ValidationError("blocked periods: columns item and start are required (end "
                              "optional); give one row per blocked period")
    item = b["item"].astype(str).str.strip()
    if (~item.isin(ids)).any():
        raise ValidationError(f"blocked periods: item(s) {format_ids(dict.fromkeys(item[~item.isin(ids)]))} "
                              "are not in the items table; add them or drop their rows")
    end = b["end"] if "end" in b.columns else pd.Series([None] * len(b))
    out = pd.DataFrame({"item": item.to_numpy(),
                        "start": _dates(b["start"].to_numpy(), "blocked start", pd.Index(item)).to_numpy(),
                        "end": _dates(end.to_numpy(), "blocked end", pd.Index(item)).to_numpy()})
    bad = (out["end"] < out["start"]).to_numpy()
    if bad.any():
        raise ValidationError(f"blocked periods: end before start for item(s) "
                              f"{format_ids(out['item'][bad])}; swap or correct the dates")
    return out


def _sprints(table: pd.DataFrame, raw: Any) -> pd.DataFrame:
    """Sprint windows: as given, else from the items (first start … last done of the sprint)."""
    if raw is not None:
        s = table_frame(raw, "sprints")
        s.columns = [str(c).strip().lower() for c in s.columns]
        if not {"sprint", "start", "end"} <= set(s.columns):
            raise ValidationError("sprints: columns sprint, start and end are required; give "
                                  "one row per sprint")
        names = pd.Index(s["sprint"].astype(str).str.strip(), name="sprint")
        out = pd.DataFrame({"start": _dates(s["start"].to_numpy(), "sprint start", names),
                            "end": _dates(s["end"].to_numpy(), "sprint end", names)}, index=names)
        bad = (out["end"] < out["start"]) | out["start"].isna() | out["end"].isna()
        if bad.any():
            raise ValidationError(f"sprints: missing dates or end before start for sprint(s) "
                                  f"{format_ids(names[bad.to_numpy()])}; give start ≤ end")
        return out
    rows: dict[str, list[pd.Timestamp]] = {}
    for sprints, started, done, created in zip(table["sprint"], table["started"], table["done"],
                                               table["created"]):
        for name in [n.strip() for n in sprints.split(";") if n.strip()]:
            rows.setdefault(name, []).extend(
                [d for d in (started if pd.notna(started) else created, done) if pd.notna(d)])
    idx = pd.Index(list(rows), name="sprint", dtype=object)
    return pd.DataFrame({"start": pd.to_datetime([min(v) for v in rows.values()]).normalize(),
                         "end": pd.to_datetime([max(v) for v in rows.values()]).normalize()},
                        index=idx)


def _item_ids(df: pd.DataFrame) -> pd.Index:
    """The item ids (``id`` or ``Issue key``), checked: none blank, none repeated."""
    ids_raw = _pick(df, "id")
    if ids_raw is None:
        raise ValidationError("work items: column 'id' (or 'Issue key') is missing; give every "
                              "item its key")
    ids = ids_raw.astype(str).str.strip()
    if ((ids == "") | ids_raw.isna()).any():
        raise ValidationError(f"work items: blank id in row(s) "
                              f"{format_ids(np.flatnonzero(((ids == '') | ids_raw.isna()).to_numpy()) + 1)}; "
                              "give every item its key")
    dup = ids[ids.duplicated()]
    if len(dup):
        raise ValidationError(f"work items: duplicate id(s) {format_ids(dict.fromkeys(dup))}; "
                              "give each item one row (merge or rename the copies)")
    index = pd.Index(ids.to_numpy(), name="id")
    return index


def items(
    data: Any,
    *,
    status_map: Mapping[str, str] | None = None,
    now: Any = None,
    history: Any = None,
    blocked: Any = None,
    sprints: Any = None,
) -> Board:
    """Validate work items and return a :class:`Board`.

    Parameters
    ----------
    data : DataFrame, list of mappings or mapping
        One row per item. Columns (case-insensitive, Jira names accepted): ``id`` (or
        ``Issue key``), ``type`` (``Issue Type``), ``created``, ``started``, ``done`` (or
        ``Resolved``), ``status``, ``points`` (``Story Points``), ``sprint``, ``resolution``;
        Jira's ``Status Category`` (maps the current statuses) and ``Status Category
        Changed`` (the start of an item in progress when there is no history). Only ``id``
        and ``created`` are required. A mapping may also hold ``history``,
        ``blocked`` and ``sprints`` tables.
    status_map : mapping of str to str, optional
        Workflow statuses → category (``To do``, ``In progress``, ``Done``; case-insensitive),
        the user's word over :data:`DEFAULT_WORKFLOW` and over the categories an export states
        itself (Jira's ``Status Category`` column, which maps the current statuses; read a
        mapping file with :func:`tpmkit.io.read_status_map`).
    now : date-like, optional
        Status date; dates after it are an error. Default: dates may not lie after today,
        and the status date is the latest date in the data.
    history : DataFrame, optional
        Status history: ``item``, ``status``, ``entered_at``. When given, ``started`` is the
        first entry into an In-progress status, ``done`` the last entry into Done (if the
        item ends there) and ``status`` the last status.
    blocked : DataFrame, optional
        Blocked periods ``item``, ``start``, ``end``; default: time spent in a ``Blocked``
        status of the history.
    sprints : DataFrame, optional
        Sprint windows ``sprint``, ``start``, ``end``; default: from the sprints' items.

    Returns
    -------
    Board

    Raises
    ------
    ValidationError
        Duplicate ids, unknown statuses, non-dates, done before started, started or done
        before created, dates in the future; the message names the items and the fix.

    Examples
    --------
    >>> b = items(pd.DataFrame({"id": ["A", "B"], "created": ["2021-01-04", "2021-01-04"],
    ...                         "started": ["2021-01-05", None], "done": ["2021-01-07", None]}))
    >>> b.table["category"].tolist(), b.now.date().isoformat()
    (['Done', 'To do'], '2021-01-07')
    """
    if isinstance(data, Mapping) and "items" in data:
        history = data.get("history") if history is None else history
        blocked = data.get("blocked") if blocked is None else blocked
        sprints = data.get("sprints") if sprints is None else sprints
        data = data["items"]
    df = table_frame(data, "work items")
    flow = _workflow(status_map, _export_categories(df))
    index = _item_ids(df)
    created_raw = _pick(df, "created")
    if created_raw is None:
        raise ValidationError("work items: column 'created' is missing; give each item the date "
                              "it entered the backlog")
    created = _dates(created_raw.to_numpy(), "created", index)
    if created.isna().any():
        raise ValidationError(f"work items: created is blank for item(s) "
                              f"{format_ids(index[created.isna().to_numpy()])}; give each item "
                              "the date it entered the backlog")

    def column(name: str, default: Any) -> pd.Series:
        s = _pick(df, name)
        return pd.Series(default, index=index) if s is None else pd.Series(s.to_numpy(), index=index)

    started = _dates(column("started", None).to_numpy(), "started", index)
    done = _dates(column("done", None).to_numpy(), "done", index)
    status_raw = _pick(df, "status")
    hist = None if history is None else _history(history, flow, index)
    if hist is not None and len(hist):
        g = hist.groupby("item", sort=False)
        first_active = hist[hist["category"] != "To do"].groupby("item")["entered_at"].min()
        last = g.tail(1).set_index("item")
        started = started.fillna(first_active.reindex(index))
        last_done = last["entered_at"].where(last["category"] == "Done").reindex(index)
        done = last_done.where(last_done.notna(), done.where(~index.isin(last.index)))
        status = last["status"].reindex(index)
        if status_raw is not None:
            status = status.fillna(pd.Series(status_raw.to_numpy(), index=index))
    else:
        status = None if status_raw is None else pd.Series(status_raw.to_numpy(), index=index)
    derived = pd.Series(np.where(done.notna(), "Done",
                                 np.where(started.notna(), "In progress", "To do")), index=index)
    if status is not None:  # the workflow status decides; a blank one falls back to the dates
        blank = status.isna() | (status.astype(str).str.strip() == "")
        status = status.astype(object).where(~blank, derived)
        category = _categorise(status.astype(str), flow, pd.Series(index, index=index))
        no_done = (category == "Done") & done.isna()
        if no_done.any():
            raise ValidationError(f"work items: status Done but no done/resolved date for item(s) "
                                  f"{format_ids(index[no_done.to_numpy()])}; add the Resolved date")
        done = done.where(category == "Done")  # a reopened item is not done
    else:
        category = derived
        status = derived.copy()
    changed = _pick(df, "status_category_changed")
    if changed is not None and hist is None:
        # Jira's "Status Category Changed": for an item in progress, when it entered that category
        entered = _dates(changed.to_numpy(), "status category changed", index)
        started = started.fillna(entered.where(category == "In progress"))
    for a, b, what in ((started, done, "done before started"),
                       (created, started, "started before created"),
                       (created, done, "done before created")):
        bad = (b < a).to_numpy()
        if bad.any():
            raise ValidationError(f"work items: {what} for item(s) {format_ids(index[bad])}; "
                                  "correct the dates (or the status history)")
    # a date without a time means the whole of that day
    limit = pd.Timestamp(now) if now is not None else pd.Timestamp.now().normalize()
    if limit == limit.normalize():
        limit = limit + pd.Timedelta(days=1) - pd.Timedelta(1, "ns")
    late = ((created > limit) | (started > limit) | (done > limit)).to_numpy()
    if late.any():
        ref = pd.Timestamp(now).date().isoformat() if now is not None else "today"
        raise ValidationError(f"work items: dates after the status date ({ref}) for item(s) "
                              f"{format_ids(index[late])}; correct them or pass a later now=")
    points = pd.to_numeric(column("points", np.nan), errors="coerce")
    if (points < 0).any():
        raise ValidationError(f"work items: negative story points for item(s) "
                              f"{format_ids(index[(points < 0).to_numpy()])}; use points ≥ 0")
    sprint = column("sprint", "").fillna("").astype(str).str.strip()
    table = pd.DataFrame({
        "type": column("type", "item").fillna("item").astype(str).str.strip().to_numpy(),
        "created": created, "started": started, "done": done, "points": points.astype(float),
        "sprint": sprint, "resolution": column("resolution", "").fillna("").astype(str),
        "status": status.astype(str), "category": category.astype(str)}, index=index)
    if blocked is not None:
        blk = _blocked(blocked, index)
    elif hist is not None:
        blk = _blocked_from_history(hist)
    else:
        blk = pd.DataFrame({"item": pd.Series([], dtype=object),
                            "start": pd.Series([], dtype="datetime64[ns]"),
                            "end": pd.Series([], dtype="datetime64[ns]")})
    stamps = pd.concat([created, started, done, blk["start"], blk["end"]])
    as_of = pd.Timestamp(now).normalize() if now is not None else stamps.max().normalize()
    return Board(_table=table, _history=hist, _blocked=blk, _sprints=_sprints(table, sprints),
                 now=as_of, status_map=flow)
