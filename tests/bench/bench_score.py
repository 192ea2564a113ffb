#!/usr/bin/env python3
"""Benchmark: scoring households with the Guangxi-style scorecard, the library
against the same scorecard implemented with numpy column operations.

usage: bench_score.py [N=1000000] [--bench-exe PATH]

1. Runs the C benchmark (tests/bench/bench_score.c) on N synthetic households:
   households per second on one thread (CPU time), peak memory.
2. Interprets the same scorecard JSON with numpy, vectorised over columns
   (bands by searchsorted, maps by lookup arrays, expressions and member counts
   as array operations, the same missing-value rules), on N synthetic
   households of the same kind: households per second (CPU time).
3. Checks the numpy implementation against the library on a few thousand
   households (built through the binding): the totals must agree to 1e-9, so
   the two really compute the same thing.
Prints both figures and the ratio. Run by hand, never by meson test.
"""
import ctypes
import json
import os
import pathlib
import resource
import subprocess
import sys
import time

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bindings" / "python"))

from povmetrics import _ffi  # noqa: E402
from povmetrics.scorecard import Scorecard  # noqa: E402

CARD = "guangxi_style_2015"


# ---- the schema (codes of category indicators) -------------------------------

def schema_of(sc):
    f = _ffi.lib["pov_schema_to_json"]
    f.restype, f.argtypes = ctypes.c_int, [ctypes.c_void_p, ctypes.POINTER(ctypes.c_void_p)]
    out = ctypes.c_void_p()
    _ffi.check(f(sc.schema_handle, ctypes.byref(out)))
    try:
        doc = json.loads(ctypes.string_at(out.value).decode())
    finally:
        _ffi.lib.pov_free(out)
    return {i["id"]: i for i in doc["indicators"]}


# ---- synthetic data (numpy), the same kinds of values as bench_score.c ----------

def number_scale(iid, rng, n, integer):
    if any(t in iid for t in ("income", "exp_", "debt", "cost", "transfer", "value", "loss")):
        v = np.where(rng.random(n) < 0.3, 0.0, 20000 * rng.random(n) * rng.random(n))
    elif "floor_area" in iid:
        v = 20 + 130 * rng.random(n)
    elif any(t in iid for t in ("_mu", "land", "pond")):
        v = 5 * rng.random(n)
    elif "minutes" in iid:
        v = 40 * rng.random(n)
    elif "pct" in iid:
        v = 80 + 20 * rng.random(n)
    elif "litres" in iid:
        v = 20 + 60 * rng.random(n)
    elif iid == "cars":
        v = (rng.random(n) < 0.03).astype(float)
    elif iid == "year":
        v = np.full(n, 2015.0)
    else:
        v = 6 * rng.random(n)
    return np.floor(v) if integer else v


RARE = {"town_property", "purchased_land", "owns_company", "drugs_gambling", "employs_labour",
        "private_school_abroad"}


def synth(schema, n, seed=1):
    """Household columns H[id] (float, NaN missing; categories as code index),
    member columns M[id], member offsets, plus JSON-ready raw values."""
    rng = np.random.default_rng(seed)
    H, raw = {}, {}
    for iid, ind in schema.items():
        if ind["level"] != "household" or ind.get("derived") or ind["type"] == "text" \
                or iid.startswith("cause_"):
            continue
        t = ind["type"]
        if t in ("number", "integer"):
            H[iid] = number_scale(iid, rng, n, t == "integer")
        elif t == "boolean":
            H[iid] = (rng.random(n) < (0.01 if iid in RARE else 0.5)).astype(float)
        elif t == "category":
            H[iid] = np.floor(rng.random(n) * len(ind["codes"]))
        raw[iid] = H[iid]
    nm = 1 + np.floor(rng.random(n) * 6).astype(np.int64)
    off = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(nm, out=off[1:])
    m = int(off[-1])
    codes = {k: [c["code"] for c in schema[k]["codes"]] for k in
             ("labour_capacity", "health", "disability_grade", "schooling")}
    M = {
        "age": np.floor(rng.random(m) * 90),
        "labour_capacity": np.floor(rng.random(m) * 5),
        "health": np.array([0, 0, 0, 1, 2, 3], float)[np.floor(rng.random(m) * 6).astype(int)],
        "disability_grade": np.where(rng.random(m) < 0.05, codes["disability_grade"].index("grade_3"), 0).astype(float),
        "schooling": np.where(rng.random(m) < 0.03, codes["schooling"].index("dropped_out"),
                              codes["schooling"].index("graduated")).astype(float),
        "migrant_months": np.floor(rng.random(m) * 12),
        "medical_insurance": (rng.random(m) < 0.95).astype(float),
        "public_funds_paid": (rng.random(m) < 0.005).astype(float),
    }
    derive(H, M, off, codes)
    return H, M, off, raw, codes


def derive(H, M, off, codes):
    """The derived indicators the scorecard reads (the national definition of
    lib/data/derive.c: labour = age 16–64 and able to work; net income = the
    five components − excluded transfers − production costs)."""
    size = np.diff(off).astype(float)
    H["household_size"] = size
    cap = M["labour_capacity"]
    lab = (M["age"] >= 16) & (M["age"] <= 64) & (cap != codes["labour_capacity"].index("none")) \
        & (cap != codes["labour_capacity"].index("lost"))
    labour = np.add.reduceat(lab.astype(float), off[:-1])
    H["labour_count"] = labour
    H["dependency_ratio"] = (size - labour) / np.maximum(labour, 1)
    sch = M["schooling"]
    oos = (M["age"] >= 6) & (M["age"] <= 15) & np.isin(sch, [codes["schooling"].index(c) for c in (
        "never_enrolled", "dropped_out", "suspended")])
    H["school_age_out_of_school"] = np.add.reduceat(oos.astype(float), off[:-1])
    H["uninsured_members"] = np.add.reduceat((M["medical_insurance"] == 0).astype(float), off[:-1])
    net = sum(H[k] for k in ("income_wage", "income_operating", "income_property",
                             "income_transfer", "income_other"))
    net = net - H["transfer_basic_pension"] - H["transfer_dibao_c"] - H["transfer_temporary_relief"] \
        - H["production_costs"]
    H["net_income"] = net
    H["per_capita_net_income"] = net / size
    H["floor_area_per_capita"] = H["floor_area"] / size


# ---- the scorecard with numpy ----------------------------------------------------

class NumpyScorecard:
    """Interprets a povmetrics.scorecard/1 document with numpy array operations,
    following docs/scorecard-format.md and docs/conditions.md (NaN = missing)."""

    def __init__(self, doc, schema):
        self.doc, self.schema = doc, schema

    def code(self, var, s):
        return float([c["code"] for c in self.schema[var]["codes"]].index(s))

    def ev(self, node, H, M, off, member):
        if isinstance(node, bool):
            return 1.0 if node else 0.0
        if isinstance(node, (int, float)):
            return float(node)
        (op, args), = node.items()
        if op == "var":
            src = M if (member and args in M) else H
            return src[args]
        a = args if isinstance(args, list) else [args]
        if op in ("count", "some"):
            cond = self.ev(a[1], H, M, off, True)
            cond = np.broadcast_to(np.asarray(cond, float), (len(M["age"]),))
            starts = off[:-1]
            nan = np.add.reduceat(np.isnan(cond).astype(float), starts) > 0
            true = np.add.reduceat((cond == 1).astype(float), starts)
            if op == "count":
                return np.where(nan, np.nan, true)
            return np.where(true > 0, 1.0, np.where(nan, np.nan, 0.0))
        if op in ("==", "!=") and any(isinstance(x, str) for x in a):
            var = a[0]["var"] if isinstance(a[0], dict) else a[1]["var"]
            s = a[1] if isinstance(a[1], str) else a[0]
            x = self.ev({"var": var}, H, M, off, member)
            r = (x == self.code(var, s)) if op == "==" else (x != self.code(var, s))
            return np.where(np.isnan(x), np.nan, r.astype(float))
        if op == "in":
            var = a[0]["var"]
            x = self.ev(a[0], H, M, off, member)
            r = np.isin(x, [self.code(var, s) for s in a[1]])
            return np.where(np.isnan(x), np.nan, r.astype(float))
        xs = [self.ev(x, H, M, off, member) for x in a]
        with np.errstate(all="ignore"):
            if op in ("==", "!=", ">", ">=", "<", "<="):
                x, y = xs
                r = {"==": np.equal, "!=": np.not_equal, ">": np.greater, ">=": np.greater_equal,
                     "<": np.less, "<=": np.less_equal}[op](x, y).astype(float)
                return np.where(np.isnan(x) | np.isnan(y), np.nan, r)
            if op == "+":
                return xs[0] + xs[1] if len(xs) == 2 else sum(xs)
            if op == "-":
                return xs[0] - xs[1]
            if op == "*":
                return xs[0] * xs[1]
            if op == "/":
                x, y = xs
                r = np.where(y == 0, np.nan, x / np.where(y == 0, 1, y))
                return np.where(np.isfinite(r), r, np.nan)
            if op in ("min", "max"):
                return (np.minimum if op == "min" else np.maximum)(xs[0], xs[1])
        raise NotImplementedError(op)

    def score(self, H, M, off, n):
        total = np.zeros(n)
        for cat in self.doc["categories"]:
            sub = np.zeros(n)
            for it in cat["items"]:
                v = np.asarray(H[it["indicator"]] if "indicator" in it
                               else self.ev(it["expr"], H, M, off, False), dtype=float)
                v = np.broadcast_to(v, (n,))
                if "bands" in it:
                    b = it["bands"]
                    lo = np.array([-np.inf if x["min"] is None else x["min"] for x in b])
                    hi = np.array([np.inf if x["max"] is None else x["max"] for x in b])
                    pts = np.array([x["points"] for x in b], float)
                    j = np.searchsorted(lo, v, side="right") - 1
                    jc = np.clip(j, 0, len(b) - 1)
                    ok = (j >= 0) & (v < hi[jc])
                    p = pts[jc]
                elif "map" in it:
                    codes = [c["code"] for c in self.schema[it["indicator"]]["codes"]]
                    table = np.array([it["map"].get(c, it.get("default", np.nan)) for c in codes], float)
                    ok = ~np.isnan(v)
                    p = table[np.where(ok, v, 0).astype(np.int64)]
                elif "per_unit" in it:
                    pu = it["per_unit"]
                    ok = ~np.isnan(v)
                    p = np.clip(v / pu.get("per", 1) * pu["points"], -pu["cap"], pu["cap"])
                elif "boolean" in it:
                    ok = ~np.isnan(v)
                    p = np.where(v != 0, it["boolean"]["true"], it["boolean"]["false"])
                else:
                    ok = ~np.isnan(v)
                    p = np.clip(v, it["min"], it["max"])
                sub += np.where(ok, p, it.get("missing", 0.0))  # lenient mode
            total += np.minimum(sub, cat.get("cap", np.inf))
        vetoed = np.zeros(n, bool)
        for ve in self.doc.get("vetoes", []):
            vetoed |= np.broadcast_to(self.ev(ve["when"], H, M, off, False) == 1, (n,))
        return total, vetoed


# ---- the library on the same small data, through the binding --------------------

def library_totals(sc, schema, H, M, off, raw, codes, n):
    lib = _ffi.lib
    vp = ctypes.c_void_p
    new, app, hfrom, hfree, dfree = (lib[x] for x in ("pov_dataset_new", "pov_dataset_append",
                                                     "pov_household_from_json", "pov_household_free",
                                                     "pov_dataset_free"))
    new.argtypes, app.argtypes = [vp, ctypes.POINTER(vp)], [vp, vp]
    hfrom.argtypes = [vp, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.POINTER(vp)]
    hfree.argtypes = dfree.argtypes = [vp]
    ds = vp()
    _ffi.check(new(sc.schema_handle, ctypes.byref(ds)))
    names = {k: [c["code"] for c in schema[k]["codes"]] for k in schema if schema[k]["type"] == "category"}
    for i in range(n):
        obj = {"id": f"h{i:06d}", "county_code": "450123", "village_code": f"V{i // 300}"}
        for k, col in raw.items():
            t = schema[k]["type"]
            x = col[i]
            obj[k] = names[k][int(x)] if t == "category" else (bool(x) if t == "boolean" else
                                                                  (int(x) if t == "integer" else float(x)))
        mem = []
        for j in range(off[i], off[i + 1]):
            mem.append({"age": int(M["age"][j]),
                        "labour_capacity": codes["labour_capacity"][int(M["labour_capacity"][j])],
                        "health": codes["health"][int(M["health"][j])],
                        "disability_grade": codes["disability_grade"][int(M["disability_grade"][j])],
                        "schooling": codes["schooling"][int(M["schooling"][j])],
                        "migrant_months": int(M["migrant_months"][j]),
                        "medical_insurance": bool(M["medical_insurance"][j]),
                        "public_funds_paid": bool(M["public_funds_paid"][j])})
        obj["members"] = mem
        text = json.dumps(obj).encode()
        h = vp()
        _ffi.check(hfrom(sc.schema_handle, text, len(text), None, ctypes.byref(h)))
        _ffi.check(app(ds, h))
        hfree(h)

    class _D:
        _as_parameter_ = ds
    res = sc.score(_D(), mode="lenient", detail="totals")
    out = np.array(res.totals)
    vetoed = np.array([res.veto_count(i) > 0 for i in range(n)])
    res.close()
    dfree(ds)
    return out, vetoed


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 and not sys.argv[1].startswith("-") else 1_000_000
    exe = None
    if "--bench-exe" in sys.argv:
        exe = sys.argv[sys.argv.index("--bench-exe") + 1]
    else:
        for b in sorted(ROOT.glob("build*/tests/bench/bench_score")):
            exe = str(b)
            break
    sc = Scorecard.default(CARD)
    doc = json.loads(Scorecard.default_json(CARD))
    schema = schema_of(sc)
    npsc = NumpyScorecard(doc, schema)

    # 3. the numpy implementation agrees with the library
    check_n = 3000
    H, M, off, raw, codes = synth(schema, check_n, seed=7)
    t_np, v_np = npsc.score(H, M, off, check_n)
    t_c, v_c = library_totals(sc, schema, H, M, off, raw, codes, check_n)
    diff = float(np.max(np.abs(t_np - t_c)))
    print(f"check: {check_n} households, max |numpy - library| = {diff:.3g}, "
          f"vetoes equal: {bool((v_np == v_c).all())}")
    if diff > 1e-9 or not (v_np == v_c).all():
        print("MISMATCH between numpy and the library", file=sys.stderr)
        return 1

    # 1. the library (C benchmark)
    c = {}
    if exe:
        out = subprocess.run([exe, str(n), CARD], capture_output=True, text=True, check=True).stdout
        c = dict(line.split("=", 1) for line in out.split())
        print(f"library: {n} households, {c['items']} items, mean score {c['mean_score']}")
        print(f"  totals only : {float(c['score_totals_seconds']):.3f} s CPU, "
              f"{float(c['score_totals_households_per_second']):,.0f} households/s")
        print(f"  item detail : {float(c['score_items_seconds']):.3f} s CPU, "
              f"{float(c['score_items_households_per_second']):,.0f} households/s")
        print(f"  identification (cut-off): {float(c['identify_seconds']):.3f} s; "
              f"peak RSS {c['peak_rss_mb']} MB (dataset + results)")
    else:
        print("library: bench_score executable not found (build tests/bench first)")

    # 2. numpy on n households
    H, M, off, raw, codes = synth(schema, n, seed=11)
    best = float("inf")
    for _ in range(3):
        t0 = time.process_time()
        total, vetoed = npsc.score(H, M, off, n)
        best = min(best, time.process_time() - t0)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"numpy  : {n} households, {best:.3f} s CPU, {n / best:,.0f} households/s, "
          f"mean score {total.mean():.3f}, peak RSS {rss:.0f} MB")
    if c:
        ratio = float(c["score_totals_households_per_second"]) / (n / best)
        print(f"ratio library / numpy (totals): {ratio:.2f}x (target >= 5x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
