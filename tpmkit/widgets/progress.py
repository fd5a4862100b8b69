"""A ``tqdm`` progress bar as the ``progress(done, total)`` callback of long computations.

Computations (:func:`tpmkit.risk.simulate`) never import ``tqdm``: they call a function with
the work done and the work asked for. :func:`tqdm_progress` makes that function for the
command line (a text bar on stderr) and the notebooks (``tqdm.auto``: a widget bar in
Jupyter). ``tqdm`` is the ``progress`` extra; without it the callback is None (no bar).
"""

from __future__ import annotations

import time
from collections.abc import Callable

__all__ = ["tqdm_progress"]


def tqdm_progress(desc: str = "simulate", *, always: bool = False, min_seconds: float = 1.0
                  ) -> Callable[[int, int], None] | None:
    """A ``progress(done, total)`` callback drawing a ``tqdm.auto`` bar, or None without tqdm.

    Parameters
    ----------
    desc : str
        Label of the bar.
    always : bool
        Draw the bar from the first chunk; otherwise only when the run, extrapolated from
        its first chunk (timed from the ``done = 0`` report, else from this call), takes
        longer than ``min_seconds``.
    min_seconds : float
        Expected run time [s] above which the bar is drawn.

    Returns
    -------
    callable or None
        Closes its bar when ``done`` reaches ``total``.

    Examples
    --------
    >>> report = tqdm_progress(min_seconds=3600.0)
    >>> report is None or report(10, 100) is None
    True
    """
    try:
        from tqdm.auto import tqdm
    except ImportError:  # pragma: no cover - the progress extra is not installed
        return None
    state: dict = {"bar": None, "done": 0, "t0": time.perf_counter()}

    def report(done: int, total: int) -> None:
        bar = state["bar"]
        if done == 0:
            state["t0"] = time.perf_counter()   # the work starts now
        elif bar is None:
            if done < total and (always or (time.perf_counter() - state["t0"]) * total / done
                                 > min_seconds):
                state["bar"] = bar = tqdm(total=total, initial=done, unit="it", desc=desc)
        else:
            bar.total = total
            bar.update(done - state["done"])
        state["done"] = done
        if bar is not None and done >= total:
            bar.close()
            state["bar"] = None

    return report
