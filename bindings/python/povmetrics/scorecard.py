"""Scorecards: household scoring, explanations, deliberation and identification.

A :class:`Scorecard` is loaded once (from a file, a string, or one of the
scorecards embedded in the library) and is immutable::

    sc = Scorecard.default("guangxi_style_2015")   # needs no files
    res = sc.score(dataset, mode="lenient")       # a ScoreResult
    res.totals                                     # array('d') of raw scores
    res.explain(0)                                 # text a village cadre can read
    res.explain(0, "json")                         # the same as a dict
    res.adjust(0, -2, "illness", "village meeting", "2015-11-20")
    ident = res.identify()                         # cut-off or quota
    ident.statuses, ident.units()

The format is documented in docs/scorecard-format.md. Load errors raise the
matching :mod:`povmetrics.errors` exception with ``path`` (e.g.
``categories[2].items[5].bands[1].min``), ``line`` and ``column``.
"""
import array
import ctypes
import json
import math
import os

from . import _ffi

__all__ = ["Scorecard", "ScoreResult", "Identification", "NOT_IDENTIFIED", "IDENTIFIED",
           "VETOED"]

NOT_IDENTIFIED = 0
IDENTIFIED = 1
VETOED = 2
_STATUS_NAMES = {0: "not_identified", 1: "identified", 2: "vetoed"}
_LEVELS = {"village": 0, "county": 1}
_MODES = {"strict": 0, "lenient": 1}
_DETAILS = {"items": 0, "totals": 1}
_WRITE_FORMATS = {"jsonl": 2, "csv": 3}  # POV_FORMAT_JSONL, POV_FORMAT_CSV (io.h)

_vp = ctypes.c_void_p
_sz = ctypes.c_size_t
_d = ctypes.c_double
_szp = ctypes.POINTER(_sz)
_dp = ctypes.POINTER(_d)


class _ScoreOptions(ctypes.Structure):
    _fields_ = [("size", _sz), ("mode", ctypes.c_int), ("detail", ctypes.c_int)]


class _IdentifyOptions(ctypes.Structure):
    _fields_ = [("size", _sz), ("cutoff", _d), ("margin", _d), ("level", ctypes.c_int)]


class _UnitCounts(ctypes.Structure):
    _fields_ = [("size", _sz), ("households", _sz), ("people", _d), ("identified", _sz),
                ("identified_people", _d), ("vetoed", _sz), ("review", _sz), ("quota", _d),
                ("line", _d)]


_f = _ffi.bind({
    "pov_scorecard_load_file": ("status", [ctypes.c_char_p, ctypes.POINTER(_vp)]),
    "pov_scorecard_load_string": ("status", [ctypes.c_char_p, _sz, ctypes.c_char_p,
                                             ctypes.POINTER(_vp)]),
    "pov_scorecard_default": ("status", [ctypes.c_char_p, ctypes.POINTER(_vp)]),
    "pov_scorecard_default_json": ("status", [ctypes.c_char_p, ctypes.POINTER(_vp), _szp]),
    "pov_scorecard_free": (None, [_vp]),
    "pov_scorecard_id": (ctypes.c_char_p, [_vp]),
    "pov_scorecard_version": (ctypes.c_char_p, [_vp]),
    "pov_scorecard_title": (ctypes.c_char_p, [_vp]),
    "pov_scorecard_schema": (_vp, [_vp]),
    "pov_scorecard_category_count": (_sz, [_vp]),
    "pov_scorecard_category_id": (ctypes.c_char_p, [_vp, _sz]),
    "pov_scorecard_item_count": (_sz, [_vp]),
    "pov_scorecard_item_id": (ctypes.c_char_p, [_vp, _sz]),
    "pov_scorecard_item_category": (_sz, [_vp, _sz]),
    "pov_scorecard_veto_count": (_sz, [_vp]),
    "pov_scorecard_veto_id": (ctypes.c_char_p, [_vp, _sz]),
    "pov_scorecard_max_total": (_d, [_vp]),
    "pov_score_options_init": ("status", [ctypes.POINTER(_ScoreOptions)]),
    "pov_scorecard_score": ("status", [_vp, _vp, ctypes.POINTER(_ScoreOptions),
                                       ctypes.POINTER(_vp)]),
    "pov_scorecard_score_household": ("status", [_vp, _vp, ctypes.POINTER(_ScoreOptions),
                                                 ctypes.POINTER(_vp)]),
    "pov_score_result_free": (None, [_vp]),
    "pov_score_result_count": (_sz, [_vp]),
    "pov_score_result_household_id": (ctypes.c_char_p, [_vp, _sz]),
    "pov_score_result_totals": (_dp, [_vp]),
    "pov_score_result_adjusted": (_dp, [_vp]),
    "pov_score_result_category": (_d, [_vp, _sz, _sz]),
    "pov_score_result_item_points": (_d, [_vp, _sz, _sz]),
    "pov_score_result_item_value": (_d, [_vp, _sz, _sz]),
    "pov_score_result_item_missing": ("status", [_vp, _sz, _sz]),
    "pov_score_result_missing_count": (_sz, [_vp, _sz]),
    "pov_score_result_veto_count": (_sz, [_vp, _sz]),
    "pov_score_result_veto_hit": ("status", [_vp, _sz, _sz]),
    "pov_score_result_rank": ("status", [_vp, _sz, ctypes.c_int, _szp, _szp, _dp]),
    "pov_score_result_adjust": ("status", [_vp, _sz, _d, ctypes.c_char_p, ctypes.c_char_p,
                                           ctypes.c_char_p]),
    "pov_score_result_adjustment_count": (_sz, [_vp, _sz]),
    "pov_score_result_explain": ("status", [_vp, _sz, ctypes.c_int, ctypes.POINTER(_vp)]),
    "pov_score_result_likelihood": (_d, [_vp, _sz]),
    "pov_score_result_poverty_rate": ("status", [_vp, _dp]),
    "pov_score_result_write": ("status", [_vp, ctypes.c_char_p, ctypes.c_int]),
    "pov_identify_options_init": ("status", [ctypes.POINTER(_IdentifyOptions)]),
    "pov_score_result_identify": ("status", [_vp, ctypes.POINTER(_IdentifyOptions),
                                             ctypes.POINTER(_vp)]),
    "pov_identification_free": (None, [_vp]),
    "pov_identification_count": (_sz, [_vp]),
    "pov_identification_statuses": (ctypes.POINTER(ctypes.c_int32), [_vp]),
    "pov_identification_review": ("status", [_vp, _sz]),
    "pov_identification_unit_count": (_sz, [_vp]),
    "pov_identification_unit": ("status", [_vp, _sz, ctypes.POINTER(ctypes.c_char_p),
                                           ctypes.POINTER(_UnitCounts)]),
})


_handle = _ffi.handle_of  # the C pointer behind a binding object


def _enum(table, value, what):
    try:
        return table[value]
    except (KeyError, TypeError):
        raise ValueError(f"{what} must be one of {sorted(table)}, not {value!r}") from None


def _copy_doubles(ptr, n):
    out = array.array("d", bytes(8 * n))
    if n:
        ctypes.memmove(out.buffer_info()[0], ptr, 8 * n)
    return out


def _nan_none(v):
    return None if math.isnan(v) else v


class Scorecard(_ffi.Owned):
    """A compiled scorecard (immutable; safe to share between threads).

    Build one with :meth:`from_file`, :meth:`from_string` or :meth:`default`.
    """

    _kind = "scorecard"

    def __init__(self, _ptr):
        self._own(_ptr, _f["pov_scorecard_free"])

    # -- construction ------------------------------------------------------
    @classmethod
    def from_file(cls, path):
        """Loads and validates a ``povmetrics.scorecard/1`` file."""
        out = _vp()
        _f["pov_scorecard_load_file"](_ffi.c_str(os.fspath(path), "path"), ctypes.byref(out))
        return cls(out.value)

    @classmethod
    def from_string(cls, text, source=None):
        """Loads a scorecard from JSON text (str or bytes) or from Python data
        (a dict, serialised with :func:`json.dumps`)."""
        if isinstance(text, (bytes, bytearray)):
            data = bytes(text)
        elif isinstance(text, str):
            data = text.encode("utf-8")
        else:
            data = json.dumps(text, allow_nan=False, ensure_ascii=False).encode("utf-8")
        out = _vp()
        _f["pov_scorecard_load_string"](data, len(data), _ffi.c_str(source, "source"),
                                        ctypes.byref(out))
        return cls(out.value)

    @classmethod
    def default(cls, name=None):
        """Loads an embedded scorecard: ``"guangxi_style_2015"`` (the default)
        or ``"ppi_style"``. Needs no files."""
        out = _vp()
        _f["pov_scorecard_default"](_ffi.c_str(name, "name"), ctypes.byref(out))
        return cls(out.value)

    @staticmethod
    def default_json(name=None):
        """The JSON text of an embedded scorecard, as a str."""
        p = _vp()
        n = _sz()
        _f["pov_scorecard_default_json"](_ffi.c_str(name, "name"), ctypes.byref(p),
                                         ctypes.byref(n))
        return ctypes.string_at(p.value, n.value).decode("utf-8")

    @property
    def _as_parameter_(self):
        return _vp(self._live())

    # -- properties ------------------------------------------------------------
    @property
    def id(self):
        return _ffi.py_str(_f["pov_scorecard_id"](self._live()))

    @property
    def version(self):
        return _ffi.py_str(_f["pov_scorecard_version"](self._live()))

    @property
    def title(self):
        return _ffi.py_str(_f["pov_scorecard_title"](self._live()))

    @property
    def schema_handle(self):
        """The C pointer of the scorecard's schema (core + its extension
        indicators), owned by the scorecard; pass it to readers so that the
        extension indicators are read."""
        return _f["pov_scorecard_schema"](self._live())

    @property
    def categories(self):
        p = self._live()
        return [_ffi.py_str(_f["pov_scorecard_category_id"](p, c))
                for c in range(_f["pov_scorecard_category_count"](p))]

    @property
    def items(self):
        p = self._live()
        return [_ffi.py_str(_f["pov_scorecard_item_id"](p, k))
                for k in range(_f["pov_scorecard_item_count"](p))]

    def item_category(self, k):
        """Category index of item ``k``."""
        c = _f["pov_scorecard_item_category"](self._live(), k)
        if c == ctypes.c_size_t(-1).value:
            raise IndexError(f"no item {k}")
        return c

    @property
    def vetoes(self):
        p = self._live()
        return [_ffi.py_str(_f["pov_scorecard_veto_id"](p, v))
                for v in range(_f["pov_scorecard_veto_count"](p))]

    @property
    def max_total(self):
        return _f["pov_scorecard_max_total"](self._live())

    # -- scoring ---------------------------------------------------------------
    def _options(self, mode, detail):
        o = _ScoreOptions()
        _f["pov_score_options_init"](ctypes.byref(o))
        o.mode = _enum(_MODES, mode, "mode")
        o.detail = _enum(_DETAILS, detail, "detail")
        return o

    def score(self, dataset, mode="strict", detail="items"):
        """Scores every household of a dataset; returns a :class:`ScoreResult`.

        :param mode: ``"strict"`` (a missing input without declared points is
            an error naming household and indicator) or ``"lenient"`` (the item
            scores 0, is flagged and counted)
        :param detail: ``"items"`` (per-item values and points; needed for
            explanations) or ``"totals"``
        """
        o = self._options(mode, detail)
        out = _vp()
        _f["pov_scorecard_score"](self._live(), _handle(dataset, "dataset"), ctypes.byref(o),
                                  ctypes.byref(out))
        return ScoreResult(out.value, self)

    def score_household(self, household, mode="strict", detail="items"):
        """Scores one household (the same code as :meth:`score`)."""
        o = self._options(mode, detail)
        out = _vp()
        _f["pov_scorecard_score_household"](self._live(), _handle(household, "household"),
                                            ctypes.byref(o), ctypes.byref(out))
        return ScoreResult(out.value, self)

    def __repr__(self):
        if not self._ptr:
            return "<povmetrics.Scorecard closed>"
        return f"<povmetrics.Scorecard {self.id} {self.version}>"


class ScoreResult(_ffi.Owned):
    """The scores of a set of households (one thread at a time)."""

    _kind = "result"

    def __init__(self, ptr, scorecard):
        self._own(ptr, _f["pov_score_result_free"])
        self._scorecard = scorecard

    def _index(self, i):
        n = len(self)
        if not isinstance(i, int):
            raise TypeError("household index must be an int")
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError(f"household index {i} out of range (0..{n - 1})")
        return i

    def __len__(self):
        return _f["pov_score_result_count"](self._live())

    @property
    def ids(self):
        p = self._live()
        return [_ffi.py_str(_f["pov_score_result_household_id"](p, i)) for i in range(len(self))]

    @property
    def totals(self):
        """Raw scores, ``array('d')`` (a copy)."""
        return _copy_doubles(_f["pov_score_result_totals"](self._live()), len(self))

    @property
    def adjusted(self):
        """Adjusted scores (raw + deliberation), ``array('d')`` (a copy)."""
        return _copy_doubles(_f["pov_score_result_adjusted"](self._live()), len(self))

    def category(self, i, c):
        """Subtotal of category ``c`` (index or id) for household ``i``."""
        if isinstance(c, str):
            c = self._scorecard.categories.index(c)
        return _f["pov_score_result_category"](self._live(), self._index(i), c)

    def item_points(self, i, k):
        if isinstance(k, str):
            k = self._scorecard.items.index(k)
        return _nan_none(_f["pov_score_result_item_points"](self._live(), self._index(i), k))

    def item_value(self, i, k):
        """The input value item ``k`` used (number, 0/1, or code index); None when missing."""
        if isinstance(k, str):
            k = self._scorecard.items.index(k)
        return _nan_none(_f["pov_score_result_item_value"](self._live(), self._index(i), k))

    def item_missing(self, i, k):
        if isinstance(k, str):
            k = self._scorecard.items.index(k)
        return bool(_f["pov_score_result_item_missing"](self._live(), self._index(i), k))

    def missing_count(self, i):
        return _f["pov_score_result_missing_count"](self._live(), self._index(i))

    def veto_count(self, i):
        return _f["pov_score_result_veto_count"](self._live(), self._index(i))

    def veto_hit(self, i, v):
        """1 hit, 0 not hit, 2 unchecked (its inputs were missing)."""
        if isinstance(v, str):
            v = self._scorecard.vetoes.index(v)
        return _f["pov_score_result_veto_hit"](self._live(), self._index(i), v)

    def vetoes_hit(self, i):
        """Ids of the vetoes that hit household ``i``."""
        return [vid for v, vid in enumerate(self._scorecard.vetoes) if self.veto_hit(i, v) == 1]

    def rank(self, i, level="village"):
        """``(rank, n, percentile)`` within the village or county (rank 1 = lowest score)."""
        r, n, pct = _sz(), _sz(), _d()
        _f["pov_score_result_rank"](self._live(), self._index(i), _enum(_LEVELS, level, "level"),
                                    ctypes.byref(r), ctypes.byref(n), ctypes.byref(pct))
        return r.value, n.value, pct.value

    def adjust(self, i, points, reason, who, when):
        """Records a deliberation (五议) adjustment within the scorecard's limit."""
        _f["pov_score_result_adjust"](self._live(), self._index(i), float(points),
                                      _ffi.c_str(reason, "reason"), _ffi.c_str(who, "who"),
                                      _ffi.c_str(when, "when"))

    def adjustment_count(self, i):
        return _f["pov_score_result_adjustment_count"](self._live(), self._index(i))

    def explain(self, i, format="text"):
        """The explanation of household ``i``: a str (``"text"``) or a dict (``"json"``)."""
        fmt = _enum({"text": 0, "json": 1}, format, "format")
        out = _vp()
        _f["pov_score_result_explain"](self._live(), self._index(i), fmt, ctypes.byref(out))
        try:
            text = ctypes.string_at(out.value).decode("utf-8")
        finally:
            _ffi.lib.pov_free(out)
        return json.loads(text) if fmt == 1 else text

    def likelihood(self, i):
        """Poverty likelihood from the scorecard's table (None without one)."""
        return _nan_none(_f["pov_score_result_likelihood"](self._live(), self._index(i)))

    def poverty_rate(self):
        """The group's poverty rate: the mean of the households' likelihoods."""
        out = _d()
        _f["pov_score_result_poverty_rate"](self._live(), ctypes.byref(out))
        return out.value

    def write(self, path, format="jsonl"):
        """Writes one record per household as ``"jsonl"`` or ``"csv"`` (atomically)."""
        _f["pov_score_result_write"](self._live(), _ffi.c_str(os.fspath(path), "path"),
                                     _enum(_WRITE_FORMATS, format, "format"))

    def identify(self, cutoff=None, margin=None, level="village"):
        """Identification with the scorecard's rule (or ``cutoff``); returns an
        :class:`Identification`."""
        o = _IdentifyOptions()
        _f["pov_identify_options_init"](ctypes.byref(o))
        if cutoff is not None:
            o.cutoff = float(cutoff)
        if margin is not None:
            o.margin = float(margin)
        o.level = _enum(_LEVELS, level, "level")
        out = _vp()
        _f["pov_score_result_identify"](self._live(), ctypes.byref(o), ctypes.byref(out))
        return Identification(out.value, self)

    def to_numpy(self):
        """``{"totals": ndarray, "adjusted": ndarray}`` (copies; needs numpy)."""
        import numpy
        return {"totals": numpy.array(self.totals, dtype=numpy.float64),
                "adjusted": numpy.array(self.adjusted, dtype=numpy.float64)}

    def __repr__(self):
        return "<povmetrics.ScoreResult closed>" if not self._ptr else \
            f"<povmetrics.ScoreResult {len(self)} households>"


class Identification(_ffi.Owned):
    """Identified, vetoed and review-list households, and per-unit counts."""

    _kind = "identification"

    def __init__(self, ptr, result):
        self._own(ptr, _f["pov_identification_free"])
        self._result = result

    def __len__(self):
        return _f["pov_identification_count"](self._live())

    @property
    def statuses(self):
        """``array('i')`` of NOT_IDENTIFIED / IDENTIFIED / VETOED (a copy)."""
        n = len(self)
        out = array.array("i", bytes(4 * n))
        if n:
            ctypes.memmove(out.buffer_info()[0], _f["pov_identification_statuses"](self._live()),
                           4 * n)
        return out

    def status(self, i):
        """``"identified"``, ``"vetoed"`` or ``"not_identified"``."""
        return _STATUS_NAMES[self.statuses[i]]

    def review(self, i):
        return bool(_f["pov_identification_review"](self._live(), i))

    @property
    def identified(self):
        return [i for i, s in enumerate(self.statuses) if s == IDENTIFIED]

    @property
    def vetoed(self):
        return [i for i, s in enumerate(self.statuses) if s == VETOED]

    @property
    def review_list(self):
        return [i for i in range(len(self)) if self.review(i)]

    def units(self):
        """Per-unit counts: a list of dicts (code, households, people,
        identified, identified_people, vetoed, review, quota, line)."""
        p = self._live()
        out = []
        for u in range(_f["pov_identification_unit_count"](p)):
            code = ctypes.c_char_p()
            c = _UnitCounts()
            c.size = ctypes.sizeof(_UnitCounts)
            _f["pov_identification_unit"](p, u, ctypes.byref(code), ctypes.byref(c))
            out.append({"code": _ffi.py_str(code.value), "households": c.households,
                        "people": c.people, "identified": c.identified,
                        "identified_people": c.identified_people, "vetoed": c.vetoed,
                        "review": c.review, "quota": _nan_none(c.quota),
                        "line": _nan_none(c.line)})
        return out

    def __repr__(self):
        return "<povmetrics.Identification closed>" if not self._ptr else \
            f"<povmetrics.Identification {len(self.identified)} of {len(self)} identified>"
