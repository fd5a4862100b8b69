"""Rank correlation between task durations: input, repair, and the Iman–Conover method.

A correlation is given as a square matrix over task ids (a DataFrame whose index and
columns are ids), as groups that share one coefficient (``[(["A", "B", "C"], 0.6)]``) or
as pairs (``{("A", "B"): 0.5}``). The matrix must be square, symmetric, with a unit
diagonal and entries in [−1, 1]; a matrix that is not positive semidefinite (coefficients
that contradict each other) is replaced by the nearest correlation matrix (Higham 2002)
with a :class:`CorrelationWarning` naming the largest change.

The Iman–Conover method induces the target rank correlation in a sample without changing
its marginal distributions: it reorders each column of the uniforms so that their ranks
follow van der Waerden scores with the target correlation.

References
----------
Iman, R. L., Conover, W. J. (1982). A distribution-free approach to inducing rank
correlation among input variables. *Communications in Statistics — Simulation and
Computation* 11(3), 311–334.
Higham, N. J. (2002). Computing the nearest correlation matrix — a problem from finance.
*IMA Journal of Numerical Analysis* 22(3), 329–343.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import special

from tpmkit.errors import CorrelationWarning, DataError, ValidationError, format_ids
from tpmkit.model.tables import split_ids, table_frame

__all__ = ["CorrelationWarning", "correlation_from_table", "correlation_matrix", "iman_conover",
           "nearest_correlation"]


def correlation_matrix(spec: object, ids: Sequence[str]) -> pd.DataFrame:
    """Validate a correlation specification and return the matrix over the tasks it names.

    Parameters
    ----------
    spec : DataFrame, sequence of (ids, coefficient) groups, or mapping {(id, id): r}
        The target rank correlations between task durations.
    ids : sequence of str
        The task ids of the project (unknown ids are an error).

    Returns
    -------
    DataFrame
        Square, symmetric, unit diagonal, indexed and labelled by the correlated task ids
        in project order; repaired to positive semidefinite when needed (with a warning).

    Raises
    ------
    ValidationError
        Non-square or non-symmetric matrix, a coefficient outside [−1, 1], a diagonal
        other than 1, or an unknown task id (the message names the row).

    Examples
    --------
    >>> correlation_matrix([(["A", "B"], 0.5)], ["A", "B", "C"])
         A    B
    A  1.0  0.5
    B  0.5  1.0
    """
    ids = [str(i) for i in ids]
    known = set(ids)
    if isinstance(spec, pd.DataFrame):
        df = spec.copy()
        df.index = df.index.astype(str)
        df.columns = df.columns.astype(str)
        if df.shape[0] != df.shape[1] or list(df.index) != list(df.columns):
            raise ValidationError(
                f"the correlation matrix is not square: rows {format_ids(df.index)} vs columns "
                f"{format_ids(df.columns)}; give the same task ids, in the same order, as "
                "index and columns")
        unknown = [i for i in df.index if i not in known]
        if unknown:
            raise ValidationError(f"the correlation matrix names unknown task(s) "
                                  f"{format_ids(unknown)}; use task ids of the project")
        values = df.apply(pd.to_numeric, errors="coerce").to_numpy(np.float64)
        labels = list(df.index)
        bad = ~np.isfinite(values).all(axis=1)
        if bad.any():
            raise ValidationError(f"the correlation matrix has missing or non-numeric entries "
                                  f"in row(s) {format_ids(np.array(labels)[bad])}; fill them "
                                  "with coefficients in [-1, 1]")
        asym = np.abs(values - values.T) > 1e-12
        if asym.any():
            rows = np.array(labels)[asym.any(axis=1)]
            raise ValidationError(
                f"the correlation matrix is not symmetric in row(s) {format_ids(rows)}; make "
                "entry (i, j) equal entry (j, i)")
        mat = values
    else:
        pairs: dict[tuple[str, str], float] = {}
        if isinstance(spec, Mapping):
            items = [((str(a), str(b)), r) for (a, b), r in spec.items()]
        elif isinstance(spec, Sequence):
            items = []
            for g in spec:
                members, r = (g["tasks"], g["coefficient"]) if isinstance(g, Mapping) else g
                members = [str(t) for t in members]
                items += [((a, b), r) for i, a in enumerate(members) for b in members[i + 1:]]
        else:
            raise ValidationError("correlation must be a square DataFrame over task ids, a "
                                  "list of (ids, coefficient) groups or a {(id, id): r} mapping")
        for (a, b), r in items:
            for t in (a, b):
                if t not in known:
                    raise ValidationError(f"the correlation between {a} and {b} names the "
                                          f"unknown task {t}; use task ids of the project")
            pairs[(a, b)] = pairs[(b, a)] = float(r)
        labels = [i for i in ids if any(i == a for a, _ in pairs)]
        pos = {t: n for n, t in enumerate(labels)}
        mat = np.eye(len(labels))
        for (a, b), r in pairs.items():
            if a == b:
                raise ValidationError(f"the correlation of task {a} with itself is always 1; "
                                      "remove that pair")
            mat[pos[a], pos[b]] = r
    out_of_range = (np.abs(mat) > 1.0).any(axis=1)
    if out_of_range.any():
        raise ValidationError(
            f"correlation coefficients outside [-1, 1] in row(s) "
            f"{format_ids(np.array(labels)[out_of_range])}; use values between -1 and 1")
    diag = np.abs(np.diag(mat) - 1.0) > 1e-12
    if diag.any():
        raise ValidationError(f"the correlation matrix diagonal must be 1, row(s) "
                              f"{format_ids(np.array(labels)[diag])} differ; set them to 1")
    order = sorted(range(len(labels)), key=lambda i: ids.index(labels[i]))
    labels = [labels[i] for i in order]
    mat = mat[np.ix_(order, order)]
    if len(labels) and np.linalg.eigvalsh(mat).min() < -1e-10:
        fixed = nearest_correlation(mat)
        diff = np.abs(fixed - mat)
        i, j = np.unravel_index(np.argmax(diff), diff.shape)
        warnings.warn(
            f"the correlation matrix is not positive semidefinite (smallest eigenvalue "
            f"{np.linalg.eigvalsh(mat).min():.3g}); replaced by the nearest correlation "
            f"matrix, largest change {diff[i, j]:.3g} at {labels[i]}–{labels[j]} "
            f"({mat[i, j]:.3g} → {fixed[i, j]:.3g}); check the coefficients",
            CorrelationWarning, stacklevel=3)
        mat = fixed
    return pd.DataFrame(mat, index=labels, columns=labels)


def correlation_from_table(table: pd.DataFrame, where: str = "correlation table"
                           ) -> pd.DataFrame | list[tuple[list[str], float]]:
    """Turn a correlation table (as read from a file) into a spec for :func:`correlation_matrix`.

    Two layouts are accepted:

    * a square matrix: the first column holds the task ids, the header the same ids in the
      same order, the cells the coefficients;
    * a table of groups: columns ``tasks`` (ids separated by ``;`` or ``,``) and
      ``coefficient`` — every pair of tasks in a row gets that coefficient.

    Parameters
    ----------
    table : DataFrame
        The rows, header stripped and lower-cased (:func:`tpmkit.model.table_frame`; a file
        is read by :func:`tpmkit.artefacts.read_correlation`).
    where : str
        What the table is, for error messages (the file name).

    Returns
    -------
    DataFrame or list of (ids, coefficient)
        The matrix, or the groups.

    Raises
    ------
    DataError
        The table is in neither layout (the message names its columns and the two layouts).

    Examples
    --------
    >>> correlation_from_table(pd.DataFrame({"tasks": ["A; B; C"], "coefficient": ["0.6"]}))
    [(['A', 'B', 'C'], 0.6)]
    """
    df = table_frame(table, where)  # header stripped and lower-cased, blank rows dropped
    if {"tasks", "coefficient"} <= set(df.columns):
        groups = []
        for n, (tasks, r) in enumerate(zip(df["tasks"], df["coefficient"], strict=True), start=2):
            members = list(split_ids(tasks))
            value = pd.to_numeric(r, errors="coerce")
            if len(members) < 2 or not np.isfinite(value):
                raise DataError(f"{where} line {n}: a group needs at least two task ids in "
                                f"`tasks` and a number in `coefficient`, got {tasks!r}, {r!r}")
            groups.append((members, float(value)))
        return groups
    ids = [str(i).strip() for i in df.iloc[:, 0]] if df.shape[1] else []
    if ids and [i.lower() for i in ids] == list(df.columns[1:]):  # the header, lower-cased
        return pd.DataFrame(df.iloc[:, 1:].to_numpy(), index=ids, columns=ids)
    raise DataError(
        f"{where} is not a correlation table: its columns are {format_ids(df.columns)}; give "
        "either a square matrix (first column and header: the same task ids) or the columns "
        "`tasks` (ids separated by ';') and `coefficient`")


def nearest_correlation(a: np.ndarray, *, tol: float = 1e-10, max_iter: int = 500
                        ) -> np.ndarray:
    """Nearest correlation matrix in the Frobenius norm (Higham's alternating projections).

    Parameters
    ----------
    a : ndarray
        A symmetric matrix with unit diagonal.
    tol : float
        Convergence tolerance on the change between iterations.
    max_iter : int
        Iteration limit.

    Returns
    -------
    ndarray
        Symmetric positive-semidefinite matrix with unit diagonal.

    References
    ----------
    Higham (2002), *IMA J. Numer. Anal.* 22(3), 329–343, Algorithm 3.3.

    Examples
    --------
    >>> a = np.array([[1, .9, -.9], [.9, 1, .9], [-.9, .9, 1]])
    >>> bool(np.linalg.eigvalsh(nearest_correlation(a)).min() > -1e-9)
    True
    """
    y = np.array(a, dtype=np.float64)
    ds = np.zeros_like(y)
    x = y
    for _ in range(max_iter):
        r = y - ds
        w, v = np.linalg.eigh((r + r.T) / 2)
        x = (v * np.maximum(w, 0.0)) @ v.T
        ds = x - r
        y_new = x.copy()
        np.fill_diagonal(y_new, 1.0)
        if np.linalg.norm(y_new - y) <= tol * max(1.0, np.linalg.norm(y)):
            y = y_new
            break
        y = y_new
    # final projection guards against round-off leaving a tiny negative eigenvalue
    w, v = np.linalg.eigh(y)
    y = (v * np.maximum(w, 0.0)) @ v.T
    d = np.sqrt(np.diag(y))
    y = y / np.outer(d, d)
    return (y + y.T) / 2


def _sqrt_factor(c: np.ndarray) -> np.ndarray:
    """A lower factor L with L Lᵀ = c (Cholesky, or eigen-based when only semidefinite)."""
    try:
        return np.linalg.cholesky(c)
    except np.linalg.LinAlgError:
        w, v = np.linalg.eigh(c)
        return v * np.sqrt(np.maximum(w, 0.0))


def iman_conover(u: np.ndarray, target: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Reorder the columns of ``u`` so that their rank correlation approaches ``target``.

    Parameters
    ----------
    u : ndarray
        ``n × k`` sample (uniforms); each column keeps its values, only their order changes.
    target : ndarray
        ``k × k`` correlation matrix (positive semidefinite).
    rng : numpy.random.Generator
        Source of the random score permutations.

    Returns
    -------
    ndarray
        The reordered sample (a new array); a copy in the original order when there are
        no more rows than columns (or the permuted scores are collinear): too few rows to
        induce a correlation.

    References
    ----------
    Iman & Conover (1982), *Commun. Stat. Simul. Comput.* 11(3), 311–334.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> x = iman_conover(rng.random((2000, 2)), np.array([[1, .7], [.7, 1]]), rng)
    >>> round(float(np.corrcoef(x.T)[0, 1]), 1)
    0.7
    """
    n, k = u.shape
    if k < 2 or n <= k:  # n ≤ k rows: the score correlation is singular, nothing to induce
        return u.copy()
    scores = special.ndtri(np.arange(1, n + 1) / (n + 1))
    s = rng.permuted(np.tile(scores[:, None], (1, k)), axis=0)
    e = np.corrcoef(s, rowvar=False)
    p = _sqrt_factor(e)
    q = _sqrt_factor(np.asarray(target, dtype=np.float64))
    try:
        s_star = s @ np.linalg.solve(p.T, q.T)  # = S P⁻ᵀ Qᵀ: correlation Q Qᵀ = target
    except np.linalg.LinAlgError:  # a few rows whose permuted scores are collinear
        return u.copy()
    rank = np.argsort(np.argsort(s_star, axis=0, kind="stable"), axis=0, kind="stable")
    return np.take_along_axis(np.sort(u, axis=0), rank, axis=0)
