"""Tests of povmetrics.measures.

Expected values: hand calculations (in the comments), independent direct
formulas written here (O(n^2) Gini, numpy loops), and R laeken 0.5.2 run by
hand on the fixed data set A (marked "laeken 0.5.2").
"""
import array
import math
import random
import unittest

from povmetrics import errors, measures as m

try:
    import numpy as np
except ImportError:  # numpy is optional for the binding, used here if present
    np = None

# Data set A (weighted); sorted: y 1 2 3 5 5 7 8 9 12 15, w 1 2.5 1.5 3 2 2 1.5 1 .5 1
A_Y = [3, 7, 1, 12, 5, 9, 2, 15, 5, 8]
A_W = [1.5, 2, 1, 0.5, 3, 1, 2.5, 1, 2, 1.5]
B_Y = list(range(1, 11))


def gini_mad(y, w=None):
    """Σ_i Σ_j w_i w_j |y_i − y_j| / (2 N T)."""
    w = w or [1.0] * len(y)
    n_, t = sum(w), sum(a * b for a, b in zip(y, w))
    s = sum(wi * wj * abs(yi - yj) for yi, wi in zip(y, w) for yj, wj in zip(y, w))
    return s / (2 * n_ * t)


class PovertyTest(unittest.TestCase):
    def test_fgt_hand(self):
        # y = 1..5, z = 3: poor 1 and 2 (3 is at the line, not poor)
        y = [1, 2, 3, 4, 5]
        self.assertAlmostEqual(m.fgt(y, 3), 0.4, places=14)
        self.assertAlmostEqual(m.headcount(y, 3), 0.4, places=14)
        self.assertAlmostEqual(m.poverty_gap(y, 3), 0.2, places=14)      # (2/3 + 1/3)/5
        self.assertAlmostEqual(m.squared_gap(y, 3), 1 / 9, places=14)    # (4/9 + 1/9)/5
        self.assertAlmostEqual(m.fgt(y, 3, alpha=0.5),
                               (math.sqrt(2 / 3) + math.sqrt(1 / 3)) / 5, places=14)
        # weights 2,1,1,4 on 1..4, z = 2.5: (2*0.6 + 0.2)/8
        self.assertAlmostEqual(m.fgt([1, 2, 3, 4], 2.5, 1, weights=[2, 1, 1, 4]), 0.175,
                               places=14)

    def test_fgt_many(self):
        y = [1, 2, 3, 4, 5]
        got = m.fgt_many(y, 3)
        for a, b in zip(got, [0.4, 0.2, 1 / 9]):
            self.assertAlmostEqual(a, b, places=14)
        self.assertAlmostEqual(m.fgt_many(y, 3, [3.0])[0], 1 / 15, places=14)
        self.assertEqual(m.fgt_many(y, 3, []), [])
        with self.assertRaises(errors.InvalidArgumentError) as cm:
            m.fgt_many(y, 3, [0, -2])
        self.assertEqual(cm.exception.path, "alpha[1]")

    def test_at_the_line_is_not_poor(self):
        self.assertEqual(m.fgt([2.0, 2.0], 2.0), 0.0)
        self.assertEqual(m.fgt([2.0, 2.0], math.nextafter(2.0, 3.0)), 1.0)

    def test_watts_sen_sst_hand(self):
        self.assertAlmostEqual(m.watts([1, 2, 4], 2), math.log(2) / 3, places=14)
        self.assertAlmostEqual(m.watts([1, 2, 4], 2, weights=[3, 1, 1]),
                               3 * math.log(2) / 5, places=14)
        # Sen: H = .4, I = .5, G_p = 1/6 -> 7/30; SST: P1 = 1/5, G_x = 2/3 -> 1/3
        self.assertAlmostEqual(m.sen([1, 2, 3, 4, 5], 3), 7 / 30, places=14)
        self.assertAlmostEqual(m.sst([1, 2, 3, 4, 5], 3), 1 / 3, places=14)

    def test_sen_matches_definition(self):
        rnd = random.Random(4)
        y = [round(rnd.lognormvariate(7, 1)) for _ in range(80)]
        w = [rnd.uniform(0.2, 3) for _ in range(80)]
        z = 1100.0
        poor = [(a, b) for a, b in zip(y, w) if a < z]
        npop, np_ = sum(w), sum(b for _, b in poor)
        mu_p = sum(a * b for a, b in poor) / np_
        h, i = np_ / npop, 1 - mu_p / z
        gp = gini_mad([a for a, _ in poor], [b for _, b in poor])
        self.assertAlmostEqual(m.sen(y, z, weights=w), h * (i + (1 - i) * gp), places=12)

    def test_relative_line(self):
        self.assertAlmostEqual(m.relative_line(B_Y, 0.5, "mean"), 2.75, places=14)
        self.assertAlmostEqual(m.relative_line(B_Y, 0.6), 3.6, places=14)  # 0.6 * median 6
        self.assertAlmostEqual(m.relative_line(A_Y, 0.5, kind=m.LINE_MEDIAN, weights=A_W), 2.5)
        with self.assertRaises(errors.InvalidArgumentError):
            m.relative_line(B_Y, 0.5, "mode")
        with self.assertRaises(errors.InvalidArgumentError):
            m.relative_line(B_Y, 0.5, 3)

    def test_errors(self):
        with self.assertRaises(errors.InvalidArgumentError):
            m.fgt([1, 2], 0)
        with self.assertRaises(errors.InvalidArgumentError):
            m.fgt([1, 2], 1, alpha=-1)
        with self.assertRaises(errors.EmptyDataError):
            m.fgt([], 1)
        with self.assertRaises(errors.EmptyDataError):
            m.fgt([1, 2], 1, weights=[0, 0])
        with self.assertRaises(errors.RangeError) as cm:
            m.fgt([1, 2, 3], 1, weights=[1, -1, 1])
        self.assertEqual(cm.exception.path, "w[1]")
        with self.assertRaises(errors.NonFiniteError) as cm:
            m.fgt([1, 2, float("nan"), 4], 1)
        self.assertEqual(cm.exception.path, "y[2]")
        with self.assertRaises(errors.DomainError) as cm:
            m.watts([1, 0, 3], 2)
        self.assertEqual(cm.exception.path, "y[1]")
        with self.assertRaises(errors.InvalidArgumentError):
            m.fgt([1, 2], 1, weights=[1, 2, 3])


class InequalityTest(unittest.TestCase):
    def test_gini_laeken_and_convey(self):
        # laeken 0.5.2: gini(A_Y, A_W)$value = 32.83811475409837
        self.assertAlmostEqual(m.gini(A_Y, A_W), 0.3283811475409837, places=14)
        self.assertAlmostEqual(m.gini(A_Y, A_W), 1944.75 / 1464 - 1, places=14)
        # convey's formula by hand: Σ (2c − 1) w y = 2011.5
        self.assertAlmostEqual(m.gini_convey(A_Y, A_W), 2011.5 / 1464 - 1, places=14)
        self.assertAlmostEqual(m.gini(B_Y), 0.3, places=14)   # laeken 0.5.2: 30.000000000000004

    def test_gini_against_mean_absolute_difference(self):
        rnd = random.Random(7)
        y = [rnd.lognormvariate(5, 1) for _ in range(120)]
        w = [rnd.uniform(0, 4) for _ in range(120)]
        self.assertAlmostEqual(m.gini(y, w), gini_mad(y, w), places=12)
        self.assertAlmostEqual(m.gini(y), gini_mad(y), places=12)

    def test_ge_atkinson_cv_hand(self):
        y = [1, 2, 3, 4]  # mean 2.5
        mld = sum(math.log(2.5 / v) for v in y) / 4
        theil = sum(v / 2.5 * math.log(v / 2.5) for v in y) / 4
        self.assertAlmostEqual(m.mld(y), mld, places=14)
        self.assertAlmostEqual(m.ge(y, 0), mld, places=14)
        self.assertAlmostEqual(m.theil(y), theil, places=14)
        self.assertAlmostEqual(m.ge(y, 2), 0.1, places=14)   # ((.16+.64+1.44+2.56)/4 − 1)/2
        self.assertAlmostEqual(m.cv(y), math.sqrt(1.25) / 2.5, places=14)
        self.assertAlmostEqual(m.atkinson([1, 4], 1), 0.2, places=14)   # 1 − 2/2.5
        self.assertAlmostEqual(m.atkinson([1, 4], 2), 0.36, places=14)  # 1 − 1.6/2.5
        self.assertAlmostEqual(m.atkinson([1, 4], 0.5), 0.1, places=14)

    def test_domain_errors(self):
        for f in (m.mld, lambda y: m.atkinson(y, 1.0), lambda y: m.ge(y, -1)):
            with self.assertRaises(errors.DomainError) as cm:
                f([3.0, 0.0])
            self.assertEqual(cm.exception.path, "y[1]")
        with self.assertRaises(errors.DomainError):
            m.theil([1.0, -2.0])
        with self.assertRaises(errors.InvalidArgumentError):
            m.atkinson([1, 2], -1)

    def test_lorenz_and_shares(self):
        # y = 1..4: L(.25) = .1, L(.5) = .3, L(.6) = (3 + .4*3)/10 = .42
        got = m.lorenz([4, 2, 3, 1], [0, 0.25, 0.5, 0.6, 1])
        for a, b in zip(got, [0, 0.1, 0.3, 0.42, 1]):
            self.assertAlmostEqual(a, b, places=14)
        self.assertEqual(m.lorenz([1, 2], []), [])
        self.assertAlmostEqual(m.quantile_share(B_Y, 0.8, 1.0), 19 / 55, places=14)
        self.assertAlmostEqual(m.s80s20(B_Y), 19 / 3, places=14)
        self.assertAlmostEqual(m.palma(B_Y), 1.0, places=14)
        with self.assertRaises(errors.InvalidArgumentError) as cm:
            m.lorenz(B_Y, [0.5, 2.0])
        self.assertEqual(cm.exception.path, "p[1]")

    def test_quantile_laeken(self):
        # laeken 0.5.2: weightedQuantile(A_Y, A_W, c(0,.1,.2,.25,.5,.8,.9,1)) = 1 2 2 3 5 8 9 15
        ps = [0, .1, .2, .25, .5, .8, .9, 1]
        self.assertEqual([m.quantile(A_Y, p, A_W) for p in ps], [1, 2, 2, 3, 5, 8, 9, 15])
        self.assertEqual(m.quantile(B_Y, 0.5), 6)


class EusilcTest(unittest.TestCase):
    def test_laeken_reference(self):
        # laeken 0.5.2 on A: arpt 3, arpr 21.875 %, qsr 5, rmpg 33.333... %
        self.assertAlmostEqual(m.arpt(A_Y, weights=A_W), 3.0, places=14)
        self.assertAlmostEqual(m.arpr(A_Y, weights=A_W), 0.21875, places=14)
        self.assertAlmostEqual(m.qsr(A_Y, weights=A_W), 5.0, places=14)
        self.assertAlmostEqual(m.rmpg(A_Y, weights=A_W), 1 / 3, places=14)
        # laeken 0.5.2 on 1..10: arpr 30 %, qsr 1.6666666666666667, rmpg 44.444 %
        self.assertAlmostEqual(m.arpr(B_Y), 0.3, places=14)
        self.assertAlmostEqual(m.qsr(B_Y), 10 / 6, places=14)
        self.assertAlmostEqual(m.rmpg(B_Y, 0.6), 1.6 / 3.6, places=14)

    def test_errors(self):
        with self.assertRaises(errors.EmptyDataError):
            m.rmpg([5, 5, 5])
        with self.assertRaises(errors.InvalidArgumentError):
            m.arpr(B_Y, share=0)


class BufferTest(unittest.TestCase):
    def test_array_module_and_memoryview(self):
        y = array.array("d", A_Y)
        w = array.array("d", A_W)
        self.assertAlmostEqual(m.gini(y, w), 1944.75 / 1464 - 1, places=14)
        self.assertAlmostEqual(m.gini(memoryview(y), memoryview(w)), 1944.75 / 1464 - 1,
                               places=14)
        with self.assertRaises(TypeError):
            m.gini(array.array("f", A_Y))

    @unittest.skipIf(np is None, "numpy not installed")
    def test_numpy_against_numpy_formulas(self):
        rng = np.random.default_rng(1)
        y = rng.lognormal(7, 1, 10_001)
        w = rng.uniform(0.5, 2, y.size)
        z = 1000.0
        for a in (0, 1, 2, 1.5):
            gap = np.where(y < z, (z - y) / z, 0.0)
            ref = np.sum(w * np.where(y < z, gap ** a, 0.0)) / w.sum()
            self.assertAlmostEqual(m.fgt(y, z, a, weights=w), ref, places=12)
        ref = np.sum(w * np.where(y < z, np.log(z / np.minimum(y, z)), 0)) / w.sum()
        self.assertAlmostEqual(m.watts(y, z, weights=w), ref, places=12)
        mu = np.average(y, weights=w)
        self.assertAlmostEqual(m.mld(y, w), np.average(np.log(mu / y), weights=w), places=12)
        self.assertAlmostEqual(m.theil(y, w),
                               np.average(y / mu * np.log(y / mu), weights=w), places=12)
        # sorted-array Gini (laeken formula) with numpy
        o = np.argsort(y, kind="stable")
        ys, ws = y[o], w[o]
        c = np.cumsum(ws)
        g = np.sum(ws * ys * (2 * c - ws)) / (ws.sum() * np.sum(ws * ys)) - 1
        self.assertAlmostEqual(m.gini(y, w), g, places=11)
        # non-contiguous and int arrays are converted
        self.assertAlmostEqual(m.mean(np.arange(10)[::2]), 4.0)
        with self.assertRaises(errors.NonFiniteError) as cm:
            m.gini(np.array([1.0, np.inf]))
        self.assertEqual(cm.exception.path, "y[1]")


class SortedTest(unittest.TestCase):
    def test_same_as_direct(self):
        with m.Sorted(A_Y, A_W) as s:
            self.assertEqual(s.count, 10)
            self.assertEqual(len(s), 10)
            self.assertAlmostEqual(s.total_weight, 16.0)
            self.assertEqual(s.gini(), m.gini(A_Y, A_W))
            self.assertEqual(s.gini_convey(), m.gini_convey(A_Y, A_W))
            self.assertEqual(s.quantile(0.5), 5)
            self.assertEqual(s.arpt(), 3.0)
            self.assertEqual(s.arpr(), m.arpr(A_Y, weights=A_W))
            self.assertEqual(s.qsr(), 5.0)
            self.assertEqual(s.rmpg(), m.rmpg(A_Y, weights=A_W))
            self.assertEqual(s.quantile_share(0, 0.25), m.quantile_share(A_Y, 0, 0.25, A_W))
            self.assertEqual(s.lorenz([0.5]), m.lorenz(A_Y, [0.5], A_W))
        with self.assertRaises(ValueError):
            s.gini()
        s.close()  # twice is fine

    def test_bad_input(self):
        with self.assertRaises(errors.NonFiniteError):
            m.Sorted([1.0, float("inf")])
        with m.Sorted(B_Y) as s:
            with self.assertRaises(errors.InvalidArgumentError):
                s.quantile(1.5)


if __name__ == "__main__":
    unittest.main()
