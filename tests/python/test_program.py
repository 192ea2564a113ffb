"""Tests of povmetrics.program: program documents and their errors,
eligibility, hand-traced matching, and budget targeting against brute force
and hand-solved cases."""
import itertools
import math
import os
import unittest

import povmetrics as pm
from povmetrics import errors, program

SAMPLE = os.path.join(os.environ.get("POV_SOURCE_ROOT", "../.."), "examples", "data",
                      "sample.jsonl")

PROGS = {"format": "povmetrics.programs/1", "id": "m", "programs": [
    {"id": "A", "kind": "industry", "causes": ["lack_funds"], "capacity": 1, "unit_cost": 100,
     "income_effect": 50},
    {"id": "B", "kind": "health", "causes": ["illness"], "risks": ["illness"],
     "eligibility": {"some": [{"var": "members"},
                              {"==": [{"var": "health"}, "chronic_illness"]}]},
     "capacity": 10, "unit_cost": 200, "income_effect": 10},
    {"id": "C", "kind": "employment", "causes": ["lack_funds", "lack_skills"], "capacity": 5,
     "unit_cost": 1000, "income_effect": 600}]}

ROWS = [
    '{"id":"h1","village_code":"V1","income_wage":1000,"cause_main":"lack_funds",'
    '"cause_other1":"lack_skills","members":[{"age":30}]}',
    '{"id":"h2","village_code":"V1","income_wage":800,"cause_main":"lack_funds",'
    '"members":[{"age":30}]}',
    '{"id":"h3","village_code":"V2","income_wage":1200,"cause_main":"illness",'
    '"members":[{"age":30,"health":"chronic_illness"}]}',
    '{"id":"h4","village_code":"V2","income_wage":900,"cause_main":"marriage",'
    '"members":[{"age":30}]}',
]


def dataset(rows):
    ds = pm.Dataset()
    for r in rows:
        ds.append(pm.Household.from_json(r))
    return ds


def one_program(**kw):
    p = {"id": "a", "kind": "industry", "causes": ["lack_funds"], "unit_cost": 100}
    p.update(kw)
    return {"format": "povmetrics.programs/1", "id": "t", "programs": [p]}


class TestPrograms(unittest.TestCase):
    def test_default(self):
        p = pm.Programs.default()
        self.assertEqual({q["kind"] for q in p}, set(program.KINDS))
        self.assertEqual(program.kind_names(), program.KINDS)
        self.assertEqual(program.reason_names(), program.REASONS)
        self.assertEqual(program.match_reason_names(),
                         ("assigned", "no_eligible", "capacity", "budget"))
        self.assertEqual(program.MATCH_REASONS, program.match_reason_names())
        self.assertIn("NOT an official", pm.Programs.default_json())
        dibao = next(q for q in p if q["id"] == "dibao")
        self.assertEqual(dibao["capacity"], math.inf)
        self.assertIn("lack_labour", dibao["causes"])
        self.assertIn("accident", dibao["risks"])

    def test_errors(self):
        cases = [
            (one_program(kind="factory"), errors.UnknownCodeError, "programs[0].kind"),
            (one_program(causes=["lack_funds", "bad_luck"]), errors.UnknownCodeError,
             "programs[0].causes[1]"),
            (one_program(risks=["meteor"]), errors.UnknownCodeError, "programs[0].risks[0]"),
            (one_program(capacity=-1), errors.RangeError, "programs[0].capacity"),
            (one_program(unit_cost=-5), errors.RangeError, "programs[0].unit_cost"),
            (one_program(eligibility={">": [{"var": "nope"}, 1]}), errors.NotFoundError,
             "programs[0].eligibility.>[0].var"),
            (one_program(colour=1), errors.UnknownFieldError, "programs[0].colour"),
        ]
        for doc, exc, path in cases:
            with self.assertRaises(exc) as cm:
                pm.Programs(doc)
            self.assertEqual(cm.exception.path, path)
        with self.assertRaises(errors.PovIOError):
            pm.Programs.from_file("/nonexistent.json")

    def test_eligibility(self):
        p = pm.Programs(PROGS)
        e = p.eligibility(dataset(ROWS))
        self.assertEqual(e[2], [True, True, True])  # A and C have no condition
        self.assertEqual(e[0], [True, False, True])


class TestMatch(unittest.TestCase):
    def test_plans(self):
        p = pm.Programs(PROGS)
        ds = dataset(ROWS)
        m = program.match(p, ds, unit="village_code")
        got = [(q["id"], q["reason"], q["candidates"], q["assigned"]) for q in m.plans]
        self.assertEqual(got, [
            ("h2", "assigned", ["C", "A"], ["C", "A"]),
            ("h4", "no_eligible", [], []),
            ("h1", "assigned", ["C", "A"], ["C"]),
            ("h3", "assigned", ["B"], ["B"]),
        ])
        self.assertAlmostEqual(m.spent, 2300)
        self.assertAlmostEqual(m.coverage, 0.75)
        self.assertAlmostEqual(m.coverage_by_kind["employment"], 0.5)
        self.assertEqual(m.units, [("V1", 2, 1.0), ("V2", 2, 0.5)])
        self.assertEqual([q["id"] for q in m.unmatched], ["h4"])
        m = program.match(p, ds, budget=1500)
        self.assertEqual(m.plans[2]["reason"], "budget")
        m = program.match(p, ds, selected=[1, 0, 1, 1], priority=[3, 0, 1, 2],
                          risks=[[], [], [], ["illness"]])
        self.assertEqual([q["id"] for q in m.plans], ["h3", "h4", "h1"])
        with self.assertRaises(errors.EmptyDataError):
            program.match(p, ds, selected=[0, 0, 0, 0])
        with self.assertRaises(ValueError):
            program.match(p, ds, risks=[["meteor"]] * 4)

    def test_sample(self):
        ds = pm.io.read(SAMPLE)
        p = pm.Programs.default()
        status = ds.codes("registry_status") if hasattr(ds, "codes") else None
        m = program.match(p, ds, budget=300000)
        self.assertEqual(len(m.plans), len(ds))
        self.assertLessEqual(m.spent, 300000)
        self.assertTrue(0 <= m.coverage <= 1)
        del status


def brute_headcount(y, s, z, B):
    poor = [i for i in range(len(y)) if y[i] < z]
    best = 0
    for k in range(len(poor) + 1):
        for sub in itertools.combinations(poor, k):
            cost = sum((z - y[i]) * s[i] for i in sub)
            if cost <= B:
                best = max(best, sum(s[i] for i in sub))
    return best


class TestTarget(unittest.TestCase):
    def test_headcount_brute_force(self):
        import random
        rng = random.Random(5)
        for rep in range(25):
            n = rng.randint(2, 9)
            y = [rng.uniform(50, 600) for _ in range(n)]
            s = [rng.randint(1, 5) for _ in range(n)]
            B = rng.uniform(0, 1500)
            r = program.target_optimal(y, s, 400, B, 0)
            self.assertTrue(r["exact"])
            best = brute_headcount(y, s, 400, B)
            N = sum(s)
            poor = sum(si for yi, si in zip(y, s) if yi < 400)
            self.assertAlmostEqual(r["fgt_after"][0], (poor - best) / N, places=12)
            self.assertLessEqual(r["spent"], B + 1e-6)

    def test_waterfill(self):
        r = program.target_optimal([100, 200, 300, 500], [1, 1, 1, 1], 400, 150, 2)
        self.assertAlmostEqual(r["level"], 225)
        self.assertEqual(list(r["transfers"]), [125, 25, 0, 0])
        g1, g2 = 175 / 400, 100 / 400
        self.assertAlmostEqual(r["fgt_after"][2], (2 * g1 ** 2 + g2 ** 2) / 4)
        # brute force on a grid of allocations (step 5): never better
        best = min(
            ((400 - min(400, 100 + a)) / 400) ** 2 + ((400 - min(400, 200 + b)) / 400) ** 2 +
            ((400 - min(400, 300 + 150 - a - b)) / 400) ** 2
            for a in range(0, 151, 5) for b in range(0, 151 - a, 5)) / 4
        self.assertLessEqual(r["fgt_after"][2], best + 1e-12)
        r1 = program.target_optimal([100, 200, 300, 500], [1, 1, 1, 1], 400, 150, 1)
        self.assertAlmostEqual(r1["fgt_before"][1] - r1["fgt_after"][1], 150 / 1600)

    def test_uniform_and_score(self):
        y, s = [100, 300, 500, 350], [1, 2, 1, 1]
        u = program.target_uniform(y, s, 400, 400)
        self.assertEqual(list(u["transfers"]), [100, 200, 0, 100])
        self.assertEqual(u["persons_lifted"], 3)
        sc = program.target_score(y, s, [10, 50, 20, 70], 400, 300, 60)
        self.assertAlmostEqual(sc["inclusion_error"], 0.25)
        self.assertAlmostEqual(sc["exclusion_error"], 0.25)
        self.assertTrue(math.isnan(sc["cost_per_lifted"]))
        with self.assertRaises(errors.NonFiniteError) as cm:
            program.target_optimal([1, float("nan")], [1, 1], 400, 10, 0)
        self.assertEqual(cm.exception.path, "y[1]")
        with self.assertRaises(errors.InvalidArgumentError):
            program.target_optimal([1, 2], [1, 1], 400, 10, 3)


if __name__ == "__main__":
    unittest.main()
