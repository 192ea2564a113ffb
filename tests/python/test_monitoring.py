"""Tests of monitoring classification and risk elimination
(povmetrics.policy: Policy.monitor / Policy.eliminate, docs/policy-format.md
§12-§13).

Expected values are hand-computed: the 2020 line is 4000 (national_2016), so
the 2020 monitoring range is 1.5 x 4000 = 6000 yuan per person; Yunnan's
2024/2025 range is 8700 (domain.md §4). Households are built with the
minimal C-level wrapper of test_policy.
"""
import json
import unittest

from povmetrics import errors
from povmetrics import policy as pol
from povmetrics.policy import Policy

from test_policy import Dataset, Household

M20, M21 = "national_2020_monitoring", "national_2021_monitoring"


def household(policy, hid="h1", status="not_registered", province="45", size=1, labour=True,
              wage=10000.0, medical=0.0, education=0.0, other=0.0, disaster=0.0,
              last_year=10000.0, **extra):
    h = Household(policy.schema, hid)
    h.set("province_code", province)
    if status is not None:
        h.set("registry_status", status)
    for _ in range(size):
        h.member(age=30, labour_capacity="ordinary" if labour else "lost",
                 medical_insurance=True, schooling="not_applicable")
    for name, value in [("income_wage", wage), ("exp_medical", medical),
                        ("exp_education", education), ("exp_other_rigid", other),
                        ("disaster_loss", disaster), ("income_last_year", last_year),
                        ("debt", 0.0), ("housing_safety", "A"), ("safe_water", True)]:
        if value is not None:
            h.set(name, value)
    for name, value in extra.items():
        h.set(name, value)
    return h


class MonitoringTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.p = Policy.default(M20)
        cls.q = Policy.default(M21)

    def group(self, policy, year, **kw):
        return policy.monitor(household(policy, **kw), year)

    def test_policy_properties(self):
        self.assertEqual(self.p.reasons(), ["illness", "disability", "schooling", "disaster",
                                            "accident", "failed_industry",
                                            "unstable_employment", "lack_of_labour", "other"])
        self.assertEqual(pol.GROUPS, ("none", "unstable_exited", "marginal",
                                      "sudden_hardship", "unknown"))
        self.assertTrue(self.p.group_defined("marginal"))
        self.assertFalse(self.p.group_defined("sudden_hardship"))
        self.assertTrue(self.q.group_defined(3))
        with self.assertRaises(errors.InvalidArgumentError):
            self.q.group_defined(0)
        self.assertEqual(self.p.trigger("income_below_range"),
                         {"reason": None, "groups": ["unstable_exited", "marginal"]})
        self.assertEqual(self.q.trigger("rigid_medical"),
                         {"reason": "illness", "groups": ["unstable_exited", "sudden_hardship"]})
        self.assertIn("labour_loss", self.q.criterion_ids("monitoring"))
        self.assertEqual(len(self.q.criterion_ids(pol.ELIMINATION)), 9)
        self.assertAlmostEqual(self.p.threshold("monitoring", "income_below_range", 0, 2020),
                               6000.0)
        self.assertAlmostEqual(self.q.threshold("monitoring", "income_below_range", 0, 2024,
                                                "53"), 8700.0)
        with self.assertRaises(errors.NotFoundError):
            self.q.threshold("monitoring", "income_below_range", 0, 2024, "45")
        with self.assertRaises(errors.NotFoundError):
            self.p.trigger("no_such")

    def test_income_at_one_and_a_half_lines(self):
        a = self.group(self.p, 2020, wage=6000.0, last_year=6000.0)
        self.assertEqual(a.level, pol.MONITORING)
        self.assertEqual(a.group(), "none")
        r = a.get(0, "income_below_range")
        self.assertEqual((r["outcome"], r["value"], r["threshold"]), (False, 6000.0, 6000.0))
        self.assertFalse(a.is_eligible())  # not monitored
        a = self.group(self.p, 2020, wage=5999.0, last_year=6000.0)
        self.assertEqual(a.group(), "marginal")
        self.assertTrue(a.is_eligible())
        self.assertEqual(a.reasons(), [])  # the income test names no risk type
        self.assertEqual(self.group(self.p, 2020, status="exited", wage=5999.0).group(),
                         "unstable_exited")
        self.assertEqual(self.group(self.p, 2020, status="poor", wage=5999.0).group(), "none")
        with self.assertRaises(errors.NotFoundError) as cm:
            self.group(self.p, 2018)
        self.assertIn("2018", str(cm.exception))

    def test_income_drop_at_the_share(self):
        a = self.group(self.p, 2020, wage=7000.0, last_year=10000.0)  # exactly 30 %
        self.assertEqual(a.group(), "marginal")
        self.assertAlmostEqual(a.get(0, "income_drop")["value"], 0.3, places=12)
        self.assertEqual(a.reasons(), ["other"])
        js = a.to_json()
        self.assertEqual((js["group"], js["reasons"], js["monitored"]),
                         ("marginal", ["other"], "pass"))
        self.assertEqual(self.group(self.p, 2020, wage=7001.0, last_year=10000.0).group(),
                         "none")

    def test_rigid_spending_equal_to_income(self):
        a = self.group(self.p, 2020, wage=8000.0, last_year=8000.0, medical=5000.0,
                       education=3000.0)
        self.assertEqual(a.group(), "none")
        self.assertEqual(a.get(0, "rigid_medical")["value"], 0.0)
        a = self.group(self.p, 2020, wage=8000.0, last_year=8000.0, medical=5000.0,
                       education=3001.0)
        self.assertEqual(a.group(), "marginal")
        self.assertEqual(a.reasons(), ["illness", "schooling"])
        # 2021: above Yunnan's range, a medical shock is sudden hardship
        kw = dict(province="53", wage=9000.0, last_year=9000.0, medical=9001.0)
        self.assertEqual(self.group(self.q, 2024, **kw).group(), "sudden_hardship")
        self.assertEqual(self.group(self.q, 2024, status="exited", **kw).group(),
                         "unstable_exited")
        self.assertEqual(self.group(self.q, 2025, province="53", wage=8699.0,
                                    last_year=8699.0).group(), "marginal")
        self.assertEqual(self.group(self.q, 2025, province="53", wage=8700.0,
                                    last_year=8700.0).group(), "none")
        a = self.group(self.q, 2024, province="53", labour=False)
        self.assertEqual((a.group(), a.reasons()), ("sudden_hardship", ["lack_of_labour"]))
        with self.assertRaises(errors.NotFoundError) as cm:
            self.group(self.q, 2024, hid="gx9", province="45")
        self.assertIn("gx9", str(cm.exception))

    def test_missing_is_unknown(self):
        a = self.group(self.p, 2020, wage=None)
        self.assertEqual(a.group(), "unknown")
        self.assertIsNone(a.get(0, "income_below_range")["outcome"])
        self.assertIsNone(a.is_eligible())
        self.assertEqual(self.group(self.p, 2020, status=None, wage=5000.0).group(), "unknown")
        self.assertEqual(self.group(self.p, 2020, medical=None).group(), "unknown")
        self.assertEqual(self.group(self.p, 2020, medical=None, wage=5000.0).group(),
                         "marginal")

    def test_dataset_matches_households(self):
        wages = [5000.0, 6000.0, 7000.0, None, 12000.0]
        status = ["exited", "not_registered", "exited", "exited", "poor"]
        hs = [household(self.p, f"h{i}", status=s, wage=w, last_year=7000.0)
              for i, (w, s) in enumerate(zip(wages, status))]
        a = self.p.monitor(Dataset(self.p.schema, hs), 2020)
        want = ["unstable_exited", "none", "none", "unknown", "none"]
        self.assertEqual([pol.GROUPS[g] for g in a.groups()], want)
        self.assertEqual([self.p.monitor(h, 2020).group() for h in hs], want)
        self.assertEqual(len(a), 5)
        with self.assertRaises(ValueError):
            self.p.assess(hs[0], 2020).groups()
        with self.assertRaises(errors.NotFoundError):
            self.p.eliminate(hs[0], 2020)  # the 2020 policy has no elimination criteria


class EliminationTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.q = Policy.default(M21)

    def elim(self, above=6, since=6, measures=1, labour=True):
        h = household(self.q, province="53", status="monitored_marginal", labour=labour,
                      months_income_above_range=above, months_since_identification=since,
                      assistance_measures=measures, rigid_spending_resolved=True)
        return self.q.eliminate(h, 2024)

    def test_thresholds(self):
        a = self.elim()
        self.assertEqual(a.level, pol.ELIMINATION)
        self.assertTrue(a.is_eligible())
        self.assertEqual(a.failing(), [])
        self.assertEqual(a.to_json()["eligible"], "pass")
        a = self.elim(above=5)
        self.assertFalse(a.is_eligible())
        self.assertEqual(a.failing(), ["income_stably_above"])
        self.assertEqual(a.get(0, "income_stably_above")["margin"], -1.0)
        self.assertEqual(self.elim(since=5).failing(), ["months_since_identification"])
        self.assertEqual(self.elim(measures=0).failing(), ["assistance_measure"])
        self.assertEqual(self.elim(above=12, since=12, labour=False).failing(), ["has_labour"])
        a = self.elim(above=None)
        self.assertIsNone(a.is_eligible())
        self.assertEqual(a.failing(unknown=True), ["income_stably_above"])


HEAD = {"format": "povmetrics.policy/1", "id": "x", "title": "t", "version": "1",
        "region": "45", "inherits": M21,
        "provenance": {"summary": "s", "sources": [
            {"id": "loc", "status": "illustrative", "citation": "c"}]}}


def doc(**kw):
    d = dict(HEAD)
    d.update(kw)
    return json.dumps(d)


class MonitoringDocumentTest(unittest.TestCase):
    def test_override_range_and_months(self):
        p = Policy.from_string(doc(overrides={
            "monitoring": [{"id": "income_below_range", "tests": [
                {"value": {"var": "per_capita_net_income"}, "op": "<",
                 "threshold": {"by_year": {"2022": 6500}}}]}],
            "risk_elimination": [{"id": "income_stably_above", "tests": [
                {"value": {"var": "months_income_above_range"}, "op": ">=",
                 "threshold": 12}]}]}))
        self.assertEqual(p.monitor(household(p, wage=6499.0, last_year=6499.0), 2022).group(),
                         "marginal")
        self.assertEqual(p.monitor(household(p, wage=6500.0, last_year=6500.0), 2022).group(),
                         "none")
        h = household(p, months_income_above_range=6, months_since_identification=6,
                      assistance_measures=1, rigid_spending_resolved=True)
        self.assertEqual(p.eliminate(h, 2022).failing(), ["income_stably_above"])
        with self.assertRaises(errors.NotFoundError) as cm:
            p.monitor(h, 2023)
        self.assertIn("income_below_range", str(cm.exception))

    def check_bad(self, text, exc, path):
        with self.assertRaises(exc) as cm:
            Policy.from_string(text)
        self.assertEqual(cm.exception.path, path)

    def test_bad_input(self):
        trig = {"id": "t1", "label": {"zh": "a", "en": "b"}, "source": "loc",
                "tests": [{"value": {"var": "debt"}, "op": ">", "threshold": 1}]}
        self.check_bad(doc(monitoring=[dict(trig, reason="gambling")]), errors.NotFoundError,
                       "monitoring[0].reason")
        self.check_bad(doc(monitoring=[dict(trig, groups=["rich"])]),
                       errors.UnknownFieldError, "monitoring[0].groups[0]")
        self.check_bad(doc(monitoring_groups={"rich": {}}), errors.UnknownFieldError,
                       "monitoring_groups.rich")
        self.check_bad(doc(monitoring_reasons=[1]), errors.TypeMismatchError,
                       "monitoring_reasons[0]")
        self.check_bad(doc(monitoring=[dict(trig, tests=[
            {"value": {"var": "debt"}, "op": ">", "threshold": {"poverty_line_times": "2"}}])]),
            errors.TypeMismatchError, "monitoring[0].tests[0].threshold.poverty_line_times")
        self.check_bad(doc(overrides={"monitoring": [{"id": "nope"}]}), errors.NotFoundError,
                       "overrides.monitoring[0].id")


if __name__ == "__main__":
    unittest.main()
