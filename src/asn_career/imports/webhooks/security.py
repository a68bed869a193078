"""Pure rules of webhooks: settings, URL checks, secrets at rest, signatures, backoff.

No I/O here, so every rule is unit-tested on its own.
"""

import base64
import hashlib
import hmac
import ipaddress
import secrets
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Annotated
from urllib.parse import urlsplit

import httpx
from cryptography.fernet import Fernet, InvalidToken
from pydantic import SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from asn_career.config import DEVELOPMENT_JWT_SECRET, Settings

SIGNATURE_HEADER = "X-ASN-Career-Signature"
EVENT_HEADER = "X-ASN-Career-Event"
DELIVERY_HEADER = "X-ASN-Career-Delivery"
TIMESTAMP_HEADER = "X-ASN-Career-Timestamp"
SECRET_PREFIX = "whsec_"  # noqa: S105 (a prefix, not a secret)


class WebhookSettings(BaseSettings):
    """``ASN_CAREER_WEBHOOK_*``: how subscriptions are checked and deliveries made."""

    model_config = SettingsConfigDict(
        env_prefix="ASN_CAREER_WEBHOOK_", env_file=".env", extra="ignore"
    )

    allow_http: bool = False
    """In production only https URLs are accepted unless this is set."""
    allowed_hosts: Annotated[frozenset[str], NoDecode] = frozenset()
    """Hosts (names or IP addresses, comma-separated) that may be internal: a local
    receiver, the tests' own. Every other internal address is refused, in every mode."""
    secret_key: SecretStr | None = None
    """Encrypts subscription secrets at rest; defaults to a key derived from the JWT
    secret (required in production when the JWT secret is the development one)."""
    timeout_seconds: float = 10.0
    max_attempts: int = 10
    backoff_base_seconds: int = 30
    backoff_cap_seconds: int = 3600
    batch_size: int = 50
    concurrency: int = 8

    @field_validator("allowed_hosts", mode="before")
    @classmethod
    def _split_hosts(cls, value: object) -> object:
        if isinstance(value, str):
            return frozenset(
                host.strip().strip("[]").lower() for host in value.split(",") if host.strip()
            )
        return value

    def allows(self, host: str) -> bool:
        return host.strip("[]").rstrip(".").lower() in self.allowed_hosts


@lru_cache
def get_webhook_settings() -> WebhookSettings:
    return WebhookSettings()


# --- URLs --------------------------------------------------------------------------------


class UrlProblem(ValueError):
    def __init__(self, message: str, message_id: str) -> None:
        super().__init__(message)
        self.message = message
        self.message_id = message_id


def check_url(url: str, *, production: bool, options: WebhookSettings) -> str:
    """The URL, normalised, if a subscription may use it, else ``UrlProblem`` saying why.

    Internal hosts are refused in every mode unless ``allowed_hosts`` names them, and a
    host whose last label is a number must be a canonical dotted-quad IPv4 address: the
    resolver reads ``2130706433``, ``0x7f000001``, ``127.1`` or ``0177.0.0.1`` as
    127.0.0.1, and httpx refuses some of those forms outright, at every delivery."""
    if any(ord(c) < 0x21 or ord(c) == 0x7F for c in url):
        raise UrlProblem("URL contains spaces or control characters", "URL berisi spasi")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise UrlProblem(f"not a valid URL: {exc}", "URL tidak valid") from exc
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise UrlProblem("URL must be http or https", "URL harus http atau https")
    host = parts.hostname
    if not host:
        raise UrlProblem("URL has no host", "URL tidak memiliki host")
    if parts.username is not None or parts.password is not None:
        raise UrlProblem(
            "URL must not carry credentials (use the signing secret)",
            "URL tidak boleh memuat kredensial",
        )
    if port == 0:
        raise UrlProblem("URL port 0 is not valid", "port URL tidak valid")
    if production and scheme != "https" and not options.allow_http:
        raise UrlProblem(
            "only https URLs are accepted in production", "hanya URL https di produksi"
        )
    host = _canonical_host(host)
    if not options.allows(host) and _is_internal(host):
        raise UrlProblem(
            "URL points to a local or private address", "URL menunjuk alamat lokal/privat"
        )
    try:
        return str(httpx.URL(url).copy_with(scheme=scheme, host=host))
    except (httpx.InvalidURL, ValueError) as exc:
        raise UrlProblem(f"not a valid URL: {exc}", "URL tidak valid") from exc


def _canonical_host(host: str) -> str:
    name = host.rstrip(".").lower()
    if ":" in name:  # IPv6 (urlsplit has taken the brackets off)
        try:
            return str(ipaddress.IPv6Address(name.split("%", 1)[0]))
        except ValueError as exc:
            raise UrlProblem("not a valid IPv6 address", "alamat IPv6 tidak valid") from exc
    last_label = name.rsplit(".", 1)[-1]
    if last_label.isdigit() or last_label.startswith("0x"):
        try:
            return str(ipaddress.IPv4Address(name))
        except ValueError as exc:
            raise UrlProblem(
                "a numeric host must be a dotted-quad IPv4 address such as 203.0.113.7",
                "host numerik harus berupa alamat IPv4 bertitik seperti 203.0.113.7",
            ) from exc
    return name


def _is_internal(host: str) -> bool:
    if host == "localhost" or host.endswith((".localhost", ".local", ".internal")):
        return True
    try:
        return is_internal_address(host)
    except ValueError:
        return False


_NAT64 = (ipaddress.IPv6Network("64:ff9b::/96"), ipaddress.IPv6Network("64:ff9b:1::/48"))


def is_internal_address(text: str) -> bool:
    """Not a public unicast address: loopback, private, link-local, CGNAT, reserved,
    documentation, multicast, unspecified, or an IPv6 form that carries one of those
    (IPv4-mapped, 6to4, NAT64, Teredo). ``ValueError`` for something not an IP address."""
    address = ipaddress.ip_address(text.strip("[]").split("%", 1)[0])  # drop a zone id
    if isinstance(address, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(address)
        if embedded is not None:
            return is_internal_address(str(embedded))
    return not address.is_global or address.is_multicast


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if any(address in network for network in _NAT64):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


# --- secrets -----------------------------------------------------------------------------


def generate_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def secret_hint(secret: str) -> str:
    """The visible start of a secret, to recognise it later (never enough to sign)."""
    return secret[:10]


class SecretKeyMissing(RuntimeError):
    pass


def _fernet(settings: Settings, options: WebhookSettings) -> Fernet:
    if options.secret_key is not None:
        material = options.secret_key.get_secret_value()
    else:
        material = settings.jwt_secret.get_secret_value()
        if settings.env == "production" and material == DEVELOPMENT_JWT_SECRET:
            raise SecretKeyMissing("set ASN_CAREER_WEBHOOK_SECRET_KEY to store webhook secrets")
    digest = hashlib.sha256(b"asn-career webhook secrets\x00" + material.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def encrypt_secret(secret: str, settings: Settings, options: WebhookSettings) -> str:
    return _fernet(settings, options).encrypt(secret.encode()).decode()


def decrypt_secret(token: str, settings: Settings, options: WebhookSettings) -> str | None:
    """The secret, or None when it cannot be decrypted (the key changed)."""
    try:
        return _fernet(settings, options).decrypt(token.encode()).decode()
    except InvalidToken:
        return None


# --- signatures and retries --------------------------------------------------------------


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """``sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">``."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify(secret: str, timestamp: int, body: bytes, signature: str) -> bool:
    """What a receiver does (and what the tests do)."""
    return hmac.compare_digest(sign(secret, timestamp, body), signature)


def next_attempt(now: datetime, attempts_made: int, options: WebhookSettings) -> datetime | None:
    """When to try again after ``attempts_made`` failures: base × 2^(n−1), capped; None
    once the attempts are exhausted."""
    if attempts_made >= options.max_attempts:
        return None
    delay = options.backoff_base_seconds * 2 ** max(0, attempts_made - 1)
    return now + timedelta(seconds=min(delay, options.backoff_cap_seconds))
