"""Tests of weighted transitions (``Transitions(..., weight=)``) and the
matching-plan writers (``Match.plan_json``, ``Match.write``): persons counted
on paper, bad weights with their register and household, and plans traced by
hand, read back as JSON Lines and CSV."""
import csv
import json
import math
import os
import tempfile
import unittest

import povmetrics as pm
from povmetrics import errors, program, risk


def dataset(rows):
    ds = pm.Dataset()
    for r in rows:
        ds.append(pm.Household.from_json(json.dumps(r)))
    return ds


def reg(i, st, size=None, village=None):
    r = {"id": i, "registry_status": st}
    if size is not None:
        r["household_size"] = size
    if village is not None:
        r["village_code"] = village
    return r


# Persons from year 2 when present (year 1 otherwise):
#   a V1 poor -> exited 1; b V1 poor -> poor 2 (no size in year 1);
#   c exited -> returned 3 (no village in year 2); d V2 not_registered ->
#   monitored_marginal 4 (year 1 says 40); e V2 poor -> absent 5; f V1 absent -> poor 6.
Y1 = [reg("a", "poor", 1, "V1"), reg("b", "poor", None, "V1"), reg("c", "exited", 3, "V2"),
      reg("d", "not_registered", 40, "V2"), reg("e", "poor", 5, "V2")]
Y2 = [reg("a", "exited", 1, "V1"), reg("b", "poor", 2, "V1"), reg("c", "returned", 3),
      reg("d", "monitored_marginal", 4, "V2"), reg("f", "poor", 6, "V1")]


class TestWeightedTransitions(unittest.TestCase):
    def test_persons_by_hand(self):
        y1, y2 = dataset(Y1), dataset(Y2)
        with pm.Transitions(y1, y2, unit="village_code", weight="household_size") as t:
            S = risk.STATES.index
            want = [[0.0] * 9 for _ in range(9)]
            want[S("poor")][S("exited")] = 1
            want[S("poor")][S("poor")] = 2
            want[S("exited")][S("returned")] = 3
            want[S("not_registered")][S("monitored_marginal")] = 4
            want[S("poor")][S("absent")] = 5
            want[S("absent")][S("poor")] = 6
            self.assertEqual(t.matrix(), want)
            s = t.summary()
            self.assertEqual((s["households"], s["poor_before"], s["poor_after"]), (21, 8, 11))
            self.assertEqual((s["exits"], s["persistent"], s["returns"], s["entries"]),
                             (1, 2, 3, 6))
            self.assertAlmostEqual(s["exit_rate"], 1 / 3, places=15)
            self.assertAlmostEqual(s["entry_rate"], 6 / 10, places=15)
            self.assertEqual(t.units, ["", "V1", "V2"])
            self.assertEqual(t.summary("V1")["households"], 9)
            self.assertEqual(t.summary("V2")["entry_rate"], 0)
            self.assertTrue(math.isnan(t.summary("V2")["exit_rate"]))
        # weight=None counts households, as before
        t = pm.Transitions(y1, y2)
        self.assertEqual(t.summary()["households"], 6)
        self.assertEqual(t.summary()["exit_rate"], 0.5)

    def test_bad_weights(self):
        y1, y2 = dataset(Y1), dataset(Y2)
        bad2 = dataset(Y2[:3] + [reg("d", "monitored_marginal", None, "V2")] + Y2[4:])
        with self.assertRaises(errors.InvalidArgumentError) as cm:
            pm.Transitions(y1, bad2, weight="household_size")
        self.assertEqual(cm.exception.source, "after")
        self.assertEqual(cm.exception.path, "[3].household_size")
        self.assertIn('"d"', str(cm.exception))
        # e is absent in year 2: its weight is read from year 1
        bad1 = dataset(Y1[:4] + [reg("e", "poor", None, "V2")])
        with self.assertRaises(errors.InvalidArgumentError) as cm:
            pm.Transitions(bad1, y2, weight="household_size")
        self.assertEqual(cm.exception.source, "before")
        self.assertIn('"e"', str(cm.exception))
        for name in ("village_code", "age"):  # text; member level
            with self.assertRaises(errors.InvalidArgumentError):
                pm.Transitions(y1, y2, weight=name)
        with self.assertRaises(errors.NotFoundError):
            pm.Transitions(y1, y2, weight="no_such_indicator")


PROGS = {"format": "povmetrics.programs/1", "id": "w", "programs": [
    {"id": "A", "kind": "industry", "causes": ["lack_funds"], "capacity": 1, "unit_cost": 100,
     "income_effect": 50},
    {"id": "B", "kind": "health", "causes": ["illness"],
     "eligibility": {"some": [{"var": "members"},
                              {"==": [{"var": "health"}, "chronic_illness"]}]},
     "capacity": 10, "unit_cost": 200, "income_effect": 12.5},
    {"id": "C", "kind": "employment", "causes": ["lack_funds", "lack_skills"], "capacity": 5,
     "unit_cost": 1000, "income_effect": 600}]}

ROWS = [
    {"id": "h1", "income_wage": 1000, "cause_main": "lack_funds", "cause_other1": "lack_skills",
     "members": [{"age": 30}]},
    {"id": 'h"2,x', "income_wage": 800, "cause_main": "lack_funds", "members": [{"age": 30}]},
    {"id": "h3", "income_wage": 1200, "cause_main": "illness",
     "members": [{"age": 30, "health": "chronic_illness"}]},
    {"id": "h4", "income_wage": 900, "cause_main": "marriage", "members": [{"age": 30}]},
]

A = {"id": "A", "kind": "industry", "unit_cost": 100, "income_effect": 50}
B = {"id": "B", "kind": "health", "unit_cost": 200, "income_effect": 12.5}
C = {"id": "C", "kind": "employment", "unit_cost": 1000, "income_effect": 600}
# priority by income 800, 900, 1000, 1200; A (capacity 1) goes to h"2,x;
# h1 ranks C first (two needs) and finds A full.
PLANS = [
    {"id": 'h"2,x', "index": 1, "reason": "assigned", "assigned": [C, A],
     "candidates": ["C", "A"]},
    {"id": "h4", "index": 3, "reason": "no_eligible", "assigned": [], "candidates": []},
    {"id": "h1", "index": 0, "reason": "assigned", "assigned": [C], "candidates": ["C", "A"]},
    {"id": "h3", "index": 2, "reason": "assigned", "assigned": [B], "candidates": ["B"]},
]


class TestMatchPlans(unittest.TestCase):
    def setUp(self):
        self.p = pm.Programs(PROGS)
        self.ds = dataset(ROWS)
        self.tmp = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.tmp.cleanup()

    def test_plan_json(self):
        m = program.match(self.p, self.ds)
        self.assertEqual([json.loads(m.plan_json(k)) for k in range(4)], PLANS)
        self.assertEqual(m.plan_json(1),
                         '{"id":"h4","index":3,"reason":"no_eligible","assigned":[],'
                         '"candidates":[]}')
        with self.assertRaises(errors.NotFoundError):
            m.plan_json(4)
        m = program.match(self.p, self.ds, budget=1500)
        self.assertEqual(json.loads(m.plan_json(2))["reason"], "budget")

    def test_write(self):
        m = program.match(self.p, self.ds)
        path = os.path.join(self.tmp.name, "plans.jsonl")
        m.write(path)
        with open(path, encoding="utf-8") as f:
            self.assertEqual([json.loads(line) for line in f], PLANS)
        path = os.path.join(self.tmp.name, "plans.csv")
        m.write(path, format="csv")
        with open(path, newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        self.assertEqual([r["id"] for r in rows], [q["id"] for q in PLANS])
        self.assertEqual([int(r["index"]) for r in rows], [q["index"] for q in PLANS])
        self.assertEqual([r["reason"] for r in rows], [q["reason"] for q in PLANS])
        self.assertEqual([json.loads(r["assigned"]) for r in rows], [q["assigned"] for q in PLANS])
        self.assertEqual([json.loads(r["candidates"]) for r in rows],
                         [q["candidates"] for q in PLANS])
        with open(path, "rb") as f:
            self.assertTrue(f.readline().endswith(b"\r\n"))

    def test_errors_leave_nothing(self):
        m = program.match(self.p, self.ds)
        with self.assertRaises(ValueError):
            m.write(os.path.join(self.tmp.name, "x.json"), format="json")
        with self.assertRaises(errors.PovIOError):
            m.write(os.path.join(self.tmp.name, "no", "dir", "plans.jsonl"))
        target = os.path.join(self.tmp.name, "plans.jsonl")
        os.mkdir(target)  # rename over a directory fails
        with self.assertRaises(errors.PovIOError):
            m.write(target)
        self.assertEqual(os.listdir(self.tmp.name), ["plans.jsonl"])
        self.assertEqual(os.listdir(target), [])
        # another program set or dataset than the match's
        other = pm.Programs({"format": "povmetrics.programs/1", "id": "o", "programs": [
            {"id": "A", "kind": "industry", "causes": ["lack_funds"], "unit_cost": 1}]})
        m._programs = other
        with self.assertRaises(errors.InvalidArgumentError):
            m.plan_json(0)
        m._programs = self.p
        m._dataset = dataset(ROWS[:3])
        with self.assertRaises(errors.InvalidArgumentError):
            m.write(os.path.join(self.tmp.name, "plans.csv"), format="csv")
        self.assertFalse(os.path.exists(os.path.join(self.tmp.name, "plans.csv")))
        # closed: the plans stay readable, the writers need the C result
        m.close()
        self.assertEqual(len(m.plans), 4)
        with self.assertRaises(ValueError):
            m.plan_json(0)
        with program.match(self.p, self.ds) as m2:
            self.assertEqual(json.loads(m2.plan_json(3)), PLANS[3])


if __name__ == "__main__":
    unittest.main()
