"""The one seed helper of every stochastic function (``rng=None`` | int | Generator)."""

from __future__ import annotations

from typing import Literal, overload

import numpy as np

__all__ = ["resolve_rng"]


@overload
def resolve_rng(rng: object, *, reseed: Literal[True]) -> tuple[np.random.Generator, int]: ...


@overload
def resolve_rng(rng: object, *, reseed: bool = False
                ) -> tuple[np.random.Generator, int | None]: ...


def resolve_rng(rng: object, *, reseed: bool = False
                ) -> tuple[np.random.Generator, int | None]:
    """The generator a stochastic function draws from, and the seed that reproduces it.

    Parameters
    ----------
    rng : None, int or numpy.random.Generator
        ``None``: a fresh seed from the operating system's entropy; an int ≥ 0: that
        seed; a Generator: used as given (its state is the caller's to record).
    reseed : bool
        With a Generator, draw a seed from it and start a new generator from that seed,
        so that the result can record an int that reproduces the run.

    Returns
    -------
    (Generator, int or None)
        The seed is None only for a Generator without ``reseed``.

    Examples
    --------
    >>> g, seed = resolve_rng(42)
    >>> seed, float(g.random()) == float(np.random.default_rng(42).random())
    (42, True)
    >>> resolve_rng(np.random.default_rng(1))[1] is None
    True
    """
    if isinstance(rng, np.random.Generator):
        if not reseed:
            return rng, None
        seed = int(rng.integers(2**63))
    elif rng is None:
        seed = int(np.random.SeedSequence().entropy % (2**63))
    elif isinstance(rng, int | np.integer) and not isinstance(rng, bool) and rng >= 0:
        seed = int(rng)
    else:
        from tpmkit.errors import ValidationError

        raise ValidationError(f"rng must be None, a non-negative int seed or a "
                              f"numpy.random.Generator, not {rng!r}; pass e.g. rng=42")
    return np.random.default_rng(seed), seed
