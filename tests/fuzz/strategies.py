"""Hypothesis strategies for the task table: random valid tables and near-valid ones (one
defect each: a duplicate or blank id, an unknown predecessor, a self-loop, an SS/FF cycle, a
negative, NaN, infinite or huge duration, an unreadable link or duration, a huge lag, a
list-valued cell)."""

from __future__ import annotations

import pandas as pd
from hypothesis import strategies as st

LINK_TYPES = ("FS", "SS", "FF", "SF")
DEFECTS = ("duplicate_id", "blank_id", "unknown_predecessor", "self_loop", "cycle",
           "negative_duration", "nan_duration", "inf_duration", "huge_duration", "bad_link",
           "huge_lag", "text_duration", "list_cell", "odd_id")


@st.composite
def task_tables(draw, max_tasks: int = 12) -> pd.DataFrame:
    """A valid task table: unique ids, durations 0–40 days, links to earlier tasks only
    (acyclic) of every type with lags of −3…10 days or 0–100 %."""
    n = draw(st.integers(1, max_tasks))
    ids = [f"T{k}" for k in range(n)]
    durations = draw(st.lists(st.one_of(st.integers(0, 40), st.floats(0, 40, allow_nan=False)),
                              min_size=n, max_size=n))
    preds = []
    for k in range(n):
        chosen = draw(st.lists(st.integers(0, k - 1), unique=True, max_size=3)) if k else []
        links = []
        for j in chosen:
            kind = draw(st.sampled_from(LINK_TYPES))
            lag = draw(st.one_of(st.just(""), st.integers(-3, 10).map(lambda v: f"{v:+d}"),
                                 st.integers(0, 100).map(lambda v: f"+{v}%")))
            links.append(f"{ids[j]} {kind}{lag}")
        preds.append("; ".join(links))
    return pd.DataFrame({"id": ids, "duration": durations, "predecessors": preds})


@st.composite
def near_valid_tables(draw, max_tasks: int = 12) -> pd.DataFrame:
    """A valid table with one defect from :data:`DEFECTS` (the frame's ``defect`` column is
    not part of the table: it is dropped before reading)."""
    df = draw(task_tables(max_tasks)).astype({"duration": object})
    defect = draw(st.sampled_from(DEFECTS))
    k = draw(st.integers(0, len(df) - 1))
    last = df.at[len(df) - 1, "id"]
    if defect == "duplicate_id":
        df = pd.concat([df, df.iloc[[k]]], ignore_index=True)
    elif defect == "blank_id":
        df.at[k, "id"] = draw(st.sampled_from(["", " ", None]))
    elif defect == "unknown_predecessor":
        df.at[k, "predecessors"] = "NOPE"
    elif defect == "self_loop":
        df.at[k, "predecessors"] = df.at[k, "id"]
    elif defect == "cycle":  # the first task waits for the last: with SS/FF links a cycle
        df.at[0, "predecessors"] = f"{last} {draw(st.sampled_from(['SS', 'FF', 'FS']))}"
        if len(df) > 1 and not df.at[len(df) - 1, "predecessors"]:
            df.at[len(df) - 1, "predecessors"] = f"{df.at[0, 'id']} SS"
    elif defect.endswith("_duration") and defect != "text_duration":
        df.at[k, "duration"] = {"negative_duration": -1.0, "nan_duration": float("nan"),
                                "inf_duration": float("inf"), "huge_duration": 1e308}[defect]
    elif defect == "text_duration":
        df.at[k, "duration"] = draw(st.sampled_from(["five", "3x", "1e999", "--2"]))
    elif defect == "bad_link":
        df.at[k, "predecessors"] = draw(st.sampled_from([f"{last} XX", f"{last} FS+", ";;", "T0+1q",
                                                         f"{last} FS+1e400"]))
    elif defect == "huge_lag":
        df.at[k, "predecessors"] = f"{df.at[0, 'id']} FS+99999999"
    elif defect == "list_cell":
        df["name"] = None
        df.at[k, "name"] = ["a", "b"]
    elif defect == "odd_id":
        df.at[k, "id"] = draw(st.sampled_from(["a b", "ü", "x" * 300, "1.2.3", "-"]))
    return df
