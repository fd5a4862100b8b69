"""Exercises for the tpmkit course: generated from a seed, checked with hints and solutions.

Each lesson notebook (01–06) ends with exercises. :func:`exercise` shows one (its data are
generated from ``variant``, an integer seed, so every learner can ask for a fresh one);
:func:`check` says right or wrong, names what is wrong, gives a hint on the first miss and
the worked solution on request; :func:`solution` prints the worked solution. The expected
answers are computed by the same tpmkit functions the lessons teach, never typed in.

Examples
--------
>>> from tpmkit import course
>>> ex = course.exercise("three-point-estimate", variant=3)
>>> fb = course.check("three-point-estimate", (0, 0), variant=3, tutor=course.Tutor())
>>> fb.correct, fb.hint != ""
(False, True)
"""

from __future__ import annotations

import html
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from tpmkit.errors import OptionError, ValidationError, format_ids

if TYPE_CHECKING:
    from tpmkit.cpm import ScheduleResult

__all__ = [
    "Exercise",
    "Feedback",
    "Tutor",
    "check",
    "cpm_steps",
    "exercise",
    "exercises",
    "solution",
]


# --------------------------------------------------------------------------- framework
@dataclass(frozen=True)
class _Spec:
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


_REGISTRY: dict[str, _Spec] = {}


def _register(spec: _Spec) -> None:
    _REGISTRY[spec.id] = spec


def _spec(exercise_id: str) -> _Spec:
    if exercise_id not in _REGISTRY:
        raise OptionError(
            f"unknown exercise {exercise_id!r}; choose one of: {', '.join(_REGISTRY)} "
            "(tpmkit.course.exercises() lists them by lesson)")
    return _REGISTRY[exercise_id]


def _rng(exercise_id: str, variant: int) -> np.random.Generator:
    if isinstance(variant, bool) or not isinstance(variant, int | np.integer) or variant < 0:
        raise ValidationError(
            f"variant {variant!r} is not a non-negative integer; pass variant=0, 1, 2, … "
            "to get a different version of the exercise")
    # crc32 is stable across processes (unlike hash()), so variant n is the same everywhere.
    return np.random.default_rng([zlib.crc32(exercise_id.encode()), int(variant)])


@dataclass(frozen=True)
class Exercise:
    """One generated exercise: its prompt, its data and the answer format.

    Attributes
    ----------
    id : str
    variant : int
        The seed the data were generated from.
    title, prompt, answer_format : str
    data : dict
        The generated inputs (a :class:`tpmkit.Project` under ``"project"`` where there is
        one, plus tables and numbers the prompt refers to).
    """

    id: str
    variant: int
    lesson: str
    title: str
    prompt: str
    answer_format: str
    data: dict[str, Any] = field(repr=False)

    def __str__(self) -> str:
        return (f"[{self.id}, variant {self.variant}] {self.title}\n{self.prompt}\n"
                f"Answer format: {self.answer_format}\n"
                f"Check with: course.check({self.id!r}, answer, variant={self.variant})")

    def _repr_html_(self) -> str:
        tables = "".join(
            f"<p><b>data[{k!r}]</b></p>{(v.to_frame() if isinstance(v, pd.Series) else v).to_html()}"
            for k, v in self.data.items() if isinstance(v, pd.DataFrame | pd.Series))
        return (f"<h4>{html.escape(self.title)} <small>({html.escape(self.id)}, variant "
                f"{self.variant})</small></h4><p>{html.escape(self.prompt)}</p>{tables}"
                f"<p><i>Answer format:</i> {html.escape(self.answer_format)}<br>"
                f"<code>course.check({self.id!r}, answer, variant={self.variant})</code></p>")


@dataclass(frozen=True)
class Feedback:
    """The verdict on one answer.

    Attributes
    ----------
    correct : bool
    message : str
        Right, or what is wrong (which items).
    hint : str
        Shown after a miss (empty when correct).
    solution : str
        The worked solution, filled when requested or after the answer was right.
    attempts : int
        Number of answers checked so far for this exercise and variant.
    """

    exercise_id: str
    variant: int
    correct: bool
    message: str
    hint: str = ""
    solution: str = ""
    attempts: int = 1

    def __bool__(self) -> bool:
        return self.correct

    def __str__(self) -> str:
        parts = [("✔ Right! " if self.correct else "✘ Not yet. ") + self.message]
        if self.hint:
            parts.append(f"Hint: {self.hint}")
        if self.solution:
            parts.append(f"Worked solution:\n{self.solution}")
        elif not self.correct:
            parts.append(f"Ask for the worked solution with course.solution("
                         f"{self.exercise_id!r}, variant={self.variant}).")
        return "\n".join(parts)

    def _repr_html_(self) -> str:
        color = "#1a7f37" if self.correct else "#b42318"
        return (f'<pre style="white-space:pre-wrap;color:{color}">'
                f"{html.escape(str(self))}</pre>")


class Tutor:
    """Keeps the attempt count per exercise and variant (one per learner session).

    The first miss on an exercise shows the hint; later misses repeat it and point to the
    worked solution. :func:`check` uses a module-level tutor unless one is passed.
    """

    def __init__(self) -> None:
        self.attempts: dict[tuple[str, int], int] = {}
        self.solved: set[tuple[str, int]] = set()

    def check(self, exercise_id: str, answer: Any, variant: int = 0, *,
              show_solution: bool = False) -> Feedback:
        """See :func:`check`."""
        spec = _spec(exercise_id)
        data = spec.make(_rng(exercise_id, variant))
        expected = spec.solve(data)
        wrong = spec.compare(answer, expected)
        key = (exercise_id, int(variant))
        self.attempts[key] = self.attempts.get(key, 0) + 1
        n = self.attempts[key]
        worked = spec.explain(data, expected)
        if not wrong:
            self.solved.add(key)
            return Feedback(exercise_id, int(variant), True, "Your answer matches.",
                            solution=worked if show_solution else "", attempts=n)
        message = "; ".join(wrong)
        hint = spec.hint if n == 1 else (
            f"{spec.hint} (attempt {n}: compare your working with the worked solution)")
        return Feedback(exercise_id, int(variant), False, message, hint=hint,
                        solution=worked if show_solution else "", attempts=n)


_TUTOR = Tutor()


def exercises(lesson: str | None = None) -> pd.DataFrame:
    """List the exercises: id, lesson, title and answer format.

    Parameters
    ----------
    lesson : str, optional
        ``"01_scoping"`` … ``"06_resources"`` to list one lesson's exercises.

    Examples
    --------
    >>> exercises("03_scheduling").index.tolist()[:2]
    ['cpm-forward-pass', 'cpm-backward-pass']
    """
    frame = pd.DataFrame(
        [{"id": s.id, "lesson": s.lesson, "title": s.title, "answer_format": s.answer_format}
         for s in _REGISTRY.values()]).set_index("id")
    if lesson is not None:
        lessons = sorted(set(frame["lesson"]))
        if lesson not in lessons:
            raise OptionError(f"unknown lesson {lesson!r}; choose one of: {', '.join(lessons)}")
        frame = frame[frame["lesson"] == lesson]
    return frame


def exercise(exercise_id: str, variant: int = 0) -> Exercise:
    """Generate exercise ``exercise_id`` from seed ``variant``.

    Examples
    --------
    >>> ex = exercise("evm-indices", variant=1)
    >>> ex.answer_format
    '(cpi, spi) as two numbers, at least 2 decimals'
    """
    spec = _spec(exercise_id)
    data = spec.make(_rng(exercise_id, variant))
    return Exercise(spec.id, int(variant), spec.lesson, spec.title, spec.prompt(data),
                    spec.answer_format, data)


def check(exercise_id: str, answer: Any, variant: int = 0, *, show_solution: bool = False,
          tutor: Tutor | None = None) -> Feedback:
    """Check an answer: right or wrong, what is wrong, a hint on a miss, the solution on request.

    Parameters
    ----------
    exercise_id : str
        See :func:`exercises`.
    answer : object
        In the exercise's ``answer_format``.
    variant : int
        The seed the exercise was generated from.
    show_solution : bool
        Include the worked solution in the feedback.
    tutor : Tutor, optional
        Attempt counter (default: one per Python session).

    Returns
    -------
    Feedback
        Truthy when right; prints and renders as a short verdict.

    Examples
    --------
    >>> ex = exercise("evm-indices", variant=0)
    >>> check("evm-indices", (1, 1), variant=0, tutor=Tutor()).attempts
    1
    """
    return (tutor or _TUTOR).check(exercise_id, answer, variant, show_solution=show_solution)


def solution(exercise_id: str, variant: int = 0) -> str:
    """Return the worked solution of an exercise variant as text.

    Examples
    --------
    >>> "CPI = EV / AC" in solution("evm-indices", 2)
    True
    """
    spec = _spec(exercise_id)
    data = spec.make(_rng(exercise_id, variant))
    return spec.explain(data, spec.solve(data))


# --------------------------------------------------------------------------- comparisons
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


def _compare_numbers(names: Sequence[str], abs_tol: float = _ABS):
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
            elif not _close(v, float(e), abs_tol):
                wrong.append(f"{name} = {v:g} is not right")
        return wrong
    return compare


def _compare_mapping(columns: Sequence[str]):
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


def _compare_set(what: str):
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


# --------------------------------------------------------------------------- CPM passes
_TYPES = np.array(["FS", "SS", "FF", "SF"])


def _fmt(x: float) -> str:
    return f"{x:g}"


def cpm_steps(project, result: ScheduleResult | None = None) -> pd.DataFrame:
    """Return the CPM passes as one row per step: forward in topological order, then backward.

    Parameters
    ----------
    project : tpmkit.Project
        A validated project.
    result : ScheduleResult, optional
        Its :func:`tpmkit.schedule` result (computed when omitted).

    Returns
    -------
    pandas.DataFrame
        Indexed by step number (0, 1, …; ``2 n`` rows). Columns: ``phase`` (``"forward"``
        or ``"backward"``), ``task``, ``value_start`` and ``value_finish`` (early or late
        start/finish [working days]), ``driver`` (the neighbour whose link decides the
        value, ``""`` when the project start/finish or a constraint decides) and
        ``explanation`` (the rule with every candidate written out).

    Notes
    -----
    Forward: :math:`ES_j = \\max(0,\\ EF_i + l\\ (FS),\\ ES_i + l\\ (SS),\\ EF_i + l - d_j\\ (FF),
    \\ ES_i + l - d_j\\ (SF))`, :math:`EF_j = ES_j + d_j`. Backward from the finish
    :math:`T`: :math:`LF_j = \\min(T,\\ LS_k - l\\ (FS),\\ LS_k - l + d_j\\ (SS),\\ LF_k - l\\
    (FF),\\ LF_k - l + d_j\\ (SF))`, :math:`LS_j = LF_j - d_j`. The numbers are those of
    the schedule table (constraints included); the candidates explain them.

    References
    ----------
    .. [1] Moder, Phillips and Davis (1983), ch. 4.

    Examples
    --------
    >>> import pandas as pd, tpmkit
    >>> p = tpmkit.read(pd.DataFrame({"id": ["A", "B", "C"], "duration": [3, 2, 4],
    ...                               "predecessors": ["", "A", "A"]}))
    >>> from tpmkit.course import cpm_steps
    >>> steps = cpm_steps(p)
    >>> steps.loc[[0, 2, 3], ["phase", "task", "value_start", "value_finish"]].values.tolist()
    [['forward', 'A', 0.0, 3.0], ['forward', 'C', 3.0, 7.0], ['backward', 'C', 3.0, 7.0]]
    >>> steps.loc[4, "explanation"]
    'LF(B) = min(T = 7) = 7; LS = LF − d = 7 − 2 = 5'
    """
    if result is None:
        from tpmkit.cpm import schedule

        result = schedule(project)
    table = result.table
    net = project.network()
    ids = np.asarray(net.ids, dtype=object)
    d = np.asarray(net.duration, dtype=float)
    es = table["early_start"].to_numpy(float)
    ef = table["early_finish"].to_numpy(float)
    ls = table["late_start"].to_numpy(float)
    lf = table["late_finish"].to_numpy(float)
    finish = float(result.duration)
    horizon = float(np.nanmax(lf)) if len(lf) else finish
    eff_lag = np.asarray(net.lag, float) + np.asarray(net.lag_percent, float) * d[net.link_from]
    ltype = np.asarray(net.link_type, dtype=np.int64)
    order = np.asarray(net.order, dtype=np.int64)

    def lag_text(lag: float) -> str:
        return "" if lag == 0 else (f" + {_fmt(lag)}" if lag > 0 else f" − {_fmt(-lag)}")

    rows: list[dict[str, Any]] = []
    for j in order:
        links = net.pred_link[net.pred_ptr[j]:net.pred_ptr[j + 1]]
        preds = net.link_from[links]
        t = ltype[links]
        lag = eff_lag[links]
        # Contract PDM forward rule, one candidate per incoming link.
        base = np.where((t == 0) | (t == 2), ef[preds], es[preds])
        cand = base + lag - np.where(t >= 2, d[j], 0.0)
        terms = ["0"]
        for i, tt, lg, c in zip(preds, t, lag, cand):
            ref = ("EF" if tt in (0, 2) else "ES") + f"({ids[i]})"
            minus_d = f" − d({ids[j]})" if tt >= 2 else ""
            label = "" if tt == 0 else f" [{_TYPES[tt]}]"
            terms.append(f"{ref}{lag_text(lg)}{minus_d}{label} = {_fmt(c)}")
        top = float(np.max(cand)) if len(cand) else 0.0
        driver = str(ids[preds[int(np.argmax(cand))]]) if len(cand) and top >= 0 and np.isclose(
            top, es[j]) else ""
        text = f"ES({ids[j]}) = max({', '.join(terms)}) = {_fmt(max(top, 0.0))}"
        if not np.isclose(max(top, 0.0), es[j]):
            text += f"; its constraint moves it to {_fmt(es[j])}"
        text += f"; EF = ES + d = {_fmt(es[j])} + {_fmt(d[j])} = {_fmt(ef[j])}"
        rows.append({"phase": "forward", "task": str(ids[j]), "value_start": es[j],
                     "value_finish": ef[j], "driver": driver, "explanation": text})
    for j in order[::-1]:
        links = net.succ_link[net.succ_ptr[j]:net.succ_ptr[j + 1]]
        succs = net.link_to[links]
        t = ltype[links]
        lag = eff_lag[links]
        # Contract PDM backward rule, one candidate per outgoing link.
        base = np.where((t == 0) | (t == 1), ls[succs], lf[succs])
        cand = base - lag + np.where((t == 1) | (t == 3), d[j], 0.0)
        terms = [f"T = {_fmt(horizon)}"]
        for k, tt, lg, c in zip(succs, t, lag, cand):
            ref = ("LS" if tt in (0, 1) else "LF") + f"({ids[k]})"
            plus_d = f" + d({ids[j]})" if tt in (1, 3) else ""
            label = "" if tt == 0 else f" [{_TYPES[tt]}]"
            terms.append(f"{ref}{lag_text(-lg)}{plus_d}{label} = {_fmt(c)}")
        low = float(np.min(cand)) if len(cand) else horizon
        low = min(low, horizon)
        driver = ""
        if len(cand) and np.isclose(low, lf[j]) and float(np.min(cand)) <= horizon:
            driver = str(ids[succs[int(np.argmin(cand))]])
        text = f"LF({ids[j]}) = min({', '.join(terms)}) = {_fmt(low)}"
        if not np.isclose(low, lf[j]):
            text += f"; its constraint moves it to {_fmt(lf[j])}"
        text += f"; LS = LF − d = {_fmt(lf[j])} − {_fmt(d[j])} = {_fmt(ls[j])}"
        rows.append({"phase": "backward", "task": str(ids[j]), "value_start": ls[j],
                     "value_finish": lf[j], "driver": driver, "explanation": text})
    out = pd.DataFrame(rows, columns=["phase", "task", "value_start", "value_finish", "driver",
                                      "explanation"])
    out.index.name = "step"
    return out


# --------------------------------------------------------------------------- 03 scheduling
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _random_tasks(rng: np.random.Generator, n_min: int = 6, n_max: int = 8,
                  pdm: bool = False) -> pd.DataFrame:
    """A small random activity-on-node network (one start task, 1–2 predecessors each)."""
    n = int(rng.integers(n_min, n_max + 1))
    ids = list(_LETTERS[:n])
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


def _network_data(rng: np.random.Generator) -> dict[str, Any]:
    from tpmkit.io import read

    tasks = _random_tasks(rng, pdm=bool(rng.random() < 0.5))
    return {"tasks": tasks.set_index("id"), "project": read(tasks)}


def _schedule_of(data: dict[str, Any]) -> ScheduleResult:
    from tpmkit.cpm import schedule

    return schedule(data["project"])


def _steps_text(data: dict[str, Any], phase: str) -> str:
    steps = cpm_steps(data["project"], _schedule_of(data))
    lines = steps.loc[steps["phase"] == phase, "explanation"]
    order = "topological order" if phase == "forward" else "reverse topological order"
    return f"Take the tasks in {order}:\n" + "\n".join(f"  {t}" for t in lines)


_register(_Spec(
    id="cpm-forward-pass", lesson="03_scheduling", title="CPM forward pass",
    answer_format="dict {task id: (early_start, early_finish)} in working days",
    make=_network_data,
    prompt=lambda d: ("For the network in data['tasks'] (durations in working days; links "
                      "FS unless marked SS/FF with a lag), compute the early start and early "
                      "finish of every task. The first task starts at 0; finish = start + "
                      "duration."),
    solve=lambda d: _schedule_of(d).table[["early_start", "early_finish"]],
    compare=_compare_mapping(["early_start", "early_finish"]),
    hint=("Go through the tasks so that every predecessor is done first. ES is the largest "
          "value any incoming link allows: EF(pred) + lag for FS, ES(pred) + lag for SS, "
          "EF(pred) + lag − d for FF; then EF = ES + d."),
    explain=lambda d, e: _steps_text(d, "forward"),
))

_register(_Spec(
    id="cpm-backward-pass", lesson="03_scheduling", title="CPM backward pass",
    answer_format="dict {task id: (late_start, late_finish)} in working days",
    make=_network_data,
    prompt=lambda d: ("For the network in data['tasks'], compute the late start and late "
                      "finish of every task, working back from the project finish (the "
                      "largest early finish)."),
    solve=lambda d: _schedule_of(d).table[["late_start", "late_finish"]],
    compare=_compare_mapping(["late_start", "late_finish"]),
    hint=("Start from the project finish T = the largest early finish. Take tasks in reverse "
          "order: LF is the smallest value any outgoing link allows (LS(succ) − lag for FS, "
          "LS(succ) − lag + d for SS, LF(succ) − lag for FF, and T itself); LS = LF − d."),
    explain=lambda d, e: _steps_text(d, "backward"),
))


def _critical_explain(d: dict[str, Any], expected: list[str]) -> str:
    table = _schedule_of(d).table
    lines = [f"  TF({i}) = LS − ES = {_fmt(r.late_start)} − {_fmt(r.early_start)} = "
             f"{_fmt(r.total_float)}" for i, r in table.iterrows()]
    return ("Total float = LS − ES for each task:\n" + "\n".join(lines)
            + f"\nThe tasks with zero total float are critical: {', '.join(expected)}.")


_register(_Spec(
    id="critical-path", lesson="03_scheduling", title="Total float and the critical path",
    answer_format="list of the critical task ids, e.g. ['A', 'C', 'F']",
    make=_network_data,
    prompt=lambda d: ("For the network in data['tasks'], which tasks are critical (zero total "
                      "float)?"),
    solve=lambda d: [str(i) for i in _schedule_of(d).table.query("critical").index],
    compare=_compare_set("critical tasks"),
    hint=("Do the forward and the backward pass; total float = LS − ES. A task is critical when "
          "its total float is zero: delaying it delays the project."),
    explain=_critical_explain,
))


def _pert_data(rng: np.random.Generator) -> dict[str, Any]:
    from tpmkit.io import read

    n = int(rng.integers(3, 5))
    o = rng.integers(2, 8, size=n).astype(float)
    m = o + rng.integers(1, 5, size=n)
    p = m + rng.integers(2, 10, size=n)
    tasks = pd.DataFrame({"id": list(_LETTERS[:n]), "optimistic": o, "most_likely": m,
                          "pessimistic": p, "predecessors": [""] + list(_LETTERS[:n - 1])})
    mean = float(((o + 4 * m + p) / 6).sum())
    target = float(np.round(mean + rng.uniform(-1.5, 2.5)))
    return {"tasks": tasks.set_index("id"), "project": read(tasks), "target": target}


def _pert_solve(d: dict[str, Any]) -> list[float]:
    from tpmkit.pert import analyze

    return [float(analyze(d["project"], target=d["target"]).probability)]


def _pert_explain(d: dict[str, Any], e: list[float]) -> str:
    from tpmkit.pert import analyze

    r = analyze(d["project"], target=d["target"])
    t = r.tasks
    lines = [f"  {i}: mean = ({_fmt(row.optimistic)} + 4·{_fmt(row.most_likely)} + "
             f"{_fmt(row.pessimistic)}) / 6 = {row.task_mean:.3f}, variance = "
             f"(({_fmt(row.pessimistic)} − {_fmt(row.optimistic)}) / 6)² = {row.task_var:.3f}"
             for i, row in d["tasks"].assign(task_mean=t["mean"], task_var=t["variance"])
             .iterrows()]
    z = (d["target"] - r.expected_duration) / r.std
    return ("The tasks form one chain, so the critical path holds them all:\n" + "\n".join(lines)
            + f"\nProject mean = {r.expected_duration:.3f}, σ = √{r.variance:.3f} = "
            f"{r.std:.3f}; z = ({_fmt(d['target'])} − {r.expected_duration:.3f}) / "
            f"{r.std:.3f} = {z:.3f}; P = Φ(z) = {e[0]:.4f}.")


_register(_Spec(
    id="pert-probability", lesson="03_scheduling", title="PERT probability of meeting a date",
    answer_format="probability as a number between 0 and 1, at least 2 decimals",
    make=_pert_data,
    prompt=lambda d: (f"The tasks in data['tasks'] run one after the other. With classic PERT "
                      f"(beta means and variances, normal approximation), what is the "
                      f"probability of finishing within {_fmt(d['target'])} working days?"),
    solve=_pert_solve,
    compare=_compare_numbers(["probability"]),
    hint=("Mean of a task = (o + 4m + p)/6, variance = ((p − o)/6)². Add means and variances "
          "along the critical path, then z = (target − mean)/σ and P = Φ(z)."),
    explain=_pert_explain,
))


# --------------------------------------------------------------------------- 02 estimation
def _three_point_data(rng: np.random.Generator) -> dict[str, Any]:
    o = float(rng.integers(2, 10))
    m = o + float(rng.integers(1, 8))
    p = m + float(rng.integers(2, 15))
    return {"optimistic": o, "most_likely": m, "pessimistic": p}


def _three_point_solve(d: dict[str, Any]) -> list[float]:
    from tpmkit.estimate import three_point

    r = three_point([d["optimistic"]], [d["most_likely"]], [d["pessimistic"]])
    return [float(r["mean"].iloc[0]), float(r["std_classic"].iloc[0])]


_register(_Spec(
    id="three-point-estimate", lesson="02_estimation", title="Three-point (PERT) estimate",
    answer_format="(mean, standard deviation) in working days, at least 2 decimals",
    make=_three_point_data,
    prompt=lambda d: (f"A task is estimated at optimistic {_fmt(d['optimistic'])}, most likely "
                      f"{_fmt(d['most_likely'])} and pessimistic {_fmt(d['pessimistic'])} "
                      "working days. Give its PERT mean and its classic PERT standard "
                      "deviation."),
    solve=_three_point_solve,
    compare=_compare_numbers(["mean", "standard deviation"]),
    hint="PERT mean = (o + 4m + p) / 6; classic standard deviation = (p − o) / 6.",
    explain=lambda d, e: (
        f"mean = ({_fmt(d['optimistic'])} + 4·{_fmt(d['most_likely'])} + "
        f"{_fmt(d['pessimistic'])}) / 6 = {e[0]:.4f}; σ = ({_fmt(d['pessimistic'])} − "
        f"{_fmt(d['optimistic'])}) / 6 = {e[1]:.4f} working days."),
))

_SF_RATINGS = ["very_low", "low", "nominal", "high", "very_high"]


def _cocomo_data(rng: np.random.Generator) -> dict[str, Any]:
    from tpmkit.estimate import COCOMO2_SCALE_FACTORS

    factors = list(COCOMO2_SCALE_FACTORS)
    chosen = rng.choice(len(factors), size=2, replace=False)
    return {"ksloc": float(rng.integers(10, 120)),
            "scale_factors": {factors[i]: str(rng.choice(_SF_RATINGS)) for i in chosen},
            "effort_multipliers": {"CPLX": str(rng.choice(["low", "nominal", "high"]))}}


def _cocomo_result(d: dict[str, Any]):
    from tpmkit.estimate import cocomo2

    return cocomo2(d["ksloc"], d["scale_factors"], d["effort_multipliers"])


def _cocomo_explain(d: dict[str, Any], e: list[float]) -> str:
    r = _cocomo_result(d)
    rated = {k: v for k, v in r.ratings.items() if v != "nominal"}
    return (f"ΣSF = {r.scale_factor_sum:.2f} (non-nominal ratings {rated}); E = 0.91 + 0.01·ΣSF = "
            f"{r.exponent:.4f}; EAF = ΠEM = {r.eaf:.4f}; PM = 2.94 · {_fmt(d['ksloc'])}^E · EAF "
            f"= {e[0]:.2f} person-months.")


_register(_Spec(
    id="cocomo2-effort", lesson="02_estimation", title="COCOMO II effort",
    answer_format="effort in person-months (a number; 0.1 % accepted)",
    make=_cocomo_data,
    prompt=lambda d: (f"A {_fmt(d['ksloc'])} KSLOC system has scale factors "
                      f"{d['scale_factors']} (others nominal) and effort multipliers "
                      f"{d['effort_multipliers']} (others nominal). Estimate its COCOMO II.2000 "
                      "effort."),
    solve=lambda d: [float(_cocomo_result(d).effort_pm)],
    compare=_compare_numbers(["effort"], abs_tol=0.05),
    hint=("Look up the scale-factor weights in tpmkit.estimate.COCOMO2_SCALE_FACTORS (nominal "
          "ones count too), E = 0.91 + 0.01·ΣSF, PM = 2.94 · KSLOC^E · ΠEM."),
    explain=_cocomo_explain,
))


def _throughput_data(rng: np.random.Generator) -> dict[str, Any]:
    history = rng.integers(2, 12, size=int(rng.integers(8, 14)))
    return {"history": pd.Series(history, index=pd.RangeIndex(1, len(history) + 1,
                                                                name="week"), name="items"),
            "remaining": int(rng.integers(25, 60)), "seed": int(rng.integers(0, 10_000))}


def _throughput_result(d: dict[str, Any]):
    from tpmkit.estimate import throughput_forecast

    return throughput_forecast(d["history"], remaining=d["remaining"], trials=10_000,
                               confidence=(85,), rng=d["seed"])


_register(_Spec(
    id="throughput-forecast", lesson="02_estimation", title="When will N items be done?",
    answer_format="number of weeks at 85 % confidence (a whole number)",
    make=_throughput_data,
    prompt=lambda d: (f"The team finished data['history'] items per week. Run "
                      f"tpmkit.estimate.throughput_forecast(history, remaining={d['remaining']}, "
                      f"trials=10_000, confidence=(85,), rng={d['seed']}): in how many weeks "
                      f"are the {d['remaining']} remaining items done with 85 % confidence?"),
    solve=lambda d: [float(_throughput_result(d).table.iloc[0, 0])],
    compare=_compare_numbers(["weeks"], abs_tol=0.5),
    hint=("Each trial draws past weeks at random (with replacement) until the backlog is "
          "done; the 85 % forecast is the 85th percentile of the trial lengths. With the "
          "same seed you get the same answer."),
    explain=lambda d, e: (
        f"Mean throughput {d['history'].mean():.2f} items/week gives a naive "
        f"{d['remaining'] / d['history'].mean():.1f} weeks; the bootstrap's 85th percentile "
        f"over 10,000 trials is {_fmt(e[0])} weeks."),
))


# --------------------------------------------------------------------------- 05 earned value
def _evm_data(rng: np.random.Generator) -> dict[str, Any]:
    n = int(rng.integers(8, 13))
    monthly = rng.integers(5, 20, size=n) * 1000.0
    pv = np.cumsum(monthly)
    status = int(rng.integers(3, n - 2))
    ev_frac = rng.uniform(0.75, 1.1)
    ev = np.round(pv[:status] * ev_frac * np.linspace(0.95, 1.0, status), -2)
    ev = np.maximum.accumulate(np.minimum(ev, pv[-1]))
    ac = np.round(ev * rng.uniform(0.85, 1.25), -2)
    periods = pd.DataFrame({"period": np.arange(1, n + 1), "pv": pv,
                            "ev": np.r_[ev, np.full(n - status, np.nan)],
                            "ac": np.r_[ac, np.full(n - status, np.nan)]}).set_index("period")
    return {"periods": periods, "status_period": status, "bac": float(pv[-1])}


def _evm_row(d: dict[str, Any]) -> pd.Series:
    import warnings

    from tpmkit.evm import EVMWarning, metrics

    with warnings.catch_warnings():
        # Some variants overspend the budget, leaving TCPI(BAC) undefined; the exercises
        # ask only for CPI, SPI, EAC and earned schedule, which stay defined.
        warnings.simplefilter("ignore", EVMWarning)
        table = metrics(d["periods"].reset_index(), bac=d["bac"]).table
    return table.loc[d["status_period"]]


def _evm_prompt(question: str):
    return lambda d: (f"data['periods'] holds cumulative PV, EV and AC per month (BAC = "
                      f"{d['bac']:,.0f}); the status date is the end of month "
                      f"{d['status_period']}. {question}")


def _indices_explain(d: dict[str, Any], e: list[float]) -> str:
    r = _evm_row(d)
    return (f"At month {d['status_period']}: PV = {r.pv:,.0f}, EV = {r.ev:,.0f}, AC = "
            f"{r.ac:,.0f}. CPI = EV / AC = {e[0]:.4f}; SPI = EV / PV = {e[1]:.4f}.")


_register(_Spec(
    id="evm-indices", lesson="05_earned_value", title="Cost and schedule performance indices",
    answer_format="(cpi, spi) as two numbers, at least 2 decimals",
    make=_evm_data,
    prompt=_evm_prompt("Compute CPI and SPI at the status date."),
    solve=lambda d: [float(_evm_row(d)["cpi"]), float(_evm_row(d)["spi"])],
    compare=_compare_numbers(["cpi", "spi"]),
    hint="Use the cumulative values at the status month: CPI = EV / AC, SPI = EV / PV.",
    explain=_indices_explain,
))


def _eac_explain(d: dict[str, Any], e: list[float]) -> str:
    r = _evm_row(d)
    return (f"CPI = EV / AC = {r.ev:,.0f} / {r.ac:,.0f} = {r.cpi:.4f}; EAC = BAC / CPI = "
            f"{d['bac']:,.0f} / {r.cpi:.4f} = {e[0]:,.2f}; SPI = {r.spi:.4f}; EAC(CPI×SPI) = "
            f"AC + (BAC − EV) / (CPI·SPI) = {e[1]:,.2f}.")


_register(_Spec(
    id="evm-eac", lesson="05_earned_value", title="Estimate at completion",
    answer_format="(eac_cpi, eac_cpi_spi) in currency units (0.1 % accepted)",
    make=_evm_data,
    prompt=_evm_prompt("Forecast the estimate at completion twice: with the CPI (future work "
                       "at today's cost efficiency) and with CPI × SPI."),
    solve=lambda d: [float(_evm_row(d)["eac_cpi"]), float(_evm_row(d)["eac_cpi_spi"])],
    compare=_compare_numbers(["EAC (CPI)", "EAC (CPI×SPI)"]),
    hint="EAC = BAC / CPI; EAC = AC + (BAC − EV) / (CPI · SPI).",
    explain=_eac_explain,
))


def _es_explain(d: dict[str, Any], e: list[float]) -> str:
    r = _evm_row(d)
    pv = d["periods"]["pv"].to_numpy()
    c = int(np.sum(pv <= r.ev))
    pv_c = pv[c - 1] if c else 0.0
    pv_next = pv[c] if c < len(pv) else pv[-1]
    return (f"EV = {r.ev:,.0f} lies between cumulative PV {pv_c:,.0f} (end of month {c}) and "
            f"{pv_next:,.0f} (month {c + 1}). ES = C + (EV − PV_C) / (PV_C+1 − PV_C) = {c} + "
            f"({r.ev:,.0f} − {pv_c:,.0f}) / ({pv_next:,.0f} − {pv_c:,.0f}) = {e[0]:.4f} months; "
            f"SPI(t) = ES / AT = {e[0]:.4f} / {d['status_period']} = {e[1]:.4f}.")


_register(_Spec(
    id="earned-schedule", lesson="05_earned_value", title="Earned schedule",
    answer_format="(es, spi_t): ES in months and SPI(t), at least 2 decimals",
    make=_evm_data,
    prompt=_evm_prompt("When was today's earned value planned to be earned? Give the earned "
                       "schedule ES and the time-based index SPI(t) = ES / AT."),
    solve=lambda d: [float(_evm_row(d)["es"]), float(_evm_row(d)["spi_t"])],
    compare=_compare_numbers(["ES", "SPI(t)"]),
    hint=("Find the last month C whose cumulative PV is ≤ EV, then interpolate linearly "
          "into month C + 1 (Lipke): ES = C + (EV − PV_C)/(PV_C+1 − PV_C)."),
    explain=_es_explain,
))


# --------------------------------------------------------------------------- 01 scoping
def _wbs_data(rng: np.random.Generator) -> dict[str, Any]:
    rows = []
    for a in range(1, int(rng.integers(2, 4)) + 1):
        for b in range(1, int(rng.integers(2, 4)) + 1):
            for c in range(1, int(rng.integers(1, 4)) + 1):
                rows.append({"wbs": f"{a}.{b}.{c}", "name": f"work package {a}.{b}.{c}",
                             "cost": float(rng.integers(2, 30) * 500)})
    frame = pd.DataFrame(rows)
    target = str(rng.choice(sorted({r["wbs"].rsplit(".", 1)[0] for r in rows}
                                   | {r["wbs"].split(".")[0] for r in rows})))
    return {"work_packages": frame.set_index("wbs"), "node": target}


def _wbs_solve(d: dict[str, Any]) -> list[float]:
    from tpmkit.scope import wbs_rollup

    return [float(wbs_rollup(d["work_packages"].reset_index()).loc[d["node"], "cost"])]


_register(_Spec(
    id="wbs-rollup", lesson="01_scoping", title="WBS cost roll-up",
    answer_format="cost of the WBS element [currency]",
    make=_wbs_data,
    prompt=lambda d: (f"data['work_packages'] lists the work packages of a WBS with their "
                      f"cost. What is the rolled-up cost of WBS element {d['node']}?"),
    solve=_wbs_solve,
    compare=_compare_numbers(["cost"]),
    hint=("A summary element costs the sum of everything beneath it: add the work packages "
          "whose code starts with the element's code followed by a dot."),
    explain=lambda d, e: (
        f"Work packages under {d['node']}: " + " + ".join(
            f"{c:,.0f} ({w})" for w, c in d["work_packages"]["cost"].items()
            if str(w).startswith(d["node"] + ".")) + f" = {e[0]:,.0f}."),
))

_ROLES = ["sponsor", "pm", "architect", "dev", "qa", "ops"]


def _raci_data(rng: np.random.Generator) -> dict[str, Any]:
    deliverables = ["charter", "design", "build", "test plan", "release", "training",
                    "handover"][: int(rng.integers(5, 8))]
    matrix = pd.DataFrame("", index=pd.Index(deliverables, name="task"), columns=_ROLES)
    for t in deliverables:
        roles = rng.permutation(len(_ROLES))
        matrix.loc[t, _ROLES[roles[0]]] = "A"
        matrix.loc[t, _ROLES[roles[1]]] = "R"
        matrix.loc[t, _ROLES[roles[2]]] = str(rng.choice(["C", "I"]))
    broken = rng.choice(deliverables, size=int(rng.integers(1, 3)), replace=False)
    for t in broken:
        kind = rng.integers(0, 3)
        a_role = matrix.columns[matrix.loc[t] == "A"][0]
        if kind == 0:      # no accountable
            matrix.loc[t, a_role] = "R"
        elif kind == 1:    # two accountables
            free = matrix.columns[matrix.loc[t] == ""][0]
            matrix.loc[t, free] = "A"
        else:              # no responsible
            r_role = matrix.columns[matrix.loc[t] == "R"][0]
            matrix.loc[t, r_role] = "I"
    return {"raci": matrix}


def _raci_solve(d: dict[str, Any]) -> list[str]:
    from tpmkit.scope import raci

    bad = []
    for t in d["raci"].index:
        try:
            raci(d["raci"].loc[[t]].reset_index())
        except ValidationError:
            bad.append(str(t))
    return bad


_register(_Spec(
    id="raci-check", lesson="01_scoping", title="Validate a RACI matrix",
    answer_format="list of the deliverables (row names) that break the RACI rules",
    make=_raci_data,
    prompt=lambda d: ("data['raci'] assigns roles to deliverables. Which rows break the RACI "
                      "rules (exactly one A, at least one R)?"),
    solve=_raci_solve,
    compare=_compare_set("rows"),
    hint="Count the A's in each row (must be exactly one) and check that some role holds an R.",
    explain=lambda d, e: "\n".join(
        f"  {t}: {(row == 'A').sum()} A, {row.str.contains('R').sum()} R"
        + ("  ← breaks the rules" if t in e else "") for t, row in d["raci"].iterrows()),
))


def _risk_data(rng: np.random.Generator) -> dict[str, Any]:
    n = int(rng.integers(5, 8))
    lo = rng.integers(1, 5, size=n)
    ml = lo + rng.integers(0, 6, size=n)
    hi = ml + rng.integers(1, 10, size=n)
    reg = pd.DataFrame({
        "id": [f"R{i + 1}" for i in range(n)],
        "probability": np.round(rng.uniform(0.05, 0.8, size=n), 2),
        "impact_days": [f"{a},{b},{c}" for a, b, c in zip(lo, ml, hi)]})
    return {"register": reg.set_index("id")}


def _risk_reg(d: dict[str, Any]) -> pd.DataFrame:
    from tpmkit.risk.register import normalize_register

    return normalize_register(d["register"].reset_index())


_register(_Spec(
    id="risk-emv", lesson="01_scoping", title="Expected schedule impact of a risk register",
    answer_format="(total emv_days, id of the risk with the largest emv_days)",
    make=_risk_data,
    prompt=lambda d: ("data['register'] lists threats with probability and a three-point "
                      "schedule impact (min, likely, max working days). What is the total "
                      "expected schedule impact (EMV in days) and which risk contributes most?"),
    solve=lambda d: [float(_risk_reg(d)["emv_days"].sum()),
                     str(_risk_reg(d)["emv_days"].idxmax())],
    compare=lambda a, e: (
        ["expected (total, risk id)"] if not isinstance(a, list | tuple) or len(a) != 2 else
        _compare_numbers(["total EMV"])(a[0], e[:1])
        + ([] if str(a[1]) == e[1] else [f"{a[1]} is not the largest contributor"])),
    hint="EMV = probability × PERT mean impact, with mean = (min + 4·likely + max)/6; sum them.",
    explain=lambda d, e: "\n".join(
        f"  {i}: {r.probability:g} × ({r.impact_min:g} + 4·{r.impact_likely:g} + "
        f"{r.impact_max:g})/6 = {r.emv_days:.4f}" for i, r in _risk_reg(d).iterrows())
    + f"\nTotal = {e[0]:.4f} days; largest: {e[1]}.",
))


# --------------------------------------------------------------------------- 04 risk
def _merge_data(rng: np.random.Generator) -> dict[str, Any]:
    o = float(rng.integers(5, 10))
    m = o + float(rng.integers(2, 6))
    p = m + float(rng.integers(3, 10))
    mean = (o + 4 * m + p) / 6
    return {"paths": int(rng.integers(2, 7)), "optimistic": o, "most_likely": m,
            "pessimistic": p, "target": float(np.round(mean + rng.uniform(0, 2)))}


def _merge_parts(d: dict[str, Any]) -> tuple[float, float, float, float]:
    from tpmkit.pert import moments, probability_of

    mean, var = moments(d["optimistic"], d["most_likely"], d["pessimistic"])
    q = probability_of(float(mean), float(np.sqrt(var)), d["target"])
    return float(mean), float(np.sqrt(var)), float(q), float(q) ** d["paths"]


_register(_Spec(
    id="merge-bias", lesson="04_risk", title="Merge bias by formula",
    answer_format="probability between 0 and 1, at least 2 decimals",
    make=_merge_data,
    prompt=lambda d: (f"{d['paths']} independent parallel paths merge into the finish. Each is "
                      f"one task estimated at {_fmt(d['optimistic'])} / "
                      f"{_fmt(d['most_likely'])} / {_fmt(d['pessimistic'])} working days. With "
                      f"PERT's normal approximation per path, what is the probability that the "
                      f"finish is within {_fmt(d['target'])} working days?"),
    solve=lambda d: [_merge_parts(d)[3]],
    compare=_compare_numbers(["probability"]),
    hint=("First the probability q that ONE path meets the target (PERT mean and σ, z, Φ(z)); "
          "the finish waits for all paths, so with independent paths P = q^k."),
    explain=lambda d, e: (
        "mean = (o + 4m + p)/6 = {:.4f}, σ = (p − o)/6 = {:.4f}; q = Φ(({} − mean)/σ) = {:.4f}; "
        "P = q^{} = {:.4f}. CPM (and single-path PERT) would have said {:.4f}.".format(
            *_merge_parts(d)[:2], _fmt(d["target"]), _merge_parts(d)[2], d["paths"], e[0],
            _merge_parts(d)[2])),
))


def _mc_data(rng: np.random.Generator) -> dict[str, Any]:
    from tpmkit.io import read

    tasks = _random_tasks(rng, 5, 7)
    d = tasks["duration"].to_numpy()
    tasks = tasks.drop(columns="duration").assign(
        optimistic=np.maximum(d - rng.integers(0, 3, size=len(d)), 1.0), most_likely=d,
        pessimistic=d + rng.integers(1, 8, size=len(d)))
    return {"tasks": tasks.set_index("id"), "project": read(tasks),
            "seed": int(rng.integers(0, 10_000)), "iterations": 5000}


def _mc_result(d: dict[str, Any]):
    from tpmkit.risk import simulate

    return simulate(d["project"], d["iterations"], rng=d["seed"], progress=False,
                    risk_drivers=False)


def _mc_prompt(question: str):
    return lambda d: (f"Simulate the network in data['project'] (three-point estimates in "
                      f"data['tasks']) with tpmkit.risk.simulate(project, {d['iterations']}, "
                      f"rng={d['seed']}). {question}")


_register(_Spec(
    id="monte-carlo-p80", lesson="04_risk", title="Read the P80 of a simulation",
    answer_format="P80 of the finish in working days (0.05 accepted)",
    make=_mc_data,
    prompt=_mc_prompt("Within how many working days does the project finish with 80 % "
                      "confidence?"),
    solve=lambda d: [float(_mc_result(d).percentile(80))],
    compare=_compare_numbers(["P80"], abs_tol=0.05),
    hint=("The P80 is the 80th percentile of the simulated finishes: result.percentile(80), "
          "or read it off the S-curve at 80 %. The same seed gives the same number."),
    explain=lambda d, e: (
        f"result = tpmkit.risk.simulate(project, {d['iterations']}, rng={d['seed']}); "
        f"result.percentile(80) = {e[0]:.3f} working days (CPM alone says "
        f"{_mc_result(d).deterministic_duration:g})."),
))

_register(_Spec(
    id="deterministic-confidence", lesson="04_risk",
    title="How likely is the CPM date?",
    answer_format="probability between 0 and 1, at least 2 decimals",
    make=_mc_data,
    prompt=_mc_prompt("In what share of the iterations does the project finish no later than "
                      "its deterministic (CPM) duration computed from the PERT means?"),
    solve=lambda d: [float(_mc_result(d).deterministic_confidence)],
    compare=_compare_numbers(["probability"]),
    hint=("Compare the simulated finishes with result.deterministic_duration: the share at or "
          "below it (result.deterministic_confidence). Merge points usually push it below 50 %."),
    explain=lambda d, e: (
        f"CPM on the PERT means: {_mc_result(d).deterministic_duration:.3f} working days; the "
        f"share of the {d['iterations']} simulated finishes at or below it is {e[0]:.4f}."),
))


# --------------------------------------------------------------------------- 06 resources
def _resource_data(rng: np.random.Generator) -> dict[str, Any]:
    from tpmkit.io import read

    tasks = _random_tasks(rng, 6, 8)
    tasks["resources"] = [f"dev:{int(rng.integers(1, 3))}" if rng.random() < 0.7 else "qa:1"
                          for _ in range(len(tasks))]
    res = pd.DataFrame({"id": ["dev", "qa"], "capacity": [2.0, 1.0]})
    return {"tasks": tasks.set_index("id"), "resources": res.set_index("id"),
            "project": read({"tasks": tasks, "resources": res})}


def _loading_of(d: dict[str, Any]):
    from tpmkit.resources import loading

    return loading(d["project"])


def _loading_explain(d: dict[str, Any], e: list[float]) -> str:
    load = _loading_of(d)
    use = load.usage["dev"] if "dev" in load.usage else pd.Series(dtype=float)
    from tpmkit.cpm import schedule

    table = schedule(d["project"]).table
    rows = [f"  {i}: days {_fmt(r.early_start)}–{_fmt(r.early_finish - 1)} × "
            f"{d['tasks'].loc[i, 'resources']}" for i, r in table.iterrows() if r.duration > 0]
    daily = ", ".join(f"{int(k)}:{_fmt(v)}" for k, v in use.items())
    return ("Each task uses its units on every working day from ES to EF − 1:\n" + "\n".join(rows)
            + f"\ndev units per day (day:units): {daily}\nAnswer: {e}")


_register(_Spec(
    id="resource-peak", lesson="06_resources", title="Peak resource loading",
    answer_format="(peak dev units, first working day of the peak)",
    make=_resource_data,
    prompt=lambda d: ("The tasks in data['tasks'] start at their early start (CPM) and use the "
                      "resources shown every working day (dev:2 = two developers). What is the "
                      "peak number of developers needed, and on which working day (0 = first) "
                      "is it first reached?"),
    solve=lambda d: [float(_loading_of(d).usage["dev"].max()),
                     float(_loading_of(d).usage["dev"].idxmax())],
    compare=_compare_numbers(["peak units", "day"]),
    hint=("Do the forward pass, then for every working day add the units of the tasks running "
          "that day (a task runs on days ES … EF − 1)."),
    explain=_loading_explain,
))


def _over_days(d: dict[str, Any]) -> list[float]:
    load = _loading_of(d)
    return [float((load.usage["dev"] > load.capacity["dev"] + 1e-9).sum())]


_register(_Spec(
    id="overallocated-days", lesson="06_resources", title="Over-allocated days",
    answer_format="number of working days on which dev is over its capacity of 2",
    make=_resource_data,
    prompt=lambda d: ("With every task at its early start, on how many working days do the "
                      "tasks in data['tasks'] need more developers than the 2 available?"),
    solve=_over_days,
    compare=_compare_numbers(["days"], abs_tol=0.0),
    hint="Build the daily dev loading as for the peak, then count the days above capacity.",
    explain=lambda d, e: _loading_explain(d, e).replace("Answer:", "Days above 2:"),
))


def _dcma_data(rng: np.random.Generator) -> dict[str, Any]:
    from tpmkit.io import read

    tasks = _random_tasks(rng, 8, 12)
    n = len(tasks)
    # Cut the logic of a few tasks so some have no predecessor or no successor.
    for j in rng.choice(np.arange(1, n - 1), size=int(rng.integers(1, 4)), replace=False):
        tasks.loc[j, "predecessors"] = ""
    tasks.loc[n - 1, "predecessors"] = tasks.loc[n - 1, "predecessors"].split("; ")[0]
    return {"tasks": tasks.set_index("id"), "project": read(tasks)}


def _dcma_logic(d: dict[str, Any]):
    from tpmkit.health import dcma14

    return dcma14(d["project"]).checks.loc["logic"]


_register(_Spec(
    id="dcma-logic", lesson="06_resources", title="DCMA check 1: missing logic",
    answer_format="list of the task ids that break the DCMA logic check",
    make=_dcma_data,
    prompt=lambda d: ("DCMA check 1 flags tasks without a predecessor or without a successor; "
                      "only start and finish milestones (duration 0) are exempt, and this "
                      "network has none. Which tasks of data['tasks'] does it flag?"),
    solve=lambda d: [str(t) for t in _dcma_logic(d)["tasks"]],
    compare=_compare_set("tasks"),
    hint=("List each task's predecessors and successors (invert the predecessor column). A task "
          "with an empty list on either side is open-ended; only zero-duration start/finish "
          "milestones are exempt."),
    explain=lambda d, e: (
        f"tpmkit.health.dcma14: {_dcma_logic(d)['note'] or ''} Flagged: "
        f"{', '.join(e) if e else 'none'} ({_fmt(float(_dcma_logic(d)['numerator']))} of "
        f"{_fmt(float(_dcma_logic(d)['denominator']))} tasks)."),
))
