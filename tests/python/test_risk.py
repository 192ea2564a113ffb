"""Tests of povmetrics.risk: risk model loading and errors, hand-computed
scores, vulnerability against the closed-form normal formula (Phi written
here with math.erfc), CJS FGLS against a hand-solved case, summary and
transitions."""
import math
import os
import unittest

import povmetrics as pm
from povmetrics import errors, risk


def phi(x):
    return 0.5 * math.erfc(-x / math.sqrt(2))


HEAD = {"format": "povmetrics.riskmodel/1", "id": "t"}
SAMPLE = os.path.join(os.environ.get("POV_SOURCE_ROOT", "../.."), "examples", "data",
                      "sample.jsonl")


def dataset(rows):
    ds = pm.Dataset()
    for r in rows:
        ds.append(pm.Household.from_json(r))
    return ds


class TestRiskModel(unittest.TestCase):
    def test_default(self):
        m = pm.RiskModel.default()
        self.assertEqual(m.id, "illustrative_2021")
        self.assertAlmostEqual(m.line_multiple, 1.5)
        self.assertAlmostEqual(sum(m.weights.values()), 100)
        self.assertEqual(risk.factor_ids(), risk.FACTORS)
        self.assertIn("illustrative", pm.RiskModel.default_json())
        m.close()
        with pm.RiskModel.default() as m2:
            self.assertEqual(m2.weights["debt"], 5)

    def test_errors(self):
        bad = dict(HEAD, factors={"debt": {"weight": 100, "points": [[0, 0], [1, 1.5]]}})
        with self.assertRaises(errors.RangeError) as cm:
            pm.RiskModel(bad)
        self.assertEqual(cm.exception.path, "factors.debt.points[1]")
        with self.assertRaises(errors.UnknownFieldError) as cm:
            pm.RiskModel(dict(HEAD, factors={"foo": {"weight": 100, "points": [[0, 0]]}}))
        self.assertEqual(cm.exception.path, "factors.foo")
        with self.assertRaises(errors.PovError) as cm:
            pm.RiskModel(dict(HEAD, factors={"debt": {"weight": 50, "points": [[0, 0]]}}))
        self.assertEqual(cm.exception.code, -21)  # POV_ERULE
        with self.assertRaises(errors.FormatError):
            pm.RiskModel('{"format": "x", "id": "t", "factors": {}}')
        with self.assertRaises(errors.PovError) as cm:
            pm.RiskModel.from_file("/nonexistent.json")
        self.assertEqual(cm.exception.code, -4)

    def test_score_by_hand(self):
        m = pm.RiskModel(dict(HEAD, line_multiple=1.5, factors={
            "income_margin": {"weight": 100, "points": [[-1, 1], [0, 0.5], [1, 0]],
                              "missing": 0.25}}))
        for wage, want in [(6000, 50), (9000, 25), (3000, 75), (0, 100), (30000, 0)]:
            h = pm.Household.from_json(
                '{"id":"h","income_wage":%d,"members":[{"age":40},{"age":38}]}' % wage)
            score, expl = m.score(h, 2000)
            self.assertAlmostEqual(score, want, places=9)
            self.assertAlmostEqual(expl["income_margin"]["input"], (wage / 2 - 3000) / 3000)
        h = pm.Household.from_json('{"id":"h","members":[{"age":40}]}')
        score, expl = m.score(h, 2000)
        self.assertAlmostEqual(score, 25)
        self.assertTrue(expl["income_margin"]["missing"])
        self.assertIsNone(expl["income_margin"]["input"])
        with self.assertRaises(errors.InvalidArgumentError):
            m.score(h, 0)

    def test_dataset_scores(self):
        ds = pm.io.read(SAMPLE)
        m = pm.RiskModel.default()
        res = m.score_dataset(ds, 4000)
        self.assertEqual(len(res), len(ds))
        for i in (0, 17, 123):
            self.assertAlmostEqual(res.scores[i], sum(res.contributions(i)), places=9)
            self.assertTrue(0 <= res.scores[i] <= 100)
            s1, e1 = m.score(ds[i], 4000)
            self.assertAlmostEqual(s1, res.scores[i], places=12)
            self.assertEqual(sorted(res.missing(i)),
                             sorted(k for k, v in e1.items() if v["missing"]))
        # the dependency input is the derived dependency ratio
        dep = ds.column("dependency_ratio")
        self.assertAlmostEqual(res.inputs(5)[2], dep[5])


class TestVulnerability(unittest.TestCase):
    def test_history_closed_form(self):
        hist = [[1000, 1200, 900], [3000, 3300, 2800, 3100], [500, 600]]
        z = 1100
        p, mu, sg = risk.vulnerability_history(hist, line=z)

        def stats(h):
            logs = [math.log(v) for v in h]
            m = sum(logs) / len(logs)
            return m, sum((v - m) ** 2 for v in logs)
        (m0, q0), (m1, q1), (m2, q2) = (stats(h) for h in hist)
        pooled = (q0 + q1 + q2) / 6
        v0 = (q0 + 2 * pooled) / 4
        self.assertAlmostEqual(mu[0], m0, places=12)
        self.assertAlmostEqual(sg[0], math.sqrt(v0), places=12)
        self.assertAlmostEqual(p[0], phi((math.log(z) - m0) / math.sqrt(v0)), places=12)
        self.assertAlmostEqual(p[1], phi((math.log(z) - m1) / math.sqrt((q1 + 2 * pooled) / 5)),
                               places=12)
        self.assertTrue(math.isnan(p[2]))
        p, _, _ = risk.vulnerability_history(hist, line=z, shrink_years=0, min_years=2)
        self.assertAlmostEqual(p[2], phi((math.log(z) - m2) / math.sqrt(q2)), places=12)
        # flat form with offsets and groups
        flat = [v for h in hist for v in h]
        p, _, _ = risk.vulnerability_history(flat, [0, 3, 7, 9], z, groups=[1, 2, 1])
        self.assertAlmostEqual(
            p[0], phi((math.log(z) - m0) / math.sqrt((q0 + 2 * (q0 + q2) / 3) / 4)), places=12)

    def test_history_errors(self):
        with self.assertRaises(errors.DuplicateError) as cm:
            risk.vulnerability_history([[1, 2, 3]], line=2, years=[[2018, 2018, 2019]])
        self.assertEqual(cm.exception.path, "years[1]")
        with self.assertRaises(errors.RangeError) as cm:
            risk.vulnerability_history([[1, 2, 3]], line=2, years=[[2016, 2018, 2019]])
        self.assertEqual(cm.exception.path, "years[1]")
        p, _, _ = risk.vulnerability_history([[1, 2, 3]], line=2, years=[[2016, 2018, 2019]],
                                             allow_gaps=True)
        self.assertFalse(math.isnan(p[0]))
        with self.assertRaises(errors.DomainError) as cm:
            risk.vulnerability_history([[1, 0, 3]], line=2)
        self.assertEqual(cm.exception.path, "income[1]")
        with self.assertRaises(errors.EmptyDataError):
            risk.vulnerability_history([[5]], line=2)

    def test_history_dataset(self):
        ds = dataset(['{"id":"a","year":2020,"income_wage":2000,"members":[{"age":30}],'
                      '"income_history":{"2017":1500,"2018":1800,"2019":2400}}'])
        p = risk.vulnerability_history_dataset(ds, 2200)
        q, _, _ = risk.vulnerability_history([[1500, 1800, 2400, 2000]], line=2200)
        self.assertAlmostEqual(p[0], q[0], places=12)
        sample = pm.io.read(SAMPLE)
        p = risk.vulnerability_history_dataset(sample, 4000, numpy=True)
        self.assertEqual(len(p), len(sample))

    def test_cjs(self):
        # pairs with residuals +c, -c and c^2 = 0.04 + 0.05 x1: b and t exact
        X, y = [], []
        for i in range(20):
            x1, x2 = (i * 37 % 17) / 4.0, (i * 13 % 7) / 7.0
            c = math.sqrt(0.04 + 0.05 * x1)
            for sgn in (1, -1):
                X.append([1, x1, x2])
                y.append(math.exp(8 + 0.2 * x1 - 0.5 * x2 + sgn * c))
        z = math.exp(8.1)
        r = risk.vulnerability_cjs(X, y, z)
        for a, b in zip(r["beta"], [8, 0.2, -0.5]):
            self.assertAlmostEqual(a, b, places=9)
        for a, b in zip(r["theta"], [0.04, 0.05, 0]):
            self.assertAlmostEqual(a, b, places=9)
        self.assertEqual(r["floored"], 0)
        x1, x2 = X[4][1], X[4][2]
        self.assertAlmostEqual(
            r["prob"][4], phi((math.log(z) - (8 + 0.2 * x1 - 0.5 * x2)) /
                              math.sqrt(0.04 + 0.05 * x1)), places=9)
        import numpy as np
        r2 = risk.vulnerability_cjs(np.array(X), np.array(y), z, numpy=True)
        self.assertAlmostEqual(r2["prob"][4], r["prob"][4], places=12)
        with self.assertRaises(errors.PovError) as cm:
            risk.vulnerability_cjs([[1, 2], [1, 2], [1, 2]], [1, 2, 3], 2)
        self.assertEqual(cm.exception.code, -22)  # POV_ESINGULAR
        with self.assertRaises(errors.DomainError) as cm:
            risk.vulnerability_cjs([[1, 2], [1, 3], [1, 5]], [1, 0, 3], 2)
        self.assertEqual(cm.exception.path, "y[1]")

    def test_summary(self):
        rate, ex = risk.vulnerability_summary([0.2, 0.5, 0.9, float("nan"), 0.49],
                                              [1, 2, 3, 100, 4])
        self.assertAlmostEqual(rate, 0.5)
        self.assertAlmostEqual(ex, (0.2 + 1.0 + 2.7 + 1.96) / 10)
        with self.assertRaises(errors.RangeError) as cm:
            risk.vulnerability_summary([0.2, 1.5])
        self.assertEqual(cm.exception.path, "prob[1]")


def reg(i, v, st):
    return '{"id":"%s","village_code":"%s","registry_status":"%s"}' % (i, v, st)


class TestTransitions(unittest.TestCase):
    def test_counts(self):
        y1 = dataset([reg("a", "V1", "poor"), reg("b", "V1", "poor"), reg("c", "V1", "exited"),
                      reg("d", "V2", "not_registered"), reg("f", "V2", "poor")])
        y2 = dataset([reg("a", "V1", "exited"), reg("b", "V1", "poor"),
                      reg("c", "V1", "returned"), reg("d", "V2", "poor"),
                      reg("h", "V2", "poor")])
        t = pm.Transitions(y1, y2, unit="village_code")
        self.assertEqual(t.units, ["V1", "V2"])
        self.assertEqual(risk.state_names(), risk.STATES)
        M = t.matrix()
        P, E, R, A = (risk.STATES.index(s) for s in ("poor", "exited", "returned", "absent"))
        self.assertEqual(M[P][E], 1)
        self.assertEqual(M[E][R], 1)
        self.assertEqual(M[P][A], 1)
        self.assertEqual(M[A][P], 1)
        s = t.summary()
        self.assertEqual((s["exits"], s["returns"], s["persistent"], s["entries"]), (1, 1, 1, 2))
        self.assertAlmostEqual(s["exit_rate"], 0.5)
        self.assertAlmostEqual(s["return_rate"], 1.0)
        v1 = t.summary("V1")
        self.assertEqual(v1["households"], 3)
        self.assertTrue(math.isnan(v1["entry_rate"]))
        with self.assertRaises(errors.NotFoundError):
            t.matrix(7)
        with self.assertRaises(errors.InvalidArgumentError):
            pm.Transitions(y1, y2, unit="year")
        t.close()


if __name__ == "__main__":
    unittest.main()
