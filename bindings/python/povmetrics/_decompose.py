"""Decomposition of poverty and inequality by subgroup (``povmetrics/decompose.h``).

Group ids are integers 0 .. n_groups − 1 (factorise other codes first, e.g.
with ``pandas.factorize``); every group needs a positive total weight, else
:class:`~povmetrics.errors.EmptyDataError` with ``path == "groups[g]"``.
Results are column-oriented dicts of lists, ready for ``pandas.DataFrame``.
"""
import ctypes

from . import _ffi, errors

__all__ = ["fgt_decompose", "watts_decompose", "ge_decompose"]

_dp = _ffi.c_double_p
_ip = _ffi.c_int32_p
_d = ctypes.c_double
_sz = ctypes.c_size_t
_f = _ffi.bind({
    "pov_decomp_columns": (_sz, []),
    "pov_fgt_decompose": ("status", [_dp, _dp, _sz, _ip, _sz, _d, _d, _dp]),
    "pov_watts_decompose": ("status", [_dp, _dp, _sz, _ip, _sz, _d, _dp]),
    "pov_ge_decompose": ("status", [_dp, _dp, _sz, _ip, _sz, _d, _dp]),
})
_NCOL = _f["pov_decomp_columns"]()
_POVERTY_COLUMNS = ("population", "share", "value", "contribution", "percent")
assert _NCOL == len(_POVERTY_COLUMNS)


def _args(y, weights, groups, n_groups):
    yv = _ffi.doubles(y, "y")
    wv = _ffi.doubles(weights, "weights", allow_none=True)
    gv = _ffi.int32s(groups, "groups")
    if weights is not None and wv.n != yv.n:
        raise errors.InvalidArgumentError(
            f"weights has {wv.n} elements but y has {yv.n}", code=-3, path="w")
    if gv.n != yv.n:
        raise errors.InvalidArgumentError(
            f"groups has {gv.n} elements but y has {yv.n}", code=-3, path="group")
    if n_groups is None:
        n_groups = (int(gv.owner.max()) if hasattr(gv.owner, "max")
                    else max(gv.ptr[i] for i in range(gv.n))) + 1 if gv.n else 1
    return yv, wv, gv, max(int(n_groups), 0)


def _poverty_table(out, n_groups):
    rows = [list(out[r * _NCOL:(r + 1) * _NCOL]) for r in range(n_groups + 1)]
    table = {name: [row[c] for row in rows[:-1]] for c, name in enumerate(_POVERTY_COLUMNS)}
    table["total"] = dict(zip(_POVERTY_COLUMNS, rows[-1]))
    return table


def fgt_decompose(y, z, alpha, groups, weights=None, n_groups=None):
    """FGT(alpha) by subgroup.

    Returns ``{"population", "share", "value", "contribution", "percent"}``
    (one list entry per group; contribution = share × value, and the
    contributions sum to the total) plus ``"total"``: the same keys for the
    whole population. ``n_groups`` defaults to ``max(groups) + 1``.
    """
    yv, wv, gv, g = _args(y, weights, groups, n_groups)
    out = (ctypes.c_double * ((g + 1) * _NCOL))()
    _f["pov_fgt_decompose"](yv.ptr, wv.ptr, yv.n, gv.ptr, g, float(z), float(alpha), out)
    return _poverty_table(out, g)


def watts_decompose(y, z, groups, weights=None, n_groups=None):
    """Watts index by subgroup; same layout as :func:`fgt_decompose`."""
    yv, wv, gv, g = _args(y, weights, groups, n_groups)
    out = (ctypes.c_double * ((g + 1) * _NCOL))()
    _f["pov_watts_decompose"](yv.ptr, wv.ptr, yv.n, gv.ptr, g, float(z), out)
    return _poverty_table(out, g)


def ge_decompose(y, alpha, groups, weights=None, n_groups=None):
    """GE(alpha) = within + between (Shorrocks 1980).

    Returns ``{"total", "within", "between", "groups": {"population_share",
    "income_share", "mean", "ge"}}``; within = Σ v_g^(1−α) s_g^α GE_g.
    """
    yv, wv, gv, g = _args(y, weights, groups, n_groups)
    out = (ctypes.c_double * (3 + 4 * g))()
    _f["pov_ge_decompose"](yv.ptr, wv.ptr, yv.n, gv.ptr, g, float(alpha), out)
    names = ("population_share", "income_share", "mean", "ge")
    return {"total": out[0], "within": out[1], "between": out[2],
            "groups": {name: [out[3 + 4 * r + c] for r in range(g)]
                       for c, name in enumerate(names)}}
