#!/usr/bin/env python3
"""Benchmark: Guangxi household exit standard (guangxi_2016) and the village /
county roll-up, the library against the same rules written with numpy and
pandas over columns.

usage: bench_policy.py [N=1000000] [--build DIR]   (DIR: a release build, default build/)

1. Runs the C benchmark (tests/bench/bench_policy.c, --json) on N synthetic
   households: CPU seconds and households per second for the household
   standard alone and with the village + county roll-up; peak RSS.
2. Generates N households of the same kind with numpy (columns, members in a
   child table) and assesses them with vectorised numpy (household standard,
   three-valued: 0 fail / 1 pass / 2 unknown) and pandas groupby (villages and
   counties): CPU seconds, households per second.
3. Checks the numpy rules against the library on 3,000 of those households
   (built through the C API): every criterion's outcome must agree, so the two
   compute the same thing.
Prints both and the ratios. Run by hand, never by meson test.
"""
import ctypes
import json
import pathlib
import resource
import subprocess
import sys
import time

import numpy as np
import pandas as pd

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bindings" / "python"))

YEAR, LINE = 2020, 4000.0  # the 2020 line of national_2016 (≈ 4000)
STRUCT_OK = [0, 1, 2, 3]   # reinforced_concrete, brick_concrete, brick_wood, timber
STRUCTS = ["reinforced_concrete", "brick_concrete", "brick_wood", "timber", "earth", "simple"]
GRADES = ["A", "B", "C", "D"]


def synth(n, seed=2016):
    """Columns like bench_policy.c (same distributions, numpy's generator)."""
    rng = np.random.default_rng(seed)
    size = 1 + rng.integers(0, 6, n)
    hh = {
        "size": size.astype(float),
        "village": np.arange(n) // 200,
        "poor": rng.random(n) < 0.4,
        "floor_area": size * (8 + 40 * rng.random(n)),
        "structure": rng.integers(0, 6, n),
        "grade": rng.integers(0, 4, n),
        "wage": size * (1000 + 8000 * rng.random(n)),
        "costs": 500 * rng.random(n),
        "litres": 20 + 40 * rng.random(n),
        "fetch": 30 * rng.random(n),
        "supply": 80 + 20 * rng.random(n),
        "paddy": size * rng.random(n),
        "dry": size * rng.random(n),
        "econ_forest": np.zeros(n),
        "forest": 3 * rng.random(n),
    }
    for name, pr in [("road", .97), ("electricity", .99), ("tv", .95), ("phone", .9),
                     ("food", .98), ("clothing", .98), ("shop", .1), ("livestock", .1),
                     ("self_employed", .1), ("other_income", .2), ("dibao_ab", .1),
                     ("industry", .7)]:
        hh[name] = rng.random(n) < pr
    hh["county"] = hh["village"] // 50
    m = int(size.sum())
    owner = np.repeat(np.arange(n), size)
    age = rng.integers(0, 80, m)
    u = rng.random(m)
    mem = {
        "owner": owner,
        "age": age,
        "labour": rng.random(m) < 0.8,          # ordinary (else none)
        "insured": np.where(u < 0.01, np.nan, (u >= 0.05).astype(float)),
        "dropped": (age >= 6) & (age <= 15) & (rng.random(m) >= 0.98),
        "migrant": rng.integers(0, 13, m),
    }
    return hh, mem


def tri(fail, unknown):
    """0 fail / 1 pass / 2 unknown from boolean masks (fail wins)."""
    out = np.ones(fail.shape[0], np.int8)
    out[unknown] = 2
    out[fail] = 0
    return out


def assess_households(hh, mem):
    """Guangxi household standard (docs/policy-format.md §9), vectorised."""
    n = hh["size"].shape[0]
    owner = mem["owner"]
    cnt = lambda mask: np.bincount(owner, weights=mask, minlength=n)  # noqa: E731
    size = hh["size"]
    out = {}
    pcni = (hh["wage"] - hh["costs"]) / size
    out["income_above_line"] = tri(~(pcni > LINE), np.isnan(pcni))
    no = np.zeros(n, bool)
    out["food"] = tri(~hh["food"], no)
    out["clothing"] = tri(~hh["clothing"], no)
    out["compulsory_education"] = tri(cnt(mem["dropped"]) > 0, no)
    ins = mem["insured"]
    out["basic_medical"] = tri(cnt(ins == 0) > 0, cnt(np.isnan(ins)) > 0)
    cond = np.isin(hh["structure"], STRUCT_OK) & (hh["grade"] <= 1)
    out["safe_housing"] = tri(~cond | ~(hh["floor_area"] / size >= 13), no)
    out["safe_water"] = tri(~(hh["litres"] >= 35) | ~(hh["fetch"] <= 20) |
                            ~(hh["supply"] >= 90), no)
    labour = cnt(mem["labour"] & (mem["age"] >= 16) & (mem["age"] <= 64)) > 0
    src = ((hh["paddy"] / size >= 0.5) | (hh["dry"] / size >= 1) |
           (hh["econ_forest"] / size >= 1.5) | (hh["forest"] / size >= 5) | hh["shop"] |
           hh["livestock"] | (cnt(mem["migrant"] > 6) > 0) | hh["self_employed"] |
           hh["other_income"])
    out["income_source"] = tri(~np.where(labour, src, hh["dibao_ab"]), no)
    out["road"] = tri(~hh["road"], no)
    out["electricity"] = tri(~hh["electricity"], no)
    out["tv"] = tri(~(hh["tv"] | hh["phone"]), no)
    stack = np.vstack(list(out.values()))
    eligible = np.where((stack == 0).any(0), 0, np.where((stack == 2).any(0), 2, 1))
    return out, eligible.astype(np.int8)


def roll_up(hh, out, eligible):
    """Village and county shares and incidence with pandas groupby (bounds
    over unknown households as the library does)."""
    df = pd.DataFrame({"village": hh["village"], "county": hh["county"], "size": hh["size"],
                       "poor": hh["poor"], "industry": hh["industry"]})
    for k in ("safe_housing", "basic_medical", "compulsory_education", "safe_water",
              "electricity", "tv"):
        df[k + "_pass"] = out[k] == 1
        df[k + "_unk"] = out[k] == 2
    df["remain_lo"] = df["poor"] & (eligible == 0)
    df["remain_hi"] = df["poor"] & (eligible != 1)
    res = {}
    for unit in ("village", "county"):
        g = df.groupby(unit)
        agg = g.agg(**{c: (c, "sum") for c in df.columns if c not in ("village", "county")},
                    households=("size", "size"))
        people = agg["size"]
        r = pd.DataFrame(index=agg.index)
        r["incidence_lo"] = (df["size"] * df["remain_lo"]).groupby(df[unit]).sum() / people
        r["incidence_hi"] = (df["size"] * df["remain_hi"]).groupby(df[unit]).sum() / people
        for k in ("safe_housing", "basic_medical", "safe_water", "electricity"):
            r[k + "_lo"] = agg[k + "_pass"] / agg["households"]
            r[k + "_hi"] = (agg[k + "_pass"] + agg[k + "_unk"]) / agg["households"]
        r["industry"] = (df["industry"] & df["poor"]).groupby(df[unit]).sum() / agg["poor"]
        r["ok_housing"] = (r["safe_housing_lo"] >= 0.98)
        r["ok_incidence"] = r["incidence_hi"] < 0.03
        res[unit] = r
    return res


def cpu():
    return time.process_time()


def check_against_library(hh, mem, out, k=3000):
    """Builds the first k households through the C API and compares outcomes."""
    from povmetrics import _ffi
    from povmetrics.policy import Policy
    L = _ffi.lib
    vp = ctypes.c_void_p

    def fn(name, res, args):
        f = L[name]
        f.restype, f.argtypes = res, args
        return f
    new = fn("pov_household_new", ctypes.c_int, [vp, ctypes.POINTER(vp)])
    free = fn("pov_household_free", None, [vp])
    sid = fn("pov_household_set_id", ctypes.c_int, [vp, ctypes.c_char_p])
    num = fn("pov_household_set_number", ctypes.c_int, [vp, ctypes.c_char_p, ctypes.c_double])
    boo = fn("pov_household_set_boolean", ctypes.c_int, [vp, ctypes.c_char_p, ctypes.c_int])
    cat = fn("pov_household_set_category", ctypes.c_int, [vp, ctypes.c_char_p, ctypes.c_char_p])
    txt = fn("pov_household_set_text", ctypes.c_int, [vp, ctypes.c_char_p, ctypes.c_char_p])
    madd = fn("pov_household_member_add", ctypes.c_int, [vp, ctypes.POINTER(ctypes.c_size_t)])
    mnum = fn("pov_household_member_set_number", ctypes.c_int,
              [vp, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_double])
    mboo = fn("pov_household_member_set_boolean", ctypes.c_int,
              [vp, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_int])
    mcat = fn("pov_household_member_set_category", ctypes.c_int,
              [vp, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_char_p])
    dnew = fn("pov_dataset_new", ctypes.c_int, [vp, ctypes.POINTER(vp)])
    dfree = fn("pov_dataset_free", None, [vp])
    dapp = fn("pov_dataset_append", ctypes.c_int, [vp, vp])

    def ok(r):
        _ffi.check(r)

    p = Policy.default("guangxi_2016")
    schema = p.schema._ptr
    ds = vp()
    ok(dnew(schema, ctypes.byref(ds)))
    starts = np.concatenate([[0], np.cumsum(hh["size"].astype(int))])
    for i in range(k):
        h = vp()
        ok(new(schema, ctypes.byref(h)))
        ok(sid(h, b"c%d" % i))
        ok(txt(h, b"village_code", b"V%d" % hh["village"][i]))
        ok(num(h, b"year", YEAR))
        ok(cat(h, b"registry_status", b"poor" if hh["poor"][i] else b"not_registered"))
        for name, key in [("floor_area", "floor_area"), ("income_wage", "wage"),
                          ("production_costs", "costs"), ("water_litres_per_day", "litres"),
                          ("water_fetch_minutes", "fetch"), ("water_supply_pct", "supply"),
                          ("paddy_mu", "paddy"), ("dry_land_mu", "dry"),
                          ("economic_forest_mu", "econ_forest"), ("forest_mu", "forest")]:
            ok(num(h, name.encode(), float(hh[key][i])))
        ok(cat(h, b"housing_structure", STRUCTS[hh["structure"][i]].encode()))
        ok(cat(h, b"housing_safety", GRADES[hh["grade"][i]].encode()))
        for name, key in [("road_hardened", "road"), ("electricity", "electricity"),
                          ("tv", "tv"), ("phone", "phone"), ("food_secure", "food"),
                          ("clothing_secure", "clothing"), ("has_shop", "shop"),
                          ("livestock_at_scale", "livestock"), ("self_employed", "self_employed"),
                          ("other_stable_income", "other_income"), ("dibao_ab", "dibao_ab"),
                          ("industry_covered", "industry")]:
            ok(boo(h, name.encode(), int(hh[key][i])))
        for j in range(starts[i], starts[i + 1]):
            m = ctypes.c_size_t()
            ok(madd(h, ctypes.byref(m)))
            ok(mnum(h, m, b"age", float(mem["age"][j])))
            ok(mcat(h, m, b"labour_capacity", b"ordinary" if mem["labour"][j] else b"none"))
            if not np.isnan(mem["insured"][j]):
                ok(mboo(h, m, b"medical_insurance", int(mem["insured"][j])))
            ok(mcat(h, m, b"schooling", b"dropped_out" if mem["dropped"][j] else
                    (b"primary" if 6 <= mem["age"][j] <= 15 else b"not_applicable")))
            ok(mnum(h, m, b"migrant_months", float(mem["migrant"][j])))
        ok(dapp(ds, h))
        free(h)

    class _DS:
        is_dataset = True
        _ptr = ds.value
    a = p.assess(_DS(), YEAR)
    bad = 0
    for c in a.criteria:
        lib = np.frombuffer(a.outcomes(c), np.uint8)
        ref = out[c][:k]
        bad += int((lib != ref).sum())
        if (lib != ref).any():
            print(f"  mismatch in {c}: {int((lib != ref).sum())} households", file=sys.stderr)
    dfree(ds)
    return bad


def main():
    n = 1_000_000
    build = ROOT / "build"
    args = sys.argv[1:]
    while args:
        a = args.pop(0)
        if a == "--build":
            build = pathlib.Path(args.pop(0))
        else:
            n = int(a)
    exe = build / "tests" / "bench" / "bench_policy"
    c = json.loads(subprocess.run([str(exe), str(n), "--json"], check=True,
                                  capture_output=True, text=True).stdout)
    print(f"povmetrics (C, {n} households): household standard {c['household_s']:.3f} s "
          f"= {c['household_per_s']:,.0f}/s; with village+county roll-up {c['units_s']:.3f} s "
          f"= {c['units_per_s']:,.0f}/s; peak RSS {c['peak_rss_mb']:.0f} MB "
          f"(incl. the {n}-household dataset)")
    hh, mem = synth(n)
    best_hh = best_all = 1e300
    for _ in range(3):
        t = cpu()
        out, el = assess_households(hh, mem)
        t1 = cpu() - t
        roll_up(hh, out, el)
        t2 = cpu() - t
        best_hh, best_all = min(best_hh, t1), min(best_all, t2)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"numpy/pandas: household standard {best_hh:.3f} s = {n / best_hh:,.0f}/s; "
          f"with roll-up {best_all:.3f} s = {n / best_all:,.0f}/s; peak RSS {rss:.0f} MB")
    print(f"ratio (numpy time / povmetrics time): household standard "
          f"{best_hh / c['household_s']:.2f}x, with roll-up {best_all / c['units_s']:.2f}x")
    bad = check_against_library(hh, mem, out)
    print(f"cross-check on 3000 households: {'agree' if bad == 0 else f'{bad} mismatches'}")
    return 0 if bad == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
