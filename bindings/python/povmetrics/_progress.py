"""Progress figures quoted in poverty reports (``povmetrics/progress.h``).

Rates are fractions (0.18 for 18%); the number of years is always explicit:
"2012–2019" counts 8 years from the end of 2011 to the end of 2019 (the
seed's convention for Guangxi), but only 7 from 2012 to 2019.
"""
import ctypes

from . import _ffi

__all__ = ["incidence", "change_pp", "reduction", "annual_reduction", "cagr"]

_d = ctypes.c_double
_out = ctypes.POINTER(ctypes.c_double)
_f = _ffi.bind({
    "pov_progress_incidence": ("status", [_d, _d, _out]),
    "pov_progress_change_pp": ("status", [_d, _d, _out]),
    "pov_progress_reduction": ("status", [_d, _d, _out]),
    "pov_progress_annual_reduction": ("status", [_d, _d, _out]),
    "pov_cagr": ("status", [_d, _d, _d, _out]),
})


def _call(name, *args):
    out = _d()
    _f[name](*(float(a) for a in args), ctypes.byref(out))
    return out.value


def incidence(poor, total):
    """Incidence (headcount ratio) ``poor / total`` as a fraction."""
    return _call("pov_progress_incidence", poor, total)


def change_pp(rate0, rate1):
    """Change in percentage points ``(rate1 - rate0) * 100`` (rates as fractions)."""
    return _call("pov_progress_change_pp", rate0, rate1)


def reduction(v0, v1):
    """Cumulative reduction ``v0 - v1`` (positive when the value fell)."""
    return _call("pov_progress_reduction", v0, v1)


def annual_reduction(total_reduction, years):
    """Average annual reduction ``total_reduction / years`` (years > 0)."""
    return _call("pov_progress_annual_reduction", total_reduction, years)


def cagr(v0, v1, years):
    """Compound annual growth rate ``(v1 / v0) ** (1 / years) - 1``."""
    return _call("pov_cagr", v0, v1, years)
