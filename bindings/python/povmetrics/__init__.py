"""povmetrics: poverty identification, monitoring and measurement.

A ctypes binding over libpovmetrics. Standard library only; numpy arrays are
accepted (without copying) where the C API takes arrays.
"""
from . import errors
from ._ffi import LIBRARY_VERSION as library_version
from .errors import *  # noqa: F401,F403

__version__ = "0.1.0"

__all__ = ["library_version", "errors"] + errors.__all__
