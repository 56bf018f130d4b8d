"""Electronic signatures of documents: the simple one (ПЭП, 63-ФЗ ст. 9) with a one-time code
sent by e-mail, and qualified ones made elsewhere (КриптоПро, Госключ) checked on upload.

What is signed is the frozen PDF of a document version (`frozen_pdf`): people read exactly that
file, its SHA-256 and «Стрибог» hashes go into the signature, and the code is bound to it.
A document is «подписан» when every required signature is in: the head's (orders; the
employer's side of an agreement) and, for a доп. соглашение, the employee's. `status ==
signed` means the same as with a scan: the document never changes from then on.

Every refusal is kept as a SigningAttempt (in the audit log); nothing else is saved then.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from apps.core.codes import CodeRules, minutes_text, new_code
from apps.core.office import to_pdf
from apps.core.plural import count
from apps.documents.models import (
    ACKNOWLEDGED_KINDS,
    AGREEMENT_KINDS,
    DocKind,
    DocStatus,
    Document,
    DocumentSettings,
    PepAcceptance,
    Signature,
    SignatureMethod,
    SignaturePurpose,
    SignedWith,
    SigningAttempt,
    SigningCode,
)
from apps.documents.services import after_signed
from apps.orgs.choices import Role
from apps.orgs.models import Membership, Organisation
from apps.people.models import Person

CODE_MINUTES = 10
CODE_ATTEMPTS = 5
CODES_PER_HOUR = 5
CHANNEL_EMAIL = "email"
MINUTES_TEXT = minutes_text(CODE_MINUTES)  # «действует 10 минут»
CODE_RULES = CodeRules(
    salt="documents.signing-code",
    expired=f"Код устарел: он действует {MINUTES_TEXT}. Запросите новый код.",
    exhausted="Код введён неверно пять раз и больше не действует — запросите новый код.",
    wrong=(
        "Неверный код. Код действует только для того документа и того человека, для которых он "
        "отправлен."
    ),
    none_left="Попыток больше нет — запросите новый код.",
)


class SigningError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def frozen_pdf(document: Document) -> bytes:
    """The PDF people read and sign: converted once, then kept with its hashes.

    Two requests may convert at the same time (the signing page and the PDF it embeds): the
    file and its hashes are stored together by one conditional UPDATE, so the first one wins,
    the other drops its copy and reads the winner's — what is shown is what is hashed."""
    from apps.documents import cades  # gostcrypto: with the first signature, not at start

    if not document.pdf:
        with document.file.open("rb") as source:
            data = to_pdf(source.read())
        sha256, streebog = cades.digests(data)
        wanted = document.pdf.field.generate_filename(
            document, f"{document.kind}-{document.pk}.pdf"
        )
        name = document.pdf.storage.save(wanted, ContentFile(data))
        won = Document.objects.filter(pk=document.pk, pdf="").update(
            pdf=name, pdf_sha256=sha256, pdf_streebog=streebog,
            verify_token=document.verify_token or secrets.token_urlsafe(16),
        )  # fmt: skip
        if not won:
            document.pdf.storage.delete(name)
        document.refresh_from_db(fields=["pdf", "pdf_sha256", "pdf_streebog", "verify_token"])
    with document.pdf.open("rb") as handle:
        data = handle.read()
    if not document.pdf_sha256:  # a PDF stored before the hashes were kept with it
        document.pdf_sha256, document.pdf_streebog = cades.digests(data)
        document.verify_token = document.verify_token or secrets.token_urlsafe(16)
        Document.objects.filter(pk=document.pk).update(
            pdf_sha256=document.pdf_sha256,
            pdf_streebog=document.pdf_streebog,
            verify_token=document.verify_token,
        )
    return data


def docx_bytes(document: Document) -> bytes:
    with document.file.open("rb") as handle:
        return handle.read()


def _refuse(org, document, user, what: str, message: str) -> SigningError:
    """Keep the refusal (outside the failed transaction) and return the error to raise."""
    SigningAttempt.objects.create(
        organisation=org, document=document, user=user if user and user.pk else None,
        what=what, message=message[:1000],
    )  # fmt: skip
    return SigningError(message)


# --- ПЭП: the school's rules and each participant's acceptance -----------------------------


def pep_rules(org: Organisation) -> Document | None:
    """The signed order approving the Положение об использовании ПЭП."""
    return (
        Document.objects.of(org)
        .filter(kind=DocKind.PEP_RULES, status=DocStatus.SIGNED)
        .order_by("-date", "-pk")
        .first()
    )


def pep_problem(org: Organisation) -> str | None:
    """Why the simple signature cannot be used in this school now, or None."""
    doc_settings = DocumentSettings.objects.of(org).first()
    if doc_settings is None or not doc_settings.pep_enabled:
        return (
            "Простая электронная подпись в школе не включена: её включает куратор или "
            "руководитель в «Документы → Нумерация и шаблоны»."
        )
    if pep_rules(org) is None:
        return (
            "Положение об использовании простой электронной подписи ещё не утверждено: "
            "подпишите приказ об утверждении Положения (скан или КЭП) — после этого работники "
            "смогут подписывать кодом."
        )
    return None


def has_accepted(org: Organisation, user) -> bool:
    return PepAcceptance.objects.of(org).filter(user=user).exists()


@transaction.atomic
def accept_pep(*, org: Organisation, user, ip: str | None, user_agent: str) -> PepAcceptance:
    """The participant accepts the Положение об использовании ПЭП (once).

    Side effects: a PepAcceptance row (and its audit entry)."""
    problem = pep_problem(org)
    if problem:
        raise SigningError(problem)
    acceptance, _created = PepAcceptance.objects.get_or_create(
        organisation=org,
        user=user,
        defaults={
            "rules": pep_rules(org), "accepted_at": timezone.now(), "ip": ip,
            "user_agent": user_agent[:300],
        },
    )  # fmt: skip
    return acceptance


# --- who signs what --------------------------------------------------------------------------


def is_head(org: Organisation, user) -> bool:
    return Membership.objects.of(org).filter(user=user, role=Role.HEAD).exists()


def person_of(org: Organisation, user) -> Person | None:
    return Person.objects.of(org).filter(user=user).exclude(status="archived").first()


def purpose_for(document: Document, user) -> str | None:
    """What this user may do to this document electronically now (None: nothing)."""
    org = document.organisation
    done = set(
        Signature.objects.filter(document=document, user=user).values_list("purpose", flat=True)
    )
    if document.editable:
        signs = is_head(org, user) or (
            document.kind in AGREEMENT_KINDS
            and document.person_id
            and document.person.user_id == user.pk
        )
        if signs and SignaturePurpose.SIGN not in done:
            return SignaturePurpose.SIGN
    if (
        document.status == DocStatus.SIGNED
        and document.kind in ACKNOWLEDGED_KINDS
        and SignaturePurpose.ACKNOWLEDGE not in done
        and person_of(org, user) is not None
    ):
        return SignaturePurpose.ACKNOWLEDGE
    return None


def missing_signers(document: Document) -> list[str]:
    """Who still has to sign before the document is «подписан»."""
    signatures = list(
        Signature.objects.filter(document=document, purpose=SignaturePurpose.SIGN).select_related(
            "user"
        )
    )
    org = document.organisation
    heads = set(Membership.objects.of(org).filter(role=Role.HEAD).values_list("user_id", flat=True))
    missing = []
    if not any(s.method == SignatureMethod.QES or s.user_id in heads for s in signatures):
        missing.append(f"{org.head_position or 'Руководитель'} (работодатель)")
    if document.kind in AGREEMENT_KINDS and document.person_id:
        employee = document.person.user_id
        if not any(s.method == SignatureMethod.PEP and s.user_id == employee for s in signatures):
            missing.append(f"{document.person.full_name} (работник)")
    return missing


@transaction.atomic
def _after_signature(document: Document, *, by) -> None:
    document = Document.objects.select_for_update().get(pk=document.pk)
    if document.status not in (DocStatus.DRAFT, DocStatus.SIGNING):
        return
    if missing_signers(document):
        document.status = DocStatus.SIGNING
    else:
        document.status = DocStatus.SIGNED
        methods = set(document.signatures.values_list("method", flat=True))
        document.signed_with = SignedWith.QES if SignatureMethod.QES in methods else SignedWith.PEP
    document.status_changed_at = timezone.now()
    document.status_changed_by = by
    document.save(update_fields=["status", "signed_with", "status_changed_at", "status_changed_by"])
    if document.status == DocStatus.SIGNED:
        after_signed(document, by=by)


# --- one-time codes --------------------------------------------------------------------------


def _code_parts(code: SigningCode) -> tuple:
    """What the code's hash is bound to: the code row, the document version and the person —
    a code typed on another document or by someone else never matches."""
    return (code.pk, code.document_id, code.user_id, code.sha256, code.purpose)


def send_code(*, document: Document, user, purpose: str) -> SigningCode:
    """E-mail a six-digit code for signing (or acknowledging) this document version.

    Side effects: earlier unused codes for the same document and person stop working; a
    SigningCode row (the code itself is not stored, only its keyed hash); one e-mail after the
    commit.
    """
    org = document.organisation
    problem = pep_problem(org)
    if problem is None and not has_accepted(org, user):
        problem = "Сначала примите Положение об использовании простой электронной подписи."
    if problem is None and (purpose is None or purpose_for(document, user) != purpose):
        problem = "Этот документ вы не подписываете (или уже подписали): код не отправлен."
    if problem is None and not user.email:
        problem = "В вашей учётной записи нет e-mail — код некуда отправить."
    now = timezone.now()
    recent = SigningCode.objects.filter(
        user=user, created_at__gte=now - datetime.timedelta(hours=1)
    )
    if problem is None and recent.count() >= CODES_PER_HOUR:
        problem = (
            f"За час отправлено уже {count(CODES_PER_HOUR, 'код', 'кода', 'кодов')}: "
            "попробуйте позже."
        )
    if problem:
        raise _refuse(org, document, user, "код не отправлен", problem)
    frozen_pdf(document)
    value = new_code()
    with transaction.atomic():
        SigningCode.objects.filter(document=document, user=user, used_at__isnull=True).update(
            used_at=now
        )
        code = SigningCode.objects.create(
            organisation=org, document=document, user=user, purpose=purpose,
            sha256=document.pdf_sha256, code_hash="", channel=CHANNEL_EMAIL, created_at=now,
            expires_at=now + datetime.timedelta(minutes=CODE_MINUTES),
        )  # fmt: skip
        code.code_hash = CODE_RULES.hash(value, *_code_parts(code))
        code.save(update_fields=["code_hash"])
        action = "подписания" if purpose == SignaturePurpose.SIGN else "ознакомления с"
        body = (
            f"Код для {action} документа «{document.get_kind_display()}» № {document.number} от "
            f"{document.date:%d.%m.%Y}: {value}\n\nКод действует {MINUTES_TEXT} и только "
            "для этого документа. Никому его не сообщайте. Если вы не запрашивали код, ничего "
            "не делайте — без кода документ не подписывается.\n\nХеш документа (ГОСТ Р "
            f"34.11-2012): {document.pdf_streebog}"
        )
    # After the commit: a code that reached the mailbox always exists in the database.
    send_mail(f"Код подписи: № {document.number}", body, None, [user.email])
    return code


def confirm_code(
    *, document: Document, user, value: str, ip: str | None, user_agent: str
) -> Signature:
    """Check the code and store the simple electronic signature (or acknowledgement).

    Side effects: the code is spent (or its attempt counted); a Signature row; the document's
    status becomes «на подписании» or «подписан»; a refusal is kept as a SigningAttempt.
    """
    org = document.organisation
    value = (value or "").strip().replace(" ", "")
    now = timezone.now()
    with transaction.atomic():
        code = (
            SigningCode.objects.select_for_update()
            .filter(document=document, user=user)
            .order_by("-created_at", "-pk")
            .first()
        )
        problem = None
        if code is None:
            problem = "Код для этого документа не запрашивался: нажмите «Получить код»."
        elif code.used_at is not None:
            problem = "Этот код уже использован или заменён новым — запросите новый код."
        else:
            problem, wrong = CODE_RULES.refusal(
                stored=code.code_hash, value=value, parts=_code_parts(code),
                expires_at=code.expires_at, attempts=code.attempts, limit=CODE_ATTEMPTS, now=now,
                also=(
                    "Документ изменился после отправки кода — запросите новый код."
                    if code.sha256 != document.pdf_sha256
                    else None
                ),
            )  # fmt: skip
            if wrong:
                code.attempts += 1
                code.save(update_fields=["attempts"])
        purpose = code.purpose if code else None
        if problem is None and (purpose is None or purpose_for(document, user) != purpose):
            problem = "Этот документ вы уже подписали или больше не подписываете."
        if problem is None:
            code.used_at = now
            code.save(update_fields=["used_at"])
            signature = Signature.objects.create(
                organisation=org, document=document, method=SignatureMethod.PEP,
                purpose=purpose, user=user, person=person_of(org, user),
                signer_name=_signer_name(org, user), signer_position=_signer_position(org, user),
                signed_at=now, sha256=document.pdf_sha256, streebog=document.pdf_streebog,
                ip=ip, user_agent=(user_agent or "")[:300], channel=code.channel,
            )  # fmt: skip
            if purpose == SignaturePurpose.SIGN:
                _after_signature(document, by=user)
            return signature
    raise _refuse(org, document, user, "неверный код", problem)


def _signer_name(org: Organisation, user) -> str:
    person = person_of(org, user)
    return person.full_name if person else (user.full_name or user.email)


def _signer_position(org: Organisation, user) -> str:
    if is_head(org, user):
        return org.head_position or "Руководитель"
    person = person_of(org, user)
    return (person.position if person else "") or "Работник"


# --- qualified signatures made elsewhere ------------------------------------------------------


def attach_qualified(*, document: Document, upload, by) -> Signature:
    """A detached CAdES signature (.sig/.p7s) of the document's PDF (or .docx), or the PDF
    signed inside, is checked and kept as the head's signature.

    Side effects: a Signature row with the .sig file and its certificate; the document's status
    as for any signature; a refusal is kept as a SigningAttempt and nothing else is saved.
    """
    from apps.documents import cades  # gostcrypto and asn1crypto: on first use

    org = document.organisation
    if not document.editable:
        raise _refuse(
            org, document, by, "подпись КЭП",
            "Документ уже подписан или отменён — подпись к нему не добавляется. Чтобы изменить "
            "документ, выпустите новую версию.",
        )  # fmt: skip
    data = upload.read(cades.MAX_SIGNED_PDF_BYTES + 1)
    if len(data) > cades.MAX_SIGNED_PDF_BYTES:
        raise _refuse(
            org,
            document,
            by,
            "подпись КЭП",
            "Файл больше 5 МБ — для подписанного приказа это слишком много.",
        )
    pdf = frozen_pdf(document)
    signed_pdf = data.startswith(b"%PDF")
    try:
        if signed_pdf:
            checked = cades.verify_signed_pdf(data, pdf, now=timezone.now())
        else:
            checked = cades.verify_detached(data, [pdf, docx_bytes(document)], now=timezone.now())
    except cades.SignatureCheckError as error:
        raise _refuse(org, document, by, "подпись КЭП", error.message) from error
    info = checked.certificate
    with transaction.atomic():
        signature = Signature(
            organisation=org, document=document, method=SignatureMethod.QES,
            purpose=SignaturePurpose.SIGN, user=None, person=None,
            signer_name=info.owner, signer_position=org.head_position or "Руководитель",
            signed_at=checked.signed_at or timezone.now(), sha256=document.pdf_sha256,
            streebog=document.pdf_streebog, cert_owner=info.owner[:300],
            cert_organisation=info.organisation[:500], cert_serial=info.serial[:100],
            cert_issuer=info.issuer[:500], cert_valid_from=info.valid_from,
            cert_valid_to=info.valid_to, digest_algorithm=checked.digest_algorithm,
        )  # fmt: skip
        suffix = "pdf" if signed_pdf else "sig"
        signature.signature_file.save(
            f"{document.kind}-{document.pk}.{suffix}", ContentFile(data), save=False
        )
        signature.save()
        _after_signature(document, by=by)
    return signature


# --- the public check ------------------------------------------------------------------------


def match_copy(document: Document, data: bytes) -> bool:
    """Whether an uploaded file is this document version: the PDF that was signed, a copy
    with the signature marks made by the system, or the .docx."""
    sha = hashlib.sha256(data).hexdigest()
    if sha == document.pdf_sha256 or sha in document.copy_hashes:
        return True
    return hashlib.sha256(docx_bytes(document)).hexdigest() == sha
