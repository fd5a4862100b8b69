"""Sphinx extension that generates the parts of the tpmkit docs derived from the code.

At ``builder-inited`` it writes, under the (git-ignored) folders of the source tree:

* ``reference/api/<module>.rst``: one page per public module, documenting every name in the
  module's ``__all__``. A name exported by several modules is documented once, in the
  shortest public module that exports it; the other modules list it with a link there.
* ``reference/cli/<command>.rst``: one page per command of ``tpmkit.cli.build_parser()``
  (sphinx-argparse), with the ``--json`` output of the snapshot cases of that command.
* ``course/notebooks/*.ipynb``: copies of the lesson notebooks from ``notebooks/`` (rendered by
  myst-nb with execution off).

At ``build-finished`` it copies MathJax 2 from the ``jupyter-server-mathjax`` package into
``_static/mathjax`` of the HTML output, so formulas render without any CDN.

Files are rewritten only when their text changes, so incremental builds stay incremental.
"""

from __future__ import annotations

import importlib
import inspect
import json
import pkgutil
import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
SNAPSHOTS = ROOT / "tests" / "data" / "cli_snapshots"
SNAPSHOT_TEST = ROOT / "tests" / "test_cli_snapshots.py"
NOTEBOOKS = ROOT / "notebooks"

# modules that are implementation detail even though their names are public
SKIP_MODULES = {"tpmkit.__main__"}


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def _prune(folder: Path, keep: set[str], suffix: str) -> None:
    if folder.exists():
        for f in folder.glob(f"*{suffix}"):
            if f.name not in keep:
                f.unlink()


def public_modules() -> list[str]:
    """Every importable public module of tpmkit (no component starts with ``_``)."""
    import tpmkit

    names = ["tpmkit"]
    for info in pkgutil.walk_packages(tpmkit.__path__, "tpmkit."):
        if any(part.startswith("_") for part in info.name.split(".")[1:]):
            continue
        if info.name in SKIP_MODULES:
            continue
        names.append(info.name)
    return sorted(names)


def exported(modname: str) -> list[str]:
    """The names of ``__all__`` to document: no submodules (they have their own page)."""
    mod = importlib.import_module(modname)
    return [n for n in getattr(mod, "__all__", [])
            if n != "__version__" and not inspect.ismodule(getattr(mod, n))]


def canonical_homes(modules: list[str]) -> dict[object, str]:
    """Object key -> the shortest public module exporting it (ties: alphabetical).

    Functions and classes are keyed by identity; constants by (identity, name), since two
    constants may share one value object.
    """
    homes: dict[object, str] = {}
    taken = set(modules)
    for modname in sorted(modules, key=lambda m: (m.count("."), len(m), m)):
        mod = importlib.import_module(modname)
        for name in exported(modname):
            if f"{modname}.{name}" in taken:  # a function named like a submodule
                continue                       # (tpmkit.plot.gantt) lives in the submodule
            homes.setdefault(key(getattr(mod, name), name), modname)
    return homes


def key(obj: object, name: str) -> object:
    return id(obj) if documentable(obj) else (id(obj), name)


def anchor(obj: object, name: str, home: str) -> str:
    """The full name under which ``obj`` (exported as ``name``) is documented in ``home``."""
    if not documentable(obj):
        return f"{home}.{name}"
    mod = importlib.import_module(home)
    for other in exported(home):
        if getattr(mod, other) is obj:
            return f"{home}.{other}"
    return f"{home}.{name}"


def documentable(obj: object) -> bool:
    return inspect.isclass(obj) or inspect.isfunction(obj) or inspect.isroutine(obj)


def _kind(obj: object) -> str:
    if inspect.isclass(obj):
        return "exception" if issubclass(obj, BaseException) else "class"
    if documentable(obj):
        return "function"
    return "data"


def _summary(obj: object) -> str:
    doc = inspect.getdoc(obj) or ""
    first = doc.strip().split("\n\n")[0].replace("\n", " ").strip()
    return first.replace("|", "\\|")


def module_page(modname: str, homes: dict[int, str]) -> str:
    mod = importlib.import_module(modname)
    title = f"``{modname}``"
    lines = [f".. _api-{modname}:", "", title, "=" * len(title), "",
             f".. automodule:: {modname}", "   :no-members:", "", ]
    names = exported(modname)
    subs = [m for m in _children(modname)]
    if subs:
        lines += ["Submodules: " + ", ".join(f":ref:`{s} <api-{s}>`" for s in subs) + ".", ""]
    if not names:
        return "\n".join(lines) + "\n"
    lines += [".. list-table::", "   :header-rows: 1", "   :widths: 30 70", "",
              "   * - name", "     - summary"]
    own, data = [], []
    for name in names:
        obj = getattr(mod, name)
        home = homes.get(key(obj, name), modname)
        elsewhere = "" if home == modname else f" (documented in ``{home}``)"
        if documentable(obj):
            target = anchor(obj, name, home)
            if home == modname:
                own.append(name)
            lines += [f"   * - :py:obj:`{name} <{target}>`",
                      f"     - {_summary(obj) or ' '}{elsewhere}"]
        else:
            if home == modname:
                data.append(name)
            lines += [f"   * - :py:data:`{name} <{home}.{name}>`",
                      f"     - constant (``{type(obj).__name__}``){elsewhere}"]
    lines.append("")
    for name in own:
        obj = getattr(mod, name)
        kind = _kind(obj)
        lines += [f".. auto{kind}:: {modname}.{name}"]
        if kind in ("class", "exception"):
            lines += ["   :members:", "   :show-inheritance:"]
        lines.append("")
    for name in data:
        lines += [f".. autodata:: {modname}.{name}", "   :no-value:", "",
                  f"   Value: ``{_short_repr(getattr(mod, name))}``", ""]
    return "\n".join(lines) + "\n"


def _short_repr(value: object) -> str:
    text = repr(value)
    text = re.sub(r"\s+", " ", text)
    return text if len(text) <= 200 else text[:197] + "..."


def _children(modname: str) -> list[str]:
    mod = importlib.import_module(modname)
    if not hasattr(mod, "__path__"):
        return []
    out = []
    for info in pkgutil.iter_modules(mod.__path__, modname + "."):
        if not info.name.rsplit(".", 1)[1].startswith("_") and info.name not in SKIP_MODULES:
            out.append(info.name)
    return sorted(out)


def write_api(app) -> None:
    modules = public_modules()
    homes = canonical_homes(modules)
    folder = DOCS / "reference" / "api"
    keep = set()
    for modname in modules:
        name = f"{modname}.rst"
        keep.add(name)
        _write(folder / name, module_page(modname, homes))
    top = [m for m in modules if m.count(".") <= 1]
    toc = ["API reference", "=============", "",
           "Every public name of tpmkit, from its docstring. A module's page lists the names "
           "in its ``__all__``; a name exported by several modules is documented once, in the "
           "shortest module path that exports it (``tpmkit.schedule``, not "
           "``tpmkit.cpm.schedule``).", "",
           ".. toctree::", "   :maxdepth: 1", ""]
    toc += [f"   {m}" for m in modules]
    toc.append("")
    toc += ["Top-level modules: " + ", ".join(f":ref:`{m} <api-{m}>`" for m in top) + ".", ""]
    keep.add("index.rst")
    _write(folder / "index.rst", "\n".join(toc))
    _prune(folder, keep, ".rst")


def snapshot_cases() -> dict[str, str]:
    """Snapshot name -> command line, read from tests/test_cli_snapshots.py."""
    text = SNAPSHOT_TEST.read_text(encoding="utf-8") if SNAPSHOT_TEST.exists() else ""
    cases = dict(re.findall(r'^\s+"(\w+)": "([^"]+)",\s*$', text, flags=re.M))
    return {k: v.replace("{data}/", "tests/data/") for k, v in cases.items()}


def _abridge(value, depth=0):
    """Keep the shape of a JSON value but only the first two rows of a long list."""
    if isinstance(value, dict):
        return {k: _abridge(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        if len(value) > 3 and any(isinstance(v, (dict, list)) for v in value):
            return [_abridge(v, depth + 1) for v in value[:2]] + [f"… {len(value) - 2} more"]
        return [_abridge(v, depth + 1) for v in value]
    return value


def json_block(name: str) -> list[str]:
    data = json.loads((SNAPSHOTS / f"{name}.json").read_text(encoding="utf-8"))
    text = json.dumps(_abridge(data), indent=2, ensure_ascii=False)
    return [".. code-block:: json", ""] + ["   " + line for line in text.splitlines()] + [""]


def write_cli(app) -> None:
    from tpmkit.cli import build_parser

    parser = build_parser()
    # argparse has no public accessor for the sub-command table
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")  # noqa: SLF001
    commands = list(sub.choices)
    cases = snapshot_cases()
    folder = DOCS / "reference" / "cli"
    keep = {"index.rst"}
    for cmd in commands:
        keep.add(f"{cmd}.rst")
        title = f"``tpmkit {cmd}``"
        lines = [f".. _cli-{cmd}:", "", title, "=" * len(title), "",
                 ".. argparse::", "   :module: tpmkit.cli", "   :func: build_parser",
                 "   :prog: tpmkit", f"   :path: {cmd}", "   :nodescription:", ""]
        helptext = sub.choices[cmd].description or ""
        if helptext:
            lines[5:5] = [helptext.replace("*", r"\*"), ""]
        mine = {k: v for k, v in cases.items() if v.split()[0] == cmd}
        if mine:
            lines += ["JSON output", "-----------", "",
                      "The ``--json`` output is a stable contract, pinned by the snapshot "
                      "tests (``tests/data/cli_snapshots``). Real output, long lists cut to "
                      "their first two rows:", ""]
            for key, command in sorted(mine.items()):
                lines += [f"``tpmkit {command}``", "", *json_block(key)]
        _write(folder / f"{cmd}.rst", "\n".join(lines) + "\n")
    index = ["Command line", "============", "",
             "``tpmkit COMMAND FILE [options]``. ``FILE`` is any file ``tpmkit.read`` accepts, "
             "or ``sample:NAME`` for a bundled sample (``tpmkit samples`` lists them). Every "
             "computing command accepts ``--json`` and then prints exactly one JSON object on "
             "stdout. Exit status: 0 success, 1 a finding (``tpmkit check`` when a check fails), "
             "2 bad input — one line on stderr naming the problem and the fix, never a "
             "traceback. The full parser:", "",
             ".. argparse::", "   :module: tpmkit.cli", "   :func: build_parser",
             "   :prog: tpmkit", "   :nosubcommands:", "",
             "Commands", "--------", "", ".. toctree::", "   :maxdepth: 1", ""]
    index += [f"   {cmd}" for cmd in commands] + [""]
    _write(folder / "index.rst", "\n".join(index))
    _prune(folder, keep, ".rst")


def copy_notebooks(app) -> None:
    folder = DOCS / "course" / "notebooks"
    folder.mkdir(parents=True, exist_ok=True)
    keep = set()
    for nb in sorted(NOTEBOOKS.glob("*.ipynb")):
        keep.add(nb.name)
        target = folder / nb.name
        if not target.exists() or target.read_bytes() != nb.read_bytes():
            shutil.copyfile(nb, target)
    _prune(folder, keep, ".ipynb")


def copy_mathjax(app, exception) -> None:
    """Copy MathJax (jupyter-server-mathjax's files) into the HTML output's _static."""
    if exception is not None or app.builder.format != "html":
        return
    import jupyter_server_mathjax

    source = Path(jupyter_server_mathjax.__file__).parent / "static"
    target = Path(app.outdir) / "_static" / "mathjax"
    if not (target / "MathJax.js").exists():
        shutil.copytree(source, target, dirs_exist_ok=True)


def generate(app) -> None:
    write_api(app)
    write_cli(app)
    copy_notebooks(app)


def setup(app):
    app.connect("builder-inited", generate)
    app.connect("build-finished", copy_mathjax)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
