"""Architecture rules checked over the source text (issue 13, ARCHITECTURE.md)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# `.attrs` as an attribute access, e.g. `df.attrs["x"]` or `table.attrs.get(...)`
ATTRS = re.compile(r"\.attrs\b")


def _sources() -> list[Path]:
    files = sorted((ROOT / "tpmkit").rglob("*.py")) + sorted((ROOT / "notebooks").glob("*.ipynb"))
    assert files, f"no sources found under {ROOT}"
    return files


def test_no_dataframe_attrs_in_package_or_notebooks():
    """Results are objects, tables are tables: nothing rides in ``DataFrame.attrs``.

    pandas calls ``attrs`` experimental, deep-copies it on many operations and keeps the
    whole table's attrs on a slice; results live in frozen dataclasses instead.
    """
    hits = [f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
            for path in _sources()
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
            if ATTRS.search(line)]
    assert not hits, ("DataFrame.attrs is used; return a result dataclass instead:\n"
                      + "\n".join(hits))
