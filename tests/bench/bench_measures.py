#!/usr/bin/python3
"""Benchmark of povmetrics' measures against numpy and R laeken, same run.

usage: /usr/bin/python3 tests/bench/bench_measures.py [--build DIR] [--sizes 1000000,10000000]
                                                     [--repeat 3] [--no-r] [--no-c]

In one Python process, on the same numpy arrays (passed to the library
without copying, through ctypes), for each n:

* the time to read the arrays once (numpy's y.sum() + w.sum(), SIMD sums),
  and for M0 the time to read its own inputs once (x.sum() + w.sum(): the
  n x 10 matrix is five times the size of y and w), the denominator of
  pov/read for the M0 rows;
* povmetrics: FGT0+FGT1+FGT2, Watts, median, Gini, at-risk-of-poverty rate,
  M0 over 10 indicators (from a 0/1 matrix, and from achievements and
  cut-offs against numpy's ((X < z) @ w)), Gini with its linearised SE
  (n <= 10^6);
* the same measures written with numpy (argsort-based Gini and weighted
  quantile with laeken's rule);
* R laeken's gini() and arpr() via Rscript on the same numbers (written to a
  temporary file; R's own timing, so R start-up is not counted), if laeken is
  installed;
* the pure C benchmark (DIR/tests/bench/bench_measures) for reference.

Each time is the best of --repeat runs. Prints a table with ratios and the
peak resident memory (resource.getrusage) of this process and of its
children. See tests/bench/README.md.
"""
import argparse
import ctypes
import json
import os
import pathlib
import resource
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[2]


def find_build(arg):
    if arg:
        return pathlib.Path(arg).resolve()
    for cand in sorted(ROOT.glob("build*rel*")) + sorted(ROOT.glob("build*")):
        if (cand / "libpovmetrics.so.0").exists():
            return cand
    sys.exit("no build directory with libpovmetrics.so.0 found; pass --build DIR")


def load_lib(build):
    path = os.environ.get("POVMETRICS_LIBRARY") or str(build / "libpovmetrics.so.0")
    lib = ctypes.CDLL(path)
    D, DP, Z = ctypes.c_double, ctypes.POINTER(ctypes.c_double), ctypes.c_size_t
    OUT = ctypes.POINTER(ctypes.c_double)
    sig = {
        "pov_fgt": [DP, DP, Z, D, D, OUT],
        "pov_fgt_many": [DP, DP, Z, D, DP, Z, OUT],
        "pov_watts": [DP, DP, Z, D, OUT],
        "pov_quantile": [DP, DP, Z, D, OUT],
        "pov_gini": [DP, DP, Z, OUT],
        "pov_arpr": [DP, DP, Z, D, OUT],
    }
    for name, args in sig.items():
        fn = getattr(lib, name)
        fn.argtypes, fn.restype = args, ctypes.c_int
    return lib, path


class MpiOptions(ctypes.Structure):
    # mirrors pov_mpi_options (povmetrics/mpi.h)
    _fields_ = [("size", ctypes.c_size_t), ("cutoffs", ctypes.c_void_p),
                ("direction", ctypes.c_void_p), ("weights", ctypes.c_void_p),
                ("k", ctypes.c_double), ("person_weights", ctypes.c_void_p),
                ("group", ctypes.c_void_p), ("n_groups", ctypes.c_size_t)]


class Estimate(ctypes.Structure):
    # mirrors pov_estimate (povmetrics/inference.h)
    _fields_ = [("size", ctypes.c_size_t), ("value", ctypes.c_double), ("se", ctypes.c_double),
                ("ci_low", ctypes.c_double), ("ci_high", ctypes.c_double),
                ("level", ctypes.c_double), ("pct_low", ctypes.c_double),
                ("pct_high", ctypes.c_double), ("n_psu", ctypes.c_size_t),
                ("n_strata", ctypes.c_size_t), ("reps", ctypes.c_uint)]


def best_ms(fn, repeat):
    best, value = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        value = fn()
        best = min(best, (time.perf_counter() - t0) * 1e3)
    return best, value


def make_data(n, seed=12345):
    rng = np.random.default_rng(seed)
    z = rng.standard_normal(n)
    y = np.exp(10.0 + 0.8 * z)
    w = rng.uniform(0.5, 2.0, n)
    # 10 achievements, deprived (below the cut-off 3) more often for lower
    # incomes (correlated): X = 3 U / p with U uniform, so P(X < 3) = p; and
    # the same deprivations as a 0/1 matrix
    p = 0.3 * (1.0 - np.tanh(z))
    X = np.empty((n, 10))
    for j in range(10):
        X[:, j] = 3.0 * rng.random(n) / p
    x = (X < CUTOFF).astype(np.float64)
    return y, w, x, X


CUTOFF = 3.0


# --- numpy versions --------------------------------------------------------

def np_fgt012(y, w, z):
    N = w.sum()
    poor = y < z
    g = np.where(poor, (z - y) / z, 0.0)
    wg = w * g
    return w[poor].sum() / N, wg.sum() / N, (wg * g).sum() / N


def np_watts(y, w, z):
    poor = y < z
    return (w[poor] * np.log(z / y[poor])).sum() / w.sum()


def np_quantile(y, w, p):
    """laeken's rule: y_k for the smallest k (sorted) with c_k / W > p."""
    o = np.argsort(y)
    c = np.cumsum(w[o])
    return y[o][np.searchsorted(c, p * c[-1], side="right")]


def np_gini(y, w):
    o = np.argsort(y)
    ys, ws = y[o], w[o]
    c = np.cumsum(ws)
    N, T = c[-1], (ws * ys).sum()
    return (2.0 * (ws * ys * c).sum() - (ws * ws * ys).sum()) / (N * T) - 1.0


def np_arpr(y, w, share=0.6):
    t = share * np_quantile(y, w, 0.5)
    return w[y < t].sum() / w.sum()


def np_m0(x, pw, k=1.0 / 3.0):
    c = x @ np.full(x.shape[1], 1.0 / x.shape[1])
    m = np.where(c >= k - 1e-12, c, 0.0)
    return (pw * m).sum() / pw.sum()


def np_m0_cutoffs(X, z, pw, k=1.0 / 3.0):
    """The idiomatic numpy M0 from achievements: deprivations (X < z), scores
    by a matrix product."""
    c = (X < z) @ np.full(X.shape[1], 1.0 / X.shape[1])
    m = np.where(c >= k - 1e-12, c, 0.0)
    return (pw * m).sum() / pw.sum()


def np_gini_se(y, w):
    """Linearised SE of the Gini (same formula as pov_se_gini), argsort-based."""
    o = np.argsort(y)
    ys, ws = y[o], w[o]
    Nk, Tk = np.cumsum(ws), np.cumsum(ws * ys)
    N, T = Nk[-1], Tk[-1]
    G = (2.0 * (ws * ys * Nk).sum() - (ws * ws * ys).sum()) / (N * T) - 1.0
    z = ws * (2.0 * (Nk * ys - Tk) + T - N * ys - G * (T + ys * N)) / (N * T)
    n = len(y)
    return np.sqrt(n / (n - 1) * ((z - z.mean()) ** 2).sum())


# --- R laeken ---------------------------------------------------------------

R_SCRIPT = r"""
args <- commandArgs(trailingOnly = TRUE)
suppressMessages(library(laeken))
n <- as.integer(args[3]); reps <- as.integer(args[4])
y <- readBin(args[1], "double", n); w <- readBin(args[2], "double", n)
best <- function(f) { t <- Inf; v <- NA
  for (i in seq_len(reps)) { s <- system.time(v <- f())[["elapsed"]]; t <- min(t, s) }
  c(1000 * t, v) }
g <- best(function() gini(y, weights = w)$value)
a <- best(function() arpr(y, weights = w)$value)
cat(sprintf("gini %.3f %.12g\narpr %.3f %.12g\n", g[1], g[2], a[1], a[2]))
"""


def have_laeken():
    if shutil.which("Rscript") is None:
        return False
    r = subprocess.run(["Rscript", "-e", "suppressMessages(library(laeken))"],
                       capture_output=True)
    return r.returncode == 0


def run_laeken(y, w, repeat):
    with tempfile.TemporaryDirectory() as d:
        fy, fw, fs = (os.path.join(d, f) for f in ("y.bin", "w.bin", "b.R"))
        y.tofile(fy)
        w.tofile(fw)
        with open(fs, "w") as f:
            f.write(R_SCRIPT)
        out = subprocess.run(["Rscript", fs, fy, fw, str(len(y)), str(repeat)],
                             capture_output=True, text=True, check=True).stdout
    res = {}
    for line in out.splitlines():
        name, ms, val = line.split()
        res[name] = (float(ms), float(val) / 100.0)  # laeken reports percentages
    return res


# --- main -------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", help="build directory (default: build*rel*, else build*)")
    ap.add_argument("--sizes", default="1000000,10000000")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-r", action="store_true", help="skip R laeken")
    ap.add_argument("--no-c", action="store_true", help="skip the pure C benchmark")
    args = ap.parse_args()
    build = find_build(args.build)
    lib, libpath = load_lib(build)
    sizes = [int(float(s)) for s in args.sizes.split(",")]
    laeken = not args.no_r and have_laeken()
    print(f"library: {libpath}")
    print(f"numpy {np.__version__}; R laeken: {'yes' if laeken else 'not run'}; "
          f"repeat {args.repeat} (best of)")

    DP = ctypes.POINTER(ctypes.c_double)
    rows = []
    for n in sizes:
        y, w, x, X = make_data(n)
        yp, wp, xp = y.ctypes.data_as(DP), w.ctypes.data_as(DP), x.ctypes.data_as(DP)
        Xp = X.ctypes.data_as(DP)
        cutoffs = (ctypes.c_double * 10)(*([CUTOFF] * 10))
        out = ctypes.c_double()

        def call(rc):
            if rc < 0:
                raise RuntimeError(f"povmetrics call failed with {rc}")
            return out.value

        lib.pov_quantile(yp, wp, n, 0.5, ctypes.byref(out))
        z = 0.6 * out.value
        read_ms, _ = best_ms(lambda: (y.sum(), w.sum()), args.repeat)
        # M0's own inputs: the n x 10 matrix and the person weights
        read_x_ms, _ = best_ms(lambda: (x.sum(), w.sum()), args.repeat)

        def pov_fgt012():
            f = []
            for a in (0.0, 1.0, 2.0):
                f.append(call(lib.pov_fgt(yp, wp, n, z, a, ctypes.byref(out))))
            return tuple(f)

        alphas = (ctypes.c_double * 3)(0.0, 1.0, 2.0)
        fgt3 = (ctypes.c_double * 3)()

        def pov_fgt_many():
            call(lib.pov_fgt_many(yp, wp, n, z, alphas, 3, fgt3))
            return tuple(fgt3)

        def pov_m0_fast():
            o = MpiOptions()
            lib.pov_mpi_options_init(ctypes.byref(o))
            o.k = 1.0 / 3.0
            o.person_weights = w.ctypes.data
            r = (ctypes.c_double * 3)()
            call(lib.pov_mpi_m0(xp, ctypes.c_size_t(n), ctypes.c_size_t(10), ctypes.byref(o), r))
            return r[2]

        def pov_m0_cut():
            o = MpiOptions()
            lib.pov_mpi_options_init(ctypes.byref(o))
            o.k = 1.0 / 3.0
            o.person_weights = w.ctypes.data
            o.cutoffs = ctypes.addressof(cutoffs)
            r = (ctypes.c_double * 3)()
            call(lib.pov_mpi_m0(Xp, ctypes.c_size_t(n), ctypes.c_size_t(10), ctypes.byref(o), r))
            return r[2]

        def pov_m0():
            o = MpiOptions()
            lib.pov_mpi_options_init(ctypes.byref(o))
            o.k = 1.0 / 3.0
            o.person_weights = w.ctypes.data
            h = ctypes.c_void_p()
            call(lib.pov_mpi_new(xp, ctypes.c_size_t(n), ctypes.c_size_t(10), ctypes.byref(o),
                                 ctypes.byref(h)))
            v = ctypes.c_double()
            lib.pov_mpi_measure(h, 2, ctypes.byref(v))
            lib.pov_mpi_free(h)
            return v.value

        def pov_gini_se():
            e = Estimate()
            lib.pov_estimate_init(ctypes.byref(e))
            call(lib.pov_se_gini(yp, wp, ctypes.c_size_t(n), None, ctypes.byref(e)))
            return e.se

        def ref_fgt():
            return np_fgt012(y, w, z)

        def ref_m0():
            return np_m0(x, w)

        def ref_m0_cut():
            return np_m0_cutoffs(X, CUTOFF, w)

        cases = [
            ("FGT0+1+2 (fgt_many)", pov_fgt_many, ref_fgt, "sum"),
            ("FGT0+1+2 (3 x fgt)", pov_fgt012, ref_fgt, "sum"),
            ("Watts", lambda: call(lib.pov_watts(yp, wp, n, z, ctypes.byref(out))),
             lambda: np_watts(y, w, z), "sum"),
            ("median", lambda: call(lib.pov_quantile(yp, wp, n, 0.5, ctypes.byref(out))),
             lambda: np_quantile(y, w, 0.5), "sort"),
            ("Gini", lambda: call(lib.pov_gini(yp, wp, n, ctypes.byref(out))),
             lambda: np_gini(y, w), "sort"),
            ("arpr", lambda: call(lib.pov_arpr(yp, wp, n, 0.6, ctypes.byref(out))),
             lambda: np_arpr(y, w), "sort"),
            ("M0 10 ind. (mpi_m0)", pov_m0_fast, ref_m0, "matrix"),
            ("M0 10 ind. (mpi_new)", pov_m0, ref_m0, "matrix"),
            ("M0 achiev.+cut-offs", pov_m0_cut, ref_m0_cut, "matrix"),
        ]
        if n <= 1_000_000:
            cases.append(("Gini + linearised SE", pov_gini_se, lambda: np_gini_se(y, w), "sort"))
        lk = run_laeken(y, w, max(1, min(args.repeat, 2))) if laeken else {}
        rows.append(("read once (numpy sums)", n, read_ms, None, None, None, "", ""))
        rows.append(("read x once (M0 input)", n, read_x_ms, None, None, None, "", ""))
        ref_done = {}  # a numpy version shared by two povmetrics variants runs once
        for name, pov, ref, kind in cases:
            pms, pv = best_ms(pov, args.repeat)
            if ref not in ref_done:
                ref_done[ref] = best_ms(ref, args.repeat)
            nms, nv = ref_done[ref]
            pv0 = pv[0] if isinstance(pv, tuple) else pv
            nv0 = nv[0] if isinstance(nv, tuple) else nv
            agree = f"{abs(pv0 - nv0) / abs(nv0):.1e}" if nv0 else "-"
            lms = None
            lagree = ""
            key = {"Gini": "gini", "arpr": "arpr"}.get(name)
            if key in lk:
                lms, lv = lk[key]
                lagree = f"{abs(pv0 - lv) / abs(lv):.1e}"
            # pov/read: against one read of the measure's own inputs
            rows.append((name, n, pms, nms, lms,
                         pms / (read_x_ms if kind == "matrix" else read_ms), agree, lagree))
        del x, X, y, w

    print()
    hdr = (f"{'measure':<24}{'n':>10}{'pov ms':>10}{'numpy ms':>10}{'np/pov':>8}"
           f"{'laeken ms':>11}{'lk/pov':>8}{'pov/read':>9}  {'|Δ| numpy':>9}  {'|Δ| laeken':>10}")
    print(hdr)
    print("-" * len(hdr))
    for name, n, pms, nms, lms, rr, agree, lagree in rows:
        if nms is None:
            print(f"{name:<24}{n:>10}{pms:>10.2f}")
            continue
        ls = f"{lms:>11.1f}{lms / pms:>8.1f}" if lms is not None else f"{'-':>11}{'-':>8}"
        print(f"{name:<24}{n:>10}{pms:>10.2f}{nms:>10.2f}{nms / pms:>8.1f}{ls}{rr:>9.2f}"
              f"  {agree:>9}  {lagree:>10}")

    if not args.no_c:
        exe = build / "tests" / "bench" / "bench_measures"
        if exe.exists():
            print(f"\npure C ({exe}, same distribution, own generator):")
            env = dict(os.environ)
            env.setdefault("LD_LIBRARY_PATH", str(pathlib.Path(libpath).parent))
            res = subprocess.run([str(exe), "--sizes", ",".join(map(str, sizes)), "--repeat",
                                  str(args.repeat), "--json"], capture_output=True, text=True,
                                 env=env, check=True)
            data = json.loads(res.stdout)
            read, read_x = {}, {}
            for r in data:
                if r["measure"].startswith("read once"):
                    read[r["n"]] = r["ms"]
                if r["measure"].startswith("read x once"):
                    read_x[r["n"]] = r["ms"]
                # M0 against one read of its own inputs, as above
                m0 = r["measure"].startswith(("M0", "read x"))
                ref = read_x.get(r["n"], read[r["n"]]) if m0 else read[r["n"]]
                print(f"  {r['measure']:<26}{r['n']:>10}{r['ms']:>10.2f} ms"
                      f"{r['ms'] / ref:>8.2f} x read")
        else:
            print(f"\n(no C benchmark at {exe}; build with -Dbench=true)")

    self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    child_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(f"\npeak RSS: this process {self_kb / 1024:.0f} MiB; "
          f"largest child (C bench / Rscript) {child_kb / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
