"""Loading libpovmetrics and declaring its functions (internal).

Every module of the binding declares the C functions it uses in one table
passed to :func:`bind`, which sets ``argtypes``/``restype`` and, for functions
returning a status code, an ``errcheck`` that raises the matching exception.
"""
import ctypes
import weakref
import os
import pathlib

from . import errors

__all__ = ["lib", "bind", "check", "doubles", "int32s", "sizes", "c_str", "py_str"]

# The binding is written against this version of the C API: the major version
# must match and the library's minor version must be at least this one.
API_VERSION = (0, 1, 0)
_SONAME = "libpovmetrics.so.0"


def _candidates():
    env = os.environ.get("POVMETRICS_LIBRARY")
    if env:
        yield env
        return
    # Build tree: bindings/python/povmetrics -> repository root -> build*/.
    root = pathlib.Path(__file__).resolve().parents[3]
    for build in sorted(root.glob("build*")):
        so = build / _SONAME
        if so.exists():
            yield str(so)
    yield _SONAME


def _load():
    tried = []
    for path in _candidates():
        try:
            return ctypes.CDLL(path)
        except OSError as exc:
            tried.append(f"{path}: {exc}")
    raise ImportError("cannot load libpovmetrics (set POVMETRICS_LIBRARY to its path); tried:\n  "
                      + "\n  ".join(tried))


lib = _load()

# Core functions (error detail) are needed by the errcheck itself.
lib.pov_version.restype = ctypes.c_char_p
lib.pov_version.argtypes = []
lib.pov_strerror.restype = ctypes.c_char_p
lib.pov_strerror.argtypes = [ctypes.c_int]
lib.pov_error_last.restype = ctypes.c_void_p
lib.pov_error_last.argtypes = []
lib.pov_error_clear.restype = None
lib.pov_error_clear.argtypes = []
lib.pov_error_code.restype = ctypes.c_int
lib.pov_error_code.argtypes = [ctypes.c_void_p]
for _name in ("pov_error_message", "pov_error_source", "pov_error_path"):
    getattr(lib, _name).restype = ctypes.c_char_p
    getattr(lib, _name).argtypes = [ctypes.c_void_p]
for _name in ("pov_error_line", "pov_error_column", "pov_error_offset"):
    getattr(lib, _name).restype = ctypes.c_size_t
    getattr(lib, _name).argtypes = [ctypes.c_void_p]
lib.pov_free.restype = None
lib.pov_free.argtypes = [ctypes.c_void_p]
lib.pov_version_number.restype = ctypes.c_int
lib.pov_version_number.argtypes = []

_SIZE_MAX = ctypes.c_size_t(-1).value


def py_str(b):
    """Decodes a C string (bytes or None) to str."""
    return "" if b is None else b.decode("utf-8", "replace")


def c_str(s, name="argument"):
    """Encodes a str for a ``const char *`` parameter (None stays NULL)."""
    if s is None:
        return None
    if isinstance(s, bytes):
        return s
    if isinstance(s, os.PathLike):
        s = os.fspath(s)
    if not isinstance(s, str):
        raise TypeError(f"{name} must be str, not {type(s).__name__}")
    return s.encode("utf-8")


def handle_of(obj, what):
    """The C pointer behind a binding object (schema, household, dataset...).

    Accepts objects exposing ``_as_parameter_``, ``_ptr``, ``_handle`` or
    ``handle`` (a ``c_void_p``, a ctypes pointer or an int), or a raw int.
    Raises TypeError for None or a foreign object (an :class:`Owned` whose
    ``_argument`` is False counts as foreign), ValueError when closed.
    """
    if obj is None:
        raise TypeError(f"{what} must not be None")
    if isinstance(obj, Owned) and not obj._argument:
        raise TypeError(f"{what} must be a povmetrics object, not {type(obj).__name__}")
    for attr in ("_as_parameter_", "_ptr", "_handle", "handle"):
        h = getattr(obj, attr, None)
        if h is not None:
            if isinstance(h, ctypes.c_void_p):
                h = h.value
            elif isinstance(h, ctypes._Pointer):
                h = ctypes.cast(h, ctypes.c_void_p).value
            if not h:
                raise ValueError(f"{what} is closed")
            return h
    if isinstance(obj, int):
        return obj
    raise TypeError(f"{what} must be a povmetrics object, not {type(obj).__name__}")


def last_error(code=None):
    """Builds the exception for the calling thread's last error."""
    e = lib.pov_error_last()
    c = lib.pov_error_code(e) if code is None else code
    msg = py_str(lib.pov_error_message(e)) or py_str(lib.pov_strerror(c))
    offset = lib.pov_error_offset(e)
    return errors.from_code(
        c, msg,
        source=py_str(lib.pov_error_source(e)) or None,
        line=lib.pov_error_line(e) or None,
        column=lib.pov_error_column(e) or None,
        offset=None if offset == _SIZE_MAX else offset,
        path=py_str(lib.pov_error_path(e)) or None)


def check(code):
    """Raises the matching exception if ``code`` is negative."""
    if code < 0:
        raise last_error(code)
    return code


def _errcheck(result, func, args):
    if result < 0:
        raise last_error(result)
    return result


def bind(table):
    """Declares C functions from ``{name: (restype, [argtypes...])}``.

    A ``restype`` of ``"status"`` means ``int`` status code checked by errcheck.
    Returns a namespace-like dict of the configured functions.
    """
    out = {}
    for name, (restype, argtypes) in table.items():
        fn = getattr(lib, name)
        if restype == "status":
            fn.restype = ctypes.c_int
            fn.errcheck = _errcheck
        else:
            fn.restype = restype
        fn.argtypes = list(argtypes)
        out[name] = fn
    return out


# --- zero-copy array arguments -------------------------------------------

_c_double_p = ctypes.POINTER(ctypes.c_double)
_c_int32_p = ctypes.POINTER(ctypes.c_int32)
_c_size_p = ctypes.POINTER(ctypes.c_size_t)


class _Array:
    """A pointer into a caller's buffer, holding a reference to keep it alive."""
    __slots__ = ("ptr", "n", "owner")

    def __init__(self, ptr, n, owner):
        self.ptr, self.n, self.owner = ptr, n, owner


def _as_array(obj, ctype, fmt_codes, itemsize, name, allow_none):
    if obj is None:
        if allow_none:
            return _Array(None, 0, None)
        raise TypeError(f"{name} must not be None")
    ptr_type = ctypes.POINTER(ctype)
    # numpy arrays: use the data pointer directly when the layout fits.
    np_iface = getattr(obj, "__array_interface__", None)
    if np_iface is not None:
        shape = np_iface["shape"]
        typestr = np_iface["typestr"]
        want = {ctypes.c_double: "<f8", ctypes.c_int32: "<i4",
                ctypes.c_size_t: "<u%d" % ctypes.sizeof(ctypes.c_size_t)}[ctype]
        if len(shape) != 1:
            raise ValueError(f"{name} must be one-dimensional, got shape {shape}")
        strides = np_iface.get("strides")
        if typestr.replace("|", "<").replace("=", "<") == want and (
                strides is None or strides == (itemsize,)):
            addr = np_iface["data"][0]
            return _Array(ctypes.cast(ctypes.c_void_p(addr), ptr_type), shape[0], obj)
        # wrong dtype or non-contiguous: convert once (a copy is unavoidable)
        import numpy  # only reached with numpy objects
        conv = numpy.ascontiguousarray(obj, dtype=want)
        return _Array(conv.ctypes.data_as(ptr_type), conv.shape[0], conv)
    # any object with the buffer protocol (array.array, memoryview, bytearray)
    try:
        mv = memoryview(obj)
    except TypeError:
        mv = None
    if mv is not None:
        if mv.ndim != 1:
            raise ValueError(f"{name} must be one-dimensional")
        if mv.format in fmt_codes and mv.itemsize == itemsize and mv.c_contiguous:
            n = mv.shape[0]
            if n == 0:
                return _Array(None, 0, mv)
            if mv.readonly:
                buf = (ctype * n).from_buffer_copy(mv)
                return _Array(ctypes.cast(buf, ptr_type), n, buf)
            buf = (ctype * n).from_buffer(mv)
            return _Array(ctypes.cast(buf, ptr_type), n, (buf, mv))
        raise TypeError(f"{name}: buffer format {mv.format!r} is not {fmt_codes[0]!r}")
    # plain Python sequences: copy into a C array
    try:
        seq = list(obj)
    except TypeError:
        raise TypeError(f"{name} must be a sequence, buffer or numpy array") from None
    buf = (ctype * len(seq))(*seq)
    return _Array(ctypes.cast(buf, ptr_type) if seq else None, len(seq), buf)


def doubles(obj, name="y", allow_none=False):
    """Zero-copy ``const double *`` view of a float64 buffer or numpy array."""
    return _as_array(obj, ctypes.c_double, ("d",), 8, name, allow_none)


def int32s(obj, name="groups", allow_none=False):
    """Zero-copy ``const int32_t *`` view of an int32 buffer or numpy array."""
    return _as_array(obj, ctypes.c_int32, ("i", "l", "=i", "<i"), 4, name, allow_none)


def sizes(obj, name="index", allow_none=False):
    """Zero-copy ``const size_t *`` view."""
    return _as_array(obj, ctypes.c_size_t, ("N", "L", "Q"), ctypes.sizeof(ctypes.c_size_t),
                     name, allow_none)


c_double_p = _c_double_p
c_int32_p = _c_int32_p
c_size_p = _c_size_p


def _check_version():
    have = py_str(lib.pov_version())
    try:
        major, minor, _patch = (int(x) for x in have.split("."))
    except ValueError:
        raise ImportError(f"libpovmetrics reports an unreadable version {have!r}") from None
    if major != API_VERSION[0] or minor < API_VERSION[1]:
        raise ImportError(
            f"libpovmetrics {have} is not compatible with this binding "
            f"(needs {API_VERSION[0]}.{API_VERSION[1]}.x or a later minor)")
    return have


LIBRARY_VERSION = _check_version()


class Owned:
    """Base of binding objects that own one C object.

    The object is freed exactly once: by :meth:`close`, on leaving a ``with``
    block, or when the Python object is garbage-collected. Subclasses call
    ``self._own(ptr, free)`` in ``__init__`` and set ``_kind`` (the noun of
    the "closed" error); methods reach the pointer through :meth:`_live`.

    Class attributes a subclass may set:

    * ``_closed_error``: the exception :meth:`_live` raises once closed
      (default ValueError);
    * ``_closed_message``: its message (default ``"the <_kind> is closed"``);
    * ``_argument``: False for objects no other call takes as an argument:
      :func:`handle_of` then refuses them (TypeError) instead of passing
      their pointer on as if it were a schema, dataset...
    """

    _kind = "object"
    _closed_error = ValueError
    _closed_message = None
    _argument = True

    def _own(self, ptr, free):
        """Takes ``ptr``; ``free`` None means borrowed (kept, never freed)."""
        self._ptr = ptr
        self._finalizer = None if free is None else weakref.finalize(self, free, ptr)

    def close(self):
        """Frees the C object now (idempotent); results that need it keep it alive."""
        if self._finalizer is not None:
            self._finalizer()
        self._ptr = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def _live(self):
        if not self._ptr:
            raise self._closed_error(self._closed_message or f"the {self._kind} is closed")
        return self._ptr
