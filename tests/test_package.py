"""Packaging and import hygiene."""

from __future__ import annotations

import importlib
import pkgutil
import shutil
import subprocess
import sys
import zipfile

import pytest

import tpmkit
from tests.conftest import ROOT


def test_import_tpmkit_does_not_pull_in_plotting_or_jupyter():
    code = ("import sys, tpmkit, tpmkit.cpm, tpmkit.pert, tpmkit.io, tpmkit.model;"
            "bad = [m for m in ('matplotlib', 'ipywidgets', 'IPython', 'jupyterlab', 'nbconvert')"
            " if m in sys.modules]; print(','.join(bad))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                         cwd=ROOT, check=True)
    assert out.stdout.strip() == ""


def test_every_public_module_declares_all():
    missing = []
    for info in pkgutil.walk_packages(tpmkit.__path__, "tpmkit."):
        name = info.name
        if any(part.startswith("_") for part in name.split(".")[1:]) or ".cli" in name:
            continue
        if name.startswith(("tpmkit.plot", "tpmkit.widgets", "tpmkit.report")):
            pytest.importorskip("matplotlib")
        module = importlib.import_module(name)
        if not hasattr(module, "__all__"):
            missing.append(name)
    assert missing == []


def test_show_versions(capsys):
    tpmkit.show_versions()
    out = capsys.readouterr().out
    assert "tpmkit" in out and "numpy" in out


def test_wheel_ships_datasets_and_templates(tmp_path):
    """The datasets must load from an installed wheel, not only from a checkout."""
    # build from a clean copy: setuptools stages files in build/lib, and stale files there
    # (or the demo's build/ output) must not leak into the wheel
    src = tmp_path / "src"
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(
        ".venv", "build", ".git", "__pycache__", "*.egg-info", ".hypothesis"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(tmp_path), str(src)], check=True, timeout=300,
                   capture_output=True)
    wheel = next(tmp_path.glob("tpmkit-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "tpmkit/_datasets/catalog.json" in names
    assert "tpmkit/_datasets/software_release.yaml" in names
    assert "tpmkit/_notebooks/status_report.ipynb" in names          # tpmkit report from a wheel
    assert "tpmkit/_templates/report/tpmkit_report/index.html.j2" in names
    assert not [n for n in names if "LEAD_NOTE" in n]
    packages = {p.parent.relative_to(ROOT).as_posix() for p in (ROOT / "tpmkit").rglob("__init__.py")
                if "__pycache__" not in p.parts}
    for pkg in packages:
        assert f"{pkg}/__init__.py" in names, f"{pkg} missing from the wheel: add it to pyproject"
    assert "tpmkit/cpm/core.py" in names
