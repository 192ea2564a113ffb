#!/usr/bin/env python3
"""Benchmark: monitoring classification and risk score, library against numpy.

usage: bench_risk.py [N=1000000] [--repeat R] [--bench-exe PATH]

1. Runs tests/bench/bench_risk (C) on N synthetic households of Yunnan in
   2024: the monitoring classification under the embedded policy
   national_2021_monitoring, the default risk score, matching and CJS FGLS
   (10 covariates), CPU seconds (best of R), peak RSS. It dumps the raw input
   columns, the resolved policy, its classification and its scores.
2. Computes the same classification (trigger outcomes, group, monitored flag,
   reason codes) and the same default-model score with numpy column
   operations from the raw columns, the rules and thresholds taken from the
   resolved policy document (docs/policy-format.md §12) and the model file
   (docs/risk.md); best of R in CPU time.
3. Checks the numpy results against the library's: every trigger outcome,
   group and monitored flag of every household, the reason codes of the
   library's JSON output for every 500th household, and the scores (to 1e-9).
Prints both figures and the ratios (library households per second over
numpy's). Run by hand, never by meson test.
"""
import json
import pathlib
import resource
import subprocess
import sys
import tempfile
import time

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[2]

# pov_outcome and pov_cond_state values (FALSE/FAIL 0, TRUE/PASS 1, MISSING/UNKNOWN 2)
F, T, M = 0, 1, 2
GROUPS = ["unstable_exited", "marginal", "sudden_hardship"]  # precedence order
G_NONE, G_UNKNOWN = 0, 4


# ---- risk score ----------------------------------------------------------

def interp(points, x):
    xs = np.array([p[0] for p in points])
    ss = np.array([p[1] for p in points])
    return np.interp(x, xs, ss)  # clamps outside, as the library


def numpy_score(d, model, z):
    f = model["factors"]
    n = len(d["per_capita_net_income"])
    pc, net = d["per_capita_net_income"], d["net_income"]
    mline = z * model["line_multiple"]
    x = {}
    x["income_margin"] = (pc - mline) / mline
    hist = d["history"].reshape(n, 3)
    allv = np.column_stack([hist, pc])
    mean = allv.mean(axis=1)
    sd = allv.std(axis=1, ddof=1)
    x["volatility"] = np.where(mean > 0, sd / np.where(mean > 0, mean, 1), np.nan)
    x["dependency"] = d["dependency_ratio"]
    off = d["member_offsets"].astype(np.int64)
    ill = np.add.reduceat(d["member_ill"], off[:-1])
    x["illness_disability"] = ill / (off[1:] - off[:-1])
    rig = np.column_stack([d[k] for k in ("exp_medical", "exp_education", "exp_other_rigid",
                                          "disaster_loss")])
    any_r = ~np.isnan(rig).all(axis=1)
    rs = np.nansum(rig, axis=1)

    def ratio(a, b):
        with np.errstate(divide="ignore", invalid="ignore"):
            r = np.where(b > 0, a / np.where(b > 0, b, 1), np.where(a > 0, np.inf, 0.0))
        return np.where(np.isnan(a) | np.isnan(b), np.nan, r)
    x["rigid_expenditure"] = np.where(any_r, ratio(rs, net), np.nan)
    comp = np.column_stack([d[k] for k in ("income_wage", "income_operating", "income_property",
                                           "income_transfer", "income_other")])
    gross = np.nansum(comp, axis=1)
    any_c = ~np.isnan(comp).all(axis=1)
    tr = np.nan_to_num(d["income_transfer"])
    x["transfer_reliance"] = np.where(any_c & (gross > 0), tr / np.where(gross > 0, gross, 1),
                                      np.nan)
    x["debt"] = ratio(d["debt"], net)
    prev = hist[:, 2]
    x["income_shock"] = np.where(prev > 0, (prev - pc) / prev, np.nan)
    total = np.zeros(n)
    for name, fac in f.items():
        xv = x[name]
        pts = fac["weight"] * interp(fac["points"], np.nan_to_num(xv, nan=0.0))
        total += np.where(np.isnan(xv), fac["weight"] * fac.get("missing", 0), pts)
    return total


# ---- monitoring classification -------------------------------------------

def rules_from_policy(pol, codes, year):
    """The rules of the resolved policy, in the shapes this script implements;
    anything else is an error (the script must then be extended)."""
    def code_list(cond, var):
        assert list(cond) == ["in"] and cond["in"][0] == {"var": var}, cond
        return [codes[var].index(c) for c in cond["in"][1]]

    g = pol["monitoring_groups"]
    base = {
        "unstable_exited": ("in", code_list(g["unstable_exited"]["condition"], "registry_status")),
        "marginal": ("in", code_list(g["marginal"]["condition"], "registry_status")),
    }
    sh = g["sudden_hardship"]["condition"]
    assert sh["!"]["=="][0] == {"var": "registry_status"}, sh
    base["sudden_hardship"] = ("not_eq", codes["registry_status"].index(sh["!"]["=="][1]))

    rigid_sum = {"-": [{"+": [{"var": v} for v in ("exp_medical", "exp_education",
                                                       "exp_other_rigid", "disaster_loss")]},
                       {"var": "net_income"}]}
    drop = {"/": [{"-": [{"var": "income_last_year"}, {"var": "per_capita_net_income"}]},
                  {"var": "income_last_year"}]}
    reasons = pol["monitoring_reasons"]
    trig = []
    for c in pol["monitoring"]:
        t = {"id": c["id"], "groups": [GROUPS.index(x) for x in c["groups"]],
             "reason": reasons.index(c["reason"]) if c.get("reason") else -1}
        tests, cond = c.get("tests", []), c.get("condition")
        if c["id"] == "income_below_range":
            (te,) = tests
            assert te["value"] == {"var": "per_capita_net_income"} and te["op"] == "<", te
            by_region = te["threshold"]["by_region"]
            t["kind"] = "income"
            t["range"] = {float(k): v["by_year"][str(year)] for k, v in by_region.items()
                          if len(k) == 2 and str(year) in v["by_year"]}
        elif c["id"].startswith("rigid_"):
            (te,) = tests
            assert te["value"] == rigid_sum and te["op"] == ">" and cond[">"][1] == 0, c
            t["kind"], t["var"], t["thr"] = "rigid", cond[">"][0]["var"], te["threshold"]
        elif c["id"] == "income_drop":
            (te,) = tests
            assert te["value"] == drop and te["op"] == ">=" and cond is None, c
            t["kind"], t["thr"] = "drop", te["threshold"]
        elif c["id"] == "unsafe_housing":
            assert not tests
            t["kind"], t["codes"] = "housing", code_list(cond, "housing_safety")
        elif c["id"] == "unsafe_water":
            assert not tests and cond == {"==": [{"var": "safe_water"}, False]}, c
            t["kind"] = "water"
        elif c["id"] == "labour_loss":
            (te,) = tests
            assert te["value"] == {"var": "labour_count"} and te["op"] == "==", te
            t["kind"], t["thr"] = "labour", te["threshold"]
        else:
            raise SystemExit(f"bench_risk.py: trigger {c['id']} not implemented")
        trig.append(t)
    return base, trig, reasons


def state(known, value):
    """Three-valued state: value where known, else missing."""
    return np.where(known, value, M).astype(np.uint8)


def outcome(cond, tests):
    """Criterion outcome (docs/policy-format.md): a failing test or a false
    condition fails; else an unknown test or a missing condition is unknown."""
    fail = np.zeros(len(tests[0] if tests else cond), dtype=bool)
    unk = np.zeros_like(fail)
    for s in tests + ([cond] if cond is not None else []):
        fail |= s == F
        unk |= s == M
    return np.where(fail, F, np.where(unk, M, T)).astype(np.uint8)


def numpy_classify(d, base, trig):
    pc, net, ily = d["per_capita_net_income"], d["net_income"], d["income_last_year"]
    status = d["registry_status"]
    rigid = (d["exp_medical"] + d["exp_education"] + d["exp_other_rigid"] + d["disaster_loss"]
             - net)  # NaN if any part is missing
    out = []
    for t in trig:
        k = t["kind"]
        if k == "income":
            thr = np.full(len(pc), np.nan)
            for prov, v in t["range"].items():
                thr[d["province_code"] == prov] = v
            if np.isnan(thr).any():
                raise SystemExit("bench_risk.py: no monitoring range for some households")
            o = outcome(None, [state(~np.isnan(pc), pc < thr)])
        elif k == "rigid":
            x = d[t["var"]]
            o = outcome(state(~np.isnan(x), x > 0), [state(~np.isnan(rigid), rigid > t["thr"])])
        elif k == "drop":
            with np.errstate(divide="ignore", invalid="ignore"):
                share = (ily - pc) / ily
            share[ily == 0] = np.nan  # division by 0 is missing
            o = outcome(None, [state(~np.isnan(share), share >= t["thr"])])
        elif k == "housing":
            x = d["housing_safety"]
            o = outcome(state(~np.isnan(x), np.isin(x, t["codes"])), [])
        elif k == "water":
            x = d["safe_water"]
            o = outcome(state(~np.isnan(x), x == 0), [])
        else:  # labour
            x = d["labour_count"]
            o = outcome(None, [state(~np.isnan(x), x == t["thr"])])
        out.append(o)
    known = ~np.isnan(status)
    memb = []
    for g, name in enumerate(GROUPS):
        kind, arg = base[name]
        b = state(known, np.isin(status, arg) if kind == "in" else status != arg)
        fired = np.zeros(len(pc), dtype=bool)
        unk = np.zeros(len(pc), dtype=bool)
        for t, o in zip(trig, out):
            if g in t["groups"]:
                fired |= o == T
                unk |= o == M
        tr = np.where(fired, T, np.where(unk, M, F))
        memb.append(np.where((b == F) | (tr == F), F, np.where((b == T) & (tr == T), T, M)))
    conds, picks = [], []
    for g, m in enumerate(memb):
        conds += [m == T, m == M]
        picks += [g + 1, G_UNKNOWN]
    group = np.select(conds, picks, G_NONE).astype(np.uint8)
    monitored = np.where(group == G_NONE, F,
                         np.where(group == G_UNKNOWN, M, T)).astype(np.uint8)
    reasons = np.zeros(len(pc), dtype=np.uint32)
    for t, o in zip(trig, out):
        if t["reason"] >= 0:
            reasons |= (o == T).astype(np.uint32) << t["reason"]
    return out, group, monitored, reasons


def best_of(repeat, fn):
    best, res = float("inf"), None
    for _ in range(repeat):
        t0 = time.process_time()
        res = fn()
        best = min(best, time.process_time() - t0)
    return best, res


def main():
    n, repeat, exe = 1000000, 1, None
    args = sys.argv[1:]
    while args:
        a = args.pop(0)
        if a == "--bench-exe":
            exe = args.pop(0)
        elif a == "--repeat":
            repeat = int(args.pop(0))
        else:
            n = int(float(a))
    if exe is None:
        for cand in ("build-rel", "build"):
            p = ROOT / cand / "tests" / "bench" / "bench_risk"
            if p.exists():
                exe = str(p)
                break
    year, z = 2024, 5800.0
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run([exe, str(n), "--repeat", str(repeat), "--dump", tmp], check=True,
                             capture_output=True, text=True).stdout
        print(out, end="")
        c = dict(kv.split("=") for kv in out.split() if "=" in kv)
        tp = pathlib.Path(tmp)
        d = {p.stem: np.fromfile(p, dtype="<f8") for p in tp.glob("*.f64")}
        lib = {p.stem: np.fromfile(p, dtype=np.uint8) for p in tp.glob("*.u8")}
        pol = json.loads((tp / "policy.json").read_text())
        codes = json.loads((tp / "codes.json").read_text())
        sample = [json.loads(line) for line in (tp / "sample.jsonl").read_text().splitlines()]
    model = json.loads((ROOT / "lib" / "risk" / "defaults" / "riskmodel_default.json").read_text())
    base, trig, reason_names = rules_from_policy(pol, codes, year)

    t_cl, (out_np, group, monitored, reasons) = best_of(repeat,
                                                        lambda: numpy_classify(d, base, trig))
    t_sc, s = best_of(repeat, lambda: numpy_score(d, model, z))

    # agreement
    bad = []
    for t, o in zip(trig, out_np):
        k = int((o != lib["trigger_" + t["id"]]).sum())
        if k:
            bad.append(f"trigger {t['id']}: {k} households differ")
    for name, arr in (("group", group), ("monitored", monitored)):
        k = int((arr != lib[name]).sum())
        if k:
            bad.append(f"{name}: {k} households differ")
    gnames = ["none"] + GROUPS + ["unknown"]
    for rec in sample:
        i, r = rec["row"], rec["result"]
        want = [reason_names[b] for b in range(len(reason_names)) if reasons[i] >> b & 1]
        if r["reasons"] != want or r["group"] != gnames[group[i]]:
            bad.append(f"household {i}: library {r['group']} {r['reasons']}, "
                       f"numpy {gnames[group[i]]} {want}")
    diff = float(np.nanmax(np.abs(s - d["scores"])))
    print(f"numpy_classify_s={t_cl:.3f} numpy_score_s={t_sc:.3f} "
          f"numpy_classify_and_score_s={t_cl + t_sc:.3f} "
          f"numpy_classify_and_score_hh_per_s={n / (t_cl + t_sc):.0f}")
    print(f"agreement: {n} households x {len(trig)} triggers, groups, monitored flags; "
          f"reasons of {len(sample)} sampled households: "
          f"{'all equal' if not bad else str(len(bad)) + ' differences'}; "
          f"score max_abs_diff={diff:.2e}")
    ratio_cl = t_cl / float(c["classify_s"])
    ratio_sc = t_sc / float(c["risk_score_s"])
    ratio = (t_cl + t_sc) / float(c["classify_and_score_s"])
    print(f"ratio_classify={ratio_cl:.2f} ratio_score={ratio_sc:.2f} "
          f"ratio_classify_and_score={ratio:.2f} (library over numpy, target >= 5)")
    print(f"python_peak_rss_mb={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.1f}")
    for b in bad[:20]:
        print("  " + b)
    if bad or not diff < 1e-9:
        sys.exit("numpy and library results differ")


if __name__ == "__main__":
    main()
