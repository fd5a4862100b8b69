"""Every code block of the README runs as written (the newcomer path).

* ``bash`` blocks run in bash (``-e``: the first failing command fails the test), with the
  README's ``.venv/`` pointing at the environment running the tests and its ``bin`` first
  on the PATH, in a temporary folder. ``make`` lines are not run here (they install and run
  the whole suite): :func:`test_make_lines_name_real_targets` checks instead that each names a
  Makefile target whose recipe ``make -n`` accepts, and the demo's own commands run in
  :func:`test_demo_commands_run`.
* ``python`` blocks run in one fresh interpreter.
* ``yaml`` blocks are project files: they must read and schedule.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
BIN = Path(sys.executable).parent
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)


def _blocks(lang: str) -> list[str]:
    return [body for kind, body in FENCE.findall(README.read_text(encoding="utf-8"))
            if kind == lang]


def test_every_block_has_a_language_this_test_runs() -> None:
    kinds = [kind for kind, _ in FENCE.findall(README.read_text(encoding="utf-8"))]
    assert kinds and set(kinds) <= {"bash", "python", "yaml"}, kinds


def _is_make(line: str) -> bool:
    return line.strip().startswith("make ")


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env.setdefault("TPMKIT_ITERATIONS", "500")
    return env


@pytest.mark.skipif(not (BIN / "tpmkit").exists(), reason="the tpmkit entry point is not "
                    "installed beside this Python (run in the .venv that `make` builds)")
def _runnable(body: str) -> list[str]:
    return [line for line in body.splitlines() if line.strip() and not _is_make(line)]


RUNNABLE = [body for body in _blocks("bash") if _runnable(body)]


def test_the_readme_shows_how_to_run_tpmkit_after_make_demo() -> None:
    assert RUNNABLE, "no bash block with a tpmkit command besides make"
    text = "\n".join(RUNNABLE)
    assert ".venv/bin/tpmkit" in text and "source .venv/bin/activate" in text


@pytest.mark.parametrize("index", range(len(RUNNABLE)))
def test_bash_block_runs(index: int, tmp_path: Path) -> None:
    lines = _runnable(RUNNABLE[index])
    venv = Path(sys.prefix)
    script = "\n".join(lines).replace(".venv/", f"{venv}/")
    if "activate" in script and not (venv / "bin" / "activate").exists():
        pytest.skip("this Python is not a venv with bin/activate")
    done = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", script], cwd=tmp_path,
                          env=_env(), capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, f"{script}\n--- stderr ---\n{done.stderr}"
    assert "Traceback" not in done.stderr


def test_make_lines_name_real_targets() -> None:
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    lines = [line for body in _blocks("bash") for line in body.splitlines() if _is_make(line)]
    assert lines
    for line in lines:
        target = line.split("#")[0].split()[1]
        dry = subprocess.run(["make", "-n", target], cwd=ROOT, capture_output=True, text=True)
        assert dry.returncode == 0, dry.stderr


def test_demo_commands_run(tmp_path: Path) -> None:
    """The commands of ``make demo`` (its schedule step; the report has its own tests)."""
    recipe = (ROOT / "Makefile").read_text(encoding="utf-8").split("\ndemo:", 1)[1]
    recipe = recipe.split("\n\n", 1)[0]
    commands = [line.strip() for line in recipe.splitlines()[1:]
                if "tpmkit schedule" in line]
    assert commands, recipe
    for command in commands:
        argv = command.replace("$(VENV)/bin/", "").split()
        argv = [str(tmp_path / a) if a.startswith("build/") else a for a in argv]
        done = subprocess.run([sys.executable, "-m", "tpmkit", *argv[1:]], cwd=tmp_path,
                              capture_output=True, text=True, env=_env(), timeout=600)
        assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("index", range(len(_blocks("python"))))
def test_python_block_runs(index: int) -> None:
    code = _blocks("python")[index]
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, env=_env(), timeout=900)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("index", range(len(_blocks("yaml"))))
def test_yaml_block_is_a_project_file(index: int, tmp_path: Path) -> None:
    import tpmkit

    path = tmp_path / "plan.yaml"
    path.write_text(_blocks("yaml")[index], encoding="utf-8")
    project = tpmkit.read(path)
    assert len(project.tasks) >= 1
    assert tpmkit.schedule(project).duration > 0
