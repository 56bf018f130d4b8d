"""Qualified signatures without a database: a test GOST key and certificate made with the same
libraries, a detached CAdES signature over a document, and every way it must be refused."""

import base64
import datetime

import pytest
from asn1crypto import cms

from apps.documents import cades

UTC = datetime.UTC
NOW = datetime.datetime(2026, 12, 1, 9, tzinfo=UTC)
DOCUMENT = b"%PDF-1.7\n% the pairs order as people read it\n%%EOF\n"


@pytest.fixture(scope="module")
def head_key():
    return cades.make_test_certificate(
        owner="Морозова Елена Викторовна", organisation="МБОУ «Школа № 1»",
        valid_from=datetime.datetime(2026, 1, 15, tzinfo=UTC),
        valid_to=datetime.datetime(2027, 4, 15, tzinfo=UTC), serial=0x1A2B3C,
    )  # fmt: skip


def signed(data, key, when=NOW):
    private, certificate = key
    return cades.sign_detached(
        data, private_key=private, certificate=certificate, signing_time=when
    )


def refusal(signature, documents=(DOCUMENT,)) -> str:
    with pytest.raises(cades.SignatureCheckError) as error:
        cades.verify_detached(signature, list(documents), now=NOW)
    return error.value.message


def test_it_hashes_with_streebog_as_the_standard_example_says():
    # ГОСТ Р 34.11-2012, контрольный пример 1 (M1, 256 бит).
    message = b"012345678901234567890123456789012345678901234567890123456789012"
    assert cades.streebog(message).hex() == (
        "9d151eefd8590b89daa6ba6cb74af9275dd051026bb149a452fd84e5e57b5500"
    )
    sha, gost = cades.digests(b"")
    assert sha == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert len(gost) == 64


def test_it_verifies_a_detached_gost_signature_and_reads_the_certificate(head_key):
    checked = cades.verify_detached(signed(DOCUMENT, head_key), [DOCUMENT], now=NOW)
    assert checked.certificate == cades.CertificateInfo(
        owner="Морозова Елена Викторовна", organisation="МБОУ «Школа № 1»", serial="1A2B3C",
        issuer="МБОУ «Школа № 1»", valid_from=datetime.datetime(2026, 1, 15, tzinfo=UTC),
        valid_to=datetime.datetime(2027, 4, 15, tzinfo=UTC),
    )  # fmt: skip
    assert checked.digest_algorithm == "streebog256"
    assert checked.signed_at == NOW


def test_it_reads_pem_and_bare_base64_as_well(head_key):
    der = signed(DOCUMENT, head_key)
    pem = b"-----BEGIN CMS-----\n" + base64.encodebytes(der) + b"-----END CMS-----\n"
    for form in (pem, base64.b64encode(der)):
        assert cades.verify_detached(form, [DOCUMENT], now=NOW).certificate.serial == "1A2B3C"


def test_it_accepts_a_signature_of_any_stored_form_of_the_document(head_key):
    docx = b"PK\x03\x04 the .docx"
    assert cades.verify_detached(signed(docx, head_key), [DOCUMENT, docx], now=NOW)


def test_it_refuses_a_signature_over_a_changed_document(head_key):
    changed = DOCUMENT.replace(b"pairs", b"Pairs")
    assert refusal(signed(changed, head_key)).startswith(
        "Подпись сделана для другого документа: хеш ГОСТ Р 34.11-2012 документа в реестре не "
        "совпадает с хешем, который подписан."
    )


def test_it_refuses_an_expired_certificate():
    old = cades.make_test_certificate(
        owner="Морозова Елена Викторовна", organisation="МБОУ «Школа № 1»",
        valid_from=datetime.datetime(2024, 1, 1, tzinfo=UTC),
        valid_to=datetime.datetime(2025, 1, 1, tzinfo=UTC),
    )  # fmt: skip
    assert refusal(signed(DOCUMENT, old)) == (
        "Сертификат подписанта Морозова Елена Викторовна действовал с 01.01.2024 по 01.01.2025, "
        "а подпись сделана 01.12.2026: сертификат просрочен или ещё не действовал. Подпишите "
        "документ действующим сертификатом."
    )


@pytest.mark.parametrize(
    "damage",
    [
        lambda der: b"",
        lambda der: b"not a signature at all",
        lambda der: der[: len(der) // 2],
        lambda der: b"\x30\x03\x02\x01\x01",
        lambda der: b"-----BEGIN CMS-----\n!!!\n-----END CMS-----",
    ],
)
def test_it_refuses_a_corrupted_sig_file(head_key, damage):
    assert refusal(damage(signed(DOCUMENT, head_key))) == cades.CORRUPTED


def test_it_refuses_a_signature_whose_value_was_changed(head_key):
    der = bytearray(signed(DOCUMENT, head_key))
    der[-3] ^= 0x01  # inside the signature value, the last field
    assert refusal(bytes(der)).startswith("Подпись не сходится с сертификатом")


def test_it_refuses_a_signature_of_another_key_with_this_certificate(head_key):
    other = cades.make_test_certificate(
        owner="Посторонний", organisation="—", valid_from=datetime.datetime(2026, 1, 1, tzinfo=UTC),
        valid_to=datetime.datetime(2027, 1, 1, tzinfo=UTC),
    )  # fmt: skip
    forged = signed(DOCUMENT, (other[0], head_key[1]))
    assert refusal(forged).startswith("Подпись не сходится с сертификатом")


def test_it_refuses_a_signature_without_the_signers_certificate(head_key):
    info = cms.ContentInfo.load(signed(DOCUMENT, head_key))
    info["content"]["certificates"] = []
    assert refusal(info.dump()).startswith("В файле подписи нет сертификата подписанта.")


def test_it_refuses_a_signature_that_is_not_gost(head_key):
    info = cms.ContentInfo.load(signed(DOCUMENT, head_key))
    info["content"]["signer_infos"][0]["digest_algorithm"] = {"algorithm": "sha256"}
    assert refusal(info.dump()).startswith("Подпись сделана не по ГОСТ Р 34.11-2012")


def signed_pdf(pdf, key):
    private, certificate = key
    return cades.sign_pdf_for_tests(
        pdf, private_key=private, certificate=certificate, signing_time=NOW
    )


def test_it_verifies_a_pdf_signed_inside_as_an_update_of_the_stored_pdf(head_key):
    checked = cades.verify_signed_pdf(signed_pdf(DOCUMENT, head_key), DOCUMENT, now=NOW)
    assert checked.certificate.owner == "Морозова Елена Викторовна"


def test_it_refuses_a_signed_pdf_of_another_document(head_key):
    with pytest.raises(cades.SignatureCheckError) as error:
        cades.verify_signed_pdf(signed_pdf(b"%PDF-1.7 other", head_key), DOCUMENT, now=NOW)
    assert error.value.message.startswith("Подписан другой PDF")


def test_it_refuses_a_signed_pdf_changed_after_signing(head_key):
    data = signed_pdf(DOCUMENT, head_key).replace(b"endobj\n%%EOF", b"endobj\n%%EOF ")
    with pytest.raises(cades.SignatureCheckError) as error:
        cades.verify_signed_pdf(data, DOCUMENT, now=NOW)
    assert error.value.message.startswith("Подпись сделана для другого документа")


def test_it_refuses_a_pdf_without_a_signature():
    with pytest.raises(cades.SignatureCheckError) as error:
        cades.verify_signed_pdf(DOCUMENT, DOCUMENT, now=NOW)
    assert error.value.message.startswith("В PDF нет электронной подписи")
