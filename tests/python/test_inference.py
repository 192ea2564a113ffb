"""Tests of standard errors and bootstrap (povmetrics._inference).

Expected values come from hand calculation or from formulas written here
independently with numpy, never from the library's own output.
"""
import array
import math
import unittest

import numpy as np

from povmetrics import _inference as inf
from povmetrics import errors

Z975 = 1.959963984540054


def weighted_quantile_laeken(y, w, p):
    """Q(p) = y_k for the smallest k (sorted) with c_k / W > p (laeken)."""
    o = np.argsort(y, kind="stable")
    ys, c = y[o], np.cumsum(w[o])
    return ys[np.searchsorted(c / c[-1], p, side="right")]


class LinearisedTest(unittest.TestCase):
    def test_headcount_hand_formula(self):
        y = np.arange(1.0, 11.0)
        e = inf.se_fgt(y, 4.5)
        self.assertIsInstance(e, inf.Estimate)
        self.assertEqual(e.value, 0.4)
        self.assertAlmostEqual(e.se, math.sqrt(0.4 * 0.6 / 9), places=15)
        self.assertAlmostEqual(e.ci_high, 0.4 + Z975 * e.se, places=14)
        self.assertEqual((e.n_psu, e.n_strata, e.reps, e.level), (10, 1, 0, 0.95))
        self.assertTrue(math.isnan(e.pct_low) and math.isnan(e.pct_high))
        self.assertIsNone(e.replicates)

    def test_gap_hand(self):
        # y = {1,3,5,7}, z = 4: P1 = 1/4, V = 1/32 (see the C test for the steps)
        e = inf.se_fgt([1.0, 3.0, 5.0, 7.0], 4.0, alpha=1)
        self.assertAlmostEqual(e.value, 0.25, places=15)
        self.assertAlmostEqual(e.se, math.sqrt(1 / 32), places=15)

    def test_mean_stratified_clustered_hand(self):
        # V = 61/36 by hand (see tests/inference/test_inference.c)
        y = np.array([2.0, 4, 6, 8, 10, 12])
        e = inf.se_mean(y, strata=np.array([1, 1, 1, 2, 2, 2], dtype=np.int32),
                        clusters=[1, 1, 2, 1, 2, 3])
        self.assertAlmostEqual(e.value, 7.0, places=14)
        self.assertAlmostEqual(e.se, math.sqrt(61) / 6, places=14)
        self.assertEqual((e.n_psu, e.n_strata), (5, 2))
        # int64 ids are converted; same answer
        e2 = inf.se_mean(y, strata=np.array([1, 1, 1, 2, 2, 2]),
                         clusters=np.array([1, 1, 2, 1, 2, 3]))
        self.assertEqual((e.value, e.se, e.ci_low, e.ci_high, e.n_psu),
                         (e2.value, e2.se, e2.ci_low, e2.ci_high, e2.n_psu))

    def test_watts_hand(self):
        e = inf.se_watts(array.array("d", [1, 2, 4, 8]), 4.0)
        self.assertAlmostEqual(e.value, 0.75 * math.log(2), places=15)
        self.assertAlmostEqual(e.se, math.log(2) * math.sqrt(11 / 48), places=15)

    def test_gini_two_points(self):
        e = inf.se_gini([1.0, 3.0])
        self.assertAlmostEqual(e.value, 0.25, places=15)
        self.assertAlmostEqual(e.se, 0.125, places=15)

    def test_gini_matches_direct_influence(self):
        # O(n^2) influence: u_k = [Σ_j w_j |y_k − y_j| − G (T + y_k N)] / (N T),
        # G = ΣΣ w w |Δ| / (2 N T); then n/(n−1) Σ (w u − mean)^2.
        rng = np.random.default_rng(4)
        y = np.exp(rng.normal(size=60))
        w = rng.uniform(0.5, 2.0, size=60)
        N, T = w.sum(), (w * y).sum()
        absdev = np.abs(y[:, None] - y[None, :]) @ w
        G = (w * absdev).sum() / (2 * N * T)
        z = w * (absdev - G * (T + y * N)) / (N * T)
        se = math.sqrt(len(y) / (len(y) - 1) * ((z - z.mean()) ** 2).sum())
        e = inf.se_gini(y, weights=w, level=0.9)
        self.assertAlmostEqual(e.value, G, places=13)
        self.assertAlmostEqual(e.se / se, 1.0, places=12)
        self.assertEqual(e.level, 0.9)

    def test_arpr_matches_numpy_formula(self):
        rng = np.random.default_rng(8)
        y = np.exp(rng.normal(size=400))
        w = rng.uniform(0.5, 1.5, size=400)
        share = 0.6
        M = weighted_quantile_laeken(y, w, 0.5)
        t = share * M
        N = w.sum()
        R = w[y < t].sum() / N
        mu = (w * y).sum() / N
        sd = math.sqrt((w * (y - mu) ** 2).sum() / N)
        iqr = weighted_quantile_laeken(y, w, 0.75) - weighted_quantile_laeken(y, w, 0.25)
        h = 0.9 * min(sd, iqr / 1.34) * len(y) ** -0.2

        def f(x):
            return (w * np.exp(-0.5 * ((x - y) / h) ** 2)).sum() / (N * h * math.sqrt(2 * math.pi))

        u = (y < t) - R - share * f(t) / f(M) * ((y <= M) - 0.5)
        z = w * u / N
        se = math.sqrt(len(y) / (len(y) - 1) * ((z - z.mean()) ** 2).sum())
        e = inf.se_arpr(y, share, weights=w)
        self.assertAlmostEqual(e.value, R, places=14)
        self.assertAlmostEqual(e.se / se, 1.0, places=10)

    def test_m0_hand(self):
        x = [[1, 1, 0], [0, 0, 0], [1, 0, 0], [1, 1, 1]]
        e = inf.se_m0(x, k=1 / 3)
        self.assertAlmostEqual(e.value, 0.5, places=15)
        self.assertAlmostEqual(e.se, math.sqrt(5 / 108), places=15)
        e2 = inf.se_m0(np.array(x, dtype=float), k=0.5)
        self.assertAlmostEqual(e2.value, 5 / 12, places=15)
        self.assertAlmostEqual(e2.se, 0.25, places=15)

    def test_m0_achievements_with_cutoffs(self):
        # cut-offs {2, 2}: deprived when x < 2. Rows: (1, 3) c = 1/2, (1, 1) c = 1,
        # (3, 3) c = 0. k = 0.5: m = {1/2, 1, 0}, M0 = 1/2; m − M0 = {0, 1/2, −1/2}
        # V = (3/2) · (1/2)/9 = 1/12.
        e = inf.se_m0([[1, 3], [1, 1], [3, 3]], k=0.5, cutoffs=[2.0, 2.0])
        self.assertAlmostEqual(e.value, 0.5, places=15)
        self.assertAlmostEqual(e.se, math.sqrt(1 / 12), places=15)
        # the same with "more is worse" on negated data, and a flat buffer with d
        e2 = inf.se_m0([-1, -3, -1, -1, -3, -3], k=0.5, cutoffs=[-2.0, -2.0],
                       direction="above", d=2)
        self.assertAlmostEqual(e2.value, 0.5, places=15)
        self.assertAlmostEqual(e2.se, math.sqrt(1 / 12), places=15)
        # indicator weights 1:3 (→ 1/4, 3/4): row (3, 1) is deprived in the second
        # only, c = 3/4; (1, 1): c = 1; (3, 3): 0. k = 0.5: m = {3/4, 1, 0},
        # M0 = 7/12; m − M0 = {2, 5, −7}/12, Σ² = 78/144; V = (3/2)(78/144)/9 = 13/144.
        e3 = inf.se_m0([[3, 1], [1, 1], [3, 3]], k=0.5, cutoffs=[2.0, 2.0], weights=[1, 3])
        self.assertAlmostEqual(e3.value, 7 / 12, places=15)
        self.assertAlmostEqual(e3.se, math.sqrt(13) / 12, places=15)


class ReexportTest(unittest.TestCase):
    def test_available_from_measures(self):
        from povmetrics import measures
        for name in inf.__all__:
            self.assertIs(getattr(measures, name), getattr(inf, name))


class StructTest(unittest.TestCase):
    def test_library_init_matches_mirrors(self):
        self.assertTrue(inf._INIT_SAME)

    def test_python_side_init_is_accepted(self):
        # the path used if a newer library had larger structs
        saved = inf._INIT_SAME
        inf._INIT_SAME = False
        try:
            e = inf.se_fgt(np.arange(1.0, 11.0), 4.5, level=0.9)
        finally:
            inf._INIT_SAME = saved
        self.assertEqual(e.value, 0.4)
        self.assertAlmostEqual(e.se, math.sqrt(0.4 * 0.6 / 9), places=15)
        self.assertEqual(e.level, 0.9)


class ErrorTest(unittest.TestCase):
    def test_data_errors_carry_paths(self):
        with self.assertRaises(errors.NonFiniteError) as cm:
            inf.se_gini([1.0, 2.0, float("nan")])
        self.assertEqual(cm.exception.path, "y[2]")
        with self.assertRaises(errors.RangeError) as cm:
            inf.se_fgt([1.0, 2.0, 3.0], 2.5, weights=[1.0, -1.0, 1.0])
        self.assertEqual(cm.exception.path, "w[1]")
        with self.assertRaises(errors.EmptyDataError):
            inf.se_mean([])
        with self.assertRaises(errors.DomainError) as cm:
            inf.se_watts([0.0, 1.0, 2.0], 1.5)
        self.assertEqual(cm.exception.path, "y[0]")
        with self.assertRaises(errors.DomainError) as cm:
            inf.se_arpr([3.0, 3.0, 3.0])
        self.assertEqual(cm.exception.path, "y")

    def test_design_errors(self):
        with self.assertRaises(errors.DomainError) as cm:
            inf.se_mean([1.0, 2.0, 3.0, 4.0], strata=[7, 7, 8, 7])
        self.assertEqual(cm.exception.path, "strata[2]")
        with self.assertRaises(errors.InvalidArgumentError):
            inf.se_mean([1.0, 2.0, 3.0], level=1.0)
        with self.assertRaises(ValueError):
            inf.se_mean([1.0, 2.0, 3.0], strata=[1, 1])
        with self.assertRaises(ValueError):
            inf.se_mean([1.0, 2.0, 3.0], weights=[1.0])
        with self.assertRaises(errors.InvalidArgumentError) as cm:
            inf.se_m0([[1, 0], [0, 1]], k=0.0)
        self.assertEqual(cm.exception.path, "k")
        with self.assertRaises(ValueError):
            inf.se_m0([[1, 0], [0]], k=0.5)

    def test_bootstrap_argument_errors(self):
        y = [1.0, 2.0, 3.0]
        with self.assertRaises(ValueError):
            inf.bootstrap("nope", y)
        with self.assertRaises(ValueError):
            inf.bootstrap("fgt", y)  # no line
        with self.assertRaises(errors.InvalidArgumentError):
            inf.bootstrap("mean", y, reps=1)
        with self.assertRaises(errors.InvalidArgumentError):
            inf.bootstrap("mean", y, reps=-5)
        with self.assertRaises(errors.InvalidArgumentError):
            inf.bootstrap("quantile", y, p=2.0)
        with self.assertRaises(errors.InvalidArgumentError):
            inf.bootstrap_m0([[1, 0], [0, 1]], k=0.5, reps=1)

        def boom(yv, wv):
            raise ZeroDivisionError("from the statistic")

        with self.assertRaises(ZeroDivisionError):
            inf.bootstrap(boom, y, reps=5)


class BootstrapTest(unittest.TestCase):
    def test_same_seed_same_result(self):
        rng = np.random.default_rng(1)
        y = np.exp(rng.normal(size=1000))
        w = rng.uniform(0.5, 1.5, size=1000)
        a = inf.bootstrap("gini", y, weights=w, reps=50, seed=77, return_replicates=True)
        b = inf.bootstrap("gini", y, weights=w, reps=50, seed=77, return_replicates=True)
        c = inf.bootstrap("gini", y, weights=w, reps=50, seed=78, return_replicates=True)
        self.assertEqual(a, b)
        self.assertEqual(a.replicates, b.replicates)
        self.assertNotEqual(a.replicates, c.replicates)
        self.assertEqual(a.reps, 50)
        self.assertEqual(len(a.replicates), 50)
        reps = np.asarray(a.replicates)
        self.assertAlmostEqual(a.se, reps.std(ddof=1), places=14)
        # percentile interval: linear interpolation (numpy's default = type 7)
        lo, hi = np.percentile(reps, [2.5, 97.5])
        self.assertAlmostEqual(a.pct_low, lo, places=14)
        self.assertAlmostEqual(a.pct_high, hi, places=14)

    def test_callable_sees_replicate_weights(self):
        rng = np.random.default_rng(2)
        y = rng.normal(10, 2, size=500)
        seen = []

        def wmean(yv, wv):
            seen.append(yv.ctypes.data)
            return float((yv * wv).sum() / wv.sum())

        a = inf.bootstrap(wmean, y, reps=30, seed=5, return_replicates=True)
        b = inf.bootstrap("mean", y, reps=30, seed=5, return_replicates=True)
        self.assertEqual(len(seen), 31)
        self.assertTrue(all(p == y.ctypes.data for p in seen))  # y never copied
        np.testing.assert_allclose(a.replicates, b.replicates, rtol=1e-12)
        self.assertAlmostEqual(a.value, y.mean(), places=12)

    def test_mean_se_is_sigma_over_root_n(self):
        rng = np.random.default_rng(3)
        y = rng.normal(0, 2, size=20000)
        e = inf.bootstrap("mean", y, reps=400, seed=1)
        self.assertLess(abs(e.se / (2 / math.sqrt(20000)) - 1), 0.10)

    def test_measures_with_parameters(self):
        rng = np.random.default_rng(6)
        y = np.exp(rng.normal(size=3000))
        for name, kw in (("fgt", {"z": 0.6, "alpha": 2}), ("watts", {"z": 0.6}),
                         ("arpr", {"share": 0.5}), ("arpt", {}), ("quantile", {"p": 0.9})):
            e = inf.bootstrap(name, y, reps=20, seed=2, **kw)
            self.assertTrue(e.se > 0, name)
            self.assertEqual(e.reps, 20)

    def test_strata_and_clusters(self):
        # two strata of two PSUs: every replicate mean is one of four values
        e = inf.bootstrap("mean", [1.0, 2.0, 10.0, 20.0], strata=[0, 0, 1, 1], reps=100, seed=3,
                          return_replicates=True)
        self.assertTrue(set(e.replicates) <= {5.5, 10.5, 6.0, 11.0})
        self.assertEqual(e.n_strata, 2)
        e = inf.bootstrap("mean", [1.0, 1.0, 4.0, 4.0, 10.0, 10.0], clusters=[7, 7, 8, 8, 9, 9],
                          reps=10, seed=3)
        self.assertEqual(e.n_psu, 3)

    def test_bootstrap_agrees_with_linearisation(self):
        rng = np.random.default_rng(20000)
        y = np.exp(rng.normal(size=20000))
        w = rng.uniform(0.5, 1.5, size=20000)
        lin = inf.se_gini(y, weights=w)
        boot = inf.bootstrap("gini", y, weights=w, reps=300, seed=11)
        self.assertLess(abs(boot.se / lin.se - 1), 0.12)
        self.assertEqual(lin.value, boot.value)

    def test_m0_bootstrap(self):
        rng = np.random.default_rng(9)
        frail = rng.uniform(size=(4000, 1))
        x = (rng.uniform(size=(4000, 10)) < 0.5 * frail).astype(float)
        pw = rng.uniform(0.5, 1.5, size=4000)
        lin = inf.se_m0(x, k=1 / 3, person_weights=pw)
        a = inf.bootstrap_m0(x, k=1 / 3, person_weights=pw, reps=400, seed=4,
                             return_replicates=True)
        b = inf.bootstrap_m0(x, k=1 / 3, person_weights=pw, reps=400, seed=4,
                             return_replicates=True)
        self.assertEqual(a, b)
        self.assertEqual(a.value, lin.value)
        self.assertLess(abs(a.se / lin.se - 1), 0.12)
        # M0 by hand with numpy: scores with equal weights, poor when c >= 1/3
        c = x.mean(axis=1)
        m = np.where(c >= 1 / 3 - 1e-12, c, 0.0)
        self.assertAlmostEqual(lin.value, (pw * m).sum() / pw.sum(), places=13)


if __name__ == "__main__":
    unittest.main()
