"""One-time tokens of public raters. Pure: no I/O.

A token is 32 random bytes, URL-safe (43 characters). The server keeps only its SHA-256
(``feedback_requests.token_hash``): the token itself is shown once, in the links and the
QR cards HR prints, and a stolen database yields no usable link. A fast hash is enough:
with 256 bits of randomness there is nothing to guess, so salting or stretching adds
nothing (the same reasoning as the API keys in ``core.auth``).
"""

import hashlib
import re
import secrets
from typing import Final
from urllib.parse import urlsplit

TOKEN_BYTES: Final = 32
TOKEN_PATTERN: Final = re.compile(r"[A-Za-z0-9_-]{43}")
"""What ``secrets.token_urlsafe(32)`` makes: 43 characters of the URL-safe alphabet."""
MAX_BASE_URL_LENGTH: Final = 200


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_digest(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


def well_formed(token: str) -> bool:
    """Whether ``token`` could be one of ours (anything else is unknown without a query)."""
    return TOKEN_PATTERN.fullmatch(token) is not None


def base_url_problem(base_url: str, *, production: bool) -> tuple[str, str] | None:
    """Why ``base_url`` cannot start a public link (English, Indonesian), or None.

    It is the page that shows the form: an absolute https URL (http only outside
    production), without a query or fragment, since the token is appended as a path."""
    parts = urlsplit(base_url)
    schemes = ("https",) if production else ("https", "http")
    if len(base_url) > MAX_BASE_URL_LENGTH:
        return (
            f"base_url holds at most {MAX_BASE_URL_LENGTH} characters",
            f"base_url paling banyak {MAX_BASE_URL_LENGTH} karakter",
        )
    if parts.scheme not in schemes or not parts.netloc or any(c.isspace() for c in base_url):
        return (
            f"base_url must be an absolute {' or '.join(schemes)} URL",
            f"base_url harus berupa URL {' atau '.join(schemes)} yang lengkap",
        )
    if parts.query or parts.fragment or "?" in base_url or "#" in base_url:
        return (
            "base_url must not hold a query or a fragment (the token follows as a path)",
            "base_url tidak boleh memuat query atau fragmen (token ditambahkan sebagai path)",
        )
    return None


def public_link(base_url: str, token: str) -> str:
    return f"{base_url.rstrip('/')}/{token}"
