"""One error format for the whole API: {"detail": str, "errors": {field: [message, ...]}}."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from ankommen.core import unavailable
from ankommen.core.concurrency import StaleRecord

# What every operation may answer besides its documented success: the one error format of the API.
ERROR_SCHEMA = {
    "title": "Error",
    "type": "object",
    "properties": {
        "detail": {"title": "Detail", "type": "string"},
        "errors": {
            "title": "Errors",
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
    "required": ["detail", "errors"],
}
ERROR_RESPONSES = {
    400: "The data could not be saved: messages per field.",
    401: "Authentication is required.",
    403: "The caller's role may not do this.",
    404: "Not found, or another centre's.",
    422: "The request does not match the schema: messages per field.",
    503: "The database is unavailable for a moment; send the request again after Retry-After seconds.",
}


def document_error_responses(schema: dict[str, Any]) -> dict[str, Any]:
    """Adds the error answers the handlers below give to every operation of the OpenAPI document."""
    schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    reference = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            for status, description in ERROR_RESPONSES.items():
                if status == 401 and not operation.get("security"):
                    continue
                if status not in responses and str(status) not in responses:
                    responses[status] = {"description": description, **reference}
    return schema


def document_local_times(schema: Any) -> Any:
    """Times of day are local wall-clock times ("18:00:00"); JSON Schema's "time" would demand an offset."""
    if isinstance(schema, dict):
        if schema.get("format") == "time":
            schema["format"] = "partial-time"
            schema["pattern"] = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)?$"
        for value in schema.values():
            document_local_times(value)
    elif isinstance(schema, list):
        for value in schema:
            document_local_times(value)
    return schema


def _field_of(location: tuple[Any, ...]) -> str:
    parts = [str(part) for part in location if part not in {"body", "query", "path", "payload"}]
    return ".".join(parts) or "__all__"


def register_error_handlers(api: NinjaAPI) -> None:
    def error(
        request: HttpRequest, status: int, detail: str, errors: dict[str, list[str]] | None = None
    ) -> HttpResponse:
        return api.create_response(request, {"detail": detail, "errors": errors or {}}, status=status)

    @api.exception_handler(NinjaValidationError)
    def schema_invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        errors: dict[str, list[str]] = {}
        for item in exc.errors:
            errors.setdefault(_field_of(tuple(item.get("loc", ()))), []).append(str(item.get("msg", "")))
        return error(request, 422, _("The request is not valid."), errors)

    @api.exception_handler(DjangoValidationError)
    def model_invalid(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        if hasattr(exc, "error_dict"):
            errors = {field: [str(m) for m in messages] for field, messages in exc.message_dict.items()}
        else:
            errors = {"__all__": [str(m) for m in exc.messages]}
        return error(request, 400, _("The data could not be saved."), errors)

    @api.exception_handler(StaleRecord)
    def stale(request: HttpRequest, exc: StaleRecord) -> HttpResponse:
        response = error(
            request, 412, _("The record has changed since you read it. Nothing was saved; read it again and retry.")
        )
        response["ETag"] = exc.etag
        return response

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return error(request, 401, _("Authentication is required."))

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return error(request, 403, _("You may not do this."))

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return error(request, 404, _("Not found."))

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if isinstance(exc.__cause__, NinjaValidationError):
            # django-ninja wraps whatever the body parser raises into a bare 400; ours names the field (parser.py).
            return schema_invalid(request, exc.__cause__)
        return error(request, exc.status_code, str(exc))

    @api.exception_handler(unavailable.OperationalError)
    @api.exception_handler(unavailable.InterfaceError)
    def database_unavailable(request: HttpRequest, exc: Exception) -> HttpResponse:
        # The transaction was rolled back by PostgreSQL; the client may send the same request again shortly.
        unavailable.log_unavailable(request, exc)
        response = error(request, 503, unavailable.api_detail())
        response["Retry-After"] = str(unavailable.RETRY_AFTER_SECONDS)
        return response
