"""Progress figures: the seed's Guangxi figures, and bad input."""
import unittest

from povmetrics import errors, measures


class ProgressTest(unittest.TestCase):
    def test_guangxi(self):
        # 9.32 million over 8 years (2012–2019) = 1.165 million a year
        self.assertEqual(measures.annual_reduction(9.32, 8), 1.165)
        # 9,467 yuan (2015) -> 13,676 (2019): 9.63% a year
        self.assertEqual(round(measures.cagr(9467, 13676, 4), 4), 0.0963)
        self.assertAlmostEqual(measures.cagr(9467, 13676, 4), (13676 / 9467) ** 0.25 - 1,
                               places=15)

    def test_incidence_and_points(self):
        self.assertEqual(measures.incidence(18, 100), 0.18)
        self.assertAlmostEqual(measures.change_pp(0.18, 0.006), -17.4, places=12)
        self.assertAlmostEqual(measures.reduction(98.99, 43.35), 55.64, places=12)

    def test_errors(self):
        with self.assertRaises(errors.EmptyDataError):
            measures.incidence(1, 0)
        with self.assertRaises(errors.DomainError):
            measures.incidence(11, 10)
        with self.assertRaises(errors.InvalidArgumentError):
            measures.annual_reduction(9.32, 0)
        with self.assertRaises(errors.InvalidArgumentError):
            measures.cagr(1, 2, -1)
        with self.assertRaises(errors.DomainError):
            measures.cagr(0, 2, 1)
        with self.assertRaises(errors.NonFiniteError):
            measures.change_pp(float("nan"), 0.1)


if __name__ == "__main__":
    unittest.main()
