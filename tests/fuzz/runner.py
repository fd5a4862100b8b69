"""Run one fuzz case through ``tpmkit.read`` and ``tpmkit.schedule`` under a time limit."""

from __future__ import annotations

import signal
import traceback
import warnings
from contextlib import contextmanager
from pathlib import Path

import tpmkit
from tpmkit.errors import TpmkitError

from .corpus import Case

#: seconds one case may take (read + schedule) before it counts as a hang
CASE_SECONDS = 20.0


class CaseTimeout(BaseException):
    """Raised by the alarm: not an Exception, so no reader can swallow it."""


@contextmanager
def time_limit(seconds: float):
    def _raise(signum, frame):
        raise CaseTimeout(f"took more than {seconds:g} s")

    old = signal.signal(signal.SIGALRM, _raise)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def run_case(case: Case, folder: Path, seconds: float = CASE_SECONDS) -> str | None:
    """``None`` when the case imports and schedules or ends in a TpmkitError; otherwise a
    one-paragraph description of the crash (exception, its last frames)."""
    path = folder / case.name
    path.write_bytes(case.data)
    try:
        with time_limit(seconds), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            project = tpmkit.read(path)
            tpmkit.schedule(project)
    except TpmkitError as exc:
        message = str(exc)
        if "\n" in message.strip() or len(message) > 1000:
            return f"{case.mutation}: TpmkitError message of {len(message)} characters / several lines"
        return None
    except CaseTimeout as exc:
        return f"{case.mutation}: {exc}"
    except Exception as exc:  # the defect the suite exists to find
        frames = traceback.extract_tb(exc.__traceback__)[-3:]
        where = " <- ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in reversed(frames))
        return f"{case.mutation}: {type(exc).__name__}: {str(exc)[:200]} at {where}"
    finally:
        path.unlink(missing_ok=True)
    return None
