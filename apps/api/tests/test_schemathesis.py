"""Property-based run of every operation of the OpenAPI schema against the WSGI application.

For each operation a bounded, deterministic number of generated requests (valid and invalid
ones) is sent with a write key of a school that has data; object ids in the path are mostly
swapped for real ones so the requests reach the code behind the tenancy check. Every answer
must not be a server error and must match the schema documented for its status code.
"""

from collections import Counter

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from apps.api.api import api
from apps.orgs.choices import Role

from .conftest import fill_school, issue

pytestmark = pytest.mark.django_db(transaction=False)

EXAMPLES = {GenerationMode.POSITIVE: 12, GenerationMode.NEGATIVE: 6}
CHECKS = [not_a_server_error, response_schema_conformance]


def _real_ids(school, data) -> dict[str, int]:
    return {
        "org_id": school.pk,
        "person_id": data.person_id,
        "consent_id": data.consent_id,
        "unit_id": data.unit_id,
        "task_id": data.task_id,
    }


def _run(operation, mode, *, app, headers: dict, real: dict, calls: Counter) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES[mode],
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case) -> None:
        for name, value in list((case.path_parameters or {}).items()):
            # Mostly real objects; odd generated values keep the generated id (404 / 422 paths).
            if name in real and not (isinstance(value, int) and value % 2):
                case.path_parameters[name] = real[name]
        response = case.call_and_validate(app=app, headers=headers, checks=CHECKS)
        calls[(operation.label, mode.value, response.status_code)] += 1

    check()


@pytest.fixture
def _keep_test_connection():
    """The raw WSGI handler closes database connections after each request (Django's test
    Client switches that off too): the test's transaction must survive the requests."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.mark.usefixtures("_keep_test_connection")
def test_schema_operations_never_fail(school, other_school):
    data = fill_school(school)
    fill_school(other_school)
    schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
    headers = {"Authorization": f"Bearer {issue(school, Role.ADMIN, 'write')}"}
    app = get_wsgi_application()
    calls: Counter = Counter()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 16
    for operation in operations:
        for mode in EXAMPLES:
            _run(operation, mode, app=app, headers=headers, real=_real_ids(school, data),
                 calls=calls)  # fmt: skip
    positive = Counter()
    for (label, mode, _status), n in calls.items():
        positive[label] += n if mode == GenerationMode.POSITIVE.value else 0
    assert all(positive[op.label] >= 5 for op in operations), calls
    # Valid requests reach the code behind the checks: some succeed, some are refused (422).
    statuses = {status for (_label, _mode, status) in calls}
    assert {200, 201, 404, 422} <= statuses
