"""Counter-based uniforms for the Monte Carlo engine (SplitMix64 at counter positions).

The uniform of task ``k`` in iteration ``i`` is a pure function of ``(key, k, i)``:

* the stream seed ``s_k = mix(key + k·γ)``;
* the value ``mix(s_k + i·γ) >> 11`` scaled to [0, 1) with 53 random bits,

where ``mix`` is the 64-bit finaliser of SplitMix64 (Stafford's "variant 13") and ``γ`` the
golden-ratio increment ``0x9E3779B97F4A7C15``. Within a stream this is exactly the SplitMix64
sequence of seed ``s_k`` (Steele, Lea & Flood 2014), which passes BigCrush; the streams are
seeded by the same mixer, as ``SplittableRandom.split`` does.

Why counters: the compiled kernel draws each value where it uses it, so the iterations ×
tasks matrix of uniforms is never written to memory and read back (that round trip cost
more than the sampling itself), and every value is independent of the chunk, the part and
the thread that draws it. The numpy function below evaluates the same arithmetic on arrays,
so the reference engine reproduces the compiled one bit for bit (tested).

References
----------
Steele, G. L., Lea, D., Flood, C. H. (2014). Fast splittable pseudorandom number generators.
*OOPSLA '14*, 453–472.
Salmon, J. K., Moraes, M. A., Dror, R. O., Shaw, D. E. (2011). Parallel random numbers: as
easy as 1, 2, 3. *SC '11* (counter-based generators).
"""

from __future__ import annotations

import numpy as np

from tpmkit._core.jit import HAVE_NUMBA, njit

__all__: list[str] = []

GAMMA = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S11, _S27, _S30, _S31 = np.uint64(11), np.uint64(27), np.uint64(30), np.uint64(31)
_SCALE = 1.0 / 9007199254740992.0  # 2^-53


@njit(cache=True, nogil=True, inline="always", lazy=True)
def _mix(z):  # pragma: no cover - compiled
    z = (z ^ (z >> _S30)) * _M1
    z = (z ^ (z >> _S27)) * _M2
    return z ^ (z >> _S31)


@njit(cache=True, nogil=True, _nrt=False, lazy=True)
def fill_uniforms(key, stream, start, m, out):  # pragma: no cover - compiled
    """``out[:m]`` = the uniforms of ``stream`` at counters ``start … start + m − 1``."""
    c = _mix(key + np.uint64(stream) * GAMMA) + np.uint64(start) * GAMMA
    for i in range(m):  # the counter advances by γ: an addition, not a multiplication
        z = _mix(c)
        out[i] = np.float64(np.int64(z >> _S11)) * _SCALE
        c += GAMMA


def _mix_np(z: np.ndarray) -> np.ndarray:
    z = (z ^ (z >> _S30)) * _M1
    z = (z ^ (z >> _S27)) * _M2
    return z ^ (z >> _S31)


def uniforms(key: int, streams: np.ndarray, start: int, m: int) -> np.ndarray:
    """The same uniforms as :func:`fill_uniforms` for several streams: ``(len(streams), m)``.

    Examples
    --------
    >>> u = uniforms(7, np.array([0, 1]), 0, 5)
    >>> u.shape, bool(((u >= 0) & (u < 1)).all())
    ((2, 5), True)
    >>> bool((uniforms(7, np.array([1]), 2, 3) == u[1:, 2:]).all())  # pure in the counter
    True
    """
    streams = np.asarray(streams, dtype=np.int64).astype(np.uint64)
    # uint64 array arithmetic wraps modulo 2^64, as the compiled code does
    # (s + start·γ + i·γ = s + (start + i)·γ modulo 2^64)
    seed = _mix_np(np.uint64(key) + streams * GAMMA)
    counters = np.arange(start, start + m, dtype=np.uint64)
    z = _mix_np(seed[:, None] + counters[None, :] * GAMMA)
    return (z >> _S11).astype(np.int64).astype(np.float64) * _SCALE


if not HAVE_NUMBA:  # the same values by the array arithmetic (uint64 arrays wrap silently)
    def fill_uniforms(key, stream, start, m, out):
        """``out[:m]`` = the uniforms of ``stream`` at counters ``start … start + m − 1``."""
        out[:m] = uniforms(key, np.array([stream]), start, m)[0]


#: Purposes of the keys derived from a run's key (:func:`sub_key`): each kind of random
#: number has its own family of streams, numbered by the task, risk or branch it decides.
BRANCH, OCCURRENCE, IMPACT, STRATA = 1, 2, 3, 4


def sub_key(key: np.uint64, purpose: int) -> np.uint64:
    """The key of the streams of one ``purpose`` (``BRANCH``, ``OCCURRENCE``, …).

    ``mix(key ⊕ purpose·M)`` with a different odd multiplier than the stream seeds use, so
    the derived families do not overlap the task streams of ``key``.

    Examples
    --------
    >>> int(sub_key(np.uint64(7), OCCURRENCE)) != int(sub_key(np.uint64(7), IMPACT))
    True
    """
    with np.errstate(over="ignore"):
        return _mix_np(np.uint64(key) ^ (np.uint64(purpose) * _M2))


def draw_key(rng: np.random.Generator) -> np.uint64:
    """A 64-bit key from ``rng`` (the kernel's counter-based streams are keyed by it)."""
    return np.uint64(rng.integers(0, 2 ** 64, dtype=np.uint64))
