"""Subgroup decompositions: hand example, contributions add up, GE within +
between against a direct numpy formula, errors."""
import math
import unittest

import numpy as np

from povmetrics import errors, measures


def ge_direct(y, w, alpha):
    mu = np.sum(w * y) / np.sum(w)
    r = y / mu
    if alpha == 0:
        return -np.sum(w * np.log(r)) / np.sum(w)
    if alpha == 1:
        return np.sum(w * r * np.log(r)) / np.sum(w)
    return (np.sum(w * r ** alpha) / np.sum(w) - 1) / (alpha * (alpha - 1))


class DecomposeTest(unittest.TestCase):
    def test_hand_example(self):
        # group 0: y 1 3 5 (w 1 1 2), group 1: y 2 6 (w 1 3); z = 4
        y = [1.0, 3.0, 5.0, 2.0, 6.0]
        w = [1.0, 1.0, 2.0, 1.0, 3.0]
        g = [0, 0, 0, 1, 1]
        t = measures.fgt_decompose(y, 4.0, 0.0, g, weights=w)
        self.assertEqual(t["value"], [0.5, 0.25])
        self.assertEqual(t["share"], [0.5, 0.5])
        self.assertEqual(t["contribution"], [0.25, 0.125])
        self.assertAlmostEqual(t["percent"][0], 200 / 3, places=12)
        self.assertEqual(t["total"]["value"], 0.375)
        t = measures.watts_decompose(y, 4.0, g, weights=w)
        self.assertAlmostEqual(t["value"][1], math.log(2) / 4, places=15)

    def test_numpy_groups_and_identities(self):
        rng = np.random.default_rng(4)
        n = 2000
        g = rng.integers(0, 5, n).astype(np.int32)
        y = rng.lognormal(5 + 0.3 * g, 0.6)
        w = rng.uniform(1, 4, n)
        t = measures.fgt_decompose(y, 150.0, 1.0, g, weights=w)
        self.assertAlmostEqual(sum(t["contribution"]), measures.fgt(y, 150.0, 1.0, weights=w),
                               delta=1e-13)
        self.assertAlmostEqual(sum(t["percent"]), 100.0, delta=1e-10)
        for alpha in (0.0, 1.0, 2.0, -0.5):
            r = measures.ge_decompose(y, alpha, g, weights=w)
            total = ge_direct(y, w, alpha)
            self.assertAlmostEqual(r["total"], total, delta=1e-12 * total)
            self.assertAlmostEqual(r["within"] + r["between"], total, delta=1e-12 * total)
            for k in range(5):
                m = g == k
                self.assertAlmostEqual(r["groups"]["ge"][k], ge_direct(y[m], w[m], alpha),
                                       delta=1e-12)

    def test_errors(self):
        with self.assertRaises(errors.EmptyDataError) as cm:
            measures.fgt_decompose([1.0, 2.0], 4.0, 0, [0, 2])
        self.assertEqual(cm.exception.path, "groups[1]")
        with self.assertRaises(errors.RangeError) as cm:
            measures.fgt_decompose([1.0, 2.0], 4.0, 0, [0, 2], n_groups=2)
        self.assertEqual(cm.exception.path, "group[1]")
        with self.assertRaises(errors.NonFiniteError) as cm:
            measures.fgt_decompose([1.0, float("inf")], 4.0, 0, [0, 0])
        self.assertEqual(cm.exception.path, "y[1]")
        with self.assertRaises(errors.InvalidArgumentError):
            measures.fgt_decompose([1.0, 2.0], 4.0, 0, [0])
        with self.assertRaises(errors.InvalidArgumentError) as cm:
            measures.fgt_decompose([1.0, 2.0], 0.0, 0, [0, 0])
        self.assertEqual(cm.exception.path, "z")
        with self.assertRaises(errors.DomainError):
            measures.watts_decompose([0.0, 2.0], 4.0, [0, 0])
        with self.assertRaises(errors.DomainError):
            measures.ge_decompose([0.0, 2.0], 0.0, [0, 0])
        with self.assertRaises(errors.EmptyDataError):
            measures.ge_decompose([], 0.0, [])


if __name__ == "__main__":
    unittest.main()
