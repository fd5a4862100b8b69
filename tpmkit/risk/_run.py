"""What every run of one :func:`tpmkit.risk.simulate` call shares, and the chunked run.

:class:`Plan` holds the network, the sampler and the inputs of a simulation; :meth:`Plan.run`
runs its iterations in chunks through :func:`tpmkit.risk._engine.run_chunk`. Every random
number of a chunk is a pure function of the run's key and its iteration: the task uniforms
and the branch, occurrence and impact uniforms come from the counter-based streams of
:mod:`tpmkit.risk._random`; Latin hypercube and Iman–Conover uniforms from strata blocks of
a fixed number of iterations, each drawn from its own generator seeded by the key and the
block's number. The chunk size and the thread count therefore never change a sample.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from tpmkit._core.codes import EPS
from tpmkit.errors import ValidationError
from tpmkit.risk import _engine
from tpmkit.risk._random import BRANCH, IMPACT, OCCURRENCE, STRATA, draw_key, sub_key, uniforms
from tpmkit.risk.correlation import iman_conover
from tpmkit.risk.distributions import latin_hypercube as _lhs

__all__ = ["KEEP", "N_BINS", "Plan", "chunk_rows", "has_converged"]

N_BINS = 64  # finish bins of the streaming rank correlation and the tornado
KEEP = 1000  # iterations whose task durations are kept (exact ranks)


@dataclass
class Plan:
    """What every run of one :func:`simulate` call shares: network, sampler and inputs."""

    net: Any
    smp: Any
    det: Any
    t_det: float
    ids: list[str]
    index: pd.Index
    ra: dict
    xp: np.ndarray
    cfix: np.ndarray
    rate: np.ndarray
    det_cost: float
    ucol: np.ndarray
    branch: np.ndarray
    xcol: np.ndarray
    aff: np.ndarray
    target: pd.DataFrame | None
    ic_cols: np.ndarray | None
    draw_here: bool
    latin_hypercube: bool
    tolerance: float | None
    chunk: int
    compiled: bool
    bins: tuple[float, float] = (0.0, 1.0)
    bounds: dict | None = None  # release/due bounds of a status-dated run
    block: int = 1  # iterations per strata block (Latin hypercube, correlation)
    iterations: int = 0  # iterations of the run (the last strata block may be shorter)
    _cache: tuple | None = None  # the last strata block drawn: ((key, number), uniforms)
    key: Any = 0  # the key (np.uint64) of the last run: its counter-based streams
    cal: dict | None = None  # tasks on their own calendars: _calendars.calendar_inputs

    def inputs(self, key: np.uint64, start: int, rows: int,
               prob: np.ndarray, nkeep: int, bins: tuple[float, float], store: bool
               ) -> _engine.Inputs:
        """The kernel inputs of one chunk of ``rows`` iterations from iteration ``start``.

        Every random number is a pure function of ``key`` and its iteration (and of the
        iteration's strata block for Latin hypercube and correlation), never of the chunk:
        the samples are the same whatever the chunk size or the thread count.
        """
        # Plain sampling: the kernel draws each task's uniforms itself (counter-based, keyed
        # by ``key``), so they are never stored. Latin hypercube and Iman–Conover need a
        # whole strata block: one row of uniforms per task, iterations contiguous.
        u = self._block_uniforms(key, start, rows) if self.draw_here else np.empty((0, rows))
        ra = self.ra
        nr = len(ra["prob"])
        x = uniforms(sub_key(key, BRANCH), np.arange(len(self.branch)), start, rows)
        ro = uniforms(sub_key(key, OCCURRENCE), np.arange(nr), start, rows)
        ri = uniforms(sub_key(key, IMPACT), np.arange(nr), start, rows)
        return _engine.Inputs(
            rows=rows, start=start, key=key, u=u, ucol=self.ucol, x=x, xcol=self.xcol,
            xp=self.xp, ro=ro, ri=ri, r_prob=prob, r_unit=ra["unit"], r_imp=ra["imp"],
            r_cost=ra["cost"], r_ptr=ra["ptr"], r_task=ra["task"], aff=self.aff,
            cfix=self.cfix, rate=self.rate, d0=self.net.duration, es0=self.det["early_start"],
            ef0=self.det["early_finish"],
            t0=self.t_det, bin_lo=bins[0], bin_w=bins[1], nkeep=nkeep, store=store,
            cal=self.cal,
            **({} if self.bounds is None else {k: self.bounds[k] for k in
                                               ("rel_start", "rel_finish", "due_start",
                                                "due_finish", "fixed")}))

    def _block_uniforms(self, key: np.uint64, start: int, rows: int) -> np.ndarray:
        """The given uniforms (Latin hypercube and/or Iman–Conover) of iterations
        ``start:start + rows``: cut from the strata blocks of ``self.block`` iterations, each
        drawn from its own generator seeded by ``(key, block number)``."""
        stoch, bl = self.smp.stochastic, self.block
        parts = []
        first, last = start // bl, (start + rows - 1) // bl
        for b in range(first, last + 1):
            if self._cache is not None and self._cache[0] == (int(key), b):
                u = self._cache[1]
            else:
                size = min(bl, self.iterations - b * bl)
                bg = np.random.default_rng([int(sub_key(key, STRATA)), b])
                u = (np.ascontiguousarray(_lhs(bg, size, len(stoch)).T) if self.latin_hypercube
                     else bg.random((len(stoch), size)))
                if self.ic_cols is not None:
                    u[self.ic_cols] = iman_conover(u[self.ic_cols].T, self.target.to_numpy(),
                                                   bg).T
                self._cache = ((int(key), b), u)
            lo = max(start - b * bl, 0)
            parts.append(u[:, lo:min(start + rows - b * bl, u.shape[1])])
        # C-contiguous like the other inputs (one compiled signature of the kernel)
        return np.ascontiguousarray(parts[0]) if len(parts) == 1 else np.concatenate(parts, 1)

    def run(self, prob: np.ndarray, g: np.random.Generator, report: Callable | None,
            store: bool, iterations: int
            ) -> tuple[_engine.Outputs, int, bool | None, np.ndarray | None]:
        """Run ``iterations`` in chunks: outputs, iterations done, converged, achieved ρ."""
        ic_cols, tolerance = self.ic_cols, self.tolerance
        keep_rows = min(KEEP, iterations)
        out = _engine.Outputs(k=self.net.n_tasks, n=iterations, r=len(prob), nb=N_BINS,
                              keep_rows=keep_rows, store=store)
        done = 0
        converged = None if tolerance is None else False
        history: list[tuple[float, float]] = []
        corr_sum = None if ic_cols is None else np.zeros((len(ic_cols), len(ic_cols)))
        corr_s = None if ic_cols is None else np.zeros(len(ic_cols))
        key = self.key = draw_key(g)
        if report is not None:
            report(0, iterations)
        while done < iterations:
            rows = min(self.chunk, iterations - done)
            inp = self.inputs(key, done, rows, prob, max(0, min(rows, keep_rows - done)),
                              self.bins, store)
            if corr_sum is not None:
                uc = inp.u[ic_cols].T
                corr_sum += uc.T @ uc
                corr_s += uc.sum(axis=0)
            _engine.run_chunk(self.net, self.smp, inp, out, done, self.compiled)
            done += rows
            if report is not None:
                report(done, iterations)
            if tolerance is not None:
                f = out.finish[:done]
                history.append((float(f.mean()), float(np.percentile(f, 80))))
                if has_converged(history, tolerance):
                    converged = True
                    break
        if report is not None and done < iterations:
            report(done, done)
        out.merge()  # per-part sums → totals, in a fixed order
        achieved = None
        if corr_sum is not None:
            m = corr_s / done
            cov = corr_sum / done - np.outer(m, m)
            sd = np.sqrt(np.diag(cov))
            with np.errstate(invalid="ignore", divide="ignore"):  # NaN: no spread yet
                achieved = cov / np.outer(sd, sd)
        return out, done, converged, achieved


def has_converged(history: list[tuple[float, float]], tolerance: float) -> bool:
    """True when the mean and the P80 moved by ≤ tolerance over the last two chunks."""
    return len(history) >= 3 and all(
        abs(history[-a][b] - history[-a - 1][b]) <= tolerance * max(abs(history[-1][b]), EPS)
        for a in (1, 2) for b in (0, 1))


def chunk_rows(chunk_size: int | None, per_row: int, n: int, iterations: int,
                tolerance: float | None) -> int:
    """Iterations per chunk: the given chunk_size or one from the memory budget."""
    if chunk_size is None:
        # ≤ 8M stored uniforms (64 MB) and ≤ 20M task-iterations (a fraction of a second, so
        # that the progress bar moves) per chunk
        chunk = int(np.clip(min(8_000_000 // per_row, 20_000_000 // n), 512, 65_536))
        if tolerance is not None:
            chunk = min(chunk, max(500, iterations // 20))
    else:
        chunk = int(chunk_size)
        if chunk < 1:
            raise ValidationError(f"chunk_size must be a positive integer, got {chunk_size!r}")
    return min(chunk, iterations)
