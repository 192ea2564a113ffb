"""Tests of the scorecard binding: loading (files, strings, embedded defaults),
validation errors with their paths, hand-scored households, explanations,
deliberation, identification by cut-off and quota, PPI likelihoods.

Expected numbers are hand computations from tests/data/scorecard/example.json
(see the comments of tests/scoring/test_scorecard.c for the arithmetic).
"""
import ctypes
import csv
import json
import math
import os
import pathlib
import subprocess
import sys
import tempfile
import unittest

from povmetrics import _ffi, errors
from povmetrics.scorecard import (IDENTIFIED, NOT_IDENTIFIED, VETOED, Identification,
                                  Scorecard, ScoreResult)

DATA = pathlib.Path(os.environ.get("POV_TEST_DATA",
                                   pathlib.Path(__file__).resolve().parents[1] / "data"))
EXAMPLE = DATA / "scorecard" / "example.json"

_vp = ctypes.c_void_p
_lib = _ffi.lib
_new = _lib["pov_dataset_new"]
_new.restype, _new.argtypes = ctypes.c_int, [_vp, ctypes.POINTER(_vp)]
_free = _lib["pov_dataset_free"]
_free.restype, _free.argtypes = None, [_vp]
_append = _lib["pov_dataset_append"]
_append.restype, _append.argtypes = ctypes.c_int, [_vp, _vp]
_hfrom = _lib["pov_household_from_json"]
_hfrom.restype = ctypes.c_int
_hfrom.argtypes = [_vp, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.POINTER(_vp)]
_hfree = _lib["pov_household_free"]
_hfree.restype, _hfree.argtypes = None, [_vp]


class _Household:
    """A minimal household handle for the tests (the data binding may differ)."""

    def __init__(self, schema, obj):
        text = json.dumps(obj).encode()
        out = _vp()
        _ffi.check(_hfrom(schema, text, len(text), None, ctypes.byref(out)))
        self._as_parameter_ = out

    def close(self):
        _hfree(self._as_parameter_)


class _Dataset:
    def __init__(self, schema, households):
        out = _vp()
        _ffi.check(_new(schema, ctypes.byref(out)))
        self._as_parameter_ = out
        for obj in households:
            h = _Household(schema, obj)
            try:
                _ffi.check(_append(out, h._as_parameter_))
            finally:
                h.close()

    def close(self):
        _free(self._as_parameter_)


HH_A = {"id": "A", "village_code": "V1", "county_code": "C1", "housing_structure": "brick_wood",
        "floor_area": 60, "safe_water": True, "motorcycles": 1, "pigs": 7, "income_wage": 6000,
        "debt": 25000, "cars": 0,
        "members": [{"age": 40, "labour_capacity": "ordinary", "public_funds_paid": False},
                    {"age": 38, "labour_capacity": "ordinary", "public_funds_paid": False},
                    {"age": 10, "schooling": "primary", "public_funds_paid": False}]}
HH_B = {"id": "B", "village_code": "V1", "county_code": "C1",
        "housing_structure": "reinforced_concrete", "floor_area": 100, "safe_water": True,
        "motorcycles": 3, "income_wage": 2000, "cars": 1,
        "members": [{"age": 70, "labour_capacity": "weak", "public_funds_paid": False},
                    {"age": 68, "labour_capacity": "weak", "public_funds_paid": False}]}
HH_C = {"id": "C", "village_code": "V2", "county_code": "C1", "housing_structure": "timber",
        "floor_area": 30, "safe_water": False, "motorcycles": 0, "pigs": 0, "income_wage": 500,
        "debt": 0, "cars": 0,
        "members": [{"age": 80, "labour_capacity": "none", "public_funds_paid": True}]}
HH_D = {"id": "D", "village_code": "V2", "county_code": "C1", "household_size": 4,
        "housing_structure": "earth", "floor_area": 40, "safe_water": True,
        "income_wage": 4000, "debt": 10000, "cars": 0}


class ScorecardTestCase(unittest.TestCase):
    def setUp(self):
        self.sc = Scorecard.from_file(EXAMPLE)
        self.ds = _Dataset(self.sc.schema_handle, [HH_A, HH_B, HH_C, HH_D])

    def tearDown(self):
        self.ds.close()
        self.sc.close()


class DefaultsTest(unittest.TestCase):
    def test_embedded_load_with_no_files(self):
        # a child process in an empty directory, with no source tree on hand
        code = ("from povmetrics.scorecard import Scorecard\n"
                "g = Scorecard.default('guangxi_style_2015'); p = Scorecard.default('ppi_style')\n"
                "print(len(g.categories), len(g.items), len(g.vetoes), g.max_total, len(p.items))\n")
        with tempfile.TemporaryDirectory() as d:
            out = subprocess.run([sys.executable, "-c", code], cwd=d, capture_output=True,
                                 text=True, env=dict(os.environ), check=True).stdout
        self.assertEqual(out.split(), ["18", "98", "8", "100.0", "10"])

    def test_guangxi_style_properties(self):
        with Scorecard.default() as sc:
            self.assertEqual(sc.id, "guangxi_style_2015")
            self.assertEqual(sc.version, "1.0.0")
            self.assertIn("illustrative", sc.title)
            self.assertEqual(sc.vetoes[:6], ["car", "town_property", "purchased_land", "company",
                                            "public_payroll", "vice"])
            self.assertEqual(sc.item_category(97), 17)
            with self.assertRaises(IndexError):
                sc.item_category(98)
            self.assertIn("<povmetrics.Scorecard guangxi_style_2015", repr(sc))
        self.assertIn("closed", repr(sc))
        with self.assertRaises(ValueError):
            sc.id

    def test_default_json_matches_the_source_tree(self):
        text = Scorecard.default_json("ppi_style")
        root = pathlib.Path(__file__).resolve().parents[2]
        self.assertEqual(text, (root / "lib/rules/defaults/ppi_style.json").read_text("utf-8"))
        self.assertEqual(Scorecard.from_string(text).id, "ppi_style")
        self.assertEqual(json.loads(Scorecard.default_json())["id"], "guangxi_style_2015")

    def test_unknown_default(self):
        with self.assertRaises(errors.NotFoundError):
            Scorecard.default("no_such_card")
        with self.assertRaises(errors.NotFoundError):
            Scorecard.default_json("no_such_card")


class ValidationTest(unittest.TestCase):
    def base(self, **extra):
        doc = {"format": "povmetrics.scorecard/1", "id": "t", "version": "1",
               "direction": "higher_better_off", "provenance": {"sources": []},
               "identification": {"cutoff": 60},
               "categories": [{"id": "c", "step": "look", "cap": 10, "items": [
                   {"id": "w", "indicator": "safe_water", "boolean": {"true": 2, "false": 0}}]}]}
        doc.update(extra)
        return doc

    def expect(self, doc, exc, path):
        with self.assertRaises(exc) as cm:
            Scorecard.from_string(doc, source="t.json")
        self.assertEqual(cm.exception.path, path, str(cm.exception))
        self.assertEqual(cm.exception.source, "t.json")

    def test_valid(self):
        self.assertEqual(Scorecard.from_string(self.base()).items, ["w"])

    def test_errors_with_paths(self):
        def item(**kw):
            d = {"id": "s"}
            d.update(kw)
            return [{"id": "c", "step": "look", "cap": 10, "items": [d]}]
        self.expect(self.base(colour=1), errors.UnknownFieldError, "colour")
        self.expect(self.base(format="povmetrics.scorecard/9"), errors.FormatError, "format")
        self.expect(self.base(categories=item(indicator="floor_area", bands=[
            {"min": 0, "max": 20, "points": 1}, {"min": 15, "max": None, "points": 2}])),
            errors.RuleError, "categories[0].items[0].bands[1].min")
        self.expect(self.base(categories=item(indicator="floor_area", bands=[
            {"min": 0, "max": 20, "points": 1}, {"min": 25, "max": None, "points": 2}])),
            errors.RuleError, "categories[0].items[0].bands[1].min")
        self.expect(self.base(categories=item(indicator="floor_area", bands=[
            {"min": 0, "max": None, "points": 11}])),
            errors.RuleError, "categories[0].items[0].bands[0].points")
        self.expect(self.base(categories=item(indicator="nope", boolean={"true": 1, "false": 0})),
                    errors.NotFoundError, "categories[0].items[0].indicator")
        self.expect(self.base(categories=item(indicator="housing_structure",
                                              map={"marble": 1}, default=0)),
                    errors.UnknownCodeError, "categories[0].items[0].map.marble")
        self.expect(self.base(categories=item(indicator="housing_structure", map={"timber": 1})),
                    errors.RuleError, "categories[0].items[0].map")
        self.expect(self.base(categories=item(indicator="safe_water", weight=1,
                                              boolean={"true": 1, "false": 0})),
                    errors.UnknownFieldError, "categories[0].items[0].weight")
        self.expect(self.base(identification={"quota": {"level": "village", "by": "share",
                                                         "share": 2}}),
                    errors.RangeError, "identification.quota.share")

    def test_line_and_column(self):
        text = json.dumps(self.base(categories=[{"id": "c", "step": "look", "items": [
            {"id": "w", "indicator": "nope", "boolean": {"true": 1, "false": 0}}]}]), indent=1)
        with self.assertRaises(errors.NotFoundError) as cm:
            Scorecard.from_string(text)
        line = next(n for n, l in enumerate(text.splitlines(), 1) if '"nope"' in l)
        self.assertEqual(cm.exception.line, line)
        self.assertEqual(cm.exception.column, text.splitlines()[line - 1].index('"nope"') + 1)

    def test_file_errors(self):
        with self.assertRaises(errors.PovIOError):
            Scorecard.from_file("/nonexistent/card.json")


class ScoreTest(ScorecardTestCase):
    def test_hand_scored_totals(self):
        res = self.sc.score(self.ds, mode="lenient")
        self.assertIsInstance(res, ScoreResult)
        self.assertEqual(len(res), 4)
        self.assertEqual(res.ids, ["A", "B", "C", "D"])
        for got, want in zip(res.totals, [17.9, 19.0, 7.0, 7.0]):
            self.assertAlmostEqual(got, want, places=12)
        self.assertAlmostEqual(res.category(0, "assets"), 3.4)
        self.assertAlmostEqual(res.category(1, 0), 10.0)  # 12 capped at 10
        self.assertAlmostEqual(res.item_points(0, "pigs"), 1.4)
        self.assertEqual(res.item_value(0, "structure"), 2.0)  # code index of brick_wood
        self.assertAlmostEqual(res.item_value(0, "space"), 20.0)
        self.assertIsNone(res.item_value(3, "workers"))
        self.assertTrue(res.item_missing(3, "workers"))
        self.assertFalse(res.item_missing(0, 0))
        self.assertEqual([res.missing_count(i) for i in range(4)], [0, 2, 0, 3])
        self.assertEqual(res.vetoes_hit(1), ["car"])
        self.assertEqual(res.vetoes_hit(2), ["public_payroll"])
        self.assertEqual(res.veto_count(0), 0)
        self.assertEqual(res.veto_hit(1, "car"), 1)
        self.assertEqual(res.rank(2, "county"), (1, 4, 25.0))
        self.assertEqual(res.rank(0), (1, 2, 50.0))
        with self.assertRaises(IndexError):
            res.missing_count(4)
        with self.assertRaises(ValueError):
            res.rank(0, "province")
        arrays = res.to_numpy()
        self.assertAlmostEqual(float(arrays["totals"].sum()), 17.9 + 19 + 7 + 7)
        res.close()
        with self.assertRaises(ValueError):
            len(res)

    def test_strict_mode_names_household_and_indicator(self):
        with self.assertRaises(errors.MissingFieldError) as cm:
            self.sc.score(self.ds)
        self.assertEqual(cm.exception.path, "[3].labour_count")
        self.assertIn('"D"', cm.exception.message)
        with self.assertRaises(ValueError):
            self.sc.score(self.ds, mode="sloppy")

    def test_single_household(self):
        h = _Household(self.sc.schema_handle, HH_A)
        try:
            res = self.sc.score_household(h)
            self.assertAlmostEqual(res.totals[0], 17.9)
        finally:
            h.close()

    def test_totals_detail(self):
        res = self.sc.score(self.ds, mode="lenient", detail="totals")
        self.assertAlmostEqual(res.totals[0], 17.9)
        self.assertIsNone(res.item_points(0, 0))
        with self.assertRaises(errors.StateError):
            res.explain(0)

    def test_explanations(self):
        res = self.sc.score(self.ds, mode="lenient")
        text = res.explain(0)
        self.assertIn("structure: housing_structure = brick_wood → 4 points (map)", text)
        self.assertIn("space: floor_area_per_capita = 20 → 2 points (band [13, 25))", text)
        d = res.explain(0, "json")
        self.assertEqual(d["household"], "A")
        self.assertAlmostEqual(d["raw"], 17.9)
        items = {it["id"]: it for c in d["categories"] for it in c["items"]}
        self.assertEqual(items["structure"]["value"], "brick_wood")
        self.assertEqual(items["debt"]["points"], -2.5)
        self.assertEqual(res.explain(1, "json")["vetoes"][0]["id"], "car")
        with self.assertRaises(ValueError):
            res.explain(0, "html")

    def test_deliberation(self):
        res = self.sc.score(self.ds, mode="lenient")
        res.adjust(0, -3, "illness in 2015", "village representatives", "2015-11-20")
        self.assertAlmostEqual(res.adjusted[0], 14.9)
        self.assertAlmostEqual(res.totals[0], 17.9)
        with self.assertRaises(errors.RangeError):
            res.adjust(0, -2.5, "r", "w", "t")
        with self.assertRaises(errors.NonFiniteError):
            res.adjust(0, math.nan, "r", "w", "t")
        with self.assertRaises(errors.InvalidArgumentError):
            res.adjust(0, 1, "", "w", "t")
        self.assertEqual(res.adjustment_count(0), 1)
        d = res.explain(0, "json")
        self.assertEqual(d["adjustments"][0]["who"], "village representatives")
        self.assertAlmostEqual(d["adjusted"], 14.9)

    def test_write(self):
        res = self.sc.score(self.ds, mode="lenient")
        with tempfile.TemporaryDirectory() as d:
            p = pathlib.Path(d) / "out.jsonl"
            res.write(p)
            rows = [json.loads(l) for l in p.read_text().splitlines()]
            self.assertEqual([r["id"] for r in rows], ["A", "B", "C", "D"])
            self.assertEqual(rows[1]["vetoes"], ["car"])
            q = pathlib.Path(d) / "out.csv"
            res.write(q, "csv")
            self.assertTrue(q.read_text().startswith("id,village_code,county_code,people,score"))

    def test_owned_objects_close_once_and_refuse_use(self):
        # Scorecard, ScoreResult and Identification share _ffi.Owned
        res = self.sc.score(self.ds, mode="lenient")
        ident = res.identify()
        for obj, use, kind in [(ident, len, "identification"), (res, len, "result"),
                               (self.sc, lambda s: s.categories, "scorecard")]:
            use(obj)
            obj.close()
            obj.close()
            with self.assertRaisesRegex(ValueError, f"the {kind} is closed"):
                use(obj)

    def test_write_keeps_deliberation(self):
        res = self.sc.score(self.ds, mode="lenient")
        res.adjust(2, 1.5, "flooded in 2015, fields lost", "village representatives", "2015-11-20")
        with tempfile.TemporaryDirectory() as d:
            p = pathlib.Path(d) / "out.jsonl"
            res.write(p)
            rows = {r["id"]: r for r in map(json.loads, p.read_text().splitlines())}
            # C: raw 7, adjusted 7 + 1.5, with the reason beside both
            self.assertEqual(rows["C"]["score"], 7)
            self.assertEqual(rows["C"]["adjusted"], 8.5)
            self.assertEqual(rows["C"]["adjustments"],
                             [{"points": 1.5, "reason": "flooded in 2015, fields lost",
                               "who": "village representatives", "when": "2015-11-20"}])
            self.assertNotIn("adjustments", rows["A"])
            q = pathlib.Path(d) / "out.csv"
            res.write(q, "csv")
            with q.open(newline="") as f:
                table = {r["id"]: r for r in csv.DictReader(f)}
            self.assertEqual(json.loads(table["C"]["adjustments"]), rows["C"]["adjustments"])
            self.assertEqual(table["A"]["adjustments"], "")
            self.assertEqual(float(table["C"]["adjusted"]), 8.5)
            with self.assertRaises(ValueError):
                res.write(q, "xml")


class IdentifyTest(ScorecardTestCase):
    def test_cutoff(self):
        res = self.sc.score(self.ds, mode="lenient")
        ident = res.identify()
        self.assertIsInstance(ident, Identification)
        self.assertEqual(list(ident.statuses), [NOT_IDENTIFIED, VETOED, VETOED, IDENTIFIED])
        self.assertEqual(ident.status(3), "identified")
        self.assertEqual(ident.identified, [3])
        self.assertEqual(ident.vetoed, [1, 2])
        self.assertEqual(ident.review_list, [])
        units = ident.units()
        self.assertEqual([u["code"] for u in units], ["V1", "V2"])
        self.assertEqual(units[1]["identified_people"], 4.0)
        self.assertIsNone(units[0]["quota"])
        ident2 = res.identify(cutoff=18, margin=1, level="county")
        self.assertEqual(ident2.identified, [0, 3])
        self.assertEqual(ident2.review_list, [0])  # |17.9 - 18| <= 1
        self.assertEqual(len(ident2.units()), 1)

    def test_quota_tie_break(self):
        doc = {"format": "povmetrics.scorecard/1", "id": "q", "version": "1",
               "direction": "higher_better_off", "provenance": {"sources": []},
               "categories": [{"id": "c", "step": "other", "items": [
                   {"id": "area", "expr": {"var": "floor_area"}, "min": 0, "max": 1000}]}],
               "vetoes": [{"id": "car", "reason": "car", "when": {">": [{"var": "cars"}, 0]}}],
               "identification": {"quota": {"level": "village", "by": "households",
                                            "values": {"V1": 3, "V2": 1}}},
               "review_margin": 2}
        sc = Scorecard.from_string(doc)
        hh = [("h5", "V1", 3, 10, 6000, 0), ("h1", "V1", 1, 10, 3000, 0),
              ("h2", "V1", 2, 10, 4000, 0), ("h3", "V1", 1, 12, 1000, 0),
              ("h4", "V1", 2, 5, 9000, 0), ("h6", "V1", 1, 3, 100, 1),
              ("h7", "V2", 1, 20, 100, 0), ("h8", "V2", 1, 15, 100, 0)]
        ds = _Dataset(sc.schema_handle, [
            {"id": i, "village_code": v, "household_size": s, "floor_area": a,
             "income_wage": w, "cars": c} for i, v, s, a, w, c in hh])
        try:
            ident = sc.score(ds).identify()
            status = dict(zip([h[0] for h in hh], ident.statuses))
            # ties at 10 broken by per-capita income (h2, h5: 2000 < h1: 3000), then id
            self.assertEqual({k for k, s in status.items() if s == IDENTIFIED},
                             {"h4", "h2", "h5", "h8"})
            self.assertEqual(status["h6"], VETOED)
            v1 = ident.units()[0]
            self.assertEqual((v1["quota"], v1["line"], v1["identified"]), (3.0, 10.0, 3))
        finally:
            ds.close()


class PPITest(unittest.TestCase):
    def test_rate_is_mean_of_likelihoods(self):
        sc = Scorecard.default("ppi_style")
        p1 = {"id": "P1", "housing_structure": "brick_wood", "tv": True, "motorcycles": 1,
              "max_schooling_years": 9, "cooking_fuel": "firewood", "has_sanitary_toilet": False,
              "has_fridge": False,
              "members": [{"age": 35, "labour_capacity": "ordinary"},
                          {"age": 33, "labour_capacity": "ordinary"},
                          {"age": 8, "schooling": "primary"}, {"age": 6, "schooling": "primary"}]}
        p2 = {"id": "P2", "housing_structure": "earth", "tv": True, "motorcycles": 0,
              "max_schooling_years": 0, "cooking_fuel": "firewood", "has_sanitary_toilet": False,
              "has_fridge": False,
              "members": [{"age": 40, "labour_capacity": "ordinary"},
                          {"age": 70, "labour_capacity": "none"},
                          {"age": 72, "labour_capacity": "none"},
                          {"age": 12, "schooling": "dropped_out"},
                          {"age": 3, "schooling": "not_applicable"},
                          {"age": 2, "schooling": "not_applicable"},
                          {"age": 1, "schooling": "not_applicable"}]}
        ds = _Dataset(sc.schema_handle, [p1, p2])
        try:
            res = sc.score(ds)
            self.assertEqual(list(res.totals), [56.0, 13.0])
            self.assertAlmostEqual(res.likelihood(0), 0.07)
            self.assertAlmostEqual(res.likelihood(1), 0.78)
            # mean of likelihoods, not the likelihood of the mean score (34.5 -> 0.40)
            self.assertAlmostEqual(res.poverty_rate(), 0.425)
        finally:
            ds.close()

    def test_no_table(self):
        sc = Scorecard.from_file(EXAMPLE)
        ds = _Dataset(sc.schema_handle, [HH_A])
        try:
            res = sc.score(ds)
            self.assertIsNone(res.likelihood(0))
            with self.assertRaises(errors.StateError):
                res.poverty_rate()
        finally:
            ds.close()


if __name__ == "__main__":
    unittest.main()
