"""Qualified electronic signatures made elsewhere (КриптоПро, Госключ): a detached CAdES
signature (CMS SignedData, .sig/.p7s, DER or PEM/base64) or a signed PDF, with GOST R
34.10-2012 keys and GOST R 34.11-2012 («Стрибог») digests.

What is checked: the file parses; the signer's certificate is in it; the messageDigest attribute
equals the digest of the stored document; the signature over the signed attributes verifies
with the certificate's public key; the certificate was valid at the signing time. What is NOT
checked (offline, by design): the chain to an accredited certification centre and revocation
lists — the page says so.

Byte order follows Р 1323565.1.024-2019 / RFC 4491 as КриптоПро and OpenSSL's GOST engine
write it: the public key is X‖Y little-endian inside an OCTET STRING; the signature value is
s‖r big-endian; the digest enters the signature as a little-endian number.

`make_test_certificate` and `sign_detached` build a test key, a self-signed certificate and a
signature with the same libraries (tests and the demo). Pure: asn1crypto + gostcrypto.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import hashlib
import os
import re
from dataclasses import dataclass

import gostcrypto
from asn1crypto import algos, cms, core, keys, x509

STREEBOG = {"1.2.643.7.1.1.2.2": "streebog256", "1.2.643.7.1.1.2.3": "streebog512"}
KEY_256, KEY_512 = "1.2.643.7.1.1.1.1", "1.2.643.7.1.1.1.2"
SIGNATURE_OF_KEY = {KEY_256: "1.2.643.7.1.1.3.2", KEY_512: "1.2.643.7.1.1.3.3"}
CURVES = {
    "1.2.643.7.1.2.1.1.1": "id-tc26-gost-3410-2012-256-paramSetA",
    "1.2.643.7.1.2.1.1.2": "id-tc26-gost-3410-2012-256-paramSetB",
    "1.2.643.7.1.2.1.1.3": "id-tc26-gost-3410-2012-256-paramSetC",
    "1.2.643.7.1.2.1.1.4": "id-tc26-gost-3410-2012-256-paramSetD",
    "1.2.643.2.2.35.1": "id-tc26-gost-3410-2012-256-paramSetB",  # CryptoPro-A
    "1.2.643.2.2.35.2": "id-tc26-gost-3410-2012-256-paramSetC",  # CryptoPro-B
    "1.2.643.2.2.35.3": "id-tc26-gost-3410-2012-256-paramSetD",  # CryptoPro-C
    "1.2.643.2.2.36.0": "id-tc26-gost-3410-2012-256-paramSetB",  # CryptoPro-XchA
    "1.2.643.2.2.36.1": "id-tc26-gost-3410-2012-256-paramSetD",  # CryptoPro-XchB
    "1.2.643.7.1.2.1.2.1": "id-tc26-gost-3410-12-512-paramSetA",
    "1.2.643.7.1.2.1.2.2": "id-tc26-gost-3410-12-512-paramSetB",
    "1.2.643.7.1.2.1.2.3": "id-tc26-gost-3410-2012-512-paramSetC",
}
TEST_CURVE = "1.2.643.7.1.2.1.1.1"
MAX_SIGNATURE_BYTES = 1_000_000
MAX_SIGNED_PDF_BYTES = 20_000_000


class SignatureCheckError(Exception):
    """The signature is refused; the message says why, in Russian."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def digests(data: bytes) -> tuple[str, str]:
    """(SHA-256, ГОСТ Р 34.11-2012 «Стрибог» 256) of `data` as hex."""
    return hashlib.sha256(data).hexdigest(), streebog(data, "streebog256").hex()


def streebog(data: bytes, name: str = "streebog256") -> bytes:
    return bytes(gostcrypto.gosthash.new(name, data=data).digest())


class _Algorithm(core.Sequence):
    _fields = [("algorithm", core.ObjectIdentifier), ("parameters", core.Any, {"optional": True})]


class _GostKeyParams(core.Sequence):
    _fields = [
        ("curve", core.ObjectIdentifier),
        ("digest", core.ObjectIdentifier, {"optional": True}),
    ]


class _GostPublicKeyInfo(core.Sequence):
    _fields = [("algorithm", _Algorithm), ("public_key", core.OctetBitString)]


@dataclass(frozen=True)
class CertificateInfo:
    owner: str
    organisation: str
    serial: str
    issuer: str
    valid_from: datetime.datetime
    valid_to: datetime.datetime


@dataclass(frozen=True)
class CheckedSignature:
    certificate: CertificateInfo
    digest_algorithm: str  # "streebog256" | "streebog512"
    signed_at: datetime.datetime | None  # the signingTime attribute, when present


def _name(name: x509.Name) -> tuple[str, str]:
    values = {}
    for rdn in name.chosen:
        for pair in rdn:
            values[pair["type"].native] = str(pair["value"].native)
    person = " ".join(v for v in (values.get("surname"), values.get("given_name")) if v)
    return person or values.get("common_name", ""), values.get("organization_name", "")


def certificate_info(certificate: x509.Certificate) -> CertificateInfo:
    tbs = certificate["tbs_certificate"]
    owner, organisation = _name(tbs["subject"])
    issuer, issuer_org = _name(tbs["issuer"])
    return CertificateInfo(
        owner=owner,
        organisation=organisation,
        serial=format(tbs["serial_number"].native, "X"),
        issuer=issuer_org or issuer,
        valid_from=tbs["validity"]["not_before"].native,
        valid_to=tbs["validity"]["not_after"].native,
    )


def _der_of(data: bytes) -> bytes:
    """DER as it is, or PEM / bare base64 (КриптоПро «в кодировке Base64»)."""
    if data[:1] == b"\x30":
        return data
    text = re.sub(rb"-----[A-Z0-9 ]+-----", b"", data)
    try:
        der = base64.b64decode(b"".join(text.split()), validate=True)
    except (binascii.Error, ValueError) as error:
        raise SignatureCheckError(CORRUPTED) from error
    if der[:1] != b"\x30":
        raise SignatureCheckError(CORRUPTED)
    return der


CORRUPTED = (
    "Файл подписи повреждён или это не подпись CAdES (.sig, .p7s): его структуру не удалось "
    "прочитать. Сохраните отсоединённую подпись в КриптоПро или Госключе ещё раз и загрузите её."
)


def _signed_data(data: bytes) -> cms.SignedData:
    if len(data) > MAX_SIGNATURE_BYTES:
        raise SignatureCheckError("Файл подписи больше 1 МБ — это не отсоединённая подпись.")
    try:
        info = cms.ContentInfo.load(_der_of(data), strict=True)
        if info["content_type"].native != "signed_data":
            raise SignatureCheckError(CORRUPTED)
        signed = info["content"]
        # Parse what is read later now, so a broken field fails here (GOST keys stay opaque:
        # asn1crypto does not know their algorithm).
        signed["signer_infos"].native  # noqa: B018
        for choice in signed["certificates"] or []:
            choice.chosen["tbs_certificate"]["subject"].native  # noqa: B018
    except SignatureCheckError:
        raise
    except (ValueError, TypeError, KeyError, IndexError) as error:
        raise SignatureCheckError(CORRUPTED) from error
    return signed


def _signer_certificate(signed: cms.SignedData, signer: cms.SignerInfo) -> x509.Certificate:
    sid = signer["sid"]
    for choice in signed["certificates"] or []:
        if choice.name != "certificate":
            continue
        certificate = choice.chosen
        tbs = certificate["tbs_certificate"]
        if sid.name == "issuer_and_serial_number":
            if (
                sid.chosen["serial_number"].native == tbs["serial_number"].native
                and sid.chosen["issuer"] == tbs["issuer"]
            ):
                return certificate
        elif certificate.key_identifier == sid.chosen.native:
            return certificate
    raise SignatureCheckError(
        "В файле подписи нет сертификата подписанта. При подписании в КриптоПро отметьте "
        "«Добавить сертификат подписанта» (в Госключе он добавляется сам) и загрузите подпись "
        "снова."
    )


def _public_key(certificate: x509.Certificate) -> tuple[str, bytes]:
    """(gostcrypto curve name, X‖Y big-endian) from the certificate."""
    spki = _GostPublicKeyInfo.load(certificate["tbs_certificate"]["subject_public_key_info"].dump())
    algorithm = spki["algorithm"]["algorithm"].dotted
    if algorithm not in SIGNATURE_OF_KEY:
        raise SignatureCheckError(
            "Сертификат подписанта выпущен не для ключа ГОСТ Р 34.10-2012: принимаются только "
            "подписи по ГОСТ (КриптоПро, Госключ)."
        )
    params = _GostKeyParams.load(spki["algorithm"]["parameters"].dump())
    curve = CURVES.get(params["curve"].dotted)
    if curve is None:
        raise SignatureCheckError(
            f"Неизвестные параметры ключа ГОСТ ({params['curve'].dotted}) — подпись не проверить."
        )
    raw = core.OctetString.load(spki["public_key"].native).native
    half = len(raw) // 2
    return curve, raw[:half][::-1] + raw[half:][::-1]


def _signed_attribute(signer: cms.SignerInfo, name: str):
    for attribute in signer["signed_attrs"] or []:
        if attribute["type"].native == name:
            return attribute["values"][0].native
    return None


def verify_detached(
    signature: bytes, documents: list[bytes], *, now: datetime.datetime
) -> CheckedSignature:
    """Check a detached CAdES signature against the stored document (any of `documents`: the
    PDF people read, or the .docx). Raises SignatureCheckError with the reason."""
    try:
        return _verify(signature, documents, now=now)
    except (ValueError, TypeError, KeyError, IndexError, AttributeError) as error:
        raise SignatureCheckError(CORRUPTED) from error


def _verify(signature: bytes, documents: list[bytes], *, now: datetime.datetime):
    signed = _signed_data(signature)
    if not signed["signer_infos"]:
        raise SignatureCheckError("В файле подписи нет ни одной подписи.")
    signer = signed["signer_infos"][0]
    digest_oid = signer["digest_algorithm"]["algorithm"].dotted
    name = STREEBOG.get(digest_oid)
    if name is None:
        raise SignatureCheckError(
            "Подпись сделана не по ГОСТ Р 34.11-2012 («Стрибог»): принимаются только подписи "
            "по ГОСТ (КриптоПро, Госключ)."
        )
    certificate = _signer_certificate(signed, signer)
    info = certificate_info(certificate)
    curve, public_key = _public_key(certificate)
    if not signer["signed_attrs"]:
        raise SignatureCheckError(
            "В подписи нет подписанных атрибутов (messageDigest): это не подпись CAdES."
        )
    expected = _signed_attribute(signer, "message_digest")
    if not any(streebog(doc, name) == expected for doc in documents):
        raise SignatureCheckError(
            "Подпись сделана для другого документа: хеш ГОСТ Р 34.11-2012 документа в реестре не "
            "совпадает с хешем, который подписан. Скачайте PDF этой версии документа, подпишите "
            "его и загрузите новую подпись."
        )
    signed_attrs = b"\x31" + signer["signed_attrs"].dump(force=True)[1:]
    digest = streebog(signed_attrs, name)
    value = signer["signature"].native
    size = len(value) // 2
    mode = gostcrypto.gostsignature.MODE_256 if size == 32 else gostcrypto.gostsignature.MODE_512
    try:
        checker = gostcrypto.gostsignature.new(
            mode, gostcrypto.gostsignature.CURVES_R_1323565_1_024_2019[curve]
        )
        ok = checker.verify(
            bytearray(public_key), bytearray(digest[::-1]), bytearray(value[size:] + value[:size])
        )
    except gostcrypto.gostsignature.GOSTSignatureError:
        ok = False
    if not ok:
        raise SignatureCheckError(
            "Подпись не сходится с сертификатом: файл подписи изменён или повреждён. Сохраните "
            "подпись заново из КриптоПро или Госключа."
        )
    signing_time = _signed_attribute(signer, "signing_time")
    moment = signing_time or now
    if not info.valid_from <= moment <= info.valid_to:
        raise SignatureCheckError(
            f"Сертификат подписанта {info.owner} действовал с {info.valid_from:%d.%m.%Y} по "
            f"{info.valid_to:%d.%m.%Y}, а подпись сделана {moment:%d.%m.%Y}: сертификат "
            "просрочен или ещё не действовал. Подпишите документ действующим сертификатом."
        )
    return CheckedSignature(certificate=info, digest_algorithm=name, signed_at=signing_time)


# --- signed PDF (PAdES: a CMS signature inside the PDF over its /ByteRange) -----------------

BYTE_RANGE = re.compile(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]")


def verify_signed_pdf(data: bytes, original: bytes, *, now: datetime.datetime) -> CheckedSignature:
    """A PDF signed in КриптоПро PDF / Госключ: the signature is appended to the stored PDF as
    an incremental update, so the signed byte range starts with the stored PDF unchanged."""
    ranges = list(BYTE_RANGE.finditer(data))
    if not ranges:
        raise SignatureCheckError(
            "В PDF нет электронной подписи (нет /ByteRange). Загрузите PDF, подписанный в "
            "КриптоПро PDF или Госключе, или отсоединённую подпись (.sig)."
        )
    start1, length1, start2, length2 = (int(g) for g in ranges[-1].groups())
    hole = data[start1 + length1 : start2]
    if (
        start1 != 0
        or start2 + length2 > len(data)
        or not (hole.startswith(b"<") and hole.endswith(b">"))
    ):
        raise SignatureCheckError(CORRUPTED)
    signed_bytes = data[start1 : start1 + length1] + data[start2 : start2 + length2]
    if not signed_bytes.startswith(original):
        raise SignatureCheckError(
            "Подписан другой PDF: подписанный файл не начинается с документа этой версии из "
            "реестра. Скачайте PDF этой версии, подпишите его и загрузите снова."
        )
    try:
        der = bytes.fromhex(hole[1:-1].decode("ascii"))
        der = cms.ContentInfo.load(der.rstrip(b"\x00") or b"\x00", strict=False).dump()
    except (ValueError, TypeError) as error:
        raise SignatureCheckError(CORRUPTED) from error
    return verify_detached(der, [signed_bytes], now=now)


def sign_pdf_for_tests(
    pdf: bytes, *, private_key: bytes, certificate: bytes, signing_time: datetime.datetime
) -> bytes:
    """`pdf` with an incremental update holding a CAdES signature over its /ByteRange, laid
    out as КриптоПро PDF writes one (only the parts the check reads)."""
    size = 8192  # bytes reserved for the signature, written as hex

    def ranges(length1: int, start2: int, length2: int) -> bytes:
        return f"/ByteRange [0 {length1:010d} {start2:010d} {length2:010d}] /Contents ".encode()

    prefix = pdf + b"\n1000 0 obj\n<< /Type /Sig /SubFilter /ETSI.CAdES.detached "
    rest = b" >>\nendobj\n%%EOF\n"
    length1 = len(prefix) + len(ranges(0, 0, 0))
    start2 = length1 + 2 + size * 2
    body = prefix + ranges(length1, start2, len(rest))
    der = sign_detached(
        body + rest, private_key=private_key, certificate=certificate, signing_time=signing_time
    )
    return body + b"<" + der.hex().encode().ljust(size * 2, b"0") + b">" + rest


# --- test keys and signatures (tests, the demo) --------------------------------------------


def _gost(curve_oid: str = TEST_CURVE):
    curve = gostcrypto.gostsignature.CURVES_R_1323565_1_024_2019[CURVES[curve_oid]]
    return gostcrypto.gostsignature.new(gostcrypto.gostsignature.MODE_256, curve)


def _sign(private_key: bytes, digest: bytes) -> bytes:
    r_s = bytes(_gost().sign(bytearray(private_key), bytearray(digest[::-1])))
    return r_s[32:] + r_s[:32]  # s‖r


def make_test_certificate(
    *, owner: str, organisation: str, valid_from: datetime.datetime,
    valid_to: datetime.datetime, serial: int = 0x2026,
) -> tuple[bytes, bytes]:  # fmt: skip
    """A GOST R 34.10-2012 (256) key pair and a self-signed certificate: (private key, DER)."""
    gost = _gost()
    private_key = os.urandom(32)
    while int.from_bytes(private_key, "big") >= gost._q or not any(private_key):
        private_key = os.urandom(32)
    public = bytes(gost.public_key_generate(bytearray(private_key)))
    le_key = public[:32][::-1] + public[32:][::-1]
    spki = _GostPublicKeyInfo(
        {
            "algorithm": {
                "algorithm": KEY_256,
                "parameters": _GostKeyParams({"curve": TEST_CURVE, "digest": "1.2.643.7.1.1.2.2"}),
            },
            "public_key": core.OctetString(le_key).dump(),
        }
    )
    name = x509.Name.build(
        {
            "common_name": owner,
            "surname": owner.split()[0],
            "given_name": " ".join(owner.split()[1:]) or owner,
            "organization_name": organisation,
        }
    )
    tbs = x509.TbsCertificate(
        {
            "version": "v3",
            "serial_number": serial,
            "signature": {"algorithm": SIGNATURE_OF_KEY[KEY_256]},
            "issuer": name,
            "validity": {
                "not_before": x509.Time({"utc_time": valid_from}),
                "not_after": x509.Time({"utc_time": valid_to}),
            },
            "subject": name,
            "subject_public_key_info": keys.PublicKeyInfo.load(spki.dump()),
        }
    )
    signature = _sign(private_key, streebog(tbs.dump()))
    certificate = x509.Certificate(
        {
            "tbs_certificate": tbs,
            "signature_algorithm": {"algorithm": SIGNATURE_OF_KEY[KEY_256]},
            "signature_value": signature,
        }
    )
    return private_key, certificate.dump()


def sign_detached(
    data: bytes, *, private_key: bytes, certificate: bytes, signing_time: datetime.datetime
) -> bytes:
    """A detached CAdES-BES SignedData over `data` (Стрибог-256), DER."""
    cert = x509.Certificate.load(certificate)
    attributes = cms.CMSAttributes(
        [
            {"type": "content_type", "values": ["data"]},
            {"type": "signing_time", "values": [cms.Time({"utc_time": signing_time})]},
            {"type": "message_digest", "values": [streebog(data)]},
        ]
    )
    signature = _sign(private_key, streebog(attributes.dump()))
    signer = cms.SignerInfo(
        {
            "version": "v1",
            "sid": cms.SignerIdentifier(
                {
                    "issuer_and_serial_number": {
                        "issuer": cert.issuer,
                        "serial_number": cert.serial_number,
                    }
                }
            ),
            "digest_algorithm": algos.DigestAlgorithm({"algorithm": "1.2.643.7.1.1.2.2"}),
            "signed_attrs": attributes,
            "signature_algorithm": {"algorithm": SIGNATURE_OF_KEY[KEY_256]},
            "signature": signature,
        }
    )
    signed = cms.SignedData(
        {
            "version": "v1",
            "digest_algorithms": [{"algorithm": "1.2.643.7.1.1.2.2"}],
            "encap_content_info": {"content_type": "data"},
            "certificates": [cert],
            "signer_infos": [signer],
        }
    )
    return cms.ContentInfo({"content_type": "signed_data", "content": signed}).dump()
