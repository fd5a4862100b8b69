"""Nothing lost: atomic writes (killed, disk full, read-only folder), inputs never
overwritten, and write → read round trips that keep every part a format can hold while the
writer names, in one warning line, every part it cannot (``convert --strict`` refuses)."""

from __future__ import annotations

import builtins
import errno
import io
import json
import os
import signal
import subprocess
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tpmkit
from tpmkit._files import TEMP_TAG, atomic_path, stale_temporaries, write_text_atomic
from tpmkit.cli import main
from tpmkit.errors import InputFileError, OutputFileError, TpmkitWarning
from tpmkit.io import losses
from tpmkit.io.tables import project_to_dict
from tpmkit.risk.register import normalize_register

WORKTREE = Path(__file__).resolve().parents[1]
FORMATS = [".csv", ".tsv", ".xlsx", ".yaml", ".json", ".xml"]


def _env() -> dict:
    return {**os.environ, "PYTHONPATH": str(WORKTREE)}


# --------------------------------------------------------------------------------------
# atomic writes
# --------------------------------------------------------------------------------------
_BIG_WRITE = """
import sys, pandas as pd, tpmkit
n = 20000
t = pd.DataFrame({"id": [f"T{k}" for k in range(n)], "name": ["a task name " * 4] * n,
                  "duration": [1 + k % 7 for k in range(n)],
                  "predecessors": [""] + [f"T{k}" for k in range(n - 1)]})
p = tpmkit.read(t, start="2027-01-04")
print("ready", flush=True)
tpmkit.io.write(p, sys.argv[1])
print("done", flush=True)
"""


def _temporaries(target: Path) -> list[Path]:
    return sorted(target.parent.glob(f".{target.name}{TEMP_TAG}*"))


def test_a_killed_write_leaves_the_old_file_and_the_next_write_removes_its_temporary(tmp_path):
    """SIGKILL while a large YAML file streams into its temporary file: the old file is
    intact; the orphaned temporary is stale (its process is gone) and the next write of the
    same target removes it."""
    target = tmp_path / "plan.yaml"
    target.write_text("tasks:\n  - {id: OLD, duration: 1}\n")
    with subprocess.Popen([sys.executable, "-c", _BIG_WRITE, str(target)], env=_env(),
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as proc:
        ready = proc.stdout.readline().strip()
        deadline = time.monotonic() + 120
        partial: list[Path] = []
        while ready == "ready" and time.monotonic() < deadline:
            # wait until the dump is under way: bytes of the new file on disk
            partial = [p for p in _temporaries(target) if p.stat().st_size > 0]
            if partial or proc.poll() is not None:
                break
            time.sleep(0.005)
        os.kill(proc.pid, signal.SIGKILL)
        err = proc.communicate()[1]
    assert ready == "ready", err
    assert proc.returncode == -signal.SIGKILL, "the writer finished before it was killed"
    assert partial, "no partial temporary file was seen"
    assert target.read_text() == "tasks:\n  - {id: OLD, duration: 1}\n"
    left = _temporaries(target)
    assert left and left[0].stat().st_size > 0          # a partial file, never renamed
    assert stale_temporaries(target) == left           # its writer no longer runs
    assert tpmkit.read(target).ids == ["OLD"]           # the reader sees the old file
    p = tpmkit.read(pd.DataFrame({"id": ["NEW"], "duration": [2]}))
    tpmkit.io.write(p, target)
    assert tpmkit.read(target).ids == ["NEW"] and _temporaries(target) == []


def test_a_running_writers_temporary_is_not_stale(tmp_path):
    target = tmp_path / "out.csv"
    with atomic_path(target) as tmp:
        tmp.write_text("x\n")
        # our own process runs: never removed by a concurrent write of the same target
        assert stale_temporaries(target) == []
    assert target.read_text() == "x\n" and _temporaries(target) == []


class _FullDisk:
    """Files opened for writing whose name marks a tpmkit temporary fail like a full disk:
    the first ``room`` bytes are written, then ``OSError(ENOSPC)``."""

    def __init__(self, room: int = 1000):
        self.room, self.hits = room, 0
        self.real = builtins.open

    def __call__(self, file, mode="r", *args, **kwargs):
        fh = self.real(file, mode, *args, **kwargs)
        is_temporary = isinstance(file, str | os.PathLike) and TEMP_TAG in os.fspath(file)
        if not is_temporary or not any(c in mode for c in "wax"):
            return fh
        self.hits += 1
        room, write = [self.room], fh.write

        def limited(data):
            if len(data) > room[0]:
                write(data[:room[0]])
                room[0] = 0
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            room[0] -= len(data)
            return write(data)

        fh.write = limited
        return fh


@pytest.mark.parametrize("suffix", FORMATS)
def test_disk_full_names_the_target_and_keeps_the_old_file(tmp_path, monkeypatch, suffix):
    p = tpmkit.datasets.load("software_release")
    target = tmp_path / f"plan{suffix}"
    target.write_bytes(b"OLD")
    full = _FullDisk()
    monkeypatch.setattr(builtins, "open", full)
    monkeypatch.setattr(io, "open", full)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TpmkitWarning)  # the parts CSV and MSPDI drop
        with pytest.raises(OutputFileError, match=rf"cannot write '{target}': the disk is full; "
                                                  "free some space"):
            tpmkit.write(p, target)
    assert full.hits >= 1
    assert target.read_bytes() == b"OLD" and _temporaries(target) == []


def test_dev_full_is_a_clean_error_on_the_command_line(capsys):
    """/dev/full (a real ENOSPC from the kernel) is a stream: written directly, and the
    failure is one line naming it, exit status 2."""
    with pytest.raises(OutputFileError, match="cannot write '/dev/full': the disk is full"):
        write_text_atomic("/dev/full", "x" * 100_000)
    assert main(["schedule", "sample:software_release", "--csv", "/dev/full"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot write '/dev/full': the disk is full" in err


def test_read_only_folder_is_a_clean_error_and_leaves_no_file(tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    out = ro / "plan.csv"
    # root ignores permissions: as root, the command runs without capabilities (setpriv)
    prefix = ["setpriv", "--inh-caps=-all", "--bounding-set=-all", "--"] if os.geteuid() == 0 \
        else []
    try:
        run = subprocess.run([*prefix, sys.executable, "-m", "tpmkit", "convert",
                              "sample:software_release", str(out)], env=_env(),
                             capture_output=True, text=True, timeout=300)
    finally:
        ro.chmod(0o755)
    assert run.returncode == 2, run.stderr
    lines = [x for x in run.stderr.splitlines() if "error" in x]
    assert lines == [f"tpmkit convert: error: cannot write '{out}': permission denied in "
                     f"the folder '{ro}'; choose a folder you can write to, or change its "
                     "permissions (nothing was written)"], run.stderr
    assert "Traceback" not in run.stderr and list(ro.iterdir()) == []


def test_an_input_is_never_overwritten_through_links_or_other_spellings(tmp_path, capsys):
    src = tmp_path / "plan.yaml"
    src.write_text("tasks:\n  - {id: A, duration: 2}\n")
    before = src.read_bytes()
    (tmp_path / "link.yaml").symlink_to(src)
    os.link(src, tmp_path / "hard.yaml")  # one inode, two names: as on a case-insensitive disk
    (tmp_path / "sub").mkdir()
    for out in ("link.yaml", "hard.yaml", "sub/../plan.yaml", "./plan.yaml"):
        assert main(["convert", str(src), str(tmp_path / out)]) == 2, out
        err = capsys.readouterr().err
        assert "refusing to overwrite the input file" in err and err.count("\n") == 1
        p = tpmkit.read(src)
        with pytest.raises(InputFileError, match="refusing to overwrite the input file"):
            tpmkit.write(p, tmp_path / out)
        with pytest.raises(InputFileError, match="refusing to overwrite the input file"):
            write_text_atomic(tmp_path / out, "x", inputs=(src,))
    assert src.read_bytes() == before and (tmp_path / "link.yaml").is_symlink()


def test_a_replaced_file_keeps_its_permissions(tmp_path):
    target = tmp_path / "plan.csv"
    target.write_text("old\n")
    target.chmod(0o640)
    write_text_atomic(target, "new\n")
    assert target.read_text() == "new\n" and (target.stat().st_mode & 0o777) == 0o640
    fresh = write_text_atomic(tmp_path / "fresh.csv", "x\n")
    umask = os.umask(0)
    os.umask(umask)
    assert fresh.stat().st_mode & 0o777 == 0o666 & ~umask


def test_a_symlinked_output_is_written_through_the_link(tmp_path):
    real = tmp_path / "real.json"
    real.write_text("{}")
    link = tmp_path / "out.json"
    link.symlink_to(real)
    p = tpmkit.read(pd.DataFrame({"id": ["A"], "duration": [2]}))
    tpmkit.write(p, link)
    assert link.is_symlink() and tpmkit.read(real).ids == ["A"]
    assert _temporaries(real) == [] and _temporaries(link) == []


# --------------------------------------------------------------------------------------
# round trips
# --------------------------------------------------------------------------------------
def rich_project() -> tpmkit.Project:
    """The tracked sample (progress, baselines, costs, resources, risks, periods, WBS
    dictionary, status date, deadline, currency, BAC, holidays) plus every link type, a
    percent lag and constraints."""
    data = project_to_dict(tpmkit.datasets.load("software_release_tracking"))
    data["project"]["calendar"]["holidays"].append("2027-08-16")
    data["tasks"] += [
        {"id": "X1", "name": "Docs", "duration": 4, "predecessors": "CL2 SF+2"},
        {"id": "X2", "name": "Audit", "duration": 3, "predecessors": "X1 SS+50%",
         "constraint": "SNET", "constraint_date": "2027-09-01"},
        {"id": "X3", "name": "Sign-off", "duration": 0, "predecessors": "X2 FF-1",
         "constraint": "FNLT", "constraint_date": "2027-12-01"},
    ]
    return tpmkit.read(data)


@pytest.fixture(scope="module")
def rich():
    return rich_project()


def _same(a: pd.Series, b: pd.Series) -> bool:
    b = b.reindex(a.index)
    if pd.api.types.is_datetime64_any_dtype(a):
        return bool(((a.dt.normalize() == pd.to_datetime(b).dt.normalize()) | (a.isna() & b.isna())).all())
    if pd.api.types.is_numeric_dtype(a) and b.dtype == object:  # an Excel column of numbers
        b = pd.to_numeric(b, errors="coerce").where(b.notna())
    if pd.api.types.is_numeric_dtype(a) and pd.api.types.is_numeric_dtype(b):
        # durations are stored to the second in MSPDI: 1 s of an 8-hour day
        return bool(np.allclose(a.astype(float), b.astype(float), atol=1 / 28800, equal_nan=True))
    blank = lambda s: s.astype(object).where(s.notna(), "").astype(str)  # noqa: E731
    return bool((blank(a) == blank(b)).all())


def _frames_equal(a: pd.DataFrame | None, b: pd.DataFrame | None, key: str) -> bool:
    if b is None or len(a) != len(b):
        return False
    a, b = a.reset_index(drop=True), b.reset_index(drop=True)
    return all(c in b and _same(a[c], b[c]) for c in a.columns)


def _meaning(cal) -> tuple:
    """What a calendar schedules with: an unset ``hours_per_day`` is its mean working day, the
    same as that value set (MS Project files always state it)."""
    return cal.weekmask, cal.holidays, cal.working_times, cal.minutes_per_day


def differences(p: tpmkit.Project, q: tpmkit.Project) -> set[str]:
    """The parts of ``p`` (keys of ``held_parts``) that ``q`` does not hold the same."""
    from tpmkit.io._fidelity import held_parts

    out = set()
    pt, qt = p.tasks, q.tasks
    for key in held_parts(p):
        kind, _, col = key.partition(":")
        if kind == "task":
            a = pt[col]
            if col == "remaining_duration":  # blank = duration × (1 − percent complete)
                a = a.fillna(pt["duration"] * (1 - pt["percent_complete"].fillna(0) / 100))
            if col == "percent_complete":  # blank = not started
                a = a.fillna(0.0)
            if col == "predecessors":  # the links, not their spelling ("SS+3" or "SS+3d")
                cols = ["predecessor", "successor", "type", "lag", "lag_percent"]
                same = p.links[cols].equals(q.links[cols])
            else:
                same = col in qt and _same(a, qt[col].fillna(0.0) if col == "percent_complete"
                                           else qt[col])
        elif kind == "setting":
            same = q.settings.get(col) == p.settings[col]
        elif key == "deadline":
            same = q.deadline is not None and q.deadline_offset == p.deadline_offset
        elif key == "workweek":
            same = q.calendar.weekmask == p.calendar.weekmask
        elif key == "holidays":
            same = list(q.calendar.holidays) == list(p.calendar.holidays)
        elif key == "risks":
            same = q.risks is not None and normalize_register(q.risks).equals(
                normalize_register(p.risks))
        elif key in ("resources", "periods", "wbs"):
            same = _frames_equal(getattr(p, key), getattr(q, key), key)
        elif key == "mixed_lags":
            same = p.links[["lag", "lag_percent"]].equals(q.links[["lag", "lag_percent"]])
        elif key == "working_times":
            same = _meaning(q.calendar) == _meaning(p.calendar)
        elif key == "calendars":
            same = {k: _meaning(c) for k, c in q.calendars.items()} == {
                k: _meaning(c) for k, c in p.calendars.items()}
        else:
            same = getattr(q, key) == getattr(p, key)
        if not same:
            out.add(key)
    return out


_SCHEDULE = ["early_start", "early_finish", "late_start", "late_finish", "total_float",
             "free_float", "forecast_start", "forecast_finish"]


@pytest.mark.parametrize("suffix", FORMATS)
def test_round_trip_keeps_what_the_format_holds_and_names_the_rest(rich, tmp_path, suffix):
    out = tmp_path / f"plan{suffix}"
    lost = losses(rich, out)
    if lost:
        with pytest.warns(TpmkitWarning) as caught:
            tpmkit.write(rich, out)
        lines = [str(w.message) for w in caught]
        assert len(lines) == 1 and lines[0].startswith(f"plan{suffix}: ")
    else:
        tpmkit.write(rich, out)  # no warning at all (warnings are errors in the test suite)
    given: dict = {}
    if suffix in (".csv", ".tsv"):  # a task table needs its start (constraint dates) again
        given = {"start": rich.start, "status_date": rich.status_date, "calendar": rich.calendar,
                 "deadline": rich.deadline}
    q = tpmkit.read(out, **given)
    # named ⇔ really dropped (less what was given back on reading)
    assert differences(rich, q) == set(lost) - {"start", "status_date", "holidays", "deadline"} \
        if given else differences(rich, q) == set(lost)
    assert list(q.tasks.index) == list(rich.tasks.index)
    cols = ["predecessor", "successor", "type", "lag", "lag_percent"]
    pd.testing.assert_frame_equal(q.links[cols], rich.links[cols])
    a, b = tpmkit.schedule(rich).table, tpmkit.schedule(q).table
    np.testing.assert_allclose(b[_SCHEDULE].to_numpy(float), a[_SCHEDULE].to_numpy(float),
                               atol=1e-9)
    assert tpmkit.schedule(q).finish_date == tpmkit.schedule(rich).finish_date


WEEK = ["Mon", "Tue", "Wed", "Thu", "Fri"]


def calendared_project(hours_4x10: float = 10) -> tpmkit.Project:
    """Working hours 07:00–11:00, 11:30–15:30 on the project calendar and two task calendars
    (a 7-day one with a holiday and its own hours, a 4-day week of 10 hours whose day of
    duration is ``hours_4x10`` hours)."""
    t = pd.DataFrame({"id": ["A", "B", "C", "D"], "duration": [3.5, 2, 4, 0],
                      "predecessors": ["", "A", "A FS+1", "B;C"],
                      "calendar": ["", "site", "4x10", ""]})
    return tpmkit.read(
        t, start="2027-01-04",
        calendar={"workweek": WEEK, "holidays": ["2027-01-15"],
                  "working_times": {d: ["07:00-11:00", "11:30-15:30"] for d in WEEK}},
        calendars={"site": {"workweek": [*WEEK, "Sat", "Sun"], "holidays": ["2027-01-09"],
                            "working_times": {d: ["06:00-14:00"] for d in [*WEEK, "Sat", "Sun"]}},
                   "4x10": {"workweek": WEEK[:4], "hours_per_day": hours_4x10,
                            "working_times": {d: ["07:00-12:00", "12:30-17:30"]
                                              for d in WEEK[:4]}}})


def _read_calendared(path: Path) -> tpmkit.Project:
    """Read a plan with task calendars (the MSPDI reader's note on them is expected)."""
    if path.suffix != ".xml":
        return tpmkit.read(path)
    with pytest.warns(TpmkitWarning, match="they are scheduled on their calendars"):
        return tpmkit.read(path)


@pytest.mark.parametrize("suffix", FORMATS)
def test_round_trip_keeps_working_hours_and_task_calendars(tmp_path, suffix):
    """YAML, JSON, XLSX and MS Project XML keep the project calendar's hours and the task
    calendars (the same schedule, dates with times, read back); CSV names them as lost.
    MS Project counts a day of duration as the project's working day (``MinutesPerDay``)
    on every calendar, so the MS Project plan's 4x10 calendar counts 8-hour days (a
    calendar with a day of its own is named as lost: the next test)."""
    p = calendared_project(8 if suffix == ".xml" else 10)
    out = tmp_path / f"plan{suffix}"
    lost = losses(p, out)
    if suffix in (".yaml", ".json", ".xlsx", ".xml"):
        assert lost == []
        tpmkit.write(p, out)
    else:
        assert {"working_times", "calendars"} <= set(lost)
        with pytest.warns(TpmkitWarning, match="working hours of the project calendar, task "
                                               "calendars"):
            tpmkit.write(p, out)
    if suffix in (".csv", ".tsv"):  # the calendar column names calendars the file lacks
        given = {"start": p.start, "calendar": p.calendar.to_dict()}
        with pytest.raises(tpmkit.errors.ValidationError, match="unknown calendar"):
            tpmkit.read(out, **given)
        q = tpmkit.read(out, calendars={k: c.to_dict() for k, c in p.calendars.items()}, **given)
        assert differences(p, q) == set()  # everything back once given again
        return
    q = _read_calendared(out)
    assert differences(p, q) == set(lost)
    if not lost:
        a, b = tpmkit.schedule(p).table, tpmkit.schedule(q).table
        for c in ("early_start_date", "early_finish_date", "late_finish_date"):
            assert (a[c] == b[c]).all(), c
        assert (a["early_finish_date"].dt.hour > 0).all()  # times of day, not only dates


def test_mspdi_names_a_task_calendar_with_a_day_of_its_own(tmp_path):
    """The 4x10 calendar counts 10 hours as a day of duration; an MS Project file counts the
    project calendar's 8 hours on every calendar, so the writer names the task calendars as
    lost and keeps the rest (the project calendar's hours, the other calendar)."""
    p = calendared_project()
    assert losses(p, "plan.xml") == ["calendars"]
    with pytest.warns(TpmkitWarning, match=r"plan\.xml: MS Project XML cannot hold the task "
                                           "calendars;"):
        tpmkit.write(p, tmp_path / "plan.xml")
    q = _read_calendared(tmp_path / "plan.xml")
    assert differences(p, q) == {"calendars"}
    assert q.calendars["4x10"].minutes_per_day == 480 and q.calendars["4x10"].working_times == \
        p.calendars["4x10"].working_times


def test_excel_calendar_cell_that_is_not_json_is_one_line(tmp_path):
    pytest.importorskip("openpyxl")
    f = tmp_path / "p.xlsx"
    with pd.ExcelWriter(f) as xw:
        pd.DataFrame({"id": ["A"], "duration": [3]}).to_excel(xw, sheet_name="tasks", index=False)
        pd.DataFrame({"key": ["start", "calendars"],
                      "value": ["2027-01-04", '{"site": {"workweek": [Mon}']}).to_excel(
            xw, sheet_name="project", index=False)
    with pytest.raises(tpmkit.errors.FileFormatError,
                       match=r"p\.xlsx.*project setting 'calendars' is not a JSON object"):
        tpmkit.read(f)


def test_each_format_names_its_losses(rich):
    """The table of what each writable format drops from the rich project (docs/…)."""
    got = {s: losses(rich, f"plan{s}") for s in FORMATS}
    project_level = ["name", "start", "status_date", "deadline", "bac", "currency", "holidays",
                     "setting:description", "risks", "resources", "periods", "wbs"]
    assert got[".csv"] == got[".tsv"] == project_level
    assert got[".yaml"] == got[".json"] == got[".xlsx"] == []
    assert got[".xml"] == ["setting:description", "risks", "periods", "wbs", "task:rate",
                           "task:etc", "task:optimistic", "task:most_likely",
                           "task:pessimistic"]


def test_csv_under_strict_refuses_and_without_it_names_the_losses(tmp_path, capsys):
    """The issue's case: a CSV export dropped the project start, status date, deadline,
    currency, BAC, holidays, risks, resources, periods and WBS dictionary with exit 0."""
    src = tmp_path / "rich.yaml"
    tpmkit.write(rich_project(), src)
    out = tmp_path / "rich.csv"
    assert main(["convert", str(src), str(out), "--strict"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and not out.exists() and _temporaries(out) == []
    assert ("the export would lose data: rich.csv: CSV task table cannot hold the project name, "
            "project start, status date, deadline, BAC, currency, holidays, project setting "
            "'description', risk register, resource table, EVM periods, WBS dictionary") in err
    assert main(["convert", str(src), str(out), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert len(report["warnings"]) == 1 and "holidays" in report["warnings"][0]
    # YAML keeps everything: --strict passes
    assert main(["convert", str(src), str(tmp_path / "again.yaml"), "--strict"]) == 0
    assert tpmkit.read(tmp_path / "again.yaml") == tpmkit.read(src)


def test_mspdi_keeps_resource_names_ids_deadline_and_bac(rich, tmp_path):
    with pytest.warns(TpmkitWarning, match="MS Project XML cannot hold"):
        path = tpmkit.write(rich, tmp_path / "p.xml")
    text = path.read_text(encoding="utf-8")
    names = rich.resources.set_index("id")["name"]
    for rid, name in names.items():
        assert f"<Name>{name}</Name>" in text and f"<Value>{rid}</Value>" in text
    assert "<Deadline>2027-05-14T17:00:00</Deadline>" in text
    assert "<Baseline><Number>0</Number><Cost>246850</Cost></Baseline>" in text
    q = tpmkit.read(path)
    assert q.deadline == rich.deadline and q.bac == rich.bac
    assert q.resources.set_index("id")["name"].equals(names)
    assert q.assignments.equals(rich.assignments)


ids = st.lists(st.from_regex(r"[A-Z][a-z0-9]{0,3}", fullmatch=True), min_size=1, max_size=7,
               unique=True)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ids, st.data(), st.sampled_from(FORMATS))
def test_round_trip_property_random_projects(tmp_path, names, data, suffix):
    """Random projects (all link types, day and percent lags, constraints, holidays, work
    weeks, progress, optional settings and parts): in every format the parts that differ
    after write → read are exactly the parts the writer named, and the schedule is equal."""
    rows = []
    for k, tid in enumerate(names):
        links = []
        for p in data.draw(st.lists(st.sampled_from(names[:k]), unique=True, max_size=2)) if k else []:
            kind = data.draw(st.sampled_from(["FS", "SS", "FF", "SF"]))
            links.append(f"{p} {kind}{data.draw(st.sampled_from(['', '+1', '-1', '+2.5', '+50%']))}")
        row = {"id": tid, "name": f"task {tid}", "duration": data.draw(st.integers(0, 9)),
               "predecessors": "; ".join(links), "cost": data.draw(st.sampled_from([None, 100.0]))}
        con = data.draw(st.sampled_from([None, ("SNET", "2027-01-13"), ("FNLT", "2027-03-01")]))
        if con:
            row["constraint"], row["constraint_date"] = con
        if data.draw(st.booleans()):
            row.update(percent_complete=100, actual_start="2027-01-04", actual_finish="2027-01-04",
                       duration=0) if k == 0 else row.update(optimistic=1, most_likely=2,
                                                             pessimistic=4)
        rows.append(row)
    project = {"start": "2027-01-04",
               "calendar": {"workweek": data.draw(st.sampled_from(
                   [["Mon", "Tue", "Wed", "Thu", "Fri"], ["Mon", "Tue", "Wed", "Thu"]])),
                            "holidays": data.draw(st.lists(st.sampled_from(
                                ["2027-01-06", "2027-01-12", "2027-02-01"]), unique=True))}}
    for key, value in (("deadline", "2027-06-30"), ("currency", "EUR"), ("bac", 5000.0),
                       ("status_date", "2027-01-05"), ("description", "a plan")):
        if data.draw(st.booleans()):
            project[key] = value
    parts = {"tasks": pd.DataFrame(rows), "project": project}
    if data.draw(st.booleans()):
        parts["risks"] = pd.DataFrame({"id": ["R1"], "probability": [0.3], "tasks": [names[-1]],
                                       "impact_days": ["1, 2, 4"]})
    if data.draw(st.booleans()):
        parts["wbs"] = pd.DataFrame({"wbs": ["1"], "name": ["Everything"]})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TpmkitWarning)  # progress notes of random progress
        p = tpmkit.read(parts)
        out = tmp_path / f"rand{suffix}"
        out.unlink(missing_ok=True)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            tpmkit.write(p, out)
        lost = losses(p, out)
        assert len([w for w in caught if "cannot hold" in str(w.message)]) == (1 if lost else 0)
        given_back = {}
        if suffix in (".csv", ".tsv"):
            given_back = {"start": p.start, "status_date": p.status_date, "calendar": p.calendar,
                          "deadline": p.deadline}
        q = tpmkit.read(out, **given_back)
        sa, sb = tpmkit.schedule(p).table, tpmkit.schedule(q).table
    expected = set(lost) - ({"start", "status_date", "holidays", "workweek", "deadline"}
                            if given_back else set())
    assert differences(p, q) == expected
    cols = [c for c in _SCHEDULE if c in sa]  # forecast columns with a status date only
    np.testing.assert_allclose(sb[cols].to_numpy(float), sa[cols].to_numpy(float), atol=1e-9)


def test_excel_names_cells_it_would_truncate(tmp_path):
    p = tpmkit.read(pd.DataFrame({"id": ["A"], "duration": [1], "name": ["x" * 40_000]}))
    assert losses(p, "plan.xlsx") == ["long_cells"] and losses(p, "plan.yaml") == []
    with pytest.warns(UserWarning) as caught:
        tpmkit.write(p, tmp_path / "plan.xlsx")
    assert any("plan.xlsx: Excel workbook cannot hold the text over 32,767 characters in a cell"
               in str(w.message) for w in caught)
    assert len(tpmkit.read(tmp_path / "plan.xlsx").tasks.loc["A", "name"]) == 32_767


def test_excel_names_a_calendars_cell_it_would_truncate():
    """Task calendars with thousands of holidays do not fit the one ``calendars`` cell."""
    hol = [str(d.date()) for d in pd.date_range("2027-01-01", periods=3000, freq="D")]
    t = pd.DataFrame({"id": ["A"], "duration": [2], "calendar": ["c0"]})
    p = tpmkit.read(t, start="2027-01-04",
                    calendars={f"c{k}": {"holidays": hol} for k in range(2)})
    assert losses(p, "plan.xlsx") == ["long_cells"] and losses(p, "plan.yaml") == []
    few = tpmkit.read(t, start="2027-01-04", calendars={"c0": {"holidays": hol[:10]}})
    assert losses(few, "plan.xlsx") == []


def test_excel_keeps_a_merge_whose_predecessor_list_exceeds_a_cell(tmp_path):
    """A milestone after 6,000 tasks: its predecessor list (> 32,767 characters) goes to a
    links sheet, so the workbook reads back with every link (it was truncated, which made
    a cut id like T564 of T5643 a duplicate link)."""
    n = 6000
    ids = [f"T{i}" for i in range(n)]
    t = pd.DataFrame({"id": ids, "duration": np.arange(n) % 5 + 1,
                      "predecessors": ["", *["T0"] * (n - 2), ";".join(ids[1:-1])]})
    t.loc[5, "predecessors"] = "T0 SS+2d"
    t.loc[6, "predecessors"] = "T0 FF+25%"
    p = tpmkit.read(t, start="2027-01-04")
    assert losses(p, "plan.xlsx") == []
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        tpmkit.write(p, tmp_path / "plan.xlsx")
    q = tpmkit.read(tmp_path / "plan.xlsx")
    cols = ["predecessor", "successor", "type", "lag", "lag_percent"]
    pd.testing.assert_frame_equal(q.links[cols], p.links[cols])
    def tokens(text):
        return [x.strip() for x in text.split(";")]

    assert tokens(q.tasks.loc[ids[-1], "predecessors"]) == tokens(p.tasks.loc[ids[-1],
                                                                              "predecessors"])
    a, b = tpmkit.schedule(p).table, tpmkit.schedule(q).table
    np.testing.assert_array_equal(b["early_finish"], a["early_finish"])
    # a workbook whose cells all fit has no links sheet (the task sheet is the one to edit)
    tpmkit.write(tpmkit.read(t.iloc[:100].assign(predecessors=""), start="2027-01-04"),
                 tmp_path / "small.xlsx")
    with pd.ExcelFile(tmp_path / "small.xlsx") as book:
        assert "links" not in book.sheet_names
