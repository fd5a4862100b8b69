"""Estimation: three-point, Wideband Delphi / planning poker, throughput forecasts, calibration, COCOMO II.

Every estimate ends as numbers the schedule can use: :meth:`DelphiResult.to_tasks` and
:func:`from_uncertainty` return ``id, optimistic, most_likely, pessimistic`` frames ready for
:func:`tpmkit.read`; :meth:`Calibration.apply` uplifts estimates by a reference class.

* Three-point statistics (:func:`three_point`, :func:`three_point_sum`) for the beta-PERT and
  triangular distributions; single estimate + uncertainty class → three points
  (:func:`from_uncertainty`).
* Wideband Delphi and planning poker (:func:`delphi`, :func:`planning_poker`): per-round spread,
  coefficient of variation, outliers and convergence; consensus → three points. Scales:
  :data:`FIBONACCI`, :data:`TSHIRT_DAYS` (:func:`scale_to_days`).
* Throughput forecasting (:func:`throughput_history`, :func:`throughput_forecast`,
  :func:`burnup_forecast`): vectorised Monte Carlo "how many by date D" and "when will N be
  done" at P50/P85/P95; velocity burn-up lines.
* Calibration (:func:`calibrate`): actual/estimate ratio distribution, bias, spread and the
  reference-class uplift at P50/P80.
* Parametric (:func:`cocomo2`): COCOMO II.2000 post-architecture effort and schedule.

Modules: :mod:`~tpmkit.estimate.three_point`, :mod:`~tpmkit.estimate.expert` (Delphi,
planning poker, scales), :mod:`~tpmkit.estimate.forecast` (throughput),
:mod:`~tpmkit.estimate.calibration`, :mod:`~tpmkit.estimate.cocomo`. Tables come in as
DataFrames or lists of rows; :func:`tpmkit.artefacts.read_artefact` reads them from files.
"""

from __future__ import annotations

from tpmkit.estimate.calibration import (
    Calibration,
    calibrate,
)
from tpmkit.estimate.cocomo import (
    COCOMO2_EFFORT_MULTIPLIERS,
    COCOMO2_SCALE_FACTORS,
    Cocomo2Result,
    cocomo2,
)
from tpmkit.estimate.expert import (
    FIBONACCI,
    TSHIRT_DAYS,
    DelphiResult,
    delphi,
    planning_poker,
    scale_to_days,
)
from tpmkit.estimate.forecast import (
    BurnupForecast,
    ThroughputForecast,
    burnup_forecast,
    throughput_forecast,
    throughput_history,
)
from tpmkit.estimate.three_point import (
    UNCERTAINTY_CLASSES,
    from_uncertainty,
    three_point,
    three_point_sum,
)

__all__ = [
    "COCOMO2_EFFORT_MULTIPLIERS",
    "COCOMO2_SCALE_FACTORS",
    "FIBONACCI",
    "TSHIRT_DAYS",
    "UNCERTAINTY_CLASSES",
    "BurnupForecast",
    "Calibration",
    "Cocomo2Result",
    "DelphiResult",
    "ThroughputForecast",
    "burnup_forecast",
    "calibrate",
    "cocomo2",
    "delphi",
    "from_uncertainty",
    "planning_poker",
    "scale_to_days",
    "three_point",
    "three_point_sum",
    "throughput_forecast",
    "throughput_history",
]
