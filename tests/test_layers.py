"""The house rules of ARCHITECTURE.md that a linter cannot see.

The import layers themselves are checked by import-linter (``make lint``, contracts in
``pyproject.toml``); ruff's SLF001/PLC2701 catch private names used from outside the package.
These tests add what neither sees: private names used across modules *inside* the package,
what ``import tpmkit`` loads, and the size of modules.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "tpmkit"
#: private modules that belong to the whole house, not to one module (ARCHITECTURE.md)
HOUSE_PRIVATE = {"tpmkit._core", "tpmkit._version"}
MAX_LINES = 800


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _sources() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _owner(module: str, name: str | None) -> str:
    """The module or package that owns a private thing: ``a.b._c`` → ``a.b``; ``a.b`` + ``_x`` → ``a.b``."""
    parts = module.split(".")
    for k, part in enumerate(parts):
        if part.startswith("_") and not part.startswith("__"):
            return ".".join(parts[:k])
    return module if name is not None else ".".join(parts[:-1])


def _private_uses() -> list[str]:
    bad = []
    for path in _sources():
        importer = _module_name(path)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.ImportFrom) or not node.module:
                continue
            module = node.module
            if node.level:  # relative import: resolve against the importer's package
                base = importer.split(".")
                if path.name != "__init__.py":
                    base = base[:-1]
                base = base[: len(base) - (node.level - 1)]
                module = ".".join([*base, node.module])
            if not module.startswith("tpmkit"):
                continue
            if any(module == h or module.startswith(h + ".") for h in HOUSE_PRIVATE):
                continue
            private_module = any(p.startswith("_") and not p.startswith("__")
                                 for p in module.split(".")[1:])
            if private_module:
                owner = _owner(module, None)
                if not (importer == owner or importer.startswith(owner + ".")):
                    bad.append(f"{path.relative_to(ROOT)}:{node.lineno} imports {module}")
            for alias in node.names:
                n = alias.name
                if n.startswith("_") and not n.startswith("__"):
                    # a private name may be used only inside the module (or package) that defines it
                    if importer != module and not importer.startswith(module + "."):
                        bad.append(f"{path.relative_to(ROOT)}:{node.lineno} imports {module}.{n}")
    return bad


def test_no_private_names_across_modules() -> None:
    assert _private_uses() == []


def test_modules_are_at_most_800_lines() -> None:
    long = {str(p.relative_to(ROOT)): n for p in _sources()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}


@pytest.mark.parametrize("code", [
    "import tpmkit",
    "import tpmkit; tpmkit.read",
])
def test_import_tpmkit_loads_no_presentation_or_compiler(code: str) -> None:
    probe = (f"{code}\nimport json, sys\n"
             "print(json.dumps(sorted(m for m in ('matplotlib', 'ipywidgets', 'IPython', 'numba',"
             " 'yaml', 'openpyxl', 'tqdm') if m in sys.modules)))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True, cwd=ROOT)
    assert json.loads(out.stdout) == []


def test_notebooks_use_public_names_only() -> None:
    """ARCHITECTURE.md: notebooks import only public names (no ``_private`` module or name)."""
    bad = []
    for nb in sorted((ROOT / "notebooks").glob("*.ipynb")):
        cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
        for k, cell in enumerate(cells):
            if cell["cell_type"] != "code":
                continue
            source = "".join(cell["source"])
            source = "\n".join(line for line in source.splitlines()
                               if not line.lstrip().startswith(("%", "!")))
            for node in ast.walk(ast.parse(source)):
                names: list[str] = []
                if isinstance(node, ast.ImportFrom) and node.module:
                    names = [node.module, *(a.name for a in node.names)]
                elif isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                        and node.value.id == "tpmkit":
                    names = [node.attr]
                if any(part.startswith("_") and not part.startswith("__")
                       for n in names for part in n.split(".")):
                    bad.append(f"{nb.name} cell {k}: {ast.unparse(node)[:80]}")
    assert bad == []


MAX_FUNCTION_LINES = 100


def _long_functions() -> dict[str, int]:
    """Functions whose body (docstring excluded) exceeds the limit without a ``# long function:`` reason."""
    long = {}
    for path in _sources():
        lines = path.read_text(encoding="utf-8").splitlines()
        for node in ast.walk(ast.parse("\n".join(lines))):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            body = node.body
            if (isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)
                    and isinstance(body[0].value.value, str) and len(body) > 1):
                body = body[1:]
            size = body[-1].end_lineno - body[0].lineno + 1
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            above = lines[first - 2].strip() if first >= 2 else ""
            if size > MAX_FUNCTION_LINES and not above.startswith("# long function:"):
                long[f"{path.relative_to(ROOT).as_posix()}::{node.name}"] = size
    return long


def test_functions_are_at_most_100_lines() -> None:
    """ARCHITECTURE.md: no function over ~100 lines without a reason in a comment above its ``def``."""
    assert _long_functions() == {}
