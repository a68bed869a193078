"""Who is calling (JWT bearer or API key) and what they may do.

Function-level checks live here (``authorize``); object-level agency scope lives in the
repositories, which filter with ``Principal.agency_clause``.
"""

import hashlib
import hmac
import secrets
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from functools import lru_cache
from typing import Annotated, Any

import jwt
from fastapi import Depends, Request
from sqlalchemy import ARRAY, ColumnElement, String, any_, literal, true

from asn_career.config import Settings, get_settings
from asn_career.core.apikeys.repository import ApiKeyRepository
from asn_career.core.errors import Forbidden, Unauthorized
from asn_career.core.query import reject_unknown_query
from asn_career.core.registry import API_KEY_SCOPES


class Role(StrEnum):
    ADMIN = "admin"
    HR_OFFICER = "hr_officer"
    SUPERVISOR = "supervisor"
    EMPLOYEE = "employee"
    INTEGRATION = "integration"


ALL_ROLES = frozenset(Role)
HR_ROLES = frozenset({Role.ADMIN, Role.HR_OFFICER, Role.INTEGRATION})


@dataclass(frozen=True)
class Principal:
    subject: str
    role: Role
    agencies: frozenset[str] = field(default_factory=frozenset)
    scopes: frozenset[str] = field(default_factory=frozenset)
    api_key_id: str | None = None

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    def may_act_on(self, agency_code: str) -> bool:
        return self.is_admin or agency_code in self.agencies

    def agency_clause(self, column: Any) -> ColumnElement[bool]:
        """The SQL filter that keeps a query inside the caller's agencies."""
        if self.is_admin:
            return true()
        # One array parameter (= ANY) rather than IN (…) with one parameter per agency: the
        # statement's SQL then stays the same for every caller and is not re-rendered.
        agencies = literal(sorted(self.agencies), ARRAY(String))
        return column == any_(agencies)  # type: ignore[no-any-return]

    def require_agency(self, agency_code: str) -> None:
        if not self.may_act_on(agency_code):
            raise Forbidden(code="agency_forbidden")

    def as_job_params(self) -> dict[str, Any]:
        """The caller as JSON, for a job that acts later as the one who asked for it."""
        return {
            "subject": self.subject,
            "role": self.role.value,
            "agencies": sorted(self.agencies),
            "scopes": sorted(self.scopes),
            "api_key_id": self.api_key_id,
        }

    @classmethod
    def from_job_params(cls, actor: dict[str, Any]) -> "Principal":
        return cls(
            subject=str(actor["subject"]),
            role=Role(actor["role"]),
            agencies=frozenset(actor.get("agencies") or ()),
            scopes=frozenset(actor.get("scopes") or ()),
            api_key_id=actor.get("api_key_id"),
        )


# --- JWT -------------------------------------------------------------------------------


def mint_token(
    settings: Settings,
    *,
    subject: str,
    role: Role,
    agencies: Iterable[str],
    ttl: timedelta | None = None,
) -> str:
    """Issue an HS256 token with the configured secret (development, scripts, tests)."""
    now = datetime.now(UTC)
    claims: dict[str, Any] = {
        "sub": subject,
        "role": role.value,
        "agencies": sorted(agencies),
        "iat": now,
        "exp": now + (ttl or timedelta(seconds=settings.jwt_default_ttl_seconds)),
    }
    if settings.jwt_issuer:
        claims["iss"] = settings.jwt_issuer
    if settings.jwt_audience:
        claims["aud"] = settings.jwt_audience
    return jwt.encode(claims, settings.jwt_secret.get_secret_value(), algorithm="HS256")


@lru_cache(maxsize=4)
def _jwks_client(url: str) -> jwt.PyJWKClient:
    return jwt.PyJWKClient(url, cache_keys=True, lifespan=600)


def _verification_key(settings: Settings, token: str) -> Any:
    if settings.jwt_algorithm == "HS256":
        return settings.jwt_secret.get_secret_value()
    if settings.jwt_public_key:
        return settings.jwt_public_key
    assert settings.jwt_jwks_url is not None
    return _jwks_client(settings.jwt_jwks_url).get_signing_key_from_jwt(token).key


MAX_TOKEN_LIFETIME = timedelta(days=366)
"""A token that claims to live longer is refused: its ``exp`` is a mistake or a forgery."""


def _check_claim_types(claims: dict[str, Any]) -> None:
    """What PyJWT lets through: ``sub`` must name someone (it is the audit's actor), and
    ``exp`` must be a number (RFC 7519's NumericDate, not ``"1e20"`` as a string) that is
    not absurdly far away."""
    subject = claims["sub"]
    if not isinstance(subject, str) or not subject.strip() or len(subject) > 255:
        raise ValueError("sub must be a non-empty string")
    for name in ("exp", "iat", "nbf"):
        value = claims.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise ValueError(f"{name} must be a number of seconds")
    latest = datetime.now(UTC) + MAX_TOKEN_LIFETIME
    if claims["exp"] > latest.timestamp():
        raise ValueError("exp is too far in the future")


def decode_token(settings: Settings, token: str) -> Principal:
    try:
        claims = jwt.decode(
            token,
            _verification_key(settings, token),
            algorithms=[settings.jwt_algorithm],
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
            options={"require": ["sub", "role", "exp"]},
        )
        role = Role(claims["role"])
        agencies = claims.get("agencies", [])
        if not isinstance(agencies, list) or not all(isinstance(a, str) for a in agencies):
            raise ValueError("agencies must be a list of codes")
        _check_claim_types(claims)
    except (jwt.PyJWTError, ValueError, KeyError) as exc:
        raise Unauthorized(code="invalid_token") from exc
    if role is Role.INTEGRATION:
        # Integration clients authenticate with API keys, whose scopes are stored server-side.
        raise Unauthorized(code="invalid_token")
    return Principal(subject=str(claims["sub"]), role=role, agencies=frozenset(agencies))


# --- API keys ---------------------------------------------------------------------------

API_KEY_PREFIX = "asnk"


def generate_api_key() -> tuple[str, str, str]:
    """A new key as (full key shown once, lookup prefix, stored hash)."""
    lookup = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    full = f"{API_KEY_PREFIX}_{lookup}_{secret}"
    return full, lookup, hash_api_key(full)


def hash_api_key(full_key: str) -> str:
    # The key carries 256 bits of randomness, so a fast hash is safe; salting adds nothing.
    return hashlib.sha256(full_key.encode()).hexdigest()


def split_api_key(full_key: str) -> str | None:
    parts = full_key.split("_", 2)
    if len(parts) != 3 or parts[0] != API_KEY_PREFIX:
        return None
    return parts[1]


# --- FastAPI dependencies ---------------------------------------------------------------

SECURITY_SCHEMES: dict[str, dict[str, str]] = {
    "HTTPBearer": {
        "type": "http",
        "description": "JWT with claims sub, role, agencies, exp",
        "scheme": "bearer",
    },
    "APIKeyHeader": {
        "type": "apiKey",
        "description": "API key of an integration client",
        "in": "header",
        "name": "X-API-Key",
    },
}
"""The credentials every ``authorize``-d route accepts, for the OpenAPI document.

They are read from the headers by ``authorize`` itself rather than through FastAPI's
security dependencies: each dependency is a node FastAPI solves on every request, and on
a one-row read the two of them cost more than the query (``benchmarks/README.md``)."""


async def _principal_from_api_key(request: Request, full_key: str) -> Principal:
    lookup = split_api_key(full_key)
    key = None
    if lookup:
        async with request.app.state.read_sessionmaker() as session:
            key = await ApiKeyRepository(session).get_active_by_lookup(lookup)
    if key is None or not hmac.compare_digest(key.key_hash, hash_api_key(full_key)):
        raise Unauthorized(code="invalid_api_key")
    now = datetime.now(UTC)
    if key.last_used_at is None or now - key.last_used_at > timedelta(minutes=1):
        # Its own transaction, so the use is recorded even when the request fails; coarse
        # on purpose: one write a minute per key, not one per request.
        await ApiKeyRepository.touch(request.app.state.engine, key.id, now)
    return Principal(
        subject=f"api-key:{key.name}",
        role=Role.INTEGRATION,
        agencies=frozenset(key.agencies),
        scopes=frozenset(key.scopes),
        api_key_id=str(key.id),
    )


async def current_principal(request: Request) -> Principal:
    """The caller, from ``Authorization: Bearer <JWT>`` or ``X-API-Key``; once per request."""
    cached = getattr(request.state, "principal", None)
    if isinstance(cached, Principal):
        return cached
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    api_key = request.headers.get("x-api-key")
    if scheme.lower() == "bearer" and token.strip():
        principal = decode_token(request.app.state.settings, token.strip())
    elif api_key:
        principal = await _principal_from_api_key(request, api_key)
    else:
        raise Unauthorized()
    request.state.principal = principal
    return principal


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def authorize(*roles: Role, scope: str) -> Callable[[Request], Awaitable[Principal]]:
    """Function-level check for a route: the caller's role, and for API keys the scope.

    The allowed roles are kept on the dependency so the route-walking security test and
    the OpenAPI document can tell which routes need which callers without a list to
    maintain. A scope not in ``core.registry.API_KEY_SCOPES`` is refused here, when the
    router module is imported.
    """
    if scope not in API_KEY_SCOPES:
        raise ValueError(f"scope {scope!r} is not registered (core.registry.API_KEY_SCOPES)")
    allowed = frozenset(roles)

    async def dependency(request: Request) -> Principal:
        principal = await current_principal(request)
        if principal.role not in allowed:
            raise Forbidden(code="role_forbidden")
        if principal.role is Role.INTEGRATION and scope not in principal.scopes:
            raise Forbidden(code="scope_forbidden")
        # Every API route authorizes, so the check of its query parameters rides along:
        # after 401/403, and without a dependency of its own to solve per request.
        await reject_unknown_query(request)
        return principal

    dependency.allowed_roles = allowed  # type: ignore[attr-defined]
    dependency.scope = scope  # type: ignore[attr-defined]
    return dependency


def requires_credentials(dependant: Any) -> bool:
    """Whether a route's dependencies identify the caller (for its OpenAPI security)."""
    if dependant.call is current_principal or hasattr(dependant.call, "allowed_roles"):
        return True
    return any(requires_credentials(sub) for sub in dependant.dependencies)


async def settings_dependency(request: Request) -> Settings:
    settings: Settings = getattr(request.app.state, "settings", None) or get_settings()
    return settings


AppSettings = Annotated[Settings, Depends(settings_dependency)]
