"""Tests of the binding base: loading, version check, error mapping, buffers."""
import array
import ctypes
import os
import unittest

import povmetrics
from povmetrics import _ffi, errors


class VersionTest(unittest.TestCase):
    def test_library_version_matches_package(self):
        self.assertEqual(povmetrics.library_version, povmetrics.__version__)

    def test_loaded_from_environment(self):
        self.assertTrue(os.environ.get("POVMETRICS_LIBRARY"))
        self.assertEqual(_ffi.lib._name, os.environ["POVMETRICS_LIBRARY"])


class ErrorMappingTest(unittest.TestCase):
    def test_every_code_has_its_class(self):
        expected = {
            -2: errors.PovMemoryError, -3: errors.InvalidArgumentError, -4: errors.PovIOError,
            -5: errors.NotFoundError, -6: errors.ParseError, -7: errors.TypeMismatchError,
            -8: errors.RangeError, -9: errors.NonFiniteError, -10: errors.UnknownCodeError,
            -11: errors.MissingFieldError, -12: errors.DuplicateError, -13: errors.OrphanError,
            -14: errors.LimitError, -15: errors.TruncatedError, -16: errors.FormatError,
            -17: errors.UnknownFieldError, -18: errors.DomainError, -19: errors.EmptyDataError,
            -20: errors.StateError, -21: errors.RuleError, -22: errors.SingularError,
        }
        for code, cls in expected.items():
            exc = errors.from_code(code, "m")
            self.assertIs(type(exc), cls)
            self.assertEqual(exc.code, code)
        self.assertIs(type(errors.from_code(-999, "m")), errors.PovError)

    def test_standard_bases(self):
        self.assertTrue(issubclass(errors.NotFoundError, LookupError))
        self.assertTrue(issubclass(errors.ParseError, ValueError))
        self.assertTrue(issubclass(errors.PovIOError, OSError))

    def test_str_names_location(self):
        exc = errors.from_code(-6, "expected ','", source="f.json", line=3, column=7,
                               path="[2].size")
        self.assertEqual(str(exc), "f.json; line 3, column 7; [2].size: expected ','")

    def test_strerror_from_library(self):
        self.assertEqual(_ffi.py_str(_ffi.lib.pov_strerror(-5)), "not found")

    def test_cleared_error_is_empty(self):
        _ffi.lib.pov_error_clear()
        e = _ffi.lib.pov_error_last()
        self.assertEqual(_ffi.lib.pov_error_code(e), 0)


class BufferTest(unittest.TestCase):
    def test_array_module_is_not_copied(self):
        a = array.array("d", [1.0, 2.0, 3.0])
        v = _ffi.doubles(a)
        self.assertEqual(v.n, 3)
        v.ptr[1] = 42.0  # writes through to the caller's buffer: no copy was made
        self.assertEqual(a[1], 42.0)

    def test_list_is_converted(self):
        v = _ffi.doubles([1.5, 2.5])
        self.assertEqual((v.n, v.ptr[0], v.ptr[1]), (2, 1.5, 2.5))

    def test_wrong_buffer_format_rejected(self):
        with self.assertRaises(TypeError):
            _ffi.doubles(array.array("f", [1.0]))

    def test_none(self):
        self.assertIsNone(_ffi.doubles(None, allow_none=True).ptr)
        with self.assertRaises(TypeError):
            _ffi.doubles(None)

    def test_numpy_zero_copy(self):
        import numpy as np  # Debian's python3-numpy is a test requirement
        x = np.arange(5, dtype=np.float64)
        v = _ffi.doubles(x)
        self.assertEqual(ctypes.addressof(v.ptr.contents), x.ctypes.data)
        g = np.array([1, 2], dtype=np.int32)
        self.assertEqual(ctypes.addressof(_ffi.int32s(g).ptr.contents), g.ctypes.data)
        # a strided view must be made contiguous (copied), not misread
        s = np.arange(10, dtype=np.float64)[::2]
        vs = _ffi.doubles(s)
        self.assertEqual([vs.ptr[i] for i in range(vs.n)], [0.0, 2.0, 4.0, 6.0, 8.0])


if __name__ == "__main__":
    unittest.main()


class PackageSurfaceTest(unittest.TestCase):
    """The names the README and the docs use are importable as written."""

    def test_top_level_names(self):
        for name in ("Dataset", "Household", "Schema", "Condition", "Scorecard", "Policy",
                     "Programs", "RiskModel", "io", "measures", "scorecard", "policy"):
            self.assertTrue(hasattr(povmetrics, name), name)
        for name in povmetrics.__all__:
            self.assertTrue(hasattr(povmetrics, name), name)

    def test_measures_star_export_includes_families(self):
        from povmetrics import measures
        for name in ("fgt", "gini", "mpi", "Accumulator", "se_fgt", "cagr", "fgt_decompose"):
            self.assertIn(name, measures.__all__)
            self.assertTrue(callable(getattr(measures, name)), name)

    def test_readme_example_runs(self):
        import pathlib
        import subprocess
        import sys
        root = pathlib.Path(os.environ["POV_SOURCE_ROOT"])
        out = subprocess.run(
            [sys.executable, str(root / "examples" / "quickstart.py"),
             str(root / "examples" / "data" / "sample.jsonl"), "2855"],
            check=True, capture_output=True, text=True).stdout
        self.assertRegex(out, r"^300 households: headcount 0\.\d{3}, gap ")
        card = povmetrics.scorecard.Scorecard.default("guangxi_style_2015")
        self.assertEqual(card.id, "guangxi_style_2015")
