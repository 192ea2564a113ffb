"""Return-to-poverty risk: explained risk scores, vulnerability, transitions.

Methods, formulas and references: docs/risk.md. Example::

    import povmetrics as pm
    ds = pm.io.read("examples/data/sample.jsonl")
    model = pm.RiskModel.default()
    res = model.score_dataset(ds, line=4000)
    res.scores[0], res.explain(0)           # score and per-factor points
    p = pm.risk.vulnerability_history_dataset(ds, line=4000)
    rate, expected = pm.risk.vulnerability_summary(p)

Bad input raises the matching :mod:`povmetrics.errors` exception with
``path`` (e.g. ``factors.debt.points[1]``, ``income[3]``, ``y[2]``).
"""
import array
import ctypes
import json
import weakref

from . import _ffi

__all__ = ["RiskModel", "RiskScores", "FACTORS", "vulnerability_history",
           "vulnerability_history_dataset", "vulnerability_cjs", "vulnerability_summary",
           "Transitions", "STATES", "factor_ids", "state_names"]

FACTORS = ("income_margin", "volatility", "dependency", "illness_disability",
           "rigid_expenditure", "transfer_reliance", "debt", "income_shock")
STATES = ("not_registered", "poor", "exited", "returned", "monitored_unstable",
          "monitored_marginal", "monitored_hardship", "missing", "absent")
_NF = len(FACTORS)
_NS = len(STATES)

_vp = ctypes.c_void_p
_d = ctypes.c_double
_sz = ctypes.c_size_t
_dp = _ffi.c_double_p
_i32p = ctypes.POINTER(ctypes.c_int32)
_u32p = ctypes.POINTER(ctypes.c_uint32)


class _VulnOptions(ctypes.Structure):
    _fields_ = [("size", _sz), ("min_years", _sz), ("shrink_years", _d), ("allow_gaps", ctypes.c_int)]


class _TransSummary(ctypes.Structure):
    _fields_ = [("size", _sz)] + [(k, _d) for k in (
        "households", "poor_before", "poor_after", "entries", "exits", "returns", "persistent",
        "entry_rate", "exit_rate", "return_rate", "persistence_rate")]


_f = _ffi.bind({
    "pov_riskmodel_load_string": ("status", [ctypes.c_char_p, _sz, ctypes.c_char_p, ctypes.POINTER(_vp)]),
    "pov_riskmodel_load_file": ("status", [ctypes.c_char_p, ctypes.POINTER(_vp)]),
    "pov_riskmodel_default": ("status", [ctypes.POINTER(_vp)]),
    "pov_riskmodel_default_json": (ctypes.c_char_p, []),
    "pov_riskmodel_free": (None, [_vp]),
    "pov_riskmodel_id": (ctypes.c_char_p, [_vp]),
    "pov_riskmodel_line_multiple": (_d, [_vp]),
    "pov_riskmodel_weight": (_d, [_vp, ctypes.c_int]),
    "pov_risk_factor_id": (ctypes.c_char_p, [ctypes.c_int]),
    "pov_risk_score_dataset": ("status", [_vp, _vp, _d, _dp, _dp, _dp, _u32p]),
    "pov_risk_score_household": ("status", [_vp, _vp, _d, _dp, _dp, _dp, _u32p]),
    "pov_vuln_options_init": (None, [ctypes.POINTER(_VulnOptions)]),
    "pov_vulnerability_history": ("status", [_dp, _i32p, _ffi.c_size_p, _sz, _i32p, _d,
                                             ctypes.POINTER(_VulnOptions), _dp, _dp, _dp]),
    "pov_vulnerability_history_dataset": ("status", [_vp, _d, ctypes.POINTER(_VulnOptions), _dp]),
    "pov_vulnerability_cjs": ("status", [_dp, _dp, _sz, _sz, _d, _dp, _dp, _dp,
                                         ctypes.POINTER(_sz)]),
    "pov_vulnerability_summary": ("status", [_dp, _dp, _sz, _d, ctypes.POINTER(_d),
                                             ctypes.POINTER(_d)]),
    "pov_transitions_compute": ("status", [_vp, _vp, _sz, ctypes.POINTER(_vp)]),
    "pov_transitions_compute_weighted": ("status", [_vp, _vp, _sz, _sz, ctypes.POINTER(_vp)]),
    "pov_transitions_free": (None, [_vp]),
    "pov_transition_state_name": (ctypes.c_char_p, [_sz]),
    "pov_transitions_unit_count": (_sz, [_vp]),
    "pov_transitions_unit": (ctypes.c_char_p, [_vp, _sz]),
    "pov_transitions_matrix": ("status", [_vp, _sz, _dp]),
    "pov_transitions_summary": ("status", [_vp, _sz, ctypes.POINTER(_TransSummary)]),
})

_count = _ffi.lib["pov_dataset_count"]
_count.restype = _sz
_count.argtypes = [_vp]
_schema_of = _ffi.lib["pov_dataset_schema"]
_schema_of.restype = _vp
_schema_of.argtypes = [_vp]
_schema_find = _ffi.lib["pov_schema_find"]
_schema_find.restype = ctypes.c_int
_schema_find.argtypes = [_vp, ctypes.c_char_p, ctypes.POINTER(_sz)]
_SIZE_MAX = ctypes.c_size_t(-1).value


def _handle(obj, what):
    if obj is None:
        raise TypeError(f"{what} must not be None")
    h = getattr(obj, "_as_parameter_", None)
    if h is None:
        raise TypeError(f"{what} must be a povmetrics object, not {type(obj).__name__}")
    if isinstance(h, ctypes.c_void_p):
        h = h.value
    if not h:
        raise ValueError(f"{what} is closed")
    return h


def _doubles_out(n):
    return (ctypes.c_double * max(n, 1))()


def _result(buf, n, numpy):
    if numpy:
        import numpy as np
        return np.ctypeslib.as_array(buf)[:n].copy()
    return array.array("d", memoryview(buf).cast("B").cast("d")[:n]) if n else array.array("d")


def _unit_index(dataset_ptr, unit):
    if unit is None:
        return _SIZE_MAX
    if isinstance(unit, int):
        return unit
    out = _sz()
    code = _schema_find(_schema_of(dataset_ptr), unit.encode(), ctypes.byref(out))
    if code:
        _ffi.check(code)
    return out.value


def factor_ids():
    """Factor ids as the library names them (equal to FACTORS)."""
    return tuple(_f["pov_risk_factor_id"](k).decode() for k in range(_NF))


def state_names():
    """Transition state names as the library names them (equal to STATES)."""
    return tuple(_f["pov_transition_state_name"](k).decode() for k in range(_NS))


# ---- risk model ------------------------------------------------------------


class RiskScores:
    """Scores of a dataset: ``scores`` (one per household), per-factor
    ``inputs`` and ``contributions`` (rows of len(FACTORS)) and ``missing``
    bit masks. ``explain(i)`` gives a dict per factor."""

    def __init__(self, scores, inputs, contrib, missing):
        self.scores = scores
        self._inputs = inputs
        self._contrib = contrib
        self._missing = missing

    def __len__(self):
        return len(self.scores)

    def inputs(self, i):
        return list(self._inputs[i * _NF:(i + 1) * _NF])

    def contributions(self, i):
        return list(self._contrib[i * _NF:(i + 1) * _NF])

    def missing(self, i):
        m = self._missing[i]
        return [FACTORS[f] for f in range(_NF) if m & (1 << f)]

    def explain(self, i):
        """``{factor: {"input": x or None, "points": p, "missing": bool}}``."""
        m = self._missing[i]
        out = {}
        for f, name in enumerate(FACTORS):
            x = self._inputs[i * _NF + f]
            out[name] = {"input": None if x != x else x,
                         "points": self._contrib[i * _NF + f],
                         "missing": bool(m & (1 << f))}
        return out


class RiskModel:
    """A compiled ``povmetrics.riskmodel/1`` document (immutable).

    ``RiskModel(doc)`` takes JSON text or a dict; ``RiskModel.default()`` the
    embedded illustrative model; ``RiskModel.from_file(path)``.
    """

    def __init__(self, doc, source=None):
        text = doc if isinstance(doc, (str, bytes)) else json.dumps(doc)
        data = text.encode() if isinstance(text, str) else text
        out = _vp()
        _f["pov_riskmodel_load_string"](data, len(data), source.encode() if source else None,
                                        ctypes.byref(out))
        self._init(out.value)

    def _init(self, ptr):
        self._ptr = ptr
        self._fin = weakref.finalize(self, _f["pov_riskmodel_free"], ptr)

    @classmethod
    def _from_ptr(cls, ptr):
        obj = cls.__new__(cls)
        obj._init(ptr)
        return obj

    @classmethod
    def default(cls):
        out = _vp()
        _f["pov_riskmodel_default"](ctypes.byref(out))
        return cls._from_ptr(out.value)

    @staticmethod
    def default_json():
        return _f["pov_riskmodel_default_json"]().decode()

    @classmethod
    def from_file(cls, path):
        out = _vp()
        _f["pov_riskmodel_load_file"](str(path).encode(), ctypes.byref(out))
        return cls._from_ptr(out.value)

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
            raise ValueError("the risk model is closed")
        return _vp(self._ptr)

    @property
    def id(self):
        return _f["pov_riskmodel_id"](self._as_parameter_).decode()

    @property
    def line_multiple(self):
        return _f["pov_riskmodel_line_multiple"](self._as_parameter_)

    @property
    def weights(self):
        return {name: _f["pov_riskmodel_weight"](self._as_parameter_, k)
                for k, name in enumerate(FACTORS)}

    def score(self, household, line):
        """Score of one household: ``(score, explanation)`` (see RiskScores.explain)."""
        s = ctypes.c_double()
        inputs = (ctypes.c_double * _NF)()
        contrib = (ctypes.c_double * _NF)()
        miss = ctypes.c_uint32()
        _f["pov_risk_score_household"](self._as_parameter_, _vp(_handle(household, "household")),
                                       line, ctypes.cast(ctypes.byref(s), _dp), inputs, contrib,
                                       ctypes.byref(miss))
        res = RiskScores([s.value], list(inputs), list(contrib), [miss.value])
        return s.value, res.explain(0)

    def score_dataset(self, dataset, line, numpy=None):
        """Scores of every household of ``dataset`` as a :class:`RiskScores`."""
        ptr = _handle(dataset, "dataset")
        n = _count(ptr)
        scores = _doubles_out(n)
        inputs = _doubles_out(n * _NF)
        contrib = _doubles_out(n * _NF)
        miss = (ctypes.c_uint32 * max(n, 1))()
        _f["pov_risk_score_dataset"](self._as_parameter_, _vp(ptr), line, scores, inputs,
                                     contrib, miss)
        use_np = numpy if numpy is not None else False
        return RiskScores(_result(scores, n, use_np), _result(inputs, n * _NF, False),
                          _result(contrib, n * _NF, False), list(miss)[:n])


# ---- vulnerability ---------------------------------------------------------


def _vopts(min_years, shrink_years, allow_gaps):
    o = _VulnOptions()
    _f["pov_vuln_options_init"](ctypes.byref(o))
    if min_years is not None:
        o.min_years = min_years
    if shrink_years is not None:
        o.shrink_years = shrink_years
    o.allow_gaps = 1 if allow_gaps else 0
    return o


def vulnerability_history(incomes, offsets=None, line=None, years=None, groups=None,
                          min_years=3, shrink_years=2.0, allow_gaps=False, numpy=False):
    """Vulnerability from each household's own income history (log-normal).

    ``incomes`` is either a flat sequence with ``offsets`` (n + 1 entries), or
    a list of per-household sequences (then ``years`` is a matching list of
    lists or None). Returns ``(prob, mu, sigma)``; NaN for histories shorter
    than ``min_years``. Formulas: docs/risk.md.
    """
    if line is None:
        raise TypeError("line is required")
    if offsets is None:
        flat, offs, yrs = [], [0], [] if years is not None else None
        for k, h in enumerate(incomes):
            h = list(h)
            flat.extend(h)
            offs.append(offs[-1] + len(h))
            if years is not None:
                yrs.extend(list(years[k]))
        incomes, offsets, years = flat, offs, yrs
    inc = _ffi.doubles(incomes, "income")
    off = _ffi.sizes(offsets, "offsets")
    n = off.n - 1
    if n < 0:
        raise ValueError("offsets must have n + 1 entries")
    yr = _ffi.int32s(years, "years", allow_none=True)
    gr = _ffi.int32s(groups, "groups", allow_none=True)
    if years is not None and yr.n != inc.n:
        raise ValueError("years must have one entry per income")
    if groups is not None and gr.n != n:
        raise ValueError("groups must have one entry per household")
    o = _vopts(min_years, shrink_years, allow_gaps)
    p, mu, sg = _doubles_out(n), _doubles_out(n), _doubles_out(n)
    _f["pov_vulnerability_history"](inc.ptr, yr.ptr, off.ptr, n, gr.ptr, line, ctypes.byref(o),
                                    p, mu, sg)
    return _result(p, n, numpy), _result(mu, n, numpy), _result(sg, n, numpy)


def vulnerability_history_dataset(dataset, line, min_years=3, shrink_years=2.0,
                                  allow_gaps=False, numpy=False):
    """:func:`vulnerability_history` over a dataset's income histories plus
    each household's current per-capita net income."""
    ptr = _handle(dataset, "dataset")
    n = _count(ptr)
    o = _vopts(min_years, shrink_years, allow_gaps)
    p = _doubles_out(n)
    _f["pov_vulnerability_history_dataset"](_vp(ptr), line, ctypes.byref(o), p)
    return _result(p, n, numpy)


def vulnerability_cjs(X, y, line, numpy=False):
    """Chaudhuri–Jalan–Suryahadi (2002) three-step FGLS.

    ``X``: n rows of k covariates (a list of rows or a 2-D numpy array;
    include a column of ones for an intercept); ``y``: n incomes > 0.
    Returns ``{"prob", "beta", "theta", "floored"}``.
    """
    shape = getattr(X, "shape", None)
    if shape is not None and len(shape) == 2:
        n, k = shape
        import numpy as np
        flat = np.ascontiguousarray(X, dtype="<f8").reshape(-1)
    else:
        rows = [list(r) for r in X]
        n = len(rows)
        k = len(rows[0]) if rows else 0
        if any(len(r) != k for r in rows):
            raise ValueError("every row of X must have the same length")
        flat = [v for r in rows for v in r]
    xa = _ffi.doubles(flat, "X")
    ya = _ffi.doubles(y, "y")
    if ya.n != n:
        raise ValueError("y must have one entry per row of X")
    p = _doubles_out(n)
    beta, theta = _doubles_out(k), _doubles_out(k)
    fl = _sz()
    _f["pov_vulnerability_cjs"](xa.ptr, ya.ptr, n, k, line, p, beta, theta, ctypes.byref(fl))
    return {"prob": _result(p, n, numpy), "beta": list(beta)[:k], "theta": list(theta)[:k],
            "floored": fl.value}


def vulnerability_summary(prob, weights=None, threshold=0.5):
    """``(vulnerability rate, expected poverty)``: weighted share with
    probability >= threshold and weighted mean probability (NaN skipped)."""
    p = _ffi.doubles(prob, "prob")
    w = _ffi.doubles(weights, "weights", allow_none=True)
    if weights is not None and w.n != p.n:
        raise ValueError("weights must have one entry per probability")
    rate, ex = ctypes.c_double(), ctypes.c_double()
    _f["pov_vulnerability_summary"](p.ptr, w.ptr, p.n, threshold, ctypes.byref(rate),
                                    ctypes.byref(ex))
    return rate.value, ex.value


# ---- transitions -----------------------------------------------------------


class Transitions:
    """Transitions between two registers (datasets keyed by household id).

    ``unit`` names a household-level text indicator (``"village_code"``,
    ``"county_code"``) or is None. ``weight`` names a household-level number
    or integer indicator each household counts with (``"household_size"``
    for persons, or a survey weight; taken from ``after`` when the household
    is there, else from ``before``) or is None (households). ``matrix(unit=None)``
    gives 9 x 9 counts (rows: state in the first year, columns: second year;
    order STATES); ``summary(unit=None)`` the counts and rates of docs/risk.md.
    A missing or negative weight raises InvalidArgumentError naming the register
    (``source``), the household and the indicator.
    """

    def __init__(self, before, after, unit=None, weight=None):
        b = _handle(before, "before")
        a = _handle(after, "after")
        idx = _unit_index(b, unit)
        out = _vp()
        if weight is None:
            _f["pov_transitions_compute"](_vp(b), _vp(a), idx, ctypes.byref(out))
        else:
            _f["pov_transitions_compute_weighted"](_vp(b), _vp(a), idx, _unit_index(b, weight),
                                                   ctypes.byref(out))
        self._ptr = out.value
        self._fin = weakref.finalize(self, _f["pov_transitions_free"], self._ptr)

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
            raise ValueError("closed")
        return _vp(self._ptr)

    @property
    def units(self):
        n = _f["pov_transitions_unit_count"](self._as_parameter_)
        return [_f["pov_transitions_unit"](self._as_parameter_, u).decode() for u in range(n)]

    def _unit(self, unit):
        if unit is None:
            return _SIZE_MAX
        if isinstance(unit, str):
            units = self.units
            if unit not in units:
                raise KeyError(unit)
            return units.index(unit)
        return unit

    def matrix(self, unit=None):
        buf = (ctypes.c_double * (_NS * _NS))()
        _f["pov_transitions_matrix"](self._as_parameter_, self._unit(unit), buf)
        return [list(buf[r * _NS:(r + 1) * _NS]) for r in range(_NS)]

    def summary(self, unit=None):
        s = _TransSummary()
        s.size = ctypes.sizeof(s)
        _f["pov_transitions_summary"](self._as_parameter_, self._unit(unit), ctypes.byref(s))
        return {k: getattr(s, k) for k, _ in _TransSummary._fields_[1:]}
