"""Image comparison of the control chart against a committed baseline.

The input is Montgomery's Example 7.1 (fraction of nonconforming orange-juice cans, 30
samples of n = 50), split into two phases after sample 15 so that the stepped limits, the
phase line and the flagged points are all drawn. Regenerate after an intended drawing
change with ``TPMKIT_UPDATE_BASELINES=1 pytest tests/test_plot_quality_images.py`` and look
at ``tests/baseline_images/control_chart.png`` before committing it.

Tolerance RMS 3 on 8-bit pixels, as in ``tests/test_plot_images.py`` (the same matplotlib
and FreeType reproduce the baseline exactly; other FreeType builds move anti-aliased glyph
edges well below 3). The negative control — the same data without the phase split, so one
set of limits and other flagged points — must differ by more than that.
"""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib
import numpy as np
import pytest
from matplotlib.testing.compare import calculate_rms, compare_images
from PIL import Image

from tpmkit import quality

matplotlib.use("Agg")

BASELINES = Path(__file__).parent / "baseline_images"
TOL = 3.0
UPDATE = os.environ.get("TPMKIT_UPDATE_BASELINES") == "1"
ORANGE_JUICE = [12, 15, 8, 10, 4, 7, 16, 9, 14, 10, 5, 6, 17, 12, 22, 8, 10, 5, 13, 11,
                20, 18, 24, 15, 9, 12, 7, 13, 9, 6]


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


def test_control_chart_image(tmp_path):
    from tpmkit import plot

    phase = ["trial"] * 15 + ["after adjustment"] * 15
    ax = plot.control_chart(quality.p_chart(ORANGE_JUICE, 50, phase=phase))
    actual = tmp_path / "control_chart.png"
    ax.figure.savefig(actual, dpi=72)
    expected = BASELINES / "control_chart.png"
    if UPDATE:
        expected.write_bytes(actual.read_bytes())
    if not expected.exists():
        pytest.fail(f"baseline {expected} is missing; generate it with "
                    "TPMKIT_UPDATE_BASELINES=1 and review it before committing")
    result = compare_images(str(expected), str(actual), tol=TOL)
    assert result is None, result
    other = tmp_path / "control_chart_one_phase.png"
    plot.control_chart(quality.p_chart(ORANGE_JUICE, 50)).figure.savefig(other, dpi=72)
    x = np.asarray(Image.open(actual).convert("RGB"), dtype=np.int16)
    y = np.asarray(Image.open(other).convert("RGB"), dtype=np.int16)
    assert float(calculate_rms(x, y)) > TOL
