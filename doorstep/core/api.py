"""The API's error handling: one exception handler per kind of error, all giving the one error shape
``{"detail", "code", "errors": [{"field", "message"}]}``."""

import math

from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from .errors import DomainError, NotReady, Throttled


def _field_path(loc) -> str:
    return ".".join(str(part) for part in loc)


def install_error_handlers(api: NinjaAPI) -> None:
    def error(request, status: int, detail: str, code: str, errors=()):
        return api.create_response(
            request,
            {"detail": detail, "code": code, "errors": [{"field": f, "message": m} for f, m in errors]},
            status=status,
        )

    @api.exception_handler(DomainError)
    def domain_error(request, exc: DomainError):
        response = error(
            request, exc.status, exc.message, exc.code, [(e.field, e.message) for e in exc.errors]
        )
        if isinstance(exc, Throttled | NotReady):
            response["Retry-After"] = str(math.ceil(exc.retry_after))
        return response

    @api.exception_handler(NinjaValidationError)
    def validation_error(request, exc: NinjaValidationError):
        errors = []
        for item in exc.errors:
            errors.append((_field_path(item.get("loc", ())), item.get("msg", "Invalid value.")))
        return error(request, 422, "Some of the input is not valid.", "invalid", errors)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return error(request, 404, "Not found.", "not_found")

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc: AuthenticationError):
        detail = exc.message if exc.message != "Unauthorized" else "Log in or send a valid API token."
        response = error(request, 401, detail, "unauthenticated")
        response["WWW-Authenticate"] = 'Bearer realm="doorstep"'
        return response

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
            return error(
                request, 400, "The request body is not valid JSON.", "malformed_json", [("body", str(exc))]
            )
        codes = {400: "bad_request", 403: "forbidden", 405: "method_not_allowed", 429: "throttled"}
        return error(request, exc.status_code, str(exc), codes.get(exc.status_code, "error"))
