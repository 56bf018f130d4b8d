"""Electronic signatures in the registry: the simple one with an e-mail code (ПЭП), the
acknowledgement of local acts, qualified signatures made elsewhere, the public check."""
# ruff: noqa: F811 — `world` is a fixture imported from test_documents

import datetime
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import time_machine
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from docx import Document as Docx

from apps.audit.models import AuditEvent
from apps.core.office import soffice
from apps.documents import cades, marks, signing
from apps.documents.models import (
    DocKind,
    DocStatus,
    Document,
    DocumentSettings,
    PepAcceptance,
    Signature,
    SigningAttempt,
    SigningCode,
)
from apps.documents.services import attach_scan, issue, set_status
from apps.documents.tests.test_documents import DAY, PDF, world  # noqa: F401
from apps.orgs.choices import Role
from tests.clock import on_school_day
from tests.factories import MembershipFactory, PersonFactory, UserFactory
from tests.html import alerts

pytestmark = on_school_day
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
ORDER_PDF = b"%PDF-1.7\n% the pairs order, exactly as people read it\n%%EOF\n"


def with_pdf(document: Document, data: bytes = ORDER_PDF) -> Document:
    """The frozen PDF without LibreOffice: what people read is this file."""
    document.refresh_from_db()
    document.pdf.save(f"{document.pk}.pdf", ContentFile(data))
    signing.frozen_pdf(document)
    document.refresh_from_db()
    return document


@pytest.fixture
def pep(school, world):
    """ПЭП is on, the Положение об использовании ПЭП is signed (a scan)."""
    DocumentSettings.objects.update_or_create(organisation=school, defaults={"pep_enabled": True})
    rules = issue(org=school, kind=DocKind.PEP_RULES, by=None, day=DAY)
    attach_scan(rules, SimpleUploadedFile("rules.pdf", PDF), by=None)
    return rules


@pytest.fixture
def head_user(school):
    user = UserFactory(email="morozova@example.org", full_name="Морозова Елена Викторовна")
    MembershipFactory(user=user, organisation=school, role=Role.HEAD)
    return user


@pytest.fixture
def mentor_user(school, world):
    user = UserFactory(email="petrov@example.org")
    MembershipFactory(user=user, organisation=school, role=Role.MENTOR)
    world["mentor"].user = user
    world["mentor"].save()
    return user


def pairs_order(school, world):
    return with_pdf(
        issue(org=school, kind=DocKind.PAIRS, by=None, day=DAY, unit_ids=[world["unit"].pk])
    )


def code_from_mail() -> str:
    return re.search(r": (\d{6})\n", mail.outbox[-1].body).group(1)


def sign(document, user, code=None):
    signing.accept_pep(org=document.organisation, user=user, ip="10.0.0.1", user_agent="UA")
    purpose = signing.purpose_for(document, user)
    signing.send_code(document=document, user=user, purpose=purpose)
    return signing.confirm_code(
        document=document, user=user, value=code or code_from_mail(), ip="10.0.0.7",
        user_agent="Mozilla/5.0 (тест)",
    )  # fmt: skip


def refusal(**kwargs) -> str:
    with pytest.raises(signing.SigningError) as error:
        signing.confirm_code(ip=None, user_agent="", **kwargs)
    return error.value.message


def test_it_signs_a_pairs_order_with_a_code_from_the_email(school, world, pep, head_user):
    order = pairs_order(school, world)
    signature = sign(order, head_user)
    order.refresh_from_db()
    assert (order.status, order.signed_with) == (DocStatus.SIGNED, "pep")
    sha, gost = cades.digests(ORDER_PDF)
    assert (signature.sha256, signature.streebog) == (sha, gost)
    assert (signature.ip, signature.user_agent, signature.channel) == (
        "10.0.0.7", "Mozilla/5.0 (тест)", "email",
    )  # fmt: skip
    assert (signature.signer_name, signature.signer_position) == (
        "Морозова Елена Викторовна", "Директор",
    )  # fmt: skip
    assert mail.outbox[-1].to == ["morozova@example.org"]
    assert gost in mail.outbox[-1].body
    code = SigningCode.objects.get(document=order)
    assert code.used_at is not None
    assert code_from_mail() not in (code.code_hash, code.sha256)  # hashed at rest


def test_an_agreement_is_signed_once_both_sides_have_signed(
    school,
    world,
    pep,
    head_user,
    mentor_user,
):
    agreement = with_pdf(
        issue(org=school, kind=DocKind.AGREEMENT, by=None, day=DAY, person=world["mentor"])
    )
    sign(agreement, mentor_user)
    agreement.refresh_from_db()
    assert agreement.status == DocStatus.SIGNING
    assert signing.missing_signers(agreement) == ["Директор (работодатель)"]
    sign(agreement, head_user)
    agreement.refresh_from_db()
    assert (agreement.status, signing.missing_signers(agreement)) == (DocStatus.SIGNED, [])


def test_it_refuses_a_reused_code(school, world, pep, head_user):
    order = pairs_order(school, world)
    sign(order, head_user)
    assert refusal(document=order, user=head_user, value=code_from_mail()) == (
        "Этот код уже использован или заменён новым — запросите новый код."
    )
    assert Signature.objects.filter(document=order).count() == 1


def test_it_refuses_an_expired_code(school, world, pep, head_user):
    order = pairs_order(school, world)
    signing.accept_pep(org=school, user=head_user, ip=None, user_agent="")
    signing.send_code(document=order, user=head_user, purpose="sign")
    # From the moment the code was sent (the clock ticks: a slow machine is seconds past
    # SCHOOL_DAY by now).
    sent = timezone.now()
    with time_machine.travel(sent + datetime.timedelta(minutes=10, seconds=1)):
        message = refusal(document=order, user=head_user, value=code_from_mail())
    assert message == "Код устарел: он действует 10 минут. Запросите новый код."
    order.refresh_from_db()
    assert (order.status, order.signatures.count()) == (DocStatus.DRAFT, 0)


def test_a_code_works_only_for_its_own_document_and_person(
    school,
    world,
    pep,
    head_user,
    mentor_user,
):
    order = pairs_order(school, world)
    other = with_pdf(issue(org=school, kind=DocKind.CURATOR, by=None, day=DAY), b"%PDF other")
    signing.accept_pep(org=school, user=head_user, ip=None, user_agent="")
    signing.send_code(document=order, user=head_user, purpose="sign")
    code = code_from_mail()
    assert refusal(document=other, user=head_user, value=code) == (
        "Код для этого документа не запрашивался: нажмите «Получить код»."
    )
    signing.send_code(document=other, user=head_user, purpose="sign")
    if code != code_from_mail():  # two random codes agree once in a million
        assert refusal(document=other, user=head_user, value=code) == (
            "Неверный код. Код действует только для того документа и того человека, для которых "
            "он отправлен. Осталось попыток: 4."
        )
    assert refusal(document=order, user=mentor_user, value=code) == (
        "Код для этого документа не запрашивался: нажмите «Получить код»."
    )
    assert Signature.objects.count() == 0


def test_five_wrong_codes_end_the_code(school, world, pep, head_user):
    order = pairs_order(school, world)
    signing.accept_pep(org=school, user=head_user, ip=None, user_agent="")
    signing.send_code(document=order, user=head_user, purpose="sign")
    right = code_from_mail()
    wrong = "000000" if right != "000000" else "111111"
    messages = [refusal(document=order, user=head_user, value=wrong) for _ in range(5)]
    assert messages[-1].endswith("Попыток больше нет — запросите новый код.")
    assert refusal(document=order, user=head_user, value=right) == (
        "Код введён неверно пять раз и больше не действует — запросите новый код."
    )


def test_a_code_is_bound_to_the_document_version(school, world, pep, head_user):
    order = pairs_order(school, world)
    signing.accept_pep(org=school, user=head_user, ip=None, user_agent="")
    signing.send_code(document=order, user=head_user, purpose="sign")
    Document.objects.filter(pk=order.pk).update(pdf_sha256="0" * 64)
    order.refresh_from_db()
    assert refusal(document=order, user=head_user, value=code_from_mail()) == (
        "Документ изменился после отправки кода — запросите новый код."
    )


def test_no_code_before_the_school_turns_pep_on_and_the_person_accepts(
    school,
    world,
    head_user,
):
    order = pairs_order(school, world)
    with pytest.raises(signing.SigningError) as error:
        signing.send_code(document=order, user=head_user, purpose="sign")
    assert error.value.message.startswith("Простая электронная подпись в школе не включена")
    DocumentSettings.objects.update_or_create(organisation=school, defaults={"pep_enabled": True})
    with pytest.raises(signing.SigningError) as error:
        signing.send_code(document=order, user=head_user, purpose="sign")
    assert error.value.message.startswith(
        "Положение об использовании простой электронной подписи ещё не утверждено"
    )
    rules = issue(org=school, kind=DocKind.PEP_RULES, by=None, day=DAY)
    attach_scan(rules, SimpleUploadedFile("rules.pdf", PDF), by=None)
    with pytest.raises(signing.SigningError) as error:
        signing.send_code(document=order, user=head_user, purpose="sign")
    assert error.value.message == (
        "Сначала примите Положение об использовании простой электронной подписи."
    )
    assert mail.outbox == []
    assert SigningAttempt.objects.count() == 3
    assert AuditEvent.objects.filter(model="documents.signingattempt").count() == 3


def test_staff_acknowledge_the_polozhenie_and_the_sheet_fills_itself(
    school,
    world,
    pep,
    mentor_user,
):
    polozhenie = issue(org=school, kind=DocKind.POLOZHENIE, by=None, day=DAY)
    attach_scan(polozhenie, SimpleUploadedFile("p.pdf", PDF), by=None)
    polozhenie = with_pdf(polozhenie)
    signature = sign(polozhenie, mentor_user)
    assert (signature.purpose, signature.person) == ("acknowledge", world["mentor"])
    sheet = Docx(io.BytesIO(marks.acquaintance_sheet(polozhenie)))
    rows = {r.cells[1].text: [c.text for c in r.cells] for r in sheet.tables[0].rows[1:]}
    assert rows["Петров Сергей Иванович"][3] == "ПЭП, код из e-mail, 01.12.2026 12:00"
    assert rows["Петров Сергей Иванович"][4] == "01.12.2026"
    assert rows["Иванова Мария Петровна"][3:] == ["", ""]
    assert signing.purpose_for(polozhenie, mentor_user) is None  # once


def test_a_qualified_signature_signs_the_order(school, world, head_user):
    order = pairs_order(school, world)
    private, certificate = cades.make_test_certificate(
        owner="Морозова Елена Викторовна", organisation="МБОУ «Школа № 1»",
        valid_from=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
        valid_to=datetime.datetime(2027, 1, 1, tzinfo=datetime.UTC),
    )  # fmt: skip
    sig = cades.sign_detached(
        ORDER_PDF, private_key=private, certificate=certificate,
        signing_time=datetime.datetime(2026, 12, 1, 8, tzinfo=datetime.UTC),
    )  # fmt: skip
    signature = signing.attach_qualified(
        document=order, upload=SimpleUploadedFile("order.sig", sig), by=head_user
    )
    order.refresh_from_db()
    assert (order.status, order.signed_with) == (DocStatus.SIGNED, "qes")
    assert (signature.cert_owner, signature.cert_organisation) == (
        "Морозова Елена Викторовна", "МБОУ «Школа № 1»",
    )  # fmt: skip
    heading, lines = marks.mark_lines(signature)
    assert heading == "ДОКУМЕНТ ПОДПИСАН ЭЛЕКТРОННОЙ ПОДПИСЬЮ"
    assert lines == [
        "Сертификат: 2026", "Владелец: Морозова Елена Викторовна",
        "Действителен: с 01.01.2026 по 01.01.2027",
    ]  # fmt: skip


def test_a_qualified_signature_of_a_changed_document_saves_nothing(
    school,
    world,
    head_user,
):
    order = pairs_order(school, world)
    private, certificate = cades.make_test_certificate(
        owner="Морозова Елена Викторовна", organisation="Школа",
        valid_from=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
        valid_to=datetime.datetime(2027, 1, 1, tzinfo=datetime.UTC),
    )  # fmt: skip
    sig = cades.sign_detached(
        ORDER_PDF + b"\n% changed", private_key=private, certificate=certificate,
        signing_time=datetime.datetime(2026, 12, 1, 8, tzinfo=datetime.UTC),
    )  # fmt: skip
    with pytest.raises(signing.SigningError) as error:
        signing.attach_qualified(
            document=order, upload=SimpleUploadedFile("order.sig", sig), by=head_user
        )
    assert error.value.message.startswith("Подпись сделана для другого документа")
    order.refresh_from_db()
    assert (order.status, order.signed_with, order.signatures.count()) == ("draft", "", 0)
    entry = AuditEvent.objects.get(model="documents.signingattempt")
    assert entry.object_label == "Отказ: подпись КЭП"


def test_the_copy_carries_the_marks_and_the_qr_code(school, world, pep, head_user):
    order = pairs_order(school, world)
    signature = sign(order, head_user)
    with order.file.open("rb") as handle:
        data = marks.with_marks(handle.read(), order, [signature], "Times New Roman")
    doc = Docx(io.BytesIO(data))
    mark = [p.text for p in doc.tables[0].rows[0].cells[0].paragraphs]
    assert mark == [
        "Документ подписан простой электронной подписью",
        "Подписант: Морозова Елена Викторовна, Директор",
        "Дата и время: 01.12.2026 12:00 (МСК), код из e-mail",
        f"ГОСТ Р 34.11-2012: {signature.streebog}",
        f"SHA-256: {signature.sha256}",
    ]
    assert doc.inline_shapes[0].width > 0  # the QR code
    assert marks.verify_url(order).endswith(f"/verify/{order.verify_token}/")


def test_the_public_check_names_positions_not_people_and_compares_hashes(
    school,
    world,
    pep,
    head_user,
):
    order = pairs_order(school, world)
    sign(order, head_user)
    url = reverse("documents:verify", kwargs={"token": order.verify_token})
    client = Client()
    page = client.get(url).content.decode()
    assert "Подписан 01.12.2026 простой электронной подписью, подписант: Директор" in page
    assert "Морозова" not in page
    assert "Петров" not in page
    same = client.post(url, {"copy": SimpleUploadedFile("copy.pdf", ORDER_PDF)})
    assert alerts(same.content.decode()) == [
        "Загруженный файл совпадает с подписанным документом (хеш тот же)."
    ]
    changed = client.post(url, {"copy": SimpleUploadedFile("copy.pdf", ORDER_PDF + b" ")})
    assert alerts(changed.content.decode())[0].startswith(
        "Загруженный файл отличается от подписанного документа"
    )
    assert client.get(reverse("documents:verify", kwargs={"token": "x" * 22})).status_code == 404


def test_the_public_check_is_rate_limited(school, world, pep, head_user):
    from django.core.cache import cache

    cache.clear()
    order = pairs_order(school, world)
    url = reverse("documents:verify", kwargs={"token": order.verify_token})
    client = Client()
    statuses = [client.get(url).status_code for _ in range(31)]
    assert statuses[:30] == [200] * 30
    assert statuses[30] == 429
    cache.clear()


def test_the_signing_page_shows_the_hash_and_signs(school, world, pep, head_user):
    order = pairs_order(school, world)
    client = Client()
    client.force_login(head_user)
    client.post(reverse("documents:pep-accept", args=[school.pk]))
    assert PepAcceptance.objects.filter(user=head_user).exists()
    url = reverse("documents:sign", args=[school.pk, order.pk])
    page = client.get(url).content.decode()
    assert order.pdf_streebog in page
    assert client.get(url + "?view=pdf").content == ORDER_PDF
    client.post(reverse("documents:sign-code", args=[school.pk, order.pk]))
    wrong = client.post(
        reverse("documents:sign-confirm", args=[school.pk, order.pk]), {"code": "12"}, follow=True
    )
    assert "Введите код из письма: шесть цифр." in alerts(wrong.content.decode())
    done = client.post(
        reverse("documents:sign-confirm", args=[school.pk, order.pk]),
        {"code": code_from_mail()}, follow=True,
    )  # fmt: skip
    assert "Подписано простой электронной подписью." in alerts(done.content.decode())
    order.refresh_from_db()
    assert order.status == DocStatus.SIGNED


def test_the_signing_page_of_someone_elses_document_shows_nothing(
    school,
    world,
    pep,
    mentor_user,
):
    order = pairs_order(school, world)
    client = Client()
    client.force_login(mentor_user)
    page = client.get(reverse("documents:sign", args=[school.pk, order.pk])).content.decode()
    assert "не ждёт вашей подписи" in page
    assert order.pdf_streebog not in page
    pdf = client.get(reverse("documents:sign", args=[school.pk, order.pk]) + "?view=pdf")
    assert pdf["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("extra", [0, 2])
def test_the_list_to_sign_costs_the_same_queries_for_one_and_three(
    school,
    world,
    pep,
    head_user,
    django_assert_num_queries,
    extra,
):
    for _ in range(1 + extra):
        issue(org=school, kind=DocKind.CURATOR, by=None, day=DAY)
    client = Client()
    client.force_login(head_user)
    url = reverse("documents:my-signatures", args=[school.pk])
    client.get(url)
    with django_assert_num_queries(QUERIES):
        response = client.get(url)
    assert response.status_code == 200


QUERIES = 14


@pytest.mark.skipif(not soffice(), reason="LibreOffice is not installed (.ci/run installs it)")
def test_the_signed_copy_is_a_pdf_that_the_public_check_recognises(school, world, pep, head_user):
    order = issue(org=school, kind=DocKind.PAIRS, by=None, day=DAY, unit_ids=[world["unit"].pk])
    signing.frozen_pdf(order)  # the real conversion of the .docx
    order.refresh_from_db()
    sign(order, head_user)
    order.refresh_from_db()
    data = marks.signed_copy(order)
    assert data.startswith(b"%PDF")
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "signed-pairs-order.pdf").write_bytes(data)
    order.refresh_from_db()
    assert signing.match_copy(order, data)
    assert marks.signed_copy(order) == data  # made once per set of signatures
    if shutil.which("pdftotext"):
        text = subprocess.run(  # noqa: S603 — a fixed binary and our own PDF
            [shutil.which("pdftotext"), "-layout", "-", "-"],
            input=data,
            capture_output=True,
            check=True,
        ).stdout.decode()
        assert "Документ подписан простой электронной подписью" in text
        assert order.pdf_streebog in text.replace(" ", "")


def test_odd_input_answers_in_russian_and_never_500(school, world, pep, head_user):
    order = pairs_order(school, world)
    client = Client()
    client.force_login(head_user)
    confirm = reverse("documents:sign-confirm", args=[school.pk, order.pk])
    for code in ("12\x0034", "1" * 5000, "١٢٣٤٥٦", ""):
        response = client.post(confirm, {"code": code}, follow=True)
        assert response.status_code == 200
        assert "Введите код из письма: шесть цифр." in alerts(response.content.decode())
    huge = reverse("documents:sign", args=[school.pk, 10**18])
    assert client.get(huge).status_code == 404
    qualified = reverse("documents:qualified", args=[school.pk, order.pk])
    response = client.post(qualified, {}, follow=True)
    assert "Выберите файл отсоединённой подписи (.sig или .p7s) или подписанный PDF." in (
        alerts(response.content.decode())
    )
    response = client.post(
        qualified, {"signature": SimpleUploadedFile("x.sig", b"\x00" * 100)}, follow=True
    )
    assert cades.CORRUPTED in alerts(response.content.decode())
    assert order.signatures.count() == 0


def test_a_pdf_signed_in_kriptopro_pdf_signs_the_order(school, world, head_user):
    order = pairs_order(school, world)
    private, certificate = cades.make_test_certificate(
        owner="Морозова Елена Викторовна", organisation="Школа",
        valid_from=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
        valid_to=datetime.datetime(2027, 1, 1, tzinfo=datetime.UTC),
    )  # fmt: skip
    data = cades.sign_pdf_for_tests(
        ORDER_PDF, private_key=private, certificate=certificate,
        signing_time=datetime.datetime(2026, 12, 1, 8, tzinfo=datetime.UTC),
    )  # fmt: skip
    signing.attach_qualified(
        document=order, upload=SimpleUploadedFile("signed.pdf", data), by=head_user
    )
    order.refresh_from_db()
    assert (order.status, order.signed_with) == (DocStatus.SIGNED, "qes")
    assert order.signatures.get().signature_file.name.endswith(".pdf")


def test_a_mentor_sees_only_their_own_agreement_to_sign(school, world, pep, mentor_user):
    other = PersonFactory(organisation=school, last_name="Орлова", first_name="Вера")
    other_user = UserFactory(email="orlova@example.org")
    MembershipFactory(user=other_user, organisation=school, role=Role.MENTOR)
    other.user = other_user
    other.save()
    agreement = issue(org=school, kind=DocKind.AGREEMENT, by=None, day=DAY, person=world["mentor"])
    set_status(agreement, DocStatus.SIGNING, by=None)
    client = Client()
    client.force_login(other_user)
    page = client.get(reverse("documents:my-signatures", args=[school.pk])).content.decode()
    label = f"Дополнительное соглашение к трудовому договору с наставником № {agreement.number} "
    assert label not in page
    assert "Приказ об утверждении Положения об использовании простой электронной подписи" in page
    client.force_login(mentor_user)
    page = client.get(reverse("documents:my-signatures", args=[school.pk])).content.decode()
    assert label in page


def test_the_polozhenie_copy_fills_its_own_acquaintance_appendix(school, world, pep, mentor_user):
    polozhenie = issue(org=school, kind=DocKind.POLOZHENIE, by=None, day=DAY)
    attach_scan(polozhenie, SimpleUploadedFile("p.pdf", PDF), by=None)
    signature = sign(with_pdf(polozhenie), mentor_user)
    with polozhenie.file.open("rb") as handle:
        data = marks.with_marks(
            handle.read(), polozhenie, [], "Times New Roman",
            {"Петров Сергей Иванович": signature},
        )  # fmt: skip
    sheet = next(
        t for t in Docx(io.BytesIO(data)).tables if t.rows[0].cells[1].text == "ФИО работника"
    )
    rows = {r.cells[1].text: [c.text for c in r.cells[2:]] for r in sheet.rows[1:]}
    assert rows["Петров Сергей Иванович"] == ["ПЭП, код из e-mail, 01.12.2026 12:00", "01.12.2026"]
    assert rows["Иванова Мария Петровна"] == ["", ""]


def test_two_requests_freezing_at_once_keep_one_pdf_with_its_own_hashes(
    school,
    world,
    monkeypatch,
):
    """The signing page and the PDF it embeds may convert at the same moment: the reader must
    see exactly the file whose hashes are signed."""
    made = iter([b"%PDF-1.4 first", b"%PDF-1.4 second"])
    monkeypatch.setattr(signing, "to_pdf", lambda data: next(made))
    document = issue(org=school, kind=DocKind.CURATOR, by=None, day=DAY)
    page, frame = Document.objects.get(pk=document.pk), Document.objects.get(pk=document.pk)
    assert signing.frozen_pdf(page) == b"%PDF-1.4 first"
    assert signing.frozen_pdf(frame) == b"%PDF-1.4 first"  # converted too, but lost the race
    stored = Document.objects.get(pk=document.pk)
    assert (stored.pdf_sha256, stored.pdf_streebog) == cades.digests(b"%PDF-1.4 first")
    assert stored.pdf.read() == b"%PDF-1.4 first"
