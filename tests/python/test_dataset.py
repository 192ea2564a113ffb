"""Tests of the Dataset class: append, lookup, zero-copy columns."""
import array
import gc
import math
import unittest

import numpy

from povmetrics import Dataset, Household, Schema, errors


def make(k):
    """Household k: k+1 members aged 10*j + k, wage 1000*(k+1), village v0/v1."""
    h = Household(id=f"hh{k}", village_code=f"v{k % 2}", income_wage=1000.0 * (k + 1),
                  housing_safety="AB"[k % 2])
    for j in range(k + 1):
        h.add_member(age=10 * j + k)
    return h


class DatasetTest(unittest.TestCase):
    def setUp(self):
        self.ds = Dataset()
        for k in range(4):
            self.ds.append(make(k))

    def tearDown(self):
        gc.collect()
        self.ds.close()

    def test_counts_and_lookup(self):
        ds = self.ds
        self.assertEqual(len(ds), 4)
        self.assertEqual(ds.member_count, 10)
        self.assertEqual(ds.ids, ["hh0", "hh1", "hh2", "hh3"])
        self.assertEqual(ds.find("hh2"), 2)
        self.assertIn("hh3", ds)
        self.assertNotIn("zz", ds)
        with self.assertRaises(errors.NotFoundError):
            ds.find("zz")
        self.assertEqual(ds.id(1), "hh1")
        self.assertIs(ds.schema, Schema.core())

    def test_households_are_copies(self):
        h = self.ds[2]
        self.assertEqual(h.id, "hh2")
        self.assertEqual([m["age"] for m in h.members], [2, 12, 22])
        self.assertEqual(h["per_capita_net_income"], 1000.0)  # 3000 / 3
        h["income_wage"] = 1
        self.assertEqual(self.ds[2]["income_wage"], 3000.0)
        self.assertEqual(self.ds[-1].id, "hh3")
        self.assertEqual([x.id for x in self.ds[1:3]], ["hh1", "hh2"])
        self.assertEqual([x.id for x in self.ds], ["hh0", "hh1", "hh2", "hh3"])
        with self.assertRaises(IndexError):
            self.ds[4]

    def test_columns_numpy(self):
        ds = self.ds
        wage = ds.column("income_wage")
        self.assertIsInstance(wage, numpy.ndarray)
        self.assertEqual(wage.dtype, numpy.float64)
        self.assertEqual(wage.tolist(), [1000.0, 2000.0, 3000.0, 4000.0])
        self.assertFalse(wage.flags.writeable)
        with self.assertRaises(ValueError):
            wage[0] = 5
        size = ds.column("household_size")
        self.assertEqual(size.tolist(), [1.0, 2.0, 3.0, 4.0])
        off = ds.member_offsets()
        self.assertEqual(off.tolist(), [0, 1, 3, 6, 10])
        age = ds.column("age")
        for k in range(4):
            self.assertEqual(age[off[k]:off[k + 1]].tolist(), [10.0 * j + k for j in range(k + 1)])
        safety = ds.column("housing_safety")
        self.assertEqual(safety.dtype, numpy.int32)
        self.assertEqual([ds.codes("housing_safety")[c] for c in safety], ["A", "B", "A", "B"])
        village = ds.column("village_code")
        self.assertEqual([ds.string(i) for i in village], ["v0", "v1", "v0", "v1"])
        self.assertEqual(ds.text(1, "village_code"), "v1")
        self.assertIsNone(ds.text(1, "province_code"))
        missing = ds.column("floor_area")
        self.assertTrue(all(math.isnan(x) for x in missing))
        self.assertEqual(ds.column("province_code").tolist(), [-1, -1, -1, -1])
        self.assertIsNone(ds.string(-1))

    def test_empty_dataset(self):
        with Dataset() as ds:
            self.assertEqual(len(ds), 0)
            self.assertEqual(ds.column("income_wage").tolist(), [])
            self.assertEqual(ds.column("age", numpy=False).tolist(), [])
            self.assertEqual(ds.member_offsets().tolist(), [0])
            self.assertEqual(list(ds), [])
            gc.collect()

    def test_columns_zero_copy(self):
        a = self.ds.column("income_wage")
        b = self.ds.column("income_wage")
        self.assertEqual(a.__array_interface__["data"][0], b.__array_interface__["data"][0])

    def test_columns_memoryview(self):
        mv = self.ds.column("income_wage", numpy=False)
        self.assertIsInstance(mv, memoryview)
        self.assertTrue(mv.readonly)
        self.assertIn(mv.format, ("d", "<d"))
        self.assertEqual(list(mv), [1000.0, 2000.0, 3000.0, 4000.0])
        self.assertEqual(array.array("d", mv).tolist(), [1000.0, 2000.0, 3000.0, 4000.0])
        del mv

    def test_views_keep_the_dataset_alive_and_block_changes(self):
        ds = Dataset()
        ds.append(make(0))
        col = ds.column("income_wage")
        with self.assertRaises(errors.StateError):
            ds.append(make(1))
        with self.assertRaises(errors.StateError):
            ds.derive()
        ds.close()  # closes the object; the handle lives on while the view does
        self.assertTrue(ds.closed)
        with self.assertRaises(ValueError):
            len(ds)
        del ds
        gc.collect()
        self.assertEqual(col.tolist(), [1000.0])  # still valid: the view holds the dataset
        with Dataset() as ds3:  # the README pattern: a view taken inside a with block
            ds3.append(make(0))
            kept = ds3.column("income_wage")
        self.assertEqual(kept.tolist(), [1000.0])
        ds2 = Dataset()
        ds2.append(make(0))
        c2 = ds2.column("income_wage")
        del c2
        gc.collect()
        ds2.append(make(1))  # no views left: allowed
        self.assertEqual(len(ds2), 2)
        ds2.close()
        self.assertTrue(ds2.closed)
        with self.assertRaises(ValueError):
            len(ds2)

    def test_append_errors(self):
        ds = self.ds
        with self.assertRaises(errors.DuplicateError) as cm:
            ds.append(make(1))
        self.assertEqual(cm.exception.path, "id")
        self.assertIn("hh1", str(cm.exception))
        with self.assertRaises(errors.MissingFieldError):
            ds.append(Household())
        h = Household(id="m")
        h.add_member(sex="male")
        with self.assertRaises(errors.MissingFieldError) as cm:
            ds.append(h)
        self.assertEqual(cm.exception.path, "members[0].age")
        other = Schema.loads('{"format": "povmetrics.schema/1", "indicators": []}')
        with self.assertRaises(errors.InvalidArgumentError):
            ds.append(Household(other, id="o"))
        self.assertEqual(len(ds), 4)

    def test_derive_with_options(self):
        ds = Dataset()
        h = Household.from_json('{"id":"d","income_wage":6000,"income_transfer":2000,'
                                '"transfer_basic_pension":800,"production_costs":1000,'
                                '"members":[{"age":30},{"age":5}]}')
        ds.append(h)
        # national: (6000 + 2000 - 800 - 1000) / 2
        self.assertEqual(ds.column("per_capita_net_income").tolist(), [3100.0])
        gc.collect()
        ds.derive(components=["wage"], subtract_production_costs=False)
        self.assertEqual(ds.column("per_capita_net_income").tolist(), [3000.0])

    def test_from_handle_takes_ownership(self):
        import ctypes
        from povmetrics import dataset as dsmod
        s = Schema.loads('{"format": "povmetrics.schema/1", "name": "own", "indicators": []}')
        out = ctypes.c_void_p()
        dsmod._f["pov_dataset_new"](s._as_parameter_, ctypes.byref(out))
        ds = Dataset._from_handle(out.value)  # schema via pov_dataset_schema()
        s.close()
        self.assertEqual(ds.schema.name, "own")
        ds.append(Household(ds.schema, id="x", income_wage=5))
        self.assertEqual(ds[0]["income_wage"], 5.0)
        ds.close()

    def test_extension_schema(self):
        s = Schema.loads('{"format": "povmetrics.schema/1", "indicators": ['
                         '{"id": "fish_pond_mu", "level": "household", "type": "number"}]}')
        with Dataset(s) as ds:
            ds.append(Household(s, id="a", fish_pond_mu=1.5))
            ds.append(Household(s, id="b"))
            col = ds.column("fish_pond_mu").tolist()
            self.assertEqual(col[0], 1.5)
            self.assertTrue(math.isnan(col[1]))
            self.assertEqual(ds[0]["fish_pond_mu"], 1.5)


if __name__ == "__main__":
    unittest.main()
