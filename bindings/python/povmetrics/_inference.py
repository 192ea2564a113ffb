"""Standard errors and confidence intervals (C header povmetrics/inference.h).

Linearised (influence-function) standard errors under a with-replacement,
optionally stratified and clustered design, and a seeded Rao–Wu bootstrap.
Every function returns an :class:`Estimate`. Arrays (numpy or any buffer)
are passed to the library without copying when they are float64 (incomes,
weights) or int32 (strata, clusters) and contiguous.

Formulas and references: docs/measures-inference.md.
"""
import array
import ctypes
from dataclasses import dataclass
from typing import Optional

from . import _ffi, _mpi
from ._ffi import doubles, int32s

__all__ = ["Estimate", "se_mean", "se_fgt", "se_watts", "se_gini", "se_arpr", "se_m0",
           "bootstrap", "bootstrap_m0", "BOOTSTRAP_MEASURES"]


class _Design(ctypes.Structure):
    _fields_ = [("size", ctypes.c_size_t),
                ("strata", _ffi.c_int32_p),
                ("clusters", _ffi.c_int32_p),
                ("level", ctypes.c_double)]


class _Estimate(ctypes.Structure):
    _fields_ = [("size", ctypes.c_size_t),
                ("value", ctypes.c_double),
                ("se", ctypes.c_double),
                ("ci_low", ctypes.c_double),
                ("ci_high", ctypes.c_double),
                ("level", ctypes.c_double),
                ("pct_low", ctypes.c_double),
                ("pct_high", ctypes.c_double),
                ("n_psu", ctypes.c_size_t),
                ("n_strata", ctypes.c_size_t),
                ("reps", ctypes.c_uint)]


class _MpiOptions(ctypes.Structure):
    # mirrors pov_mpi_options (povmetrics/mpi.h); size checked at import
    _fields_ = [("size", ctypes.c_size_t),
                ("cutoffs", _ffi.c_double_p),
                ("direction", _ffi.c_int32_p),
                ("weights", _ffi.c_double_p),
                ("k", ctypes.c_double),
                ("person_weights", _ffi.c_double_p),
                ("group", _ffi.c_int32_p),
                ("n_groups", ctypes.c_size_t)]


_STAT_FN = ctypes.CFUNCTYPE(ctypes.c_int, _ffi.c_double_p, _ffi.c_double_p, ctypes.c_size_t,
                            ctypes.POINTER(ctypes.c_double), ctypes.c_void_p)

_D = ctypes.c_double
_Z = ctypes.c_size_t
_DP = _ffi.c_double_p
_DESP = ctypes.POINTER(_Design)
_ESTP = ctypes.POINTER(_Estimate)
_MOP = ctypes.POINTER(_MpiOptions)

_fn = _ffi.bind({
    "pov_design_init": (None, [_DESP]),
    "pov_estimate_init": (None, [_ESTP]),
    "pov_se_mean": ("status", [_DP, _DP, _Z, _DESP, _ESTP]),
    "pov_se_fgt": ("status", [_DP, _DP, _Z, _D, _D, _DESP, _ESTP]),
    "pov_se_watts": ("status", [_DP, _DP, _Z, _D, _DESP, _ESTP]),
    "pov_se_gini": ("status", [_DP, _DP, _Z, _DESP, _ESTP]),
    "pov_se_arpr": ("status", [_DP, _DP, _Z, _D, _DESP, _ESTP]),
    "pov_se_m0": ("status", [_DP, _Z, _Z, _MOP, _DESP, _ESTP]),
    "pov_bootstrap": ("status", [_STAT_FN, ctypes.c_void_p, _DP, _DP, _Z, _DESP, ctypes.c_uint,
                                 ctypes.c_uint64, _DP, _ESTP]),
    "pov_bootstrap_measure": ("status", [ctypes.c_int, _D, _D, _DP, _DP, _Z, _DESP,
                                         ctypes.c_uint, ctypes.c_uint64, _DP, _ESTP]),
    "pov_bootstrap_m0": ("status", [_DP, _Z, _Z, _MOP, _DESP, ctypes.c_uint, ctypes.c_uint64,
                                    _DP, _ESTP]),
    "pov_mpi_options_init": (None, [_MOP]),
    "pov_mpi_options_size": (ctypes.c_size_t, []),
})

if _fn["pov_mpi_options_size"]() != ctypes.sizeof(_MpiOptions):
    raise ImportError("pov_mpi_options layout differs from the binding's mirror")


def _probe_size(init):
    """The library's sizeof of a struct, read back from its _init on scratch memory."""
    scratch = ctypes.create_string_buffer(4096)
    init(ctypes.cast(scratch, init.argtypes[0]))
    return ctypes.c_size_t.from_buffer(scratch).value


# Use the library's _init only when it writes exactly our mirror's size (a
# newer library with appended fields would write past a smaller mirror);
# otherwise fill in the size and defaults here: the library accepts any size
# from the 0.1.0 layout up.
_INIT_SAME = (_probe_size(_fn["pov_design_init"]) == ctypes.sizeof(_Design)
              and _probe_size(_fn["pov_estimate_init"]) == ctypes.sizeof(_Estimate))


def _new_design():
    d = _Design()
    if _INIT_SAME:
        _fn["pov_design_init"](ctypes.byref(d))
    else:
        d.size, d.level = ctypes.sizeof(_Design), 0.95
    return d


def _new_estimate():
    e = _Estimate()
    if _INIT_SAME:
        _fn["pov_estimate_init"](ctypes.byref(e))
    else:
        nan = float("nan")
        e.size = ctypes.sizeof(_Estimate)
        e.value = e.se = e.ci_low = e.ci_high = e.level = e.pct_low = e.pct_high = nan
    return e

#: Names accepted by :func:`bootstrap` for built-in measures (C pov_boot_measure).
BOOTSTRAP_MEASURES = {"mean": 1, "fgt": 2, "watts": 3, "gini": 4, "arpr": 5, "arpt": 6,
                      "quantile": 7}


@dataclass(frozen=True)
class Estimate:
    """A point estimate with its standard error and confidence intervals.

    ``ci_low``/``ci_high`` are the normal interval value ∓ z·se;
    ``pct_low``/``pct_high`` the bootstrap percentile interval (NaN for
    linearised estimates); ``reps`` is 0 for linearisation. ``replicates``
    holds the bootstrap replicate values when they were asked for.
    """
    value: float
    se: float
    ci_low: float
    ci_high: float
    level: float
    pct_low: float
    pct_high: float
    n_psu: int
    n_strata: int
    reps: int
    replicates: Optional[array.array] = None


def _design(n, strata, clusters, level):
    d = _new_design()
    keep = []
    if strata is not None:
        s = int32s(strata, "strata")
        if s.n != n:
            raise ValueError(f"strata has {s.n} entries, expected {n}")
        d.strata = s.ptr
        keep.append(s)
    if clusters is not None:
        c = int32s(clusters, "clusters")
        if c.n != n:
            raise ValueError(f"clusters has {c.n} entries, expected {n}")
        d.clusters = c.ptr
        keep.append(c)
    d.level = float(level)
    return d, keep


def _weights(weights, n):
    w = doubles(weights, "weights", allow_none=True)
    if weights is not None and w.n != n:
        raise ValueError(f"weights has {w.n} entries, expected {n}")
    return w


def _result(est, replicates=None):
    return Estimate(est.value, est.se, est.ci_low, est.ci_high, est.level, est.pct_low,
                    est.pct_high, est.n_psu, est.n_strata, est.reps, replicates)


def _call_se(name, y, weights, strata, clusters, level, *params):
    ya = doubles(y, "y")
    wa = _weights(weights, ya.n)
    d, keep = _design(ya.n, strata, clusters, level)
    est = _new_estimate()
    _fn[name](ya.ptr, wa.ptr, ya.n, *params, ctypes.byref(d), ctypes.byref(est))
    del keep
    return _result(est)


def se_mean(y, weights=None, strata=None, clusters=None, level=0.95):
    """Weighted mean and its linearised standard error (C pov_se_mean)."""
    return _call_se("pov_se_mean", y, weights, strata, clusters, level)


def se_fgt(y, z, alpha=0.0, weights=None, strata=None, clusters=None, level=0.95):
    """FGT(alpha) (poor: y < z, line fixed) and its linearised SE (C pov_se_fgt)."""
    return _call_se("pov_se_fgt", y, weights, strata, clusters, level, float(z), float(alpha))


def se_watts(y, z, weights=None, strata=None, clusters=None, level=0.95):
    """Watts index (line fixed) and its linearised SE (C pov_se_watts)."""
    return _call_se("pov_se_watts", y, weights, strata, clusters, level, float(z))


def se_gini(y, weights=None, strata=None, clusters=None, level=0.95):
    """Gini coefficient (laeken's formula) and its linearised SE (C pov_se_gini)."""
    return _call_se("pov_se_gini", y, weights, strata, clusters, level)


def se_arpr(y, share=0.6, weights=None, strata=None, clusters=None, level=0.95):
    """At-risk-of-poverty rate and its linearised SE with the estimated
    threshold (kernel density term; C pov_se_arpr)."""
    return _call_se("pov_se_arpr", y, weights, strata, clusters, level, float(share))


def _mpi_options(x, d, k, cutoffs, direction, weights, person_weights):
    """Options and matrix exactly as povmetrics.MPI takes them (same helpers)."""
    xv, n, d, keep = _mpi._matrix(x, d)
    o = _MpiOptions()
    _fn["pov_mpi_options_init"](ctypes.byref(o))
    keep = [xv, keep]
    dv = _mpi._direction(direction, d)
    for field, view, length in (("cutoffs", doubles(cutoffs, "cutoffs", allow_none=True), d),
                                ("weights", doubles(weights, "weights", allow_none=True), d),
                                ("direction", dv, d),
                                ("person_weights",
                                 doubles(person_weights, "person_weights", allow_none=True), n)):
        if view is None or view.ptr is None:
            continue
        if view.n != length:
            raise ValueError(f"{field} has {view.n} entries, expected {length}")
        setattr(o, field, view.ptr)
        keep.append(view)
    o.k = float(k)
    return xv, n, d, o, keep


def se_m0(x, k, cutoffs=None, direction=None, weights=None, person_weights=None, d=None,
          strata=None, clusters=None, level=0.95):
    """Alkire–Foster M0 and its linearised standard error (C pov_se_m0).

    ``x``, ``k``, ``cutoffs``, ``direction``, ``weights`` (indicator weights),
    ``person_weights`` and ``d`` are as for :class:`povmetrics.measures.MPI`;
    ``strata``/``clusters``/``level`` describe the design.
    """
    xv, n, d, o, keep = _mpi_options(x, d, k, cutoffs, direction, weights, person_weights)
    des, keep2 = _design(n, strata, clusters, level)
    est = _new_estimate()
    _fn["pov_se_m0"](xv.ptr, n, d, ctypes.byref(o), ctypes.byref(des), ctypes.byref(est))
    del keep, keep2
    return _result(est)


def _reps(reps):
    reps = int(reps)
    if not 0 <= reps <= 0xFFFFFFFF:
        raise _ffi.errors.InvalidArgumentError(f"reps must be at least 2, got {reps}")
    return reps


def _replicate_buffer(reps, return_replicates):
    if not return_replicates:
        return None, None
    buf = array.array("d", bytes(8 * reps))
    return buf, doubles(buf, "replicates").ptr


def bootstrap(measure, y, weights=None, reps=200, seed=1, strata=None, clusters=None,
              level=0.95, z=None, alpha=0.0, share=0.6, p=0.5, return_replicates=False):
    """Rao–Wu rescaling bootstrap of a measure (C pov_bootstrap_measure /
    pov_bootstrap).

    ``measure`` is one of :data:`BOOTSTRAP_MEASURES` ("fgt" and "watts" need
    the line ``z``; "fgt" takes ``alpha``; "arpr"/"arpt" take ``share``;
    "quantile" takes ``p``), or a Python callable ``f(y, w) -> float`` that is
    called with the original incomes and the replicate weights (numpy arrays
    when numpy is installed, else memoryviews; both views of library memory,
    valid only during the call). The same seed gives identical results.
    """
    ya = doubles(y, "y")
    wa = _weights(weights, ya.n)
    d, keep = _design(ya.n, strata, clusters, level)
    est = _new_estimate()
    reps = _reps(reps)
    seed = int(seed) & 0xFFFFFFFFFFFFFFFF
    buf, bufp = _replicate_buffer(reps, return_replicates)
    if callable(measure):
        _bootstrap_callable(measure, ya, wa, d, reps, seed, bufp, est)
    else:
        try:
            code = BOOTSTRAP_MEASURES[measure]
        except (KeyError, TypeError):
            raise ValueError(f"unknown measure {measure!r}; use one of "
                             f"{sorted(BOOTSTRAP_MEASURES)} or a callable") from None
        if code in (2, 3):
            if z is None:
                raise ValueError(f"measure {measure!r} needs the poverty line z")
            a, b = float(z), float(alpha)
        elif code in (5, 6):
            a, b = float(share), 0.0
        elif code == 7:
            a, b = float(p), 0.0
        else:
            a, b = 0.0, 0.0
        _fn["pov_bootstrap_measure"](code, a, b, ya.ptr, wa.ptr, ya.n, ctypes.byref(d), reps,
                                     seed, bufp, ctypes.byref(est))
    del keep
    return _result(est, buf)


def _view(ptr, n):
    try:
        import numpy
    except ImportError:  # pragma: no cover - numpy is optional
        return memoryview((ctypes.c_double * n).from_address(ctypes.addressof(ptr.contents)))
    return numpy.ctypeslib.as_array(ptr, shape=(n,))


def _bootstrap_callable(func, ya, wa, d, reps, seed, bufp, est):
    failure = []

    def trampoline(yp, wp, n, out, _user):
        try:
            out[0] = float(func(_view(yp, n), _view(wp, n)))
            return 0
        except BaseException as exc:  # re-raised below, after the C call returns
            failure.append(exc)
            return -1  # POV_ERROR

    cb = _STAT_FN(trampoline)
    try:
        _fn["pov_bootstrap"](cb, None, ya.ptr, wa.ptr, ya.n, ctypes.byref(d), reps, seed, bufp,
                             ctypes.byref(est))
    except _ffi.errors.PovError:
        if failure:
            raise failure[0] from None
        raise


def bootstrap_m0(x, k, cutoffs=None, direction=None, weights=None, person_weights=None,
                 d=None, reps=200, seed=1, strata=None, clusters=None, level=0.95,
                 return_replicates=False):
    """Rao–Wu bootstrap of the Alkire–Foster M0 (C pov_bootstrap_m0);
    arguments as :func:`se_m0` and :func:`bootstrap`."""
    xv, n, d, o, keep = _mpi_options(x, d, k, cutoffs, direction, weights, person_weights)
    des, keep2 = _design(n, strata, clusters, level)
    est = _new_estimate()
    reps = _reps(reps)
    buf, bufp = _replicate_buffer(reps, return_replicates)
    _fn["pov_bootstrap_m0"](xv.ptr, n, d, ctypes.byref(o), ctypes.byref(des), reps,
                            int(seed) & 0xFFFFFFFFFFFFFFFF, bufp, ctypes.byref(est))
    del keep, keep2
    return _result(est, buf)
