"""One household: indicator values, members, income history, programmes, JSON.

>>> from povmetrics import Household
>>> with Household(id="450123-001", floor_area=85.5, housing_safety="B") as h:
...     m = h.add_member(age=45, relation="head", labour_capacity="ordinary")
...     h["income_wage"] = 12000
...     h["per_capita_net_income"]
12000.0

Values are Python objects: ``float`` for numbers, ``int`` for integers,
``bool`` for booleans, ``str`` for category codes and text, ``None`` when
missing (assigning ``None`` marks a value missing). Bad values raise the
matching :mod:`povmetrics.errors` exception with the field path, e.g.
``RangeError`` with ``path == "members[0].age"`` for an age of 300.
"""
import ctypes
import weakref

from . import _ffi
from .schema import Schema

__all__ = ["Household", "Member", "derive_options", "INCOME_COMPONENTS", "INCOME_EXCLUSIONS"]

_vp = ctypes.c_void_p
_sz = ctypes.c_size_t
_cs = ctypes.c_char_p
_d = ctypes.c_double
_i = ctypes.c_int
_pp = ctypes.POINTER(ctypes.c_void_p)
_pd = ctypes.POINTER(ctypes.c_double)
_pi = ctypes.POINTER(ctypes.c_int)
_pcs = ctypes.POINTER(ctypes.c_char_p)

INCOME_COMPONENTS = {"wage": 0x01, "operating": 0x02, "property": 0x04, "transfer": 0x08,
                     "other": 0x10}
INCOME_EXCLUSIONS = {"basic_pension": 0x01, "dibao_c": 0x02, "temporary_relief": 0x04}

JSON_DERIVED = 0x01
JSON_PRETTY = 0x02


class _DeriveOptions(ctypes.Structure):
    # pov_derive_options. history_indicators sits where the struct had its tail
    # padding: a zeroed instance would read as "off", so always fill one with
    # pov_derive_options_init() (derive_options() does) before changing fields.
    _fields_ = [("size", ctypes.c_size_t), ("income_components", ctypes.c_uint),
                ("income_exclusions", ctypes.c_uint), ("subtract_production_costs", ctypes.c_int),
                ("labour_age_min", ctypes.c_int), ("labour_age_max", ctypes.c_int),
                ("school_age_min", ctypes.c_int), ("school_age_max", ctypes.c_int),
                ("history_indicators", ctypes.c_int)]


_f = _ffi.bind({
    "pov_household_new": ("status", [_vp, _pp]),
    "pov_household_free": (None, [_vp]),
    "pov_household_copy": ("status", [_vp, _pp]),
    "pov_household_schema": (_vp, [_vp]),
    "pov_household_set_id": ("status", [_vp, _cs]),
    "pov_household_id": (_cs, [_vp]),
    "pov_household_set_number": ("status", [_vp, _cs, _d]),
    "pov_household_set_boolean": ("status", [_vp, _cs, _i]),
    "pov_household_set_category": ("status", [_vp, _cs, _cs]),
    "pov_household_set_text": ("status", [_vp, _cs, _cs]),
    "pov_household_set_missing": ("status", [_vp, _cs]),
    "pov_household_get_number": ("status", [_vp, _cs, _pd]),
    "pov_household_get_boolean": ("status", [_vp, _cs, _pi]),
    "pov_household_get_category": ("status", [_vp, _cs, _pcs]),
    "pov_household_get_text": ("status", [_vp, _cs, _pcs]),
    "pov_household_member_count": (_sz, [_vp]),
    "pov_household_member_add": ("status", [_vp, ctypes.POINTER(_sz)]),
    "pov_household_member_remove": ("status", [_vp, _sz]),
    "pov_household_member_set_number": ("status", [_vp, _sz, _cs, _d]),
    "pov_household_member_set_boolean": ("status", [_vp, _sz, _cs, _i]),
    "pov_household_member_set_category": ("status", [_vp, _sz, _cs, _cs]),
    "pov_household_member_set_text": ("status", [_vp, _sz, _cs, _cs]),
    "pov_household_member_set_missing": ("status", [_vp, _sz, _cs]),
    "pov_household_member_get_number": ("status", [_vp, _sz, _cs, _pd]),
    "pov_household_member_get_boolean": ("status", [_vp, _sz, _cs, _pi]),
    "pov_household_member_get_category": ("status", [_vp, _sz, _cs, _pcs]),
    "pov_household_member_get_text": ("status", [_vp, _sz, _cs, _pcs]),
    "pov_household_history_add": ("status", [_vp, _i, _d]),
    "pov_household_history_count": (_sz, [_vp]),
    "pov_household_history_get": ("status", [_vp, _sz, _pi, _pd]),
    "pov_household_history_find": ("status", [_vp, _i, _pd]),
    "pov_household_history_gaps": (_sz, [_vp]),
    "pov_household_program_add": ("status", [_vp, _cs, _i]),
    "pov_household_program_count": (_sz, [_vp]),
    "pov_household_program_get": ("status", [_vp, _sz, _pcs, _pi]),
    "pov_household_derive": ("status", [_vp, ctypes.POINTER(_DeriveOptions)]),
    "pov_household_validate": ("status", [_vp]),
    "pov_household_from_json": ("status", [_vp, _cs, _sz, _cs, _pp]),
    "pov_household_to_json": ("status", [_vp, ctypes.c_uint, _pp]),
    "pov_derive_options_init": (None, [ctypes.POINTER(_DeriveOptions)]),
})


def derive_options(components=None, exclusions=None, subtract_production_costs=None,
                   labour_ages=None, school_ages=None, history_indicators=None):
    """Builds the C options for the derived indicators.

    Defaults are the national definition (docs/indicators.md): all five
    income components, all three excluded transfer items, minus production
    costs, working ages 16–64, compulsory-education ages 6–15, and the
    history-based indicators on.
    ``components``/``exclusions`` are iterables of the keys of
    :data:`INCOME_COMPONENTS` / :data:`INCOME_EXCLUSIONS`.
    ``history_indicators``: false switches off filling a missing
    ``income_last_year`` / ``assistance_measures`` from the income history /
    programme records (docs/data-model.md, "History-based indicators") and
    removes values filled before; None keeps the library default (on).
    """
    o = _DeriveOptions()
    # every field, history_indicators included, from the library's defaults
    _f["pov_derive_options_init"](ctypes.byref(o))

    def flags(names, table, what):
        v = 0
        for n in names:
            if n not in table:
                raise ValueError(f"unknown {what} {n!r} (one of {', '.join(table)})")
            v |= table[n]
        return v
    if components is not None:
        o.income_components = flags(components, INCOME_COMPONENTS, "income component")
    if exclusions is not None:
        o.income_exclusions = flags(exclusions, INCOME_EXCLUSIONS, "excluded item")
    if subtract_production_costs is not None:
        o.subtract_production_costs = 1 if subtract_production_costs else 0
    if labour_ages is not None:
        o.labour_age_min, o.labour_age_max = (int(a) for a in labour_ages)
    if school_ages is not None:
        o.school_age_min, o.school_age_max = (int(a) for a in school_ages)
    if history_indicators is not None:
        o.history_indicators = 1 if history_indicators else 0
    return o


def _convert(ind, value):
    """Python value -> (kind, C argument) for indicator ``ind``."""
    if ind.type in ("number", "integer"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            if hasattr(value, "__float__") and not isinstance(value, (str, bytes, bool)):
                return "number", float(value)  # numpy scalars, Decimal
            return "wrong", None
        return "number", float(value)
    if ind.type == "boolean":
        if isinstance(value, bool) or (hasattr(value, "__bool__") and type(value).__name__ == "bool_"):
            return "boolean", 1 if value else 0
        return "wrong", None
    if isinstance(value, str):
        return ("category" if ind.type == "category" else "text"), value
    return "wrong", None


class _Values:
    """Shared get/set logic for the household and a member (member=None)."""

    def _get(self, key, member):
        h = self._household
        ind = h._schema[key]
        p = h._as_parameter_
        k = _ffi.c_str(key, "indicator id")
        if ind.type in ("number", "integer"):
            out = _d()
            if member is None:
                present = _f["pov_household_get_number"](p, k, ctypes.byref(out))
            else:
                present = _f["pov_household_member_get_number"](p, member, k, ctypes.byref(out))
            if not present:
                return None
            return int(out.value) if ind.type == "integer" else out.value
        if ind.type == "boolean":
            out = _i()
            if member is None:
                present = _f["pov_household_get_boolean"](p, k, ctypes.byref(out))
            else:
                present = _f["pov_household_member_get_boolean"](p, member, k, ctypes.byref(out))
            return bool(out.value) if present else None
        out = _cs()
        name = "category" if ind.type == "category" else "text"
        if member is None:
            present = _f["pov_household_get_" + name](p, k, ctypes.byref(out))
        else:
            present = _f["pov_household_member_get_" + name](p, member, k, ctypes.byref(out))
        return _ffi.py_str(out.value) if present else None

    def _set(self, key, value, member):
        h = self._household
        ind = h._schema[key]
        p = h._as_parameter_
        k = _ffi.c_str(key, "indicator id")
        pre = "pov_household_" if member is None else "pov_household_member_"
        args = (p, k) if member is None else (p, member, k)
        if value is None:
            _f[pre + "set_missing"](*args)
            return
        kind, arg = _convert(ind, value)
        if kind == "wrong":
            # let the C library produce the error (with its code and path)
            if isinstance(value, str):
                kind, arg = ("category" if ind.type == "category" else "text"), value
            elif isinstance(value, bool):
                kind, arg = "boolean", int(value)
            elif isinstance(value, (int, float)):
                kind, arg = "number", float(value)
            else:
                raise TypeError(f"{key}: cannot store a {type(value).__name__}")
        if kind in ("category", "text"):
            arg = _ffi.c_str(arg, key)
        _f[pre + "set_" + kind](*args, arg)


class Member(_Values):
    """A view of one member of a household (index ``index``)."""

    def __init__(self, household, index):
        self._household = household
        self.index = index

    def __getitem__(self, key):
        return self._get(key, self.index)

    def __setitem__(self, key, value):
        self._set(key, value, self.index)

    def get(self, key, default=None):
        v = self[key]
        return default if v is None else v

    def to_dict(self):
        """Member-level values that are present."""
        out = {}
        for ind in self._household._schema.indicators:
            if ind.level == "member":
                v = self[ind.id]
                if v is not None:
                    out[ind.id] = v
        return out

    def __repr__(self):
        return f"<Member {self.index} of {self._household.id!r}>"


class Household(_Values):
    """A household record (a one-row dataset inside the library)."""

    def __init__(self, schema=None, id=None, **values):
        self._schema = Schema.core() if schema is None else schema
        out = _vp()
        _f["pov_household_new"](self._schema._as_parameter_, ctypes.byref(out))
        self._set_ptr(out.value)
        if id is not None:
            self.id = id
        for k, v in values.items():
            self[k] = v

    def _set_ptr(self, ptr):
        self._ptr = ptr
        self._household = self
        self._fin = weakref.finalize(self, _f["pov_household_free"], ptr)

    @classmethod
    def _from_handle(cls, ptr, schema=None):
        """Takes ownership of a ``pov_household *``."""
        self = object.__new__(cls)
        self._set_ptr(ptr)
        if schema is None:
            schema = Schema._from_ptr(_f["pov_household_schema"](ptr), owner=self)
        self._schema = schema
        return self

    @classmethod
    def from_json(cls, text, schema=None, source_name=None):
        """Reads one household from JSON text (str or bytes); see docs/data-model.md."""
        schema = Schema.core() if schema is None else schema
        data = text.encode("utf-8") if isinstance(text, str) else bytes(text)
        out = _vp()
        _f["pov_household_from_json"](schema._as_parameter_, data, len(data),
                                      _ffi.c_str(source_name, "source_name"),
                                      ctypes.byref(out))
        return cls._from_handle(out.value, schema)

    def to_json(self, derived=False, pretty=False):
        """JSON text; unknown input fields are written back unchanged."""
        flags = (JSON_DERIVED if derived else 0) | (JSON_PRETTY if pretty else 0)
        out = _vp()
        _f["pov_household_to_json"](self._as_parameter_, flags, ctypes.byref(out))
        try:
            return ctypes.string_at(out.value).decode("utf-8")
        finally:
            _ffi.lib.pov_free(out.value)

    # -- life cycle ---------------------------------------------------------
    def close(self):
        """Frees the household now (also done when it is garbage collected)."""
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
            raise ValueError("the household is closed")
        return self._ptr

    def copy(self):
        """A deep copy."""
        out = _vp()
        _f["pov_household_copy"](self._as_parameter_, ctypes.byref(out))
        # the schema is looked up through pov_household_schema()
        return Household._from_handle(out.value)

    @property
    def schema(self):
        return self._schema

    # -- values -------------------------------------------------------------
    @property
    def id(self):
        return _ffi.py_str(_f["pov_household_id"](self._as_parameter_)) or None

    @id.setter
    def id(self, value):
        _f["pov_household_set_id"](self._as_parameter_, _ffi.c_str(value, "id"))

    def __getitem__(self, key):
        return self._get(key, None)

    def __setitem__(self, key, value):
        self._set(key, value, None)

    def get(self, key, default=None):
        v = self[key]
        return default if v is None else v

    def to_dict(self, derived=True):
        """Household-level values that are present (derived ones too by default)."""
        out = {}
        for ind in self._schema.indicators:
            if ind.level == "household" and (derived or not ind.derived):
                v = self[ind.id]
                if v is not None:
                    out[ind.id] = v
        return out

    # -- members ------------------------------------------------------------
    def add_member(self, **values):
        """Appends a member, sets ``values`` and returns its :class:`Member` view."""
        out = _sz()
        _f["pov_household_member_add"](self._as_parameter_, ctypes.byref(out))
        m = Member(self, out.value)
        try:
            for k, v in values.items():
                m[k] = v
        except BaseException:
            _f["pov_household_member_remove"](self._as_parameter_, out.value)
            raise
        return m

    def remove_member(self, index):
        _f["pov_household_member_remove"](self._as_parameter_, index)

    @property
    def members(self):
        """The members as a list of :class:`Member` views."""
        return [Member(self, i) for i in range(self.member_count)]

    @property
    def member_count(self):
        return _f["pov_household_member_count"](self._as_parameter_)

    def member(self, index):
        n = self.member_count
        if index < 0:
            index += n
        if not 0 <= index < n:
            raise IndexError(f"member {index} out of range ({n} members)")
        return Member(self, index)

    # -- history and programmes --------------------------------------------
    def add_history(self, year, income):
        """Records the per-capita net income of ``year`` (duplicates raise DuplicateError)."""
        _f["pov_household_history_add"](self._as_parameter_, int(year), float(income))

    @property
    def history(self):
        """``{year: per-capita net income}`` in increasing year order."""
        p = self._as_parameter_
        y, v = _i(), _d()
        out = {}
        for k in range(_f["pov_household_history_count"](p)):
            _f["pov_household_history_get"](p, k, ctypes.byref(y), ctypes.byref(v))
            out[y.value] = v.value
        return out

    def history_income(self, year):
        """Income of ``year`` or None."""
        v = _d()
        return v.value if _f["pov_household_history_find"](self._as_parameter_, int(year),
                                                            ctypes.byref(v)) else None

    @property
    def history_gaps(self):
        """Number of years missing between the first and last recorded year."""
        return _f["pov_household_history_gaps"](self._as_parameter_)

    def add_program(self, program_id, year):
        _f["pov_household_program_add"](self._as_parameter_, _ffi.c_str(program_id, "program_id"),
                                        int(year))

    @property
    def programs(self):
        """List of ``(programme id, year)`` in insertion order."""
        p = self._as_parameter_
        s, y = _cs(), _i()
        out = []
        for k in range(_f["pov_household_program_count"](p)):
            _f["pov_household_program_get"](p, k, ctypes.byref(s), ctypes.byref(y))
            out.append((_ffi.py_str(s.value), y.value))
        return out

    # -- derived values and validation --------------------------------------
    def derive(self, **options):
        """Recomputes derived indicators; keyword arguments as :func:`derive_options`."""
        o = derive_options(**options)
        _f["pov_household_derive"](self._as_parameter_, ctypes.byref(o))

    def validate(self):
        """Raises MissingFieldError / DuplicateError if the id, a required value is
        missing or causes repeat."""
        _f["pov_household_validate"](self._as_parameter_)

    def __repr__(self):
        if not self._ptr:
            return "<Household closed>"
        return f"<Household {self.id!r}: {self.member_count} members>"
