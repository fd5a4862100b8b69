"""Every PSPLIB instance parses (opt-in sweep over the full library, marker ``psplib_full``).

The repository keeps only the instances the unit tests read (``tests/data/psplib``). The
whole library (J30/J60/J90/J120, 2,040 ``.sm`` files, and the 110 Patterson ``.rcp`` files;
Kolisch & Sprecher 1996) stays outside: point ``TPMKIT_PSPLIB_DIR`` at it and run ``pytest -m psplib_full``. Deselected by default; when
selected, an unset variable or a missing folder fails the run.
"""

from __future__ import annotations

import numpy as np
import pytest

from tests.conftest import PSPLIB_DIR
from tpmkit.io.psplib import load_instance

pytestmark = pytest.mark.psplib_full

SETS = {"j30": 480, "j60": 480, "j90": 480, "j120": 600}


def _folder(*parts: str):
    if PSPLIB_DIR is None:
        raise FileNotFoundError("set TPMKIT_PSPLIB_DIR to the folder of the full PSPLIB library "
                                "to run the psplib_full sweep")
    path = PSPLIB_DIR.joinpath(*parts)
    if not path.is_dir():
        raise FileNotFoundError(f"PSPLIB folder {path} is missing: set TPMKIT_PSPLIB_DIR to the "
                                f"folder holding j30/ j60/ j90/ j120/ patterson/")
    return path


def _critical_path(inst) -> int:
    """Precedence-only longest path (PSPLIB numbers jobs topologically)."""
    es = np.zeros(inst.n, dtype=np.int64)
    for j in range(inst.n):
        for k in inst.succ_idx[inst.succ_ptr[j]:inst.succ_ptr[j + 1]]:
            es[k] = max(es[k], es[j] + inst.duration[j])
    return int((es + inst.duration).max())


def _bounds(field: str) -> list[int]:
    """Every number in an optimum.csv field: ``43``, ``LB..UB`` or ``..UB``."""
    return [int(x) for x in field.split("..") if x]


@pytest.mark.parametrize("name", list(SETS))
def test_every_sm_instance_parses_and_matches_its_header(name):
    """All instances parse; the header's MPM-Time is the critical path; no listed optimum
    or bound lies below it (PSPLIB conventions, checked on the library's own files)."""
    folder = _folder(name)
    files = sorted(folder.glob("*.sm"))
    assert len(files) == SETS[name]
    rows = (folder / "optimum" / "optimum.csv").read_text().split()[1:]
    optima = {r.split(",")[0].removesuffix(".sm"): _bounds(r.split(",")[1]) for r in rows}
    for path in files:
        inst = load_instance(path)
        cp = _critical_path(inst)
        assert cp == inst.settings["mpm_time"], path.name
        assert min(optima[inst.name]) >= cp, path.name


def test_every_patterson_instance_parses():
    files = sorted(_folder("patterson", "patterson.rcp").glob("*.rcp"))
    assert len(files) == 110
    for path in files:
        inst = load_instance(path)
        assert inst.n == len(inst.duration) and (inst.capacity > 0).all(), path.name
