"""Data of the closure report (``tpmkit report FILE --kind closure``).

:func:`build_closure_data` computes everything the closure report notebook
(``notebooks/closure_report.ipynb``) shows into a :class:`ClosureReportData`: final
performance against the baseline per WBS level, milestones planned vs actual, EVM at
completion, risks that occurred against the register, the acceptance checklist, the
lessons learned, the change log with the baselines it produced, and the quality records.
The artefacts come from the project file's extra sections
(:func:`tpmkit.report.quality_section.file_records`).

The report's overall status: **green** when the project may close (every task finished,
nothing pending or rejected in the acceptance checklist, lessons recorded), **red** when
work is unfinished or a deliverable was rejected, **amber** otherwise.
"""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from tpmkit.errors import ValidationError

__all__ = ["ClosureReportData", "build_closure_data"]


@dataclass(frozen=True)
class ClosureReportData:
    """Everything the closure report shows (:func:`build_closure_data`).

    Attributes
    ----------
    title, source, input_path, input_name, sha256, seed, iterations, generated,
    tpmkit_version, project, currency, status_date
        As in :class:`tpmkit.report.ReportData`.
    closure : tpmkit.closure.Closure
        Final performance, lessons, acceptance and readiness.
    lessons_by_category : DataFrame or None
    baseline_names : list of str
    baseline_comparison : DataFrame or None
        First baseline against the last one (or against the actual dates when the project
        keeps one baseline): :func:`tpmkit.baselines.compare_baselines`.
    baseline_pair : tuple of str
        The two sides of ``baseline_comparison``.
    actual_vs_baseline : DataFrame
        Per task: baseline and actual/forecast start and finish, finish slip [working days].
    changes : DataFrame or None
        The validated change log.
    change_summary : ChangeSummary or None
    quality : QualitySection or None
    notes : tuple of str
        Records that were present but could not be used (with the reason).
    """

    title: str
    source: str
    input_path: Path
    input_name: str
    sha256: str
    seed: int
    iterations: int
    generated: pd.Timestamp
    tpmkit_version: str
    project: Any
    currency: str
    status_date: pd.Timestamp | None
    closure: Any
    lessons_by_category: pd.DataFrame | None
    baseline_names: list[str]
    baseline_comparison: pd.DataFrame | None
    baseline_pair: tuple[str, str]
    actual_vs_baseline: pd.DataFrame
    changes: pd.DataFrame | None
    change_summary: Any
    quality: Any
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def overall(self) -> str:
        """Overall state: green (ready to close), red (unfinished work or a rejected
        deliverable), amber otherwise.
        """
        if self.closure.ready:
            return "green"
        acc = self.closure.acceptance_status
        rejected = acc is not None and acc["counts"].get("rejected", 0) > 0
        unfinished = any(r.startswith("unfinished") for r in self.closure.reasons)
        return "red" if rejected or unfinished else "amber"

    @property
    def reproduce(self) -> str:
        """The command line that reproduces the report."""
        status = (f" --status-date {self.status_date.date()}"
                  if self.status_date is not None else "")
        return f"tpmkit report {self.source} --kind closure{status}"

    def title_block(self, date_format: str = "%d %b %Y") -> dict[str, Any]:
        """The title-block data the report template shows (JSON-friendly)."""
        def day(ts: Any) -> str:
            return "–" if ts is None or pd.isna(ts) else pd.Timestamp(ts).strftime(date_format)

        t = self.closure.performance.totals
        return {"title": self.title or "Project closure report", "project": self.project.name,
                "status_date": day(self.status_date), "deadline": day(t.get("baseline_finish")),
                "generated": self.generated.strftime("%Y-%m-%d %H:%M UTC"),
                "input": self.input_name, "sha256": self.sha256, "seed": self.seed,
                "iterations": self.iterations, "overall": self.overall,
                "tpmkit_version": self.tpmkit_version}


def _actual_vs_baseline(project: Any, perf_finish: pd.Series, base: pd.DataFrame) -> pd.DataFrame:
    t = project.tasks
    start = t["actual_start"]
    out = pd.DataFrame({"name": t["name"], "baseline_start": base["start"],
                        "baseline_finish": base["finish"], "start": start,
                        "finish": perf_finish}, index=t.index)
    ok = out["finish"].notna() & out["baseline_finish"].notna()
    slip = pd.Series(float("nan"), index=t.index)
    if ok.any():
        import numpy as np

        slip[ok] = np.busday_count(out.loc[ok, "baseline_finish"].to_numpy(dtype="datetime64[D]"),
                                   out.loc[ok, "finish"].to_numpy(dtype="datetime64[D]"),
                                   busdaycal=project.calendar.busdaycal)
    out["finish_slip"] = slip
    return out


def build_closure_data(project_or_source: Any, status_date: Any = None, *,
                       iterations: int = 2000, seed: int = 2027, title: str = "",
                       generated: Any = None) -> ClosureReportData:
    """Compute everything the closure report shows.

    Parameters
    ----------
    project_or_source : Project, path or str
        A project, a project file or ``sample:NAME``. Lessons, acceptance, risk outcomes,
        changes and quality records are read from the file's extra sections.
    status_date : date, optional
        Status date (default the project's); progress is rolled back to it.
    iterations, seed : int
        Kept for the command line's reproducibility line (the closure report runs no
        simulation).
    title : str
        Report title ("" → "Project closure report").
    generated : datetime, optional
        Generation time (default now, UTC).

    Returns
    -------
    ClosureReportData

    Examples
    --------
    >>> data = build_closure_data("sample:software_release_closure")
    >>> data.overall, data.baseline_names
    ('green', ['baseline', 'baseline_1'])
    """
    from tpmkit import __version__, baselines, closure, evm, scope
    from tpmkit.cpm import schedule
    from tpmkit.datasets import read_source
    from tpmkit.report.data import file_sha256
    from tpmkit.report.quality_section import file_records, quality_section

    if int(iterations) != iterations or iterations < 1:
        raise ValidationError(f"iterations must be a positive whole number, got {iterations}")
    if int(seed) != seed or seed < 0:
        raise ValidationError(f"seed must be a non-negative whole number, got {seed}")
    if isinstance(project_or_source, str | os.PathLike):
        source = str(project_or_source)
        project, path = read_source(source)
        input_name = source if source.startswith("sample:") else path.name
        sha = file_sha256(path)
    else:
        source, path, input_name, sha = "(project)", Path(), "(project)", ""
        project = project_or_source
    status = project.status_date if status_date is None else status_date
    if status is not None:
        project = evm.as_of(project, status)
    generated = pd.Timestamp(datetime.datetime.now(datetime.UTC).replace(microsecond=0)
                             if generated is None else generated)
    records = file_records(project)
    result = schedule(project)
    summary = closure.closure_summary(project, lessons=records.get("lessons"),
                                      acceptance=records.get("acceptance"),
                                      outcomes=records.get("risk_outcomes"))
    names = baselines.baseline_names(project)
    comparison, pair = None, ("baseline", baselines.CURRENT)
    if len(names) >= 2:
        pair = (names[0], names[-1])
        comparison = baselines.compare_baselines(project, *pair, result=result)
    base = baselines.baseline_table(project, "baseline")
    t = project.tasks
    finish = t["actual_finish"].where(t["actual_finish"].notna(),
                                      result.table.get("early_finish_date"))
    notes: list[str] = []
    log = change_sum = None
    if "changes" in records:
        log = scope.change_log(records["changes"], task_ids=t.index)
        change_sum = scope.change_summary(log)
    lessons = summary.lessons
    return ClosureReportData(
        title=title or "", source=source, input_path=path, input_name=input_name, sha256=sha,
        seed=int(seed), iterations=int(iterations), generated=generated,
        tpmkit_version=__version__, project=project, currency=project.currency or "",
        status_date=project.status_date, closure=summary,
        lessons_by_category=None if lessons is None else closure.lessons_summary(lessons),
        baseline_names=names, baseline_comparison=comparison, baseline_pair=pair,
        actual_vs_baseline=_actual_vs_baseline(project, finish, base), changes=log,
        change_summary=change_sum, quality=quality_section(project, project.status_date),
        notes=tuple(notes))
