"""Exceptions raised by the povmetrics binding.

Every failure of the C library becomes a :class:`PovError` subclass chosen by
its status code. The exception carries the code, the message, and where the
library knows it, the source name, 1-based line and column, byte offset and
field path (e.g. ``[12].members[3].age``).
"""

__all__ = [
    "PovError", "PovMemoryError", "InvalidArgumentError", "PovIOError", "NotFoundError",
    "DataError", "ParseError", "TypeMismatchError", "RangeError", "NonFiniteError",
    "UnknownCodeError", "MissingFieldError", "DuplicateError", "OrphanError", "LimitError",
    "TruncatedError", "FormatError", "UnknownFieldError", "DomainError", "EmptyDataError",
    "StateError", "RuleError", "SingularError", "from_code",
]


class PovError(Exception):
    """Base class: a povmetrics call failed."""
    code = -1

    def __init__(self, message, code=None, source=None, line=None, column=None,
                 offset=None, path=None):
        super().__init__(message)
        if code is not None:
            self.code = code
        self.message = message
        self.source = source
        self.line = line
        self.column = column
        self.offset = offset
        self.path = path

    def __str__(self):
        where = []
        if self.source:
            where.append(self.source)
        if self.line:
            where.append(f"line {self.line}" + (f", column {self.column}" if self.column else ""))
        if self.path:
            where.append(self.path)
        return (": ".join(["; ".join(where), self.message]) if where else self.message)


class PovMemoryError(PovError, MemoryError):
    code = -2


class InvalidArgumentError(PovError, ValueError):
    code = -3


class PovIOError(PovError, OSError):
    code = -4


class NotFoundError(PovError, LookupError):
    code = -5


class DataError(PovError, ValueError):
    """Bad input data or a bad rule document."""


class ParseError(DataError):
    code = -6


class TypeMismatchError(DataError, TypeError):
    code = -7


class RangeError(DataError):
    code = -8


class NonFiniteError(DataError):
    code = -9


class UnknownCodeError(DataError):
    code = -10


class MissingFieldError(DataError):
    code = -11


class DuplicateError(DataError):
    code = -12


class OrphanError(DataError):
    code = -13


class LimitError(DataError):
    code = -14


class TruncatedError(DataError):
    code = -15


class FormatError(DataError):
    code = -16


class UnknownFieldError(DataError):
    code = -17


class DomainError(PovError, ValueError):
    code = -18


class EmptyDataError(PovError, ValueError):
    code = -19


class StateError(PovError):
    code = -20


class RuleError(DataError):
    code = -21


class SingularError(PovError, ArithmeticError):
    code = -22


_BY_CODE = {cls.code: cls for cls in (
    PovMemoryError, InvalidArgumentError, PovIOError, NotFoundError, ParseError,
    TypeMismatchError, RangeError, NonFiniteError, UnknownCodeError, MissingFieldError,
    DuplicateError, OrphanError, LimitError, TruncatedError, FormatError, UnknownFieldError,
    DomainError, EmptyDataError, StateError, RuleError, SingularError)}


def from_code(code, message, **where):
    """Returns the exception instance for a status code."""
    cls = _BY_CODE.get(code, PovError)
    return cls(message, code=code, **where)
