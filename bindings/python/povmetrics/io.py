"""Reading and writing household files: JSON arrays, JSON Lines and CSV.

>>> import povmetrics.io as pio
>>> ds = pio.read("households.jsonl")                        # strict: first error raises
>>> ds, rep = pio.read("households.csv", members="members.csv",
...                    mode="collect", report=True)           # bad records set aside
>>> for batch in pio.iter_batches("big.jsonl", batch_size=10000):
...     ...                                                   # bounded memory
>>> pio.write(ds, "out.jsonl")                                # atomic: temp file + rename

Errors raise the :mod:`povmetrics.errors` class of their code, carrying
``source``, ``line``, ``column``, ``offset`` and ``path`` (e.g.
``[12].members[3].age``). See docs/data-formats.md and docs/errors.md.
"""
import ctypes
from collections import namedtuple

from . import _ffi
from ._ffi import c_str, py_str

__all__ = ["read", "read_bytes", "read_csv_bytes", "iter_batches", "write", "Reader", "Writer",
           "ReadReport", "Reject", "format_from_path", "FORMATS", "MODES"]

FORMATS = {None: 0, "auto": 0, "json": 1, "jsonl": 2, "ndjson": 2, "csv": 3}
MODES = {"strict": 0, "collect": 1}

_CODE_NAMES = {
    0: "POV_OK", -1: "POV_ERROR", -2: "POV_ENOMEM", -3: "POV_EINVAL", -4: "POV_EIO",
    -5: "POV_ENOTFOUND", -6: "POV_ESYNTAX", -7: "POV_ETYPE", -8: "POV_ERANGE",
    -9: "POV_ENONFINITE", -10: "POV_ECODE", -11: "POV_EMISSING", -12: "POV_EDUPLICATE",
    -13: "POV_EORPHAN", -14: "POV_ELIMIT", -15: "POV_ETRUNCATED", -16: "POV_EFORMAT",
    -17: "POV_EUNKNOWN", -18: "POV_EDOMAIN", -19: "POV_EEMPTY", -20: "POV_ESTATE",
    -21: "POV_ERULE", -22: "POV_ESINGULAR",
}


class _ReadOptions(ctypes.Structure):
    _fields_ = [
        ("size", ctypes.c_size_t),
        ("mode", ctypes.c_int),
        ("batch_size", ctypes.c_size_t),
        ("max_line", ctypes.c_size_t),
        ("max_depth", ctypes.c_size_t),
        ("max_rejects", ctypes.c_size_t),
        ("check_duplicates", ctypes.c_int),
        ("rejects_path", ctypes.c_char_p),
        ("members_path", ctypes.c_char_p),
    ]


class _WriteOptions(ctypes.Structure):
    _fields_ = [
        ("size", ctypes.c_size_t),
        ("members_path", ctypes.c_char_p),
        ("sync", ctypes.c_int),
    ]


_vp = ctypes.c_void_p
_pp = ctypes.POINTER(ctypes.c_void_p)
_ropt = ctypes.POINTER(_ReadOptions)
_wopt = ctypes.POINTER(_WriteOptions)
_sz = ctypes.c_size_t
_cs = ctypes.c_char_p

_f = _ffi.bind({
    "pov_read_options_init": ("status", [_ropt]),
    "pov_write_options_init": ("status", [_wopt]),
    "pov_format_from_path": ("status", [_cs]),
    "pov_read_report_read": (_sz, [_vp]),
    "pov_read_report_accepted": (_sz, [_vp]),
    "pov_read_report_rejected": (_sz, [_vp]),
    "pov_read_report_reject_code": (ctypes.c_int, [_vp, _sz]),
    "pov_read_report_reject_line": (_sz, [_vp, _sz]),
    "pov_read_report_reject_column": (_sz, [_vp, _sz]),
    "pov_read_report_reject_source": (_cs, [_vp, _sz]),
    "pov_read_report_reject_message": (_cs, [_vp, _sz]),
    "pov_read_report_reject_path": (_cs, [_vp, _sz]),
    "pov_read_report_reject_text": (_cs, [_vp, _sz]),
    "pov_read_report_write": ("status", [_vp, _cs]),
    "pov_read_report_free": (None, [_vp]),
    "pov_dataset_read_file": ("status", [_vp, _cs, ctypes.c_int, _ropt, _pp, _pp]),
    "pov_dataset_read_buffer": ("status", [_vp, _cs, _sz, _cs, ctypes.c_int, _ropt, _pp, _pp]),
    "pov_dataset_read_csv_buffers": ("status", [_vp, _cs, _sz, _cs, _cs, _sz, _cs, _ropt, _pp,
                                                _pp]),
    "pov_reader_open": ("status", [_vp, _cs, ctypes.c_int, _ropt, _pp]),
    "pov_reader_open_buffer": ("status", [_vp, _cs, _sz, _cs, ctypes.c_int, _ropt, _pp]),
    "pov_reader_next": ("status", [_vp, _pp]),
    "pov_reader_report": (_vp, [_vp]),
    "pov_reader_free": (None, [_vp]),
    "pov_dataset_write_file": ("status", [_vp, _cs, ctypes.c_int, _wopt]),
    "pov_writer_open": ("status", [_cs, ctypes.c_int, _wopt, _pp]),
    "pov_writer_write": ("status", [_vp, _vp]),
    "pov_writer_commit": ("status", [_vp]),
    "pov_writer_free": (None, [_vp]),
})
_core_schema = _ffi.lib.pov_schema_core
_core_schema.restype = _vp
_core_schema.argtypes = []
_dataset_free = _ffi.lib.pov_dataset_free
_dataset_free.restype = None
_dataset_free.argtypes = [_vp]


# ---- glue to the data-model classes --------------------------------------------

def _handle(obj, what):
    """The C pointer behind a binding object (schema, dataset) or a raw pointer."""
    if obj is None:
        return None
    if isinstance(obj, int):
        return obj
    if isinstance(obj, ctypes.c_void_p):
        return obj.value
    if isinstance(obj, _ffi.Owned) and not obj._argument:
        raise TypeError(f"{what} must be a povmetrics {what} object, not {type(obj).__name__}")
    for attr in ("_as_parameter_", "_ptr", "_handle", "handle"):
        h = getattr(obj, attr, None)
        if h is not None:
            if isinstance(h, ctypes.c_void_p):
                h = h.value
            if h:
                return h
            raise ValueError(f"{what} is closed")
    raise TypeError(f"{what} must be a povmetrics {what} object, not {type(obj).__name__}")


def _schema_ptr(schema):
    return _core_schema() if schema is None else _handle(schema, "schema")


def _wrap_dataset(ptr):
    """Turns an owned ``pov_dataset *`` into a :class:`povmetrics.Dataset`."""
    try:
        from .dataset import Dataset
    except ImportError:  # the data-model binding is not available: keep a raw handle
        return _RawDataset(ptr)
    for name in ("_from_handle", "_from_ptr", "_wrap", "from_handle"):
        make = getattr(Dataset, name, None)
        if make is not None:
            return make(ptr)
    return _RawDataset(ptr)


class _RawDataset(_ffi.Owned):
    """Minimal owner of a dataset handle (used only without the Dataset class).

    Closed, it passes NULL on (``len()`` is then 0), as it always has.
    """

    def __init__(self, ptr):
        self._own(ptr, _dataset_free)

    @property
    def _as_parameter_(self):
        return self._ptr

    def __len__(self):
        fn = _ffi.lib.pov_dataset_count
        fn.restype, fn.argtypes = _sz, [_vp]
        return fn(self._ptr)


def _take_dataset(pp):
    ptr = pp.value
    if not ptr:
        return None
    try:
        return _wrap_dataset(ptr)
    except BaseException:
        _dataset_free(ptr)
        raise


# ---- options -----------------------------------------------------------------------

def _fmt(format, path=None):
    if isinstance(format, int):
        return format
    key = format.lower() if isinstance(format, str) else format
    if key not in FORMATS:
        raise ValueError(f"unknown format {format!r}; use one of json, jsonl, csv")
    return FORMATS[key]


def _read_options(mode="strict", batch_size=None, max_line=None, max_depth=None,
                  max_rejects=None, check_duplicates=True, rejects=None, members=None):
    o = _ReadOptions()
    _f["pov_read_options_init"](ctypes.byref(o))
    if mode not in MODES:
        raise ValueError(f"mode must be 'strict' or 'collect', not {mode!r}")
    o.mode = MODES[mode]
    for name, value in (("batch_size", batch_size), ("max_line", max_line),
                        ("max_depth", max_depth), ("max_rejects", max_rejects)):
        if value is not None:
            if not isinstance(value, int) or value < 0:
                raise ValueError(f"{name} must be a non-negative int")
            setattr(o, name, value)
    o.check_duplicates = 1 if check_duplicates else 0
    keep = []
    if rejects is not None:
        keep.append(c_str(rejects, "rejects"))
        o.rejects_path = keep[-1]
    if members is not None:
        keep.append(c_str(members, "members"))
        o.members_path = keep[-1]
    return o, keep


def format_from_path(path):
    """The format name guessed from a file name ('json', 'jsonl' or 'csv')."""
    code = _f["pov_format_from_path"](c_str(path, "path"))
    return {1: "json", 2: "jsonl", 3: "csv"}[code]


# ---- reports ---------------------------------------------------------------------------

Reject = namedtuple("Reject", "source line column code code_name message path text")
Reject.__doc__ = "A record set aside by a collecting read (line/column 1-based, 0 = unknown)."


class ReadReport:
    """Counts of a read and the rejected records (copied into Python objects).

    :meth:`write` writes the rejects as JSON Lines (atomically).
    """

    __slots__ = ("read", "accepted", "rejected", "rejects", "_ptr", "_owner", "_fin",
                 "__weakref__")

    def __init__(self, ptr, owner=None):
        """``ptr``: a C report; owned (freed with this object) unless ``owner``
        (the reader it belongs to) is given."""
        self._ptr = ptr
        self._owner = owner
        import weakref
        self._fin = (weakref.finalize(self, _f["pov_read_report_free"], ptr)
                     if owner is None else None)
        self.read = _f["pov_read_report_read"](ptr)
        self.accepted = _f["pov_read_report_accepted"](ptr)
        self.rejected = _f["pov_read_report_rejected"](ptr)
        rj = []
        for i in range(self.rejected):
            code = _f["pov_read_report_reject_code"](ptr, i)
            rj.append(Reject(
                py_str(_f["pov_read_report_reject_source"](ptr, i)),
                _f["pov_read_report_reject_line"](ptr, i),
                _f["pov_read_report_reject_column"](ptr, i),
                code, _CODE_NAMES.get(code, str(code)),
                py_str(_f["pov_read_report_reject_message"](ptr, i)),
                py_str(_f["pov_read_report_reject_path"](ptr, i)),
                py_str(_f["pov_read_report_reject_text"](ptr, i))))
        self.rejects = rj

    def write(self, path):
        """Writes the rejects to ``path`` as JSON Lines, atomically.

        A report of a :class:`Reader` needs the reader open (ValueError once
        it is closed: the C report is the reader's)."""
        if self._owner is not None:
            self._owner._live()
        _f["pov_read_report_write"](self._ptr, c_str(path, "path"))

    def __repr__(self):
        return (f"ReadReport(read={self.read}, accepted={self.accepted}, "
                f"rejected={self.rejected})")


def _finish_read(rc_call, want_report):
    out = ctypes.c_void_p()
    rep = ctypes.c_void_p()
    try:
        rc_call(ctypes.byref(out), ctypes.byref(rep))
    except _ffi.errors.PovError as exc:
        # the report of a failed read (what was set aside before the stop)
        exc.report = ReadReport(rep.value) if rep.value else None
        raise
    report = ReadReport(rep.value) if rep.value else None
    ds = _take_dataset(out)
    return (ds, report) if want_report else ds


# ---- reading ---------------------------------------------------------------------------

def read(path, schema=None, format=None, mode="strict", members=None, report=False,
         max_line=None, max_depth=None, max_rejects=None, rejects=None):
    """Reads a whole household file into a Dataset.

    ``format``: 'json', 'jsonl', 'csv' or None (by extension). ``mode``:
    'strict' (the first bad record raises, with its location) or 'collect'
    (bad records go to the report and, with ``rejects``, to a JSON Lines file).
    ``members``: the CSV members file. With ``report=True`` returns
    ``(dataset, ReadReport)``.
    """
    o, keep = _read_options(mode, None, max_line, max_depth, max_rejects, True, rejects, members)
    p = c_str(path, "path")
    return _finish_read(lambda out, rep: _f["pov_dataset_read_file"](
        _schema_ptr(schema), p, _fmt(format), ctypes.byref(o), out, rep), report)


def _bytes(data, name):
    if isinstance(data, str):
        return data.encode("utf-8")
    if isinstance(data, (bytes, bytearray, memoryview)):
        return bytes(data)
    raise TypeError(f"{name} must be bytes or str")


def read_bytes(data, format, schema=None, source="<buffer>", mode="strict", report=False,
               max_line=None, max_depth=None, max_rejects=None):
    """Reads households from ``data`` (bytes or str) in ``format`` ('json', 'jsonl', 'csv')."""
    b = _bytes(data, "data")
    o, keep = _read_options(mode, None, max_line, max_depth, max_rejects, True, None, None)
    return _finish_read(lambda out, rep: _f["pov_dataset_read_buffer"](
        _schema_ptr(schema), b, len(b), c_str(source), _fmt(format), ctypes.byref(o), out, rep),
        report)


def read_csv_bytes(households, members=None, schema=None, households_name="<households>",
                   members_name="<members>", mode="strict", report=False, max_line=None):
    """Reads a CSV household table and an optional CSV members table from memory."""
    hb = _bytes(households, "households")
    mb = None if members is None else _bytes(members, "members")
    o, keep = _read_options(mode, None, max_line, None, None, True, None, None)
    return _finish_read(lambda out, rep: _f["pov_dataset_read_csv_buffers"](
        _schema_ptr(schema), hb, len(hb), c_str(households_name), mb, len(mb) if mb else 0,
        c_str(members_name), ctypes.byref(o), out, rep), report)


class Reader(_ffi.Owned):
    """A streaming reader: iterate to get Datasets of at most ``batch_size`` households.

    Memory is bounded by the batch size, not the file size. ``report`` gives
    the running counts; use as a context manager or call :meth:`close`.
    """

    _kind = "reader"

    def __init__(self, path=None, schema=None, format=None, batch_size=8192, mode="strict",
                 members=None, max_line=None, max_depth=None, max_rejects=None,
                 check_duplicates=True, rejects=None, data=None, source="<buffer>"):
        o, self._keep = _read_options(mode, batch_size, max_line, max_depth, max_rejects,
                                      check_duplicates, rejects, members)
        self._opts = o
        ptr = ctypes.c_void_p()
        if data is not None:
            self._data = _bytes(data, "data")
            _f["pov_reader_open_buffer"](_schema_ptr(schema), self._data, len(self._data),
                                         c_str(source), _fmt(format), ctypes.byref(o),
                                         ctypes.byref(ptr))
        else:
            _f["pov_reader_open"](_schema_ptr(schema), c_str(path, "path"), _fmt(format),
                                  ctypes.byref(o), ctypes.byref(ptr))
        self._own(ptr.value, _f["pov_reader_free"])

    def __iter__(self):
        return self

    def __next__(self):
        out = ctypes.c_void_p()
        n = _f["pov_reader_next"](self._live(), ctypes.byref(out))
        if n == 0:
            raise StopIteration
        return _take_dataset(out)

    @property
    def report(self):
        """The counts and rejects so far (a copy)."""
        return ReadReport(_f["pov_reader_report"](self._live()), owner=self)


def iter_batches(path, schema=None, format=None, batch_size=8192, **kwargs):
    """Yields Datasets of at most ``batch_size`` households from ``path``."""
    with Reader(path, schema=schema, format=format, batch_size=batch_size, **kwargs) as r:
        yield from r


# ---- writing ---------------------------------------------------------------------------

def _write_options(members, sync):
    o = _WriteOptions()
    _f["pov_write_options_init"](ctypes.byref(o))
    keep = None
    if members is not None:
        keep = c_str(members, "members")
        o.members_path = keep
    o.sync = 1 if sync else 0
    return o, keep


def write(dataset, path, format=None, members=None, sync=True):
    """Writes a Dataset atomically (temp file, fsync, rename); CSV members go to ``members``."""
    o, keep = _write_options(members, sync)
    _f["pov_dataset_write_file"](_handle(dataset, "dataset"), c_str(path, "path"), _fmt(format),
                                 ctypes.byref(o))


class Writer(_ffi.Owned):
    """Incremental writer: ``write()`` batches, then ``commit()``.

    Nothing appears at ``path`` before the commit; :meth:`close` (or garbage
    collection) before it discards the file. As a context manager it
    commits on normal exit and discards everything when an exception escapes.
    """

    _kind = "writer"

    def __init__(self, path, format=None, members=None, sync=True):
        o, self._keep = _write_options(members, sync)
        ptr = ctypes.c_void_p()
        _f["pov_writer_open"](c_str(path, "path"), _fmt(format), ctypes.byref(o),
                              ctypes.byref(ptr))
        self._own(ptr.value, _f["pov_writer_free"])

    def write(self, dataset):
        _f["pov_writer_write"](self._live(), _handle(dataset, "dataset"))

    def commit(self):
        _f["pov_writer_commit"](self._live())

    def __exit__(self, exc_type, exc, tb):
        try:
            if exc_type is None:
                self.commit()
        finally:
            self.close()
