"""Mergeable accumulators for sum-based measures (``povmetrics/accum.h``).

An :class:`Accumulator` streams batches of incomes (and weights) and gives
the population, count, weighted mean, FGT for each exponent and the Watts
index. Sums are exact, so the result is bit-for-bit the one-pass result
however the data were split and in whatever order partial accumulators are
merged. Accumulators pickle (through their exact JSON state), so Dask or
Spark partitions can be reduced with :meth:`Accumulator.merge`. Medians,
quantiles and Gini coefficients are not mergeable exactly and are not
offered here.
"""
import ctypes

from . import _ffi, errors

__all__ = ["Accumulator"]

_acc_p = ctypes.c_void_p
_dp = _ffi.c_double_p
_d = ctypes.c_double
_sz = ctypes.c_size_t
_out = ctypes.POINTER(ctypes.c_double)
_f = _ffi.bind({
    "pov_accum_max_alphas": (_sz, []),
    "pov_accum_new": ("status", [_d, _dp, _sz, ctypes.POINTER(_acc_p)]),
    "pov_accum_free": (None, [_acc_p]),
    "pov_accum_update": ("status", [_acc_p, _dp, _dp, _sz]),
    "pov_accum_merge": ("status", [_acc_p, _acc_p]),
    "pov_accum_reset": (None, [_acc_p]),
    "pov_accum_line": (_d, [_acc_p]),
    "pov_accum_n_alphas": (_sz, [_acc_p]),
    "pov_accum_alpha": (_d, [_acc_p, _sz]),
    "pov_accum_count": (ctypes.c_uint64, [_acc_p]),
    "pov_accum_population": ("status", [_acc_p, _out]),
    "pov_accum_mean": ("status", [_acc_p, _out]),
    "pov_accum_fgt": ("status", [_acc_p, _sz, _out]),
    "pov_accum_watts": ("status", [_acc_p, _out]),
    "pov_accum_serialize": ("status", [_acc_p, ctypes.POINTER(ctypes.c_void_p)]),
    "pov_accum_deserialize": ("status", [ctypes.c_char_p, ctypes.POINTER(_acc_p)]),
})

MAX_ALPHAS = _f["pov_accum_max_alphas"]()


class Accumulator(_ffi.Owned):
    """Exact streaming sums for FGT(alpha) at line ``z``, Watts and the mean.

    >>> acc = Accumulator(4.0, alphas=(0, 1, 2))
    >>> acc.update([1, 2, 3, 4, 10])
    >>> acc.fgt(0)
    0.6

    :meth:`close` (or garbage collection) frees the C accumulator; use after
    :meth:`close` raises :class:`~povmetrics.errors.StateError`.
    """

    _closed_error = errors.StateError
    _closed_message = "accumulator is closed"
    _argument = False

    def __init__(self, z, alphas=(0.0, 1.0, 2.0)):
        al = [float(a) for a in alphas]
        arr = (ctypes.c_double * len(al))(*al)
        h = _acc_p()
        _f["pov_accum_new"](float(z), arr if al else None, len(al), ctypes.byref(h))
        self._adopt(h)

    def _adopt(self, h):
        self._own(h.value, _f["pov_accum_free"])

    @classmethod
    def from_json(cls, text):
        """Rebuilds an accumulator from :meth:`to_json` output."""
        h = _acc_p()
        _f["pov_accum_deserialize"](_ffi.c_str(text, "text"), ctypes.byref(h))
        self = cls.__new__(cls)
        self._adopt(h)
        return self

    def update(self, y, weights=None):
        """Adds a batch; on error nothing is added."""
        yv = _ffi.doubles(y, "y")
        wv = _ffi.doubles(weights, "weights", allow_none=True)
        if weights is not None and wv.n != yv.n:
            raise errors.InvalidArgumentError(
                f"weights has {wv.n} elements but y has {yv.n}", code=-3, path="w")
        _f["pov_accum_update"](self._live(), yv.ptr, wv.ptr, yv.n)
        return self

    def merge(self, other):
        """Adds ``other``'s state (same line and exponents, else InvalidArgumentError)."""
        if not isinstance(other, Accumulator):
            raise TypeError("can only merge another Accumulator")
        _f["pov_accum_merge"](self._live(), other._live())
        return self

    def __iadd__(self, other):
        return self.merge(other)

    def reset(self):
        """Forgets every observation."""
        _f["pov_accum_reset"](self._live())

    @property
    def line(self):
        return _f["pov_accum_line"](self._live())

    @property
    def alphas(self):
        h = self._live()
        return tuple(_f["pov_accum_alpha"](h, i) for i in range(_f["pov_accum_n_alphas"](h)))

    @property
    def count(self):
        """Number of observations added (zero-weight ones included)."""
        return _f["pov_accum_count"](self._live())

    def _get(self, name, *args):
        out = _d()
        _f[name](self._live(), *args, ctypes.byref(out))
        return out.value

    @property
    def population(self):
        """Σw, correctly rounded."""
        return self._get("pov_accum_population")

    def mean(self):
        return self._get("pov_accum_mean")

    def fgt(self, alpha):
        """FGT for ``alpha``, which must be one of :attr:`alphas`."""
        try:
            i = self.alphas.index(float(alpha))
        except ValueError:
            raise errors.InvalidArgumentError(
                f"alpha {alpha} is not one of {self.alphas}", code=-3, path="alphas") from None
        return self._get("pov_accum_fgt", i)

    def watts(self):
        return self._get("pov_accum_watts")

    def result(self):
        """All figures as a dict; ``watts`` is None when an income <= 0 was seen."""
        try:
            w = self.watts()
        except errors.DomainError:
            w = None
        return {"count": self.count, "population": self.population, "mean": self.mean(),
                "fgt": {a: self.fgt(a) for a in self.alphas}, "watts": w}

    def to_json(self):
        """The exact state as JSON text (format ``povmetrics.accum/1``)."""
        p = ctypes.c_void_p()
        _f["pov_accum_serialize"](self._live(), ctypes.byref(p))
        try:
            return ctypes.string_at(p.value).decode("utf-8")
        finally:
            _ffi.lib.pov_free(p)

    def __getstate__(self):
        return {"json": self.to_json()}

    def __setstate__(self, state):
        h = _acc_p()
        _f["pov_accum_deserialize"](state["json"].encode("utf-8"), ctypes.byref(h))
        self._adopt(h)

    def __repr__(self):
        if not self._ptr:
            return "<Accumulator closed>"
        return f"<Accumulator z={self.line!r} alphas={self.alphas!r} count={self.count}>"
