"""Domain errors: what services raise, and what the API and pages turn into messages.

Every error carries a stable ``code`` clients can branch on and, where it concerns input, a list
of ``FieldError`` naming the place (a field path, or a row and column of a file). Messages never
contain personal data.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str


@dataclass
class DomainError(Exception):
    """A request that breaks a rule of the domain; answered with `status` (400 or 422)."""

    message: str
    code: str = "invalid"
    errors: list[FieldError] = field(default_factory=list)
    status: int = 422

    def __str__(self) -> str:
        return self.message


class ValidationError(DomainError):
    """Input that is not acceptable, with the field paths at fault."""

    @classmethod
    def for_field(cls, name: str, message: str, *, code: str = "invalid") -> "ValidationError":
        return cls(message=message, code=code, errors=[FieldError(field=name, message=message)])

    @classmethod
    def from_django(cls, error, message: str) -> "ValidationError":
        """The same errors as a Django ``ValidationError`` from ``Model.full_clean()``, by field."""
        errors = [
            FieldError(field=name if name != "__all__" else "", message=str(text))
            for name, texts in error.message_dict.items()
            for text in texts
        ]
        return cls(message=message, errors=errors)


@dataclass
class PermissionDenied(DomainError):
    """The actor can see the object but may not do this to it (403, no details)."""

    message: str = "You may not do this."
    code: str = "forbidden"
    status: int = 403


@dataclass
class Throttled(DomainError):
    """Too many attempts; try again after `retry_after` seconds (429)."""

    message: str = "Too many attempts."
    code: str = "throttled"
    status: int = 429
    retry_after: int = 0


@dataclass
class NotReady(DomainError):
    """The figures are being prepared or rebuilt; ask again after ``retry_after`` seconds (503)."""

    message: str = "Not ready yet."
    code: str = "not_ready"
    status: int = 503
    retry_after: int = 60
