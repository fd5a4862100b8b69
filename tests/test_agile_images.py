"""Image comparison of an agile chart (cycle-time scatter with percentile lines).

The input is a frozen inline table (not the sample board, not a forecast), so the baseline
changes only when the drawing changes. To regenerate after an intended change:
``TPMKIT_UPDATE_BASELINES=1 pytest tests/test_agile_images.py``, then look at the PNG in
``tests/baseline_images/`` before committing it.

Tolerance as in ``tests/test_plot_images.py``: RMS of 8-bit pixel values ≤ 3 absorbs
FreeType anti-aliasing differences; the negative control (the P85 line moved to P95) must
exceed it, so the comparison can fail.
"""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import pytest
from matplotlib.testing.compare import calculate_rms, compare_images
from PIL import Image

from tpmkit import agile, plot

matplotlib.use("Agg")

BASELINES = Path(__file__).parent / "baseline_images"
TOL = 3.0
UPDATE = os.environ.get("TPMKIT_UPDATE_BASELINES") == "1"


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


def frozen_board() -> agile.Board:
    """40 items of two types over 8 weeks; cycle times 1…14 days on a fixed pattern."""
    rows = []
    for k in range(40):
        started = pd.Timestamp("2027-01-04") + pd.Timedelta(days=k)
        cycle = 1 + (k * 5) % 14
        rows.append({"id": f"W{k}", "type": "bug" if k % 3 == 0 else "story",
                     "created": started - pd.Timedelta(days=2), "started": started,
                     "done": started + pd.Timedelta(days=cycle - 1)})
    return agile.items(pd.DataFrame(rows), now="2027-03-01")


def _save(ax, path: Path) -> Path:
    ax.figure.set_size_inches(8, 4)
    ax.figure.savefig(path, dpi=72)
    return path


def test_cycle_time_scatter_image(tmp_path):
    b = frozen_board()
    ct = agile.cycle_times(b)
    actual = _save(plot.cycle_time_scatter(ct, agile.cycle_time_percentiles(b)),
                   tmp_path / "agile_cycle_time_scatter.png")
    expected = BASELINES / "agile_cycle_time_scatter.png"
    if UPDATE:
        expected.write_bytes(actual.read_bytes())
    if not expected.exists():
        pytest.fail(f"baseline {expected} is missing; generate it with "
                    "TPMKIT_UPDATE_BASELINES=1 and review it before committing")
    result = compare_images(str(expected), str(actual), tol=TOL)
    assert result is None, result
    moved = _save(plot.cycle_time_scatter(ct, agile.cycle_time_percentiles(
        b, percentiles=(50, 70, 95, 99))), tmp_path / "moved.png")
    x, y = (np.asarray(Image.open(p).convert("RGB"), dtype=np.int16) for p in (actual, moved))
    assert float(calculate_rms(x, y)) > TOL
