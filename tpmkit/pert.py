"""PERT: three-point estimates and the normal approximation of the project duration.

For each task with optimistic ``o``, most likely ``m`` and pessimistic ``p`` durations:

* beta-PERT (Malcolm et al. 1959): mean ``(o + 4m + p)/6``, variance ``((p - o)/6)²``;
* triangular: mean ``(o + m + p)/3``, variance ``(o² + m² + p² - om - op - mp)/18``.

The project duration is approximated by a normal distribution whose mean is the length
of the critical path computed with the mean durations, and whose variance is the sum of
the variances along that path (the central limit theorem applied to one path). Where
several paths tie as critical, the one with the largest variance is used (the
conservative textbook choice), searched over every critical path in one linear sweep
(:func:`tpmkit.cpm.heaviest_critical_path`).

**Merge bias.** This approximation ignores every other path. Where parallel paths merge,
the project finish is the *maximum* of several uncertain path lengths, whose mean is
larger than the mean of any single path: PERT is systematically optimistic, the more so
the more near-critical paths run in parallel. Use Monte Carlo simulation
(:func:`tpmkit.risk.simulate`) for a realistic distribution; it shows the bias per merge
node.

References
----------
Malcolm, D.G., Roseboom, J.H., Clark, C.E., Fazar, W. (1959). Application of a technique
for research and development program evaluation. *Operations Research* 7(5), 646–669.
Anderson, Sweeney, Williams et al. *An Introduction to Management Science*, ch. 9.
MacCrimmon, K.R., Ryavec, C.A. (1964). An analytical study of the PERT assumptions.
*Operations Research* 12(1), 16–37 (merge bias).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import special  # ndtr/ndtri: the normal CDF and quantile (scipy.stats: 0.6 s)

from tpmkit.cpm import critical_paths, heaviest_critical_path, schedule
from tpmkit.errors import ValidationError, check_option
from tpmkit.model import Project

__all__ = ["PertResult", "analyze", "duration_for", "moments", "probability_of"]

METHODS = ("beta", "triangular")


def moments(optimistic: object, most_likely: object, pessimistic: object,
            method: str = "beta") -> tuple[np.ndarray, np.ndarray]:
    """Mean and variance of three-point estimates [working days, working days²].

    Examples
    --------
    >>> mean, var = moments(4, 5, 12)           # Porta-Vac activity A
    >>> float(mean[()]), round(float(var[()]), 4)
    (6.0, 1.7778)
    >>> mean, var = moments(4, 5, 12, method="triangular")
    >>> float(mean[()])
    7.0
    """
    method = check_option(method, METHODS, "PERT method")
    o, m, p = (np.asarray(x, dtype=float) for x in (optimistic, most_likely, pessimistic))
    if method == "beta":
        return (o + 4 * m + p) / 6.0, ((p - o) / 6.0) ** 2
    return (o + m + p) / 3.0, (o**2 + m**2 + p**2 - o * m - o * p - m * p) / 18.0


@dataclass
class PertResult:
    """Result of :func:`analyze`.

    Attributes
    ----------
    expected_duration : float
        Mean project duration [working days].
    variance, std : float
        Of the project duration [working days², working days].
    critical_path : list of str
        The critical path used (ids in order).
    tasks : DataFrame
        Per task: ``mean``, ``variance``, ``std`` and the CPM columns on mean durations.
    target, probability : float or None
        P(finish ≤ target) when a target was given.
    confidence, duration : float or None
        The duration met with the given probability.
    """

    expected_duration: float
    variance: float
    std: float
    critical_path: list[str]
    tasks: pd.DataFrame
    method: str = "beta"
    target: float | None = None
    probability: float | None = None
    confidence: float | None = None
    duration: float | None = None
    start: pd.Timestamp | None = None
    target_date: pd.Timestamp | None = None
    all_critical_paths: list[list[str]] = field(default_factory=list)

    def probability_of(self, target: float) -> float:
        """P(project duration ≤ ``target``) under the normal approximation."""
        return probability_of(self.expected_duration, self.std, target)

    def duration_for(self, probability: float) -> float:
        """The duration met with ``probability`` under the normal approximation."""
        return duration_for(self.expected_duration, self.std, probability)

    def _repr_html_(self) -> str:
        rows = [("Expected duration", f"{self.expected_duration:.2f} working days"),
                ("Standard deviation", f"{self.std:.3f} working days"),
                ("Critical path", " → ".join(self.critical_path))]
        if self.probability is not None:
            rows.append((f"P(T ≤ {self.target:g})", f"{self.probability:.4f}"))
        if self.duration is not None:
            rows.append((f"Duration at P{self.confidence * 100:g}", f"{self.duration:.2f} working days"))
        body = "".join(f"<tr><th style='text-align:left'>{k}</th><td>{v}</td></tr>" for k, v in rows)
        note = ("<p><i>Normal approximation on the critical path only; it ignores merge bias — "
                "use tpmkit.risk.simulate for the full distribution.</i></p>")
        return f"<table>{body}</table>{note}"


def probability_of(mean: float, std: float, target: float) -> float:
    """P(T ≤ target) for T ~ Normal(mean, std²); a step function when std = 0.

    Examples
    --------
    >>> round(probability_of(17, 1.649916, 20), 4)
    0.9655
    """
    if std <= 0:
        return float(target >= mean)
    return float(special.ndtr((target - mean) / std))


def duration_for(mean: float, std: float, probability: float) -> float:
    """The duration met with ``probability`` for T ~ Normal(mean, std²).

    Examples
    --------
    >>> round(duration_for(17, 1.649916, 0.95), 3)
    19.714
    """
    if not 0 < probability < 1:
        raise ValidationError(f"probability {probability!r} must lie strictly between 0 and 1; "
                              "e.g. 0.8 for P80")
    return float(mean + std * special.ndtri(probability))


def analyze(project: Project, *, target: float | str | pd.Timestamp | None = None,
            probability: float | None = None, method: str = "beta") -> PertResult:
    """PERT analysis of a project.

    Parameters
    ----------
    project : Project
        Tasks with three-point estimates (tasks without one count as fixed durations).
    target : float or date, optional
        Finish target [working days from the start] or a date (needs a start date).
    probability : float, optional
        Confidence in (0, 1) for which to return the duration.
    method : {"beta", "triangular"}
        Moments of the three-point distribution.

    Returns
    -------
    PertResult

    Examples
    --------
    >>> import tpmkit
    >>> p = tpmkit.read(pd.DataFrame({"id": ["A", "B"], "optimistic": [1, 2],
    ...     "most_likely": [2, 3], "pessimistic": [9, 4], "predecessors": ["", "A"]}))
    >>> r = analyze(p, target=7)
    >>> r.expected_duration, round(r.std, 4), round(r.probability, 4)
    (6.0, 1.3744, 0.7666)
    """
    method = check_option(method, METHODS, "PERT method")
    t = project.tasks
    has3 = t[["optimistic", "most_likely", "pessimistic"]].notna().all(axis=1).to_numpy()
    mean = t["duration"].to_numpy(float).copy()
    var = np.zeros(len(t))
    if has3.any():
        mu, v = moments(t["optimistic"].to_numpy(float)[has3], t["most_likely"].to_numpy(float)[has3],
                        t["pessimistic"].to_numpy(float)[has3], method)
        mean[has3], var[has3] = mu, v
    sched = schedule(project, durations=mean)
    paths = critical_paths(project, sched)
    best = heaviest_critical_path(project, var, sched)
    total_var = float(pd.Series(var, index=t.index)[best].sum()) if best else 0.0
    expected = sched.duration
    table = pd.concat([pd.DataFrame({"mean": mean, "variance": var, "std": np.sqrt(var)},
                                    index=t.index), sched.table.drop(columns=["duration"])], axis=1)
    result = PertResult(expected_duration=expected, variance=total_var, std=float(np.sqrt(total_var)),
                        critical_path=list(best), tasks=table, method=method,
                        start=project.start, all_critical_paths=paths)
    if target is not None:
        result.target, result.target_date = _target_offset(project, target)
        result.probability = result.probability_of(result.target)
    if probability is not None:
        result.confidence = float(probability)
        result.duration = result.duration_for(float(probability))
    return result


def _target_offset(project: Project, target: object) -> tuple[float, pd.Timestamp | None]:
    try:
        return float(target), None
    except (TypeError, ValueError):
        pass
    from tpmkit.model.calendar import parse_date

    d = parse_date(target, "target")
    if project.start is None:
        raise ValidationError(f"target {target!r} is a date but the project has no start date; "
                              "set the start (--start) or give the target in working days")
    return float(project.calendar.offset_of([d], project.start, kind="finish")[0]), d
