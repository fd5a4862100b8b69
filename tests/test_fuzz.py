"""Fuzzing suite (issue 21): mutated real files through every reader and the scheduler.

The corpus (``tests/fuzz/corpus.py``) starts from real files of each format in
``tests/data`` and the bundled sample, and mutates them deterministically: truncation, byte
flips, deleted and duplicated records, deleted fields, hostile numbers (1e308, NaN, inf,
negative), extreme dates, 200,000-character values, self-loops and SS/FF cycles, deep YAML
nesting, custom YAML tags and alias bombs, DOCTYPE / entity declarations, unknown
encodings, BOM / semicolon / CRLF / Latin-1 CSVs and damaged workbook parts. Each case runs
``tpmkit.read`` then ``tpmkit.schedule`` under a time limit; the only allowed outcomes are
a result or a one-line :class:`~tpmkit.errors.TpmkitError`.

``make test`` runs :data:`QUICK` cases per reader (seeded, well under a minute);
``pytest -m fuzz_long tests/test_fuzz.py`` runs :data:`LONG` per reader with other seeds.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings

import tpmkit
from tests.fuzz.corpus import SEEDS, cases
from tests.fuzz.runner import run_case
from tests.fuzz.strategies import near_valid_tables, task_tables
from tpmkit.errors import TpmkitError

QUICK = 25
LONG = 400
READERS = sorted(SEEDS)


@pytest.mark.parametrize("reader", READERS)
def test_fuzz_quick(tmp_path, reader):
    crashes = [c for c in (run_case(case, tmp_path) for case in cases(reader, QUICK)) if c]
    assert not crashes, f"{len(crashes)} of {QUICK} cases crashed:\n" + "\n".join(crashes)


@pytest.mark.fuzz_long
@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize("reader", READERS)
def test_fuzz_long(tmp_path, reader, seed):
    crashes = [c for c in (run_case(case, tmp_path) for case in cases(reader, LONG, seed)) if c]
    assert not crashes, f"{len(crashes)} of {LONG} cases crashed:\n" + "\n".join(crashes)


def test_corpus_is_deterministic():
    first = [(c.mutation, c.data) for c in cases("csv", 6, seed=3)]
    again = [(c.mutation, c.data) for c in cases("csv", 6, seed=3)]
    assert first == again
    assert len({d for _, d in first}) > 1  # the mutations do change the bytes


# -- hypothesis: random valid and near-valid task tables -----------------------------------
def _check_links(table, links) -> None:
    """Every link's PDM inequality holds in the computed schedule (FS: ES_s ≥ EF_p + lag …)."""
    es, ef = table["early_start"], table["early_finish"]
    for p, s, kind, lag in zip(links["predecessor"], links["successor"], links["type"],
                               links["effective_lag"]):
        frm = ef[p] if kind[0] == "F" else es[p]
        to = es[s] if kind[1] == "S" else ef[s]
        assert to >= frm + lag - 1e-9, (p, s, kind, lag)


@settings(max_examples=60, deadline=None)
@given(df=task_tables())
def test_valid_tables_schedule(df):
    project = tpmkit.read(df, start="2027-01-04")
    table = tpmkit.schedule(project).table
    dur = df.set_index("id")["duration"].astype(float)
    assert np.allclose(table["early_finish"] - table["early_start"], dur[table.index])
    assert (table["total_float"] >= -1e-9).all()
    links = project.links.copy()
    pdur = dur[links["predecessor"]].to_numpy()
    links["effective_lag"] = links["lag"].to_numpy() + links["lag_percent"].to_numpy() * pdur
    _check_links(table, links)


@settings(max_examples=80, deadline=None)
@given(df=near_valid_tables())
def test_near_valid_tables_schedule_or_fail_cleanly(df):
    try:
        tpmkit.schedule(tpmkit.read(df, start="2027-01-04"))
    except TpmkitError as exc:
        assert "\n" not in str(exc).strip() and len(str(exc)) < 1000
