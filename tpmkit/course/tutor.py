"""What a learner calls: :func:`exercise`, :func:`check`, :func:`solution`, :func:`exercises`.

An exercise is registered once by its lesson module (:mod:`tpmkit.course.scheduling`, …) as
a specification: how to generate its data from a seed, the prompt, how to solve it with the
tpmkit function the lesson teaches, how to compare an answer, a hint and a worked solution.
The functions here look an exercise up by id, generate its data from the variant seed and
return an :class:`Exercise` or a :class:`Feedback`; a :class:`Tutor` counts the attempts.

Examples
--------
>>> from tpmkit import course
>>> ex = course.exercise("three-point-estimate", variant=3)
>>> fb = course.check("three-point-estimate", (0, 0), variant=3, tutor=course.Tutor())
>>> fb.correct, fb.hint != ""
(False, True)
>>> course.check("three-point-estimate", None, variant=3, tutor=course.Tutor()).answered
False
"""

from __future__ import annotations

import html
import zlib
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from tpmkit.course._authoring import REGISTRY, Note, Spec
from tpmkit.errors import OptionError, ValidationError

__all__ = [
    "Exercise",
    "Feedback",
    "Tutor",
    "check",
    "exercise",
    "exercises",
    "solution",
]


def _spec(exercise_id: str) -> Spec:
    if exercise_id not in REGISTRY:
        raise OptionError(
            f"unknown exercise {exercise_id!r}; choose one of: {', '.join(REGISTRY)} "
            "(tpmkit.course.exercises() lists them by lesson)")
    return REGISTRY[exercise_id]


def _rng(exercise_id: str, variant: int) -> np.random.Generator:
    if isinstance(variant, bool) or not isinstance(variant, int | np.integer) or variant < 0:
        raise ValidationError(
            f"variant {variant!r} is not a non-negative integer; pass variant=0, 1, 2, … "
            "to get a different version of the exercise")
    # crc32 is stable across processes (unlike hash()), so variant n is the same everywhere.
    return np.random.default_rng([zlib.crc32(exercise_id.encode()), int(variant)])


def _data(spec: Spec, variant: int) -> dict[str, Any]:
    """The generated data of an exercise variant (shared with ``spec.data_from`` if set)."""
    return spec.make(_rng(spec.data_from or spec.id, variant))


def _unanswered(answer: Any) -> bool:
    """True for the placeholder a notebook cell starts with (``None``, ``...``, ``""``)."""
    return answer is None or answer is Ellipsis or (isinstance(answer, str) and not answer.strip())


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
        from tpmkit.widgets.display import table_html  # no NaN/None/38.000000 cells

        tables = "".join(
            f"<p><b>data[{k!r}]</b></p>{table_html(v)}"
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
        Number of answers checked so far for this exercise and variant (an unanswered
        exercise counts none).
    answered : bool
        False while the answer is still the placeholder ``None``: the message says what to
        do, nothing is counted and no hint is given.
    note : str
        A remark on an accepted answer (e.g. a percentage typed for a probability).
    worked : str
        The worked solution behind the "Show the worked solution" fold after a miss.
    """

    exercise_id: str
    variant: int
    correct: bool
    message: str
    hint: str = ""
    solution: str = ""
    attempts: int = 1
    answered: bool = True
    note: str = ""
    worked: str = field(default="", repr=False)

    def __bool__(self) -> bool:
        return self.correct

    def __str__(self) -> str:
        if not self.answered:
            return "✎ " + self.message
        parts = [("✔ Right! " if self.correct else "✘ Not yet. ") + self.message]
        if self.note:
            parts.append(f"Note: {self.note}")
        if self.hint:
            parts.append(f"Hint: {self.hint}")
        if self.solution:
            parts.append(f"Worked solution:\n{self.solution}")
        elif not self.correct:
            parts.append(f"Ask for the worked solution with course.solution("
                         f"{self.exercise_id!r}, variant={self.variant}).")
        return "\n".join(parts)

    def _repr_html_(self) -> str:
        color = "#1f2933" if not self.answered else "#1a7f37" if self.correct else "#b42318"
        fold = ""
        if self.answered and not self.correct and self.worked and not self.solution:
            fold = ("<details><summary style=\"cursor:pointer\">Show the worked solution"
                    f'</summary><pre style="white-space:pre-wrap">{html.escape(self.worked)}'
                    "</pre></details>")
        return (f'<div class="tpmkit-feedback"><pre style="white-space:pre-wrap;color:{color}">'
                f"{html.escape(str(self))}</pre>{fold}</div>")


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
        data = _data(spec, variant)
        key = (exercise_id, int(variant))
        expected = spec.solve(data)
        worked = spec.explain(data, expected)
        if _unanswered(answer):
            return Feedback(
                exercise_id, int(variant), False,
                f"Not answered yet: replace None in the cell above by your answer "
                f"({spec.answer_format}) and run the cell again.",
                solution=worked if show_solution else "", attempts=self.attempts.get(key, 0),
                answered=False)
        found = spec.compare(answer, expected)
        notes = [w for w in found if isinstance(w, Note)]
        wrong = [w for w in found if not isinstance(w, Note)]
        self.attempts[key] = self.attempts.get(key, 0) + 1
        n = self.attempts[key]
        note = "; ".join(notes)
        if not wrong:
            self.solved.add(key)
            return Feedback(exercise_id, int(variant), True, "Your answer matches.",
                            solution=worked if show_solution else "", attempts=n, note=note)
        message = "; ".join(wrong)
        hint = spec.hint if n == 1 else (
            f"{spec.hint} (attempt {n}: compare your working with the worked solution)")
        return Feedback(exercise_id, int(variant), False, message, hint=hint,
                        solution=worked if show_solution else "", attempts=n, note=note,
                        worked=worked)


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
         for s in REGISTRY.values()]).set_index("id")
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
    data = _data(spec, variant)
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
    data = _data(spec, variant)
    return spec.explain(data, spec.solve(data))
