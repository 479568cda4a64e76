"""JSON errors for the whole API, and the schemas that document them.

Every error body has a `message`; invalid input (422) adds `errors`, one per
bad field, each with the `path` to it (`["stakeholders", 2, "influence"]`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from changeready.common.concurrency import EditConflict
from changeready.common.errors import Path, validation_errors

logger = logging.getLogger(__name__)


class ErrorOut(Schema):
    message: str


class FieldErrorOut(Schema):
    path: list[str | int]
    message: str


class InvalidOut(Schema):
    message: str
    errors: list[FieldErrorOut]


class ConflictOut(Schema):
    message: str
    current_version: int


class TooLargeOut(Schema):
    message: str
    max_bytes: int


class ApiError(Exception):
    status = 400

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)

    def body(self) -> dict:
        return {"message": self.message}


class Forbidden(ApiError):
    status = 403


class PayloadTooLarge(ApiError):
    status = 413

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        super().__init__(f"The request body is larger than the limit of {max_bytes} bytes.")

    def body(self) -> dict:
        return {"message": self.message, "max_bytes": self.max_bytes}


class TooManyRequests(ApiError):
    """429, with `Retry-After` (seconds) set by its handler."""

    status = 429

    def __init__(self, message: str, retry_after: int):
        self.retry_after = retry_after
        super().__init__(message)


class InvalidInput(ApiError):
    status = 422

    def __init__(self, errors: Sequence[Mapping], message: str = "The input is not valid."):
        self.errors = [{"path": list(e["path"]), "message": str(e["message"])} for e in errors]
        super().__init__(message)

    def body(self) -> dict:
        return {"message": self.message, "errors": self.errors}


def invalid(path: Path, message: str) -> InvalidInput:
    return InvalidInput([{"path": path, "message": message}])


@contextmanager
def model_validation(paths: Mapping[str, Path] | None = None) -> Iterator[None]:
    """Turn a service's ValidationError into a 422 whose paths use the API's field names."""
    try:
        yield
    except DjangoValidationError as error:
        raise InvalidInput(validation_errors(error, paths or {})) from None


def _ninja_error_path(loc: Sequence) -> Path:
    # ninja reports ("body", "<param name>", field, ...) for a body; the client
    # only knows the body's own structure.
    parts = list(loc)
    if parts[:1] == ["body"]:
        return parts[2:]
    return parts


# Statuses every operation can answer with, and their bodies, for the OpenAPI schema.
ERROR_RESPONSES = {
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ConflictOut,
    413: TooLargeOut,
    422: InvalidOut,
    429: ErrorOut,
}


def responses(ok: Mapping[int, object], *errors: int) -> dict:
    """The `response=` of an operation: its success statuses plus the listed errors.

    401, 422 and 429 are always possible (token, parameters, rate limits); pass
    403 for writes, 404 for operations on an id, 409 for versioned updates,
    413 for bodies.
    """
    result: dict = dict(ok)
    for status in sorted({401, 422, 429, *errors}):
        result[status] = ERROR_RESPONSES[status]
    return result


def install_error_handlers(api: NinjaAPI) -> None:
    def respond(request: HttpRequest, body: dict, status: int) -> HttpResponse:
        return api.create_response(request, body, status=status)

    @api.exception_handler(ApiError)
    def api_error(request, exc: ApiError):
        return respond(request, exc.body(), exc.status)

    @api.exception_handler(TooManyRequests)
    def too_many(request, exc: TooManyRequests):
        response = respond(request, exc.body(), exc.status)
        response["Retry-After"] = str(exc.retry_after)
        return response

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        response = respond(
            request,
            {"message": "A valid API token is required: Authorization: Bearer <token>."},
            401,
        )
        response["WWW-Authenticate"] = 'Bearer realm="changeready"'
        return response

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        if exc.status_code == 400:
            # ninja's "Cannot parse request body": invalid input like any other,
            # so clients handle one status (422) with one shape.
            body = InvalidInput([{"path": [], "message": "The body is not valid JSON."}]).body()
            return respond(request, body, 422)
        return respond(request, {"message": exc.message}, exc.status_code)

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc):
        return respond(request, {"message": str(exc) or "Forbidden."}, 403)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return respond(request, {"message": "Not found."}, 404)

    @api.exception_handler(NinjaValidationError)
    def invalid_parameters(request, exc: NinjaValidationError):
        errors = [
            {"path": _ninja_error_path(error.get("loc", ())), "message": error.get("msg", "")}
            for error in exc.errors
        ]
        return respond(request, InvalidInput(errors).body(), 422)

    @api.exception_handler(DjangoValidationError)
    def invalid_model(request, exc: DjangoValidationError):
        return respond(request, InvalidInput(validation_errors(exc, {})).body(), 422)

    @api.exception_handler(EditConflict)
    def conflict(request, exc: EditConflict):
        return respond(request, {"message": str(exc), "current_version": exc.current.version}, 409)

    @api.exception_handler(RequestDataTooBig)
    def too_big(request, exc):
        from django.conf import settings

        return respond(request, PayloadTooLarge(settings.DATA_UPLOAD_MAX_MEMORY_SIZE).body(), 413)

    @api.exception_handler(Exception)
    def server_error(request, exc):
        logger.exception("Unhandled error in API %s %s", request.method, request.path)
        return respond(request, {"message": "Internal server error."}, 500)
