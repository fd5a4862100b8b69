"""What a lesson module needs to write an exercise (private to :mod:`tpmkit.course`).

:class:`Spec` describes one exercise: how to generate its data from a seeded generator,
the prompt, how to solve it with the tpmkit function the lesson teaches, how to compare an
answer, a hint and the worked solution. :func:`register` adds it to :data:`REGISTRY`, where
:mod:`tpmkit.course.tutor` looks it up. The comparisons return the list of what is wrong in
an answer (empty when right); :func:`random_tasks` generates the small random networks of
the scheduling, risk and resources exercises.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from tpmkit.errors import format_ids

__all__ = ["LETTERS", "REGISTRY", "Note", "Spec", "compare_mapping", "compare_numbers",
           "compare_set", "random_tasks", "register"]


# --------------------------------------------------------------------------- specifications
@dataclass(frozen=True)
class Spec:
    """One exercise: ``make(rng) -> data``, ``prompt(data)``, ``solve(data) -> expected``,
    ``compare(answer, expected) -> [what is wrong]``, a ``hint`` and ``explain(data, expected)``
    (the worked solution). ``data_from`` names another exercise whose data this one reuses
    (e.g. the backward pass on the forward pass's network); empty = its own."""

    id: str
    lesson: str
    title: str
    answer_format: str
    make: Callable[[np.random.Generator], dict[str, Any]]
    prompt: Callable[[dict[str, Any]], str]
    solve: Callable[[dict[str, Any]], Any]
    compare: Callable[[Any, Any], list[str]]
    hint: str
    explain: Callable[[dict[str, Any], Any], str]
    data_from: str = ""


#: The exercises by id, in the order the lesson modules register them.
REGISTRY: dict[str, Spec] = {}


def register(spec: Spec) -> None:
    """Add (or replace) an exercise in :data:`REGISTRY`."""
    REGISTRY[spec.id] = spec


# --------------------------------------------------------------------------- comparisons
class Note(str):
    """An item of a comparison's list that is a remark on an accepted answer, not an error
    (e.g. a percentage typed for a probability)."""


# Learners type numbers rounded to two decimals: a tolerance of 0.006 absolute (half a unit
# in the second decimal plus slack) or 0.1 % relative for large values accepts that rounding.
_ABS, _REL = 0.006, 1e-3


def _close(a: float, e: float, abs_tol: float = _ABS) -> bool:
    return bool(abs(a - e) <= max(abs_tol, _REL * abs(e)))


def _as_float(x: Any) -> float | None:
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return v if np.isfinite(v) else None


def compare_numbers(names: Sequence[str], abs_tol: float = _ABS, percent: bool | None = None):
    """Compare one number or a tuple of numbers named ``names``, within the rounding tolerance.

    ``percent`` (default: when a name says "probability") accepts a probability typed as a
    percentage (53 for 0.53) with a :class:`Note` about the units.
    """
    as_percent = any("probab" in n.lower() for n in names) if percent is None else percent

    def compare(answer: Any, expected: Sequence[float]) -> list[str]:
        if isinstance(answer, list | tuple | np.ndarray):
            values = list(answer)
        elif len(names) == 1:
            values = [answer]
        else:
            return [f"expected {len(names)} numbers ({', '.join(names)}), got {answer!r}"]
        if len(values) != len(names):
            return [f"expected {len(names)} number(s) ({', '.join(names)}), got {len(values)}"]
        wrong = []
        for name, a, e in zip(names, values, expected):
            v = _as_float(a)
            if v is None:
                wrong.append(f"{name} is not a number ({a!r})")
            elif (as_percent and not _close(v, float(e), abs_tol) and 1 < abs(v) <= 100
                  and _close(v / 100, float(e), abs_tol)):
                wrong.append(Note(f"{v:g} was read as {v:g} % = {v / 100:g}: a {name} is a "
                                  f"fraction between 0 and 1, so write {v / 100:g} next time"))
            elif not _close(v, float(e), abs_tol):
                wrong.append(f"{name} = {v:g} is not right")
        return wrong
    return compare


def compare_mapping(columns: Sequence[str]):
    """Compare ``{id: value or (v1, v2, …)}`` (or a DataFrame with ``columns``)."""

    def compare(answer: Any, expected: pd.DataFrame) -> list[str]:
        if isinstance(answer, pd.DataFrame):
            missing = [c for c in columns if c not in answer.columns]
            if missing:
                return [f"the table lacks column(s) {', '.join(missing)}"]
            answer = {str(i): tuple(r) for i, r in zip(answer.index, answer[list(columns)]
                                                       .itertuples(index=False))}
        if not isinstance(answer, Mapping):
            return [f"expected a dict {{task id: {'(' + ', '.join(columns) + ')' if len(columns) > 1 else columns[0]}}}"]
        answer = {str(k): v for k, v in answer.items()}
        missing = [i for i in expected.index if i not in answer]
        extra = [k for k in answer if k not in expected.index]
        wrong: list[str] = []
        if missing:
            wrong.append(f"missing task(s) {format_ids(missing)}")
        if extra:
            wrong.append(f"unknown task(s) {format_ids(extra)}")
        bad = []
        for i in expected.index:
            if i not in answer:
                continue
            got = answer[i]
            got = list(got) if isinstance(got, list | tuple | np.ndarray) else [got]
            want = expected.loc[i, list(columns)].to_numpy(float)
            nums = [_as_float(g) for g in got]
            if len(nums) != len(want) or any(n is None or not _close(n, w)
                                            for n, w in zip(nums, want)):
                bad.append(i)
        if bad:
            wrong.append(f"wrong value(s) for {format_ids(bad)}")
        return wrong
    return compare


def compare_set(what: str):
    """Compare a list of ids (or a text ``'A, B → C'``) with the expected ids, order ignored."""

    def compare(answer: Any, expected: Sequence[str]) -> list[str]:
        if isinstance(answer, str):
            answer = [a for a in answer.replace("→", ",").replace(";", ",").replace(" ", ",")
                      .split(",") if a]
        try:
            got = {str(a) for a in answer}
        except TypeError:
            return [f"expected a list of {what}"]
        want = {str(e) for e in expected}
        wrong = []
        if want - got:
            wrong.append(f"{len(want - got)} {what} missing")
        if got - want:
            wrong.append(f"{format_ids(sorted(got - want))} should not be in it")
        return wrong
    return compare


# --------------------------------------------------------------------------- random networks
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def random_tasks(rng: np.random.Generator, n_min: int = 6, n_max: int = 8,
                  pdm: bool = False) -> pd.DataFrame:
    """A small random activity-on-node network (one start task, 1–2 predecessors each)."""
    n = int(rng.integers(n_min, n_max + 1))
    ids = list(LETTERS[:n])
    duration = rng.integers(1, 10, size=n)
    preds = [""]
    for j in range(1, n):
        k = int(rng.integers(1, min(2, j) + 1))
        chosen = sorted(rng.choice(j, size=k, replace=False).tolist())
        links = [ids[i] for i in chosen]
        if pdm and j >= 2 and rng.random() < 0.35:
            kind = str(rng.choice(["SS", "FF"]))
            links[-1] = f"{links[-1]} {kind}+{int(rng.integers(1, 4))}"
        preds.append("; ".join(links))
    # Every task except the last one feeds something, so the network has one finish.
    used = {p.split()[0] for text in preds for p in text.split("; ") if p}
    dangling = [ids[i] for i in range(n - 1) if ids[i] not in used]
    if dangling:
        preds[-1] = "; ".join([preds[-1], *dangling]) if preds[-1] else "; ".join(dangling)
    return pd.DataFrame({"id": ids, "duration": duration.astype(float), "predecessors": preds})
