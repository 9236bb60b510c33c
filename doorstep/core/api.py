"""The API's error handling: one exception handler per kind of error, all giving the one error shape
``{"detail", "code", "errors": [{"field", "message"}]}``; and the one check of every text and number
the API receives, before any handler sees it (``install_input_checks``)."""

import json
import math
import re
from functools import wraps

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, JsonResponse
from django.views import defaults
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser

from .errors import DomainError, NotReady, Throttled

# The largest id (or any integer) a database column holds: a bigger one is refused before it reaches
# a query (SQLite cannot even bind it).
INT64_MAX = 2**63 - 1
# NUL (PostgreSQL's text cannot hold it) and lone surrogates (not Unicode: they cannot be encoded to
# be stored): refused wherever they appear.
REFUSED_TEXT = re.compile("[\x00\ud800-\udfff]")
# Invisible characters that only disguise text: direction embeddings, overrides and isolates
# (U+202A-U+202E, U+2066-U+2069: "Trojan Source" spoofing in names and exports), the zero-width
# space, the word joiner and the byte-order mark. Removed from every text. The zero-width joiner and
# non-joiner (U+200C, U+200D) and the left-to-right and right-to-left marks stay: Indic, Persian and
# Arabic writing needs them.
INVISIBLE_TEXT = re.compile("[\u202a-\u202e\u2066-\u2069\u200b\u2060\ufeff]")


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


class _Checked:
    """One request's input, checked and cleaned: ``errors`` collects (field, message)."""

    def __init__(self) -> None:
        self.errors: list[tuple[str, str]] = []

    def text(self, value: str, field: str) -> str:
        found = REFUSED_TEXT.search(value)
        if found is None:
            return INVISIBLE_TEXT.sub("", value)
        if found.group() == "\x00":
            self.errors.append((field, "Text may not contain the NUL character (U+0000)."))
        else:
            self.errors.append((field, "Text may not contain a lone surrogate: it is not valid Unicode."))
        return value

    def number(self, value: int, field: str) -> int:
        if abs(value) > INT64_MAX:
            self.errors.append((field, f"A whole number here can be at most {INT64_MAX}."))
        return value

    def raw(self, value: str, field: str) -> str:
        """A path or query value: text, and an id when it is all digits."""
        if value.isascii() and value.isdigit() and len(value) > 18:
            self.number(int(value), field)
        return self.text(value, field)

    def json(self, value, field: str):
        if isinstance(value, str):
            return self.text(value, field)
        if isinstance(value, bool):
            return value
        if isinstance(value, int):
            return self.number(value, field)
        if isinstance(value, list):
            return [self.json(item, f"{field}.{index}") for index, item in enumerate(value)]
        if isinstance(value, dict):
            return {self.text(key, field): self.json(item, f"{field}.{key}") for key, item in value.items()}
        return value

    def query(self, data, prefix: str):
        cleaned = data.copy()
        for key, values in data.lists():
            field = f"{prefix}.{self.text(key, prefix)}"
            cleaned.setlist(key, [self.raw(value, field) for value in values])
        return cleaned


def _json_body(operation) -> tuple[bool, str]:
    """(whether the operation reads a JSON body, the field path its errors start with)."""
    for model in getattr(operation, "models", ()):
        if getattr(model, "__ninja_param_source__", None) == "body":
            single = getattr(model, "__read_from_single_attr__", None)
            return True, f"body.{single}" if single else "body"
    return False, "body"


class CheckedParser(Parser):
    """Ninja's JSON parser, reading the body the input check already read and cleaned."""

    def parse_body(self, request):
        if hasattr(request, "checked_json"):
            return request.checked_json
        return super().parse_body(request)


def install_input_checks(api: NinjaAPI) -> None:
    """Check every request's path, query, form fields and JSON body before its handler runs: NUL,
    lone surrogates and integers beyond 64 bits answer 422 naming the field; a JSON body that is not
    an object where one is expected answers 422 on ``body``; invisible direction controls and
    zero-width spaces are removed from every text (see ``INVISIBLE_TEXT``)."""
    api.parser = CheckedParser()

    def refuse(request, errors):
        body = {
            "detail": "Some of the input is not valid.",
            "code": "invalid",
            "errors": [{"field": f, "message": m} for f, m in errors],
        }
        return api.create_response(request, body, status=422)

    def check_input(run):
        operation = getattr(run, "__self__", None)
        reads_json, body_field = _json_body(operation)

        @wraps(run)
        def checked(request, *args, **kwargs):
            found = _Checked()
            for name, value in kwargs.items():
                if isinstance(value, str):
                    kwargs[name] = found.raw(value, f"path.{name}")
                elif isinstance(value, int):
                    found.number(value, f"path.{name}")
            request.GET = found.query(request.GET, "query")
            content_type = request.content_type or ""
            if content_type.startswith(("multipart/", "application/x-www-form-urlencoded")):
                request.POST = found.query(request.POST, "form")
            elif reads_json and request.body:
                try:
                    data = json.loads(request.body)
                    if not isinstance(data, dict):
                        found.errors.append(("body", "Send a JSON object."))
                    request.checked_json = found.json(data, body_field)
                except ValueError:
                    pass  # not JSON: ninja answers 400 malformed_json
                except RecursionError:
                    found.errors.append(("body", "The JSON is nested too deep."))
            if found.errors:
                return refuse(request, found.errors)
            return run(request, *args, **kwargs)

        return checked

    api.add_decorator(check_input, mode="view")


# Errors Django answers before (or after) the API's own handlers: an address no route matches, a
# request it refuses to read, a bug. Under the API they take the API's error shape; pages keep theirs.
API_PREFIX = "/api/"


def _api_error(status: int, detail: str, code: str) -> JsonResponse:
    return JsonResponse({"detail": detail, "code": code, "errors": []}, status=status)


def body_limit() -> str:
    """The documented limit of a request body (JSON or form fields; uploaded files apart)."""
    return f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024):g} MB"


def bad_request(request, exception=None, template_name="400.html"):
    """Django's 400, as 413 when the body is over the limit (refused from its Content-Length, before
    it is read)."""
    if not request.path.startswith(API_PREFIX):
        return defaults.bad_request(request, exception, template_name=template_name)
    if isinstance(exception, RequestDataTooBig):
        return _api_error(
            413, f"The request body is larger than the API takes ({body_limit()}).", "too_large"
        )
    return _api_error(400, "The request could not be read.", "bad_request")


def page_not_found(request, exception=None, template_name="404.html"):
    if not request.path.startswith(API_PREFIX):
        return defaults.page_not_found(request, exception, template_name=template_name)
    return _api_error(404, "Not found.", "not_found")


def server_error(request, template_name="500.html"):
    if not request.path.startswith(API_PREFIX):
        return defaults.server_error(request, template_name=template_name)
    return _api_error(500, "Something went wrong on the server; it has been logged.", "server_error")
