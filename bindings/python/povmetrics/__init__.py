"""povmetrics: poverty identification, monitoring and measurement.

A ctypes binding over libpovmetrics. Standard library only; numpy arrays are
accepted (without copying) where the C API takes arrays.

Modules: :mod:`povmetrics.measures` (poverty and inequality measures,
Alkire–Foster, decompositions, accumulators, inference), :mod:`povmetrics.io`
(readers and writers), :mod:`povmetrics.scorecard`, :mod:`povmetrics.policy`,
:mod:`povmetrics.risk`, :mod:`povmetrics.program`; the data model classes
are available at the top level.
"""
from . import errors
from ._ffi import LIBRARY_VERSION as library_version
from .errors import *  # noqa: F401,F403

from . import io, measures, policy, program, risk, scorecard  # noqa: E402,F401
from .condition import Condition  # noqa: E402
from .dataset import Dataset  # noqa: E402
from .household import Household, Member, derive_options  # noqa: E402
from .policy import Policy  # noqa: E402
from .program import Programs  # noqa: E402
from .risk import RiskModel, Transitions  # noqa: E402
from .schema import Indicator, Schema  # noqa: E402
from .scorecard import Identification, Scorecard, ScoreResult  # noqa: E402

__version__ = "0.1.0"

__all__ = [
    "library_version", "errors", "io", "measures", "policy", "program", "risk", "scorecard",
    "Condition", "Dataset", "Household", "Member", "derive_options", "Policy", "Programs",
    "RiskModel", "Transitions", "Indicator", "Schema", "Identification", "Scorecard",
    "ScoreResult",
] + errors.__all__
