"""Artefact files: read a scoping, estimation or risk table and validate it in one call.

The computations (:mod:`tpmkit.scope`, :mod:`tpmkit.estimate`, :mod:`tpmkit.risk`) take
DataFrames and never touch files; this module joins them to the file readers of
:mod:`tpmkit.io`:

* :func:`read_artefact` — any artefact of :data:`ARTEFACTS` from CSV, XLSX (sheet = kind),
  YAML/JSON (key = kind) or a DataFrame, through the validator of its kind; the blank
  templates in ``templates/`` and the bundled samples load through it too;
* :func:`read_register` — the risk register of a file, a Project or a DataFrame;
* :func:`read_correlation` — a correlation file (square matrix or groups) for
  :func:`tpmkit.risk.correlation_matrix`;
* :func:`write_wbs_dictionary` — a WBS dictionary written to ``.csv`` or ``.xlsx``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from tpmkit import estimate, scope
from tpmkit._files import atomic_path
from tpmkit.errors import DataError, InputFileError, ValidationError, check_option
from tpmkit.io import read_table
from tpmkit.risk.correlation import correlation_from_table
from tpmkit.risk.register import normalize_register
from tpmkit.risk.register import read_register as _register_of

__all__ = ["ARTEFACTS", "read_artefact", "read_correlation", "read_register",
           "write_wbs_dictionary"]

ARTEFACTS = ("wbs", "requirements", "stakeholders", "raci", "risks", "changes",
             "estimation_rounds", "throughput_history", "estimates_vs_actuals")

_SHEETED = (".xlsx", ".xlsm", ".yaml", ".yml", ".json")  # files holding several named tables


def read_artefact(source: Any, kind: str, sheet: str | None = None, **options: Any) -> Any:
    """Read and validate one artefact (templates and user files alike).

    Parameters
    ----------
    source : DataFrame or path
        CSV/XLSX/YAML/JSON file or DataFrame.
    kind : str
        One of ``wbs``, ``requirements``, ``stakeholders``, ``raci``, ``risks``, ``changes``,
        ``estimation_rounds``, ``throughput_history``, ``estimates_vs_actuals``.
    sheet : str, optional
        Sheet/key to read; default: ``kind`` for workbooks and YAML/JSON, else the first sheet.
    **options
        Passed to the validating function.

    Returns
    -------
    The validated artefact: the WBS dictionary (after :func:`tpmkit.scope.check_wbs` found
    no orphan or duplicate), a requirements/stakeholder/change table, a
    :class:`tpmkit.scope.RaciResult`, the normalised risk register
    (:func:`tpmkit.risk.register.normalize_register`), a
    :class:`tpmkit.estimate.DelphiResult`, a throughput Series or a
    :class:`tpmkit.estimate.Calibration`.

    Examples
    --------
    >>> read_artefact(pd.DataFrame({"id": ["CR1"]}), "changes")["status"].tolist()
    ['proposed']
    """
    kind = check_option(kind, ARTEFACTS, "artefact")
    if sheet is None and not isinstance(source, pd.DataFrame):
        suffix = Path(str(source)).suffix.lower()
        if suffix in _SHEETED:
            sheet = kind
    df = read_table(source, sheet)
    if kind == "wbs":
        findings = scope.check_wbs(df, complete=True, **options)
        hard = findings[findings["check"].isin(["orphan", "duplicate"])]
        if len(hard):
            raise ValidationError("WBS: " + "; ".join(hard["message"].head(5)))
        return scope.wbs_dictionary(df)
    if kind == "requirements":
        return scope.requirements(df, **options)
    if kind == "stakeholders":
        return scope.stakeholders(df, **options)
    if kind == "raci":
        return scope.raci(df, **options)
    if kind == "changes":
        return scope.change_log(df, **options)
    if kind == "risks":
        return normalize_register(df, **options)
    if kind == "estimation_rounds":
        return estimate.delphi(df, **options)
    if kind == "throughput_history":
        return estimate.throughput_history(df, **options)
    if kind == "estimates_vs_actuals":
        return estimate.calibrate(df, **options)
    raise DataError(f"artefact {kind!r} has no reader")  # unreachable: check_option above


def read_register(source: Any, task_ids: Iterable[str] | None = None, **options: Any
                  ) -> pd.DataFrame:
    """Read and normalise a register from a file, a Project or a DataFrame.

    Parameters
    ----------
    source : path, Project or DataFrame
        A CSV/XLSX (sheet ``risks``)/YAML/JSON (key ``risks``) file, a
        :class:`~tpmkit.model.Project` (its ``risks`` table, checked against its task ids and
        durations), or rows.
    task_ids : iterable of str, optional
        Known task ids (taken from the Project when one is given).
    **options
        ``bands``, ``durations`` as in :func:`tpmkit.risk.register.normalize_register`.

    Returns
    -------
    DataFrame
        As :func:`~tpmkit.risk.register.normalize_register`; empty (with all columns) for a
        Project without risks.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "risks.csv"
    >>> _ = f.write_text("id,probability,tasks,impact_days\\nR1,40%,A,5\\n")
    >>> read_register(f)["emv_days"].tolist()
    [2.0]
    """
    if not isinstance(source, str | os.PathLike):
        return _register_of(source, task_ids, **options)
    sheet = "risks" if Path(source).suffix.lower() in _SHEETED else None
    return normalize_register(read_table(source, sheet), task_ids, **options)


def read_correlation(path: str | os.PathLike) -> pd.DataFrame | list[tuple[list[str], float]]:
    """Read a correlation file (CSV or Excel) for :func:`tpmkit.risk.correlation_matrix`.

    Two layouts are accepted (:func:`tpmkit.risk.correlation_from_table`):

    * a square matrix: the first column holds the task ids, the header the same ids in the
      same order, the cells the coefficients;
    * a table of groups: columns ``tasks`` (ids separated by ``;`` or ``,``) and
      ``coefficient`` — every pair of tasks in a row gets that coefficient.

    Parameters
    ----------
    path : str or Path
        A ``.csv`` or ``.xlsx`` file (the first sheet is read).

    Returns
    -------
    DataFrame or list of (ids, coefficient)
        The matrix, or the groups.

    Raises
    ------
    InputFileError
        The file is missing or of an unsupported type (:func:`tpmkit.io.read_table`).
    DataError
        The file is in neither layout (the message names its columns and the two layouts).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "corr.csv"
    >>> _ = f.write_text("tasks,coefficient\\nA; B; C,0.6\\n")
    >>> read_correlation(f)
    [(['A', 'B', 'C'], 0.6)]
    """
    path = Path(path)
    return correlation_from_table(read_table(path), str(path))


def write_wbs_dictionary(dictionary: pd.DataFrame, path: str | os.PathLike) -> Path:
    """Write a WBS dictionary (:func:`tpmkit.scope.wbs_dictionary`) to ``.csv`` or ``.xlsx``.

    The file is written to a temporary file beside the target, then renamed into place.

    Parameters
    ----------
    dictionary : DataFrame
        The dictionary, indexed by WBS code.
    path : str or Path
        Target file; its suffix (``.csv`` or ``.xlsx``) picks the format.

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    InputFileError
        The suffix is neither ``.csv`` nor ``.xlsx``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = scope.wbs_dictionary(pd.DataFrame({"wbs": ["1", "1.1"], "name": ["Release", "Build"]}))
    >>> f = write_wbs_dictionary(d, pathlib.Path(tempfile.mkdtemp()) / "wbs.csv")
    >>> f.read_text().splitlines()[0].split(",")[:3]
    ['wbs', 'depth', 'parent']
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise InputFileError(f"cannot write {path.name}: use a .csv or .xlsx file name")
    with atomic_path(path) as tmp:
        if suffix == ".csv":
            dictionary.to_csv(tmp)
        else:
            dictionary.to_excel(tmp, engine="openpyxl")
    return path
