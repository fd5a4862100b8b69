"""Duration distributions for the Monte Carlo engine, as inverse CDFs (quantile functions).

Every distribution turns a uniform variate ``u`` in [0, 1) into a duration through its
quantile function, so Latin hypercube sampling and the Iman–Conover rank correlation act
on the uniforms the same way for every family. The families, fitted to a task's three-point
estimate ``o ≤ m ≤ p`` [working days]:

``pert``
    beta-PERT: ``o + (p − o)·B`` with ``B ~ Beta(α, β)``, ``α = 1 + λ(m − o)/(p − o)``,
    ``β = 1 + λ(p − m)/(p − o)`` (λ = 4 by default), mean ``(o + λm + p)/(λ + 2)``.
``triangular``
    triangular on ``[o, p]`` with mode ``m``.
``uniform``
    uniform on ``[o, p]``.
``normal``
    normal with the PERT mean ``(o + 4m + p)/6`` and standard deviation ``(p − o)/6``,
    truncated at 0.
``lognormal``
    lognormal with the same mean and standard deviation (moment match); positive.
``fixed``
    the task's duration.
``empirical``
    the observed values (or historical ratios × the task's duration), each equally likely.

The beta quantile has no closed form and ``scipy.special.betaincinv`` costs about 3 µs per
value, too slow for millions of samples. The PERT quantile is therefore read from a table
per distinct shape (α, β), built once with ``betaincinv``: cubic Hermite interpolation with
the exact slopes ``1/f(Q)``, uniform in ``u`` over [0.05, 0.95] and uniform in
``(u/0.05)^(1/α)`` (resp. ``((1 − u)/0.05)^(1/β)``) in the tails, where the quantile
behaves like a power of ``u``. The absolute error is below ``1e-4 · (p − o)`` everywhere
and the error of the mean below ``1e-6 · (p − o)`` (tested against ``betaincinv``).

The normal quantile uses Acklam's rational approximation refined by one Halley step with
``math.erfc`` (error below 1e-14, tested against ``scipy.special.ndtri``); it is written
once as a scalar function that both the compiled engine and the numpy reference path call,
so the two paths agree bit for bit.

References
----------
Malcolm, D. G., Roseboom, J. H., Clark, C. E., Fazar, W. (1959). Application of a technique
for research and development program evaluation. *Operations Research* 7(5), 646–669.
Vose, D. (2008). *Risk Analysis: A Quantitative Guide*, 3rd ed., ch. 9 (PERT, triangular).
Acklam, P. J. (2003). An algorithm for computing the inverse normal cumulative
distribution function.
McKay, M. D., Beckman, R. J., Conover, W. J. (1979). A comparison of three methods for
selecting values of input variables in the analysis of output from a computer code.
*Technometrics* 21(2), 239–245 (Latin hypercube sampling).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import special

from tpmkit._core.jit import njit
from tpmkit.errors import ValidationError, check_option, format_ids
from tpmkit.pert import moments

__all__ = ["DISTRIBUTIONS", "latin_hypercube", "quantile"]

DISTRIBUTIONS = ("pert", "triangular", "uniform", "normal", "lognormal", "fixed", "empirical")

FIXED, UNIFORM, TRIANGULAR, PERT, NORMAL, LOGNORMAL, EMPIRICAL = range(7)
_CODE = {"fixed": FIXED, "uniform": UNIFORM, "triangular": TRIANGULAR, "pert": PERT,
         "normal": NORMAL, "lognormal": LOGNORMAL, "empirical": EMPIRICAL}

# PERT table layout (see the module docstring)
TAIL = 0.05
M_TAIL = 64
G_MID = 256
U_MAX = float(np.nextafter(1.0, 0.0))  # largest double below 1


# --------------------------------------------------------------------------------------
# scalar kernels shared by the compiled engine and the numpy reference path
# --------------------------------------------------------------------------------------
def _ndtri_py(p: float) -> float:  # pragma: no cover - also compiled
    """Standard normal quantile (Acklam + one Halley step), by symmetry from the lower tail."""
    if p <= 0.0:
        return -math.inf
    if p >= 1.0:
        return math.inf
    sign = 1.0
    if p > 0.5:  # 1 − p is exact here (Sterbenz); the lower tail keeps full relative accuracy
        p = 1.0 - p
        sign = -1.0
    if p < 0.02425:
        q = math.sqrt(-2.0 * math.log(p))
        x = ((((((-7.784894002430293e-03 * q - 3.223964580411365e-01) * q
                 - 2.400758277161838e+00) * q - 2.549732539343734e+00) * q
               + 4.374664141464968e+00) * q + 2.938163982698783e+00)
             / ((((7.784695709041462e-03 * q + 3.224671290700398e-01) * q
                  + 2.445134137142996e+00) * q + 3.754408661907416e+00) * q + 1.0))
    else:
        q = p - 0.5
        r = q * q
        x = ((((((-3.969683028665376e+01 * r + 2.209460984245205e+02) * r
                 - 2.759285104469687e+02) * r + 1.383577518672690e+02) * r
               - 3.066479806614716e+01) * r + 2.506628277459239e+00) * q
             / (((((-5.447609879822406e+01 * r + 1.615858368580409e+02) * r
                   - 1.556989798598866e+02) * r + 6.680131188771972e+01) * r
                 - 1.328068155288572e+01) * r + 1.0))
    # one Halley step on Φ(x) − p (Acklam's refinement)
    e = 0.5 * math.erfc(-x / math.sqrt(2.0)) - p
    u = e * math.sqrt(2.0 * math.pi) * math.exp(x * x / 2.0)
    return sign * (x - u / (1.0 + x * u / 2.0))


def _pow_py(x: float, y: float) -> float:  # pragma: no cover - also compiled
    return math.pow(x, y)


def _exp_py(x: float) -> float:  # pragma: no cover - also compiled
    return math.exp(x)


_ndtri = njit(cache=True, nogil=True, lazy=True)(_ndtri_py)
_pow = njit(cache=True, nogil=True, inline="always", lazy=True)(_pow_py)
_exp = njit(cache=True, nogil=True, inline="always", lazy=True)(_exp_py)

# elementwise versions for the numpy path: the same scalar code (libm), not numpy's SIMD
# loops, whose last bit may differ from libm
_ndtri_v = np.frompyfunc(_ndtri_py, 1, 1)
_pow_v = np.frompyfunc(_pow_py, 2, 1)
_exp_v = np.frompyfunc(_exp_py, 1, 1)


def _hermite(t, y0, y1, s0, s1, h):
    """Cubic Hermite interpolation on one cell (the same expression in both paths)."""
    omt = 1.0 - t
    return ((1.0 + 2.0 * t) * omt * omt * y0 + t * omt * omt * h * s0
            + t * t * (3.0 - 2.0 * t) * y1 + t * t * (t - 1.0) * h * s1)


_hermite_nb = njit(cache=True, nogil=True, inline="always", lazy=True)(_hermite)


# --------------------------------------------------------------------------------------
# per-task parameters
# --------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class Sampler:
    """Per-task quantile-function parameters (input order of the tasks).

    ``code`` (int8) selects the family; ``par`` (n × 5) holds its parameters:
    fixed ``[value]``; uniform ``[o, p − o]``; triangular ``[o, p, (m−o)/(p−o),
    (p−o)(m−o), (p−o)(p−m)]``; pert ``[o, p − o, 1/α, 1/β]`` with table row ``tab[k]``;
    normal ``[μ, σ, Φ(−μ/σ)]``; lognormal ``[μ_log, σ_log]``; empirical: values
    ``emp_val[emp_ptr[k]:emp_ptr[k+1]]`` sorted.
    """

    code: np.ndarray
    par: np.ndarray
    tab: np.ndarray
    q_lo: np.ndarray
    s_lo: np.ndarray
    q_mid: np.ndarray
    s_mid: np.ndarray
    q_hi: np.ndarray
    s_hi: np.ndarray
    emp_ptr: np.ndarray
    emp_val: np.ndarray
    mean: np.ndarray
    std: np.ndarray
    low: np.ndarray
    high: np.ndarray

    @property
    def stochastic(self) -> np.ndarray:
        """Indices of the tasks whose duration is uncertain."""
        return np.flatnonzero(self.code != FIXED)


def _grid_size(pert_lambda: float) -> int:
    """Mode-position nodes of the shared PERT table: the quantile moves faster in r as λ grows."""
    return 16 * math.ceil(pert_lambda + 2.0) + 1


@functools.lru_cache(maxsize=8)
def _mode_grid(pert_lambda: float) -> tuple[np.ndarray, object]:
    """Beta quantiles at the table nodes for a grid of mode positions r, as a cubic spline in r.

    For a fixed λ the beta-PERT family is one-parameter: α = 1 + λr, β = 1 + λ(1 − r) with
    r = (m − o)/(p − o). The values are built once per λ (vectorised ``betaincinv``); a task's
    row is the spline at its r (error below 1e-6 at the nodes for λ ≤ 10, tested).
    """
    from scipy.interpolate import CubicSpline  # lazy: 0.35 s to import, plans with many shapes

    rg = np.linspace(0.0, 1.0, _grid_size(pert_lambda))
    a = (1.0 + pert_lambda * rg)[:, None]
    b = (1.0 + pert_lambda * (1.0 - rg))[:, None]
    v = np.arange(M_TAIL + 1) / M_TAIL
    um = TAIL + (1.0 - 2.0 * TAIL) * np.arange(G_MID + 1) / G_MID
    q = np.hstack([special.betaincinv(a, b, TAIL * v ** a),
                   special.betaincinv(a, b, np.broadcast_to(um, (len(rg), G_MID + 1))),
                   1.0 - special.betaincinv(b, a, TAIL * v ** b)])
    return rg, CubicSpline(rg, q, axis=0)


def _pert_tables_grid(shapes: np.ndarray, pert_lambda: float) -> tuple[np.ndarray, ...]:
    """Hermite tables of many shapes at once: quantiles from the mode grid, exact slopes."""
    a = shapes[:, :1]
    b = shapes[:, 1:]
    rg, spline = _mode_grid(float(pert_lambda))
    r = np.clip((a[:, 0] - 1.0) / pert_lambda, 0.0, 1.0)
    q = np.clip(spline(r), 0.0, 1.0)
    ql, qm, qh = q[:, :M_TAIL + 1], q[:, M_TAIL + 1:M_TAIL + G_MID + 2], q[:, M_TAIL + G_MID + 2:]
    lnb = special.betaln(a, b)
    v = np.arange(1, M_TAIL + 1) / M_TAIL
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        def slope(q):  # dQ/du = 1/f(Q)
            return np.exp(lnb - (a - 1.0) * np.log(q) - (b - 1.0) * np.log1p(-q))
        sl = np.empty_like(ql)
        sh = np.empty_like(qh)
        sl[:, 1:] = slope(ql[:, 1:]) * a * TAIL * v ** (a - 1.0)
        sl[:, 0] = ((a * np.exp(lnb) * TAIL) ** (1.0 / a))[:, 0]
        sh[:, 1:] = -slope(qh[:, 1:]) * b * TAIL * v ** (b - 1.0)
        sh[:, 0] = -((b * np.exp(lnb) * TAIL) ** (1.0 / b))[:, 0]
        sm = slope(qm)
    # where Q rounds to 0 or 1 the density formula breaks down: a flat cell
    sl, sm, sh = (np.where(np.isfinite(x), x, 0.0) for x in (sl, sm, sh))
    return ql, sl, qm, sm, qh, sh


def _pert_tables(shapes: np.ndarray, pert_lambda: float = 4.0) -> tuple[np.ndarray, ...]:
    """Hermite tables (values, slopes) of the Beta quantile for each (α, β) row.

    Up to ``_grid_size(λ)`` distinct shapes each get their own exact table (``betaincinv``
    per shape); beyond that every row comes from the shared mode-position grid, built once
    per λ, so set-up stays O(shapes) vectorised.
    """
    n = len(shapes)
    if n > _grid_size(pert_lambda):
        return _pert_tables_grid(np.asarray(shapes, dtype=np.float64), pert_lambda)
    v = np.arange(M_TAIL + 1) / M_TAIL
    um = TAIL + (1.0 - 2.0 * TAIL) * np.arange(G_MID + 1) / G_MID
    out = [np.zeros((n, M_TAIL + 1)), np.zeros((n, M_TAIL + 1)), np.zeros((n, G_MID + 1)),
           np.zeros((n, G_MID + 1)), np.zeros((n, M_TAIL + 1)), np.zeros((n, M_TAIL + 1))]
    for r, (a, b) in enumerate(shapes):
        lnb = special.betaln(a, b)

        def slope(q, a=a, b=b, lnb=lnb):  # dQ/du = 1/f(Q); inf where Q rounds to 0 or 1
            with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
                return np.exp(lnb - (a - 1.0) * np.log(q) - (b - 1.0) * np.log1p(-q))

        ql = special.betaincinv(a, b, TAIL * v ** a)
        qm = special.betaincinv(a, b, um)
        # Q(1 − y) = 1 − Q_{β,α}(y): exact where 1 − y would round to 1 (large β)
        qh = 1.0 - special.betaincinv(b, a, TAIL * v ** b)
        sl = np.empty_like(ql)
        sh = np.empty_like(qh)
        # in the tails the variable is v with u = TAIL·v^α: dQ/dv = dQ/du · α·TAIL·v^(α−1)
        sl[1:] = slope(ql[1:]) * a * TAIL * v[1:] ** (a - 1.0)
        sl[0] = (a * math.exp(lnb) * TAIL) ** (1.0 / a)  # Q ≈ (α·B·u)^(1/α) as u → 0
        sh[1:] = -slope(qh[1:]) * b * TAIL * v[1:] ** (b - 1.0)
        sh[0] = -((b * math.exp(lnb) * TAIL) ** (1.0 / b))
        sm = slope(qm)
        # where Q rounds to 0 or 1 (far tails of a large α or β) the density formula breaks
        # down: a flat cell, as in the grid path
        sl, sm, sh = (np.where(np.isfinite(x), x, 0.0) for x in (sl, sm, sh))
        out[0][r], out[1][r], out[2][r] = ql, sl, qm
        out[3][r], out[4][r], out[5][r] = sm, qh, sh
    return tuple(out)


def _values(text: object) -> list[float]:
    if isinstance(text, str):
        parts = [t for t in text.replace(";", ",").split(",") if t.strip()]
        return [float(t) for t in parts]
    if isinstance(text, Sequence | np.ndarray | pd.Series):
        return [float(t) for t in text]
    return []


def build_sampler(tasks: pd.DataFrame, duration: np.ndarray, *, default: str = "pert",
                  pert_lambda: float = 4.0,
                  empirical: Mapping[str, Sequence[float]] | None = None,
                  ratios: Sequence[float] | None = None) -> Sampler:
    """Fit each task's distribution to its three-point estimate (see the module docstring).

    Tasks without a three-point estimate (or with ``o = m = p``) keep their duration
    (``fixed``) unless they are ``empirical``.
    """
    default = check_option(default, DISTRIBUTIONS, "distribution")
    if not (np.isfinite(pert_lambda) and pert_lambda > 0):
        raise ValidationError(f"pert_lambda must be a positive number, got {pert_lambda!r}; "
                              "the classic beta-PERT uses 4")
    n = len(tasks)
    ids = [str(t) for t in tasks.index.tolist()]
    raw = tasks["distribution"].tolist() if "distribution" in tasks else [""] * n
    names = [("" if pd.isna(x) else str(x).strip().lower()) or default for x in raw]
    bad = [k for k, x in enumerate(names) if x not in _CODE]
    if bad:
        raise ValidationError(
            f"unknown distribution {names[bad[0]]!r} for task(s) "
            f"{format_ids([ids[k] for k in bad])}; use one of: {', '.join(DISTRIBUTIONS)}")

    o, m, p = (_column(tasks, c, n) for c in ("optimistic", "most_likely", "pessimistic"))
    three = np.isfinite(o) & np.isfinite(m) & np.isfinite(p)
    o = np.where(three, o, duration)
    m = np.where(three, m, duration)
    p = np.where(three, p, duration)
    code = np.array([_CODE[x] for x in names], dtype=np.int8)
    code[(p - o <= 0) & (code != EMPIRICAL)] = FIXED
    emp_ptr, emp_val = _empirical_values(tasks, ids, code, empirical, ratios, duration)
    par, tab, mean, var, shapes = _bounded_parameters(code, o, m, p, duration, pert_lambda)
    # C-contiguous whatever built them (the mode-position spline gives strided views): one
    # compiled signature of the kernel, the one the install-time warm-up compiles
    q_lo, s_lo, q_mid, s_mid, q_hi, s_hi = (np.ascontiguousarray(x) for x in _pert_tables(
        shapes, pert_lambda))
    mu3 = moments(o, m, p)[0]
    sd3 = (p - o) / 6.0
    _unbounded_parameters(code, mu3, sd3, par, mean, var)
    low, high = _support(code, par, o, p, mu3, sd3, emp_ptr, emp_val, mean, var)
    return Sampler(code=code, par=par, tab=tab, q_lo=q_lo, s_lo=s_lo, q_mid=q_mid,
                   s_mid=s_mid, q_hi=q_hi, s_hi=s_hi, emp_ptr=emp_ptr, emp_val=emp_val,
                   mean=mean, std=np.sqrt(np.maximum(var, 0.0)), low=low, high=high)


def _column(tasks: pd.DataFrame, c: str, n: int) -> np.ndarray:
    """A numeric task column (NaN where missing or not a number)."""
    return (pd.to_numeric(tasks[c], errors="coerce").to_numpy(np.float64) if c in tasks
            else np.full(n, np.nan))


def _empirical_values(tasks: pd.DataFrame, ids: list[str], code: np.ndarray,
                      empirical: Mapping[str, Sequence[float]] | None,
                      ratios: Sequence[float] | None,
                      duration: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Empirical values: per task mapping, task column ``empirical``, or ratios × duration.

    Tasks named in ``empirical`` become empirical (``code`` is updated in place). Returns the
    CSR pointers and the sorted values of every task, concatenated.
    """
    n = len(ids)
    empirical = dict(empirical or {})
    position = {t: k for k, t in enumerate(ids)}
    unknown = set(empirical) - set(position)
    if unknown:
        raise ValidationError(f"empirical values given for unknown task(s) "
                              f"{format_ids(sorted(unknown))}; use task ids of the project")
    emp_col = tasks["empirical"] if "empirical" in tasks else None
    emp_lists: list[list[float]] = [[] for _ in range(n)]
    for t in empirical:
        code[position[t]] = EMPIRICAL
    for k in np.flatnonzero(code == EMPIRICAL):  # the other tasks have no values
        vals: list[float] = []
        if ids[k] in empirical:
            vals = _values(empirical[ids[k]])
        elif emp_col is not None:
            vals = _values(emp_col.iloc[k])
        if not vals and ratios is not None:
            vals = [float(r) * duration[k] for r in ratios]
        if not vals:
            raise ValidationError(
                f"task {ids[k]} uses the empirical distribution but has no observed values; "
                "give them in an `empirical` column (e.g. \"4, 5, 7\"), the `empirical=` "
                "mapping or historical `ratios=`")
        arr = np.sort(np.asarray(vals, dtype=np.float64))
        if (~np.isfinite(arr) | (arr < 0)).any():
            raise ValidationError(f"task {ids[k]} has empirical values that are negative or "
                                  "not numbers; give durations ≥ 0 in working days")
        emp_lists[k] = arr.tolist()
    emp_ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum([len(v) for v in emp_lists], out=emp_ptr[1:])
    emp_val = np.asarray([x for v in emp_lists for x in v], dtype=np.float64)

    return emp_ptr, emp_val


def _bounded_parameters(code: np.ndarray, o: np.ndarray, m: np.ndarray, p: np.ndarray,
                        duration: np.ndarray, pert_lambda: float
                        ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Parameters, means and variances of the fixed, uniform, triangular and PERT tasks, the
    PERT table index of each task and the distinct PERT shapes (alpha, beta)."""
    n = len(code)
    par = np.zeros((n, 5))
    tab = np.full(n, -1, dtype=np.int64)
    mean = duration.astype(np.float64).copy()
    var = np.zeros(n)
    rng_ = p - o
    with np.errstate(divide="ignore", invalid="ignore"):
        fc = (m - o) / rng_
    par[code == FIXED, 0] = duration[code == FIXED]
    s = code == UNIFORM
    par[s, 0], par[s, 1] = o[s], rng_[s]
    mean[s], var[s] = (o[s] + p[s]) / 2, rng_[s] ** 2 / 12
    s = code == TRIANGULAR
    par[s, 0], par[s, 1], par[s, 2] = o[s], p[s], fc[s]
    par[s, 3], par[s, 4] = rng_[s] * (m[s] - o[s]), rng_[s] * (p[s] - m[s])
    mean[s], var[s] = moments(o[s], m[s], p[s], method="triangular")
    s = code == PERT
    alpha = 1.0 + pert_lambda * fc[s]
    beta = 1.0 + pert_lambda * (1.0 - fc[s])
    shapes, inverse = (np.unique(np.column_stack([alpha, beta]), axis=0, return_inverse=True)
                       if s.any() else (np.zeros((0, 2)), np.zeros(0, np.int64)))
    tab[s] = np.asarray(inverse).ravel()
    par[s, 0], par[s, 1], par[s, 2], par[s, 3] = o[s], rng_[s], 1.0 / alpha, 1.0 / beta
    mean[s] = o[s] + rng_[s] * alpha / (alpha + beta)
    var[s] = rng_[s] ** 2 * alpha * beta / ((alpha + beta) ** 2 * (alpha + beta + 1.0))
    return par, tab, mean, var, shapes


def _unbounded_parameters(code: np.ndarray, mu3: np.ndarray, sd3: np.ndarray, par: np.ndarray,
                          mean: np.ndarray, var: np.ndarray) -> None:
    """Parameters, means and variances of the normal (truncated at 0) and lognormal tasks, in
    place; a lognormal task with a mean ≤ 0 becomes fixed at 0."""
    s = code == NORMAL
    par[s, 0], par[s, 1] = mu3[s], sd3[s]
    par[s, 2] = special.ndtr(-mu3[s] / sd3[s])
    # moments of the normal truncated at 0 (Johnson, Kotz & Balakrishnan, ch. 13)
    a0 = -mu3[s] / sd3[s]
    lam = special.ndtr(a0)
    phi = np.exp(-a0 ** 2 / 2) / math.sqrt(2 * math.pi)
    hz = phi / (1.0 - lam)
    mean[s] = mu3[s] + sd3[s] * hz
    var[s] = sd3[s] ** 2 * (1.0 + a0 * hz - hz ** 2)
    s = code == LOGNORMAL
    zero = s & (mu3 <= 0)
    code[zero] = FIXED
    par[zero, 0] = 0.0
    s = code == LOGNORMAL
    s2 = np.log1p((sd3[s] / mu3[s]) ** 2)
    par[s, 0], par[s, 1] = np.log(mu3[s]) - s2 / 2, np.sqrt(s2)
    mean[s], var[s] = mu3[s], sd3[s] ** 2


def _support(code: np.ndarray, par: np.ndarray, o: np.ndarray, p: np.ndarray, mu3: np.ndarray,
             sd3: np.ndarray, emp_ptr: np.ndarray, emp_val: np.ndarray, mean: np.ndarray,
             var: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Empirical means and variances (in place) and the low and high end of every task's range."""
    for k in np.flatnonzero(code == EMPIRICAL):
        v = emp_val[emp_ptr[k]:emp_ptr[k + 1]]
        mean[k], var[k] = v.mean(), v.var()
    low = np.where(code == FIXED, par[:, 0], o)
    high = np.where(code == FIXED, par[:, 0], p)
    low[code == NORMAL] = np.maximum(mu3 - 6 * sd3, 0)[code == NORMAL]
    high[code == NORMAL] = (mu3 + 6 * sd3)[code == NORMAL]
    for k in np.flatnonzero(code == EMPIRICAL):
        low[k], high[k] = emp_val[emp_ptr[k]], emp_val[emp_ptr[k + 1] - 1]
    return low, high


# --------------------------------------------------------------------------------------
# quantile functions: compiled scalar and numpy vector versions (same arithmetic)
# --------------------------------------------------------------------------------------
@njit(cache=True, nogil=True, error_model="numpy", _nrt=False, lazy=True)
def ppf_row(k, u, row, i0, m, out, code, par, tab, q_lo, s_lo, q_mid, s_mid, q_hi, s_hi,
            emp_ptr, emp_val):  # pragma: no cover - compiled
    """Durations of task ``k`` at ``u[row, i0:i0+m]`` into ``out[k, :m]`` (compiled path).

    One call per task and block of iterations: dispatching per value would pay the
    argument overhead of a dozen arrays for every sample.
    """
    # 1-d views of the rows: with 2-d indexing numba's negative-index wrap-around turns
    # the loads into gathers and the loops do not vectorise
    ur = u[row, i0:i0 + m]
    ok = out[k]
    c = code[k]
    if c == FIXED:
        for i in range(m):
            ok[i] = par[k, 0]
    elif c == UNIFORM:
        for i in range(m):
            ok[i] = par[k, 0] + ur[i] * par[k, 1]
    elif c == TRIANGULAR:
        lo, hi, fc, w1, w2 = par[k, 0], par[k, 1], par[k, 2], par[k, 3], par[k, 4]
        for i in range(m):  # one square root, no branches: the loop vectorises
            x = ur[i]
            low = x < fc
            s = 1.0 if low else 0.0
            # = x·w1 or (1 − x)·w2 exactly (the other product times 0 adds +0.0); written
            # as a select, LLVM evaluated both square roots
            r = math.sqrt(x * w1 * s + (1.0 - x) * w2 * (1.0 - s))
            ok[i] = lo + r if low else hi - r
    elif c == PERT:
        r = tab[k]
        lo, w = par[k, 0], par[k, 1]
        qm, sm = q_mid[r], s_mid[r]
        # the body's cell for every sample, branch-free so that the loop vectorises (table
        # gathers); the tails (a tenth of the samples) are then written over, one by one
        for i in range(m):
            s = (ur[i] - TAIL) / (1.0 - 2.0 * TAIL) * G_MID
            j = min(max(int(s), 0), G_MID - 1)
            q = _hermite_nb(s - j, qm[j], qm[j + 1], sm[j], sm[j + 1], 1.0 / G_MID)
            ok[i] = lo + w * min(max(q, 0.0), 1.0)
        for i in range(m):
            x = ur[i]
            if x < TAIL:
                s = _pow(x / TAIL, par[k, 2]) * M_TAIL
                j = min(int(s), M_TAIL - 1)
                q = _hermite_nb(s - j, q_lo[r, j], q_lo[r, j + 1], s_lo[r, j],
                                s_lo[r, j + 1], 1.0 / M_TAIL)
                ok[i] = lo + w * min(max(q, 0.0), 1.0)
            elif x >= 1.0 - TAIL:
                s = _pow((1.0 - x) / TAIL, par[k, 3]) * M_TAIL
                j = min(int(s), M_TAIL - 1)
                q = _hermite_nb(s - j, q_hi[r, j], q_hi[r, j + 1], s_hi[r, j],
                                s_hi[r, j + 1], 1.0 / M_TAIL)
                ok[i] = lo + w * min(max(q, 0.0), 1.0)
    elif c == NORMAL:
        for i in range(m):
            z = _ndtri(par[k, 2] + ur[i] * (1.0 - par[k, 2]))
            ok[i] = max(par[k, 0] + par[k, 1] * z, 0.0)
    elif c == LOGNORMAL:
        for i in range(m):
            ok[i] = _exp(par[k, 0] + par[k, 1] * _ndtri(ur[i]))
    else:
        a = emp_ptr[k]
        n = emp_ptr[k + 1] - a
        for i in range(m):
            ok[i] = emp_val[a + min(int(ur[i] * n), n - 1)]


def ppf_numpy(k: int, u: np.ndarray, s: Sampler) -> np.ndarray:
    """Durations of task ``k`` at the uniforms ``u`` (numpy reference path)."""
    c = s.code[k]
    par = s.par[k]
    u = np.asarray(u, dtype=np.float64)
    if c == FIXED:
        return np.full(u.shape, par[0])
    if c == UNIFORM:
        return par[0] + u * par[1]
    if c == TRIANGULAR:
        return np.where(u < par[2], par[0] + np.sqrt(u * par[3]),
                        par[1] - np.sqrt((1.0 - u) * par[4]))
    if c == PERT:
        r = s.tab[k]
        q = np.empty(u.shape)
        for mask, x, qt, st, g in (
                (u < TAIL, lambda x: _pow_v(x / TAIL, par[2]).astype(float) * M_TAIL,
                 s.q_lo[r], s.s_lo[r], M_TAIL),
                (u >= 1.0 - TAIL, lambda x: _pow_v((1.0 - x) / TAIL, par[3]).astype(float)
                 * M_TAIL, s.q_hi[r], s.s_hi[r], M_TAIL),
                ((u >= TAIL) & (u < 1.0 - TAIL),
                 lambda x: (x - TAIL) / (1.0 - 2.0 * TAIL) * G_MID, s.q_mid[r], s.s_mid[r],
                 G_MID)):
            if not mask.any():
                continue
            sv = x(u[mask])
            j = np.minimum(sv.astype(np.int64), g - 1)
            q[mask] = _hermite(sv - j, qt[j], qt[j + 1], st[j], st[j + 1], 1.0 / g)
        return par[0] + par[1] * np.minimum(np.maximum(q, 0.0), 1.0)
    if c == NORMAL:
        z = _ndtri_v(par[2] + u * (1.0 - par[2])).astype(float)
        return np.maximum(par[0] + par[1] * z, 0.0)
    if c == LOGNORMAL:
        return _exp_v(par[0] + par[1] * _ndtri_v(u).astype(float)).astype(float)
    a, b = s.emp_ptr[k], s.emp_ptr[k + 1]
    return s.emp_val[a + np.minimum((u * (b - a)).astype(np.int64), b - a - 1)]


def quantile(distribution: str, u: object, optimistic: float, most_likely: float,
             pessimistic: float, *, pert_lambda: float = 4.0) -> np.ndarray:
    """Quantiles of a three-point duration distribution.

    Parameters
    ----------
    distribution : str
        One of ``pert``, ``triangular``, ``uniform``, ``normal``, ``lognormal``, ``fixed``.
    u : array_like
        Probabilities in [0, 1).
    optimistic, most_likely, pessimistic : float
        The three-point estimate [working days].
    pert_lambda : float
        Weight λ of the mode in the beta-PERT (4 is the classic PERT).

    Returns
    -------
    ndarray
        Durations [working days] with ``P(D ≤ x) = u``.

    References
    ----------
    Vose, D. (2008). *Risk Analysis*, 3rd ed., ch. 9.

    Examples
    --------
    >>> quantile("triangular", [0.0, 0.5], 2, 6, 10)
    array([2., 6.])
    >>> float(quantile("pert", [0.5], 3, 3, 3)[0])
    3.0
    """
    distribution = check_option(distribution, DISTRIBUTIONS[:-1], "distribution")
    df = pd.DataFrame({"optimistic": [optimistic], "most_likely": [most_likely],
                       "pessimistic": [pessimistic], "distribution": [distribution]},
                      index=["task"])
    if not optimistic <= most_likely <= pessimistic:
        raise ValidationError("the three-point estimate needs optimistic ≤ most_likely ≤ "
                              f"pessimistic, got {optimistic}, {most_likely}, {pessimistic}")
    s = build_sampler(df, np.array([most_likely], float), default=distribution,
                      pert_lambda=pert_lambda)
    u = np.minimum(np.asarray(u, dtype=np.float64), U_MAX)
    return ppf_numpy(0, u, s)


def latin_hypercube(rng: np.random.Generator, rows: int, cols: int) -> np.ndarray:
    """A Latin hypercube of uniforms: each column hits each of ``rows`` strata once.

    Parameters
    ----------
    rng : numpy.random.Generator
        The random source.
    rows, cols : int
        Sample size (iterations) and number of variables (tasks).

    Returns
    -------
    ndarray
        ``rows × cols`` uniforms in [0, 1).

    References
    ----------
    McKay, Beckman & Conover (1979), *Technometrics* 21(2), 239–245.

    Examples
    --------
    >>> u = latin_hypercube(np.random.default_rng(1), 4, 2)
    >>> sorted((u[:, 0] * 4).astype(int).tolist())
    [0, 1, 2, 3]
    """
    strata = rng.permuted(np.tile(np.arange(rows, dtype=np.float64)[:, None], (1, cols)),
                          axis=0)
    u = (strata + rng.random((rows, cols))) / rows
    return np.minimum(u, U_MAX)
