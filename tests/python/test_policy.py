"""Tests of povmetrics.policy (exit policies, docs/policy-format.md).

Expected values are hand-computed from domain.md §3/§5 thresholds and the
households built here (e.g. 4 people on 52 m² = 13.0 m² per person).
Households are built through the C API directly (a minimal wrapper below),
so these tests depend only on the policy binding.
"""
import ctypes
import json
import math
import os
import unittest

from povmetrics import _ffi, errors
from povmetrics import policy as pol
from povmetrics.policy import Policy, UnitInputs

try:
    import numpy
except ImportError:  # pragma: no cover - Debian's python3-numpy is expected
    numpy = None

_vp = ctypes.c_void_p
_L = _ffi.lib


def _fn(name, restype, argtypes):
    f = _L[name]
    f.restype = restype
    f.argtypes = argtypes
    return f


_hh_new = _fn("pov_household_new", ctypes.c_int, [_vp, ctypes.POINTER(_vp)])
_hh_free = _fn("pov_household_free", None, [_vp])
_hh_id = _fn("pov_household_set_id", ctypes.c_int, [_vp, ctypes.c_char_p])
_hh_num = _fn("pov_household_set_number", ctypes.c_int, [_vp, ctypes.c_char_p, ctypes.c_double])
_hh_bool = _fn("pov_household_set_boolean", ctypes.c_int, [_vp, ctypes.c_char_p, ctypes.c_int])
_hh_cat = _fn("pov_household_set_category", ctypes.c_int,
              [_vp, ctypes.c_char_p, ctypes.c_char_p])
_hh_text = _fn("pov_household_set_text", ctypes.c_int, [_vp, ctypes.c_char_p, ctypes.c_char_p])
_hh_missing = _fn("pov_household_set_missing", ctypes.c_int, [_vp, ctypes.c_char_p])
_m_add = _fn("pov_household_member_add", ctypes.c_int, [_vp, ctypes.POINTER(ctypes.c_size_t)])
_m_num = _fn("pov_household_member_set_number", ctypes.c_int,
             [_vp, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_double])
_m_bool = _fn("pov_household_member_set_boolean", ctypes.c_int,
              [_vp, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_int])
_m_cat = _fn("pov_household_member_set_category", ctypes.c_int,
             [_vp, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_char_p])
_ds_new = _fn("pov_dataset_new", ctypes.c_int, [_vp, ctypes.POINTER(_vp)])
_ds_free = _fn("pov_dataset_free", None, [_vp])
_ds_append = _fn("pov_dataset_append", ctypes.c_int, [_vp, _vp])


def _ok(r):
    if r < 0:
        raise _ffi.last_error(r)


class Household:
    """Minimal household wrapper for these tests (the binding takes any
    object with ``_ptr`` and a class name containing 'household')."""

    def __init__(self, schema, hid):
        out = _vp()
        _ok(_hh_new(schema._ptr, ctypes.byref(out)))
        self._ptr = out.value
        self.schema = schema
        _ok(_hh_id(self._ptr, hid.encode()))

    def set(self, name, value):
        n = name.encode()
        if value is None:
            _ok(_hh_missing(self._ptr, n))
        elif isinstance(value, bool):
            _ok(_hh_bool(self._ptr, n, int(value)))
        elif isinstance(value, str):
            r = _hh_cat(self._ptr, n, value.encode())
            if r == errors.TypeMismatchError.code:
                r = _hh_text(self._ptr, n, value.encode())
            _ok(r)
        else:
            _ok(_hh_num(self._ptr, n, float(value)))

    def member(self, **values):
        k = ctypes.c_size_t()
        _ok(_m_add(self._ptr, ctypes.byref(k)))
        for name, value in values.items():
            n = name.encode()
            if isinstance(value, bool):
                _ok(_m_bool(self._ptr, k.value, n, int(value)))
            elif isinstance(value, str):
                _ok(_m_cat(self._ptr, k.value, n, value.encode()))
            else:
                _ok(_m_num(self._ptr, k.value, n, float(value)))

    def __del__(self):
        if getattr(self, "_ptr", None):
            _hh_free(self._ptr)
            self._ptr = None


class Dataset:
    is_dataset = True

    def __init__(self, schema, households):
        out = _vp()
        _ok(_ds_new(schema._ptr, ctypes.byref(out)))
        self._ptr = out.value
        for h in households:
            _ok(_ds_append(self._ptr, h._ptr))

    def __del__(self):
        if getattr(self, "_ptr", None):
            _ds_free(self._ptr)
            self._ptr = None


def good_household(policy, hid="h1", size=4, floor_area=60.0, wage=12000.0, village="450123101"):
    """Passes every Guangxi household criterion in 2016 (line 2952):
    3000 yuan and 15 m² per person, grade A brick-concrete, 40 L, 10 min, 95%."""
    h = Household(policy.schema, hid)
    for name, value in [("province_code", "45"), ("county_code", "450123"),
                        ("village_code", village), ("year", 2016),
                        ("registry_status", "poor"), ("floor_area", floor_area),
                        ("housing_structure", "brick_concrete"), ("housing_safety", "A"),
                        ("income_wage", wage), ("water_litres_per_day", 40),
                        ("water_fetch_minutes", 10), ("water_supply_pct", 95),
                        ("safe_water", True), ("paddy_mu", 0.5 * size), ("dry_land_mu", 0),
                        ("economic_forest_mu", 0), ("forest_mu", 0), ("road_hardened", True),
                        ("electricity", True), ("tv", True), ("food_secure", True),
                        ("clothing_secure", True), ("has_shop", False),
                        ("livestock_at_scale", False), ("self_employed", False),
                        ("other_stable_income", False), ("dibao_ab", False),
                        ("industry_covered", True)]:
        try:
            h.set(name, value)
        except errors.NotFoundError:  # a Guangxi indicator in the national schema
            if name not in ("has_shop", "livestock_at_scale", "self_employed",
                            "other_stable_income", "dibao_ab", "industry_covered"):
                raise
    for _ in range(size):
        h.member(age=30, labour_capacity="ordinary", medical_insurance=True,
                 schooling="not_applicable", migrant_months=0)
    return h


class DefaultPolicyTest(unittest.TestCase):
    def test_defaults_load_with_counts(self):
        self.assertEqual(pol.default_names(), ["national_2016", "guangxi_2016",
                                               "national_2020_monitoring",
                                               "national_2021_monitoring"])
        n = Policy.default("national_2016")
        g = Policy.default("guangxi_2016")
        self.assertEqual([len(n.criterion_ids(k)) for k in range(3)], [7, 1, 4])
        self.assertEqual([len(g.criterion_ids(k)) for k in range(3)], [11, 12, 13])
        self.assertEqual(g.inherits, "national_2016")
        self.assertIsNone(n.inherits)
        self.assertEqual(g.region, "45")
        self.assertEqual(g.version, "2016.1")
        self.assertIn("八有一超", g.title_zh)
        self.assertIn("Guangxi", g.title_en)
        c = g.criterion("household", "safe_housing")
        self.assertEqual(c["dimension"], "housing")
        self.assertEqual(c["label_zh"], "有安全住房")
        self.assertIn("八有一超", c["source"])
        self.assertEqual(c["tests"], 1)
        self.assertEqual(c["label_en"], "secure housing")
        self.assertIsNone(g.criterion("village", "housing")["dimension"])
        self.assertEqual(g.derive_options()["income_components"], 0x1F)
        self.assertEqual(g.derive_options()["income_exclusions"], 0x07)
        with self.assertRaises(errors.NotFoundError):
            Policy.default("hunan_2017")
        with self.assertRaises(errors.NotFoundError):
            g.criterion("village", "nope")
        doc = g.to_json()
        self.assertEqual(doc["id"], "guangxi_2016")
        self.assertNotIn("inherits", doc)
        g.close()
        g.close()
        with self.assertRaises(ValueError):
            g.criterion_ids()
        self.assertTrue(repr(n).startswith("<povmetrics.Policy national_2016"))

    def test_poverty_lines(self):
        with Policy.default("guangxi_2016") as g:
            expected = {2010: 2300, 2011: 2536, 2012: 2625, 2013: 2736, 2014: 2800,
                        2015: 2855, 2016: 2952, 2019: 3218, 2020: 4000}
            for year, amount in expected.items():
                self.assertEqual(g.poverty_line(year), amount)
                self.assertEqual(g.poverty_line(year, "450123"), amount)
            for year in (2017, 2018):
                with self.assertRaises(errors.NotFoundError) as cm:
                    g.poverty_line(year)
                self.assertIn(str(year), str(cm.exception))
                self.assertIsNone(g.poverty_line_source(year))
            self.assertIn("云南调查年鉴2017", g.poverty_line_source(2016))

    def test_year_dependent_thresholds(self):
        g = Policy.default("guangxi_2016")
        self.assertEqual(g.threshold("village", "collective_income", 0, 2017), 20000)
        self.assertEqual(g.threshold("village", "collective_income", 0, 2020), 50000)
        with self.assertRaises(errors.NotFoundError):
            g.threshold("village", "collective_income", 0, 2018)
        self.assertEqual(g.threshold("county", "housing", 1, 2017), 0.90)
        self.assertEqual(g.threshold("county", "housing", 1, 2020), 1.0)
        self.assertEqual(g.threshold("county", "education", 0, 2020), 0.93)
        self.assertEqual(g.threshold("village", "housing", 0, 2016), 0.95)
        self.assertEqual(g.threshold("village", "housing", 0, 2017), 0.98)
        n = Policy.default("national_2016")
        self.assertEqual(n.threshold("village", "incidence", 0, 2016, "450123101"), 0.03)
        self.assertEqual(n.threshold("village", "incidence", 0, 2016, "430102"), 0.02)
        self.assertEqual(n.threshold("county", "public_approval", 0, 2016), 0.90)


class HouseholdAssessmentTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.g = Policy.default("guangxi_2016")

    def test_good_household(self):
        h = good_household(self.g)
        a = self.g.assess(h, 2016)
        self.assertEqual(len(a), 1)
        for c in a.criteria:
            self.assertIs(a.get(0, c)["outcome"], True, c)
        self.assertIs(a.is_eligible(0), True)
        inc = a.get(0, "income_above_line")
        self.assertEqual((inc["value"], inc["threshold"], inc["margin"]), (3000, 2952, 48))
        j = a.to_json(0)
        self.assertEqual(j["eligible"], "pass")
        self.assertEqual(j["two_three"]["water"], "pass")
        with self.assertRaises(KeyError):
            a.get(0, "nope")
        with self.assertRaises(errors.InvalidArgumentError):
            a.get(1, 0)

    def test_13_square_metres_per_person(self):
        h = good_household(self.g, floor_area=52)  # 13.00
        r = self.g.assess(h, 2016).get(0, "safe_housing")
        self.assertEqual(r, {"outcome": True, "test": 0, "value": 13.0, "threshold": 13.0,
                             "margin": 0.0})
        h.set("floor_area", 51.96)  # 12.99
        a = self.g.assess(h, 2016)
        r = a.get(0, "safe_housing")
        self.assertIs(r["outcome"], False)
        self.assertAlmostEqual(r["value"], 12.99, places=12)
        self.assertAlmostEqual(r["margin"], -0.01, places=12)
        self.assertIs(a.is_eligible(0), False)
        # the national standard has no area rule
        n = Policy.default("national_2016")
        hn = good_household(n, floor_area=40)
        self.assertIs(n.assess(hn, 2016).get(0, "safe_housing")["outcome"], True)

    def test_income_and_missing_line(self):
        h = good_household(self.g, wage=4 * 2952.0)
        self.assertIs(self.g.assess(h, 2016).get(0, "income_above_line")["outcome"], False)
        h.set("income_wage", 4 * 2953.0)
        self.assertIs(self.g.assess(h, 2016).get(0, "income_above_line")["outcome"], True)
        with self.assertRaises(errors.NotFoundError) as cm:
            self.g.assess(h, 2017)
        self.assertIn("income_above_line", str(cm.exception))

    def test_water_thresholds(self):
        for litres, fetch, supply, ok in [(35, 20, 90, True), (34.9, 20, 90, False),
                                          (35, 21, 90, False), (35, 20, 89.9, False)]:
            h = good_household(self.g)
            h.set("water_litres_per_day", litres)
            h.set("water_fetch_minutes", fetch)
            h.set("water_supply_pct", supply)
            self.assertIs(self.g.assess(h, 2016).get(0, "safe_water")["outcome"], ok,
                          (litres, fetch, supply))

    def test_missing_is_unknown(self):
        h = good_household(self.g)
        h.set("water_fetch_minutes", None)
        a = self.g.assess(h, 2016)
        r = a.get(0, "safe_water")
        self.assertIsNone(r["outcome"])
        self.assertIsNone(r["value"])
        self.assertEqual(r["threshold"], 20)
        self.assertIsNone(a.is_eligible(0))
        h.set("food_secure", None)
        tt = self.g.two_three(h, 2016)
        self.assertEqual(tt, {"food": None, "clothing": True, "education": True,
                              "medical": True, "housing": True, "water": None})

    def test_dataset_batch_zero_copy(self):
        hs = [good_household(self.g, "d%d" % i, floor_area=a)
              for i, a in enumerate([52, 51.96, 60, 40])]
        hs[2].set("housing_safety", None)
        ds = Dataset(self.g.schema, hs)
        a = self.g.assess(ds, 2016)
        self.assertEqual(len(a), 4)
        k = a.criteria.index("safe_housing")
        out = a.outcomes(k)
        self.assertEqual(list(out), [pol.PASS, pol.FAIL, pol.UNKNOWN, pol.FAIL])
        self.assertEqual(list(a.eligible()), [pol.PASS, pol.FAIL, pol.UNKNOWN, pol.FAIL])
        vals = a.values("safe_housing")
        self.assertEqual(vals[0], 13.0)
        self.assertEqual(vals[3], 10.0)
        if numpy is not None:
            arr = numpy.frombuffer(out, dtype=numpy.uint8)
            self.assertEqual(int((arr == pol.PASS).sum()), 1)
            v = numpy.frombuffer(vals, dtype=numpy.float64)
            self.assertEqual(v[3], 10.0)
        del a  # the views keep the C memory alive
        self.assertEqual(list(out), [1, 0, 2, 0])
        tt = self.g.two_three_dataset(ds, 2016)
        self.assertEqual(list(tt["housing"]), [pol.PASS, pol.FAIL, pol.UNKNOWN, pol.FAIL])
        self.assertEqual(list(tt["food"]), [pol.PASS] * 4)


def _unit_policy():
    return Policy.from_string(_unit_policy_doc())


def _unit_policy_doc():
    return {
        "format": "povmetrics.policy/1", "id": "unit_test", "title": "t", "version": "1",
        "region": "CN",
        "provenance": {"summary": "s", "sources": [
            {"id": "s", "status": "illustrative", "citation": "test"}]},
        "poverty_lines": [{"year": 2016, "region": "CN", "amount": 2952, "source": "s"}],
        "income_definition": {"components": ["operating", "wage", "property", "transfer",
                                             "other"],
                              "excluded": ["basic_pension", "dibao_c", "temporary_relief"],
                              "subtract_production_costs": True, "divide_by": "household_size",
                              "source": "s"},
        "poor_household": {"==": [{"var": "registry_status"}, "poor"]},
        "household": [{"id": "housing", "label": {"zh": "住", "en": "h"}, "source": "s",
                       "dimension": "housing",
                       "tests": [{"value": {"var": "floor_area_per_capita"}, "op": ">=",
                                  "threshold": 13}]}],
        "village": [
            {"id": "housing", "label": {"zh": "住", "en": "h"}, "source": "s",
             "tests": [{"kind": "share", "among": "all", "household_criterion": "housing",
                        "op": ">=", "threshold": 0.98}]},
            {"id": "incidence", "label": {"zh": "率", "en": "i"}, "source": "s",
             "tests": [{"kind": "incidence", "op": "<", "threshold": 0.03}]},
            {"id": "income", "label": {"zh": "集", "en": "c"}, "source": "s",
             "tests": [{"kind": "input", "input": "collective_income", "op": ">=",
                        "threshold": 20000}]}]}


def _village(policy, n, bad, poor):
    hs = []
    for i in range(n):
        h = Household(policy.schema, "v%03d" % i)
        h.set("village_code", "V1")
        h.set("county_code", "C1")
        h.set("year", 2016)
        h.set("registry_status", "poor" if i < poor else "not_registered")
        h.set("floor_area", 12 if i < bad else 20)
        h.member(age=40)
        hs.append(h)
    return Dataset(policy.schema, hs)


class UnitAssessmentTest(unittest.TestCase):
    def test_98_percent_and_3_percent(self):
        p = _unit_policy()
        ds = _village(p, 100, 2, 2)  # share 0.98, incidence 0.02
        r = p.assess_units(ds, pol.VILLAGE, 2016, {"V1": {"collective_income": 20000}})
        (u,) = r.units()
        self.assertEqual(u["code"], "V1")
        self.assertEqual(u["households"], 100)
        self.assertIs(u["outcome"], True)
        self.assertAlmostEqual(u["criteria"][0]["value"], 0.98, places=15)
        self.assertAlmostEqual(u["criteria"][1]["value"], 0.02, places=15)
        self.assertAlmostEqual(u["criteria"][1]["margin"], 0.01, places=15)
        self.assertEqual(u["criteria"][2]["margin"], 0)
        ds = _village(p, 100, 3, 3)  # share 0.97, incidence 0.03: both fail
        inputs = UnitInputs()
        inputs.load_json('{"V1": {"collective_income": 19999}}')
        r = p.assess_units(ds, "village", 2016, inputs)
        (u,) = r.units()
        self.assertIs(u["outcome"], False)
        self.assertEqual([c["outcome"] for c in u["criteria"]], [False, False, False])
        self.assertEqual(u["criteria"][2]["margin"], -1)
        self.assertEqual(len(u["blockers"]), 6)
        self.assertEqual(u["blockers"][0]["reason"],
                         "household v000: housing fails (value 12, threshold >= 13) "
                         "[blocks housing]")
        self.assertEqual(u["blockers"][0]["household_criterion"], 0)
        text = r.to_text()
        self.assertIn("Village V1", text)
        self.assertIn("-0.01", text)
        j = r.to_json()
        self.assertEqual(j["units"][0]["outcome"], "fail")
        self.assertEqual(j["level"], "village")

    def test_missing_input_names_unit(self):
        p = _unit_policy()
        ds = _village(p, 10, 0, 0)
        with self.assertRaises(errors.MissingFieldError) as cm:
            p.assess_units(ds, pol.VILLAGE, 2016)
        self.assertIn("V1", str(cm.exception))
        self.assertIn("collective_income", str(cm.exception))
        with self.assertRaises(errors.TypeMismatchError):
            p.assess_units(ds, pol.VILLAGE, 2016, {"V1": {"collective_income": True}})
        with self.assertRaises(errors.TypeMismatchError) as cm:
            UnitInputs().load_json('{"V1": {"collective_income": "x"}}', source="in.json")
        self.assertEqual(cm.exception.path, "V1.collective_income")
        with self.assertRaises(errors.NonFiniteError):
            UnitInputs({"V1": {"x": float("nan")}})

    def test_report(self):
        p = _unit_policy()
        hs = []
        for i, (year, size, inc, poor) in enumerate([(2015, 1, 2000, 1), (2015, 2, 2400, 1),
                                                    (2015, 2, 9000, 0), (2016, 1, 2200, 1),
                                                    (2016, 2, 3000, 1), (2016, 2, 9000, 0)]):
            h = Household(p.schema, "r%d" % i)
            h.set("village_code", "V1")
            h.set("county_code", "C1")
            h.set("year", year)
            h.set("registry_status", "poor" if poor else "not_registered")
            for _ in range(size):
                h.member(age=40, medical_insurance=True)
            h.set("income_wage", inc * size)
            h.set("floor_area", 14 * size)
            hs.append(h)
        ds = Dataset(p.schema, hs)
        rows = p.report(ds, pol.VILLAGE)
        self.assertEqual([(r["unit"], r["year"]) for r in rows], [("V1", 2015), ("V1", 2016)])
        self.assertEqual(rows[0]["people"], 5)
        self.assertAlmostEqual(rows[0]["incidence"], 0.6, places=15)
        self.assertEqual(rows[0]["mean_income_poor"], 2200)
        self.assertEqual(rows[1]["mean_income_poor"], 2600)
        self.assertIsNone(rows[0]["income_growth"])
        self.assertAlmostEqual(rows[1]["income_growth"], 2600 / 2200 - 1, places=15)
        self.assertEqual(rows[0]["medical_participation"], 1.0)
        self.assertIsNone(rows[0]["education_enrolment"])  # no children
        self.assertEqual(rows[1]["exits"], 2)
        js = p.report_json(ds, "county")
        self.assertEqual(js[0]["unit"], "C1")
        self.assertEqual(set(pol.REPORT_FIELDS) | {"unit", "year"}, set(js[0]))


LOCAL = {
    "format": "povmetrics.policy/1", "id": "local_2018", "title": {"zh": "本地", "en": "local"},
    "version": "1", "region": "450123", "inherits": "guangxi_2016",
    "provenance": {"summary": "test", "sources": [
        {"id": "loc", "status": "illustrative", "citation": "test figures"}]},
    "poverty_lines": [{"year": 2018, "region": "45", "amount": 3100, "source": "loc"}],
    "overrides": {"village": [{"id": "collective_income", "source": "loc", "tests": [
        {"kind": "input", "input": "collective_income", "op": ">=", "threshold": 30000}]}]},
}


class InheritanceTest(unittest.TestCase):
    def test_override_and_lines(self):
        p = Policy.from_string(LOCAL)
        self.assertEqual(p.poverty_line(2018, "450123"), 3100)
        self.assertEqual(p.poverty_line(2016), 2952)
        self.assertEqual(p.threshold("village", "collective_income", 0, 2018), 30000)
        self.assertEqual(len(p.criterion_ids("county")), 13)
        g = Policy.default("guangxi_2016")
        q = Policy.from_string(json.dumps(LOCAL), parent=g)
        self.assertEqual(q.inherits, "guangxi_2016")
        n = Policy.default("national_2016")
        with self.assertRaises(errors.InvalidArgumentError) as cm:
            Policy.from_string(LOCAL, parent=n)
        self.assertEqual(cm.exception.path, "inherits")

    def test_unknown_override_id(self):
        text = json.dumps(LOCAL, indent=1).replace('"id": "collective_income"',
                                                    '"id": "colective_income"')
        with self.assertRaises(errors.NotFoundError) as cm:
            Policy.from_string(text, source="local.json")
        e = cm.exception
        self.assertEqual(e.path, "overrides.village[0].id")
        self.assertEqual(e.source, "local.json")
        lines = text.split("\n")
        want_line = next(i for i, l in enumerate(lines) if "colective_income" in l) + 1
        self.assertEqual(e.line, want_line)
        self.assertEqual(e.column, lines[want_line - 1].index('"colective') + 1)

    def test_threshold_of_wrong_type(self):
        doc = json.loads(json.dumps(LOCAL))
        doc["overrides"]["village"][0]["tests"][0]["threshold"] = "30000"
        with self.assertRaises(errors.TypeMismatchError) as cm:
            Policy.from_string(doc)
        self.assertEqual(cm.exception.path, "overrides.village[0].tests[0].threshold")
        doc["overrides"]["village"][0]["tests"][0]["threshold"] = True  # with >=
        with self.assertRaises(errors.TypeMismatchError):
            Policy.from_string(doc)
        doc["overrides"]["village"][0]["tests"][0]["threshold"] = {"by_year": {"2018x": 1}}
        with self.assertRaises(errors.RangeError):
            Policy.from_string(doc)

    def test_unknown_field_and_file(self):
        doc = dict(LOCAL, villages=[])
        with self.assertRaises(errors.UnknownFieldError) as cm:
            Policy.from_string(doc)
        self.assertEqual(cm.exception.path, "villages")
        with self.assertRaises(errors.PovIOError):
            Policy.load("/nonexistent/policy.json")
        root = os.environ.get("POV_SOURCE_ROOT", os.path.join(os.path.dirname(__file__),
                                                              "..", ".."))
        p = Policy.load(os.path.join(root, "lib", "policy", "defaults", "national_2016.json"))
        self.assertEqual(p.id, "national_2016")
        self.assertTrue(math.isfinite(p.poverty_line(2016)))


if __name__ == "__main__":
    unittest.main()


class LifecycleTest(unittest.TestCase):
    """Policy, Assessment, UnitInputs and UnitResult share _ffi.Owned: close()
    is idempotent, a closed object refuses use with ValueError, and a with
    block closes it."""

    def check(self, obj, use):
        use(obj)  # usable while open
        obj.close()
        obj.close()
        with self.assertRaisesRegex(ValueError, "closed"):
            use(obj)

    def test_each_owned_class(self):
        p = _unit_policy()
        ds = _village(p, 10, 1, 1)
        self.check(p.assess(ds, 2016), len)
        self.check(p.assess_units(ds, pol.VILLAGE, 2016, {"V1": {"collective_income": 20000}}),
                   lambda r: r.units())
        self.check(UnitInputs({"V1": {"collective_income": 1}}),
                   lambda u: u.set("V1", "collective_income", 2))
        g = Policy.default("guangxi_2016")
        self.check(g, lambda q: q.criterion_ids())
        with Policy.default("guangxi_2016") as q:
            self.assertTrue(q.criterion_ids())
        with self.assertRaisesRegex(ValueError, "the policy is closed"):
            q.criterion_ids(pol.HOUSEHOLD)


class PolicySchemaTest(unittest.TestCase):
    """Policy.schema is a Schema borrowed from the policy: it knows the
    policy's indicators, builds households with them, and refuses use once
    the policy is closed (its C schema may be gone), while a household made
    before keeps its own reference."""

    def test_borrowed_schema(self):
        from povmetrics.household import Household as PyHousehold
        from povmetrics.schema import Schema
        p = Policy.default("national_2020_monitoring")
        s = p.schema
        self.assertIsInstance(s, Schema)
        core = Schema.core()
        # food_secure, clothing_secure (inherited from national_2016), then
        # income_last_year ... rigid_spending_resolved of its own
        self.assertEqual(len(s), len(core) + 7)
        self.assertGreaterEqual(s.index("income_last_year"), len(core))
        h = PyHousehold(s, "h1", income_last_year=6000.0, year=2020)
        self.assertEqual(h["income_last_year"], 6000.0)
        p.close()
        with self.assertRaisesRegex(ValueError, "policy that owns this schema is closed"):
            s.index("income_last_year")
        with self.assertRaisesRegex(ValueError, "closed"):
            PyHousehold(s, "h2")
        self.assertEqual(h["income_last_year"], 6000.0)  # the household's own reference


class DeriveArgumentsTest(unittest.TestCase):
    """Policy.derive_arguments() turns the policy's income definition into
    the keyword arguments of Dataset.derive(): a dataset read under the
    national definition is recomputed under the policy's own."""

    def test_round_trip_and_derive(self):
        from povmetrics import Dataset as PyDataset, Household as PyHousehold
        from povmetrics.household import derive_options
        doc = json.loads(json.dumps(_unit_policy_doc()))
        doc["income_definition"] = {"components": ["wage", "operating"], "excluded": [],
                                    "subtract_production_costs": False,
                                    "divide_by": "household_size", "source": "s"}
        p = Policy.from_string(doc)
        args = p.derive_arguments()
        self.assertEqual(args, {"components": ["wage", "operating"], "exclusions": [],
                                "subtract_production_costs": False, "labour_ages": (16, 64),
                                "school_ages": (6, 15), "history_indicators": True})
        o = derive_options(**args)
        self.assertEqual({n: getattr(o, n) for n, _t in o._fields_ if n != "size"},
                         p.derive_options())
        h = PyHousehold(id="h1", income_wage=1000.0, income_operating=500.0,
                        income_transfer=300.0, production_costs=200.0)
        h.add_member(age=40)
        h.add_member(age=12)
        ds = PyDataset()
        ds.append(h)
        # national definition: (1000 + 500 + 300 - 200) / 2 = 800
        self.assertEqual(ds.column("per_capita_net_income", numpy=False)[0], 800.0)
        ds.derive(**args)
        # the policy's: wage and operating only, no production costs: 1500 / 2 = 750
        self.assertEqual(ds.column("per_capita_net_income", numpy=False)[0], 750.0)
        ds.close()
