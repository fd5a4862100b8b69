"""Interactive workbenches for the tpmkit notebooks.

Each workbench module pairs plain ``update(**params)`` functions, which return matplotlib
figures and pandas frames and are unit-tested directly, with a ``build_ui()`` that wraps
them in ipywidgets 8 controls. Expensive controls run only on release
(``continuous_update=False``) or on a Run button. Figures are shown as PNG ``Image``
widgets, so the widgets also render statically in HTML exported with widget state.

Modules
-------
agile
    "When will N items be done?" forecast at a chosen confidence and backlog size.
scheduling
    CPM step by step, what-if durations and lags, PERT probability of a date.
risk
    Monte Carlo workbench and the merge-bias demonstration.
estimation
    Three-point distributions, Delphi rounds, throughput forecast, calibration, COCOMO II.
scoping
    Live-validated editors for WBS, requirements, stakeholders, RACI and risks.
earned_value
    Status-date slider over tracking data: EVM, earned schedule, forecasts.
resources
    Resource loading, levelling before/after, DCMA-14 check.
updating
    Updating the plan: status date and percent complete move the forecast Gantt and finish.
quality
    Control chart with points to add (rules fire), change-impact what-if.
display
    :func:`~tpmkit.widgets.display.setup_notebook`: formatted tables and one-line warnings.

``import tpmkit`` never imports this package; it needs matplotlib and ipywidgets
(``pip install tpmkit[plot,lab]``).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the submodules load on first attribute access (see __getattr__)
    from tpmkit.widgets import (
        agile,
        display,
        earned_value,
        estimation,
        quality,
        resources,
        risk,
        scheduling,
        scoping,
        updating,
    )

__all__ = ["agile", "display", "earned_value", "estimation", "quality", "resources", "risk",
           "scheduling", "scoping", "updating"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        return importlib.import_module(f"tpmkit.widgets.{name}")
    raise AttributeError(f"module 'tpmkit.widgets' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
