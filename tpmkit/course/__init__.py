"""Exercises for the tpmkit course: generated from a seed, checked with hints and solutions.

The lesson notebooks (01–06) end with exercises; :mod:`tpmkit.course.tutor` generates and
checks them.
"""

from __future__ import annotations

from tpmkit.course.tutor import (
    Exercise,
    Feedback,
    Tutor,
    check,
    cpm_steps,
    exercise,
    exercises,
    solution,
)

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
