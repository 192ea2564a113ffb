"""Datasets: many households stored column-wise.

>>> from povmetrics import Dataset, Household
>>> ds = Dataset()
>>> ds.append(Household(id="a", income_wage=3000, household_size=2))
>>> ds.column("per_capita_net_income")          # numpy array if numpy is installed
array([1500.])

Columns are zero-copy, read-only views of the library's arrays: float64 for
number/integer/boolean indicators (NaN = missing), int32 for categories (code
index, -1 = missing, see :meth:`Schema.__getitem__`'s ``codes``) and text
(string index, -1 = missing, see :meth:`Dataset.string`). A view keeps the
dataset alive; while any view exists, :meth:`Dataset.append`,
:meth:`Dataset.derive` and :meth:`Dataset.close` raise
:class:`~povmetrics.errors.StateError` (they may move or free the arrays).
"""
import ctypes
import weakref

from . import _ffi, errors
from .household import Household, _DeriveOptions, derive_options
from .schema import Schema

__all__ = ["Dataset"]

_vp = ctypes.c_void_p
_sz = ctypes.c_size_t
_cs = ctypes.c_char_p
_pp = ctypes.POINTER(ctypes.c_void_p)

_f = _ffi.bind({
    "pov_dataset_new": ("status", [_vp, _pp]),
    "pov_dataset_free": (None, [_vp]),
    "pov_dataset_schema": (_vp, [_vp]),
    "pov_dataset_append": ("status", [_vp, _vp]),
    "pov_dataset_count": (_sz, [_vp]),
    "pov_dataset_member_count": (_sz, [_vp]),
    "pov_dataset_household": ("status", [_vp, _sz, _pp]),
    "pov_dataset_find": ("status", [_vp, _cs, ctypes.POINTER(_sz)]),
    "pov_dataset_id": (_cs, [_vp, _sz]),
    "pov_dataset_column_number": (_vp, [_vp, _sz]),
    "pov_dataset_column_category": (_vp, [_vp, _sz]),
    "pov_dataset_member_offsets": (_vp, [_vp]),
    "pov_dataset_string": (_cs, [_vp, ctypes.c_int32]),
    "pov_dataset_get_text": ("status", [_vp, _sz, _sz, ctypes.POINTER(_cs)]),
    "pov_dataset_derive": ("status", [_vp, ctypes.POINTER(_DeriveOptions)]),
})

try:  # numpy is optional
    import numpy as _np
except ImportError:  # pragma: no cover - the tests run with numpy
    _np = None


class Dataset:
    """A columnar set of households (context manager; ``close()`` frees it)."""

    def __init__(self, schema=None):
        self._schema = Schema.core() if schema is None else schema
        out = _vp()
        _f["pov_dataset_new"](self._schema._as_parameter_, ctypes.byref(out))
        self._init(out.value)

    def _init(self, ptr):
        self._ptr = ptr
        self._views = []  # weak references to the exported ctypes arrays
        self._fin = weakref.finalize(self, _f["pov_dataset_free"], ptr)

    @classmethod
    def _from_handle(cls, ptr, schema=None):
        """Takes ownership of a ``pov_dataset *`` (used by the readers)."""
        self = object.__new__(cls)
        self._init(ptr)
        if schema is None:
            schema = Schema._from_ptr(_f["pov_dataset_schema"](ptr), owner=self)
        self._schema = schema
        return self

    # -- life cycle ---------------------------------------------------------
    def _check_no_views(self, what):
        if any(r() is not None for r in self._views):
            raise errors.StateError(
                f"cannot {what} while column views of this dataset exist "
                "(delete them or copy them first)", code=errors.StateError.code)

    def close(self):
        """Closes the dataset: no further calls are allowed on it.

        The C handle is freed at once, or, while column views of it still
        exist, when the last of them is garbage-collected (each view keeps
        the dataset alive), so a view taken inside a ``with`` block stays
        valid after the block.
        """
        if self._ptr and not any(r() is not None for r in self._views):
            self._fin()
        self._ptr = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    @property
    def closed(self):
        return not self._ptr

    @property
    def _as_parameter_(self):
        if not self._ptr:
            raise ValueError("the dataset is closed")
        return self._ptr

    @property
    def schema(self):
        return self._schema

    # -- households ---------------------------------------------------------
    def append(self, household):
        """Appends a copy of ``household`` (DuplicateError for a repeated id)."""
        self._check_no_views("append")
        _f["pov_dataset_append"](self._as_parameter_, household._as_parameter_)

    def extend(self, households):
        for h in households:
            self.append(h)

    def __len__(self):
        return _f["pov_dataset_count"](self._as_parameter_)

    @property
    def member_count(self):
        return _f["pov_dataset_member_count"](self._as_parameter_)

    def __getitem__(self, index):
        """A :class:`Household` copy of household ``index`` (negative indices count
        from the end)."""
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        n = len(self)
        if index < 0:
            index += n
        if not 0 <= index < n:
            raise IndexError(f"household {index} out of range ({n} households)")
        out = _vp()
        _f["pov_dataset_household"](self._as_parameter_, index, ctypes.byref(out))
        return Household._from_handle(out.value, self._schema)

    def __iter__(self):
        for i in range(len(self)):
            yield self[i]

    def find(self, household_id):
        """Index of the household with this id (NotFoundError if none)."""
        out = _sz()
        _f["pov_dataset_find"](self._as_parameter_, _ffi.c_str(household_id, "id"),
                               ctypes.byref(out))
        return out.value

    def __contains__(self, household_id):
        try:
            self.find(household_id)
            return True
        except errors.NotFoundError:
            return False

    def id(self, index):
        return _ffi.py_str(_f["pov_dataset_id"](self._as_parameter_, index)) or None

    @property
    def ids(self):
        p = self._as_parameter_
        return [_ffi.py_str(_f["pov_dataset_id"](p, i)) for i in range(len(self))]

    def derive(self, **options):
        """Recomputes every derived column; options as :func:`derive_options`."""
        self._check_no_views("recompute derived values")
        o = derive_options(**options)
        _f["pov_dataset_derive"](self._as_parameter_, ctypes.byref(o))

    # -- columns ------------------------------------------------------------
    def _view(self, addr, ctype, n, numpy):
        if n == 0 or not addr:
            arr = (ctype * 0)()
        else:
            arr = (ctype * n).from_address(addr)
        arr._owner = self  # the view keeps the dataset alive
        self._views = [r for r in self._views if r() is not None]
        self._views.append(weakref.ref(arr))
        # native single-character formats ("d", "i", "N") so that tolist() and
        # iteration work (ctypes exports "<d", which memoryview cannot unpack)
        fmt = {ctypes.c_double: "d", ctypes.c_int32: "i", ctypes.c_size_t: "N"}[ctype]
        mv = memoryview(arr).cast("B").cast(fmt).toreadonly()
        if numpy is None:
            numpy = _np is not None
        if numpy:
            if _np is None:
                raise ImportError("numpy is not installed")
            return _np.frombuffer(mv, dtype=_np.float64 if ctype is ctypes.c_double
                                  else (_np.int32 if ctype is ctypes.c_int32 else _np.uintp))
        return mv

    def column(self, indicator, numpy=None):
        """Zero-copy read-only column of an indicator id (or index).

        Household-level indicators give ``len(self)`` values, member-level ones
        ``member_count`` values (rows ordered by household, see
        :meth:`member_offsets`). Returns a numpy array when numpy is
        installed (``numpy=False`` forces a memoryview).
        """
        ind = self._schema[indicator]
        p = self._as_parameter_
        n = len(self) if ind.level == "household" else self.member_count
        if ind.type in ("number", "integer", "boolean"):
            addr = _f["pov_dataset_column_number"](p, ind.index)
            return self._view(addr, ctypes.c_double, n, numpy)
        addr = _f["pov_dataset_column_category"](p, ind.index)
        return self._view(addr, ctypes.c_int32, n, numpy)

    def member_offsets(self, numpy=None):
        """``len(self) + 1`` offsets: household i has member rows
        ``offsets[i]:offsets[i+1]`` (zero-copy, like :meth:`column`)."""
        addr = _f["pov_dataset_member_offsets"](self._as_parameter_)
        return self._view(addr, ctypes.c_size_t, len(self) + 1, numpy)

    def string(self, index):
        """String ``index`` of a text column (None for -1)."""
        if index < 0:
            return None
        s = _f["pov_dataset_string"](self._as_parameter_, int(index))
        if s is None:
            raise IndexError(f"no string {index}")
        return s.decode("utf-8")

    def text(self, row, indicator):
        """Text value at ``row`` (household index, or member row for member-level
        indicators), or None."""
        out = _cs()
        present = _f["pov_dataset_get_text"](self._as_parameter_, row,
                                             self._schema[indicator].index, ctypes.byref(out))
        return _ffi.py_str(out.value) if present else None

    def codes(self, indicator):
        """Category codes of an indicator, indexable by the column's values."""
        return [c.code for c in self._schema[indicator].codes]

    def __repr__(self):
        if not self._ptr:
            return "<Dataset closed>"
        return f"<Dataset: {len(self)} households, {self.member_count} members>"
