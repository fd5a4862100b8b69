"""Read PSPLIB single-mode RCPSP instances (``.sm``) and Patterson-format files (``.rcp``).

The PSPLIB library (Kolisch & Sprecher, 1996) is the standard benchmark of the
resource-constrained project scheduling problem (RCPSP): J30/J60/J90/J120 instances in the
``.sm`` format and the Patterson (1984) set in the ``.rcp`` format. Both readers give the
same two views:

* :func:`read_psplib` returns a plain ``dict`` with a ``tasks`` table in tpmkit's task-table
  schema (``id``, ``duration``, ``predecessors``, ``resources``), a ``resources`` table
  (``id``, ``capacity``, ``kind``) and ``project`` settings, ready for ``tpmkit.read``;
* :func:`load_instance` returns a :class:`PsplibInstance` with the numeric arrays
  (durations, successor CSR, demand matrix, capacities) that
  :func:`tpmkit.resources.solve_rcpsp` takes directly — the fast path for benchmarks.

Job numbers become task ids (``"1"`` … ``"32"``; job 1 and the last job are PSPLIB's dummy
source and sink, kept as zero-duration milestones so the makespan is the sink's start).
Resource ``R 1`` becomes ``"R1"``. All links are finish-to-start without lag.

References
----------
.. [1] Kolisch, R. and Sprecher, A. (1996). PSPLIB — a project scheduling problem library.
   European Journal of Operational Research 96(1), 205–216.
.. [2] Patterson, J. H. (1984). A comparison of exact approaches for solving the multiple
   constrained resource project scheduling problem. Management Science 30(7), 854–867.

Examples
--------
>>> text = '''3 1
... 5
... 0 0 1 2
... 3 2 1 3
... 0 0 0
... '''
>>> inst = parse_instance(text, name="tiny", fmt="rcp")
>>> inst.duration.tolist(), inst.capacity.tolist()
([0, 3, 0], [5])
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from tpmkit.errors import FileFormatError, InputFileError, quote

__all__ = ["PsplibInstance", "instance_tables", "load_instance", "parse_instance", "read_parts",
           "read_psplib"]

_FORMATS = ("sm", "rcp")


@dataclass(frozen=True)
class PsplibInstance:
    """One single-mode RCPSP instance as arrays (jobs in file order, 0-based).

    Attributes
    ----------
    name : str
        File stem, e.g. ``"j301_1"``.
    ids : numpy.ndarray of str
        Job numbers as strings (``"1"`` … ``"n"``).
    duration : numpy.ndarray of int64
        Processing times [periods].
    succ_ptr, succ_idx : numpy.ndarray of int64
        Successors of job ``j`` are ``succ_idx[succ_ptr[j]:succ_ptr[j+1]]`` (finish-to-start).
    demand : numpy.ndarray of int64, shape (n, R)
        Per-period usage of each renewable resource [units].
    capacity : numpy.ndarray of int64, shape (R,)
        Renewable resource availabilities [units per period].
    resource_names : list of str
        ``["R1", "R2", …]``.
    nonrenewable : pandas.DataFrame
        Non-renewable resources (``id``, ``capacity``, ``kind``) and their per-job demand in
        column ``demand``; empty for the PSPLIB single-mode sets.
    settings : dict
        Header values (``horizon``, ``release_date``, ``due_date``, ``tardiness_cost``,
        ``mpm_time``) where the format has them.
    """

    name: str
    ids: np.ndarray
    duration: np.ndarray
    succ_ptr: np.ndarray
    succ_idx: np.ndarray
    demand: np.ndarray
    capacity: np.ndarray
    resource_names: list[str]
    nonrenewable: pd.DataFrame = field(default_factory=pd.DataFrame)
    settings: dict = field(default_factory=dict)

    @property
    def n(self) -> int:
        """Number of jobs including the dummy source and sink."""
        return len(self.duration)

    def predecessors(self) -> list[list[int]]:
        """Predecessor job indices (0-based) of every job."""
        preds: list[list[int]] = [[] for _ in range(self.n)]
        for j in range(self.n):
            for k in self.succ_idx[self.succ_ptr[j]:self.succ_ptr[j + 1]]:
                preds[int(k)].append(j)
        return preds


def _fail(name: str, what: str, fix: str = "check that it is an unmodified PSPLIB file") -> None:
    raise FileFormatError(f"{name}: {what}; {fix}")


def _ints(tokens: list[str], name: str, where: str) -> list[int]:
    try:
        values = [int(t) for t in tokens]
    except ValueError:
        _fail(name, f"non-integer value in {where}: {quote(' '.join(tokens))}")
    if any(abs(v) > 10**9 for v in values):
        _fail(name, f"value above 1,000,000,000 in {where}: {quote(' '.join(tokens))}")
    return values


def _parse_sm(text: str, name: str) -> PsplibInstance:
    lines = text.splitlines()
    header: dict[str, int] = {}
    for line in lines:
        m = re.match(r"\s*(jobs \(incl\. supersource/sink \)|horizon|projects)\s*:\s*(\d+)", line)
        if m:
            header[m.group(1).split()[0]] = int(m.group(2))
        m = re.match(r"\s*-\s*(renewable|nonrenewable|doubly constrained)\s*:\s*(\d+)", line)
        if m:
            header[m.group(1)] = int(m.group(2))
    if "jobs" not in header or "renewable" not in header:
        _fail(name, "no 'jobs (incl. supersource/sink )' or '- renewable' line in the header",
              "is this a PSPLIB .sm file? multi-project and .mm files are not supported")
    if header.get("projects", 1) != 1:
        _fail(name, f"{header['projects']} projects in one file", "split it into one file per project")
    n = header["jobs"]

    def section(title: str) -> list[str]:
        for i, line in enumerate(lines):
            if line.strip().upper().startswith(title):
                body = []
                for nxt in lines[i + 1:]:
                    if nxt.startswith("***"):
                        break
                    body.append(nxt)
                return body
        _fail(name, f"section {title!r} is missing")
        return []  # pragma: no cover

    settings: dict[str, int] = {"horizon": header.get("horizon", 0)}
    info = [ln for ln in section("PROJECT INFORMATION") if ln.strip() and ln.strip()[0].isdigit()]
    if info:
        vals = _ints(info[0].split(), name, "PROJECT INFORMATION")
        if len(vals) >= 6:
            settings.update(release_date=vals[2], due_date=vals[3], tardiness_cost=vals[4],
                            mpm_time=vals[5])

    prec = [ln.split() for ln in section("PRECEDENCE RELATIONS") if ln.strip()[:1].isdigit()]
    if len(prec) != n:
        _fail(name, f"PRECEDENCE RELATIONS lists {len(prec)} jobs but the header says {n}")
    succ: list[list[int]] = [[] for _ in range(n)]
    for row in prec:
        vals = _ints(row, name, "PRECEDENCE RELATIONS")
        job, modes, count, rest = vals[0], vals[1], vals[2], vals[3:]
        if not 1 <= job <= n:
            _fail(name, f"job number {job} outside 1..{n} in PRECEDENCE RELATIONS")
        if modes != 1:
            _fail(name, f"job {job} has {modes} modes",
                  "only single-mode (.sm) instances are supported; use one mode per job")
        if len(rest) != count:
            _fail(name, f"job {job} declares {count} successors but lists {len(rest)}")
        bad = [s for s in rest if not 1 <= s <= n]
        if bad:
            _fail(name, f"job {job} names unknown successor(s) {bad}")
        succ[job - 1] = [s - 1 for s in rest]

    req_lines = section("REQUESTS/DURATIONS")
    head = next((ln for ln in req_lines if ln.strip().lower().startswith("jobnr")), None)
    if head is None:
        _fail(name, "REQUESTS/DURATIONS has no 'jobnr. mode duration ...' header line")
    res_labels = re.findall(r"([RNDrnd])\s*(\d+)", head.split("duration", 1)[-1])
    rows = [ln.split() for ln in req_lines if ln.strip()[:1].isdigit()]
    if len(rows) != n:
        _fail(name, f"REQUESTS/DURATIONS lists {len(rows)} jobs but the header says {n}")
    k = len(res_labels)
    duration = np.zeros(n, dtype=np.int64)
    usage = np.zeros((n, k), dtype=np.int64)
    for row in rows:
        vals = _ints(row, name, "REQUESTS/DURATIONS")
        if len(vals) != 3 + k:
            _fail(name, f"job row {' '.join(row)!r} has {len(vals)} numbers, expected {3 + k}")
        job = vals[0]
        if not 1 <= job <= n:
            _fail(name, f"job number {job} outside 1..{n} in REQUESTS/DURATIONS")
        duration[job - 1] = vals[2]
        usage[job - 1] = vals[3:]

    avail = [ln for ln in section("RESOURCEAVAILABILITIES") if ln.strip()]
    if len(avail) < 2:
        _fail(name, "RESOURCEAVAILABILITIES has no values line")
    caps = _ints(avail[1].split(), name, "RESOURCEAVAILABILITIES")
    if len(caps) != k:
        _fail(name, f"RESOURCEAVAILABILITIES gives {len(caps)} values for {k} resources")
    names = [f"{kind.upper()}{num}" for kind, num in res_labels]
    renewable = [i for i, (kind, _) in enumerate(res_labels) if kind.upper() == "R"]
    other = [i for i in range(k) if i not in renewable]
    nonren = pd.DataFrame({
        "id": [names[i] for i in other],
        "capacity": [caps[i] for i in other],
        "kind": ["nonrenewable" if names[i][0] == "N" else "doubly constrained" for i in other],
        "demand": [usage[:, i].copy() for i in other],
    })
    return _build(name, duration, succ, usage[:, renewable],
                  np.asarray([caps[i] for i in renewable], dtype=np.int64),
                  [names[i] for i in renewable], nonren, settings)


def _parse_rcp(text: str, name: str) -> PsplibInstance:
    tokens = text.split()
    vals = _ints(tokens, name, "the file")
    if len(vals) < 2:
        _fail(name, "fewer than two numbers; expected 'jobs resources' on the first line",
              "check that it is a Patterson-format .rcp file")
    n, k = vals[0], vals[1]
    pos = 2
    if len(vals) < pos + k:
        _fail(name, "the capacities line is incomplete", "check that it is a Patterson-format .rcp file")
    caps = np.asarray(vals[pos:pos + k], dtype=np.int64)
    pos += k
    duration = np.zeros(n, dtype=np.int64)
    usage = np.zeros((n, k), dtype=np.int64)
    succ: list[list[int]] = [[] for _ in range(n)]
    for j in range(n):
        if len(vals) < pos + k + 2:
            _fail(name, f"the file ends inside job {j + 1} of {n}",
                  "check that it is a Patterson-format .rcp file")
        duration[j] = vals[pos]
        usage[j] = vals[pos + 1:pos + 1 + k]
        count = vals[pos + 1 + k]
        pos += k + 2
        rest = vals[pos:pos + count]
        if len(rest) != count:
            _fail(name, f"job {j + 1} declares {count} successors but the file ends early")
        bad = [s for s in rest if not 1 <= s <= n]
        if bad:
            _fail(name, f"job {j + 1} names unknown successor(s) {bad}")
        succ[j] = [s - 1 for s in rest]
        pos += count
    if pos != len(vals):
        _fail(name, f"{len(vals) - pos} numbers after the last job",
              "the first line must give the number of jobs including source and sink")
    return _build(name, duration, succ, usage, caps, [f"R{i + 1}" for i in range(k)],
                  pd.DataFrame(columns=["id", "capacity", "kind", "demand"]), {})


def _build(name, duration, succ, demand, capacity, names, nonren, settings) -> PsplibInstance:
    n = len(duration)
    if (duration < 0).any():
        bad = [str(j + 1) for j in np.flatnonzero(duration < 0)]
        _fail(name, f"negative duration for job(s) {', '.join(bad[:5])}")
    if (demand < 0).any() or (capacity < 0).any():
        _fail(name, "negative resource demand or capacity")
    ptr = np.zeros(n + 1, dtype=np.int64)
    ptr[1:] = np.cumsum([len(s) for s in succ])
    idx = np.asarray([s for row in succ for s in row], dtype=np.int64)
    return PsplibInstance(name=name, ids=np.asarray([str(j + 1) for j in range(n)], dtype=object),
                          duration=duration, succ_ptr=ptr, succ_idx=idx, demand=demand,
                          capacity=capacity, resource_names=list(names), nonrenewable=nonren,
                          settings=settings)


def parse_instance(text: str, name: str = "instance", fmt: str = "sm") -> PsplibInstance:
    """Parse the text of a ``.sm`` or ``.rcp`` file into a :class:`PsplibInstance`.

    Parameters
    ----------
    text : str
        File content.
    name : str
        Name used in error messages and as the instance name.
    fmt : {"sm", "rcp"}
        PSPLIB single-mode format or Patterson format.

    Raises
    ------
    FileFormatError
        When the content is malformed (the message names the section and the job).
    """
    from tpmkit.errors import check_option

    fmt = check_option(fmt, _FORMATS, "PSPLIB format")
    return _parse_sm(text, name) if fmt == "sm" else _parse_rcp(text, name)


def _read_text(path: str | os.PathLike) -> tuple[str, str, str]:
    p = Path(path)
    fmt = p.suffix.lower().lstrip(".")
    if fmt not in _FORMATS:
        raise InputFileError(f"{str(p)!r} is not a PSPLIB file (suffix {p.suffix!r}); "
                             "use a single-mode .sm or a Patterson .rcp file")
    try:
        text = p.read_text(encoding="latin-1")
    except FileNotFoundError as exc:
        raise InputFileError(f"file {str(p)!r} not found; check the path") from exc
    except OSError as exc:
        raise InputFileError(f"cannot read {str(p)!r}: {exc.strerror or exc}; "
                             "check the path and permissions") from exc
    return text, p.stem, fmt


def load_instance(path: str | os.PathLike) -> PsplibInstance:
    """Read a PSPLIB ``.sm`` or Patterson ``.rcp`` file into arrays.

    Parameters
    ----------
    path : path-like
        The instance file; the suffix selects the format.

    Returns
    -------
    PsplibInstance
    """
    text, stem, fmt = _read_text(path)
    return parse_instance(text, name=stem, fmt=fmt)


def read_psplib(path: str | os.PathLike) -> dict:
    """Read a PSPLIB ``.sm`` or Patterson ``.rcp`` file into tpmkit's table schema.

    Parameters
    ----------
    path : path-like
        The instance file; the suffix selects the format.

    Returns
    -------
    dict
        ``tasks``: DataFrame with ``id`` (job number as str), ``duration`` [periods],
        ``predecessors`` (``"2; 5"``, finish-to-start) and ``resources``
        (``"R1:3; R2:1"``, zero demands omitted); ``resources``: DataFrame with ``id``,
        ``capacity`` [units per period] and ``kind`` (``renewable``; non-renewable
        resources of an ``.sm`` file are listed but do not constrain a single-mode
        schedule); ``project``: settings (``name`` and the header values).
    """
    return instance_tables(load_instance(path))


def instance_tables(inst: PsplibInstance) -> dict:
    """Convert a :class:`PsplibInstance` into the ``tasks``/``resources``/``project`` dict."""
    preds = inst.predecessors()
    res = []
    for j in range(inst.n):
        parts = [f"{r}:{int(u)}" for r, u in zip(inst.resource_names, inst.demand[j]) if u]
        res.append("; ".join(parts))
    tasks = pd.DataFrame({
        "id": [str(i) for i in inst.ids],
        "duration": inst.duration.astype(np.int64),
        "predecessors": ["; ".join(inst.ids[p] for p in row) for row in preds],
        "resources": res,
    })
    resources = pd.DataFrame({"id": inst.resource_names,
                              "capacity": inst.capacity.astype(np.int64),
                              "kind": "renewable"})
    if len(inst.nonrenewable):
        resources = pd.concat([resources, inst.nonrenewable[["id", "capacity", "kind"]]],
                              ignore_index=True)
    project = {"name": inst.name, **inst.settings}
    links = pd.DataFrame({"predecessor": [inst.ids[p] for row in preds for p in row],
                          "successor": [inst.ids[j] for j, row in enumerate(preds) for _ in row],
                          "type": "FS", "lag": 0.0, "lag_percent": 0.0})
    return {"tasks": tasks, "links": links, "resources": resources, "project": project}


def read_parts(path: str | os.PathLike, **settings: object) -> dict:
    """Reader protocol of :func:`tpmkit.read`: the parts of a PSPLIB/Patterson file.

    Parameters
    ----------
    path : path-like
        A ``.sm`` or ``.rcp`` file.
    **settings
        Accepted for the front door's protocol (applied by the model).

    Returns
    -------
    dict
        ``tasks``, ``resources`` and ``project`` as :func:`read_psplib` gives them.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "tiny.rcp"
    >>> _ = f.write_text("3 1\\n4\\n0 0 1 2\\n5 3 1 3\\n0 0 0\\n")
    >>> parts = read_parts(f)
    >>> parts["tasks"][["id", "duration", "predecessors", "resources"]].to_dict("records")[1]
    {'id': '2', 'duration': 5, 'predecessors': '1', 'resources': 'R1:3'}
    >>> parts["resources"].to_dict("records")
    [{'id': 'R1', 'capacity': 4, 'kind': 'renewable'}]
    """
    return read_psplib(path)
