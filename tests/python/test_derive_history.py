"""History-based indicators through the binding (docs/data-model.md,
"History-based indicators"): under the monitoring policies' schema a missing
income_last_year is the household's income history entry of year - 1, a
missing assistance_measures the number of its programme records of the year
or earlier (no record: missing); a value given is kept.

Expected values by hand: 2020 range 1.5 x 4000 = 6000 yuan per person
(docs/policy-format.md §14); history {2019: 10000} and a per-capita net income
of 6000 give a drop of (10000 - 6000) / 10000 = 0.4 >= 0.3.
"""
import ctypes
import json
import math
import os
import tempfile
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
        # one household through the household API: a record added after the
        # value was read counts at the next read (2024 <= 2024: 1 measure)
        h = ds[2]
        self.assertIsNone(h.get("assistance_measures"))
        h.add_program("dibao", 2024)
        self.assertEqual(h["assistance_measures"], 1)
        self.assertIs(q.eliminate(h, 2024).is_eligible(), True)
        # the caller's value wins over the records
        h["assistance_measures"] = 3
        self.assertEqual(h["assistance_measures"], 3)
        h = pm.Household(ds.schema, id="new", year=2020)
        self.assertIsNone(h.get("income_last_year"))   # read before the entry exists
        h.add_history(2019, 4321.5)
        self.assertEqual(h["income_last_year"], 4321.5)
        h.add_history(2018, 1.0)                         # not last year: no change
        self.assertEqual(h["income_last_year"], 4321.5)


class DeriveOptionsTest(unittest.TestCase):
    """derive_options() and history_indicators (the field appended to
    pov_derive_options in what was the struct's tail padding)."""

    def test_defaults_keep_history_indicators_on(self):
        o = pm.derive_options()
        self.assertEqual(o.history_indicators, 1)
        # pov_derive_options_init() sets size = sizeof(pov_derive_options):
        # the ctypes layout has the same size
        self.assertEqual(o.size, ctypes.sizeof(o))
        self.assertEqual(pm.derive_options(history_indicators=None).history_indicators, 1)
        self.assertEqual(pm.derive_options(history_indicators=False).history_indicators, 0)
        self.assertEqual(pm.derive_options(history_indicators=True).history_indicators, 1)
        # other options leave it at the default
        self.assertEqual(pm.derive_options(components=["wage"]).history_indicators, 1)
        # the policy's income definition includes it, on
        self.assertEqual(Policy.default(M20).derive_options()["history_indicators"], 1)

    def test_dataset_derive_with_default_options_fills(self):
        p = Policy.default(M20)
        ds = read(p, record("hist", history={2019: 10000}, programs=[("dibao", 2020)]),
                  record("given", history={2019: 10000}, income_last_year=7000))
        ily = lambda: list(ds.column("income_last_year"))
        self.assertEqual(ily(), [10000, 7000])
        # derive() with the default options (the policy's definition is the
        # national one): still filled
        ds.derive()
        self.assertEqual(ily(), [10000, 7000])
        self.assertEqual(ds.column("assistance_measures")[0], 1)
        # another option changed, history_indicators left alone: filled
        ds.derive(subtract_production_costs=False)
        self.assertEqual(ily(), [10000, 7000])
        # off: the filled value goes, the given one stays; on again
        ds.derive(history_indicators=False)
        got = ily()
        self.assertTrue(math.isnan(got[0]))
        self.assertEqual(got[1], 7000)
        self.assertTrue(math.isnan(ds.column("assistance_measures")[0]))
        ds.derive(history_indicators=None)
        self.assertEqual(ily(), [10000, 7000])

    def test_household_derive(self):
        schema = read(Policy.default(M20), record("x")).schema
        h = pm.Household(schema, id="h", year=2020)
        h.add_history(2019, 5000)
        h.derive()
        self.assertEqual(h["income_last_year"], 5000)
        h.derive(history_indicators=0)
        self.assertIsNone(h.get("income_last_year"))
        h.derive(history_indicators=1)
        self.assertEqual(h["income_last_year"], 5000)


class WritersTest(unittest.TestCase):
    """A filled value is not written as if the caller had given it."""

    def test_filled_value_left_out_given_value_written(self):
        p = Policy.default(M20)
        ds = read(p, record("f", history={2019: 10000}),
                  record("g", history={2019: 10000}, income_last_year=7000))
        f, g = ds[0], ds[1]
        self.assertEqual(f["income_last_year"], 10000)
        self.assertNotIn("income_last_year", json.loads(f.to_json()))
        self.assertEqual(json.loads(f.to_json(derived=True))["income_last_year"], 10000)
        self.assertEqual(json.loads(g.to_json())["income_last_year"], 7000)
        self.assertEqual(json.loads(g.to_json(derived=True))["income_last_year"], 7000)
        with tempfile.TemporaryDirectory() as d:
            jl = os.path.join(d, "h.jsonl")
            cs, cm = os.path.join(d, "h.csv"), os.path.join(d, "m.csv")
            pio.write(ds, jl, sync=False)
            pio.write(ds, cs, members=cm, sync=False)
            with open(jl, encoding="utf-8") as fh:
                rows = [json.loads(line) for line in fh]
            self.assertNotIn("income_last_year", rows[0])
            self.assertEqual(rows[0]["income_history"], {"2019": 10000})
            self.assertEqual(rows[1]["income_last_year"], 7000)
            with open(cs, encoding="utf-8") as fh:
                header = fh.readline().rstrip("\n").split(",")
                k = header.index("income_last_year")
                cells = [line.split(",")[k] for line in fh]   # no quoted cell before k
            self.assertEqual(cells, ["", "7000"])
            # read back: filled again for f, given for g (the switch removes f's)
            for back in (pio.read(jl, schema=p.schema),
                         pio.read(cs, schema=p.schema, members=cm)):
                self.assertEqual(list(back.column("income_last_year")), [10000, 7000])
                back.derive(history_indicators=False)
                got = list(back.column("income_last_year"))
                self.assertTrue(math.isnan(got[0]))
                self.assertEqual(got[1], 7000)


if __name__ == "__main__":
    unittest.main()
