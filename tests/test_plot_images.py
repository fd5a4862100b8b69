"""Image comparisons of the Gantt chart and the S-curve against committed baselines.

The inputs are frozen here (a small inline project; a finish sample from a fixed beta
quantile grid instead of a random run) so that the baselines change only when the drawing
changes, not when the scheduling or simulation engines do. To regenerate after an intended
change: ``TPMKIT_UPDATE_BASELINES=1 pytest tests/test_plot_images.py``, then look at the
PNGs in ``tests/baseline_images/`` before committing them.

Tolerance: ``compare_images`` measures the RMS difference of the 8-bit pixel values. The
same matplotlib and FreeType reproduce the baseline exactly (RMS 0); other FreeType builds
shift anti-aliased glyph edges, which stays well below RMS 3 on charts of this size
(matplotlib's own suite uses similar tolerances for text-heavy figures). A real change of
the drawing (one missing set of arrows, a moved P-line) gives RMS > 3 — the negative tests
below assert that, so the comparison can fail.
"""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace

import matplotlib
import numpy as np
import pandas as pd
import pytest
from matplotlib.testing.compare import calculate_rms, compare_images
from PIL import Image

import tpmkit
from tpmkit import plot

matplotlib.use("Agg")

BASELINES = Path(__file__).parent / "baseline_images"
TOL = 3.0
UPDATE = os.environ.get("TPMKIT_UPDATE_BASELINES") == "1"


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


def image_project():
    """12 tasks: WBS, milestones, all four link types with lags, baseline, progress."""
    rows = [
        ("A", "1.1", "Kick-off", 0, "", "2027-03-01", "2027-03-01", 100),
        ("B", "1.2", "Requirements", 5, "A", "2027-03-01", "2027-03-05", 100),
        ("C", "2.1", "Architecture", 4, "B", "2027-03-08", "2027-03-11", 100),
        ("D", "2.2", "UX design", 6, "B SS+2", "2027-03-03", "2027-03-10", 80),
        ("E", "2.3", "Design approved", 0, "C; D", "2027-03-12", "2027-03-12", 0),
        ("F", "3.1", "Backend", 10, "E", "2027-03-15", "2027-03-26", 30),
        ("G", "3.2", "Frontend", 8, "F SS+3", "2027-03-18", "2027-03-29", 10),
        ("H", "3.3", "Integration", 4, "F FF+2; G", "2027-03-29", "2027-04-01", 0),
        ("I", "4.1", "Test preparation", 3, "H SF+5", "2027-03-24", "2027-03-26", 0),
        ("J", "4.2", "System test", 5, "H", "2027-04-02", "2027-04-08", 0),
        ("K", "4.3", "User training", 3, "J FS-1", "2027-04-08", "2027-04-12", 0),
        ("L", "4.4", "Go-live", 0, "J; K", "2027-04-12", "2027-04-12", 0),
    ]
    df = pd.DataFrame(rows, columns=["id", "wbs", "name", "duration", "predecessors",
                                     "baseline_start", "baseline_finish", "percent_complete"])
    return tpmkit.read(df, start="2027-03-01", status_date="2027-03-19",
                       deadline="2027-04-16")


def frozen_simulation():
    """A stand-in with the fields the S-curve reads; finish = beta quantiles on a grid."""
    from scipy.stats import beta

    u = (np.arange(2000) + 0.5) / 2000
    finish = 90 + 30 * beta.ppf(u, 2.2, 4.0)
    cal = tpmkit.read(pd.DataFrame({"id": ["A"], "duration": [1]}), start="2027-01-04").calendar
    return SimpleNamespace(
        finish=finish, iterations=len(finish), deterministic_duration=96.0, deadline=104.0,
        start=pd.Timestamp("2027-01-04"), calendar=cal,
        percentile=lambda q: np.percentile(finish, q),
        probability=lambda t: float(np.mean(finish <= t + 1e-9)))


def check(fig, name, tmp_path):
    actual = tmp_path / f"{name}.png"
    fig.savefig(actual, dpi=72)
    expected = BASELINES / f"{name}.png"
    if UPDATE:
        BASELINES.mkdir(exist_ok=True)
        expected.write_bytes(actual.read_bytes())
    if not expected.exists():
        pytest.fail(f"baseline {expected} is missing; generate it with "
                    "TPMKIT_UPDATE_BASELINES=1 and review it before committing")
    result = compare_images(str(expected), str(actual), tol=TOL)
    assert result is None, result
    return actual


def rms(a: Path, b: Path) -> float:
    x = np.asarray(Image.open(a).convert("RGB"), dtype=np.int16)
    y = np.asarray(Image.open(b).convert("RGB"), dtype=np.int16)
    return float(calculate_rms(x, y))


def test_gantt_image(tmp_path):
    p = image_project()
    # the plan without its progress (status-dated drawing: tests/test_gantt_status.py)
    plan = tpmkit.schedule(p, status_date=False)
    ax = plot.gantt(plan, p, wbs_names={"1": "Initiation", "2": "Design",
                                         "3": "Build", "4": "Transition"})
    actual = check(ax.figure, "gantt", tmp_path)
    # negative control: the same chart without its arrows must not pass the tolerance
    ax2 = plot.gantt(plan, p, show_links=False, wbs_names={
        "1": "Initiation", "2": "Design", "3": "Build", "4": "Transition"})
    other = tmp_path / "gantt_no_links.png"
    ax2.figure.savefig(other, dpi=72)
    assert rms(actual, other) > TOL


def test_s_curve_image(tmp_path):
    r = frozen_simulation()
    ax = plot.s_curve(r)
    actual = check(ax.figure, "s_curve", tmp_path)
    ax2 = plot.s_curve(r, percentiles=(10, 50, 85, 90))   # P80 line moved to P85
    other = tmp_path / "s_curve_moved.png"
    ax2.figure.savefig(other, dpi=72)
    assert rms(actual, other) > TOL
