#!/usr/bin/env python3
"""Benchmark: the default risk score, library against numpy.

usage: bench_risk.py [N=1000000] [--bench-exe PATH]

1. Runs tests/bench/bench_risk (C) on N synthetic households: risk scoring,
   matching and CJS FGLS (10 covariates) per second of CPU time, peak RSS;
   it dumps the raw input columns and its scores.
2. Computes the same default-model score with numpy column operations from
   the raw columns (the same factor definitions, docs/risk.md) and checks it
   against the library's scores (to 1e-9).
Prints both figures and the ratio. Run by hand, never by meson test.
"""
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import time

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[2]


def interp(points, x):
    xs = np.array([p[0] for p in points])
    ss = np.array([p[1] for p in points])
    return np.interp(x, xs, ss)  # clamps outside, as the library


def numpy_score(d, model, z=4000.0):
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


def main():
    n = 1000000
    exe = None
    args = sys.argv[1:]
    while args:
        a = args.pop(0)
        if a == "--bench-exe":
            exe = args.pop(0)
        else:
            n = int(float(a))
    if exe is None:
        for cand in ("build-h9-rel", "build-rel", "build"):
            p = ROOT / cand / "tests" / "bench" / "bench_risk"
            if p.exists():
                exe = str(p)
                break
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run([exe, str(n), "--dump", tmp], check=True, capture_output=True,
                             text=True).stdout
        print(out, end="")
        c = dict(kv.split("=") for line in out.split() for kv in [line] if "=" in kv)
        d = {p.stem: np.fromfile(p, dtype="<f8") for p in pathlib.Path(tmp).glob("*.f64")}
    model = json.loads((ROOT / "lib" / "risk" / "defaults" / "riskmodel_default.json").read_text())
    t0 = time.process_time()
    s = numpy_score(d, model)
    t_np = time.process_time() - t0
    diff = np.nanmax(np.abs(s - d["scores"]))
    print(f"numpy_score_s={t_np:.3f} numpy_hh_per_s={n / t_np:.0f} max_abs_diff={diff:.2e}")
    ratio = float(c["risk_score_hh_per_s"]) / (n / t_np)
    print(f"ratio_library_over_numpy={ratio:.2f}")
    if not diff < 1e-9:
        sys.exit("numpy and library scores differ")


if __name__ == "__main__":
    main()
