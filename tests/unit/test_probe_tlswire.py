"""Reading a TLS 1.2 server flight from raw bytes (app/core/tlswire.py): the chain, the
CertificateRequest's CA names, plaintext alerts; DER names back into x509.Name."""

from __future__ import annotations

from cryptography import x509
from cryptography.x509.oid import NameOID

from app.core.tlswire import alert_from_reason, name_from_der, parse_server_flight
from tests.pki import make_pki


def record(kind: int, body: bytes) -> bytes:
    return bytes([kind, 3, 3]) + len(body).to_bytes(2, "big") + body


def handshake(kind: int, body: bytes) -> bytes:
    return bytes([kind]) + len(body).to_bytes(3, "big") + body


def u24_list(items: list[bytes]) -> bytes:
    inner = b"".join(len(i).to_bytes(3, "big") + i for i in items)
    return len(inner).to_bytes(3, "big") + inner


def certificate_request(names: list[bytes]) -> bytes:
    types = bytes([2, 1, 64])  # rsa_sign, ecdsa_sign
    algorithms = bytes([0, 4, 4, 1, 4, 3])
    cas = b"".join(len(n).to_bytes(2, "big") + n for n in names)
    return handshake(13, types + algorithms + len(cas).to_bytes(2, "big") + cas)


def test_a_whole_flight_split_across_records() -> None:
    pki = make_pki("Wire")
    hello = handshake(2, b"\x03\x03" + bytes(32) + b"\x00")
    certificate = handshake(11, u24_list([pki.leaf.der, pki.intermediate.der]))
    names = [pki.root.cert.subject.public_bytes(), pki.intermediate.cert.subject.public_bytes()]
    stream = hello + certificate + certificate_request(names) + handshake(14, b"")
    # Handshake messages may span records: cut the stream in three odd places.
    raw = record(22, stream[:7]) + record(22, stream[7:900]) + record(22, stream[900:])
    raw += record(21, b"\x02\x30")  # fatal unknown_ca
    flight = parse_server_flight(raw)
    assert flight.version == 0x0303
    assert flight.certificates == [pki.leaf.der, pki.intermediate.der]
    assert flight.asked_for_certificate
    assert [name_from_der(n) for n in flight.certificate_authorities] == [
        pki.root.cert.subject, pki.intermediate.cert.subject]
    assert flight.alert == "unknown_ca"


def test_what_follows_a_change_cipher_spec_is_not_read() -> None:
    raw = record(22, handshake(2, b"\x03\x03" + bytes(33))) + record(20, b"\x01")
    raw += record(21, b"\x02\x28")  # encrypted in real life: must not be taken as an alert
    flight = parse_server_flight(raw)
    assert flight.encrypted and flight.alert is None and not flight.asked_for_certificate


def test_garbage_and_truncation_do_not_raise() -> None:
    assert parse_server_flight(b"HTTP/1.1 400 Bad Request\r\n\r\n").version is None
    pki = make_pki("Cut")
    certificate = handshake(11, u24_list([pki.leaf.der]))
    flight = parse_server_flight(record(22, certificate)[:200])
    assert flight.certificates == []
    assert parse_server_flight(record(22, handshake(13, b"\x05"))).asked_for_certificate


def test_an_empty_ca_list_means_any_ca() -> None:
    flight = parse_server_flight(record(22, certificate_request([])))
    assert flight.asked_for_certificate and flight.certificate_authorities == []


def test_names_with_several_string_types_read_back() -> None:
    name = x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "US"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Électricité Ltd"),  # UTF8String
        x509.NameAttribute(NameOID.EMAIL_ADDRESS, "usa@example.com"),  # IA5String
        x509.NameAttribute(NameOID.COMMON_NAME, "ERCOT TEST CA"),
    ])
    assert name_from_der(name.public_bytes()) == name
    assert name_from_der(name.public_bytes()).rfc4514_string() == name.rfc4514_string()


def test_openssl_reasons_become_alert_names() -> None:
    assert alert_from_reason("TLSV1_ALERT_UNKNOWN_CA") == "unknown_ca"
    assert alert_from_reason("SSLV3_ALERT_CERTIFICATE_REVOKED") == "certificate_revoked"
    assert alert_from_reason("TLSV13_ALERT_CERTIFICATE_REQUIRED") == "certificate_required"
    assert alert_from_reason("CERTIFICATE_VERIFY_FAILED") is None
    assert alert_from_reason(None) is None
