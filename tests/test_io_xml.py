"""Safety and helpers of the interop readers (``tpmkit.io._xml``).

XML bombs ("billion laughs"), external entities, oversize and malformed files are
rejected with a clear :class:`FileFormatError`/:class:`InputFileError` by every XML reader;
:class:`WorkTime` converts stored date-times into working-day offsets; ``link_text``
writes links that the task-table parser reads back unchanged.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tpmkit.errors import FileFormatError, InputFileError
from tpmkit.io import gan, mspdi, planner
from tpmkit.io._xml import WorkTime, format_number, link_text, parse_xml, safe_ids
from tpmkit.model import parse_link

BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<{root}><Name>&lol9;</Name></{root}>
"""
XXE = """<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<{root}><Name>&xxe;</Name></{root}>
"""
READERS = [(mspdi, "plan.xml", "Project"), (gan, "plan.gan", "project"),
           (planner, "plan.planner", "project")]


@pytest.mark.parametrize(("module", "fname", "root"), READERS)
def test_xml_bomb_is_rejected_by_every_reader(tmp_path, module, fname, root):
    path = tmp_path / fname
    path.write_text(BOMB.format(root=root))
    with pytest.raises(FileFormatError, match=r"plan\.\w+: refused to import: .*declares XML "
                                              r"entities \('lol'\).*XML bomb"):
        module.read_parts(path)


@pytest.mark.parametrize(("module", "fname", "root"), READERS)
def test_external_entity_is_rejected_by_every_reader(tmp_path, module, fname, root):
    path = tmp_path / fname
    path.write_text(XXE.format(root=root))
    with pytest.raises(FileFormatError, match=r"external entity \('xxe' → 'file:///etc/passwd'\)"):
        module.read_parts(path)


def test_external_dtd_is_not_fetched(tmp_path):
    # an external DTD reference is never loaded: parsing succeeds offline with the content
    path = tmp_path / "p.xml"
    path.write_text('<?xml version="1.0"?><!DOCTYPE Project SYSTEM "http://example.invalid/x.dtd">'
                    '<Project><Name>x</Name></Project>')
    assert parse_xml(path).find("Name").text == "x"


def test_size_limit(tmp_path):
    path = tmp_path / "big.xml"
    path.write_text("<Project>" + " " * 5000 + "</Project>")
    with pytest.raises(InputFileError, match=r"big\.xml.*5,019 bytes, above the import limit "
                                             r"of 1,000 bytes.*max_bytes"):
        mspdi.read_parts(path, max_bytes=1000)
    assert mspdi.read_parts(path, max_bytes=10_000)["tasks"].empty


def test_malformed_xml_names_line_and_column(tmp_path):
    path = tmp_path / "broken.xml"
    path.write_text("<Project>\n<Tasks>\n<Task><UID>1</Task>\n</Tasks></Project>")
    with pytest.raises(FileFormatError, match=r"broken\.xml: not well-formed XML at line 3, "
                                              r"column \d+.*export it again"):
        mspdi.read_parts(path)


def test_missing_file():
    with pytest.raises(InputFileError, match="does not exist"):
        parse_xml("/nonexistent/plan.xml")


def test_worktime_offsets_with_lunch_break_and_holiday():
    wt = WorkTime([True] * 5 + [False] * 2, ["2024-01-10"],
                  [[(480, 720), (780, 1020)]] * 5 + [[], []])
    start = pd.Timestamp("2024-01-08")  # Monday
    got = wt.offsets(pd.to_datetime(["2024-01-08 08:00", "2024-01-08 12:30", "2024-01-08 15:00",
                                     "2024-01-09 17:00", "2024-01-11 08:00", "2024-01-13 10:00",
                                     None]), start)
    # 12:30 is in the lunch break: 4 of 8 hours done; 15:00 → 6/8; the 10th is a holiday;
    # Saturday counts as the end of Friday
    np.testing.assert_allclose(got[:6], [0.0, 0.5, 0.75, 2.0, 2.0, 4.0])
    assert np.isnan(got[6])
    assert wt.minutes_per_day() == 480.0
    assert list(wt.dates([0, 1, 2, 3], start).date.astype(str)) == [
        "2024-01-08", "2024-01-09", "2024-01-11", "2024-01-12"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 400), min_size=1, max_size=20),
       st.sampled_from([[True] * 5 + [False] * 2, [True] * 6 + [False], [True] * 7]))
def test_worktime_whole_days_match_busday_count(days, weekmask):
    """Offsets of 08:00 on working days equal numpy's business-day count (property)."""
    wt = WorkTime(weekmask, [])
    start = pd.Timestamp("2023-01-02")
    dates = wt.dates(days, start)
    got = wt.offsets(dates + pd.Timedelta(hours=8), start)
    np.testing.assert_array_equal(got, np.asarray(days, dtype=float))


@settings(max_examples=80, deadline=None)
@given(st.from_regex(r"[A-Za-z][A-Za-z0-9_]{0,6}", fullmatch=True),
       st.sampled_from(["FS", "SS", "FF", "SF"]),
       st.one_of(st.just(0.0), st.integers(-20, 20).map(float),
                 st.floats(-10, 10, allow_nan=False).map(lambda x: round(x, 4))),
       st.one_of(st.just(0.0), st.integers(-100, 200).map(lambda p: p / 100)))
def test_link_text_round_trips_through_the_task_table_parser(pid, kind, lag, pct):
    """What the readers write in ``predecessors`` parses back to the same link (property)."""
    text = link_text(pid, kind, lag, pct)
    got = parse_link(text)
    assert got[0] == pid and got[1] == kind
    if pct:
        assert got[2] == 0.0 and got[3] == pytest.approx(pct, abs=1e-12)
    else:
        assert got[2] == pytest.approx(lag, abs=1e-9) and got[3] == 0.0


def test_safe_ids_and_format_number():
    ids, warns = safe_ids(["A 1", "A_1", "ok", "ok"])
    assert ids == ["A_1", "A_1_2", "ok", "ok_2"]
    assert "A 1" in warns[0] and "not unique" in warns[1]
    ids, warns = safe_ids(["Resource One"], "resource")
    assert ids == ["Resource_One"] and warns == []
    assert format_number(4800 / 4800) == "1" and format_number(-0.25) == "-0.25"
