"""Life cycle of the binding classes on _ffi.Owned other than policy/scorecard.

For each class: close() twice is harmless, use after close raises the class's
own exception (type and message unchanged from before the move onto Owned),
a ``with`` block closes, and what was obtained before the close stays usable.
Expected figures are worked out by hand in the comments.
"""
import ctypes
import gc
import pathlib
import pickle
import tempfile
import unittest

import povmetrics
from povmetrics import _ffi, errors, measures
from povmetrics import io as pio
from povmetrics.measures import MPI, Accumulator, MPIAccumulator, Sorted

# Three households, one of them rejected (year is not a number) by a collecting read.
JSONL = b'{"id": "a"}\n{"id": "b", "year": "x"}\n{"id": "c"}\n{"id": "d"}\n'

# The one below (OPHI, 0/1 deprivation matrix, two equally weighted indicators,
# k = 0.5): person 0 is deprived in both (score 1, poor), person 1 in none, so
# H = 1/2, A = 1, M0 = 1/2.
DEPRIVED = [[1.0, 1.0], [0.0, 0.0]]


class LifecycleCase(unittest.TestCase):
    def closes_once(self, obj, use, exc_type, message):
        """use(obj) works; after two closes it raises exactly exc_type(message)."""
        use(obj)
        obj.close()
        obj.close()
        with self.assertRaises(exc_type) as cm:
            use(obj)
        self.assertIs(type(cm.exception), exc_type)
        self.assertEqual(str(cm.exception), message)
        return cm.exception


class AccumulatorTest(LifecycleCase):
    def test_close_and_use_after_close(self):
        exc = self.closes_once(Accumulator(4.0), lambda a: a.count, errors.StateError,
                               "accumulator is closed")
        self.assertEqual(exc.code, -20)
        self.assertNotIsInstance(exc, ValueError)
        acc = Accumulator(4.0)
        acc.close()
        for use in (lambda: acc.update([1.0]), acc.reset, acc.mean, acc.to_json,
                    lambda: acc.line, lambda: acc.alphas):
            with self.assertRaisesRegex(errors.StateError, "^accumulator is closed$"):
                use()
        self.assertEqual(repr(acc), "<Accumulator closed>")

    def test_with_closes_and_results_survive(self):
        # y = 1 2 3 4 10, z = 4: three of five below the line, FGT0 = 3/5
        with Accumulator(4.0, alphas=(0,)) as acc:
            acc.update([1.0, 2.0, 3.0, 4.0, 10.0])
            state = acc.to_json()
            blob = pickle.dumps(acc)
            res = acc.result()
        with self.assertRaises(errors.StateError):
            acc.fgt(0)
        self.assertEqual(res["fgt"][0.0], 0.6)
        self.assertEqual(Accumulator.from_json(state).fgt(0), 0.6)
        self.assertEqual(pickle.loads(blob).count, 5)

    def test_merge_with_closed_leaves_self_alone(self):
        a, b = Accumulator(4.0), Accumulator(4.0)
        a.update([1.0, 5.0])  # FGT0 = 1/2
        b.close()
        with self.assertRaisesRegex(errors.StateError, "accumulator is closed"):
            a.merge(b)
        self.assertEqual(a.count, 2)
        self.assertEqual(a.fgt(0), 0.5)

    def test_not_taken_as_another_object(self):
        # Its C pointer must never reach a call that wants a dataset or condition.
        acc = Accumulator(4.0)
        with self.assertRaisesRegex(TypeError, "dataset must be a povmetrics object"):
            _ffi.handle_of(acc, "dataset")
        with self.assertRaisesRegex(TypeError, "not Accumulator"):
            pio._handle(acc, "dataset")
        with self.assertRaises(TypeError):
            measures.mpi_matrix(acc, [])
        with tempfile.TemporaryDirectory() as tmp:
            with self.assertRaises(TypeError):
                pio.write(acc, pathlib.Path(tmp, "x.jsonl"))
        self.assertEqual(acc.count, 0)


class MPITest(LifecycleCase):
    def test_close_and_use_after_close(self):
        exc = self.closes_once(MPI(DEPRIVED, 0.5), lambda m: m.H, errors.StateError,
                               "MPI result is closed")
        self.assertEqual(exc.code, -20)
        m = MPI(DEPRIVED, 0.5)
        m.close()
        for use in (m.indicators, m.scores, lambda: m.k_range([0.5]), lambda: m.n):
            with self.assertRaisesRegex(errors.StateError, "^MPI result is closed$"):
                use()
        self.assertEqual(repr(m), "<MPI closed>")
        self.assertEqual(m.k, 0.5)  # a plain attribute, not the C object

    def test_with_closes_and_results_survive(self):
        with MPI(DEPRIVED, 0.5) as m:
            summary = m.summary()
            scores = m.scores()
        with self.assertRaises(errors.StateError):
            m.M0
        self.assertEqual((summary["H"], summary["A"], summary["M0"]), (0.5, 1.0, 0.5))
        self.assertEqual(scores, [1.0, 0.0])
        self.assertEqual(measures.mpi(DEPRIVED, 0.5)["M0"], 0.5)  # closes its own MPI

    def test_not_taken_as_another_object(self):
        with self.assertRaises(TypeError):
            _ffi.handle_of(MPI(DEPRIVED, 0.5), "conditions[0]")


class MPIAccumulatorTest(LifecycleCase):
    def test_close_and_use_after_close(self):
        exc = self.closes_once(MPIAccumulator(2, 0.5), lambda a: a.count, errors.StateError,
                               "accumulator is closed")
        self.assertEqual(exc.code, -20)
        acc = MPIAccumulator(2, 0.5)
        acc.close()
        for use in (lambda: acc.update(DEPRIVED), acc.indicators, acc.to_json, lambda: acc.d):
            with self.assertRaisesRegex(errors.StateError, "^accumulator is closed$"):
                use()
        self.assertEqual(repr(acc), "<MPIAccumulator closed>")

    def test_with_closes_and_results_survive(self):
        with MPIAccumulator(2, 0.5) as acc:
            acc.update(DEPRIVED)
            state = acc.to_json()
            blob = pickle.dumps(acc)
        with self.assertRaises(errors.StateError):
            acc.H
        self.assertEqual(MPIAccumulator.from_json(state).M0, 0.5)
        self.assertEqual(pickle.loads(blob).count, 2)
        open_one = MPIAccumulator(2, 0.5)
        with self.assertRaisesRegex(errors.StateError, "accumulator is closed"):
            open_one.merge(acc)
        self.assertEqual(open_one.count, 0)


class SortedTest(LifecycleCase):
    def test_close_and_use_after_close(self):
        self.closes_once(Sorted([1.0, 2.0]), len, ValueError, "Sorted object is closed")
        s = Sorted([1.0, 2.0])
        s.close()
        for use in (s.gini, lambda: s.quantile(0.5), lambda: s.lorenz([0.5]),
                    lambda: s.total_weight):
            with self.assertRaisesRegex(ValueError, "^Sorted object is closed$"):
                use()

    def test_with_closes_and_results_survive(self):
        # 1 2 3 4, unit weights: cumulative shares 1/4 2/4 3/4 1, the first
        # strictly above 1/2 is at y = 3 (laeken's rule)
        with Sorted([4.0, 1.0, 3.0, 2.0]) as s:
            q = s.quantile(0.5)
            n = len(s)
        with self.assertRaisesRegex(ValueError, "Sorted object is closed"):
            s.quantile(0.5)
        self.assertEqual((q, n), (3.0, 4))

    def test_not_taken_as_another_object(self):
        with self.assertRaises(TypeError):
            pio._handle(Sorted([1.0]), "dataset")


class ReaderTest(LifecycleCase):
    def test_close_and_use_after_close(self):
        self.closes_once(pio.Reader(data=JSONL, format="jsonl", mode="collect"),
                         lambda r: r.report, ValueError, "the reader is closed")
        r = pio.Reader(data=JSONL, format="jsonl", mode="collect")
        r.close()
        with self.assertRaisesRegex(ValueError, "^the reader is closed$"):
            next(r)

    def test_with_closes_and_results_survive(self):
        with pio.Reader(data=JSONL, format="jsonl", mode="collect", batch_size=2) as r:
            batches = list(r)
            rep = r.report
        with self.assertRaisesRegex(ValueError, "the reader is closed"):
            r.report
        # a, c, d accepted in batches of at most two; b rejected
        self.assertEqual([len(b) for b in batches], [2, 1])
        self.assertEqual([batches[0].id(0), batches[0].id(1), batches[1].id(0)],
                         ["a", "c", "d"])
        self.assertEqual((rep.read, rep.accepted, rep.rejected), (4, 3, 1))
        self.assertEqual(rep.rejects[0].line, 2)
        for b in batches:
            b.close()

    def test_report_write_needs_the_reader(self):
        # The C report belongs to the reader: writing it after the reader is
        # closed is refused instead of reading freed memory.
        with tempfile.TemporaryDirectory() as tmp:
            r = pio.Reader(data=JSONL, format="jsonl", mode="collect")
            list(r)
            rep = r.report
            rep.write(pathlib.Path(tmp, "open.jsonl"))
            self.assertEqual(len(pathlib.Path(tmp, "open.jsonl").read_text().splitlines()), 1)
            r.close()
            with self.assertRaisesRegex(ValueError, "^the reader is closed$"):
                rep.write(pathlib.Path(tmp, "closed.jsonl"))
            self.assertFalse(pathlib.Path(tmp, "closed.jsonl").exists())
            self.assertEqual(rep.rejected, 1)  # the copied counts stay

    def test_report_keeps_reader_alive(self):
        with tempfile.TemporaryDirectory() as tmp:
            r = pio.Reader(data=JSONL, format="jsonl", mode="collect")
            list(r)
            rep = r.report
            del r  # the report holds the reader
            gc.collect()
            rep.write(pathlib.Path(tmp, "rejects.jsonl"))
            self.assertIn('"path":"[1].year"', pathlib.Path(tmp, "rejects.jsonl").read_text())

    def test_iter_batches_closes_its_reader(self):
        self.assertEqual([len(b) for b in pio.iter_batches(
            None, format="jsonl", data=b'{"id": "a"}\n{"id": "b"}\n', batch_size=1)], [1, 1])


class WriterTest(LifecycleCase):
    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory()
        self.dir = pathlib.Path(self._tmp.name)
        self.ds = pio.read_bytes(b'{"id": "a"}\n', "jsonl")

    def tearDown(self):
        self.ds.close()
        self._tmp.cleanup()

    def test_close_and_use_after_close(self):
        target = self.dir / "x.jsonl"
        self.closes_once(pio.Writer(target), lambda w: w.write(self.ds), ValueError,
                         "the writer is closed")
        self.assertFalse(target.exists())  # closed before the commit: discarded
        w = pio.Writer(target)
        w.close()
        with self.assertRaisesRegex(ValueError, "^the writer is closed$"):
            w.commit()

    def test_with_commits_then_closes(self):
        target = self.dir / "y.jsonl"
        with pio.Writer(target) as w:
            w.write(self.ds)
        self.assertEqual(pio.read(target).id(0), "a")
        with self.assertRaisesRegex(ValueError, "the writer is closed"):
            w.write(self.ds)

    def test_with_discards_on_exception(self):
        target = self.dir / "z.jsonl"
        with self.assertRaises(KeyError):
            with pio.Writer(target) as w:
                w.write(self.ds)
                raise KeyError("stop")
        self.assertFalse(target.exists())
        with self.assertRaisesRegex(ValueError, "the writer is closed"):
            w.commit()


class SchemaTest(LifecycleCase):
    DOC = '{"format": "povmetrics.schema/1", "name": "ext", "indicators": []}'

    def test_close_and_use_after_close(self):
        self.closes_once(povmetrics.Schema.loads(self.DOC), len, ValueError,
                         "the schema is closed")
        s = povmetrics.Schema.loads(self.DOC)
        s.close()
        for use in (lambda: s.name, s.to_json, lambda: s.index("age"),
                    lambda: povmetrics.Dataset(s)):
            with self.assertRaisesRegex(ValueError, "^the schema is closed$"):
                use()
        self.assertEqual(repr(s), "<Schema closed>")
        with self.assertRaisesRegex(ValueError, "schema is closed"):
            _ffi.handle_of(s, "schema")

    def test_with_closes_and_results_survive(self):
        # A condition and a dataset hold their own reference to the C schema.
        with povmetrics.Schema.loads(self.DOC) as s:
            cond = povmetrics.Condition(s, {">": [{"var": "income_wage"}, 0]})
            ds = povmetrics.Dataset(s)
        with self.assertRaises(ValueError):
            s.name
        self.assertEqual(cond.result_type, "boolean")
        self.assertEqual(len(ds), 0)
        ds.close()
        cond.close()

    def test_core_schema_close_is_a_no_op(self):
        core = povmetrics.Schema.core()
        n = len(core)
        core.close()
        with core:
            pass
        self.assertIs(povmetrics.Schema.core(), core)
        self.assertEqual(len(core), n)

    def test_borrowed_schema_frees_nothing(self):
        s = povmetrics.Schema.loads(self.DOC)
        b = povmetrics.Schema._from_ptr(s._as_parameter_, owner=s)
        self.assertIs(b._owner, s)  # keeps the owner alive
        self.assertEqual(b.name, "ext")
        b.close()
        b.close()
        with self.assertRaisesRegex(ValueError, "^the schema is closed$"):
            b.name
        self.assertEqual(s.name, "ext")  # the owner's schema was not freed
        s.close()


class RawDatasetTest(LifecycleCase):
    """io's fallback dataset owner (used only without povmetrics.dataset)."""

    @staticmethod
    def raw():
        out, rep = ctypes.c_void_p(), ctypes.c_void_p()
        b = b'{"id": "a"}\n{"id": "b"}\n'
        o, _keep = pio._read_options()
        pio._f["pov_dataset_read_buffer"](pio._schema_ptr(None), b, len(b), b"<raw>", 2,
                                         ctypes.byref(o), ctypes.byref(out), ctypes.byref(rep))
        if rep.value:
            pio._f["pov_read_report_free"](rep)
        return pio._RawDataset(out.value)

    def test_close_with_and_closed_behaviour(self):
        d = self.raw()
        self.assertEqual(len(d), 2)
        self.assertEqual(pio._handle(d, "dataset"), d._ptr)
        d.close()
        d.close()
        # as before the move: a closed raw dataset passes NULL on (count 0)
        # and is not accepted where a dataset is wanted
        self.assertEqual(len(d), 0)
        with self.assertRaises(TypeError):
            pio._handle(d, "dataset")
        with self.raw() as d2:
            self.assertEqual(len(d2), 2)
        self.assertIsNone(d2._ptr)


class OwnedDefaultsTest(unittest.TestCase):
    def test_defaults_unchanged(self):
        self.assertIs(_ffi.Owned._closed_error, ValueError)
        self.assertIsNone(_ffi.Owned._closed_message)
        self.assertTrue(_ffi.Owned._argument)
        with povmetrics.Condition(None, {">": [{"var": "income_wage"}, 0]}) as c:
            pass
        with self.assertRaises(ValueError) as cm:
            c.evaluate_dataset_raw(povmetrics.Dataset())
        self.assertEqual(str(cm.exception), "the condition is closed")


if __name__ == "__main__":
    unittest.main()
