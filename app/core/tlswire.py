"""Reading what a TLS server sent in clear, from the raw bytes of a handshake.

Python's `ssl` module does not say which CA names a server lists in its
CertificateRequest (`certificate_authorities`), nor hand back the server's whole chain
(before Python 3.13), nor which alert ended a handshake other than as an OpenSSL reason
string. Up to TLS 1.2 all of these travel in clear before the ChangeCipherSpec, so the
probe records every byte the server sends during a TLS 1.2 handshake and this module reads
them: records → handshake messages → Certificate (the chain), CertificateRequest (the CA
names, each a DER DistinguishedName) and plaintext alerts. TLS 1.3 encrypts everything
after the ServerHello, which is why the probe's first look is capped at TLS 1.2.

Pure logic on bytes: no sockets, and a malformed input never raises past
`parse_server_flight` (what could be read is returned, the rest is left out).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cryptography import x509
from cryptography.x509.oid import ObjectIdentifier

# TLS record content types and handshake message types (RFC 5246 §6.2.1, §7.4).
RECORD_CHANGE_CIPHER_SPEC = 20
RECORD_ALERT = 21
RECORD_HANDSHAKE = 22
HANDSHAKE_SERVER_HELLO = 2
HANDSHAKE_CERTIFICATE = 11
HANDSHAKE_CERTIFICATE_REQUEST = 13
HANDSHAKE_SERVER_HELLO_DONE = 14

#: Alert descriptions (RFC 5246 §7.2, RFC 8446 §6) by number, in the names TLS uses.
ALERTS: dict[int, str] = {
    0: "close_notify", 10: "unexpected_message", 20: "bad_record_mac",
    22: "record_overflow", 40: "handshake_failure", 42: "bad_certificate",
    43: "unsupported_certificate", 44: "certificate_revoked", 45: "certificate_expired",
    46: "certificate_unknown", 47: "illegal_parameter", 48: "unknown_ca",
    49: "access_denied", 50: "decode_error", 51: "decrypt_error", 70: "protocol_version",
    71: "insufficient_security", 80: "internal_error", 86: "inappropriate_fallback",
    90: "user_canceled", 109: "missing_extension", 110: "unsupported_extension",
    112: "unrecognized_name", 113: "bad_certificate_status_response",
    115: "unknown_psk_identity", 116: "certificate_required",
    120: "no_application_protocol",
}


@dataclass
class ServerFlight:
    """What the server sent in clear during one handshake."""

    version: int | None = None  # the ServerHello's legacy version (0x0303 = TLS 1.2)
    certificates: list[bytes] = field(default_factory=list)  # DER, leaf first
    asked_for_certificate: bool = False
    #: The DER DistinguishedNames of the CertificateRequest (empty: "any CA").
    certificate_authorities: list[bytes] = field(default_factory=list)
    alert: str | None = None  # the first fatal plaintext alert, by name
    encrypted: bool = False  # a ChangeCipherSpec came: what follows was not readable


def _u16(data: bytes, at: int) -> int:
    return int.from_bytes(data[at:at + 2], "big")


def _u24(data: bytes, at: int) -> int:
    return int.from_bytes(data[at:at + 3], "big")


def _records(raw: bytes) -> list[tuple[int, bytes]]:
    """(content type, fragment) of every whole record in `raw`, in order."""
    records: list[tuple[int, bytes]] = []
    at = 0
    while at + 5 <= len(raw):
        kind = raw[at]
        length = _u16(raw, at + 3)
        if kind not in (20, 21, 22, 23) or at + 5 + length > len(raw):
            break  # not TLS (an HTTP answer to a TLS hello), or cut short
        records.append((kind, raw[at + 5:at + 5 + length]))
        at += 5 + length
    return records


def _certificate_list(body: bytes) -> list[bytes]:
    total = _u24(body, 0)
    at, end = 3, min(3 + total, len(body))
    out: list[bytes] = []
    while at + 3 <= end:
        length = _u24(body, at)
        at += 3
        if at + length > end:
            break
        out.append(body[at:at + length])
        at += length
    return out


def _ca_names(body: bytes) -> list[bytes]:
    """The certificate_authorities of a TLS 1.2 CertificateRequest (RFC 5246 §7.4.4)."""
    at = 1 + body[0] if body else 0  # certificate_types<1..2^8-1>
    at += 2 + _u16(body, at)  # supported_signature_algorithms<2..2^16-2>
    if at + 2 > len(body):
        return []
    end = min(at + 2 + _u16(body, at), len(body))
    at += 2
    names: list[bytes] = []
    while at + 2 <= end:
        length = _u16(body, at)
        at += 2
        if at + length > end:
            break
        names.append(body[at:at + length])
        at += length
    return names


def parse_server_flight(raw: bytes) -> ServerFlight:
    """Read the clear part of what a server sent (records until its ChangeCipherSpec)."""
    flight = ServerFlight()
    buffer = b""
    for kind, fragment in _records(raw):
        if kind == RECORD_CHANGE_CIPHER_SPEC:
            flight.encrypted = True
            continue
        if flight.encrypted:
            continue
        if kind == RECORD_ALERT and len(fragment) >= 2:
            if fragment[0] == 2 and flight.alert is None:  # level 2: fatal
                flight.alert = ALERTS.get(fragment[1], f"alert {fragment[1]}")
            continue
        if kind != RECORD_HANDSHAKE:
            continue
        buffer += fragment
        while len(buffer) >= 4 and len(buffer) >= 4 + _u24(buffer, 1):
            message_type, length = buffer[0], _u24(buffer, 1)
            body, buffer = buffer[4:4 + length], buffer[4 + length:]
            try:
                if message_type == HANDSHAKE_SERVER_HELLO and len(body) >= 2:
                    flight.version = _u16(body, 0)
                elif message_type == HANDSHAKE_CERTIFICATE:
                    flight.certificates = _certificate_list(body)
                elif message_type == HANDSHAKE_CERTIFICATE_REQUEST:
                    flight.asked_for_certificate = True
                    flight.certificate_authorities = _ca_names(body)
            except IndexError:
                continue
    return flight


def alert_from_reason(reason: str | None) -> str | None:
    """OpenSSL's reason for a received alert ('TLSV1_ALERT_UNKNOWN_CA') → 'unknown_ca'."""
    if not reason:
        return None
    upper = reason.upper()
    for prefix in ("SSLV3_ALERT_", "TLSV13_ALERT_", "TLSV1_ALERT_"):
        if upper.startswith(prefix):
            return upper[len(prefix):].lower()
    return None


# --- DER DistinguishedName → x509.Name ------------------------------------------------------

_STRING_TAGS = {0x0C: "utf-8", 0x13: "ascii", 0x16: "ascii", 0x14: "latin-1",
                0x1E: "utf-16-be", 0x1C: "utf-32-be", 0x1A: "ascii", 0x12: "ascii"}


def _tlv(data: bytes, at: int) -> tuple[int, bytes, int]:
    """(tag, value, next offset) of the DER element at `at`."""
    tag = data[at]
    length = data[at + 1]
    at += 2
    if length & 0x80:
        count = length & 0x7F
        if count == 0 or count > 4:
            raise ValueError("unsupported DER length")
        length = int.from_bytes(data[at:at + count], "big")
        at += count
    if at + length > len(data):
        raise ValueError("DER element runs past its end")
    return tag, data[at:at + length], at + length


def _oid(body: bytes) -> str:
    parts = [body[0] // 40, body[0] % 40] if body[0] < 80 else [2, body[0] - 80]
    number = 0
    for byte in body[1:]:
        number = (number << 7) | (byte & 0x7F)
        if not byte & 0x80:
            parts.append(number)
            number = 0
    return ".".join(str(p) for p in parts)


def name_from_der(der: bytes) -> x509.Name:
    """A DER Name (SEQUENCE OF RDN) as an `x509.Name`; ValueError if it is not one."""
    try:
        tag, body, _end = _tlv(der, 0)
        if tag != 0x30:
            raise ValueError("not a SEQUENCE")
        rdns: list[x509.RelativeDistinguishedName] = []
        at = 0
        while at < len(body):
            tag, rdn_body, at = _tlv(body, at)
            if tag != 0x31:
                raise ValueError("not a SET")
            attributes: list[x509.NameAttribute[str]] = []
            inner = 0
            while inner < len(rdn_body):
                tag, pair, inner = _tlv(rdn_body, inner)
                oid_tag, oid_body, rest = _tlv(pair, 0)
                value_tag, value, _ = _tlv(pair, rest)
                if tag != 0x30 or oid_tag != 0x06:
                    raise ValueError("not an AttributeTypeAndValue")
                encoding = _STRING_TAGS.get(value_tag)
                text = value.decode(encoding, "replace") if encoding else value.hex()
                attributes.append(x509.NameAttribute(ObjectIdentifier(_oid(oid_body)), text,
                                                     _validate=False))
            if attributes:
                rdns.append(x509.RelativeDistinguishedName(attributes))
        return x509.Name(rdns)
    except (IndexError, UnicodeError) as error:
        raise ValueError(f"not a DER name: {error}") from None
