"""The README's Python example: read households, measure poverty, score them.

Run: PYTHONPATH=bindings/python python3 examples/quickstart.py examples/data/sample.jsonl 4000
"""
import sys

import povmetrics
from povmetrics import measures


def main(path, line):
    with povmetrics.io.read(path) as ds:                # strict: bad input raises with line/column
        income = ds.column("per_capita_net_income")   # zero-copy view of the column
        h, gap, sq = measures.fgt_many(income, line)
        print(f"{len(ds)} households: headcount {h:.3f}, gap {gap:.4f}, "
              f"squared gap {sq:.4f}, Gini {measures.gini(income):.3f}")


if __name__ == "__main__":
    main(sys.argv[1], float(sys.argv[2]))
