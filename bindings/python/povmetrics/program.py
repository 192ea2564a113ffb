"""Assistance programs, matching (因户施策, 一户一策) and budget targeting.

Formats and rules: docs/programs-format.md (programs, matching) and
docs/risk.md (budget targeting). Example::

    import povmetrics as pm
    ds = pm.io.read("examples/data/sample.jsonl")
    progs = pm.Programs.default()
    m = pm.program.match(progs, ds, budget=200000)
    m.coverage, m.plans[0]
    m.write("plans.csv", format="csv")      # or m.plan_json(0); m.close()
    pm.program.target_optimal(y, sizes, line=4000, budget=1e5, alpha=2)

Bad program documents raise the matching :mod:`povmetrics.errors` exception
with ``path`` (``programs[3].kind``) and line/column.
"""
import array
import ctypes
import json
import math
import os
import weakref

from . import _ffi
from .risk import _handle, _count, _unit_index, _doubles_out, _result
from .scorecard import _WRITE_FORMATS, _enum

__all__ = ["Programs", "KINDS", "REASONS", "match", "Match", "target_optimal", "target_uniform",
           "target_score", "kind_names", "reason_names", "match_reason_names", "MATCH_REASONS"]

KINDS = ("industry", "employment", "relocation", "education", "health", "housing_renovation",
         "drinking_water", "infrastructure", "social_assistance", "ecological_compensation",
         "microcredit", "east_west_collaboration", "other")
REASONS = ("illness", "disability", "schooling", "disaster", "accident", "failed_industry",
           "unstable_employment", "lack_labour", "unsafe_housing", "water", "other")
MATCH_REASONS = ("assigned", "no_eligible", "capacity", "budget")

_vp = ctypes.c_void_p
_d = ctypes.c_double
_sz = ctypes.c_size_t
_dp = _ffi.c_double_p
_szpp = ctypes.POINTER(ctypes.POINTER(_sz))


class _MatchOptions(ctypes.Structure):
    _fields_ = [("size", _sz), ("budget", _d), ("max_measures", _sz), ("unit_indicator", _sz)]


class _TargetResult(ctypes.Structure):
    _fields_ = [("size", _sz), ("fgt_before", _d * 3), ("fgt_after", _d * 3), ("spent", _d),
                ("persons_lifted", _d), ("cost_per_lifted", _d), ("inclusion_error", _d),
                ("exclusion_error", _d), ("exact", ctypes.c_int), ("level", _d)]


_f = _ffi.bind({
    "pov_program_kind_name": (ctypes.c_char_p, [ctypes.c_int]),
    "pov_risk_reason_name": (ctypes.c_char_p, [ctypes.c_int]),
    "pov_match_reason_name": (ctypes.c_char_p, [ctypes.c_int]),
    "pov_programs_load_string": ("status", [_vp, ctypes.c_char_p, _sz, ctypes.c_char_p,
                                            ctypes.POINTER(_vp)]),
    "pov_programs_load_file": ("status", [_vp, ctypes.c_char_p, ctypes.POINTER(_vp)]),
    "pov_programs_default": ("status", [_vp, ctypes.POINTER(_vp)]),
    "pov_programs_default_json": (ctypes.c_char_p, []),
    "pov_programs_free": (None, [_vp]),
    "pov_programs_count": (_sz, [_vp]),
    "pov_programs_id": (ctypes.c_char_p, [_vp, _sz]),
    "pov_programs_title": (ctypes.c_char_p, [_vp, _sz]),
    "pov_programs_source": (ctypes.c_char_p, [_vp, _sz]),
    "pov_programs_kind": ("status", [_vp, _sz]),
    "pov_programs_capacity": (_d, [_vp, _sz]),
    "pov_programs_unit_cost": (_d, [_vp, _sz]),
    "pov_programs_income_effect": (_d, [_vp, _sz]),
    "pov_programs_causes": (ctypes.c_uint32, [_vp, _sz]),
    "pov_programs_risks": (ctypes.c_uint32, [_vp, _sz]),
    "pov_programs_eligibility": ("status", [_vp, _vp, ctypes.POINTER(ctypes.c_uint8)]),
    "pov_match_options_init": (None, [ctypes.POINTER(_MatchOptions)]),
    "pov_match_run": ("status", [_vp, _vp, ctypes.POINTER(ctypes.c_uint8), _dp,
                                 ctypes.POINTER(ctypes.c_uint32), ctypes.POINTER(_MatchOptions),
                                 ctypes.POINTER(_vp)]),
    "pov_match_free": (None, [_vp]),
    "pov_match_count": (_sz, [_vp]),
    "pov_match_household": ("status", [_vp, _sz, ctypes.POINTER(_sz), ctypes.POINTER(ctypes.c_int)]),
    "pov_match_candidates": ("status", [_vp, _sz, _szpp, ctypes.POINTER(_sz)]),
    "pov_match_assigned": ("status", [_vp, _sz, _szpp, ctypes.POINTER(_sz)]),
    "pov_match_spent": (_d, [_vp]),
    "pov_match_coverage": ("status", [_vp, ctypes.POINTER(_d), _dp]),
    "pov_match_unit_count": (_sz, [_vp]),
    "pov_match_unit": ("status", [_vp, _sz, ctypes.POINTER(ctypes.c_char_p), ctypes.POINTER(_sz),
                                  ctypes.POINTER(_d)]),
    "pov_match_household_to_json": ("status", [_vp, _vp, _vp, _sz, ctypes.POINTER(_vp)]),
    "pov_match_write": ("status", [_vp, _vp, _vp, ctypes.c_char_p, ctypes.c_int]),
    "pov_target_optimal": ("status", [_dp, _dp, _sz, _d, _d, ctypes.c_int, _dp,
                                      ctypes.POINTER(_TargetResult)]),
    "pov_target_uniform": ("status", [_dp, _dp, _sz, _d, _d, _dp, ctypes.POINTER(_TargetResult)]),
    "pov_target_score": ("status", [_dp, _dp, _dp, _sz, _d, _d, _d, _dp,
                                    ctypes.POINTER(_TargetResult)]),
})

_schema_core = _ffi.lib["pov_schema_core"]
_schema_core.restype = _vp
_schema_core.argtypes = []
_schema_code = _ffi.lib["pov_schema_code"]
_schema_code.restype = ctypes.c_char_p
_schema_code.argtypes = [_vp, _sz, _sz]
_schema_find = _ffi.lib["pov_schema_find"]
_schema_find.restype = ctypes.c_int
_schema_find.argtypes = [_vp, ctypes.c_char_p, ctypes.POINTER(_sz)]
_dataset_id = _ffi.lib["pov_dataset_id"]
_dataset_id.restype = ctypes.c_char_p
_dataset_id.argtypes = [_vp, _sz]
_SIZE_MAX = ctypes.c_size_t(-1).value


def kind_names():
    """Program kinds as the library names them (equal to KINDS)."""
    return tuple(_f["pov_program_kind_name"](k).decode() for k in range(len(KINDS)))


def reason_names():
    """Risk reasons as the library names them (equal to REASONS)."""
    return tuple(_f["pov_risk_reason_name"](k).decode() for k in range(len(REASONS)))


def match_reason_names():
    """Why a household got no measure, as the library names them (equal to MATCH_REASONS)."""
    return tuple(_f["pov_match_reason_name"](k).decode() for k in range(len(MATCH_REASONS)))


def _schema_ptr(schema):
    return _schema_core() if schema is None else _handle(schema, "schema")


class Programs:
    """A compiled ``povmetrics.programs/1`` document (immutable).

    ``Programs(doc, schema=None)`` takes JSON text or a dict;
    ``Programs.default()`` the embedded illustrative set (every kind);
    ``Programs.from_file(path)``. ``len(p)`` programs; ``p[i]`` a dict.
    """

    def __init__(self, doc, schema=None, source=None):
        text = doc if isinstance(doc, (str, bytes)) else json.dumps(doc)
        data = text.encode() if isinstance(text, str) else text
        out = _vp()
        sp = _schema_ptr(schema)
        _f["pov_programs_load_string"](_vp(sp), data, len(data),
                                       source.encode() if source else None, ctypes.byref(out))
        self._init(out.value, sp, schema)

    def _init(self, ptr, schema_ptr, schema):
        self._ptr = ptr
        self._schema_ptr = schema_ptr
        self._schema = schema  # keeps a binding schema object alive
        self._fin = weakref.finalize(self, _f["pov_programs_free"], ptr)

    @classmethod
    def default(cls, schema=None):
        out = _vp()
        sp = _schema_ptr(schema)
        _f["pov_programs_default"](_vp(sp), ctypes.byref(out))
        obj = cls.__new__(cls)
        obj._init(out.value, sp, schema)
        return obj

    @staticmethod
    def default_json():
        return _f["pov_programs_default_json"]().decode()

    @classmethod
    def from_file(cls, path, schema=None):
        out = _vp()
        sp = _schema_ptr(schema)
        _f["pov_programs_load_file"](_vp(sp), str(path).encode(), ctypes.byref(out))
        obj = cls.__new__(cls)
        obj._init(out.value, sp, schema)
        return obj

    def close(self):
        self._fin()
        self._ptr = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    @property
    def _as_parameter_(self):
        if not self._ptr:
            raise ValueError("the program set is closed")
        return _vp(self._ptr)

    def __len__(self):
        return _f["pov_programs_count"](self._as_parameter_)

    def _causes(self, mask):
        idx = _sz()
        _schema_find(_vp(self._schema_ptr), b"cause_main", ctypes.byref(idx))
        return [_schema_code(_vp(self._schema_ptr), idx.value, c).decode()
                for c in range(32) if mask & (1 << c)]

    def __getitem__(self, i):
        if not 0 <= i < len(self):
            raise IndexError(i)
        h = self._as_parameter_
        return {
            "id": _f["pov_programs_id"](h, i).decode(),
            "title": _f["pov_programs_title"](h, i).decode(),
            "kind": KINDS[_f["pov_programs_kind"](h, i)],
            "capacity": _f["pov_programs_capacity"](h, i),
            "unit_cost": _f["pov_programs_unit_cost"](h, i),
            "income_effect": _f["pov_programs_income_effect"](h, i),
            "causes": self._causes(_f["pov_programs_causes"](h, i)),
            "risks": [REASONS[r] for r in range(len(REASONS))
                      if _f["pov_programs_risks"](h, i) & (1 << r)],
            "source": _f["pov_programs_source"](h, i).decode(),
        }

    def __iter__(self):
        return (self[i] for i in range(len(self)))

    @property
    def ids(self):
        return [_f["pov_programs_id"](self._as_parameter_, i).decode() for i in range(len(self))]

    def eligibility(self, dataset):
        """One list of booleans per household (program order)."""
        ptr = _handle(dataset, "dataset")
        n, P = _count(ptr), len(self)
        buf = (ctypes.c_uint8 * max(n * P, 1))()
        _f["pov_programs_eligibility"](self._as_parameter_, _vp(ptr), buf)
        return [[bool(buf[i * P + j]) for j in range(P)] for i in range(n)]


class Match(_ffi.Owned):
    """Result of :func:`match`: ``plans`` (selected households in priority
    order, each ``{"index", "id", "reason", "candidates", "assigned"}``),
    ``spent``, ``coverage``, ``coverage_by_kind`` and ``units``
    (``[(code, selected, coverage)]``).

    The C result (and the program set and dataset it was run with) stay
    alive until :meth:`close` (or ``with``/garbage collection) for
    :meth:`plan_json` and :meth:`write`; the attributes above stay usable
    after closing."""

    _kind = "match"

    def __init__(self, ptr, programs, dataset):
        self._own(ptr, _f["pov_match_free"])
        self._programs = programs
        self._dataset = dataset
        h = _vp(ptr)
        dataset_ptr = _handle(dataset, "dataset")
        ids = programs.ids
        self.plans = []
        lst = ctypes.POINTER(_sz)()
        cnt = _sz()
        idx = _sz()
        why = ctypes.c_int()
        for k in range(_f["pov_match_count"](h)):
            _f["pov_match_household"](h, k, ctypes.byref(idx), ctypes.byref(why))
            _f["pov_match_candidates"](h, k, ctypes.byref(lst), ctypes.byref(cnt))
            cands = [ids[lst[j]] for j in range(cnt.value)]
            _f["pov_match_assigned"](h, k, ctypes.byref(lst), ctypes.byref(cnt))
            asg = [ids[lst[j]] for j in range(cnt.value)]
            self.plans.append({"index": idx.value,
                               "id": _dataset_id(_vp(dataset_ptr), idx.value).decode(),
                               "reason": MATCH_REASONS[why.value],
                               "candidates": cands, "assigned": asg})
        self.spent = _f["pov_match_spent"](h)
        overall = ctypes.c_double()
        kinds = (ctypes.c_double * len(KINDS))()
        _f["pov_match_coverage"](h, ctypes.byref(overall), kinds)
        self.coverage = overall.value
        self.coverage_by_kind = dict(zip(KINDS, kinds))
        self.units = []
        code = ctypes.c_char_p()
        sel = _sz()
        cov = ctypes.c_double()
        for u in range(_f["pov_match_unit_count"](h)):
            _f["pov_match_unit"](h, u, ctypes.byref(code), ctypes.byref(sel), ctypes.byref(cov))
            self.units.append((code.value.decode(), sel.value, cov.value))

    @property
    def unmatched(self):
        return [p for p in self.plans if p["reason"] != "assigned"]

    def _args(self):
        return (_vp(self._live()), self._programs._as_parameter_,
                _vp(_handle(self._dataset, "dataset")))

    def plan_json(self, k):
        """The plan (一户一策) of the k-th household (priority order) as JSON
        text: id, index, reason, assigned programs (id, kind, unit_cost,
        income_effect) and ranked candidate ids (docs/programs-format.md)."""
        out = _vp()
        _f["pov_match_household_to_json"](*self._args(), k, ctypes.byref(out))
        try:
            return ctypes.string_at(out.value).decode("utf-8")
        finally:
            _ffi.lib.pov_free(out)

    def write(self, path, format="jsonl"):
        """Writes every plan as ``"jsonl"`` (one :meth:`plan_json` object per
        line) or ``"csv"`` (columns id, index, reason, assigned, candidates;
        the last two JSON arrays), atomically: on error nothing is left at
        ``path``."""
        _f["pov_match_write"](*self._args(), _ffi.c_str(os.fspath(path), "path"),
                              _enum(_WRITE_FORMATS, format, "format"))


def _risk_masks(risks, n):
    buf = (ctypes.c_uint32 * max(n, 1))()
    if len(risks) != n:
        raise ValueError("risks must have one entry per household")
    for i, r in enumerate(risks):
        if isinstance(r, int):
            buf[i] = r
        else:
            m = 0
            for name in r or ():
                if name not in REASONS:
                    raise ValueError(f"unknown risk reason {name!r}")
                m |= 1 << REASONS.index(name)
            buf[i] = m
    return buf


def match(programs, dataset, selected=None, priority=None, risks=None, budget=None,
          max_measures=2, unit="county_code"):
    """Plans for the selected households (docs/programs-format.md, Matching).

    ``selected``: one truth value per household (None = all); ``priority``:
    one number per household, lower = needier (None = per-capita net income);
    ``risks``: per household a bit mask or a list of REASONS; ``budget`` in
    yuan (None = unlimited); ``unit``: indicator for coverage by unit or None.
    """
    ptr = _handle(dataset, "dataset")
    n = _count(ptr)
    o = _MatchOptions()
    _f["pov_match_options_init"](ctypes.byref(o))
    o.budget = math.inf if budget is None else budget
    o.max_measures = max_measures
    o.unit_indicator = _unit_index(ptr, unit)
    sel = None
    if selected is not None:
        if len(selected) != n:
            raise ValueError("selected must have one entry per household")
        sel = (ctypes.c_uint8 * max(n, 1))(*[1 if s else 0 for s in selected])
    pr = _ffi.doubles(priority, "priority", allow_none=True)
    if priority is not None and pr.n != n:
        raise ValueError("priority must have one entry per household")
    rk = _risk_masks(risks, n) if risks is not None else None
    out = _vp()
    _f["pov_match_run"](programs._as_parameter_, _vp(ptr), sel, pr.ptr, rk, ctypes.byref(o),
                        ctypes.byref(out))
    return Match(out.value, programs, dataset)


def _target_result(r, t, n, numpy):
    return {"transfers": _result(t, n, numpy), "fgt_before": list(r.fgt_before),
            "fgt_after": list(r.fgt_after), "spent": r.spent, "persons_lifted": r.persons_lifted,
            "cost_per_lifted": r.cost_per_lifted, "inclusion_error": r.inclusion_error,
            "exclusion_error": r.exclusion_error, "exact": bool(r.exact), "level": r.level}


def _yz(y, sizes):
    ya = _ffi.doubles(y, "y")
    sa = _ffi.doubles(sizes, "hsize")
    if sa.n != ya.n:
        raise ValueError("sizes must have one entry per income")
    return ya, sa


def target_optimal(y, sizes, line, budget, alpha, numpy=False):
    """Transfers minimising FGT(alpha), alpha in 0, 1, 2 (docs/risk.md)."""
    ya, sa = _yz(y, sizes)
    r = _TargetResult()
    r.size = ctypes.sizeof(r)
    t = _doubles_out(ya.n)
    _f["pov_target_optimal"](ya.ptr, sa.ptr, ya.n, line, budget, alpha, t, ctypes.byref(r))
    return _target_result(r, t, ya.n, numpy)


def target_uniform(y, sizes, line, budget, numpy=False):
    """The same amount per person to every poor household."""
    ya, sa = _yz(y, sizes)
    r = _TargetResult()
    r.size = ctypes.sizeof(r)
    t = _doubles_out(ya.n)
    _f["pov_target_uniform"](ya.ptr, sa.ptr, ya.n, line, budget, t, ctypes.byref(r))
    return _target_result(r, t, ya.n, numpy)


def target_score(y, sizes, score, line, budget, cutoff, numpy=False):
    """Households with score < cutoff share the budget equally per person."""
    ya, sa = _yz(y, sizes)
    sc = _ffi.doubles(score, "score")
    if sc.n != ya.n:
        raise ValueError("score must have one entry per income")
    r = _TargetResult()
    r.size = ctypes.sizeof(r)
    t = _doubles_out(ya.n)
    _f["pov_target_score"](ya.ptr, sa.ptr, sc.ptr, ya.n, line, budget, cutoff, t,
                           ctypes.byref(r))
    return _target_result(r, t, ya.n, numpy)
