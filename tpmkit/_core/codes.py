"""Link and constraint type codes and the float tolerance of every scheduling engine.

The integer values are the positions in :data:`tpmkit.model.LINK_TYPES` and
:data:`tpmkit.model.CONSTRAINT_TYPES` (+1; 0 = no constraint), as stored in the network
arrays (``Network.link_type``, ``Network.constraint_type``). Being :class:`~enum.IntEnum`
members they compare equal to those integers, in Python and in numba kernels alike.
"""

from __future__ import annotations

from enum import IntEnum

__all__ = ["EPS", "ConstraintType", "LinkType"]

#: Tolerance [working days] for comparing schedule times and floats: two times closer
#: than ``EPS`` are the same time (a task with total float ≤ EPS is critical; a
#: constraint only drives a task when it is later by more than EPS). Durations, lags and
#: offsets are sums of at most a few thousand numbers of working days given to a few
#: decimals, so their rounding error is far below 1e-9 days (≈ 0.1 ms), and a genuine
#: difference is far above it. Looser tests use a documented multiple of EPS.
EPS = 1e-9


class LinkType(IntEnum):
    """Precedence link types: which end of the predecessor constrains which end of the
    successor (finish-to-start, start-to-start, finish-to-finish, start-to-finish)."""

    FS = 0
    SS = 1
    FF = 2
    SF = 3


class ConstraintType(IntEnum):
    """Date constraints on a task: start no earlier/later than, finish no earlier/later
    than, must start on, must finish on."""

    NONE = 0
    SNET = 1
    SNLT = 2
    FNET = 3
    FNLT = 4
    MSO = 5
    MFO = 6
