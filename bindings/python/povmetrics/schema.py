"""Indicator schemas: what can be recorded about a household and its members.

>>> from povmetrics import Schema
>>> core = Schema.core()
>>> core["age"].max
130.0
>>> ext = Schema.load("my_indicators.json")      # "format": "povmetrics.schema/1"
>>> ext.index("fish_pond_mu") >= core.core_count
True

Every schema starts with the core indicators at the same indices; a loaded
schema appends its own. See docs/indicators.md and docs/data-model.md.
"""
import ctypes
import os
from collections import namedtuple

from . import _ffi

__all__ = ["Schema", "Indicator", "Code", "LEVELS", "TYPES"]

LEVELS = ("household", "member")
TYPES = ("number", "integer", "boolean", "category", "text")

_vp = ctypes.c_void_p
_sz = ctypes.c_size_t
_cs = ctypes.c_char_p
_pp = ctypes.POINTER(ctypes.c_void_p)

_f = _ffi.bind({
    "pov_schema_core": (_vp, []),
    "pov_schema_load_file": ("status", [_cs, _pp]),
    "pov_schema_load_string": ("status", [_cs, _sz, _cs, _pp]),
    "pov_schema_free": (None, [_vp]),
    "pov_schema_name": (_cs, [_vp]),
    "pov_schema_count": (_sz, [_vp]),
    "pov_schema_core_count": (_sz, []),
    "pov_schema_find": ("status", [_vp, _cs, ctypes.POINTER(_sz)]),
    "pov_schema_id": (_cs, [_vp, _sz]),
    "pov_schema_label_zh": (_cs, [_vp, _sz]),
    "pov_schema_label_en": (_cs, [_vp, _sz]),
    "pov_schema_unit": (_cs, [_vp, _sz]),
    "pov_schema_description": (_cs, [_vp, _sz]),
    "pov_schema_source": (_cs, [_vp, _sz]),
    "pov_schema_level": ("status", [_vp, _sz]),
    "pov_schema_type": ("status", [_vp, _sz]),
    "pov_schema_required": ("status", [_vp, _sz]),
    "pov_schema_derived": ("status", [_vp, _sz]),
    "pov_schema_range": ("status", [_vp, _sz, ctypes.POINTER(ctypes.c_double),
                                    ctypes.POINTER(ctypes.c_double)]),
    "pov_schema_code_count": (_sz, [_vp, _sz]),
    "pov_schema_code": (_cs, [_vp, _sz, _sz]),
    "pov_schema_code_label_zh": (_cs, [_vp, _sz, _sz]),
    "pov_schema_code_label_en": (_cs, [_vp, _sz, _sz]),
    "pov_schema_find_code": ("status", [_vp, _sz, _cs, ctypes.POINTER(_sz)]),
    "pov_schema_to_json": ("status", [_vp, ctypes.POINTER(ctypes.c_void_p)]),
})

Code = namedtuple("Code", "code label_zh label_en")
Code.__doc__ = "One category code with its Chinese and English labels."

Indicator = namedtuple("Indicator", "index id label_zh label_en level type unit min max codes "
                                    "required derived description source")
Indicator.__doc__ = """One indicator of a schema.

``level`` is ``"household"`` or ``"member"``; ``type`` one of :data:`TYPES`;
``min``/``max`` the inclusive valid range (``-inf``/``inf`` when open or for
non-numeric types); ``codes`` a tuple of :class:`Code` for categories.
"""


class Schema(_ffi.Owned):
    """An immutable indicator schema (the core schema or a loaded extension)."""

    _kind = "schema"
    _core = None

    def __init__(self, *_args, **_kw):
        raise TypeError("use Schema.core(), Schema.load(path) or Schema.loads(text)")

    @classmethod
    def _wrap(cls, ptr, owned, owner=None):
        self = object.__new__(cls)
        self._own(ptr, _f["pov_schema_free"] if owned else None)
        self._owner = owner  # keeps a borrowing parent alive
        self._cache = None
        return self

    @classmethod
    def core(cls):
        """The built-in core schema (shared; closing it is a no-op)."""
        if cls._core is None:
            cls._core = cls._wrap(_f["pov_schema_core"](), owned=False)
        return cls._core

    @classmethod
    def _from_ptr(cls, ptr, owner=None):
        """A non-owning wrapper of a schema pointer kept alive by ``owner``."""
        core = cls.core()
        if ptr == core._ptr:
            return core
        return cls._wrap(ptr, owned=False, owner=owner)

    @classmethod
    def load(cls, path):
        """Loads a ``povmetrics.schema/1`` document from a file."""
        out = _vp()
        _f["pov_schema_load_file"](_ffi.c_str(os.fspath(path), "path"), ctypes.byref(out))
        return cls._wrap(out.value, owned=True)

    @classmethod
    def loads(cls, text, source_name=None):
        """Loads a ``povmetrics.schema/1`` document from a str or bytes."""
        data = text.encode("utf-8") if isinstance(text, str) else bytes(text)
        out = _vp()
        _f["pov_schema_load_string"](data, len(data), _ffi.c_str(source_name, "source_name"),
                                     ctypes.byref(out))
        return cls._wrap(out.value, owned=True)

    # -- life cycle ---------------------------------------------------------
    def close(self):
        """Releases this reference (households and datasets keep their own);
        a no-op on the shared core schema."""
        if self is not Schema._core:
            super().close()

    @property
    def _as_parameter_(self):
        owner = self._owner
        if owner is not None and not getattr(owner, "_ptr", None):
            # a borrowed schema lives as long as the C object that lends it
            raise ValueError(f"the {type(owner).__name__.lower()} that owns this schema is closed")
        return self._live()

    # -- contents -----------------------------------------------------------
    @property
    def name(self):
        return _ffi.py_str(_f["pov_schema_name"](self._as_parameter_))

    @property
    def core_count(self):
        """Number of core indicators at the start of every schema."""
        return _f["pov_schema_core_count"]()

    def __len__(self):
        return _f["pov_schema_count"](self._as_parameter_)

    def index(self, indicator_id):
        """Index of an indicator id; raises :class:`~povmetrics.errors.NotFoundError`."""
        out = _sz()
        _f["pov_schema_find"](self._as_parameter_, _ffi.c_str(indicator_id, "id"),
                              ctypes.byref(out))
        return out.value

    def __contains__(self, indicator_id):
        if not isinstance(indicator_id, str):
            return False
        return indicator_id in self._lookup()

    def _lookup(self):
        """{id: Indicator}, built once (the schema is immutable)."""
        if self._cache is None:
            inds = [self._indicator(i) for i in range(len(self))]
            self._cache = {ind.id: ind for ind in inds}
            self._list = inds
        return self._cache

    def _indicator(self, i):
        p = self._as_parameter_
        s = _ffi.py_str
        lo, hi = ctypes.c_double(), ctypes.c_double()
        _f["pov_schema_range"](p, i, ctypes.byref(lo), ctypes.byref(hi))
        codes = tuple(Code(s(_f["pov_schema_code"](p, i, k)),
                           s(_f["pov_schema_code_label_zh"](p, i, k)),
                           s(_f["pov_schema_code_label_en"](p, i, k)))
                      for k in range(_f["pov_schema_code_count"](p, i)))
        return Indicator(
            index=i, id=s(_f["pov_schema_id"](p, i)),
            label_zh=s(_f["pov_schema_label_zh"](p, i)),
            label_en=s(_f["pov_schema_label_en"](p, i)),
            level=LEVELS[_f["pov_schema_level"](p, i)],
            type=TYPES[_f["pov_schema_type"](p, i)],
            unit=s(_f["pov_schema_unit"](p, i)), min=lo.value, max=hi.value, codes=codes,
            required=bool(_f["pov_schema_required"](p, i)),
            derived=bool(_f["pov_schema_derived"](p, i)),
            description=s(_f["pov_schema_description"](p, i)),
            source=s(_f["pov_schema_source"](p, i)))

    @property
    def indicators(self):
        """All indicators, in schema order (a list of :class:`Indicator`)."""
        self._lookup()
        return list(self._list)

    def __iter__(self):
        return iter(self.indicators)

    def __getitem__(self, key):
        """``schema["age"]`` or ``schema[12]``: the :class:`Indicator`."""
        if isinstance(key, str):
            ind = self._lookup().get(key)
            if ind is None:
                self.index(key)  # raises NotFoundError with the C message
            return ind
        self._lookup()
        return self._list[key]

    def code_index(self, indicator_id, code):
        """Index of a category code; raises UnknownCodeError / TypeMismatchError."""
        out = _sz()
        _f["pov_schema_find_code"](self._as_parameter_, self.index(indicator_id),
                                   _ffi.c_str(code, "code"), ctypes.byref(out))
        return out.value

    def to_json(self):
        """The schema as a JSON document (all indicators, with core/derived flags)."""
        out = ctypes.c_void_p()
        _f["pov_schema_to_json"](self._as_parameter_, ctypes.byref(out))
        try:
            return ctypes.string_at(out.value).decode("utf-8")
        finally:
            _ffi.lib.pov_free(out.value)

    def __repr__(self):
        if not self._ptr:
            return "<Schema closed>"
        return f"<Schema {self.name!r}: {len(self)} indicators>"
