"""povmetrics: poverty identification, monitoring and measurement.

A ctypes binding over libpovmetrics. Standard library only; numpy arrays are
accepted (without copying) where the C API takes arrays.
"""
from . import errors
from ._ffi import LIBRARY_VERSION as library_version
from .errors import *  # noqa: F401,F403

__version__ = "0.1.0"

__all__ = ["library_version", "errors"] + errors.__all__
from .condition import Condition  # noqa: E402,F401
from . import io  # noqa: E402,F401
from .schema import Schema, Indicator  # noqa: E402,F401
from .household import Household, Member, derive_options  # noqa: E402,F401
from .dataset import Dataset  # noqa: E402,F401
from .risk import RiskModel, Transitions  # noqa: E402,F401
from . import risk  # noqa: E402,F401
from .program import Programs  # noqa: E402,F401
from . import program  # noqa: E402,F401
