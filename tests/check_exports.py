#!/usr/bin/env python3
"""Checks that libpovmetrics exports exactly the functions its headers declare.

usage: check_exports.py LIBRARY INCLUDE_DIR MAP_FILE

* every dynamic symbol the library defines starts with ``pov_`` (no GLib,
  cJSON or internal helper leaks);
* every ``POV_API`` function declared under INCLUDE_DIR is exported;
* every exported symbol is declared with ``POV_API`` in a header;
* the version script exports ``pov_*`` only and hides everything else.
"""
import pathlib
import re
import subprocess
import sys


def exported(lib):
    out = subprocess.run(["nm", "-D", "--defined-only", lib], check=True,
                         capture_output=True, text=True).stdout
    syms = set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[1] in "TDBRVWi":
            syms.add(parts[2].split("@")[0])
    return syms


def declared(include_dir):
    names = set()
    decl = re.compile(r"POV_API\b[^;{]*?\b(pov_[a-z0-9_]+)\s*\(", re.S)
    for header in pathlib.Path(include_dir).rglob("*.h*"):
        text = header.read_text(encoding="utf-8")
        text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
        text = re.sub(r"#define[^\n]*(\\\n[^\n]*)*", "", text)
        names.update(decl.findall(text))
    return names


def main():
    lib, include_dir, mapfile = sys.argv[1:4]
    exp = exported(lib)
    dec = declared(include_dir)
    problems = []
    leaks = sorted(s for s in exp if not s.startswith("pov_"))
    if leaks:
        problems.append("non-pov_ symbols exported: " + ", ".join(leaks))
    missing = sorted(dec - exp)
    if missing:
        problems.append("declared POV_API but not exported: " + ", ".join(missing))
    extra = sorted(s for s in exp - dec if s.startswith("pov_"))
    if extra:
        problems.append("exported but not declared POV_API in include/: " + ", ".join(extra))
    maptext = re.sub(r"/\*.*?\*/", "", pathlib.Path(mapfile).read_text(), flags=re.S)
    globs = re.findall(r"global:\s*(.*?)\s*local:", maptext, re.S)
    for g in globs:
        for pat in (p.strip() for p in g.split(";") if p.strip()):
            if not pat.startswith("pov_"):
                problems.append("version script exports a non-pov_ pattern: " + pat)
    if "local:\n    *;" not in maptext and not re.search(r"local:\s*\*;", maptext):
        problems.append("version script does not hide everything else (local: *;)")
    print(f"1..1")
    if problems:
        for p in problems:
            print("# " + p)
        print("not ok 1 - exports")
        return 1
    print(f"ok 1 - exports: {len(exp)} pov_ symbols, all declared")
    return 0


if __name__ == "__main__":
    sys.exit(main())
