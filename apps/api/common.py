"""Shared pieces of the endpoints: the token's organisation check, safe input types, paging."""

from __future__ import annotations

import datetime
from typing import Annotated, Any

from django.forms import Form
from django.http import HttpRequest
from ninja import Field, Path, Schema
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination
from ninja.parser import Parser
from pydantic import AfterValidator, ValidationInfo

from apps.api.errors import BodyNotObject, ErrorOut, FormInvalid, ValidationErrorOut
from apps.api.models import ApiToken
from apps.core.text import control_character_message
from apps.orgs.models import Organisation
from apps.orgs.permissions import Roles, role_allows

MAX_ID = 2_147_483_647
MAX_PAGE = 100
# Bounded so a database never sees an integer it cannot store.
OrgId = Annotated[int, Path(..., ge=1, le=MAX_ID, description="Идентификатор организации")]
ObjectId = Annotated[int, Path(..., ge=1, le=MAX_ID)]
IdValue = Annotated[int, Field(ge=1, le=MAX_ID)]


def _safe_text(value: str, info: ValidationInfo) -> str:
    """No control characters (NUL included: databases refuse it; the rest break exports) and
    no lone surrogates (no UTF-8 form)."""
    if message := control_character_message(info.field_name or "body", value):
        raise ValueError(message)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        raise ValueError("Строка содержит недопустимые символы.") from error
    return value


def _sane_date(value: datetime.date) -> datetime.date:
    if not 1900 <= value.year <= 2100:
        raise ValueError("Дата должна быть между 1900 и 2100 годами.")
    return value


SafeStr = Annotated[str, AfterValidator(_safe_text)]
SafeDate = Annotated[datetime.date, AfterValidator(_sane_date)]
SafeDateTime = Annotated[datetime.datetime, AfterValidator(_sane_date)]

ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}
WRITE_ERRORS: dict[int, Any] = {**ERRORS, 422: ValidationErrorOut}
READ_ERRORS = WRITE_ERRORS


class JsonParser(Parser):
    """Only JSON objects: a form-encoded or other body is a 400, not a guess.

    An array or `null` is refused too: ninja would read the fields of a schema off any value
    as attributes, so `[]` would pass as a PATCH that changes nothing and answers 200.
    """

    def parse_body(self, request: HttpRequest) -> dict:
        if request.content_type != "application/json":
            raise ValueError("not JSON")
        data = super().parse_body(request)
        if not isinstance(data, dict):
            raise BodyNotObject(type(data).__name__)
        return data


class Pagination(LimitOffsetPagination):
    """?limit= (1–100, 50 by default) and ?offset=; the answer carries `count` and `items`."""

    class Input(Schema):
        limit: int = Field(50, ge=1, le=MAX_PAGE, description="Сколько записей вернуть (1–100)")
        offset: int = Field(0, ge=0, le=MAX_ID, description="Сколько записей пропустить")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_PAGE, **kwargs)


def token_of(request: HttpRequest) -> ApiToken:
    return request.auth  # set by TokenAuth


def key_roles(token: ApiToken, org: Organisation) -> Roles:
    """The key's role at `org`: held there for the key's own organisation, from above below it
    (so a municipal methodist's key reads the schools but does not write into them)."""
    if org.pk == token.organisation_id:
        return Roles(own={token.role})
    return Roles(inherited={token.role})


def org_for(request: HttpRequest, org_id: int, perm: str, *, write: bool = False) -> Organisation:
    """The organisation if it lies in the token's subtree (else 404) and the token's role
    allows `perm` there (else 403); a write also needs the write scope (else 403)."""
    token = token_of(request)
    org = Organisation.objects.subtree(token.organisation).filter(pk=org_id).first()
    if org is None:
        raise HttpError(404, "Организация не найдена.")
    if not role_allows(key_roles(token, org), perm):
        raise HttpError(403, "Роли ключа не хватает прав для этого действия.")
    if write and not token.can_write:
        raise HttpError(403, "Ключ выдан только для чтения.")
    return org


def school_for(request: HttpRequest, org_id: int, perm: str) -> Organisation:
    """Changes are made in a school: a municipality's registers are sums of its schools'."""
    org = org_for(request, org_id, perm, write=True)
    if not org.is_school:
        raise HttpError(404, "Изменения вносятся в образовательной организации, а не выше.")
    return org


def check_form(form: Form) -> None:
    if not form.is_valid():
        raise FormInvalid(
            {
                ("body" if field == "__all__" else field): [str(m) for m in messages]
                for field, messages in form.errors.items()
            }
        )
