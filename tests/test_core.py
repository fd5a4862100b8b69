"""The private scheduling core: codes, graph passes, the PDM rules, the seed helper, and
numba being optional (the same results with ``TPMKIT_NO_NUMBA=1``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tpmkit._core import graph, pdm
from tpmkit._core.codes import EPS, ConstraintType, LinkType
from tpmkit._core.rng import resolve_rng
from tpmkit.errors import CycleError, ValidationError
from tpmkit.model import CONSTRAINT_TYPES, LINK_TYPES

ROOT = Path(__file__).resolve().parents[1]


# ------------------------------------------------------------------------------- codes
def test_codes_match_the_model_tables():
    assert [(t.name, int(t)) for t in LinkType] == [("FS", 0), ("SS", 1), ("FF", 2), ("SF", 3)]
    assert [t.name for t in LinkType] == list(LINK_TYPES)
    assert [(c.name, int(c)) for c in ConstraintType] == [
        ("NONE", 0), ("SNET", 1), ("SNLT", 2), ("FNET", 3), ("FNLT", 4), ("MSO", 5), ("MFO", 6),
        ("ALAP", 7)]
    assert [c.name for c in ConstraintType][1:] == list(CONSTRAINT_TYPES)
    assert LinkType.FF == 2 and np.int64(2) == LinkType.FF
    assert EPS == 1e-9


# ------------------------------------------------------------------------------- graph
def test_csr_groups_arcs_stably():
    ptr, idx, order = graph.csr(np.array([2, 0, 2, 1]), np.array([10, 11, 12, 13]), 3)
    assert ptr.tolist() == [0, 1, 2, 4]
    assert idx.tolist() == [11, 13, 10, 12]
    assert order.tolist() == [1, 3, 0, 2]


def test_topological_order_ties_in_input_order():
    # 3 → 1, 0 → 2, 2 → 1: Kahn with a FIFO queue starts with 0 and 3 in input order
    order = graph.topological_order(4, np.array([3, 0, 2]), np.array([1, 2, 1]))
    assert order.tolist() == [0, 3, 2, 1]
    assert graph.topological_order(3, np.array([], np.int64), np.array([], np.int64)).tolist() \
        == [0, 1, 2]


def test_cycle_is_found_and_returned():
    frm, to = np.array([0, 1, 2, 3]), np.array([1, 2, 3, 1])
    assert graph.topological_order(4, frm, to) is None
    assert graph.find_cycle(4, frm, to) == [1, 2, 3, 1]
    assert graph.find_cycle(3, np.array([0, 0]), np.array([1, 2])) == []
    assert graph.find_cycle(1, np.array([0]), np.array([0])) == [0, 0]


def test_topo_by_key_takes_the_smallest_key_first():
    # 0 → 2; 1 free; keys make 1 first, then 0, then 2
    in_ptr, _, _ = graph.csr(np.array([2]), np.array([0]), 3)
    out_ptr, out_idx, _ = graph.csr(np.array([0]), np.array([2]), 3)
    out = np.empty(3, np.int64)
    assert graph.topo_by_key(np.array([2.0, 1.0, 0.0]), in_ptr, out_ptr, out_idx, out) == 3
    assert out.tolist() == [1, 0, 2]


def test_longest_path_forward_backward_and_cycle():
    # 0 →(3) 1 →(2) 2, and 0 →(1) 2
    frm, to, w = np.array([0, 1, 0]), np.array([1, 2, 2]), np.array([3.0, 2.0, 1.0])
    es = graph.longest_path(3, frm, to, w, np.zeros(3))
    assert es.tolist() == [0.0, 3.0, 5.0]
    ls = graph.longest_path(3, frm, to, w, np.full(3, 6.0), forward=False)
    assert ls.tolist() == [1.0, 4.0, 6.0]
    # a zero-length cycle (negative lag back) falls back to label correcting
    s = graph.longest_path(2, np.array([0, 1]), np.array([1, 0]), np.array([2.0, -2.0]),
                           np.zeros(2))
    assert s.tolist() == [0.0, 2.0]
    with pytest.raises(CycleError, match="cycle"):
        graph.longest_path(2, np.array([0, 1]), np.array([1, 0]), np.array([2.0, -1.0]),
                           np.zeros(2))


# ------------------------------------------------------------------------------- PDM rules
def _two_tasks(t: int, lag: float, pct: float, d=(4.0, 2.0), ctype=(0, 0),
               coff=(np.nan, np.nan), finish: float | None = None):
    """A → B with one link; returns (es, ef, drive, ls, lf) of the core passes."""
    order = np.array([0, 1])
    ptr = np.array([0, 0, 1])       # B has one predecessor link
    sptr = np.array([0, 1, 1])      # A has one successor link
    link = np.array([0])
    args = (np.array([t]), np.array([lag]), np.array([pct]), np.array(d, float),
            np.array(ctype, np.int64), np.array(coff, float))
    none = np.zeros(0)  # no release/due bounds (no status date)
    es, ef, drive = pdm.forward_pass(order, ptr, link, np.array([0]), *args, none, none,
                                     *pdm.NO_CALENDARS)  # whole days of one calendar
    T = float(ef.max()) if finish is None else finish
    ls, lf = pdm.backward_pass(order, sptr, link, np.array([1]), *args, none, none, T,
                               *pdm.NO_CALENDARS)
    return es, ef, drive, ls, lf


@pytest.mark.parametrize(("t", "es_b", "lf_a"), [
    # A: 4 days, B: 2 days, lag = 1 day + 25 % of A = 2 days (Moder, Phillips & Davis ch. 4)
    (LinkType.FS, 6.0, 4.0),   # ES_B = EF_A + 2;        LF_A = LS_B − 2 = 6 − 2
    (LinkType.SS, 2.0, 4.0),   # ES_B = ES_A + 2;        LF_A = LS_B − 2 + d_A = 2 − 2 + 4
    (LinkType.FF, 4.0, 4.0),   # ES_B = EF_A + 2 − d_B;  LF_A = LF_B − 2 = 6 − 2
    (LinkType.SF, 0.0, 4.0),   # ES_B = ES_A + 2 − d_B;  LF_A = min(T, LF_B − 2 + d_A) = 4
])
def test_link_types_by_hand(t, es_b, lf_a):
    es, ef, drive, ls, lf = _two_tasks(int(t), 1.0, 0.25)
    assert es.tolist() == [0.0, es_b]
    assert ef[1] == es_b + 2.0
    assert lf[0] == lf_a
    assert drive.tolist() == [-1, 0]


def test_backward_link_rules_by_hand():
    # LS_s = 5, LF_s = 8, lag 2, d = 3
    assert [pdm.backward_link(t, 5.0, 8.0, 2.0, 3.0) for t in LinkType] == [3.0, 6.0, 6.0, 9.0]
    assert [pdm.forward_link(t, 1.0, 4.0, 2.0, 3.0) for t in LinkType] == [6.0, 3.0, 3.0, 0.0]
    assert pdm.link_lag(1.0, 0.5, 4.0) == 3.0


@pytest.mark.parametrize(("c", "pushed", "es", "lf", "drive"), [
    # task B (3 days) after A (4 days, FS): early start 4 without the constraint; offset 5
    (ConstraintType.NONE, 4.0, 4.0, 12.0, 0),
    (ConstraintType.SNET, 4.0, 5.0, 12.0, -2),   # raises ES to 5
    (ConstraintType.SNET, 6.0, 6.0, 12.0, 0),    # a later link wins
    (ConstraintType.FNET, 1.0, 2.0, 12.0, -2),   # ES ≥ 5 − 3
    (ConstraintType.SNLT, 4.0, 4.0, 8.0, 0),     # LF ≤ 5 + 3
    (ConstraintType.FNLT, 4.0, 4.0, 5.0, 0),     # LF ≤ 5
    (ConstraintType.MSO, 6.0, 5.0, 8.0, -2),     # pinned: ES = 5, LF = 8
    (ConstraintType.MFO, 6.0, 2.0, 5.0, -2),     # pinned: EF = 5, LF = 5
])
def test_constraints_by_hand(c, pushed, es, lf, drive):
    lag = pushed - 4.0
    e, _, dr, _, f = _two_tasks(int(LinkType.FS), lag, 0.0, d=(4.0, 3.0), ctype=(0, int(c)),
                                coff=(np.nan, 5.0), finish=12.0)
    assert e[1] == es and f[1] == lf and dr[1] == drive


def test_rows_apply_the_scalar_rules():
    rng = np.random.default_rng(0)
    m = 16
    es_p, d_p, d = rng.random(m) * 5, rng.random(m) * 3, rng.random(m) * 3
    for t in LinkType:
        best = np.zeros(m)
        pdm.forward_links_row(int(t), es_p, d_p, d, 0.5, 0.25, best, m)
        want = [max(0.0, pdm.forward_link(int(t), es_p[i], es_p[i] + d_p[i],
                                          0.5 + 0.25 * d_p[i], d[i])) for i in range(m)]
        assert best.tolist() == want
        best = np.full(m, 9.0)
        lf_s = es_p + d_p
        pdm.backward_links_row(int(t), lf_s, d_p, d, 0.5, 0.25, best, m)
        want = [min(9.0, pdm.backward_link(int(t), lf_s[i] - d_p[i], lf_s[i],
                                           0.5 + 0.25 * d[i], d[i])) for i in range(m)]
        assert best.tolist() == want


def test_start_distance_and_release():
    lt = np.array([0, 1, 2, 3])
    dist = pdm.start_distance(lt, np.full(4, 4.0), np.full(4, 1.0), np.full(4, 2.0))
    assert dist.tolist() == [5.0, 1.0, 3.0, -1.0]
    rel = pdm.release_start(np.arange(7), np.full(7, 5.0), np.full(7, 2.0))
    assert rel.tolist() == [-np.inf, 5.0, -np.inf, 3.0, -np.inf, 5.0, 3.0]


# ------------------------------------------------------------------------------- rng
def test_resolve_rng():
    g, seed = resolve_rng(7)
    assert seed == 7 and g.random() == np.random.default_rng(7).random()
    gen = np.random.default_rng(3)
    assert resolve_rng(gen) == (gen, None)
    g2, s2 = resolve_rng(np.random.default_rng(3), reseed=True)
    assert s2 == int(np.random.default_rng(3).integers(2**63))
    assert g2.random() == np.random.default_rng(s2).random()
    _, s3 = resolve_rng(None)
    assert isinstance(s3, int) and 0 <= s3 < 2**63
    for bad in (-1, 1.5, True, "7"):
        with pytest.raises(ValidationError, match="rng=42"):
            resolve_rng(bad)


# ------------------------------------------------------------------------------- numba optional
_SCRIPT = r'''
import json, sys
import numpy as np, pandas as pd
import tpmkit
from tpmkit import resources, risk
table = pd.DataFrame({
    "id": list("ABCDEFG"), "duration": [3, 2, 4, 1, 2, 3, 0],
    "optimistic": [2, 1, 3, 1, 1, 2, 0], "most_likely": [3, 2, 4, 1, 2, 3, 0],
    "pessimistic": [6, 4, 8, 2, 5, 4, 0],
    "predecessors": ["", "A", "A SS+1", "B FF+50%", "C SF+2; D", "B; C FS-1", "E; F"],
    "resources": ["r:1", "r:1", "r:1", "q:1", "r:1", "q:1", ""],
    "constraint": ["", "SNET", "", "FNLT", "", "", ""],
    "constraint_date": [None, 4, None, 12, None, None, None],
})
p = tpmkit.read({"tasks": table,
                 "resources": pd.DataFrame({"id": ["r", "q"], "capacity": [1, 1]})})
reg = pd.DataFrame({"id": ["R1"], "probability": [0.4], "tasks": ["C"],
                    "impact_days": ["1,2,5"], "impact_cost": ["100"]})
s = tpmkit.schedule(p)
sched = s.table if hasattr(s, "table") else s
out = {"schedule": sched[["early_start", "early_finish", "late_start", "late_finish",
                          "total_float", "free_float"]].to_numpy().tolist()}
for name, opts in {"plain": {}, "risks": {"risks": reg},
                   "correlated": {"correlation": [(["A", "C"], 0.6)]}}.items():
    r = risk.simulate(p, 700, rng=11, progress=False, **opts)
    out[name] = [r.finish.tolist(), r.cost.tolist(),
                 r.tasks.select_dtypes("number").to_numpy(float).tolist()]
lv = resources.level(p, rng=5, passes=300)
out["level"] = [lv.schedule["start"].tolist(), float(lv.makespan)]
out["numba_loaded"] = "numba" in sys.modules
print(json.dumps(out))
'''


def _run(no_numba: bool) -> dict:
    env = {**os.environ, "TPMKIT_NO_NUMBA": "1" if no_numba else "0"}
    res = subprocess.run([sys.executable, "-c", _SCRIPT], capture_output=True, text=True,
                         env=env, cwd=ROOT, timeout=900, check=False)
    assert res.returncode == 0, res.stderr[-3000:]
    return json.loads(res.stdout.splitlines()[-1])


def test_without_numba_the_results_are_identical():
    """schedule, simulate (plain, risks, correlation; every statistic) and level give the
    same numbers, bit for bit, with and without numba (JSON keeps every float exactly)."""
    pure = _run(no_numba=True)
    compiled = _run(no_numba=False)
    assert not pure.pop("numba_loaded")
    assert compiled.pop("numba_loaded")
    assert set(pure) == set(compiled)
    for key in pure:
        for a, b in zip(pure[key], compiled[key], strict=True):
            np.testing.assert_array_equal(np.asarray(a, float), np.asarray(b, float),
                                          err_msg=key)


def test_import_tpmkit_does_not_import_numba():
    code = ("import sys, tpmkit\n"
            "bad = [m for m in ('numba', 'matplotlib', 'ipywidgets', 'IPython') if m in sys.modules]\n"
            "print(','.join(bad))")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, timeout=300, check=True)
    assert res.stdout.strip() == ""


def test_small_networks_run_without_loading_numba():
    """Reading and scheduling a small network runs the core passes as Python (below
    ``COMPILE_ABOVE``); the compiled kernels load on the first large or stochastic call."""
    code = ("import sys, pandas as pd, tpmkit\n"
            "p = tpmkit.read(pd.DataFrame({'id': list('ABC'), 'duration': [3, 2, 4],\n"
            "                              'predecessors': ['', 'A', 'A SS+1']}))\n"
            "tpmkit.schedule(p)\n"
            "print('numba' in sys.modules)")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, timeout=300, check=True)
    assert res.stdout.strip() == "False"


def test_lazy_kernels_give_the_same_passes_as_python():
    """A lazy kernel runs as Python before numba is loaded and compiled after: same bits."""
    from tpmkit._core import jit

    rng = np.random.default_rng(4)
    n = 40
    frm = np.concatenate([rng.integers(0, j, 2) for j in range(1, n)])
    to = np.repeat(np.arange(1, n), 2)
    w = rng.random(len(frm)) * 5
    if not jit.HAVE_NUMBA:
        pytest.skip("without numba every kernel is Python")
    py = graph.dag_pass.py_func(n, frm, to, w, np.zeros(n), True)
    got = graph.dag_pass.compiled(n, frm, to, w, np.zeros(n), True) if isinstance(
        graph.dag_pass, jit.Kernel) else graph.dag_pass(n, frm, to, w, np.zeros(n), True)
    np.testing.assert_array_equal(py[0], got[0])
    assert py[1] and got[1]


_REAL_CALLS = r'''
import gc, warnings
import numpy as np, pandas as pd
import tpmkit
from tpmkit import ccpm, compression, resources, risk
from tpmkit.cpm import passes
rng = np.random.default_rng(2)
n = 60
kinds = ["", " SS+1", " FF", " SF+2", " FS-1"]
preds = [""] + [";".join(f"T{i}" + kinds[rng.integers(0, 5)]
                         for i in sorted(set(rng.integers(max(0, j - 6), j, 2))))
                for j in range(1, n)]
o = rng.integers(1, 5, n).astype(float)
tasks = pd.DataFrame({"id": [f"T{j}" for j in range(n)], "duration": o + 1, "optimistic": o,
                      "most_likely": o + 1, "pessimistic": o + 4, "predecessors": preds,
                      "resources": [f"dev:{rng.integers(1, 3)}" for _ in range(n)],
                      "crash_duration": o, "crash_cost": 100 * o, "cost": 50 * o})
p = tpmkit.read({"tasks": tasks, "resources": pd.DataFrame({"id": ["dev"], "capacity": [3]})})
reg = pd.DataFrame({"id": ["R1"], "probability": [0.3], "tasks": ["T5"],
                    "impact_days": ["1,2,4"]})
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    tpmkit.schedule(p)
    for opts in ({}, {"risks": reg}, {"correlation": [(["T1", "T2"], 0.5)]},
                 {"latin_hypercube": True}):
        risk.simulate(p, 3000, rng=1, progress=False, **opts).tasks
    resources.level(p, rng=1, passes=300)
    resources.level(p, rng=1, passes=300, scheme="parallel", within_float=True)
    compression.crash(p, float(passes(p.network())["project_finish"]) - 1)
    ccpm.critical_chain(p)
from numba.core.registry import CPUDispatcher
print([o.__name__ for o in gc.get_objects() if isinstance(o, CPUDispatcher)
       and o.py_func.__module__.startswith("tpmkit") and o.stats.cache_misses])
'''


def test_warm_up_compiles_every_signature_that_real_calls_use():
    """After ``python -m tpmkit._warmup`` the first real schedule, simulations (plain, risks,
    correlation, Latin hypercube), levelling and crashing load every kernel from the disk
    cache: no dispatcher compiles (numba counts a compile as a cache miss)."""
    from tpmkit._core.jit import HAVE_NUMBA

    if not HAVE_NUMBA:
        pytest.skip("nothing is compiled without numba")
    subprocess.run([sys.executable, "-m", "tpmkit._warmup"], cwd=ROOT, timeout=900,
                   check=True, capture_output=True)
    res = subprocess.run([sys.executable, "-c", _REAL_CALLS], capture_output=True, text=True,
                         cwd=ROOT, timeout=900, check=False)
    assert res.returncode == 0, res.stderr[-3000:]
    assert res.stdout.strip().splitlines()[-1] == "[]"


def test_path_kernels_compiled_and_python_agree():
    """enumerate_paths, heaviest_path and chase: the same answers compiled and as Python,
    on random DAGs (successors in CSR order), with the path count cut at the limit."""
    from tpmkit._core import jit

    if not jit.HAVE_NUMBA:
        pytest.skip("without numba every kernel is Python")

    def compiled(kernel, *args):
        return kernel.compiled(*args) if isinstance(kernel, jit.Kernel) else kernel(*args)
    rng = np.random.default_rng(7)
    for _ in range(20):
        n = int(rng.integers(2, 30))
        key = np.unique(np.concatenate([rng.integers(0, j, 2) * n + j for j in range(1, n)]))
        frm, to = key // n, key % n
        ptr, idx, _ = graph.csr(frm, to, n)
        has_pred = np.zeros(n, bool)
        has_pred[to] = True
        roots = np.flatnonzero(~has_pred)
        for limit in (1, 5, 1000):
            a = graph.enumerate_paths.py_func(roots, ptr, idx, limit)
            b = compiled(graph.enumerate_paths, roots, ptr, idx, limit)
            np.testing.assert_array_equal(a[0], b[0])
            np.testing.assert_array_equal(a[1], b[1])
            assert len(a[1]) - 1 <= limit
        w = rng.integers(0, 3, n).astype(float)
        order = np.arange(n)
        np.testing.assert_array_equal(graph.heaviest_path.py_func(order, ptr, idx, w, roots, 1e-12),
                                      compiled(graph.heaviest_path, order, ptr, idx, w, roots, 1e-12))
        parent = np.where(np.arange(n) > 0, np.arange(n) - 1, -1)
        np.testing.assert_array_equal(compiled(graph.chase, parent, n - 1), np.arange(n)[::-1])
