"""Shared fixtures and tolerances for tpmkit's tests."""

from __future__ import annotations

import json
import os
from pathlib import Path

import matplotlib
import pandas as pd
import pytest

matplotlib.use("Agg")  # plot tests run without a display

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"  # reference data kept in the repository (tests/data/README.md)
# The full PSPLIB library (2,040 .sm files) stays outside the repository; only the opt-in
# ``psplib_full`` tests read it, from the folder named by TPMKIT_PSPLIB_DIR (no default path).
PSPLIB_DIR = Path(os.environ["TPMKIT_PSPLIB_DIR"]) if os.environ.get("TPMKIT_PSPLIB_DIR") else None

# Published figures are printed to 2-4 significant digits; compare with the source's rounding.
ABS_TOL_DAYS = 1e-9


def data_path(*parts: str) -> Path:
    """Path of a reference file inside ``tests/data``; a missing file fails the test, never skips."""
    path = DATA.joinpath(*parts)
    if not path.exists():
        raise FileNotFoundError(
            f"test data file {path.relative_to(ROOT)} is missing: restore it from git, or copy it "
            f"from the source named in tests/data/README.md and record its origin in tests/data/README.md")
    return path


def load_case(name: str) -> dict:
    """Load a worked example from ``tests/data/cases`` by file stem."""
    return json.loads(data_path("cases", f"{name}.json").read_text())


@pytest.fixture
def case():
    return load_case


def case_table(activities: list[dict]) -> pd.DataFrame:
    """Turn a case's ``activities`` list into a task table (predecessors as link strings)."""
    rows = []
    for a in activities:
        links = []
        for p in a.get("predecessors", []):
            lag = p.get("lag", 0) or 0
            lag_txt = f"{lag:+g}" if lag else ""
            links.append(f"{p['id']} {p.get('type', 'FS')}{lag_txt}")
        row = {"id": a["id"], "name": a.get("name", ""), "predecessors": "; ".join(links)}
        for key in ("duration", "optimistic", "most_likely", "pessimistic"):
            if key in a:
                row[key] = a[key]
        rows.append(row)
    return pd.DataFrame(rows)


@pytest.fixture(autouse=True)
def _close_pyplot_figures():
    """Close pyplot figures after every test so they never pile up across modules."""
    yield
    if "matplotlib.pyplot" in __import__("sys").modules:
        import matplotlib.pyplot as plt

        plt.close("all")
