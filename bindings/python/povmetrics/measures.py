"""Univariate poverty and inequality measures on weighted data.

One function per measure of ``povmetrics/measures.h``. Incomes ``y`` and
``weights`` may be any float64 buffer (``array.array('d')``, ``memoryview``,
a C-contiguous float64 numpy array: passed without copying) or a plain
sequence (copied once). ``weights=None`` means every weight is 1.

Conventions (details and references in docs/measures.md):

* a person is poor when ``y < z`` (strictly);
* rates, gaps, shares and Gini coefficients are fractions (R's laeken
  multiplies them by 100);
* weighted quantiles use R laeken's rule: the smallest ``y`` whose cumulative
  weight share is strictly greater than ``p``;
* bad input raises the matching :mod:`povmetrics.errors` exception, e.g.
  :class:`~povmetrics.errors.NonFiniteError` with ``path == "y[3]"`` for a NaN
  income, :class:`~povmetrics.errors.RangeError` for a negative weight,
  :class:`~povmetrics.errors.EmptyDataError` for no data or zero total weight,
  :class:`~povmetrics.errors.DomainError` for an income the measure cannot
  take (``log`` of 0 ...), :class:`~povmetrics.errors.InvalidArgumentError`
  for a bad line, parameter, or weights of the wrong length.
"""
import ctypes

from . import _ffi, errors

__all__ = [
    "fgt", "fgt_many", "headcount", "poverty_gap", "squared_gap", "watts", "sen", "sst",
    "relative_line", "mean", "quantile", "gini", "gini_convey", "ge", "theil", "mld",
    "atkinson", "cv", "lorenz", "quantile_share", "s80s20", "palma",
    "arpt", "arpr", "qsr", "rmpg", "Sorted", "LINE_MEAN", "LINE_MEDIAN",
]

LINE_MEAN = 1
LINE_MEDIAN = 2

_dp = _ffi.c_double_p
_d = ctypes.c_double
_sz = ctypes.c_size_t
_out = ctypes.POINTER(ctypes.c_double)
_sorted_p = ctypes.c_void_p

_YW = [_dp, _dp, _sz]
_f = _ffi.bind({
    "pov_fgt": ("status", _YW + [_d, _d, _out]),
    "pov_fgt_many": ("status", _YW + [_d, _dp, _sz, _dp]),
    "pov_watts": ("status", _YW + [_d, _out]),
    "pov_sen": ("status", _YW + [_d, _out]),
    "pov_sst": ("status", _YW + [_d, _out]),
    "pov_relative_line": ("status", _YW + [ctypes.c_int, _d, _out]),
    "pov_mean": ("status", _YW + [_out]),
    "pov_quantile": ("status", _YW + [_d, _out]),
    "pov_gini": ("status", _YW + [_out]),
    "pov_gini_convey": ("status", _YW + [_out]),
    "pov_ge": ("status", _YW + [_d, _out]),
    "pov_theil": ("status", _YW + [_out]),
    "pov_mld": ("status", _YW + [_out]),
    "pov_atkinson": ("status", _YW + [_d, _out]),
    "pov_cv": ("status", _YW + [_out]),
    "pov_lorenz": ("status", _YW + [_dp, _sz, _dp]),
    "pov_quantile_share": ("status", _YW + [_d, _d, _out]),
    "pov_s80s20": ("status", _YW + [_out]),
    "pov_palma": ("status", _YW + [_out]),
    "pov_arpt": ("status", _YW + [_d, _out]),
    "pov_arpr": ("status", _YW + [_d, _out]),
    "pov_qsr": ("status", _YW + [_out]),
    "pov_rmpg": ("status", _YW + [_d, _out]),
    "pov_sorted_new": ("status", _YW + [ctypes.POINTER(_sorted_p)]),
    "pov_sorted_free": (None, [_sorted_p]),
    "pov_sorted_count": (_sz, [_sorted_p]),
    "pov_sorted_total_weight": (_d, [_sorted_p]),
    "pov_sorted_quantile": ("status", [_sorted_p, _d, _out]),
    "pov_sorted_gini": ("status", [_sorted_p, _out]),
    "pov_sorted_gini_convey": ("status", [_sorted_p, _out]),
    "pov_sorted_arpt": ("status", [_sorted_p, _d, _out]),
    "pov_sorted_arpr": ("status", [_sorted_p, _d, _out]),
    "pov_sorted_qsr": ("status", [_sorted_p, _out]),
    "pov_sorted_rmpg": ("status", [_sorted_p, _d, _out]),
    "pov_sorted_lorenz": ("status", [_sorted_p, _dp, _sz, _dp]),
    "pov_sorted_quantile_share": ("status", [_sorted_p, _d, _d, _out]),
})


def _yw(y, weights):
    """Zero-copy views of y and weights, checking that the lengths agree."""
    yv = _ffi.doubles(y, "y")
    wv = _ffi.doubles(weights, "weights", allow_none=True)
    if weights is not None and wv.n != yv.n:
        raise errors.InvalidArgumentError(
            f"weights has {wv.n} elements but y has {yv.n}", code=-3, path="w")
    return yv, wv


def _call(name, y, weights, *args):
    yv, wv = _yw(y, weights)
    out = _d()
    _f[name](yv.ptr, wv.ptr, yv.n, *args, ctypes.byref(out))
    return out.value


# --- poverty ---------------------------------------------------------------

def fgt(y, z, alpha=0.0, weights=None):
    """Foster–Greer–Thorbecke FGT(alpha) = (1/N) Σ w 1[y < z] ((z − y)/z)^alpha."""
    return _call("pov_fgt", y, weights, float(z), float(alpha))


def fgt_many(y, z, alphas=(0.0, 1.0, 2.0), weights=None):
    """FGT for several alphas in one call (alphas 0, 1, 2 share one pass)."""
    yv, wv = _yw(y, weights)
    av = _ffi.doubles(alphas, "alphas")
    out = (ctypes.c_double * max(av.n, 1))()
    _f["pov_fgt_many"](yv.ptr, wv.ptr, yv.n, float(z), av.ptr, av.n, out)
    return list(out[:av.n])


def headcount(y, z, weights=None):
    """Headcount ratio, FGT(0)."""
    return fgt(y, z, 0.0, weights)


def poverty_gap(y, z, weights=None):
    """Poverty gap index, FGT(1)."""
    return fgt(y, z, 1.0, weights)


def squared_gap(y, z, weights=None):
    """Squared poverty gap, FGT(2)."""
    return fgt(y, z, 2.0, weights)


def watts(y, z, weights=None):
    """Watts index (1/N) Σ_{y<z} w ln(z/y); incomes must be > 0."""
    return _call("pov_watts", y, weights, float(z))


def sen(y, z, weights=None):
    """Sen index H (I + (1 − I) G_p)."""
    return _call("pov_sen", y, weights, float(z))


def sst(y, z, weights=None):
    """Sen–Shorrocks–Thon index FGT(1) (1 + G of the gap ratios)."""
    return _call("pov_sst", y, weights, float(z))


def relative_line(y, share, kind="median", weights=None):
    """``share`` times the weighted ``"median"`` (laeken rule) or ``"mean"``."""
    k = {"mean": LINE_MEAN, "median": LINE_MEDIAN}.get(kind, kind)
    if not isinstance(k, int):
        raise errors.InvalidArgumentError(f"kind must be 'mean' or 'median', not {kind!r}",
                                          code=-3)
    return _call("pov_relative_line", y, weights, k, float(share))


# --- location and inequality -------------------------------------------------

def mean(y, weights=None):
    """Weighted mean."""
    return _call("pov_mean", y, weights)


def quantile(y, p, weights=None):
    """Weighted quantile, R laeken's rule."""
    return _call("pov_quantile", y, weights, float(p))


def gini(y, weights=None):
    """Gini coefficient (0..1), R laeken's weighted formula."""
    return _call("pov_gini", y, weights)


def gini_convey(y, weights=None):
    """Gini coefficient with R convey's formula (differs for non-unit weights)."""
    return _call("pov_gini_convey", y, weights)


def ge(y, alpha, weights=None):
    """Generalised entropy GE(alpha); 0 = mean log deviation, 1 = Theil T."""
    return _call("pov_ge", y, weights, float(alpha))


def theil(y, weights=None):
    """Theil T index, GE(1)."""
    return _call("pov_theil", y, weights)


def mld(y, weights=None):
    """Mean log deviation, GE(0); incomes must be > 0."""
    return _call("pov_mld", y, weights)


def atkinson(y, epsilon, weights=None):
    """Atkinson index with inequality aversion epsilon >= 0."""
    return _call("pov_atkinson", y, weights, float(epsilon))


def cv(y, weights=None):
    """Coefficient of variation (population standard deviation / mean)."""
    return _call("pov_cv", y, weights)


def _grid(p):
    pv = _ffi.doubles(p, "p")
    out = (ctypes.c_double * max(pv.n, 1))()
    return pv, out


def lorenz(y, p, weights=None):
    """Lorenz ordinates L(p) for each p in ``p``, as a list of floats."""
    yv, wv = _yw(y, weights)
    pv, out = _grid(p)
    _f["pov_lorenz"](yv.ptr, wv.ptr, yv.n, pv.ptr, pv.n, out)
    return list(out[:pv.n])


def quantile_share(y, p_lo, p_hi, weights=None):
    """Income share of the population between shares p_lo and p_hi."""
    return _call("pov_quantile_share", y, weights, float(p_lo), float(p_hi))


def s80s20(y, weights=None):
    """S80/S20 ratio from the Lorenz curve (see :func:`qsr` for laeken's)."""
    return _call("pov_s80s20", y, weights)


def palma(y, weights=None):
    """Palma ratio: top 10% share over bottom 40% share."""
    return _call("pov_palma", y, weights)


# --- EU-SILC (laeken) -------------------------------------------------------

def arpt(y, share=0.6, weights=None):
    """At-risk-of-poverty threshold: share × weighted median."""
    return _call("pov_arpt", y, weights, float(share))


def arpr(y, share=0.6, weights=None):
    """At-risk-of-poverty rate (fraction with y < arpt)."""
    return _call("pov_arpr", y, weights, float(share))


def qsr(y, weights=None):
    """Quintile share ratio, laeken's quintileRatio()."""
    return _call("pov_qsr", y, weights)


def rmpg(y, share=0.6, weights=None):
    """Relative median at-risk-of-poverty gap (fraction)."""
    return _call("pov_rmpg", y, weights, float(share))


# --- sorted data -------------------------------------------------------------

class Sorted(_ffi.Owned):
    """Data sorted once for several order statistics.

    ``with Sorted(y, weights) as s: s.gini(), s.arpr(), s.quantile(0.5)``.
    The data are copied, so ``y`` and ``weights`` may change afterwards.
    :meth:`close` frees the sorted copy; further calls raise ValueError.
    """

    _closed_message = "Sorted object is closed"
    _argument = False

    def __init__(self, y, weights=None):
        yv, wv = _yw(y, weights)
        h = _sorted_p()
        _f["pov_sorted_new"](yv.ptr, wv.ptr, yv.n, ctypes.byref(h))
        self._own(h.value, _f["pov_sorted_free"])

    def _call(self, name, *args):
        out = _d()
        _f[name](self._live(), *args, ctypes.byref(out))
        return out.value

    @property
    def count(self):
        """Number of observations."""
        return _f["pov_sorted_count"](self._live())

    @property
    def total_weight(self):
        """Sum of the weights."""
        return _f["pov_sorted_total_weight"](self._live())

    def __len__(self):
        return self.count

    def quantile(self, p):
        return self._call("pov_sorted_quantile", float(p))

    def gini(self):
        return self._call("pov_sorted_gini")

    def gini_convey(self):
        return self._call("pov_sorted_gini_convey")

    def arpt(self, share=0.6):
        return self._call("pov_sorted_arpt", float(share))

    def arpr(self, share=0.6):
        return self._call("pov_sorted_arpr", float(share))

    def qsr(self):
        return self._call("pov_sorted_qsr")

    def rmpg(self, share=0.6):
        return self._call("pov_sorted_rmpg", float(share))

    def quantile_share(self, p_lo, p_hi):
        return self._call("pov_sorted_quantile_share", float(p_lo), float(p_hi))

    def lorenz(self, p):
        pv, out = _grid(p)
        _f["pov_sorted_lorenz"](self._live(), pv.ptr, pv.n, out)
        return list(out[:pv.n])


# ============================================================================
# Further measure families (other modules) are re-exported below this line,
# e.g. `from ._mpi import *`. Keep one line per module.
# ============================================================================
from ._accum import *  # noqa: F401,F403,E402
from ._decompose import *  # noqa: F401,F403,E402
from ._mpi import *  # noqa: F401,F403,E402
from ._inference import *  # noqa: F401,F403,E402
from ._progress import *  # noqa: F401,F403,E402

from . import _accum, _decompose, _inference, _mpi, _progress  # noqa: E402

# `from povmetrics.measures import *` brings every measure family.
__all__ += [name for mod in (_accum, _decompose, _mpi, _inference, _progress)
            for name in getattr(mod, "__all__", ())]
