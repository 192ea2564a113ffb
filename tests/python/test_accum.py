"""Mergeable accumulators from Python: exactness (checked against math.fsum,
which is correctly rounded, on per-person terms computed independently with
numpy), merging, pickling, JSON round trip, errors."""
import math
import pickle
import random
import unittest

import numpy as np

from povmetrics import errors, measures
from povmetrics.measures import Accumulator


def _data(n=5000, seed=1):
    rng = np.random.default_rng(seed)
    y = rng.lognormal(8.0, 0.8, n)
    w = rng.uniform(0.5, 50.0, n)
    w[rng.random(n) < 0.01] = 0.0
    return y, w


class HandTest(unittest.TestCase):
    def test_hand_example(self):
        # y = 1 2 3 4 10, z = 4: FGT0 3/5, FGT1 1.5/5, FGT2 0.875/5, mean 4
        with Accumulator(4.0, alphas=(0, 1, 2)) as acc:
            acc.update([1.0, 2.0, 3.0, 4.0, 10.0])
            self.assertEqual(acc.count, 5)
            self.assertEqual(acc.population, 5.0)
            self.assertEqual(acc.mean(), 4.0)
            self.assertEqual(acc.fgt(0), 0.6)
            self.assertEqual(acc.fgt(1), 0.3)
            self.assertEqual(acc.fgt(2), 0.175)
            self.assertAlmostEqual(acc.watts(), (math.log(4) + math.log(2) + math.log(4 / 3)) / 5,
                                   places=15)
            self.assertEqual(acc.line, 4.0)
            self.assertEqual(acc.alphas, (0.0, 1.0, 2.0))
            r = acc.result()
            self.assertEqual(r["fgt"][1.0], 0.3)
            acc.reset()
            self.assertEqual(acc.count, 0)
            self.assertEqual(acc.population, 0.0)
        self.assertEqual(measures.Accumulator(1.0, alphas=[0.0] * 64).alphas, (0.0,) * 64)
        with self.assertRaises(errors.LimitError):
            measures.Accumulator(1.0, alphas=[0.0] * 65)


class ExactnessTest(unittest.TestCase):
    def test_equals_correctly_rounded_sums(self):
        y, w = _data()
        z = 2500.0
        acc = Accumulator(z, alphas=(0, 1, 2, 0.5))
        acc.update(y, w)
        poor = y < z
        g = (z - y) / z
        sw = math.fsum(w)
        self.assertEqual(acc.population, sw)
        self.assertEqual(acc.mean(), math.fsum(w * y) / sw)
        self.assertEqual(acc.fgt(0), math.fsum(w[poor]) / sw)
        self.assertEqual(acc.fgt(1), math.fsum((w * g)[poor]) / sw)
        self.assertEqual(acc.fgt(2), math.fsum((w * (g * g))[poor]) / sw)
        self.assertEqual(acc.watts(), math.fsum((w * np.log(z / y))[poor]) / sw)
        # and the univariate functions agree to rounding
        self.assertAlmostEqual(acc.fgt(1), measures.fgt(y, z, 1.0, weights=w), delta=1e-12)

    def test_random_batches_and_merge_orders(self):
        y, w = _data(3000, seed=7)
        one = Accumulator(2000.0).update(y, w).result()
        rnd = random.Random(3)
        for _ in range(5):
            cuts = sorted(rnd.sample(range(1, len(y)), 9))
            parts = []
            for a, b in zip([0] + cuts, cuts + [len(y)]):
                acc = Accumulator(2000.0)
                # zero-copy slices of numpy arrays (contiguous)
                acc.update(y[a:b], w[a:b])
                parts.append(acc)
            rnd.shuffle(parts)
            total = parts[0]
            for p in parts[1:]:
                total += p
            self.assertEqual(total.result(), one)

    def test_pickle_and_json_round_trip(self):
        y, w = _data(1000, seed=5)
        acc = Accumulator(2000.0, alphas=(0, 1)).update(y[:500], w[:500])
        clone = pickle.loads(pickle.dumps(acc))
        self.assertEqual(clone.result(), acc.result())
        again = Accumulator.from_json(acc.to_json())
        self.assertEqual(again.to_json(), acc.to_json())
        rest = Accumulator(2000.0, alphas=(0, 1)).update(y[500:], w[500:])
        rest.merge(clone)
        whole = Accumulator(2000.0, alphas=(0, 1)).update(y, w)
        self.assertEqual(rest.result(), whole.result())


class ErrorTest(unittest.TestCase):
    def test_bad_input(self):
        with self.assertRaises(errors.InvalidArgumentError) as cm:
            Accumulator(0.0)
        self.assertEqual(cm.exception.path, "z")
        with self.assertRaises(errors.InvalidArgumentError) as cm:
            Accumulator(1.0, alphas=(0, -1))
        self.assertEqual(cm.exception.path, "alphas[1]")
        acc = Accumulator(4.0)
        with self.assertRaises(errors.NonFiniteError) as cm:
            acc.update([1.0, float("nan")])
        self.assertEqual(cm.exception.path, "y[1]")
        with self.assertRaises(errors.RangeError) as cm:
            acc.update([1.0, 2.0], [1.0, -1.0])
        self.assertEqual(cm.exception.path, "w[1]")
        with self.assertRaises(errors.InvalidArgumentError):
            acc.update([1.0, 2.0], [1.0])
        self.assertEqual(acc.count, 0)
        with self.assertRaises(errors.EmptyDataError):
            acc.fgt(0)
        acc.update([0.0, 5.0])
        with self.assertRaises(errors.DomainError):
            acc.watts()
        self.assertIsNone(acc.result()["watts"])
        with self.assertRaises(errors.InvalidArgumentError):
            acc.fgt(3)
        with self.assertRaises(errors.InvalidArgumentError):
            acc.merge(Accumulator(5.0))
        with self.assertRaises(errors.FormatError) as cm:
            Accumulator.from_json('{"format": "other/1"}')
        self.assertEqual(cm.exception.path, "format")
        with self.assertRaises(errors.ParseError):
            Accumulator.from_json("{")
        acc.close()
        acc.close()
        with self.assertRaises(errors.StateError):
            acc.update([1.0])
        with self.assertRaises(TypeError):
            Accumulator(1.0).merge(3)


if __name__ == "__main__":
    unittest.main()
