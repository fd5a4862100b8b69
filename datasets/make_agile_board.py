"""Generate the bundled agile sample board (seeded; run from the repository root).

    python datasets/make_agile_board.py

Writes ``datasets/agile_board.csv`` (one row per work item), ``agile_board_history.csv``
(status transitions: item, status, entered_at) and ``agile_board_sprints.csv`` (two-week
sprints). A team of about six works from 2026-01-05 to the status date 2026-06-26
(mid sprint 13): about four items a working day (stories, bugs, tasks) are pulled from a
backlog where they waited about ten days since their creation, start within a day or so,
pass In Progress → In Review → Done, and about one in eight is blocked for a few days on the way.
Items still open at the status date keep their last status. Sprints are named by number;
an item belongs to every sprint it was in progress in (carried-over work is listed twice).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

SEED = 20260105
START = pd.Timestamp("2026-01-05")  # a Monday, the first sprint's first day
NOW = pd.Timestamp("2026-06-26")  # status date (Friday of sprint 13's first week)
HERE = Path(__file__).resolve().parent
TYPES = {  # type: (share, median cycle time [days], spread of log cycle time, points)
    "Story": (0.55, 5.0, 0.55, (1, 2, 3, 5, 8)),
    "Bug": (0.30, 2.5, 0.70, (1, 1, 2, 3)),
    "Task": (0.15, 3.5, 0.50, (1, 2, 3)),
}


def _work_time(rng: np.random.Generator, day: pd.Timestamp) -> pd.Timestamp:
    """A time of day between 09:00 and 17:00 on ``day``."""
    return day + pd.Timedelta(minutes=int(rng.integers(9 * 60, 17 * 60)))


def make(seed: int = SEED) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    days = pd.bdate_range(START, NOW)
    sprints = pd.DataFrame({"sprint": [f"Sprint {k + 1}" for k in range(13)],
                            "start": [START + pd.Timedelta(days=14 * k) for k in range(13)]})
    sprints["end"] = sprints["start"] + pd.Timedelta(days=11)  # Monday … Friday of week two
    names = list(TYPES)
    share = np.array([TYPES[t][0] for t in names])
    rows, history = [], []
    n = 0
    for day in days:
        for _ in range(rng.poisson(3.8)):
            n += 1
            kind = names[rng.choice(len(names), p=share)]
            _, median, spread, sizes = TYPES[kind]
            key = f"APP-{n}"
            ready = _work_time(rng, day)  # pulled into work: the steady arrival process
            created = ready - pd.Timedelta(hours=float(rng.exponential(10 * 24)))
            started = ready + pd.Timedelta(hours=float(rng.exponential(24)))
            cycle = pd.Timedelta(hours=float(median * 24 * rng.lognormal(0, spread)))
            blocked = rng.random() < 0.125
            block_at = started + cycle * float(rng.uniform(0.2, 0.6))
            block_for = pd.Timedelta(hours=float(rng.uniform(1, 5) * 24)) if blocked else pd.Timedelta(0)
            review = started + cycle * 0.75 + block_for
            done = started + cycle + block_for
            steps = [("To Do", created), ("In Progress", started)]
            if blocked:
                steps += [("Blocked", block_at), ("In Progress", block_at + block_for)]
            steps += [("In Review", review), ("Done", done)]
            steps = [(s, t) for s, t in steps if t <= NOW + pd.Timedelta(hours=17)]
            status = steps[-1][0]
            in_sprint = sprints[(sprints["end"] + pd.Timedelta(days=1) > started)
                                & (sprints["start"] <= min(done, NOW))]
            rows.append({
                "id": key, "type": kind, "summary": f"{kind} {n}",
                "status": status, "points": int(rng.choice(sizes)),
                "sprint": "; ".join(in_sprint["sprint"]) if status != "To Do" else "",
                "resolution": "Done" if status == "Done" else ""})
            history += [{"item": key, "status": s, "entered_at": t.floor("min")} for s, t in steps]
    items = pd.DataFrame(rows)
    hist = pd.DataFrame(history)
    first = hist.groupby("item", sort=False)["entered_at"].first()
    items.insert(3, "created", items["id"].map(first).dt.strftime("%Y-%m-%d %H:%M").to_numpy())
    sprints["start"] = sprints["start"].dt.date
    sprints["end"] = sprints["end"].dt.date
    hist["entered_at"] = hist["entered_at"].dt.strftime("%Y-%m-%d %H:%M")
    return items, hist, sprints


def main() -> None:
    items, hist, sprints = make()
    items.to_csv(HERE / "agile_board.csv", index=False)
    hist.to_csv(HERE / "agile_board_history.csv", index=False)
    sprints.to_csv(HERE / "agile_board_sprints.csv", index=False)
    print(f"{len(items)} items, {len(hist)} transitions, {len(sprints)} sprints")


if __name__ == "__main__":
    main()
