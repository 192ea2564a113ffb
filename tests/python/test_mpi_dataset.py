"""Alkire–Foster input built from a dataset through conditions
(``measures.mpi_matrix``): matrices and figures computed by hand."""
import json
import unittest

import numpy as np

from povmetrics import Condition, errors, io, measures

HOUSEHOLDS = [
    {"id": "a", "housing_safety": "A", "safe_water": True, "income_wage": 5000,
     "members": [{"age": 40, "medical_insurance": True}]},
    {"id": "b", "housing_safety": "D", "safe_water": False, "income_wage": 1200,
     "members": [{"age": 50, "medical_insurance": False}]},
    {"id": "c", "housing_safety": "C", "safe_water": True, "income_wage": 2400,
     "members": [{"age": 35, "medical_insurance": True},
                 {"age": 12, "schooling": "dropped_out", "medical_insurance": True}]},
]
DEPRIVED = [
    {"in": [{"var": "housing_safety"}, ["C", "D"]]},
    {"!": {"var": "safe_water"}},
    {"some": [{"var": "members"},
              {"==": [{"var": ["schooling", "not_applicable"]}, "dropped_out"]}]},
]


def dataset(rows):
    text = "\n".join(json.dumps(r) for r in rows).encode()
    return io.read_bytes(text, "jsonl")


class MatrixTest(unittest.TestCase):
    def test_deprivations_and_m0(self):
        ds = dataset(HOUSEHOLDS)
        x = measures.mpi_matrix(ds, [Condition(None, c) for c in DEPRIVED])
        self.assertEqual(x.shape, (3, 3))
        np.testing.assert_array_equal(x, [[0, 0, 0], [1, 1, 0], [1, 0, 1]])
        # equal weights, k = 1/2: b and c poor with c_i = 2/3 each
        r = measures.mpi_m0(x, 0.5)
        self.assertAlmostEqual(r["H"], 2 / 3, places=15)
        self.assertAlmostEqual(r["A"], 2 / 3, places=15)
        self.assertAlmostEqual(r["M0"], 4 / 9, places=15)

    def test_achievements_with_cutoffs(self):
        ds = dataset(HOUSEHOLDS)
        x = measures.mpi_matrix(ds, [
            Condition(None, {"/": [{"var": "income_wage"}, {"var": "household_size"}]})])
        np.testing.assert_array_equal(x[:, 0], [5000, 1200, 1200])
        self.assertAlmostEqual(measures.mpi_m0(x, 1, cutoffs=[2000])["H"], 2 / 3, places=15)

    def test_missing_value_is_an_error(self):
        ds = dataset(HOUSEHOLDS + [{"id": "e", "housing_safety": "A", "members": [{"age": 3}]}])
        with self.assertRaises(errors.MissingFieldError) as cm:
            measures.mpi_matrix(ds, [Condition(None, c) for c in DEPRIVED])
        self.assertEqual(cm.exception.path, "columns[1]")
        self.assertIn('"e" (row 3)', str(cm.exception))

    def test_wrong_kind(self):
        ds = dataset(HOUSEHOLDS)
        with self.assertRaises(errors.TypeMismatchError) as cm:
            measures.mpi_matrix(ds, [Condition(None, {"var": "housing_safety"})])
        self.assertEqual(cm.exception.path, "columns[0]")


if __name__ == "__main__":
    unittest.main()
