"""Exercises for the tpmkit course: generated from a seed, checked with hints and solutions.

Each lesson notebook (01–07) ends with exercises. :func:`exercise` shows one (its data are
generated from ``variant``, an integer seed, so every learner can ask for a fresh one);
:func:`check` says right or wrong, names what is wrong, gives a hint on the first miss and
the worked solution on request; :func:`solution` prints the worked solution. The expected
answers are computed by the same tpmkit functions the lessons teach, never typed in.

Modules
-------
tutor
    :class:`Exercise`, :class:`Feedback`, :class:`Tutor`, :func:`check`, :func:`solution`,
    :func:`exercise`, :func:`exercises`.
scoping, estimation, scheduling, risk, evm, resources, agile, updating
    The exercises of lessons 01–07 and 09, one module per lesson topic.
scoping, estimation, scheduling, risk, evm, resources, agile, quality
    The exercises of lessons 01–08, one module per lesson topic.

:func:`cpm_steps` (the forward and backward pass written out step by step) lives in
:mod:`tpmkit.cpm` and is re-exported here for the lessons.

Examples
--------
>>> from tpmkit import course
>>> ex = course.exercise("three-point-estimate", variant=3)
>>> fb = course.check("three-point-estimate", (0, 0), variant=3, tutor=course.Tutor())
>>> fb.correct, fb.hint != ""
(False, True)
"""

from __future__ import annotations

# The lesson modules register their exercises on import; this order is the catalogue's
# order in exercises() (the order the exercises were written in).
# isort: off
from tpmkit.course import scheduling, estimation, evm, scoping, risk, resources  # noqa: F401
from tpmkit.course import updating  # noqa: F401  (lesson 09, updating the plan)
from tpmkit.course import agile  # noqa: F401  (lesson 07, after the others)
from tpmkit.course import quality  # noqa: F401  (lesson 08)
# isort: on
from tpmkit.course.tutor import Exercise, Feedback, Tutor, check, exercise, exercises, solution
from tpmkit.cpm import cpm_steps

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
