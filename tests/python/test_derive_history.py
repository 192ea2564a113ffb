"""History-based indicators through the binding (docs/data-model.md,
"History-based indicators"): under the monitoring policies' schema a missing
income_last_year is the household's income history entry of year - 1, a
missing assistance_measures the number of its programme records of the year
or earlier (no record: missing); a value given is kept.

Expected values by hand: 2020 range 1.5 x 4000 = 6000 yuan per person
(docs/policy-format.md §14); history {2019: 10000} and a per-capita net income
of 6000 give a drop of (10000 - 6000) / 10000 = 0.4 >= 0.3.
"""
import json
import math
import unittest

import povmetrics as pm
from povmetrics import io as pio
from povmetrics.policy import Policy

M20, M21 = "national_2020_monitoring", "national_2021_monitoring"


def record(hid, year=2020, wage=6000, history=None, programs=None, **values):
    """A marginal household of one working member, no rigid spending."""
    r = {"id": hid, "province_code": "45", "registry_status": "not_registered",
         "income_wage": wage, "exp_medical": 0, "exp_education": 0, "exp_other_rigid": 0,
         "disaster_loss": 0, "debt": 0,
         "members": [{"age": 30, "labour_capacity": "ordinary", "medical_insurance": True,
                      "schooling": "not_applicable"}]}
    if year is not None:
        r["year"] = year
    if history:
        r["income_history"] = {str(y): v for y, v in history.items()}
    if programs:
        r["programs"] = [{"id": p, "year": y} for p, y in programs]
    r.update(values)
    return r


def read(policy, *records):
    text = json.dumps(list(records))
    return pio.read_bytes(text.encode(), "json", schema=policy.schema)


class HistoryIndicatorsTest(unittest.TestCase):
    def test_income_drop_from_history(self):
        p = Policy.default(M20)
        ds = read(p,
                  record("hist", history={2018: 8000, 2019: 10000}),   # 2019 -> 10000
                  record("gap", history={2018: 8000}),                 # no 2019 -> missing
                  record("given", history={2019: 10000}, income_last_year=7000),
                  record("noyear", year=None, history={2019: 10000}))  # no year -> missing
        ily = list(ds.column("income_last_year"))
        self.assertEqual(ily[0], 10000)
        self.assertTrue(math.isnan(ily[1]))
        self.assertEqual(ily[2], 7000)
        self.assertTrue(math.isnan(ily[3]))
        a = p.monitor(ds, 2020)
        drop = a.get(0, "income_drop")
        self.assertIs(drop["outcome"], True)
        self.assertAlmostEqual(drop["value"], 0.4, places=15)
        self.assertEqual(drop["threshold"], 0.3)
        self.assertEqual(a.group(0), "marginal")   # 6000 is not below 6000: the drop alone
        self.assertIsNone(a.get(1, "income_drop")["outcome"])
        # given 7000: (7000 - 6000) / 7000 = 1/7 < 0.3
        self.assertIs(a.get(2, "income_drop")["outcome"], False)
        self.assertAlmostEqual(a.get(2, "income_drop")["value"], 1 / 7, places=15)

    def test_assistance_measure_from_programmes(self):
        q = Policy.default(M21)
        base = dict(year=2024, province_code="53", registry_status="monitored_marginal",
                    housing_safety="A", safe_water=True, months_income_above_range=6,
                    months_since_identification=6, rigid_spending_resolved=True)
        ds = read(q,
                  record("one", programs=[("dibao", 2023), ("relocation", 2025)], **base),
                  record("later", programs=[("relocation", 2025)], **base),
                  record("none", **base),
                  record("given", programs=[("dibao", 2023)], assistance_measures=0, **base))
        # 2023 counts, 2025 does not; no record at all: missing; given 0 kept
        am = list(ds.column("assistance_measures"))
        self.assertEqual(am[:2], [1, 0])
        self.assertTrue(math.isnan(am[2]))
        self.assertEqual(am[3], 0)
        a = q.eliminate(ds, 2024)
        self.assertEqual([a.get(i, "assistance_measure")["outcome"] for i in range(4)],
                         [True, False, None, False])
        self.assertEqual([a.is_eligible(i) for i in range(4)], [True, False, None, False])
        # one household through the household API: a record added and a value set
        h = ds[2]
        self.assertIsNone(h.get("assistance_measures"))
        h.add_program("dibao", 2024)
        h["months_since_identification"] = 7
        self.assertEqual(h["assistance_measures"], 1)
        self.assertIs(q.eliminate(h, 2024).is_eligible(), True)
        # the caller's value wins over the records
        h["assistance_measures"] = 3
        self.assertEqual(h["assistance_measures"], 3)
        h = pm.Household(ds.schema, id="new", year=2020)
        h.add_history(2019, 4321.5)
        self.assertEqual(h["income_last_year"], 4321.5)


if __name__ == "__main__":
    unittest.main()
