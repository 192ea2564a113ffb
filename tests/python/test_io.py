"""Tests of povmetrics.io: bad-input fixtures, strict/collect, streaming, round trips.

Expected locations come from the fixture folders (tests/data/invalid/*/expected.json)
or are counted by hand from the literal inputs below.
"""
import ctypes
import json
import os
import pathlib
import tempfile
import unittest

import povmetrics
from povmetrics import _ffi, errors
from povmetrics import io as pio

DATA = pathlib.Path(os.environ.get("POV_TEST_DATA",
                                   pathlib.Path(__file__).resolve().parents[1] / "data"))
INVALID = DATA / "invalid"

_count = _ffi.lib.pov_dataset_count
_count.restype, _count.argtypes = ctypes.c_size_t, [ctypes.c_void_p]
_members = _ffi.lib.pov_dataset_member_count
_members.restype, _members.argtypes = ctypes.c_size_t, [ctypes.c_void_p]
_ds_id = _ffi.lib.pov_dataset_id
_ds_id.restype, _ds_id.argtypes = ctypes.c_char_p, [ctypes.c_void_p, ctypes.c_size_t]


def count(ds):
    return _count(pio._handle(ds, "dataset"))


def ids(ds):
    h = pio._handle(ds, "dataset")
    return [_ds_id(h, i).decode() for i in range(_count(h))]


def close(ds):
    if hasattr(ds, "close"):
        ds.close()


CODES = {name: code for code, name in pio._CODE_NAMES.items()}


class FixtureTest(unittest.TestCase):
    """Every folder under tests/data/invalid gives its code and location."""

    def fixtures(self):
        out = []
        for d in sorted(INVALID.iterdir()):
            exp = d / "expected.json"
            if exp.exists():
                out.append((d, json.loads(exp.read_text(encoding="utf-8"))))
        self.assertGreaterEqual(len(out), 20)
        return out

    def check(self, exc, e, name, how):
        self.assertIsInstance(exc, errors.PovError, f"{name} {how}")
        self.assertEqual(exc.code, CODES[e["code"]], f"{name} {how}: {exc}")
        self.assertIs(type(exc), type(errors.from_code(CODES[e["code"]], "")), name)
        self.assertEqual(exc.line or 0, e["line"], f"{name} {how}: {exc}")
        self.assertEqual(exc.column or 0, e["column"], f"{name} {how}: {exc}")
        self.assertEqual(exc.path or "", e["path"], f"{name} {how}: {exc}")
        self.assertEqual(os.path.basename(exc.source or ""), e["source"], f"{name} {how}")

    def kwargs(self, d, e):
        opts = dict(e.get("options", {}))
        if "members" in e:
            opts["members"] = str(d / e["members"])
        return opts

    def test_read_file(self):
        for d, e in self.fixtures():
            with self.subTest(d.name):
                with self.assertRaises(errors.DataError) as cm:
                    pio.read(d / e["input"], format=e["format"], **self.kwargs(d, e))
                self.check(cm.exception, e, d.name, "read")

    def test_streaming(self):
        for d, e in self.fixtures():
            with self.subTest(d.name):
                with self.assertRaises(errors.DataError) as cm:
                    for b in pio.iter_batches(d / e["input"], format=e["format"], batch_size=1,
                                              **self.kwargs(d, e)):
                        close(b)
                self.check(cm.exception, e, d.name, "iter_batches")

    def test_bytes(self):
        for d, e in self.fixtures():
            with self.subTest(d.name):
                kw = self.kwargs(d, e)
                text = (d / e["input"]).read_bytes()
                with self.assertRaises(errors.DataError) as cm:
                    if "members" in kw:
                        pio.read_csv_bytes(text, (d / e["members"]).read_bytes(),
                                           households_name=e["input"], members_name=e["members"])
                    else:
                        pio.read_bytes(text, e["format"], source=e["input"], **kw)
                self.check(cm.exception, e, d.name, "bytes")

    def test_collect(self):
        for d, e in self.fixtures():
            with self.subTest(d.name):
                try:
                    ds, rep = pio.read(d / e["input"], format=e["format"], mode="collect",
                                       report=True, **self.kwargs(d, e))
                except errors.DataError as exc:  # structural: stops even a collecting read
                    self.check(exc, e, d.name, "collect")
                    continue
                self.assertGreaterEqual(rep.rejected, 1, d.name)
                r = rep.rejects[0]
                self.assertEqual(r.code_name, e["code"], d.name)
                self.assertEqual((r.line, r.column, r.path), (e["line"], e["column"], e["path"]),
                                 d.name)
                self.assertEqual(rep.read, rep.accepted + rep.rejected)
                self.assertEqual(count(ds), rep.accepted)
                close(ds)


class ReadTest(unittest.TestCase):
    def test_jsonl_crlf_bom_and_location(self):
        t = b'\xef\xbb\xbf{"id": "a"}\r\n\r\n{"id": "b", "year": 2020}\r\n{"id": "c"}'
        ds = pio.read_bytes(t, "jsonl")
        self.assertEqual(ids(ds), ["a", "b", "c"])
        close(ds)
        bad = b'{"id": "a"}\n{"id": "b", "year": "x"}\n'
        with self.assertRaises(errors.TypeMismatchError) as cm:
            pio.read_bytes(bad, "jsonl", source="mem.jsonl")
        e = cm.exception
        self.assertEqual((e.line, e.column, e.path, e.source), (2, 21, "[1].year", "mem.jsonl"))
        self.assertIn("mem.jsonl; line 2, column 21; [1].year", str(e))

    def test_returns_dataset_objects(self):
        t = '{"id": "a", "year": 2020}\n{"id": "b", "year": 2021}\n'
        with pio.read_bytes(t, "jsonl", schema=povmetrics.Schema.core()) as ds:
            self.assertIsInstance(ds, povmetrics.Dataset)
            self.assertEqual(len(ds), 2)
            self.assertEqual(ds.id(1), "b")
        for b in pio.Reader(data=t, format="jsonl", batch_size=1):
            self.assertIsInstance(b, povmetrics.Dataset)
            b.close()

    def test_csv_with_members_from_memory(self):
        hh = 'household_id,year,note\r\nh1,2020,"a,\r\nb"\r\nh2,2021,\r\n'
        mm = "household_id,age\nh2,40\nh1,30\nh1,5\n"
        ds = pio.read_csv_bytes(hh, mm)
        self.assertEqual(ids(ds), ["h1", "h2"])
        self.assertEqual(_members(pio._handle(ds, "dataset")), 3)
        close(ds)

    def test_collect_report_and_rejects_file(self):
        t = ('{"id": "a", "year": 2020}\n{"id": "b", "year": "x"}\n{"id": "c" oops}\n'
             '{"id": "a"}\n{"id": "d"}\n')
        with tempfile.TemporaryDirectory() as tmp:
            src = pathlib.Path(tmp, "in.jsonl")
            src.write_text(t)
            rj = pathlib.Path(tmp, "rejects.jsonl")
            ds, rep = pio.read(src, mode="collect", report=True, rejects=rj)
            self.assertEqual(ids(ds), ["a", "d"])
            self.assertEqual((rep.read, rep.accepted, rep.rejected), (5, 2, 3))
            self.assertEqual([r.code_name for r in rep.rejects],
                             ["POV_ETYPE", "POV_ESYNTAX", "POV_EDUPLICATE"])
            self.assertEqual([(r.line, r.column) for r in rep.rejects], [(2, 21), (3, 12), (4, 8)])
            self.assertEqual(rep.rejects[0].text, '{"id": "b", "year": "x"}')
            self.assertEqual(rep.rejects[2].path, "[3].id")
            lines = [json.loads(x) for x in rj.read_text().splitlines()]
            self.assertEqual([x["code"] for x in lines],
                             ["POV_ETYPE", "POV_ESYNTAX", "POV_EDUPLICATE"])
            self.assertEqual(lines[0]["path"], "[1].year")
            self.assertTrue(lines[0]["source"].endswith("in.jsonl"))
            # the report can be written again elsewhere
            again = pathlib.Path(tmp, "again.jsonl")
            rep.write(again)
            self.assertEqual(again.read_text(), rj.read_text())
            close(ds)

    def test_max_rejects_keeps_report_on_exception(self):
        t = b'{"id": 1}\n{"id": 2}\n{"id": 3}\n'
        with self.assertRaises(errors.LimitError) as cm:
            pio.read_bytes(t, "jsonl", mode="collect", max_rejects=2)
        self.assertEqual(cm.exception.line, 3)
        self.assertEqual(cm.exception.report.rejected, 3)

    def test_bad_arguments(self):
        with self.assertRaises(ValueError):
            pio.read_bytes(b"", "xml")
        with self.assertRaises(ValueError):
            pio.read_bytes(b"", "jsonl", mode="lenient")
        with self.assertRaises(errors.InvalidArgumentError):
            pio.read_bytes(b"", "auto")
        with self.assertRaises(errors.PovIOError) as cm:
            pio.read("/nonexistent/x.jsonl")
        self.assertEqual(cm.exception.source, "/nonexistent/x.jsonl")
        with self.assertRaises(errors.FormatError):
            pio.read("x.txt")
        with self.assertRaises(TypeError):
            pio.read_bytes(12, "jsonl")
        with self.assertRaises(TypeError):
            pio.read_bytes(b"", "jsonl", schema="core")

    def test_format_from_path(self):
        self.assertEqual(pio.format_from_path("a/b.ndjson"), "jsonl")
        self.assertEqual(pio.format_from_path("B.CSV"), "csv")
        self.assertEqual(pio.format_from_path("x.json"), "json")
        with self.assertRaises(errors.FormatError):
            pio.format_from_path("x.parquet")

    def test_sample_data(self):
        root = pathlib.Path(os.environ.get("POV_SOURCE_ROOT",
                                           pathlib.Path(__file__).resolve().parents[2]))
        data = root / "examples" / "data"
        a = pio.read(data / "sample.jsonl")
        b = pio.read(data / "households.csv", members=data / "members.csv")
        self.assertEqual(count(a), 300)
        self.assertEqual(ids(a), ids(b))
        villages = {i.split("-")[0] for i in ids(a)}
        self.assertEqual(len(villages), 3)
        self.assertEqual(_members(pio._handle(a, "dataset")),
                         _members(pio._handle(b, "dataset")))
        close(a)
        close(b)


class StreamTest(unittest.TestCase):
    def test_batches_and_report(self):
        t = "".join(f'{{"id": "h{i}", "year": {2000 + i}}}\n' for i in range(25))
        with pio.Reader(data=t, format="jsonl", batch_size=10) as r:
            sizes = []
            for b in r:
                sizes.append(count(b))
                close(b)
            self.assertEqual(sizes, [10, 10, 5])
            self.assertEqual(r.report.accepted, 25)
        with self.assertRaises(ValueError):
            next(r)

    def test_duplicates_across_batches(self):
        t = b'{"id": "a"}\n{"id": "b"}\n{"id": "a"}\n'
        with self.assertRaises(errors.DuplicateError) as cm:
            for b in pio.Reader(data=t, format="jsonl", batch_size=1):
                close(b)
        self.assertEqual((cm.exception.line, cm.exception.path), (3, "[2].id"))
        n = 0
        for b in pio.Reader(data=t, format="jsonl", batch_size=1, check_duplicates=False):
            n += count(b)
            close(b)
        self.assertEqual(n, 3)


RICH = (
    '{"id": "450101-001", "village_code": "450101001", "year": 2020, '
    '"registry_status": "poor", "income_wage": 12000.5, "production_costs": 1200.25, '
    '"housing_structure": "brick_wood", "housing_safety": "B", "safe_water": true, '
    '"note": "a, \\"quoted\\"\\nline", "n": "123", "weird": {"k": [1, 2, {"x": null}]}, '
    '"income_history": {"2018": 2500.5, "2019": 3100}, '
    '"programs": [{"id": "dibao", "year": 2019}], '
    '"members": [{"relation": "head", "age": 52, "sex": "male", "shoe": 42}, '
    '{"relation": "spouse", "age": 49, "health": "chronic_illness"}]}\n'
    '{"id": "450101-002", "year": 2020, "household_size": 3, "debt": 0.1}\n'
    '{"id": "450101-003", "members": [{"age": 0}], "text": "\\u4e2d\\u6587, \\u6751"}\n')


class WriteTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = pathlib.Path(self.tmp.name)

    def tearDown(self):
        self.tmp.cleanup()

    def roundtrip(self, fmt):
        ds = pio.read_bytes(RICH, "jsonl")
        ref = self.dir / "ref.jsonl"
        pio.write(ds, ref, sync=False)
        out = self.dir / f"out.{fmt}"
        members = self.dir / "members.csv" if fmt == "csv" else None
        pio.write(ds, out, members=members, sync=False)
        back = pio.read(out, members=members)
        again = self.dir / "again.jsonl"
        pio.write(back, again)
        self.assertEqual(again.read_bytes(), ref.read_bytes(), fmt)
        close(ds)
        close(back)

    def test_roundtrip_jsonl(self):
        self.roundtrip("jsonl")

    def test_roundtrip_json(self):
        self.roundtrip("json")

    def test_roundtrip_csv(self):
        self.roundtrip("csv")

    def test_writer_commit_and_abort(self):
        ds = pio.read_bytes('{"id": "a"}\n', "jsonl")
        target = self.dir / "w.jsonl"
        with pio.Writer(target) as w:
            w.write(ds)
            w.write(ds)  # same ids twice: a writer does not check ids
            self.assertFalse(target.exists())
        self.assertEqual(target.read_text(), '{"id":"a"}\n{"id":"a"}\n')
        target.write_text("keep\n")
        with self.assertRaises(RuntimeError):
            with pio.Writer(target) as w:
                w.write(ds)
                raise RuntimeError("boom")
        self.assertEqual(target.read_text(), "keep\n")
        self.assertEqual([p.name for p in self.dir.iterdir()], ["w.jsonl"])
        with self.assertRaises(ValueError):
            w.write(ds)
        close(ds)

    def test_failed_write_leaves_file(self):
        ds = pio.read_bytes('{"id": "a", "members": [{"age": 3}]}\n', "jsonl")
        target = self.dir / "t.csv"
        target.write_text("old\n")
        with self.assertRaises(errors.InvalidArgumentError):
            pio.write(ds, target)  # members but no members file
        self.assertEqual(target.read_text(), "old\n")
        with self.assertRaises(errors.PovIOError):
            pio.write(ds, self.dir / "no" / "such" / "dir.jsonl")
        with self.assertRaises(errors.StateError):
            w = pio.Writer(self.dir / "x.csv")
            w.commit()
            w.commit()
        close(ds)


class PackageTest(unittest.TestCase):
    def test_exported(self):
        self.assertIs(povmetrics.io, pio)
        for name in pio.__all__:
            self.assertTrue(hasattr(pio, name), name)


if __name__ == "__main__":
    unittest.main()
