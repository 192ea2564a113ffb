"""Tests of the Schema and Household classes (expected values by hand)."""
import gc
import math
import os
import tempfile
import unittest

import povmetrics
from povmetrics import Household, Schema, errors

EXT = """{
  "format": "povmetrics.schema/1",
  "name": "py-ext",
  "indicators": [
    {"id": "biogas", "label_zh": "沼气池", "level": "household", "type": "boolean"},
    {"id": "fish_pond_mu", "level": "household", "type": "number", "min": 0, "max": 500},
    {"id": "dialect", "level": "member", "type": "category",
     "codes": [{"code": "zhuang"}, {"code": "yue"}]}
  ]
}"""


class SchemaTest(unittest.TestCase):
    def test_core(self):
        core = Schema.core()
        self.assertIs(core, Schema.core())
        self.assertEqual(core.name, "core")
        self.assertEqual(len(core), core.core_count)
        age = core["age"]
        self.assertEqual((age.level, age.type, age.min, age.max, age.required),
                         ("member", "integer", 0.0, 130.0, True))
        self.assertEqual(age.label_zh, "年龄")
        self.assertEqual(core.index("age"), age.index)
        self.assertEqual(core[age.index].id, "age")
        self.assertEqual([c.code for c in core["housing_safety"].codes], ["A", "B", "C", "D"])
        self.assertEqual(core.code_index("housing_safety", "C"), 2)
        self.assertTrue(core["per_capita_net_income"].derived)
        self.assertIn("floor_area", core)
        self.assertNotIn("nope", core)
        self.assertEqual(len(list(core)), len(core))
        self.assertTrue(math.isinf(core["housing_safety"].min))
        core.close()  # no-op on the core schema
        self.assertEqual(len(Schema.core()), core.core_count)

    def test_lookup_errors(self):
        core = Schema.core()
        with self.assertRaises(errors.NotFoundError) as cm:
            core.index("nope")
        self.assertEqual(cm.exception.path, "nope")
        with self.assertRaises(errors.NotFoundError):
            core["nope"]
        with self.assertRaises(errors.UnknownCodeError):
            core.code_index("housing_safety", "E")
        with self.assertRaises(errors.TypeMismatchError):
            core.code_index("floor_area", "A")
        with self.assertRaises(TypeError):
            Schema()

    def test_load_string_and_file(self):
        with Schema.loads(EXT) as s:
            self.assertEqual(s.name, "py-ext")
            self.assertEqual(len(s), s.core_count + 3)
            self.assertEqual(s.index("biogas"), s.core_count)
            self.assertEqual(s["fish_pond_mu"].max, 500.0)
            self.assertEqual(s["dialect"].level, "member")
            self.assertIn('"id":"dialect"', s.to_json())
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "ext.json")
            with open(path, "w", encoding="utf-8") as f:
                f.write(EXT)
            s = Schema.load(path)
            self.assertEqual(len(s), s.core_count + 3)
            s.close()
            with self.assertRaises(ValueError):
                len(s)
            with self.assertRaises(errors.PovIOError):
                Schema.load(os.path.join(d, "missing.json"))

    def test_load_errors_carry_locations(self):
        doc = ('{"format": "povmetrics.schema/1",\n"indicators": [\n'
               '{"id": "age", "level": "member", "type": "integer"}]}')
        with self.assertRaises(errors.DuplicateError) as cm:
            Schema.loads(doc, "bad.json")
        e = cm.exception
        self.assertEqual((e.path, e.line, e.column, e.source), ("indicators[0].id", 3, 8, "bad.json"))
        with self.assertRaises(errors.UnknownFieldError) as cm:
            Schema.loads('{"format": "povmetrics.schema/1", "indicators": [], "x": 1}')
        self.assertEqual(cm.exception.path, "x")
        with self.assertRaises(errors.FormatError):
            Schema.loads('{"indicators": []}')
        with self.assertRaises(errors.ParseError) as cm:
            Schema.loads('{"format": "povmetrics.schema/1",\n "indicators": [,]}')
        self.assertEqual((cm.exception.line, cm.exception.column), (2, 17))
        with self.assertRaises(errors.TruncatedError):
            Schema.loads('{"format": "povmetrics.schema/1", "indicators": [')

    def test_households_keep_schema_alive(self):
        s = Schema.loads(EXT)
        h = Household(s, id="x", biogas=True)
        s.close()
        del s
        gc.collect()
        self.assertIs(h["biogas"], True)
        h["fish_pond_mu"] = 2.5
        with self.assertRaises(errors.RangeError):
            h["fish_pond_mu"] = 501
        self.assertEqual(h.add_member(age=30, dialect="yue")["dialect"], "yue")
        c = h.copy()  # schema found through pov_household_schema()
        self.assertEqual(c.schema.name, "py-ext")
        self.assertEqual(c.member(0)["dialect"], "yue")
        h.close()
        self.assertEqual(c["fish_pond_mu"], 2.5)
        self.assertIs(Household().copy().schema, Schema.core())

    def test_member_text_and_missing(self):
        s = Schema.loads('{"format": "povmetrics.schema/1", "indicators": ['
                         '{"id": "nickname", "level": "member", "type": "text"}]}')
        h = Household(s, id="t")
        m = h.add_member(age=20, nickname="阿明", medical_insurance=True)
        self.assertEqual(m["nickname"], "阿明")
        self.assertIs(m["medical_insurance"], True)
        m["nickname"] = None
        m["medical_insurance"] = None
        self.assertIsNone(m["nickname"])
        self.assertIsNone(m["medical_insurance"])
        self.assertEqual(m.get("nickname", "-"), "-")
        with self.assertRaises(errors.TypeMismatchError) as cm:
            m["age"] = "20"
        self.assertEqual(cm.exception.path, "members[0].age")
        with self.assertRaises(errors.InvalidArgumentError):
            m["floor_area"] = 3


def family():
    """Five members; hand-computed derived values in DerivedTest."""
    h = Household(id="fam", income_wage=12000, income_operating=8000, income_property=500,
                  income_transfer=3000, income_other=200, transfer_basic_pension=1200,
                  transfer_dibao_c=600, transfer_temporary_relief=300, production_costs=3500,
                  floor_area=100)
    h.add_member(age=45, relation="head", labour_capacity="ordinary", medical_insurance=True)
    h.add_member(age=43, relation="spouse", labour_capacity="weak", medical_insurance=True)
    h.add_member(age=12, relation="child", labour_capacity="none", schooling="dropped_out",
                 medical_insurance=False)
    h.add_member(age=70, relation="parent", labour_capacity="lost", medical_insurance=True)
    h.add_member(age=17, relation="child", labour_capacity="ordinary",
                 schooling="senior_secondary")
    return h


class ValuesTest(unittest.TestCase):
    def test_types_round_trip(self):
        with Household(id="h1") as h:
            self.assertEqual(h.id, "h1")
            self.assertIsNone(h["floor_area"])
            h["floor_area"] = 85.5
            h["year"] = 2015
            h["safe_water"] = True
            h["housing_structure"] = "brick_wood"
            h["village_code"] = "4501230101"
            self.assertEqual(h["floor_area"], 85.5)
            self.assertEqual(h["year"], 2015)
            self.assertIsInstance(h["year"], int)
            self.assertIs(h["safe_water"], True)
            self.assertEqual(h["housing_structure"], "brick_wood")
            self.assertEqual(h["village_code"], "4501230101")
            h["floor_area"] = None
            self.assertIsNone(h["floor_area"])
            self.assertEqual(h.get("floor_area", 7), 7)
            d = h.to_dict(derived=False)
            self.assertEqual(d["year"], 2015)
            self.assertNotIn("floor_area", d)
        self.assertTrue(h.closed)
        with self.assertRaises(ValueError):
            h["year"]
        h.close()  # twice is fine

    def test_bad_values(self):
        h = Household(id="h")
        cases = [
            ("floor_area", float("nan"), errors.NonFiniteError),
            ("floor_area", float("inf"), errors.NonFiniteError),
            ("floor_area", -1, errors.RangeError),
            ("floor_area", "85", errors.TypeMismatchError),
            ("year", 2015.5, errors.TypeMismatchError),
            ("safe_water", 1, errors.TypeMismatchError),
            ("housing_safety", "E", errors.UnknownCodeError),
            ("housing_safety", 1, errors.TypeMismatchError),
            ("age", 30, errors.InvalidArgumentError),
            ("per_capita_net_income", 1, errors.InvalidArgumentError),
            ("household_size", 0, errors.RangeError),
            ("household_size", -2, errors.RangeError),
        ]
        for key, value, exc in cases:
            with self.subTest(key=key, value=value):
                with self.assertRaises(exc) as cm:
                    h[key] = value
                self.assertEqual(cm.exception.path, key)
        with self.assertRaises(errors.NotFoundError):
            h["nope"] = 1
        with self.assertRaises(TypeError):
            h["floor_area"] = [1]
        with self.assertRaises(errors.InvalidArgumentError):
            h.id = ""

    def test_members(self):
        h = Household(id="h")
        m = h.add_member(age=45, relation="head")
        self.assertEqual(m.index, 0)
        h.add_member(age=12)
        self.assertEqual(h.member_count, 2)
        self.assertEqual([x["age"] for x in h.members], [45, 12])
        with self.assertRaises(errors.RangeError) as cm:
            h.member(1)["age"] = 300
        self.assertEqual(cm.exception.path, "members[1].age")
        with self.assertRaises(errors.RangeError):
            h.add_member(age=300)
        self.assertEqual(h.member_count, 2)  # the failed member was removed again
        self.assertEqual(h.member(-1)["age"], 12)
        with self.assertRaises(IndexError):
            h.member(2)
        h.remove_member(0)
        self.assertEqual(h.member(0)["age"], 12)
        self.assertEqual(h.member(0).to_dict(), {"age": 12})
        with self.assertRaises(errors.NotFoundError):
            h.remove_member(5)
        self.assertEqual(h["household_size"], 1)

    def test_history_and_programs(self):
        h = Household(id="h")
        h.add_history(2016, 3100)
        h.add_history(2014, 2300.5)
        self.assertEqual(h.history, {2014: 2300.5, 2016: 3100.0})
        self.assertEqual(list(h.history), [2014, 2016])
        self.assertEqual(h.history_gaps, 1)
        self.assertEqual(h.history_income(2014), 2300.5)
        self.assertIsNone(h.history_income(2015))
        with self.assertRaises(errors.DuplicateError) as cm:
            h.add_history(2014, 1)
        self.assertEqual(cm.exception.path, "income_history.2014")
        with self.assertRaises(errors.NonFiniteError):
            h.add_history(2017, float("nan"))
        h.add_program("xiaoe_credit", 2016)
        h.add_program("relocation", 2017)
        self.assertEqual(h.programs, [("xiaoe_credit", 2016), ("relocation", 2017)])
        with self.assertRaises(errors.DuplicateError):
            h.add_program("xiaoe_credit", 2016)

    def test_validate_and_copy(self):
        h = Household()
        with self.assertRaises(errors.MissingFieldError) as cm:
            h.validate()
        self.assertEqual(cm.exception.path, "id")
        h.id = "v"
        h["cause_main"] = "illness"
        h["cause_other1"] = "illness"
        with self.assertRaises(errors.DuplicateError) as cm:
            h.validate()
        self.assertEqual(cm.exception.path, "cause_other1")
        h["cause_other1"] = "lack_labour"
        h.validate()
        c = h.copy()
        h["cause_other1"] = None
        self.assertEqual(c["cause_other1"], "lack_labour")
        self.assertEqual(c.id, "v")


class DerivedTest(unittest.TestCase):
    def test_national_definition(self):
        h = family()
        # 12000+8000+500+3000+200 - (1200+600+300) - 3500 = 18100; / 5
        self.assertEqual(h["net_income"], 18100.0)
        self.assertEqual(h["per_capita_net_income"], 3620.0)
        self.assertEqual(h["household_size"], 5)
        self.assertEqual(h["labour_count"], 3)  # 45 ordinary, 43 weak, 17 ordinary
        self.assertAlmostEqual(h["dependency_ratio"], 2 / 3, places=15)
        self.assertEqual(h["school_age_out_of_school"], 1)
        self.assertEqual(h["uninsured_members"], 1)
        self.assertEqual(h["floor_area_per_capita"], 20.0)

    def test_other_options(self):
        h = family()
        h.derive(components=["wage", "operating"], subtract_production_costs=False,
                 labour_ages=(18, 60), school_ages=(13, 15))
        self.assertEqual(h["per_capita_net_income"], 4000.0)  # 20000 / 5
        self.assertEqual(h["labour_count"], 2)
        self.assertEqual(h["dependency_ratio"], 1.5)
        self.assertEqual(h["school_age_out_of_school"], 0)
        h.derive(exclusions=[])
        self.assertEqual(h["net_income"], 20200.0)  # 23700 - 3500
        with self.assertRaises(ValueError):
            h.derive(components=["salary"])
        with self.assertRaises(errors.InvalidArgumentError):
            h.derive(labour_ages=(70, 20))
        with self.assertRaises(errors.InvalidArgumentError):
            h.derive(components=[])

    def test_no_labour(self):
        h = Household(id="old", income_wage=3000)
        self.assertIsNone(h["per_capita_net_income"])  # no members, no declared size
        h["household_size"] = 2
        self.assertEqual(h["per_capita_net_income"], 1500.0)
        h.add_member(age=70)
        self.assertEqual(h["labour_count"], 0)
        self.assertEqual(h["dependency_ratio"], 1.0)  # 1 dependant / max(0, 1)


EXAMPLE = ('{"id": "450123-001", "x_local_note": "kept", "year": 2015, '
           '"members": [{"age": 45, "x_phone": true}, {"age": 12, "x_note": {"k": [1, 2]}}], '
           '"income_history": {"2016": 3100, "2014": 2300}, '
           '"programs": [{"id": "xiaoe_credit", "year": 2016}], "x_gps": [108.3, 22.8]}')
EXAMPLE_OUT = ('{"id":"450123-001","year":2015,"members":[{"age":45,"x_phone":true},'
               '{"age":12,"x_note":{"k":[1,2]}}],"income_history":{"2014":2300,"2016":3100},'
               '"programs":[{"id":"xiaoe_credit","year":2016}],"x_local_note":"kept",'
               '"x_gps":[108.3,22.8]}')


class JsonTest(unittest.TestCase):
    def test_round_trip_keeps_unknown_fields(self):
        h = Household.from_json(EXAMPLE)
        out = h.to_json()
        self.assertEqual(out, EXAMPLE_OUT)
        again = Household.from_json(out.encode("utf-8")).to_json()
        self.assertEqual(again, out)
        d = Household.from_json(out).to_json(derived=True)
        self.assertIn('"household_size":2', d)
        self.assertEqual(Household.from_json(d).to_json(derived=True), d)
        pretty = h.to_json(pretty=True)
        self.assertIn("\n", pretty)
        self.assertEqual(Household.from_json(pretty).to_json(), out)

    def test_errors_with_locations(self):
        text = '{"id": "h1",\n "members": [\n  {"age": 300}]}'
        with self.assertRaises(errors.RangeError) as cm:
            Household.from_json(text, source_name="in.json")
        e = cm.exception
        self.assertEqual((e.path, e.line, e.column, e.source), ("members[0].age", 3, 11, "in.json"))
        cases = [
            ('{"id": "h1", "income_wage": "12000"}', errors.TypeMismatchError, "income_wage", 29),
            ('{"id": "h1", "income_wage": NaN}', errors.NonFiniteError, None, 29),
            ('{"id": "h1", "housing_safety": "E"}', errors.UnknownCodeError, "housing_safety", 32),
            ('{"year": 2015}', errors.MissingFieldError, "id", 1),
            ('{"id":"h1","household_size":0}', errors.RangeError, "household_size", 29),
            ('{"id":"h1","household_size":-2}', errors.RangeError, "household_size", 29),
            ('{"id":"h1","year":2015,"year":2016}', errors.DuplicateError, "year", None),
            ('{"id": "h1",, }', errors.ParseError, None, 13),
            ('{"id": "h1", "members": [', errors.TruncatedError, None, 26),
        ]
        for text, exc, path, column in cases:
            with self.subTest(text=text):
                with self.assertRaises(exc) as cm:
                    Household.from_json(text)
                if path is not None:
                    self.assertEqual(cm.exception.path, path)
                if column is not None:
                    self.assertEqual((cm.exception.line, cm.exception.column), (1, column))
        deep = '{"id": "h", "x": ' + "[" * 80 + "]" * 80 + "}"
        with self.assertRaises(errors.LimitError) as cm:
            Household.from_json(deep)
        self.assertEqual(cm.exception.column, 17 + 64)  # the 64th '[' opens level 65


class DocsExampleTest(unittest.TestCase):
    def test_data_model_example(self):
        """The complete example of docs/data-model.md reads, round-trips, and has the
        derived values the document states (hand calculation as in family())."""
        root = os.environ.get("POV_SOURCE_ROOT",
                              os.path.join(os.path.dirname(__file__), "..", ".."))
        with open(os.path.join(root, "docs", "data-model.md"), encoding="utf-8") as f:
            doc = f.read()
        start = doc.index("```json\n") + len("```json\n")
        text = doc[start:doc.index("```", start)]
        h = Household.from_json(text, source_name="data-model.md")
        self.assertEqual(h["household_size"], 5)
        self.assertEqual(h["labour_count"], 3)
        self.assertAlmostEqual(h["dependency_ratio"], 2 / 3, places=15)
        self.assertEqual(h["net_income"], 18100.0)
        self.assertEqual(h["per_capita_net_income"], 3620.0)
        self.assertEqual(h["school_age_out_of_school"], 1)
        self.assertEqual(h["uninsured_members"], 1)
        self.assertEqual(h["floor_area_per_capita"], 20.0)
        self.assertEqual(h.history_gaps, 0)
        out = h.to_json()
        self.assertIn('"x_school_name":"kept as is"', out)
        self.assertIn('"x_helper":{"name":"Li","unit":"county bureau"}', out)
        self.assertEqual(Household.from_json(out).to_json(), out)


class PackageTest(unittest.TestCase):
    def test_exports(self):
        for name in ("Schema", "Household", "Dataset", "Indicator", "Member", "derive_options"):
            self.assertTrue(hasattr(povmetrics, name), name)


if __name__ == "__main__":
    unittest.main()
