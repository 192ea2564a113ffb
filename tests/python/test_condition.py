"""Tests of povmetrics.Condition (docs/conditions.md).

Expected values are worked out by hand from the rules in docs/conditions.md.
Households are built through a few direct ctypes calls of the data-model API
(wrapped in tiny objects exposing ``_as_parameter_``), so these tests depend
only on the C functions, not on another module of the binding.
"""
import ctypes
import math
import random
import unittest

import povmetrics
from povmetrics import _ffi, errors
from povmetrics.condition import (STATE_FALSE, STATE_MISSING, STATE_TRUE, STATE_VALUE,
                                  Condition)

SCHEMA_JSON = b"""{"format": "povmetrics.schema/1", "name": "cond_py", "indicators": [
 {"id": "t_num", "level": "household", "type": "number"},
 {"id": "t_flag", "level": "household", "type": "boolean"},
 {"id": "t_cat", "level": "household", "type": "category",
  "codes": [{"code": "a"}, {"code": "b"}, {"code": "c"}]},
 {"id": "m_num", "level": "member", "type": "number"}
]}"""


def _fn(name, restype, argtypes):
    f = _ffi.lib[name]  # a private function object
    f.restype = restype
    f.argtypes = argtypes
    return f


_vp = ctypes.c_void_p
_schema_load = _fn("pov_schema_load_string", ctypes.c_int,
                   [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.POINTER(_vp)])
_schema_free = _fn("pov_schema_free", None, [_vp])
_hh_new = _fn("pov_household_new", ctypes.c_int, [_vp, ctypes.POINTER(_vp)])
_hh_free = _fn("pov_household_free", None, [_vp])
_hh_set_id = _fn("pov_household_set_id", ctypes.c_int, [_vp, ctypes.c_char_p])
_hh_set_number = _fn("pov_household_set_number", ctypes.c_int,
                     [_vp, ctypes.c_char_p, ctypes.c_double])
_hh_set_boolean = _fn("pov_household_set_boolean", ctypes.c_int,
                      [_vp, ctypes.c_char_p, ctypes.c_int])
_hh_set_category = _fn("pov_household_set_category", ctypes.c_int,
                       [_vp, ctypes.c_char_p, ctypes.c_char_p])
_hh_member_add = _fn("pov_household_member_add", ctypes.c_int,
                     [_vp, ctypes.POINTER(ctypes.c_size_t)])
_hh_member_set_number = _fn("pov_household_member_set_number", ctypes.c_int,
                            [_vp, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_double])
_ds_new = _fn("pov_dataset_new", ctypes.c_int, [_vp, ctypes.POINTER(_vp)])
_ds_free = _fn("pov_dataset_free", None, [_vp])
_ds_append = _fn("pov_dataset_append", ctypes.c_int, [_vp, _vp])


def _ok(rc):
    if rc < 0:
        raise _ffi.last_error(rc)


class _Handle:
    def __init__(self, ptr, free):
        self._as_parameter_ = ptr
        self._free = free

    def close(self):
        if self._as_parameter_:
            self._free(self._as_parameter_)
            self._as_parameter_ = None


def make_schema():
    out = _vp()
    _ok(_schema_load(SCHEMA_JSON, len(SCHEMA_JSON), b"py", ctypes.byref(out)))
    return _Handle(out.value, _schema_free)


def make_household(schema, num=None, flag=None, cat=None, members=(), hid="h"):
    out = _vp()
    _ok(_hh_new(schema._as_parameter_, ctypes.byref(out)))
    h = _Handle(out.value, _hh_free)
    _ok(_hh_set_id(h._as_parameter_, hid.encode()))
    if num is not None:
        _ok(_hh_set_number(h._as_parameter_, b"t_num", num))
    if flag is not None:
        _ok(_hh_set_boolean(h._as_parameter_, b"t_flag", int(flag)))
    if cat is not None:
        _ok(_hh_set_category(h._as_parameter_, b"t_cat", cat.encode()))
    for m in members:
        idx = ctypes.c_size_t()
        _ok(_hh_member_add(h._as_parameter_, ctypes.byref(idx)))
        _ok(_hh_member_set_number(h._as_parameter_, idx.value, b"age", 30.0))
        if m is not None:
            _ok(_hh_member_set_number(h._as_parameter_, idx.value, b"m_num", m))
    return h


class ConditionTest(unittest.TestCase):
    def setUp(self):
        self.schema = make_schema()
        self.handles = []

    def tearDown(self):
        for h in self.handles:
            h.close()
        self.schema.close()

    def hh(self, **kw):
        h = make_household(self.schema, **kw)
        self.handles.append(h)
        return h

    def ev(self, expr, h):
        with Condition(self.schema, expr) as c:
            return c.evaluate(h)

    def test_exported_from_package(self):
        self.assertIs(povmetrics.Condition, Condition)

    def test_boolean_results_three_valued(self):
        h = self.hh(num=5, flag=True)
        self.assertIs(self.ev({">": [{"var": "t_num"}, 4]}, h), True)
        self.assertIs(self.ev('{"<": [{"var": "t_num"}, 4]}', h), False)
        # t_cat is missing: the comparison is missing, and with a true
        # operand `and` stays missing while `or` is true
        self.assertIsNone(self.ev({"==": [{"var": "t_cat"}, "a"]}, h))
        self.assertIsNone(self.ev({"and": [True, {"==": [{"var": "t_cat"}, "a"]}]}, h))
        self.assertIs(self.ev({"or": [True, {"==": [{"var": "t_cat"}, "a"]}]}, h), True)
        self.assertIs(self.ev({"and": [False, {"==": [{"var": "t_cat"}, "a"]}]}, h), False)

    def test_numbers_and_categories(self):
        h = self.hh(num=10, cat="c", members=[70, 8, None])
        self.assertEqual(self.ev({"/": [{"var": "t_num"}, 4]}, h), 2.5)
        self.assertIsNone(self.ev({"/": [{"var": "t_num"}, 0]}, h))  # division by zero
        self.assertEqual(self.ev({"var": "t_cat"}, h), 2)  # code index of "c"
        self.assertEqual(self.ev({"count": [{"var": "members"}]}, h), 3)
        self.assertEqual(
            self.ev({"count": [{"var": "members"}, {">=": [{"var": ["m_num", 0]}, 60]}]}, h), 1)
        # member 2's m_num is missing: the count is not known
        self.assertIsNone(
            self.ev({"count": [{"var": "members"}, {">=": [{"var": "m_num"}, 60]}]}, h))
        self.assertIs(self.ev({"some": [{"var": "members"}, {"<": [{"var": "m_num"}, 10]}]}, h),
                      True)
        self.assertEqual(self.ev({"reduce": [{"var": "members"},
                                             {"+": [{"var": "accumulator"},
                                                    {"var": ["current.m_num", 0]}]}, 0]}, h), 78)
        self.assertEqual(self.ev({"missing": ["t_num", "t_flag", "members.2.m_num"]}, h), 2)

    def test_result_type_and_repr(self):
        self.assertEqual(Condition(self.schema, True).result_type, "boolean")
        self.assertEqual(Condition(self.schema, 1).result_type, "number")
        self.assertEqual(Condition(self.schema, None).result_type, "null")
        self.assertEqual(Condition(self.schema, {"var": "t_cat"}).result_type, "category")
        c = Condition(self.schema, True)
        self.assertIn("boolean", repr(c))
        c.close()
        c.close()  # idempotent
        self.assertIn("closed", repr(c))
        with self.assertRaisesRegex(ValueError, "the condition is closed"):
            c.evaluate(self.hh())
        with Condition(self.schema, {"var": "t_flag"}) as c2:
            self.assertEqual(c2.result_type, "boolean")
        self.assertIn("closed", repr(c2))  # the with block closed it

    def test_core_schema_default(self):
        c = Condition(None, {"count": [{"var": "members"}, {">=": [{"var": "age"}, 60]}]})
        self.assertEqual(c.result_type, "number")

    def test_compile_errors_carry_path_and_position(self):
        cases = [
            ({"and": [True, {"foo": [1]}]}, errors.UnknownFieldError, "and[1].foo"),
            ({"==": [1]}, errors.RuleError, "=="),
            ({"<": [{"var": "nope"}, 1]}, errors.NotFoundError, "<[0].var"),
            ({"==": [{"var": "t_cat"}, "z"]}, errors.UnknownCodeError, "==[1]"),
            ({"<": [{"var": "t_cat"}, 1]}, errors.TypeMismatchError, "<[0]"),
            ({">": [{"var": "m_num"}, 1]}, errors.RuleError, ">[0].var"),
        ]
        for expr, cls, path in cases:
            with self.assertRaises(cls, msg=str(expr)) as cm:
                Condition(self.schema, expr)
            self.assertEqual(cm.exception.path, path)
        text = '{"and": [\n  true,\n  {">=": [{"var": "nope"}, 1]}\n]}'
        with self.assertRaises(errors.NotFoundError) as cm:
            Condition(self.schema, text, source="rule.json")
        e = cm.exception
        self.assertEqual((e.source, e.line, e.column, e.path),
                         ("rule.json", 3, 19, "and[1].>=[0].var"))
        with self.assertRaises(errors.TruncatedError):
            Condition(self.schema, '{"and": [true,')
        with self.assertRaises(errors.ParseError):
            Condition(self.schema, '{"and": [true false]}')
        deep = {"!": True}
        for _ in range(64):
            deep = {"!": [deep]}
        with self.assertRaises(errors.LimitError):
            Condition(self.schema, deep)
        with self.assertRaises(TypeError):
            Condition(self.schema, True).evaluate(None)

    def test_dataset_matches_single_household(self):
        rng = random.Random(7)
        out = _vp()
        _ok(_ds_new(self.schema._as_parameter_, ctypes.byref(out)))
        ds = _Handle(out.value, _ds_free)
        self.handles.append(ds)
        hhs = []
        for i in range(300):
            num = None if rng.random() < 0.15 else float(rng.randint(0, 60))
            flag = None if rng.random() < 0.15 else rng.random() < 0.5
            members = [None if rng.random() < 0.1 else float(rng.randint(0, 90))
                       for _ in range(rng.randint(0, 4))]
            h = self.hh(num=num, flag=flag, members=members, hid=f"h{i}")
            _ok(_ds_append(ds._as_parameter_, h._as_parameter_))
            hhs.append((num, flag, members, h))
        expr = {"or": [{"and": [{"<": [{"var": "t_num"}, 30]}, {"!": {"var": "t_flag"}}]},
                       {"all": [{"var": "members"}, {">=": [{"var": "m_num"}, 18]}]}]}
        c = Condition(self.schema, expr)
        got = c.evaluate_dataset(ds)
        values, states = c.evaluate_dataset_raw(ds)
        self.assertEqual(len(got), 300)
        self.assertEqual(len(states), 300)

        def k_and(a, b):
            if a is False or b is False:
                return False
            return None if (a is None or b is None) else True

        def k_or(a, b):
            if a is True or b is True:
                return True
            return None if (a is None or b is None) else False

        for i, (num, flag, members, h) in enumerate(hhs):
            lt = None if num is None else num < 30
            nf = None if flag is None else not flag
            al = True
            for m in members:
                al = k_and(al, None if m is None else m >= 18)
            want = k_or(k_and(lt, nf), al)
            self.assertIs(got[i], want, f"household {i}")
            self.assertIs(c.evaluate(h), want)
            st = {True: STATE_TRUE, False: STATE_FALSE, None: STATE_MISSING}[want]
            self.assertEqual(states[i], st)
            if want is None:
                self.assertTrue(math.isnan(values[i]))
            else:
                self.assertEqual(values[i], 1.0 if want else 0.0)
        self.assertEqual(STATE_VALUE, 3)


class WithDataModelBindingTest(unittest.TestCase):
    """The same through povmetrics.Schema / Household / Dataset."""

    def test_objects_of_the_binding(self):
        schema = povmetrics.Schema.loads(SCHEMA_JSON.decode())
        h = povmetrics.Household(schema, id="a", t_num=12.0, t_cat="b")
        h.add_member(age=70, m_num=3.0)
        h.add_member(age=8)
        ds = povmetrics.Dataset(schema)
        ds.append(h)
        ds.append(povmetrics.Household(schema, id="b"))
        c = Condition(schema, {"and": [{">": [{"var": "t_num"}, 10]},
                                       {"in": [{"var": "t_cat"}, ["b", "c"]]},
                                       {"some": [{"var": "members"},
                                                 {">=": [{"var": "age"}, 60]}]}]})
        self.assertIs(c.evaluate(h), True)
        # household "b": t_num and t_cat missing (both tests missing), but it
        # has no members, so `some` is false, and false decides `and`
        self.assertEqual(c.evaluate_dataset(ds), [True, False])
        m = Condition(schema, {"and": [{">": [{"var": "t_num"}, 10]}, True]})
        self.assertEqual(m.evaluate_dataset(ds), [True, None])
        n = Condition(schema, {"-": [{"var": "members.0.m_num"}, 1]})
        self.assertEqual(n.evaluate_dataset(ds), [2.0, None])
        core = Condition(povmetrics.Schema.core(),
                         {"count": [{"var": "members"}, {"<": [{"var": "age"}, 18]}]})
        self.assertEqual(core.evaluate(h), 1)


if __name__ == "__main__":
    unittest.main()
