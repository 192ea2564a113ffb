"""Alkire–Foster multidimensional poverty (``povmetrics/mpi.h``).

:class:`MPI` computes H, A, M0 (and M1, M2 for cardinal data), uncensored
and censored headcount ratios, indicator contributions, the subgroup
decomposition and results over a range of poverty cut-offs ``k``.

A person is poor when the weighted deprivation score ``c_i >= k`` (OPHI
convention; tested with a tolerance of 1e-12). Indicator weights are
normalised to sum to 1. Deprivation is ``x < cutoff`` ("below", the default)
or ``x > cutoff`` ("above", for more-is-worse indicators); equality is never
a deprivation. Without cut-offs ``x`` must be a 0/1 deprivation matrix.
"""
import ctypes

from . import _ffi, errors

__all__ = ["MPI", "MPIAccumulator", "mpi", "mpi_m0", "mpi_matrix", "MPI_BELOW", "MPI_ABOVE"]

MPI_BELOW = 0
MPI_ABOVE = 1

_dp = _ffi.c_double_p
_ip = _ffi.c_int32_p
_d = ctypes.c_double
_sz = ctypes.c_size_t
_mpi_p = ctypes.c_void_p


class _Options(ctypes.Structure):
    _fields_ = [("size", _sz), ("cutoffs", _dp), ("direction", _ip), ("weights", _dp),
                ("k", _d), ("person_weights", _dp), ("group", _ip), ("n_groups", _sz)]


_f = _ffi.bind({
    "pov_mpi_options_size": (_sz, []),
    "pov_mpi_free": (None, [_mpi_p]),
    "pov_mpi_persons": (_sz, [_mpi_p]),
    "pov_mpi_indicators": (_sz, [_mpi_p]),
    "pov_mpi_groups": (_sz, [_mpi_p]),
    "pov_mpi_measure": ("status", [_mpi_p, ctypes.c_int, ctypes.POINTER(_d)]),
    "pov_mpi_indicator_columns": (_sz, []),
    "pov_mpi_indicator_table": ("status", [_mpi_p, _dp]),
    "pov_mpi_group_columns": (_sz, []),
    "pov_mpi_group_table": ("status", [_mpi_p, _dp]),
    "pov_mpi_scores": ("status", [_mpi_p, _dp]),
    "pov_mpi_k_range": ("status", [_mpi_p, _dp, _sz, _dp]),
    "pov_mpi_accum_free": (None, [_mpi_p]),
    "pov_mpi_accum_update": ("status", [_mpi_p, _dp, _dp, _sz]),
    "pov_mpi_accum_merge": ("status", [_mpi_p, _mpi_p]),
    "pov_mpi_accum_indicators": (_sz, [_mpi_p]),
    "pov_mpi_accum_count": (ctypes.c_uint64, [_mpi_p]),
    "pov_mpi_accum_measure": ("status", [_mpi_p, ctypes.c_int, ctypes.POINTER(_d)]),
    "pov_mpi_accum_indicator_table": ("status", [_mpi_p, _dp]),
    "pov_mpi_accum_serialize": ("status", [_mpi_p, ctypes.POINTER(ctypes.c_void_p)]),
    "pov_mpi_accum_deserialize": ("status", [ctypes.c_char_p, ctypes.POINTER(_mpi_p)]),
    "pov_mpi_matrix_from_dataset": ("status", [ctypes.c_void_p, ctypes.POINTER(ctypes.c_void_p),
                                               _sz, _dp]),
    "pov_dataset_count": (_sz, [ctypes.c_void_p]),
})


def _private(name, restype, argtypes):
    """A function object of our own for a C function that takes pov_mpi_options.

    ``lib[name]`` makes a new object (``getattr`` caches one per library), so
    the argtypes set here cannot clash with another module of the binding
    that declares the same function with its own mirror of the struct.
    """
    fn = _ffi.lib[name]
    fn.restype = ctypes.c_int if restype == "status" else restype
    if restype == "status":
        fn.errcheck = lambda result, func, args: _ffi.check(result)
    fn.argtypes = argtypes
    _f[name] = fn


_OP = ctypes.POINTER(_Options)
_private("pov_mpi_options_init", None, [_OP])
_private("pov_mpi_new", "status", [_dp, _sz, _sz, _OP, ctypes.POINTER(_mpi_p)])
_private("pov_mpi_accum_new", "status", [_sz, _OP, ctypes.POINTER(_mpi_p)])
_private("pov_mpi_m0", "status", [_dp, _sz, _sz, _OP, _dp])

if ctypes.sizeof(_Options) != _f["pov_mpi_options_size"]():
    raise ImportError("pov_mpi_options layout of libpovmetrics differs from the binding's")

_IND_COLS = ("uncensored", "censored", "weight", "contribution")
_GROUP_COLS = ("population", "share", "H", "A", "M0", "contribution")
assert _f["pov_mpi_indicator_columns"]() == len(_IND_COLS)
assert _f["pov_mpi_group_columns"]() == len(_GROUP_COLS)
_STAT = {"H": 0, "A": 1, "M0": 2, "M1": 3, "M2": 4, "population": 5}


def _options(cutoffs, direction, weights, k, person_weights=None, group=None, n_groups=0):
    """pov_mpi_options initialised by the library, then filled in."""
    opts = _Options()
    _f["pov_mpi_options_init"](ctypes.byref(opts))
    opts.cutoffs, opts.direction, opts.weights = cutoffs, direction, weights
    opts.k = float(k)
    opts.person_weights, opts.group, opts.n_groups = person_weights, group, int(n_groups)
    return opts


def _matrix(x, d):
    """Flat row-major float64 view of x plus (n, d)."""
    iface = getattr(x, "__array_interface__", None)
    if iface is not None and len(iface["shape"]) == 2:
        import numpy
        a = numpy.ascontiguousarray(x, dtype="<f8")  # no copy when already fitting
        n, dd = a.shape
        return _ffi.doubles(a.reshape(-1), "x"), n, dd, a
    if d is None:
        rows = [list(r) for r in x]
        dd = len(rows[0]) if rows else 0
        if any(len(r) != dd for r in rows):
            raise errors.InvalidArgumentError("rows of x differ in length", code=-3, path="x")
        flat = [float(v) for r in rows for v in r]
        return _ffi.doubles(flat, "x"), len(rows), dd, None
    v = _ffi.doubles(x, "x")
    d = int(d)
    if d <= 0 or v.n % d:
        raise errors.InvalidArgumentError(f"x has {v.n} values, not a multiple of d={d}",
                                          code=-3, path="x")
    return v, v.n // d, d, None


def _direction(direction, d):
    if direction is None:
        return None
    if isinstance(direction, str):
        direction = [direction] * d
    vals = []
    for v in direction:
        if isinstance(v, str):
            try:
                v = {"below": MPI_BELOW, "above": MPI_ABOVE}[v]
            except KeyError:
                raise errors.InvalidArgumentError(
                    f"direction must be 'below' or 'above', not {v!r}", code=-3,
                    path="direction") from None
        vals.append(int(v))
    return _ffi.int32s(vals, "direction")


def _check_len(view, want, name):
    if view is not None and view.ptr is not None and view.n != want:
        raise errors.InvalidArgumentError(f"{name} has {view.n} elements, expected {want}",
                                          code=-3, path=name)


class MPI(_ffi.Owned):
    """Alkire–Foster results for an n × d matrix ``x``.

    ``x`` is a 2-D numpy array, a list of rows, or a flat row-major buffer
    with ``d`` given. ``cutoffs`` (length d) makes ``x`` achievements;
    without them ``x`` is a 0/1 deprivation matrix. ``direction`` is
    ``"below"``/``"above"`` (or 0/1) per indicator or for all. ``groups``
    are ids 0..n_groups−1 (``n_groups`` defaults to max + 1). Use after
    :meth:`close` raises :class:`~povmetrics.errors.StateError`.
    """

    _closed_error = errors.StateError
    _closed_message = "MPI result is closed"
    _argument = False

    def __init__(self, x, k, cutoffs=None, direction=None, weights=None,
                 person_weights=None, groups=None, n_groups=None, d=None):
        xv, n, d, keep = _matrix(x, d)
        cv = _ffi.doubles(cutoffs, "cutoffs", allow_none=True)
        dv = _direction(direction, d)
        wv = _ffi.doubles(weights, "weights", allow_none=True)
        pv = _ffi.doubles(person_weights, "person_weights", allow_none=True)
        gv = _ffi.int32s(groups, "groups", allow_none=True)
        for view, want, name in ((cv, d, "cutoffs"), (dv, d, "direction"), (wv, d, "weights"),
                                 (pv, n, "w"), (gv, n, "group")):
            _check_len(view, want, name)
        if groups is not None and n_groups is None:
            n_groups = max(int(gv.ptr[i]) for i in range(gv.n)) + 1 if gv.n else 0
        opts = _options(cv.ptr, dv.ptr if dv else None, wv.ptr, k, pv.ptr, gv.ptr,
                        int(n_groups or 0) if groups is not None else 0)
        h = _mpi_p()
        _f["pov_mpi_new"](xv.ptr, n, d, ctypes.byref(opts), ctypes.byref(h))
        del keep
        self._own(h.value, _f["pov_mpi_free"])
        self.k = float(k)

    @property
    def n(self):
        return _f["pov_mpi_persons"](self._live())

    @property
    def d(self):
        return _f["pov_mpi_indicators"](self._live())

    @property
    def n_groups(self):
        return _f["pov_mpi_groups"](self._live())

    def measure(self, name):
        """One of ``"H"``, ``"A"``, ``"M0"``, ``"M1"``, ``"M2"``, ``"population"``."""
        out = _d()
        _f["pov_mpi_measure"](self._live(), _STAT[name], ctypes.byref(out))
        return out.value

    H = property(lambda self: self.measure("H"), doc="multidimensional headcount ratio")
    A = property(lambda self: self.measure("A"), doc="average intensity among the poor")
    M0 = property(lambda self: self.measure("M0"), doc="adjusted headcount ratio H·A")
    M1 = property(lambda self: self.measure("M1"), doc="adjusted poverty gap (cardinal)")
    M2 = property(lambda self: self.measure("M2"), doc="adjusted squared gap (cardinal)")
    population = property(lambda self: self.measure("population"), doc="Σ person weights")

    def indicators(self):
        """Per indicator: ``uncensored``, ``censored`` headcount ratios, normalised
        ``weight`` and percentage ``contribution`` to M0 (dict of lists)."""
        d = self.d
        out = (ctypes.c_double * (d * len(_IND_COLS)))()
        _f["pov_mpi_indicator_table"](self._live(), out)
        return {name: [out[j * len(_IND_COLS) + c] for j in range(d)]
                for c, name in enumerate(_IND_COLS)}

    def groups(self):
        """Per group: ``population``, ``share``, ``H``, ``A``, ``M0`` and percentage
        ``contribution`` to M0 (dict of lists); StateError without groups."""
        g = self.n_groups
        out = (ctypes.c_double * max(1, g * len(_GROUP_COLS)))()
        _f["pov_mpi_group_table"](self._live(), out)
        return {name: [out[r * len(_GROUP_COLS) + c] for r in range(g)]
                for c, name in enumerate(_GROUP_COLS)}

    def scores(self):
        """Deprivation scores c_i (list of n floats)."""
        out = (ctypes.c_double * max(1, self.n))()
        _f["pov_mpi_scores"](self._live(), out)
        return list(out[:self.n])

    def k_range(self, ks):
        """``{"k", "H", "A", "M0"}`` lists for each poverty cut-off in ``ks``."""
        kv = _ffi.doubles(ks, "ks")
        out = (ctypes.c_double * max(1, 3 * kv.n))()
        _f["pov_mpi_k_range"](self._live(), kv.ptr, kv.n, out)
        return {"k": [kv.ptr[i] for i in range(kv.n)],
                "H": [out[3 * i] for i in range(kv.n)],
                "A": [out[3 * i + 1] for i in range(kv.n)],
                "M0": [out[3 * i + 2] for i in range(kv.n)]}

    def summary(self):
        """H, A, M0 (and M1, M2 when defined) as a dict."""
        res = {"k": self.k, "population": self.population, "H": self.H, "A": self.A,
               "M0": self.M0}
        for name in ("M1", "M2"):
            try:
                res[name] = self.measure(name)
            except (errors.StateError, errors.DomainError):
                pass
        return res

    def __repr__(self):
        if not self._ptr:
            return "<MPI closed>"
        return f"<MPI n={self.n} d={self.d} k={self.k} M0={self.M0!r}>"


class MPIAccumulator(_ffi.Owned):
    """Mergeable, exact Alkire–Foster sums over batches of persons.

    Same specification arguments as :class:`MPI` (``d`` indicators,
    ``cutoffs``, ``direction``, ``weights``, ``k``); person weights come
    with each :meth:`update`. Merged results are bit-for-bit those of one
    pass. Pickles through its exact JSON state (``to_json``/``from_json``).
    Use after :meth:`close` raises :class:`~povmetrics.errors.StateError`.
    """

    _closed_error = errors.StateError
    _closed_message = "accumulator is closed"
    _argument = False

    def __init__(self, d, k, cutoffs=None, direction=None, weights=None):
        d = int(d)
        cv = _ffi.doubles(cutoffs, "cutoffs", allow_none=True)
        dv = _direction(direction, d)
        wv = _ffi.doubles(weights, "weights", allow_none=True)
        for view, name in ((cv, "cutoffs"), (dv, "direction"), (wv, "weights")):
            _check_len(view, d, name)
        opts = _options(cv.ptr, dv.ptr if dv else None, wv.ptr, k)
        h = _mpi_p()
        _f["pov_mpi_accum_new"](d, ctypes.byref(opts), ctypes.byref(h))
        self._adopt(h)

    def _adopt(self, h):
        self._own(h.value, _f["pov_mpi_accum_free"])

    @classmethod
    def from_json(cls, text):
        h = _mpi_p()
        _f["pov_mpi_accum_deserialize"](_ffi.c_str(text, "text"), ctypes.byref(h))
        self = cls.__new__(cls)
        self._adopt(h)
        return self

    @property
    def d(self):
        return _f["pov_mpi_accum_indicators"](self._live())

    @property
    def count(self):
        return _f["pov_mpi_accum_count"](self._live())

    def update(self, x, person_weights=None):
        """Adds persons (2-D array, list of rows, or flat row-major buffer)."""
        d = self.d
        iface = getattr(x, "__array_interface__", None)
        two_d = iface is not None and len(iface["shape"]) == 2
        flat_like = not two_d and (iface is not None or isinstance(x, memoryview)
                                   or hasattr(x, "typecode"))
        xv, n, dd, keep = _matrix(x, d if flat_like else None)
        if n and dd != d:
            raise errors.InvalidArgumentError(f"x has {dd} columns, expected {d}", code=-3,
                                              path="x")
        pv = _ffi.doubles(person_weights, "person_weights", allow_none=True)
        _check_len(pv, n, "w")
        _f["pov_mpi_accum_update"](self._live(), xv.ptr, pv.ptr, n)
        del keep
        return self

    def merge(self, other):
        if not isinstance(other, MPIAccumulator):
            raise TypeError("can only merge another MPIAccumulator")
        _f["pov_mpi_accum_merge"](self._live(), other._live())
        return self

    def __iadd__(self, other):
        return self.merge(other)

    def measure(self, name):
        out = _d()
        _f["pov_mpi_accum_measure"](self._live(), _STAT[name], ctypes.byref(out))
        return out.value

    H = property(lambda self: self.measure("H"))
    A = property(lambda self: self.measure("A"))
    M0 = property(lambda self: self.measure("M0"))
    M1 = property(lambda self: self.measure("M1"))
    M2 = property(lambda self: self.measure("M2"))
    population = property(lambda self: self.measure("population"))

    def indicators(self):
        d = self.d
        out = (ctypes.c_double * (d * len(_IND_COLS)))()
        _f["pov_mpi_accum_indicator_table"](self._live(), out)
        return {name: [out[j * len(_IND_COLS) + c] for j in range(d)]
                for c, name in enumerate(_IND_COLS)}

    def to_json(self):
        p = ctypes.c_void_p()
        _f["pov_mpi_accum_serialize"](self._live(), ctypes.byref(p))
        try:
            return ctypes.string_at(p.value).decode("utf-8")
        finally:
            _ffi.lib.pov_free(p)

    def __getstate__(self):
        return {"json": self.to_json()}

    def __setstate__(self, state):
        h = _mpi_p()
        _f["pov_mpi_accum_deserialize"](state["json"].encode("utf-8"), ctypes.byref(h))
        self._adopt(h)

    def __repr__(self):
        if not self._ptr:
            return "<MPIAccumulator closed>"
        return f"<MPIAccumulator d={self.d} count={self.count}>"


def mpi(x, k, **kwargs):
    """Shortcut: ``MPI(x, k, **kwargs).summary()`` (the handle is freed at once)."""
    with MPI(x, k, **kwargs) as m:
        return m.summary()


def mpi_m0(x, k, cutoffs=None, direction=None, weights=None, person_weights=None, d=None):
    """H, A and M0 only, in one pass (``pov_mpi_m0``): the fast path.

    Same arguments, definitions and errors as :class:`MPI` without subgroups;
    returns ``{"H": ..., "A": ..., "M0": ...}``. The sums are plain (not
    compensated), so values can differ from :class:`MPI`'s in the last bits.
    """
    xv, n, d, keep = _matrix(x, d)
    cv = _ffi.doubles(cutoffs, "cutoffs", allow_none=True)
    dv = _direction(direction, d)
    wv = _ffi.doubles(weights, "weights", allow_none=True)
    pv = _ffi.doubles(person_weights, "person_weights", allow_none=True)
    for view, want, name in ((cv, d, "cutoffs"), (dv, d, "direction"), (wv, d, "weights"),
                             (pv, n, "w")):
        _check_len(view, want, name)
    opts = _options(cv.ptr, dv.ptr if dv else None, wv.ptr, k, pv.ptr, None, 0)
    out = (_d * 3)()
    _f["pov_mpi_m0"](xv.ptr, n, d, ctypes.byref(opts), out)
    del keep
    return {"H": out[0], "A": out[1], "M0": out[2]}


def mpi_matrix(dataset, conditions):
    """The n × d Alkire–Foster input of a dataset (``pov_mpi_matrix_from_dataset``).

    Column j is ``conditions[j]`` (a :class:`povmetrics.Condition` compiled on
    the dataset's schema) evaluated for every household, in dataset order:
    numeric conditions give achievements (use them with ``cutoffs``), boolean
    ones a 0/1 deprivation matrix (1 = deprived). A missing value raises
    :class:`errors.MissingFieldError` naming the household and ``columns[j]``:
    decide in the condition what missing means (``{"var": ["x", 0]}``).

    Returns a numpy array of shape (n, d) when numpy is installed, else a list
    of rows; either can be passed to :func:`mpi` / :func:`mpi_m0`.
    """
    conds = list(conditions)
    d = len(conds)
    ds = _ffi.handle_of(dataset, "dataset")
    handles = (ctypes.c_void_p * max(1, d))(*[_ffi.handle_of(c, f"conditions[{j}]")
                                              for j, c in enumerate(conds)])
    n = _f["pov_dataset_count"](ds)
    try:
        import numpy
    except ImportError:
        numpy = None
    if numpy is not None:
        out = numpy.empty((n, d), dtype="<f8")
        ptr = out.ctypes.data_as(_dp) if n and d else (ctypes.c_double * 1)()
        _f["pov_mpi_matrix_from_dataset"](ds, handles, d, ptr)
        return out
    buf = (ctypes.c_double * max(1, n * d))()
    _f["pov_mpi_matrix_from_dataset"](ds, handles, d, buf)
    return [list(buf[i * d:(i + 1) * d]) for i in range(n)]
