"""Alkire–Foster from Python: the AF (2011) 4 × 4 example by hand, a numpy
brute force on random data, numpy 2-D input, errors."""
import ctypes
import pickle
import unittest

import numpy as np

from povmetrics import errors, measures
from povmetrics.measures import MPI

# After Alkire & Foster (2011) §2: deprivation scores c = 0, 2/4, 4/4, 1/4;
# with k = 1/2 the poor are persons 2 and 3: H = 1/2, A = 3/4, M0 = 3/8.
AF = [[13.1, 14, 4, 1], [15.2, 7, 5, 0], [12.5, 10, 1, 0], [20, 11, 3, 1]]
Z = [13, 12, 3, 1]


class ExampleTest(unittest.TestCase):
    def test_af_example(self):
        with MPI(AF, 0.5, cutoffs=Z) as m:
            self.assertEqual((m.n, m.d), (4, 4))
            self.assertEqual(m.H, 0.5)
            self.assertEqual(m.A, 0.75)
            self.assertEqual(m.M0, 0.375)
            s1 = 5 / 12 + 1 + 0.5 / 13 + 2 / 12 + 2 / 3 + 1
            self.assertAlmostEqual(m.M1, s1 / 16, places=15)
            ind = m.indicators()
            self.assertEqual(ind["uncensored"], [0.25, 0.75, 0.25, 0.5])
            self.assertEqual(ind["censored"], [0.25, 0.5, 0.25, 0.5])
            self.assertAlmostEqual(sum(ind["contribution"]), 100.0, places=12)
            self.assertEqual(m.scores(), [0.0, 0.5, 1.0, 0.25])
            kr = m.k_range([0.25, 0.5, 1.0])
            self.assertEqual(kr["H"], [0.75, 0.5, 0.25])
            self.assertEqual(kr["M0"], [0.4375, 0.375, 0.25])
        s = measures.mpi(AF, 0.5, cutoffs=Z, groups=[0, 0, 1, 1])
        self.assertEqual(s["M0"], 0.375)
        with MPI(AF, 0.5, cutoffs=Z, groups=[0, 0, 1, 1]) as m:
            gt = m.groups()
            self.assertEqual(gt["M0"], [0.25, 0.5])
            self.assertAlmostEqual(gt["contribution"][1], 200 / 3, places=12)

    def test_flat_buffer_and_binary(self):
        flat = np.array(AF, dtype=float).ravel()
        m = MPI(flat, 0.5, cutoffs=Z, d=4)
        self.assertEqual(m.M0, 0.375)
        dep = (np.array(AF) < np.array(Z)).astype(float)
        b = MPI(dep, 0.5)
        self.assertEqual(b.M0, 0.375)
        self.assertNotIn("M1", b.summary())
        with self.assertRaises(errors.StateError):
            b.M1

    def test_options_initialised_by_library(self):
        from povmetrics import _mpi
        o = _mpi._options(None, None, None, 0.5)
        self.assertEqual(o.size, ctypes.sizeof(_mpi._Options))
        self.assertEqual((o.k, o.n_groups), (0.5, 0))

    def test_direction_above(self):
        m = MPI([[3.0], [2.0], [1.0], [2.5]], 1.0, cutoffs=[2.0], direction="above")
        self.assertEqual(m.H, 0.5)


class BruteForceTest(unittest.TestCase):
    def test_random(self):
        rng = np.random.default_rng(11)
        n, d = 600, 5
        z = np.arange(1.0, d + 1)
        x = np.floor(rng.uniform(0, 2.5, (n, d)) * z * 4) / 4
        direction = np.array([0, 1, 0, 0, 1], dtype=np.int32)
        wj = rng.uniform(0.5, 1.5, d)
        pw = rng.uniform(0, 3, n)
        g = rng.integers(0, 3, n).astype(np.int32)
        for k in (0.2, 1 / 3, 0.6):
            m = MPI(x, k, cutoffs=z, direction=direction, weights=wj, person_weights=pw,
                    groups=g)
            dep = np.where(direction == 1, x > z, x < z)
            wn = wj / wj.sum()
            c = dep @ wn
            poor = c >= k - 1e-12
            N = pw.sum()
            self.assertAlmostEqual(m.H, pw[poor].sum() / N, delta=1e-12)
            self.assertAlmostEqual(m.M0, (pw * c)[poor].sum() / N, delta=1e-12)
            gap = np.where(direction == 1, (x - z) / z, (z - x) / z) * dep
            self.assertAlmostEqual(m.M2, (pw[poor] * ((gap ** 2) @ wn)[poor]).sum() / N,
                                   delta=1e-12)
            ch = (pw[:, None] * dep)[poor].sum(axis=0) / N
            np.testing.assert_allclose(m.indicators()["censored"], ch, atol=1e-12)
            gm0 = [(pw * c * poor)[g == i].sum() / pw[g == i].sum() for i in range(3)]
            np.testing.assert_allclose(m.groups()["M0"], gm0, atol=1e-12)


class FastM0Test(unittest.TestCase):
    def test_example(self):
        r = measures.mpi_m0(AF, 0.5, cutoffs=Z)
        self.assertEqual(r, {"H": 0.5, "A": 0.75, "M0": 0.375})
        dep = (np.array(AF) < np.array(Z)).astype(float)
        r = measures.mpi_m0(dep, 0.5, person_weights=[1, 1, 3, 1])
        # poor: persons 2 (c = 1/2) and 3 (c = 1, weight 3); N = 6
        self.assertAlmostEqual(r["H"], 4 / 6, places=15)
        self.assertAlmostEqual(r["M0"], 3.5 / 6, places=15)

    def test_random_against_numpy_and_mpi(self):
        rng = np.random.default_rng(5)
        n, d = 2000, 10
        x = (rng.random((n, d)) < 0.3).astype(float)
        pw = rng.uniform(0.5, 2.0, n)
        c = x @ np.full(d, 1.0 / d)
        for k in (0.1, 1 / 3, 0.5):
            r = measures.mpi_m0(x, k, person_weights=pw)
            poor = c >= k - 1e-12
            self.assertAlmostEqual(r["H"], pw[poor].sum() / pw.sum(), delta=1e-13)
            self.assertAlmostEqual(r["M0"], (pw * c)[poor].sum() / pw.sum(), delta=1e-13)
            with MPI(x, k, person_weights=pw) as m:
                self.assertAlmostEqual(r["A"], m.A, delta=1e-14)

    def test_errors(self):
        with self.assertRaises(errors.InvalidArgumentError):
            measures.mpi_m0(AF, 1.5, cutoffs=Z)
        bad = [row[:] for row in AF]
        bad[1][2] = float("nan")
        with self.assertRaises(errors.NonFiniteError) as cm:
            measures.mpi_m0(bad, 0.5, cutoffs=Z)
        self.assertEqual(cm.exception.path, "x[1][2]")
        with self.assertRaises(errors.DomainError) as cm:
            measures.mpi_m0([[0.0, 0.5]], 0.5)
        self.assertEqual(cm.exception.path, "x[0][1]")
        with self.assertRaises(errors.RangeError):
            measures.mpi_m0([[0.0, 1.0]], 0.5, person_weights=[-1.0])


class AccumulatorTest(unittest.TestCase):
    def test_example_streamed(self):
        acc = measures.MPIAccumulator(4, 0.5, cutoffs=Z)
        for row in AF:
            acc.update([row])
        self.assertEqual(acc.count, 4)
        self.assertEqual((acc.H, acc.A, acc.M0), (0.5, 0.75, 0.375))
        self.assertEqual(acc.indicators()["censored"], [0.25, 0.5, 0.25, 0.5])

    def test_partitions_merge_exactly(self):
        rng = np.random.default_rng(2)
        n, d = 2000, 4
        z = np.array([1.0, 2.0, 3.0, 4.0])
        x = np.floor(rng.uniform(0, 2, (n, d)) * z * 4) / 4
        pw = rng.uniform(0, 5, n)
        one = measures.MPIAccumulator(d, 0.5, cutoffs=z, direction=["below", "above", "below",
                                                                      "below"])
        one.update(x, pw)
        parts = []
        for idx in np.array_split(rng.permutation(n), 7):
            idx.sort()
            p = measures.MPIAccumulator.from_json(
                measures.MPIAccumulator(d, 0.5, cutoffs=z,
                                        direction=[0, 1, 0, 0]).to_json())
            p.update(np.ascontiguousarray(x[idx]), np.ascontiguousarray(pw[idx]))
            parts.append(pickle.loads(pickle.dumps(p)))
        tot = parts.pop()
        for p in reversed(parts):
            tot += p
        self.assertEqual((tot.H, tot.A, tot.M0, tot.M1, tot.M2),
                         (one.H, one.A, one.M0, one.M1, one.M2))
        self.assertEqual(tot.indicators(), one.indicators())
        m = MPI(x, 0.5, cutoffs=z, direction=[0, 1, 0, 0], person_weights=pw)
        self.assertAlmostEqual(m.M0, one.M0, delta=1e-14)

    def test_errors(self):
        acc = measures.MPIAccumulator(4, 0.5, cutoffs=Z)
        with self.assertRaises(errors.EmptyDataError):
            acc.M0
        with self.assertRaises(errors.InvalidArgumentError):
            acc.update([[1, 2, 3]])
        with self.assertRaises(errors.InvalidArgumentError):
            acc.merge(measures.MPIAccumulator(4, 0.75, cutoffs=Z))
        with self.assertRaises(errors.FormatError):
            measures.MPIAccumulator.from_json('{"format": "x"}')


class ErrorTest(unittest.TestCase):
    def test_errors(self):
        with self.assertRaises(errors.InvalidArgumentError) as cm:
            MPI(AF, 0.0, cutoffs=Z)
        self.assertEqual(cm.exception.path, "k")
        bad = [row[:] for row in AF]
        bad[2][1] = float("nan")
        with self.assertRaises(errors.NonFiniteError) as cm:
            MPI(bad, 0.5, cutoffs=Z)
        self.assertEqual(cm.exception.path, "x[2][1]")
        with self.assertRaises(errors.RangeError) as cm:
            MPI(AF, 0.5, cutoffs=Z, weights=[1, -1, 1, 1])
        self.assertEqual(cm.exception.path, "weights[1]")
        with self.assertRaises(errors.InvalidArgumentError):
            MPI(AF, 0.5, cutoffs=[1, 2])
        with self.assertRaises(errors.InvalidArgumentError):
            MPI(AF, 0.5, cutoffs=Z, direction="sideways")
        with self.assertRaises(errors.DomainError) as cm:
            MPI([[0, 2]], 0.5)
        self.assertEqual(cm.exception.path, "x[0][1]")
        with self.assertRaises(errors.EmptyDataError) as cm:
            MPI(AF, 0.5, cutoffs=Z, groups=[0, 0, 2, 2])
        self.assertEqual(cm.exception.path, "groups[1]")
        with self.assertRaises(errors.StateError):
            MPI(AF, 0.5, cutoffs=Z).groups()
        m = MPI(AF, 0.5, cutoffs=Z)
        with self.assertRaises(errors.InvalidArgumentError) as cm:
            m.k_range([0.5, 1.5])
        self.assertEqual(cm.exception.path, "ks[1]")
        m.close()
        with self.assertRaises(errors.StateError):
            m.H


if __name__ == "__main__":
    unittest.main()
