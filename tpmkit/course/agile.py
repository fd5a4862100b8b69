"""Exercises of lesson 07 (agile delivery): cycle-time percentile, reading a cumulative flow
diagram, a "when will N items be done" Monte Carlo forecast.

The boards are small and generated from the seed; the expected answers come from
:mod:`tpmkit.agile` (the functions the lesson teaches).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from tpmkit.course._authoring import Spec, compare_numbers, register

# Importing this module registers its exercises (see tpmkit.course.tutor); it exports nothing.
__all__: list[str] = []

_MONDAY = pd.Timestamp("2026-01-05")


def _board_data(rng: np.random.Generator, n_min: int = 8, n_max: int = 13,
                open_items: int = 0) -> dict[str, Any]:
    """A small board: items created over two weeks, started 0–3 days later, most done."""
    n = int(rng.integers(n_min, n_max))
    created = _MONDAY + pd.to_timedelta(np.sort(rng.integers(0, 10, size=n)), unit="D")
    started = created + pd.to_timedelta(rng.integers(0, 4, size=n), unit="D")
    done = started + pd.to_timedelta(rng.integers(0, 9, size=n), unit="D")
    done_list: list[Any] = list(done)
    for k in rng.choice(n, size=min(open_items, n - 2), replace=False):
        done_list[int(k)] = pd.NaT
    table = pd.DataFrame({"id": [f"IT-{k + 1}" for k in range(n)], "type": "story",
                          "created": created, "started": started, "done": done_list})
    now = max(pd.Series(done_list).dropna().max(), started.max())
    return {"items": table, "now": now}


def _board(d: dict[str, Any]):
    from tpmkit.agile import items

    return items(d["items"], now=d["now"])


def _ct_data(rng: np.random.Generator) -> dict[str, Any]:
    d = _board_data(rng)
    d["percentile"] = int(rng.choice([50, 70, 85, 95]))
    return d


def _ct_solve(d: dict[str, Any]) -> list[float]:
    from tpmkit.agile import cycle_time_percentiles

    table = cycle_time_percentiles(_board(d), percentiles=(d["percentile"],))
    return [float(table.loc["all", f"p{d['percentile']}"])]


def _ct_explain(d: dict[str, Any], e: list[float]) -> str:
    from tpmkit.agile import cycle_times

    ct = np.sort(cycle_times(_board(d))["cycle_time"].to_numpy(float))
    rank = int(np.ceil(d["percentile"] / 100 * len(ct)))
    return (f"Cycle time = done − started + 1 day, sorted: {', '.join(f'{x:g}' for x in ct)}. "
            f"Nearest rank: ⌈{d['percentile']} % × {len(ct)}⌉ = {rank}, so the "
            f"{d['percentile']}th percentile is the {rank}th value, {e[0]:g} days "
            "(tpmkit.agile.cycle_time_percentiles).")


register(Spec(
    id="agile-cycle-time-percentile", lesson="07_agile", title="A cycle-time percentile",
    answer_format="one number [days]",
    make=_ct_data,
    prompt=lambda d: (f"data['items'] lists {len(d['items'])} finished work items with their "
                      "start and done dates. Counting both the start and the done day, what is "
                      f"the {d['percentile']}th percentile of the cycle time (nearest rank) "
                      "[days]?"),
    solve=_ct_solve,
    compare=compare_numbers(["cycle time"]),
    hint=("Cycle time = done − started + 1 [days]. Sort them; the p-th percentile by nearest "
          "rank is the value at position ⌈p/100 · n⌉ (tpmkit.agile.cycle_time_percentiles)."),
    explain=_ct_explain,
))


def _cfd_data(rng: np.random.Generator) -> dict[str, Any]:
    d = _board_data(rng, 10, 15, open_items=int(rng.integers(1, 4)))
    first, last = d["items"]["created"].min(), d["now"]
    d["day"] = first + pd.Timedelta(days=int(rng.integers(3, max((last - first).days, 4))))
    return d


def _cfd_row(d: dict[str, Any]) -> pd.Series:
    from tpmkit.agile import cumulative_flow

    return cumulative_flow(_board(d)).loc[d["day"]]


register(Spec(
    id="agile-cfd-wip", lesson="07_agile", title="Reading a cumulative flow diagram",
    answer_format="(to_do, in_progress, done) as three numbers [items]",
    make=_cfd_data,
    prompt=lambda d: (f"data['items'] holds a small board (created, started, done dates). On "
                      f"{d['day']:%Y-%m-%d}, how many items are in each band of the cumulative "
                      "flow diagram: to do (created, not started), in progress (started on or "
                      "before the day and not done before it: an item is still in progress on "
                      "its done day, as in its cycle time) and done (done before the day)?"),
    solve=lambda d: [float(v) for v in _cfd_row(d)[["to_do", "in_progress", "done"]]],
    compare=compare_numbers(["to_do", "in_progress", "done"]),
    hint=("Count the items created and started on or before the day and the items done before "
          "it: to do = created − started, in progress (the WIP) = started − done, done = done "
          "(tpmkit.agile.cumulative_flow)."),
    explain=lambda d, e: (f"On {d['day']:%Y-%m-%d}: {e[0] + e[1] + e[2]:g} items created, "
                          f"{e[1] + e[2]:g} started, {e[2]:g} done before the day, so to do = "
                          f"{e[0]:g}, WIP = {e[1]:g}, done = {e[2]:g}; the vertical distance "
                          "between the "
                          "'started' and 'done' lines of the CFD is the WIP."),
))


def _when_data(rng: np.random.Generator) -> dict[str, Any]:
    d = _board_data(rng, 12, 20)
    d.update(n_items=int(rng.integers(5, 25)), percentile=int(rng.choice([70, 85, 95])),
             seed=int(rng.integers(1, 1000)), trials=10_000)
    return d


def _when_solve(d: dict[str, Any]) -> list[float]:
    from tpmkit.agile import when

    fc = when(_board(d), d["n_items"], trials=d["trials"], rng=d["seed"],
              percentiles=(d["percentile"],))
    return [float(fc.table["periods"].iloc[0])]


register(Spec(
    id="agile-when-forecast", lesson="07_agile", title="When will the backlog be done?",
    answer_format="one whole number [days]",
    make=_when_data,
    prompt=lambda d: (f"From the daily throughput of the board in data['items'] (status date "
                      f"{d['now']:%Y-%m-%d}), run tpmkit.agile.when(board, {d['n_items']}, "
                      f"trials={d['trials']}, rng={d['seed']}) on board = "
                      "tpmkit.agile.items(data['items'], now=data['now']). Within how many "
                      f"days are all {d['n_items']} items done with {d['percentile']} % "
                      "confidence?"),
    solve=_when_solve,
    compare=compare_numbers(["days"]),
    hint=("Pass percentiles=(p,) to tpmkit.agile.when, or read the P-row of its table "
          "(column 'periods'); higher confidence means more days."),
    explain=lambda d, e: (f"Each trial resamples past days' throughput until {d['n_items']} "
                          f"items are done; {d['percentile']} % of the {d['trials']} trials "
                          f"finish within {e[0]:g} days, so that is the P{d['percentile']} "
                          "forecast (it does not tell you which day it will be, only how "
                          "sure you can be)."),
))
