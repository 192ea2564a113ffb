#!/usr/bin/env python3
"""I/O benchmark: povmetrics readers against pandas on the same files (run by hand).

    /usr/bin/python3 tests/bench/bench_io.py --build build [--n 1000000] [--small 100000]
                                             [--pandas-json-n N] [--pandas-mem-gb G]
                                             [--dir DIR] [--keep] [--reuse]

1. generates N households with examples/gen_households (JSON Lines, and CSV as a
   household table + members table) and a SMALL-household JSONL file;
2. reads them with tests/bench/bench_io (streaming, batches of 8192, each batch
   freed) and, in separate processes, with pandas ``read_json(lines=True)`` and
   ``read_csv`` (both tables);
3. prints throughput (MB/s, households/s, by CPU time of the reading process —
   the wall clock depends on whatever else the machine runs, so it is shown but
   not used for ratios), peak RSS, and the ratios povmetrics / pandas;
4. shows that streaming memory does not grow with the file: peak RSS for SMALL
   and N households, with and without the cross-batch duplicate-id check.

pandas on nested JSON Lines is slow and memory-hungry; ``--pandas-json-n``
(default: N) lets it read only the first lines of the same file, and the
per-household rates are compared. Each pandas read runs under an address-space
limit (--pandas-mem-gb, default 16) so a machine is never driven into swap; if
it fails, the script retries with a quarter of the lines and says so.
"""
import argparse
import json
import os
import pathlib
import resource
import shutil
import subprocess
import sys
import tempfile

PANDAS_READER = r"""
import json, os, resource, sys, time
import pandas as pd
kind, paths, nlines = sys.argv[1], sys.argv[2:-1], int(sys.argv[-1])
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
t0, c0 = time.perf_counter(), time.process_time()
if kind == "jsonl":
    if nlines > 0:
        df = pd.read_json(paths[0], lines=True, nrows=nlines)
    else:
        df = pd.read_json(paths[0], lines=True)
    rows, members = len(df), int(df["members"].map(len).sum()) if "members" in df else 0
    nbytes = 0
    with open(paths[0], "rb") as f:
        for i, line in enumerate(f):
            if nlines > 0 and i >= nlines:
                break
            nbytes += len(line)
else:
    h = pd.read_csv(paths[0])
    m = pd.read_csv(paths[1])
    rows, members = len(h), len(m)
    nbytes = os.path.getsize(paths[0]) + os.path.getsize(paths[1])
wall, cpu = time.perf_counter() - t0, time.process_time() - c0
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"tool": "pandas " + pd.__version__, "format": kind, "households": rows,
                  "members": members, "bytes": nbytes, "wall_s": wall, "cpu_s": cpu,
                  "mb_per_s": nbytes / 1e6 / cpu, "households_per_s": rows / cpu,
                  "peak_rss_mb": peak, "rss_after_import_mb": base}))
"""


def run(cmd, env=None, limit_gb=None):
    def pre():
        if limit_gb:
            lim = int(limit_gb * (1 << 30))
            resource.setrlimit(resource.RLIMIT_AS, (lim, lim))
    p = subprocess.run(cmd, capture_output=True, text=True, env=env,
                       preexec_fn=pre if limit_gb else None)
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} failed:\n{p.stderr[-2000:]}")
    return json.loads(p.stdout.strip().splitlines()[-1])


def gen(build, out, n, members=None):
    cmd = [str(build / "examples" / "gen_households"), "--seed", "7", "--households", str(n),
           "--counties", "4", "--townships", "10", "--villages", "12", str(out)]
    if members:
        cmd[-1:-1] = ["--members", str(members)]
    subprocess.run(cmd, check=True, capture_output=True)


def pandas(kind, paths, nlines, total, mem_gb):
    cmd = [sys.executable, "-c", PANDAS_READER, kind] + [str(p) for p in paths] + [str(nlines)]
    try:
        return run(cmd, limit_gb=mem_gb), None
    except RuntimeError as exc:
        if kind != "jsonl":
            raise
        note = (f"pandas read_json failed on {nlines or 'all'} lines within {mem_gb:g} GB "
                f"({str(exc).splitlines()[-1]}); ")
        smaller = max(1000, (nlines or total) // 4)
        return run(cmd[:-1] + [str(smaller)], limit_gb=mem_gb), note + f"retried with {smaller}"


def row(r):
    return (f"{r['tool']:<22} {r['format']:<6} {r['households']:>9} {r['bytes'] / 1e6:>9.1f} "
            f"{r['cpu_s']:>8.2f} {r['wall_s']:>8.2f} {r['mb_per_s']:>8.1f} "
            f"{r['households_per_s']:>10.0f} {r['peak_rss_mb']:>9.1f}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--build", default="build", help="meson build directory")
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--small", type=int, default=100_000)
    ap.add_argument("--pandas-json-n", type=int, default=0,
                    help="lines of the JSONL file pandas reads (0 = all)")
    ap.add_argument("--pandas-mem-gb", type=float, default=16)
    ap.add_argument("--dir", help="work directory (default: a temporary one)")
    ap.add_argument("--keep", action="store_true", help="keep the generated files")
    ap.add_argument("--reuse", action="store_true",
                    help="reuse the files already in --dir instead of generating them")
    a = ap.parse_args()
    build = pathlib.Path(a.build).resolve()
    bench = build / "tests" / "bench" / "bench_io"
    work = pathlib.Path(a.dir or tempfile.mkdtemp(prefix="povbench."))
    work.mkdir(parents=True, exist_ok=True)
    try:
        big, small = work / "big.jsonl", work / "small.jsonl"
        hh, mm = work / "households.csv", work / "members.csv"
        if a.reuse and all(p.exists() for p in (big, small, hh, mm)):
            print(f"# reusing the files in {work}", flush=True)
        else:
            print(f"# generating {a.n} households (JSONL, CSV) and {a.small} (JSONL) in {work}",
                  flush=True)
            gen(build, big, a.n)
            gen(build, hh, a.n, members=mm)
            gen(build, small, a.small)
        res, notes = [], []

        def measure(cmd):
            r = run(cmd)
            print("#", json.dumps(r), flush=True)
            return r
        print("# povmetrics", flush=True)
        pj = measure([str(bench), "jsonl", str(big)])
        pjs = measure([str(bench), "jsonl", str(small)])
        pjn = measure([str(bench), "jsonl", str(big), "--no-dup-check"])
        pjsn = measure([str(bench), "jsonl", str(small), "--no-dup-check"])
        pc = measure([str(bench), "csv", str(hh), "--members", str(mm)])
        res += [pj, pc]
        print("# pandas", flush=True)
        dj, note = pandas("jsonl", [big], a.pandas_json_n, a.n, a.pandas_mem_gb)
        print("#", json.dumps(dj), flush=True)
        if note:
            notes.append(note)
        elif a.pandas_json_n and a.pandas_json_n < a.n:
            notes.append(f"pandas read_json read the first {a.pandas_json_n} lines of the same "
                         f"file (--pandas-json-n); rates per household and per MB are compared")
        dc, _ = pandas("csv", [hh, mm], 0, a.n, a.pandas_mem_gb)
        print("#", json.dumps(dc), flush=True)
        res += [dj, dc]
        print()
        print(f"{'reader':<22} {'format':<6} {'househlds':>9} {'MB':>9} {'cpu s':>8} {'wall s':>8} "
              f"{'MB/s':>8} {'hh/s':>10} {'peak MB':>9}")
        for r in res:
            print(row(r))
        print()
        print(f"JSONL throughput ratio povmetrics/pandas (households/s, CPU): "
              f"{pj['households_per_s'] / dj['households_per_s']:.2f}x   (target >= 3)")
        print(f"JSONL throughput ratio povmetrics/pandas (MB/s, CPU):         "
              f"{pj['mb_per_s'] / dj['mb_per_s']:.2f}x")
        print(f"CSV   throughput ratio povmetrics/pandas (households/s, CPU): "
              f"{pc['households_per_s'] / dc['households_per_s']:.2f}x   (target >= 1)")
        print(f"JSONL peak RSS povmetrics {pj['peak_rss_mb']:.0f} MB vs pandas "
              f"{dj['peak_rss_mb']:.0f} MB ({dj['households']} households)")
        print()
        print("Streaming memory against file size (JSONL, batches of 8192, peak RSS MB):")
        print(f"  {a.small:>9} households ({pjs['bytes'] / 1e6:.0f} MB): {pjs['peak_rss_mb']:.1f} "
              f"with duplicate check, {pjsn['peak_rss_mb']:.1f} without")
        print(f"  {a.n:>9} households ({pj['bytes'] / 1e6:.0f} MB): {pj['peak_rss_mb']:.1f} "
              f"with duplicate check, {pjn['peak_rss_mb']:.1f} without")
        for n in notes:
            print("note:", n)
    finally:
        if not a.keep and not a.dir:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
