"""The fuzzing corpus: seed files of every reader and deterministic mutations of them.

Seeds are real files the tests carry (``tests/data``) and the bundled sample project
(``datasets``) converted by tpmkit's writer to CSV, XLSX and JSON. :func:`cases` derives the
mutated files from a seed with :class:`random.Random` (same seed, same bytes), each mutation
named so a failure can be reproduced with :func:`case`.
"""

from __future__ import annotations

import io
import random
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
PF = DATA / "projectfiles"

JIRA = (b"Issue key,Issue id,Summary,Issue Type,Status,Original Estimate,Story Points,"
        b"Inward issue link (Blocks),Outward issue link (Blocks),Created\r\n"
        b"W-1,10001,Design,Story,Done,57600,3,,W-2,2027-01-04 09:00\r\n"
        b"W-2,10002,Build,Story,To Do,86400,5,W-1,W-3,2027-01-05 09:00\r\n"
        b"W-3,10003,Test,Task,To Do,28800,,W-2,,2027-01-06 09:00\r\n")

#: reader → list of (file name, path under tests/data or None for a generated seed)
SEEDS: dict[str, list[tuple[str, str | None]]] = {
    "csv": [("tasks.csv", None)],
    "xlsx": [("tasks.xlsx", None)],
    "yaml": [("software_release.yaml", "datasets/software_release.yaml"),
             ("tracking.yaml", "datasets/software_release_tracking.yaml")],
    "json": [("software_release.json", None)],
    "mspdi": [("mspdirelations.xml", "tests/data/projectfiles/mpxj/mspdirelations.xml"),
              ("links2003.xml", "tests/data/projectfiles/mpxj/"
               "generated__task-links__task-links-project2003-mspdi.xml")],
    "xer": [("rates.xer", "tests/data/projectfiles/mpxj/assignment__resource-rates-test.xer"),
            ("pct.xer", "tests/data/projectfiles/mpxj/"
             "generated__task-percentcomplete__percent-complete-8.4.xer")],
    "pmxml": [("pct.pmxml", "tests/data/projectfiles/mpxj/"
               "generated__task-percentcomplete__percent-complete-8.4.pmxml")],
    "gan": [("deps.gan", "tests/data/projectfiles/ganttproject/"
             "blyoa__task__task-with-dependencies.gan"),
            ("house.gan", "tests/data/projectfiles/ganttproject/HouseBuildingSample.gan")],
    "planner": [("sample.planner", "tests/data/projectfiles/mpxj/planner-sample.planner")],
    "mpx": [("links98.mpx", "tests/data/projectfiles/mpxj/"
             "generated__task-links__task-links-project98.mpx")],
    "jira": [("export.csv", None)],
    "psplib": [("j3011_1.sm", "tests/data/psplib/j30/j3011_1.sm")],
}

HOSTILE_NUMBERS = ["1e308", "-1e308", "nan", "NaN", "inf", "-inf", "-1", "0", "1e-320",
                   "99999999999999999999999999", "-0", "0x1F", "1_000", "١٢", "1e400"]
HOSTILE_DATES = ["0001-01-01", "1677-09-21", "1899-12-31", "2201-01-01", "9999-12-31",
                 "10000-01-01", "2024-02-30", "2024-13-01", "2024-01-01T25:00:00",
                 "2024-01-08T08:00:00+05:00", "1" * 5000]


@dataclass(frozen=True)
class Case:
    reader: str
    name: str       # file name (its suffix picks the reader)
    mutation: str   # what was done, for the failure message
    data: bytes


def _generated(name: str) -> bytes:
    """CSV / XLSX / JSON / Jira seeds written from the bundled sample."""
    if name == "export.csv":
        return JIRA
    import tpmkit
    from tpmkit.io import tables

    project = tpmkit.datasets.load("software_release")
    tmp = Path(__import__("tempfile").mkdtemp()) / name
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tables.write(project, tmp)
    return tmp.read_bytes()


_SEED_CACHE: dict[str, bytes] = {}


def seed_bytes(name: str, rel: str | None) -> bytes:
    if name not in _SEED_CACHE:
        _SEED_CACHE[name] = (ROOT / rel).read_bytes() if rel else _generated(name)
    return _SEED_CACHE[name]


# -- mutations: each takes (rng, data, suffix) and returns new bytes ---------------------
def truncate(rng: random.Random, data: bytes, suffix: str) -> bytes:
    return data[: rng.randrange(0, max(1, len(data)))]


def flip_bytes(rng: random.Random, data: bytes, suffix: str) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        if out:
            out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def _lines(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True)


def delete_line(rng: random.Random, data: bytes, suffix: str) -> bytes:
    lines = _lines(data)
    if len(lines) > 1:
        del lines[rng.randrange(1, len(lines))]
    return b"".join(lines)


def duplicate_line(rng: random.Random, data: bytes, suffix: str) -> bytes:
    lines = _lines(data)
    if len(lines) > 1:
        k = rng.randrange(1, len(lines))
        lines.insert(k, lines[k])
    return b"".join(lines)


def delete_field(rng: random.Random, data: bytes, suffix: str) -> bytes:
    """Drop one field of a delimited record, or one XML element/attribute."""
    text = data.decode("latin-1")
    if suffix in (".xml", ".gan", ".planner", ".pmxml"):
        spans = [m.span() for m in re.finditer(r"<(\w{1,64})>[^<>]{0,1000}</\1>|\s\w{1,64}=\"[^\"]{0,1000}\"", text)]
    else:
        spans = [m.span() for m in re.finditer(r"[^,\t;\r\n]+", text)]
    if spans:
        a, b = rng.choice(spans)
        text = text[:a] + text[b:]
    return text.encode("latin-1")


def _replace_token(rng: random.Random, data: bytes, pattern: str, choices: list[str],
                   count: int = 3) -> bytes:
    text = data.decode("latin-1")
    spans = [m.span() for m in re.finditer(pattern, text)]
    for a, b in sorted(rng.sample(spans, min(count, len(spans))), reverse=True):
        text = text[:a] + rng.choice(choices) + text[b:]
    return text.encode("latin-1", errors="replace")


def hostile_number(rng: random.Random, data: bytes, suffix: str) -> bytes:
    return _replace_token(rng, data, r"(?<![\w.\-])\d+(?:\.\d+)?(?![\w.\-/:])", HOSTILE_NUMBERS)


def extreme_date(rng: random.Random, data: bytes, suffix: str) -> bytes:
    return _replace_token(rng, data, r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?)?",
                          HOSTILE_DATES)


def long_string(rng: random.Random, data: bytes, suffix: str) -> bytes:
    """A 200,000-character value in place of one word."""
    return _replace_token(rng, data, r"[A-Za-z]{3,}", ["W" * 200_000], count=1)


def self_loop_and_cycle(rng: random.Random, data: bytes, suffix: str) -> bytes:
    """Task tables: a task its own predecessor, or SS/FF links both ways (a cycle)."""
    text = data.decode("utf-8", errors="replace")
    if suffix in (".csv", ".tsv"):
        lines = text.splitlines()
        if not lines:
            return data
        head = lines[0].split(",")
        if "predecessors" in head and len(lines) > 3:
            k, j = rng.randrange(1, len(lines)), rng.randrange(1, len(lines))
            row, back = lines[k].split(","), lines[j].split(",")
            col = head.index("predecessors")
            if len(row) <= col or len(back) <= col:  # a record damaged by an earlier step
                return data
            other = back[0]
            kind = rng.choice(["self", "ss", "ff"])
            pred = row[0] if kind == "self" else f"{other} {kind.upper()}+1"
            row[col] = pred
            lines[k] = ",".join(row)
            if kind != "self":
                back[col] = f"{row[0]} {kind.upper()}"
                lines[j] = ",".join(back)
        return ("\n".join(lines) + "\n").encode()
    if suffix in (".yaml", ".yml"):
        ids = re.findall(r"\{id: (\w+)", text)
        if ids:
            a, b = rng.choice(ids), rng.choice(ids)
            text = re.sub(r"predecessors: [^,}]+", f"predecessors: {a} SS", text, count=1)
            text = text.replace(f"{{id: {a},", f"{{id: {a}, predecessors: '{b} FF; {a}',", 1) \
                if "predecessors" not in text.split(f"{{id: {a},", 1)[-1].split("}", 1)[0] else text
    return text.encode()


def csv_dialect(rng: random.Random, data: bytes, suffix: str) -> bytes:
    """BOM, semicolons, CRLF or Latin-1 (with a non-ASCII name) for a CSV."""
    text = data.decode("utf-8", errors="replace")
    kind = rng.choice(["bom", "semicolon", "crlf", "latin1", "tabs", "quotes"])
    if kind == "bom":
        return b"\xef\xbb\xbf" + data
    if kind == "semicolon":
        return text.replace(",", ";").encode()
    if kind == "crlf":
        return text.replace("\n", "\r\n").encode()
    if kind == "tabs":
        return text.replace(",", "\t").encode()
    if kind == "quotes":
        return text.replace(",", ',"', 3).encode()
    return text.replace("a", "ä", 5).encode("latin-1", errors="replace")


def yaml_hostile(rng: random.Random, data: bytes, suffix: str) -> bytes:
    kind = rng.choice(["deep", "tag", "alias", "anchor_bomb", "list_cell", "scalar_project"])
    if kind == "deep":
        return b"tasks: " + b"[" * 5000 + b"]" * 5000 + b"\n"
    if kind == "tag":
        return data.replace(b"tasks:", b"tasks: !!python/object/apply:os.system ['true']\nx:", 1)
    if kind == "alias":
        return b"a: &a [1]\ntasks:\n  - {id: A, duration: *a}\n"
    if kind == "anchor_bomb":
        lines = [b"a0: &a0 [x, x, x, x, x, x, x, x, x]"]
        lines += [f"a{i}: &a{i} [".encode() + b", ".join([f"*a{i - 1}".encode()] * 9) + b"]"
                  for i in range(1, 9)]
        return b"\n".join(lines) + b"\ntasks:\n  - {id: A, duration: 1, name: *a8}\n"
    if kind == "list_cell":
        return data.replace(b"duration: 5", b"duration: [5, 6]", 1)
    return re.sub(rb"project:\n(  .*\n)+", b"project: 5\n", data, count=1)


def xml_hostile(rng: random.Random, data: bytes, suffix: str) -> bytes:
    kind = rng.choice(["doctype", "entity", "external", "encoding", "deep", "pi"])
    body = re.sub(rb"^<\?xml[^>]*\?>\s*", b"", data)
    if kind == "doctype":
        return b'<?xml version="1.0"?>\n<!DOCTYPE Project SYSTEM "http://example.invalid/x.dtd">\n' + body
    if kind == "entity":
        return (b'<?xml version="1.0"?>\n<!DOCTYPE p [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;'
                b'&a;&a;&a;&a;&a;&a;&a;">]>\n' + body.replace(b"<Name>", b"<Name>&b;", 1))
    if kind == "external":
        return (b'<?xml version="1.0"?>\n<!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
                + body.replace(b"<Name>", b"<Name>&x;", 1))
    if kind == "encoding":
        return b'<?xml version="1.0" encoding="' + rng.choice([b"x-unknown", b"utf-16", b"ebcdic"]) \
            + b'"?>\n' + body
    if kind == "deep":
        return b"<Project>" + b"<a>" * 100_000 + b"</a>" * 100_000 + b"</Project>"
    return b'<?xml version="1.0"?>\n<?xml-stylesheet href="x"?>\n' + body


def xlsx_hostile(rng: random.Random, data: bytes, suffix: str) -> bytes:
    """Damage one ``xl/`` part of the workbook (a sheet, the string table, the styles, …) with
    one generic mutation: truncation, byte flips, hostile numbers, extreme dates or a deleted
    field."""
    try:
        src = zipfile.ZipFile(io.BytesIO(data))
        parts = {n: src.read(n) for n in src.namelist()}
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, zlib.error):
        return flip_bytes(rng, data, suffix)  # already damaged by an earlier step
    names = list(parts)
    target = rng.choice([n for n in names if n.startswith("xl/")] or names)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for n in names:
            part = parts[n]
            if n == target:
                part = rng.choice([truncate, flip_bytes, hostile_number, extreme_date,
                                   delete_field])(rng, part, ".xml")
            dst.writestr(n, part)
    return out.getvalue()


GENERIC: list[Callable[[random.Random, bytes, str], bytes]] = [
    truncate, flip_bytes, delete_line, duplicate_line, delete_field, hostile_number,
    extreme_date, long_string]
SPECIFIC: dict[str, list[Callable[[random.Random, bytes, str], bytes]]] = {
    "csv": [self_loop_and_cycle, csv_dialect, csv_dialect],
    "jira": [csv_dialect],
    "yaml": [yaml_hostile, yaml_hostile, self_loop_and_cycle],
    "json": [],
    "mspdi": [xml_hostile], "pmxml": [xml_hostile], "gan": [xml_hostile],
    "planner": [xml_hostile],
    "xlsx": [xlsx_hostile, xlsx_hostile, xlsx_hostile],
}


def cases(reader: str, count: int, seed: int = 0) -> Iterator[Case]:
    """``count`` mutated files of ``reader``'s seeds, reproducible from ``seed``."""
    seeds = SEEDS[reader]
    mutations = (GENERIC if reader != "xlsx" else [truncate, flip_bytes]) + SPECIFIC.get(reader, [])
    for k in range(count):
        rng = random.Random(f"{reader}-{seed}-{k}")
        name, rel = seeds[k % len(seeds)]
        data = seed_bytes(name, rel)
        steps = [rng.choice(mutations) for _ in range(1 if k % 3 else 2)]
        for step in steps:
            data = step(rng, data, Path(name).suffix.lower())
        yield Case(reader, name, f"{reader}-{seed}-{k} {name}: " + " + ".join(s.__name__ for s in steps),
                   data)
