"""Exit policies (如何退): poverty lines, income definition and the exit
standards of households, villages and counties (docs/policy-format.md).

::

    from povmetrics.policy import Policy, UnitInputs, HOUSEHOLD, VILLAGE, COUNTY

    gx = Policy.default("guangxi_2016")       # embedded, no files needed
    gx.poverty_line(2016)                      # 2952.0
    a = gx.assess(household, 2016)             # or a dataset (batch path)
    a.get(0, "safe_housing")                   # {'outcome': False, 'value': 12.99, ...}
    gx.two_three(household, 2016)              # {'food': True, ..., 'water': None}
    r = gx.assess_units(dataset, VILLAGE, 2017, UnitInputs({"450123101": {...}}))
    print(r.to_text())

    m = Policy.default("national_2020_monitoring")
    c = m.monitor(dataset, 2020)               # monitoring classification
    c.group(0), c.reasons(0)                   # 'marginal', ['illness']
    e = Policy.default("national_2021_monitoring").eliminate(household, 2024)
    e.is_eligible(), e.failing(0)              # False, ['has_labour']

Outcomes are three-valued like conditions: ``True`` (pass), ``False`` (fail)
and ``None`` (unknown: data missing — never a pass). Raw outcome arrays hold
the bytes :data:`FAIL` (0), :data:`PASS` (1) and :data:`UNKNOWN` (2).
Errors raise the :mod:`povmetrics.errors` exception of the C status code,
with ``path``, ``line`` and ``column`` for documents.
"""
import ctypes
import json
import math

from . import _ffi
from .condition import _handle
from .household import _DeriveOptions  # one definition of pov_derive_options
from .household import INCOME_COMPONENTS, INCOME_EXCLUSIONS
from .schema import Schema

__all__ = ["Policy", "Assessment", "UnitInputs", "UnitResult", "HOUSEHOLD", "VILLAGE",
           "COUNTY", "MONITORING", "ELIMINATION", "FAIL", "PASS", "UNKNOWN", "DIMENSIONS",
           "GROUPS", "REPORT_FIELDS", "default_names"]

HOUSEHOLD, VILLAGE, COUNTY, MONITORING, ELIMINATION = 0, 1, 2, 3, 4
FAIL, PASS, UNKNOWN = 0, 1, 2
DIMENSIONS = ("food", "clothing", "education", "medical", "housing", "water")
_LEVELS = {"household": HOUSEHOLD, "village": VILLAGE, "county": COUNTY,
           "monitoring": MONITORING, "risk_elimination": ELIMINATION}

_vp = ctypes.c_void_p
_cs = ctypes.c_char_p
_sz = ctypes.c_size_t
_u8p = ctypes.POINTER(ctypes.c_uint8)
_dp = ctypes.POINTER(ctypes.c_double)


class _CritResult(ctypes.Structure):
    _fields_ = [("size", _sz), ("outcome", ctypes.c_int), ("test", ctypes.c_int),
                ("value", ctypes.c_double), ("threshold", ctypes.c_double),
                ("margin", ctypes.c_double)]


class _LoadOptions(ctypes.Structure):
    _fields_ = [("size", _sz), ("parent", _vp)]


_f = _ffi.bind({
    "pov_policy_load_options_init": (None, [ctypes.POINTER(_LoadOptions)]),
    "pov_policy_load_string": ("status", [_cs, _sz, _cs, ctypes.POINTER(_LoadOptions),
                                          ctypes.POINTER(_vp)]),
    "pov_policy_load_file": ("status", [_cs, ctypes.POINTER(_LoadOptions), ctypes.POINTER(_vp)]),
    "pov_policy_default": ("status", [_cs, ctypes.POINTER(_vp)]),
    "pov_policy_default_count": (_sz, []),
    "pov_policy_default_name": (_cs, [_sz]),
    "pov_policy_free": (None, [_vp]),
    "pov_policy_id": (_cs, [_vp]),
    "pov_policy_title_zh": (_cs, [_vp]),
    "pov_policy_title_en": (_cs, [_vp]),
    "pov_policy_version": (_cs, [_vp]),
    "pov_policy_region": (_cs, [_vp]),
    "pov_policy_inherits": (_cs, [_vp]),
    "pov_policy_schema": (_vp, [_vp]),
    "pov_policy_derive_options": ("status", [_vp, ctypes.POINTER(_DeriveOptions)]),
    "pov_policy_poverty_line": ("status", [_vp, ctypes.c_int, _cs, _dp]),
    "pov_policy_poverty_line_source": (_cs, [_vp, ctypes.c_int, _cs]),
    "pov_policy_criterion_count": (_sz, [_vp, ctypes.c_int]),
    "pov_policy_criterion_find": ("status", [_vp, ctypes.c_int, _cs, ctypes.POINTER(_sz)]),
    "pov_policy_criterion_id": (_cs, [_vp, ctypes.c_int, _sz]),
    "pov_policy_criterion_label_zh": (_cs, [_vp, ctypes.c_int, _sz]),
    "pov_policy_criterion_label_en": (_cs, [_vp, ctypes.c_int, _sz]),
    "pov_policy_criterion_source": (_cs, [_vp, ctypes.c_int, _sz]),
    "pov_policy_criterion_dimension": (_cs, [_vp, ctypes.c_int, _sz]),
    "pov_policy_criterion_test_count": (_sz, [_vp, ctypes.c_int, _sz]),
    "pov_policy_threshold": ("status", [_vp, ctypes.c_int, _sz, _sz, ctypes.c_int, _cs, _dp]),
    "pov_policy_to_json": ("status", [_vp, ctypes.POINTER(_vp)]),
    "pov_policy_assess_dataset": ("status", [_vp, _vp, ctypes.c_int, ctypes.POINTER(_vp)]),
    "pov_policy_assess_household": ("status", [_vp, _vp, ctypes.c_int, ctypes.POINTER(_vp)]),
    "pov_assessment_free": (None, [_vp]),
    "pov_assessment_count": (_sz, [_vp]),
    "pov_assessment_criterion_count": (_sz, [_vp]),
    "pov_assessment_get": ("status", [_vp, _sz, _sz, ctypes.POINTER(_CritResult)]),
    "pov_assessment_outcomes": (_vp, [_vp, _sz]),
    "pov_assessment_values": (_vp, [_vp, _sz]),
    "pov_assessment_eligible": (_vp, [_vp]),
    "pov_assessment_two_three": (_vp, [_vp, ctypes.c_int]),
    "pov_assessment_to_json": ("status", [_vp, _sz, ctypes.POINTER(_vp)]),
    "pov_policy_two_three_household": ("status", [_vp, _vp, ctypes.c_int,
                                                  ctypes.POINTER(ctypes.c_int)]),
    "pov_policy_two_three_dataset": ("status", [_vp, _vp, ctypes.c_int, _u8p]),
    "pov_unit_inputs_new": ("status", [ctypes.POINTER(_vp)]),
    "pov_unit_inputs_free": (None, [_vp]),
    "pov_unit_inputs_set_number": ("status", [_vp, _cs, _cs, ctypes.c_double]),
    "pov_unit_inputs_set_boolean": ("status", [_vp, _cs, _cs, ctypes.c_int]),
    "pov_unit_inputs_load_string": ("status", [_vp, _cs, _sz, _cs]),
    "pov_policy_assess_units": ("status", [_vp, _vp, ctypes.c_int, ctypes.c_int, _vp,
                                           ctypes.POINTER(_vp)]),
    "pov_unit_result_free": (None, [_vp]),
    "pov_unit_result_count": (_sz, [_vp]),
    "pov_unit_result_criterion_count": (_sz, [_vp]),
    "pov_unit_result_code": (_cs, [_vp, _sz]),
    "pov_unit_result_households": (_sz, [_vp, _sz]),
    "pov_unit_result_outcome": ("status", [_vp, _sz]),
    "pov_unit_result_get": ("status", [_vp, _sz, _sz, ctypes.POINTER(_CritResult)]),
    "pov_unit_result_blocker_count": (_sz, [_vp, _sz]),
    "pov_unit_result_blocker": ("status", [_vp, _sz, _sz, ctypes.POINTER(_sz),
                                           ctypes.POINTER(_sz), ctypes.POINTER(ctypes.c_int),
                                           ctypes.POINTER(ctypes.c_int)]),
    "pov_unit_result_blocker_reason": ("status", [_vp, _sz, _sz, ctypes.POINTER(_vp)]),
    "pov_unit_result_to_string": ("status", [_vp, ctypes.c_int, ctypes.POINTER(_vp)]),
    "pov_policy_report": ("status", [_vp, _vp, ctypes.c_int, ctypes.POINTER(_vp)]),
    "pov_report_free": (None, [_vp]),
    "pov_report_count": (_sz, [_vp]),
    "pov_report_unit": (_cs, [_vp, _sz]),
    "pov_report_year": (ctypes.c_int, [_vp, _sz]),
    "pov_report_value": (ctypes.c_double, [_vp, _sz, ctypes.c_int]),
    "pov_report_field_name": (_cs, [ctypes.c_int]),
    "pov_report_to_json": ("status", [_vp, ctypes.POINTER(_vp)]),
    "pov_policy_monitor_dataset": ("status", [_vp, _vp, ctypes.c_int, ctypes.POINTER(_vp)]),
    "pov_policy_monitor_household": ("status", [_vp, _vp, ctypes.c_int, ctypes.POINTER(_vp)]),
    "pov_policy_eliminate_dataset": ("status", [_vp, _vp, ctypes.c_int, ctypes.POINTER(_vp)]),
    "pov_policy_eliminate_household": ("status", [_vp, _vp, ctypes.c_int,
                                                  ctypes.POINTER(_vp)]),
    "pov_assessment_level": ("status", [_vp]),
    "pov_assessment_groups": (_vp, [_vp]),
    "pov_monitor_group_name": (_cs, [ctypes.c_int]),
    "pov_policy_reason_count": (_sz, [_vp]),
    "pov_policy_reason": (_cs, [_vp, _sz]),
    "pov_policy_trigger_reason": (_cs, [_vp, _sz]),
    "pov_policy_trigger_groups": (ctypes.c_uint, [_vp, _sz]),
    "pov_policy_group_defined": ("status", [_vp, ctypes.c_int]),
})

#: Monitoring groups by code (pov_monitor_group), in precedence order after "none".
GROUPS = tuple(_ffi.py_str(_f["pov_monitor_group_name"](k)) for k in range(5))

REPORT_FIELDS = tuple(_ffi.py_str(_f["pov_report_field_name"](k)) for k in range(12))

_free = _ffi.lib["pov_free"]
_free.restype = None
_free.argtypes = [_vp]
_dataset_count = _ffi.lib["pov_dataset_count"]
_dataset_count.restype = _sz
_dataset_count.argtypes = [_vp]


def _take_string(p):
    """Decodes and frees a string the library allocated."""
    try:
        return ctypes.string_at(p.value).decode("utf-8")
    finally:
        _free(p)


def _outcome(code):
    return True if code == PASS else False if code == FAIL else None


def _num(x):
    return None if math.isnan(x) else x


def _level(level):
    if isinstance(level, str):
        try:
            return _LEVELS[level]
        except KeyError:
            raise ValueError("level must be household, village, county, monitoring or "
                             f"risk_elimination, not {level!r}") from None
    return int(level)


def default_names():
    """Names of the embedded policies (``["national_2016", "guangxi_2016"]``)."""
    return [_ffi.py_str(_f["pov_policy_default_name"](i))
            for i in range(_f["pov_policy_default_count"]())]


def _view(ptr, ctype, n, owner):
    """A memoryview on C memory owned by ``owner`` (kept alive by the view)."""
    if not ptr or n == 0:
        return memoryview(b"").cast("B") if ctype is ctypes.c_uint8 else \
            memoryview(b"").cast("d")
    arr = (ctype * n).from_address(ptr)
    arr.owner = owner  # the result object must outlive the view
    # ctypes exports "<B" / "<d"; cast to the native formats Python indexes
    return memoryview(arr).cast("B").cast("B" if ctype is ctypes.c_uint8 else "d")


class Policy(_ffi.Owned):
    """A compiled exit policy (immutable; safe to share between threads).

    Build with :meth:`default`, :meth:`load` or :meth:`from_string`.
    """

    _kind = "policy"

    def __init__(self, _ptr):
        self._own(_ptr, _f["pov_policy_free"])

    # -- construction -----------------------------------------------------
    @classmethod
    def default(cls, name):
        """An embedded policy: ``"national_2016"`` or ``"guangxi_2016"``."""
        out = _vp()
        _f["pov_policy_default"](_ffi.c_str(name, "name"), ctypes.byref(out))
        return cls(out.value)

    @staticmethod
    def _opts(parent):
        o = _LoadOptions()
        _f["pov_policy_load_options_init"](ctypes.byref(o))
        if parent is not None:
            o.parent = parent._live()
        return o

    @classmethod
    def from_string(cls, text, parent=None, source=None):
        """Loads a ``povmetrics.policy/1`` document (str, bytes or a dict).
        ``parent``: the :class:`Policy` its ``inherits`` names (default: an
        embedded one)."""
        if isinstance(text, dict):
            text = json.dumps(text, ensure_ascii=False, allow_nan=False)
        data = text.encode("utf-8") if isinstance(text, str) else bytes(text)
        out = _vp()
        o = cls._opts(parent)
        _f["pov_policy_load_string"](data, len(data), _ffi.c_str(source, "source"),
                                     ctypes.byref(o), ctypes.byref(out))
        return cls(out.value)

    @classmethod
    def load(cls, path, parent=None):
        """Loads a policy file."""
        out = _vp()
        o = cls._opts(parent)
        _f["pov_policy_load_file"](_ffi.c_str(path, "path"), ctypes.byref(o), ctypes.byref(out))
        return cls(out.value)

    @property
    def _as_parameter_(self):
        return ctypes.c_void_p(self._live())

    # -- properties -------------------------------------------------------
    def _s(self, fn):
        return _ffi.py_str(_f[fn](self._live()))

    id = property(lambda self: self._s("pov_policy_id"))
    title_zh = property(lambda self: self._s("pov_policy_title_zh"))
    title_en = property(lambda self: self._s("pov_policy_title_en"))
    version = property(lambda self: self._s("pov_policy_version"))
    region = property(lambda self: self._s("pov_policy_region"))
    inherits = property(lambda self: self._s("pov_policy_inherits") or None)

    @property
    def schema(self):
        """The schema the criteria use (core + the policy's indicators), as a
        :class:`Schema` borrowed from the policy: usable while the policy is
        open (households and datasets made with it keep their own reference)."""
        return Schema._from_ptr(_f["pov_policy_schema"](self._live()), owner=self)

    def derive_options(self):
        """The income definition as a dict of ``pov_derive_options`` fields
        (``history_indicators`` included: 1, the library default)."""
        o = _DeriveOptions()
        _f["pov_policy_derive_options"](self._live(), ctypes.byref(o))
        return {name: getattr(o, name) for name, _t in _DeriveOptions._fields_ if name != "size"}

    def derive_arguments(self):
        """The income definition as keyword arguments of ``Dataset.derive()``
        / ``Household.derive()`` / ``derive_options()``, so that
        ``ds.derive(**policy.derive_arguments())`` recomputes a dataset's
        derived values under this policy."""
        o = self.derive_options()
        return {
            "components": [k for k, bit in INCOME_COMPONENTS.items()
                           if o["income_components"] & bit],
            "exclusions": [k for k, bit in INCOME_EXCLUSIONS.items()
                           if o["income_exclusions"] & bit],
            "subtract_production_costs": bool(o["subtract_production_costs"]),
            "labour_ages": (o["labour_age_min"], o["labour_age_max"]),
            "school_ages": (o["school_age_min"], o["school_age_max"]),
            "history_indicators": bool(o["history_indicators"]),
        }

    def poverty_line(self, year, region=None):
        """Line of ``year`` (yuan/person/year); raises NotFoundError when the
        policy has none (e.g. 2017 in the national policy)."""
        v = ctypes.c_double()
        _f["pov_policy_poverty_line"](self._live(), int(year), _ffi.c_str(region, "region"),
                                      ctypes.byref(v))
        return v.value

    def poverty_line_source(self, year, region=None):
        """Citation of the line's source, or None."""
        s = _f["pov_policy_poverty_line_source"](self._live(), int(year),
                                                 _ffi.c_str(region, "region"))
        return None if s is None else _ffi.py_str(s)

    def criterion_ids(self, level=HOUSEHOLD):
        """Ids of the criteria of ``level`` (0/"household", 1/"village", 2/"county")."""
        lv = _level(level)
        n = _f["pov_policy_criterion_count"](self._live(), lv)
        return [_ffi.py_str(_f["pov_policy_criterion_id"](self._ptr, lv, i)) for i in range(n)]

    def _index(self, level, criterion):
        if isinstance(criterion, int):
            return criterion
        k = _sz()
        _f["pov_policy_criterion_find"](self._live(), _level(level),
                                        _ffi.c_str(criterion, "criterion"), ctypes.byref(k))
        return k.value

    def criterion(self, level, criterion):
        """A criterion's id, labels, source, dimension and number of tests."""
        lv, i = _level(level), self._index(level, criterion)
        g = lambda fn: _ffi.py_str(_f[fn](self._live(), lv, i))  # noqa: E731
        if _f["pov_policy_criterion_id"](self._live(), lv, i) is None:
            raise IndexError(f"no criterion {criterion!r}")
        return {"id": g("pov_policy_criterion_id"),
                "label_zh": g("pov_policy_criterion_label_zh"),
                "label_en": g("pov_policy_criterion_label_en"),
                "source": g("pov_policy_criterion_source"),
                "dimension": g("pov_policy_criterion_dimension") or None,
                "tests": _f["pov_policy_criterion_test_count"](self._ptr, lv, i)}

    def threshold(self, level, criterion, test, year, region=None):
        """Threshold of test ``test`` of a criterion for ``year`` and ``region``."""
        v = ctypes.c_double()
        _f["pov_policy_threshold"](self._live(), _level(level), self._index(level, criterion),
                                   int(test), int(year), _ffi.c_str(region, "region"),
                                   ctypes.byref(v))
        return v.value

    def to_json(self):
        """The resolved document (inheritance applied) as a dict."""
        out = _vp()
        _f["pov_policy_to_json"](self._live(), ctypes.byref(out))
        return json.loads(_take_string(out))

    # -- assessment ---------------------------------------------------------
    def assess(self, data, year):
        """Assesses a household or every household of a dataset (batch path)
        against the household criteria of ``year``; returns an :class:`Assessment`."""
        out = _vp()
        fn = "pov_policy_assess_dataset" if _is_dataset(data) else "pov_policy_assess_household"
        _f[fn](self._live(), _handle(data, "data"), int(year), ctypes.byref(out))
        return Assessment(self, out.value)

    def two_three(self, household, year):
        """"Two no-worries, three guarantees" plus water for one household:
        ``{"food": True/False/None, ..., "water": ...}``."""
        arr = (ctypes.c_int * 6)()
        _f["pov_policy_two_three_household"](self._live(), _handle(household, "household"),
                                             int(year), arr)
        return {d: _outcome(arr[k]) for k, d in enumerate(DIMENSIONS)}

    def two_three_dataset(self, dataset, year):
        """The same for every household: ``{dimension: bytes of outcome codes}``."""
        d = _handle(dataset, "dataset")
        n = _dataset_count(d)
        buf = (ctypes.c_uint8 * (6 * n + 1))()
        _f["pov_policy_two_three_dataset"](self._live(), d, int(year),
                                           ctypes.cast(buf, _u8p))
        raw = bytes(buf)
        return {dim: raw[k * n:(k + 1) * n] for k, dim in enumerate(DIMENSIONS)}

    def assess_units(self, dataset, level, year, inputs=None):
        """Assesses every village (``VILLAGE``) or county (``COUNTY``) of a
        dataset; ``inputs``: a :class:`UnitInputs` or a dict
        ``{unit code: {name: value}}``. Returns a :class:`UnitResult`."""
        if inputs is not None and not isinstance(inputs, UnitInputs):
            inputs = UnitInputs(inputs)
        out = _vp()
        _f["pov_policy_assess_units"](self._live(), _handle(dataset, "dataset"), _level(level),
                                      int(year), inputs._live() if inputs else None,
                                      ctypes.byref(out))
        return UnitResult(self, out.value)

    def _report(self, dataset, level):
        out = _vp()
        _f["pov_policy_report"](self._live(), _handle(dataset, "dataset"), _level(level),
                                ctypes.byref(out))
        return out.value

    def report(self, dataset, level):
        """Report indicators per unit and year: a list of dicts with
        ``unit``, ``year`` and the fields of :data:`REPORT_FIELDS` (None
        where undefined), sorted by unit then year."""
        r = self._report(dataset, level)
        try:
            rows = []
            for k in range(_f["pov_report_count"](r)):
                row = {"unit": _ffi.py_str(_f["pov_report_unit"](r, k)),
                       "year": _f["pov_report_year"](r, k)}
                for j, name in enumerate(REPORT_FIELDS):
                    row[name] = _num(_f["pov_report_value"](r, k, j))
                rows.append(row)
        finally:
            _f["pov_report_free"](r)
        return rows

    def report_json(self, dataset, level):
        """The same report through the library's JSON writer (a list of dicts)."""
        r = self._report(dataset, level)
        try:
            js = _vp()
            _f["pov_report_to_json"](r, ctypes.byref(js))
            return json.loads(_take_string(js))
        finally:
            _f["pov_report_free"](r)

    # -- monitoring and risk elimination (docs/policy-format.md §12-§13) ----
    def monitor(self, data, year):
        """Monitoring classification of a household or every household of a
        dataset (batch path); returns an :class:`Assessment` whose criteria
        are the triggers (outcome True = fired) with :meth:`Assessment.group`
        and :meth:`Assessment.reasons`."""
        out = _vp()
        fn = "pov_policy_monitor_dataset" if _is_dataset(data) else \
            "pov_policy_monitor_household"
        _f[fn](self._live(), _handle(data, "data"), int(year), ctypes.byref(out))
        return Assessment(self, out.value)

    def eliminate(self, data, year):
        """Risk-elimination check (风险消除) of a household or dataset: an
        :class:`Assessment` whose eligibility is True / False / None and whose
        :meth:`Assessment.failing` names the failing criteria."""
        out = _vp()
        fn = "pov_policy_eliminate_dataset" if _is_dataset(data) else \
            "pov_policy_eliminate_household"
        _f[fn](self._live(), _handle(data, "data"), int(year), ctypes.byref(out))
        return Assessment(self, out.value)

    def reasons(self):
        """Declared monitoring reason codes (``monitoring_reasons``)."""
        n = _f["pov_policy_reason_count"](self._live())
        return [_ffi.py_str(_f["pov_policy_reason"](self._ptr, i)) for i in range(n)]

    def trigger(self, criterion):
        """A monitoring trigger's reason code (None when it names none) and
        the groups it counts for."""
        i = self._index(MONITORING, criterion)
        r = _f["pov_policy_trigger_reason"](self._live(), i)
        if r is None:
            raise IndexError(f"no monitoring trigger {criterion!r}")
        bits = _f["pov_policy_trigger_groups"](self._ptr, i)
        return {"reason": _ffi.py_str(r) or None,
                "groups": [GROUPS[g + 1] for g in range(3) if bits & (1 << g)]}

    def group_defined(self, group):
        """True when the policy defines monitoring group ``group`` (a name or 1..3)."""
        g = GROUPS.index(group) if isinstance(group, str) else int(group)
        return bool(_f["pov_policy_group_defined"](self._live(), g))

    def __repr__(self):
        return f"<povmetrics.Policy {self.id if self._ptr else 'closed'}>"


def _is_dataset(obj):
    """True for a dataset, False for a household (by the binding class name,
    or an ``is_dataset`` attribute)."""
    if hasattr(obj, "is_dataset"):
        return bool(obj.is_dataset)
    name = type(obj).__name__.lower()
    if "dataset" in name:
        return True
    if "household" in name:
        return False
    raise TypeError(f"expected a povmetrics Household or Dataset, not {type(obj).__name__}")


class Assessment(_ffi.Owned):
    """Household assessment: per household and criterion the outcome, the
    value used, the threshold and the margin; exit eligibility; the six
    dimensions of "two no-worries, three guarantees"."""

    _kind = "assessment"

    def __init__(self, policy, ptr):
        self._policy = policy
        self._own(ptr, _f["pov_assessment_free"])
        #: HOUSEHOLD, MONITORING or ELIMINATION: whose criteria are the columns
        self.level = _f["pov_assessment_level"](ptr)
        self.criteria = policy.criterion_ids(self.level)

    def __len__(self):
        return _f["pov_assessment_count"](self._live())

    def _c(self, criterion):
        if isinstance(criterion, int):
            return criterion
        try:
            return self.criteria.index(criterion)
        except ValueError:
            raise KeyError(f"no criterion {criterion!r}") from None

    def get(self, row, criterion):
        """``{"outcome": True/False/None, "test", "value", "threshold", "margin"}``
        (numbers None when undefined)."""
        r = _CritResult(size=ctypes.sizeof(_CritResult))
        _f["pov_assessment_get"](self._live(), int(row), self._c(criterion), ctypes.byref(r))
        return {"outcome": _outcome(r.outcome), "test": r.test if r.test >= 0 else None,
                "value": _num(r.value), "threshold": _num(r.threshold),
                "margin": _num(r.margin)}

    def outcomes(self, criterion):
        """Outcome codes of a criterion for every household (zero-copy
        memoryview of bytes FAIL/PASS/UNKNOWN; keeps the assessment alive)."""
        p = _f["pov_assessment_outcomes"](self._live(), self._c(criterion))
        if not p:
            raise IndexError(f"no criterion {criterion!r}")
        return _view(p, ctypes.c_uint8, len(self), self)

    def values(self, criterion):
        """Reported values of a criterion (zero-copy memoryview of doubles)."""
        p = _f["pov_assessment_values"](self._live(), self._c(criterion))
        if not p:
            raise IndexError(f"no criterion {criterion!r}")
        return _view(p, ctypes.c_double, len(self), self)

    def eligible(self):
        """Exit eligibility codes of every household (zero-copy memoryview)."""
        return _view(_f["pov_assessment_eligible"](self._live()), ctypes.c_uint8, len(self),
                     self)

    def two_three(self, dimension):
        """Outcome codes of one dimension (``"food"`` … ``"water"``) for every
        household (zero-copy memoryview)."""
        k = DIMENSIONS.index(dimension) if isinstance(dimension, str) else int(dimension)
        p = _f["pov_assessment_two_three"](self._live(), k)
        if not p:
            raise IndexError(f"no dimension {dimension!r}")
        return _view(p, ctypes.c_uint8, len(self), self)

    def is_eligible(self, row=0):
        """Exit eligibility of one household: True, False or None."""
        return _outcome(self.eligible()[row])

    def to_json(self, row=0):
        """One household's result as a dict."""
        out = _vp()
        _f["pov_assessment_to_json"](self._live(), int(row), ctypes.byref(out))
        return json.loads(_take_string(out))

    def groups(self):
        """Monitoring group codes (index into :data:`GROUPS`) of every
        household (zero-copy memoryview); a monitoring result only."""
        p = _f["pov_assessment_groups"](self._live())
        if not p:
            raise ValueError("not a monitoring result (use Policy.monitor)")
        return _view(p, ctypes.c_uint8, len(self), self)

    def group(self, row=0):
        """Monitoring group name of one household ("none", "unstable_exited",
        "marginal", "sudden_hardship" or "unknown")."""
        return GROUPS[self.groups()[row]]

    def reasons(self, row=0):
        """Reason codes of the triggers that fired for one household (each
        once, in the policy's declaration order)."""
        if self.level != MONITORING:
            raise ValueError("not a monitoring result (use Policy.monitor)")
        fired = set()
        for c in range(len(self.criteria)):
            if self.outcomes(c)[row] == PASS:
                r = self._policy.trigger(c)["reason"]
                if r:
                    fired.add(r)
        return [r for r in self._policy.reasons() if r in fired]

    def failing(self, row=0, unknown=False):
        """Ids of the criteria that fail for one household (with
        ``unknown=True``, also those that are unknown)."""
        bad = (FAIL, UNKNOWN) if unknown else (FAIL,)
        return [cid for c, cid in enumerate(self.criteria) if self.outcomes(c)[row] in bad]


class UnitInputs(_ffi.Owned):
    """Unit-level inputs (collective income, road width, approval rate...):
    ``UnitInputs({"450123101": {"collective_income": 20000, "good_committee": True}})``."""

    _kind = "set of unit inputs"

    def __init__(self, data=None):
        out = _vp()
        _f["pov_unit_inputs_new"](ctypes.byref(out))
        self._own(out.value, _f["pov_unit_inputs_free"])
        if data:
            for unit, values in data.items():
                for name, value in values.items():
                    self.set(unit, name, value)

    def set(self, unit, name, value):
        """Sets a number, or a boolean when ``value`` is a bool."""
        u, n = _ffi.c_str(unit, "unit"), _ffi.c_str(name, "name")
        if isinstance(value, bool):
            _f["pov_unit_inputs_set_boolean"](self._live(), u, n, int(value))
        else:
            _f["pov_unit_inputs_set_number"](self._live(), u, n, float(value))

    def load_json(self, text, source=None):
        """Adds inputs from JSON text ``{"<unit>": {"<name>": value}}``."""
        data = text.encode("utf-8") if isinstance(text, str) else bytes(text)
        _f["pov_unit_inputs_load_string"](self._live(), data, len(data),
                                          _ffi.c_str(source, "source"))


class UnitResult(_ffi.Owned):
    """Village or county assessment: per unit the criteria (value,
    threshold, margin), the overall outcome and the blocking households."""

    _kind = "result"

    def __init__(self, policy, ptr):
        self._policy = policy
        self._own(ptr, _f["pov_unit_result_free"])

    def __len__(self):
        return _f["pov_unit_result_count"](self._live())

    def units(self):
        """A list of dicts: ``code``, ``households``, ``outcome``,
        ``criteria`` (list of dicts) and ``blockers`` (list of dicts)."""
        r = self._live()
        nc = _f["pov_unit_result_criterion_count"](r)
        out = []
        for u in range(len(self)):
            crit = []
            for c in range(nc):
                x = _CritResult(size=ctypes.sizeof(_CritResult))
                _f["pov_unit_result_get"](r, u, c, ctypes.byref(x))
                crit.append({"outcome": _outcome(x.outcome),
                             "test": x.test if x.test >= 0 else None,
                             "value": _num(x.value), "threshold": _num(x.threshold),
                             "margin": _num(x.margin)})
            blockers = []
            for k in range(_f["pov_unit_result_blocker_count"](r, u)):
                row, uc = _sz(), _sz()
                hc, oc = ctypes.c_int(), ctypes.c_int()
                _f["pov_unit_result_blocker"](r, u, k, ctypes.byref(row), ctypes.byref(uc),
                                              ctypes.byref(hc), ctypes.byref(oc))
                reason = _vp()
                _f["pov_unit_result_blocker_reason"](r, u, k, ctypes.byref(reason))
                blockers.append({"row": row.value, "criterion": uc.value,
                                 "household_criterion": hc.value if hc.value >= 0 else None,
                                 "outcome": _outcome(oc.value),
                                 "reason": _take_string(reason)})
            out.append({"code": _ffi.py_str(_f["pov_unit_result_code"](r, u)),
                        "households": _f["pov_unit_result_households"](r, u),
                        "outcome": _outcome(_f["pov_unit_result_outcome"](r, u)),
                        "criteria": crit, "blockers": blockers})
        return out

    def to_text(self):
        """A plain-text report with each criterion's value, threshold and margin."""
        out = _vp()
        _f["pov_unit_result_to_string"](self._live(), 1, ctypes.byref(out))
        return _take_string(out)

    def to_json(self):
        """The result as a dict (the library's JSON)."""
        out = _vp()
        _f["pov_unit_result_to_string"](self._live(), 0, ctypes.byref(out))
        return json.loads(_take_string(out))
