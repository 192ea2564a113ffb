"""Conditions: the JsonLogic-style expression language of every rule file.

A :class:`Condition` is compiled once against a schema and evaluated for one
household or for every household of a dataset::

    c = Condition(schema, {"and": [
        {"<": [{"var": "per_capita_net_income"}, 4000]},
        {"some": [{"var": "members"}, {">=": [{"var": "age"}, 60]}]}]})
    c.evaluate(household)        # True, False or None (missing)
    c.evaluate_dataset(dataset)  # one result per household

Results are three-valued: a boolean condition gives ``True``, ``False`` or
``None`` when an input it needs is missing; a numeric one a ``float`` or
``None``; a category one the code index (``int``) or ``None``. Operators and
missing-value rules: docs/conditions.md. Compile errors raise the matching
:mod:`povmetrics.errors` exception with ``path`` (e.g. ``"and[1].>=[0]"``),
``line`` and ``column``.
"""
import array
import ctypes
import json

from . import _ffi

__all__ = ["Condition", "STATE_FALSE", "STATE_TRUE", "STATE_MISSING", "STATE_VALUE"]

STATE_FALSE = 0
STATE_TRUE = 1
STATE_MISSING = 2
STATE_VALUE = 3

_TYPE_NAMES = {0: "null", 1: "number", 2: "boolean", 3: "category", 4: "text"}

_vp = ctypes.c_void_p
_f = _ffi.bind({
    "pov_condition_compile": ("status", [_vp, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p,
                                         ctypes.POINTER(_vp)]),
    "pov_condition_free": (None, [_vp]),
    "pov_condition_result_type": (ctypes.c_int, [_vp]),
    "pov_condition_eval_household": ("status", [_vp, _vp, ctypes.POINTER(ctypes.c_double),
                                                ctypes.POINTER(ctypes.c_int)]),
    "pov_condition_eval_dataset": ("status", [_vp, _vp, _ffi.c_double_p,
                                              ctypes.POINTER(ctypes.c_uint8)]),
})

# Functions of other modules, bound privately (lib[name] makes a new function
# object, so the other modules' declarations are left untouched).
_schema_core = _ffi.lib["pov_schema_core"]
_schema_core.restype = _vp
_schema_core.argtypes = []
_dataset_count = _ffi.lib["pov_dataset_count"]
_dataset_count.restype = ctypes.c_size_t
_dataset_count.argtypes = [_vp]


_handle = _ffi.handle_of  # the C pointer behind a binding object


def _convert(value, state, rtype):
    if state == STATE_MISSING:
        return None
    if state == STATE_TRUE:
        return True
    if state == STATE_FALSE:
        return False
    if rtype == 3:  # category: the code index
        return int(value)
    if rtype == 4:  # text: only presence is known
        return True
    return value


class Condition(_ffi.Owned):
    """A compiled condition (immutable; safe to share between threads).

    :param schema: the schema (a povmetrics ``Schema``), or None for the core
        schema
    :param expr: the expression as a JSON string, or as Python data (dict,
        list, bool, number) that is serialised with :func:`json.dumps`
    :param source: name used in error reports (default ``"<string>"``)
    """

    _kind = "condition"

    def __init__(self, schema, expr, source=None):
        if isinstance(expr, (bytes, bytearray)):
            text = bytes(expr)
        elif isinstance(expr, str):
            text = expr.encode("utf-8")
        else:
            text = json.dumps(expr, allow_nan=False).encode("utf-8")
        self._schema = schema  # keeps the Python object alive
        s = _schema_core() if schema is None else _handle(schema, "schema")
        out = _vp()
        _f["pov_condition_compile"](s, text, len(text), _ffi.c_str(source, "source"),
                                    ctypes.byref(out))
        self._own(out.value, _f["pov_condition_free"])
        self._type = _f["pov_condition_result_type"](self._ptr)

    # -- properties -------------------------------------------------------
    @property
    def result_type(self):
        """Static type of the result: ``"boolean"``, ``"number"``,
        ``"category"``, ``"text"`` or ``"null"``."""
        return _TYPE_NAMES.get(self._type, "unknown")

    # -- evaluation -------------------------------------------------------
    def evaluate(self, household):
        """Evaluates for one household: ``True``/``False``/``None`` for a
        boolean condition, a float (or ``None``) for a numeric one, the code
        index for a category one."""
        v = ctypes.c_double()
        st = ctypes.c_int()
        _f["pov_condition_eval_household"](self._live(), _handle(household, "household"),
                                           ctypes.byref(v), ctypes.byref(st))
        return _convert(v.value, st.value, self._type)

    def evaluate_dataset_raw(self, dataset):
        """Evaluates for every household of a dataset into two new arrays:
        ``(values, states)`` — ``array('d')`` of values (NaN when missing) and
        ``bytearray`` of states (``STATE_FALSE`` … ``STATE_VALUE``)."""
        d = _handle(dataset, "dataset")
        n = _dataset_count(d)
        values = array.array("d", bytes(8 * n))
        states = bytearray(n)
        vp = _ffi.doubles(values, "values")
        sp = (ctypes.c_uint8 * n).from_buffer(states) if n else None
        _f["pov_condition_eval_dataset"](self._live(), d, vp.ptr,
                                         ctypes.cast(sp, ctypes.POINTER(ctypes.c_uint8))
                                         if sp is not None else None)
        return values, states

    def evaluate_dataset(self, dataset):
        """Evaluates for every household of a dataset (one batch call) and
        returns a list with one result per household, in dataset order, as
        :meth:`evaluate` would give them."""
        values, states = self.evaluate_dataset_raw(dataset)
        t = self._type
        return [_convert(v, s, t) for v, s in zip(values, states)]

    def __repr__(self):
        state = "closed" if not self._ptr else self.result_type
        return f"<povmetrics.Condition {state}>"
