"""Errors of the API as JSON with Russian messages: 400, 401, 403, 404, 413, 422."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from apps.api.tokens import TokenError


class BodyNotObject(ValueError):
    """A JSON body that is an array, a string, a number or null (the 400 says so)."""

    message = 'Тело запроса должно быть JSON-объектом в фигурных скобках: {"поле": значение}.'


# pydantic error types → Russian messages; anything else gets the generic one.
MESSAGES = {
    "missing": "Обязательное поле.",
    "string_type": "Ожидается строка.",
    "int_type": "Ожидается целое число.",
    "int_parsing": "Ожидается целое число.",
    "int_from_float": "Ожидается целое число.",
    "bool_type": "Ожидается true или false.",
    "bool_parsing": "Ожидается true или false.",
    "list_type": "Ожидается список.",
    "dict_type": "Ожидается объект.",
    "model_type": "Ожидается объект JSON.",
    "model_attributes_type": "Ожидается объект JSON.",
    "date_type": "Ожидается дата в формате ГГГГ-ММ-ДД.",
    "date_parsing": "Ожидается дата в формате ГГГГ-ММ-ДД.",
    "date_from_datetime_parsing": "Ожидается дата в формате ГГГГ-ММ-ДД.",
    "date_from_datetime_inexact": "Ожидается дата без времени.",
    "datetime_type": "Ожидаются дата и время в формате ISO 8601.",
    "datetime_parsing": "Ожидаются дата и время в формате ISO 8601.",
    "datetime_from_date_parsing": "Ожидаются дата и время в формате ISO 8601.",
    "literal_error": "Недопустимое значение.",
    "enum": "Недопустимое значение.",
    "greater_than_equal": "Значение слишком маленькое.",
    "greater_than": "Значение слишком маленькое.",
    "less_than_equal": "Значение слишком большое.",
    "less_than": "Значение слишком большое.",
    "string_too_long": "Слишком длинная строка.",
    "string_too_short": "Слишком короткая строка.",
    "string_pattern_mismatch": "Значение не подходит по формату.",
    "too_long": "Слишком много элементов.",
    "extra_forbidden": "Неизвестное поле.",
    "json_invalid": "Некорректный JSON.",
}
GENERIC = "Некорректное значение."


class ErrorOut(Schema):
    detail: str


class FieldErrorOut(Schema):
    field: str
    message: str


class ValidationErrorOut(Schema):
    detail: str
    errors: list[FieldErrorOut]


def invalid(errors: dict[str, list[str]]) -> dict[str, Any]:
    """The 422 body for errors found by a form or a service: {field: [messages]}."""
    return {
        "detail": "Проверьте данные запроса.",
        "errors": [
            {"field": field, "message": str(message)}
            for field, messages in errors.items()
            for message in messages
        ],
    }


class FormInvalid(Exception):
    """Raised by endpoints when a form or a service refuses the data (→ 422)."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("invalid")
        self.errors = errors


def _message(error: dict) -> str:
    custom = error.get("ctx", {}).get("error")
    if error.get("type") == "value_error" and custom is not None:
        return str(custom)
    message = MESSAGES.get(error.get("type", ""), GENERIC)
    expected = error.get("ctx", {}).get("expected")
    if expected and error.get("type") in ("literal_error", "enum"):
        message = f"{message} Допустимо: {expected}."
    return message


def _field(loc: Any) -> str:
    parts = [str(p) for p in loc or []]
    if len(parts) > 1 and parts[0] == "body" and parts[1] == "payload":
        parts = parts[2:] or ["body"]
    return ".".join(parts) or "body"


def install(api: NinjaAPI) -> None:
    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        body = {
            "detail": "Проверьте данные запроса.",
            "errors": [{"field": _field(e.get("loc")), "message": _message(e)} for e in exc.errors],
        }
        return api.create_response(request, body, status=422)

    @api.exception_handler(FormInvalid)
    def form_invalid(request: HttpRequest, exc: FormInvalid) -> HttpResponse:
        return api.create_response(request, invalid(exc.errors), status=422)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        detail = "Нужен API-ключ: заголовок «Authorization: Bearer <ключ>»."
        return api.create_response(request, {"detail": detail}, status=401)

    @api.exception_handler(TokenError)
    def bad_token(request: HttpRequest, exc: TokenError) -> HttpResponse:
        return api.create_response(request, {"detail": str(exc)}, status=401)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return api.create_response(request, {"detail": "Не найдено."}, status=404)

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        detail = str(exc)
        if isinstance(exc.__cause__, BodyNotObject):
            detail = BodyNotObject.message
        elif exc.status_code == 400 and detail.startswith("Cannot parse request body"):
            detail = "Тело запроса должно быть корректным JSON (Content-Type: application/json)."
        return api.create_response(request, {"detail": detail}, status=exc.status_code)

    @api.exception_handler(RequestDataTooBig)
    def too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return api.create_response(request, {"detail": "Слишком большой запрос."}, status=413)
