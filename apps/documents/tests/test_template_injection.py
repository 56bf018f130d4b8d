"""Server-side template injection: text a school typed is data, uploaded templates are sandboxed.

Each payload is a known Jinja escape. The canary payloads would create a file through
`os.popen` if anything evaluated them; the tests check the file never appears.
"""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.documents import placeholders, sandbox
from apps.documents.context import DocumentRuleError
from apps.documents.models import DocKind, PolozhenieSection, SchoolTemplate
from apps.documents.services import POLOZHENIE_FIELDS, issue, render
from apps.documents.tests.test_documents import DAY, text_of, world  # noqa: F401
from apps.documents.tests.test_school_templates import docx_with
from tests.html import alerts, errors


def popen_payloads(canary) -> list[str]:
    cmd = f"touch {canary}"
    return [
        "{% for c in x.__class__.__mro__[1].__subclasses__() %}{% if c.__name__ == "
        "'catch_warnings' %}{{ c()._module.__builtins__['__import__']('os').popen('"
        + cmd + "').read() }}{% endif %}{% endfor %}",
        "{{ cycler.__init__.__globals__.os.popen('" + cmd + "').read() }}",
        "{{ joiner.__init__.__globals__.os.popen('" + cmd + "').read() }}",
        "{{ lipsum.__globals__['os'].popen('" + cmd + "').read() }}",
        "{{ namespace.__init__.__globals__.os.popen('" + cmd + "').read() }}",
        "{{ self._TemplateReference__context.cycler.__init__.__globals__.os.popen('"
        + cmd + "').read() }}",
        "{{ ''|attr('__class__')|attr('__mro__') }}",
        "{{ school|attr('__class__')|attr('__init__')|attr('__globals__') }}",
        "{{ config.__class__.__init__.__globals__['os'].popen('" + cmd + "').read() }}",
        "{{ school.__class__ }}",
        "{{ '{0.__class__}'.format(school) }}",
        "{{ request.application.__globals__.__builtins__.__import__('os').popen('"
        + cmd + "').read() }}",
    ]  # fmt: skip


@pytest.fixture
def canary(tmp_path):
    return tmp_path / "pwned"


def test_it_fills_only_known_placeholders_and_leaves_the_rest_as_typed():
    values = {"school": {"short_name": "Школа № 1"}, "settings": {"max_months": 12}}
    text = "{{ school.short_name }}, {{settings.max_months}} мес., {{ school.__class__ }} {% x %}"
    assert placeholders.fill(text, values) == ("Школа № 1, 12 мес., {{ school.__class__ }} {% x %}")


def test_it_lists_every_fragment_that_is_not_an_allowed_placeholder(canary):
    for payload in popen_payloads(canary):
        assert placeholders.problems(payload, POLOZHENIE_FIELDS), payload
    assert placeholders.problems("Не более {{ settings.max_mentees_per_mentor }}.", {
        "settings": {"max_mentees_per_mentor"}
    }) == []  # fmt: skip
    found = placeholders.problems(
        "абзац\n{{ school.inn }} {{ salary }} {% if %}", {"school": {"inn"}}
    )
    assert found == [placeholders.Problem(2, "{{ salary }}"), placeholders.Problem(2, "{% if %}")]


def test_it_refuses_template_syntax_in_polozhenie_sections(curator_client, school, canary):
    url = reverse("documents:polozhenie", args=[school.pk])
    for payload in popen_payloads(canary):
        response = curator_client.post(url, {"title": ["Раздел"], "text": [f"Текст {payload}"]})
        assert response.status_code == 200
        shown = errors(response) + alerts(response)
        assert [e for e in shown if "Раздел «Раздел»: недопустимые поля или команды шаблона" in e]
    assert PolozhenieSection.objects.count() == 0
    assert not canary.exists()


def test_it_never_evaluates_section_text_already_stored(school, world, canary):  # noqa: F811
    # Text saved before the check existed (or put in by other means) stays literal text.
    payloads = popen_payloads(canary)
    PolozhenieSection.objects.create(
        organisation=school, order=1, title="Общие положения",
        text="\n\n".join(["Школа {{ school.short_name }}.", *payloads]),
    )  # fmt: skip
    document = issue(org=school, kind=DocKind.POLOZHENIE, by=None, day=DAY)
    text = text_of(document)
    assert f"Школа {school.short_name}." in text
    assert payloads[1] in text  # shown as typed, not executed
    assert not canary.exists()


def test_it_refuses_uploaded_templates_with_escape_payloads(curator_client, school, canary):
    url = reverse("documents:template-upload", args=[school.pk])
    for payload in popen_payloads(canary):
        data = docx_with("{{ doc.number }} {{ person.name.acc }}", payload)
        response = curator_client.post(
            url, {"kind": "curator", "file": SimpleUploadedFile("t.docx", data)}
        )
        assert response.status_code == 200, payload
        shown = errors(response) + alerts(response)
        assert [e for e in shown if "Шаблон «t.docx»" in e or "В шаблоне «t.docx»" in e], payload
    assert SchoolTemplate.objects.count() == 0
    assert not canary.exists()


def test_it_renders_a_stored_malicious_template_in_the_sandbox(school, world, canary):  # noqa: F811
    # A template that slipped past the upload check (stored before it existed) still reaches
    # nothing: issuing refuses with a Russian message or the forbidden part renders empty.
    for payload in popen_payloads(canary):
        SchoolTemplate.objects.all().delete()
        template = SchoolTemplate(organisation=school, kind=DocKind.CURATOR)
        data = docx_with("{{ doc.number }} {{ person.name.acc }}", payload)
        template.file.save("t.docx", ContentFile(data), save=False)
        template.save()
        try:
            document = issue(org=school, kind=DocKind.CURATOR, by=None, day=DAY)
        except DocumentRuleError as error:
            messages, text = error.messages, None
        else:
            messages, text = None, text_of(document)
            document.delete()
        if text is None:
            assert messages[0].startswith("Шаблон "), payload
        else:  # the forbidden attribute rendered as nothing
            assert text.split("\n")[1] == "", payload
    assert not canary.exists()


@pytest.mark.parametrize(
    "payload",
    [
        "{{ 'a' * 100000000 }}",
        "{{ [1] * 100000000 }}",
        "{{ 10 ** 100000 }}",
        "{{ ((10 ** 64) ** 64) ** 64 }}",
        "{{ range(100000) | list }}",
    ],
)
def test_it_bounds_what_a_template_may_compute(payload):
    data = docx_with(payload)
    with pytest.raises(DocumentRuleError):
        render(data, {"doc": {"number": "1"}})


def test_it_bounds_padding_filters():
    out = render(docx_with("{{ 'x' | center(1000000000) }}"), {})
    from docx import Document as Docx

    assert len(Docx(io.BytesIO(out)).paragraphs[0].text) == sandbox.MAX_REPEAT


def test_it_gives_templates_plain_data_only(school):
    with pytest.raises(TypeError):
        sandbox.plain({"school": school})
    assert sandbox.plain({"a": [{"b": "c", "n": 1}]}) == {"a": [{"b": "c", "n": 1}]}


def test_it_keeps_the_documented_filters_working():
    data = docx_with("{{ name | upper }} {{ items | join(', ') }} {{ missing | default('—') }}")
    out = render(data, {"name": "иванова", "items": ["а", "б"]})
    from docx import Document as Docx

    assert Docx(io.BytesIO(out)).paragraphs[0].text == "ИВАНОВА а, б —"
