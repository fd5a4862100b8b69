"""Link and constraint type codes and the float tolerance of every scheduling engine.

The integer values are the positions in :data:`tpmkit.model.LINK_TYPES` and
:data:`tpmkit.model.CONSTRAINT_TYPES` (+1; 0 = no constraint), as stored in the network
arrays (``Network.link_type``, ``Network.constraint_type``). Being :class:`~enum.IntEnum`
members they compare equal to those integers, in Python and in numba kernels alike.
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np

__all__ = ["CRITICAL_RULES", "EPS", "ConstraintType", "LinkType", "zero_within_eps"]

#: Tolerance [working days] for comparing schedule times and floats: two times closer
#: than ``EPS`` are the same time (a task with total float ≤ EPS is critical; a
#: constraint only drives a task when it is later by more than EPS). Durations, lags and
#: offsets are sums of at most a few thousand numbers of working days given to a few
#: decimals, so their rounding error is far below 1e-9 days (≈ 0.1 ms), and a genuine
#: difference is far above it. Looser tests use a documented multiple of EPS.
EPS = 1e-9

#: Which tasks are critical (:func:`tpmkit.schedule`'s ``critical``, the ``critical`` project
#: setting): the lowest total float (the default), total float at most ``critical_float``
#: (MS Project; P6 "total float less than or equal to"), or the longest path (P6: the tasks
#: that drive the project finish).
CRITICAL_RULES = ("lowest_float", "total_float", "longest_path")


def zero_within_eps(values: np.ndarray) -> np.ndarray:
    """``values`` with every entry within ``EPS`` of zero set to exactly ``0.0`` (NaN kept).

    A float is a difference of two sums of durations: a critical task of a plan with
    fractional durations (PERT means such as 25/6) gets ``−8.9e-16`` instead of 0, which
    would print as negative float and trip "negative float" checks. The schedule's float
    columns pass through this so that zero float is 0 and negative float is a real one.

    Examples
    --------
    >>> zero_within_eps(np.array([-8.881784197001252e-16, 2.5, -1.0])).tolist()
    [0.0, 2.5, -1.0]
    """
    v = np.asarray(values, dtype=np.float64)
    return np.where(np.abs(v) <= EPS, 0.0, v)


class LinkType(IntEnum):
    """Precedence link types: which end of the predecessor constrains which end of the
    successor (finish-to-start, start-to-start, finish-to-finish, start-to-finish)."""

    FS = 0
    SS = 1
    FF = 2
    SF = 3


class ConstraintType(IntEnum):
    """Constraints on a task: start no earlier/later than, finish no earlier/later than,
    must start on, must finish on (each with a date), and as late as possible (no date;
    the passes ignore it, :func:`tpmkit._core.pdm.alap_times` moves the task)."""

    NONE = 0
    SNET = 1
    SNLT = 2
    FNET = 3
    FNLT = 4
    MSO = 5
    MFO = 6
    ALAP = 7
