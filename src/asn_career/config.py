"""Typed settings, read from the environment with the prefix ``ASN_CAREER_``."""

import base64
import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEVELOPMENT_JWT_SECRET = "asn-career-development-secret-not-for-production"  # noqa: S105


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ASN_CAREER_", env_file=".env", extra="ignore")

    env: Literal["development", "test", "production"] = "development"
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL (postgresql+asyncpg://…); unset means an embedded Postgres.",
    )
    data_dir: Path = Path(".data")
    db_pool_size: int = 20
    db_max_overflow: int = 10
    db_statement_timeout_ms: int = 30_000
    db_pool_recycle_seconds: int = 1800

    jwt_secret: SecretStr = SecretStr(DEVELOPMENT_JWT_SECRET)
    jwt_algorithm: Literal["HS256", "RS256"] = "HS256"
    jwt_public_key: str | None = Field(default=None, description="PEM public key for RS256.")
    jwt_jwks_url: str | None = Field(default=None, description="JWKS URL for RS256 (SSO).")
    jwt_issuer: str | None = None
    jwt_audience: str | None = None
    jwt_default_ttl_seconds: int = 3600

    secret_key: SecretStr | None = Field(
        default=None,
        description="Signs pagination cursors and encrypts stored responses; defaults to "
        "the JWT secret. Required in production with RS256.",
    )
    max_body_bytes: int = 10 * 1024 * 1024
    import_max_bytes: int = Field(
        default=200 * 1024 * 1024,
        description="Body limit of POST /api/v1/imports (a file upload), checked while streaming.",
    )
    rate_limit_per_minute: int = Field(
        default=600, description="Requests per minute per caller; 0 disables the limit."
    )
    feedback_public_rate_limit_per_minute: int = Field(
        default=30,
        description="Requests per minute per client address to the public 360° feedback "
        "form (/feedback/public/{token}); 0 disables the limit.",
    )
    feedback_public_base_url: str | None = Field(
        default=None,
        description="Where a public rater's link points: the page that shows the form, "
        "followed by /{token}. A POST of public links may name its own.",
    )
    idempotency_ttl_hours: int = 24
    outbox_retention_days: int = Field(
        default=30,
        ge=1,
        description="Dispatched events, with their webhook deliveries and attempts, are "
        "kept this long.",
    )
    metrics_token: SecretStr | None = Field(
        default=None,
        description="Bearer token Prometheus sends to scrape /metrics. Without one, "
        "/metrics is open in development and test and answers 404 in production.",
    )
    in_process_worker: bool = True
    log_level: str = "INFO"
    log_json: bool = True

    @model_validator(mode="after")
    def _refuse_development_secret_in_production(self) -> "Settings":
        if self.env == "production" and self.app_secret == DEVELOPMENT_JWT_SECRET:
            raise ValueError(
                "ASN_CAREER_ENV=production with the development JWT secret: "
                "set ASN_CAREER_JWT_SECRET (HS256) or ASN_CAREER_SECRET_KEY (RS256)"
            )
        if self.jwt_algorithm == "RS256" and not (self.jwt_public_key or self.jwt_jwks_url):
            raise ValueError("RS256 needs ASN_CAREER_JWT_PUBLIC_KEY or ASN_CAREER_JWT_JWKS_URL")
        return self

    @property
    def app_secret(self) -> str:
        """The server's own secret: ``secret_key``, else the HS256 JWT secret."""
        return (self.secret_key or self.jwt_secret).get_secret_value()

    @property
    def cursor_key(self) -> bytes:
        return hashlib.sha256(b"asn-career cursor|" + self.app_secret.encode()).digest()

    @property
    def storage_key(self) -> bytes:
        """A Fernet key for data the server stores but must not keep in clear."""
        digest = hashlib.sha256(b"asn-career storage|" + self.app_secret.encode()).digest()
        return base64.urlsafe_b64encode(digest)


@lru_cache
def get_settings() -> Settings:
    return Settings()


# --- SIASN (BKN) ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SiasnPaths:
    """Endpoint paths under the base URL; ``{nip}`` is replaced with the NIP."""

    data_utama: str = "/pns/data-utama/{nip}"
    rw_jabatan: str = "/pns/rw-jabatan/{nip}"
    rw_diklat: str = "/pns/rw-diklat/{nip}"
    rw_kursus: str = "/pns/rw-kursus/{nip}"
    rw_skp: str = "/pns/rw-skp/{nip}"
    rw_pendidikan: str = "/pns/rw-pendidikan/{nip}"


@dataclass(frozen=True)
class SiasnCredentials:
    """An office's own credentials (never logged; ``repr`` hides the secrets)."""

    client_id: str
    client_secret: SecretStr
    token_url: str
    user_token: SecretStr | None = None
    sso_url: str | None = None
    sso_client_id: str | None = None
    username: str | None = None
    password: SecretStr | None = None


class SiasnSettings(BaseSettings):
    """``ASN_CAREER_SIASN_*``: the office's own SIASN account (one per deployment), used by
    ``asn-career siasn sync`` and its job. Secrets are ``SecretStr``: never logged."""

    model_config = SettingsConfigDict(
        env_prefix="ASN_CAREER_SIASN_", env_file=".env", extra="ignore"
    )

    base_url: str = "https://apimws.bkn.go.id:8243/apisiasn/1.0"
    token_url: str = "https://apimws.bkn.go.id/oauth2/token"  # noqa: S105 (a URL)
    sso_url: str = (
        "https://sso-siasn.bkn.go.id/auth/realms/public-siasn/protocol/openid-connect/token"
    )
    client_id: str = ""
    client_secret: SecretStr = SecretStr("")
    sso_client_id: str | None = None
    username: str | None = None
    password: SecretStr | None = None
    user_token: SecretStr | None = None
    timeout_seconds: float = 20.0
    path_data_utama: str = SiasnPaths.data_utama
    path_rw_jabatan: str = SiasnPaths.rw_jabatan
    path_rw_diklat: str = SiasnPaths.rw_diklat
    path_rw_kursus: str = SiasnPaths.rw_kursus
    path_rw_skp: str = SiasnPaths.rw_skp
    path_rw_pendidikan: str = SiasnPaths.rw_pendidikan

    def credentials(self) -> SiasnCredentials:
        return SiasnCredentials(
            client_id=self.client_id,
            client_secret=self.client_secret,
            token_url=self.token_url,
            user_token=self.user_token,
            sso_url=self.sso_url,
            sso_client_id=self.sso_client_id,
            username=self.username,
            password=self.password,
        )

    def missing(self) -> list[str]:
        """The settings a call to SIASN needs that are not set (by environment name)."""
        names = [] if self.client_id else ["ASN_CAREER_SIASN_CLIENT_ID"]
        if not self.client_secret.get_secret_value():
            names.append("ASN_CAREER_SIASN_CLIENT_SECRET")
        if self.user_token is None and not (self.username and self.password):
            names.append("ASN_CAREER_SIASN_USER_TOKEN (or _USERNAME and _PASSWORD)")
        return names

    def paths(self) -> SiasnPaths:
        return SiasnPaths(
            data_utama=self.path_data_utama,
            rw_jabatan=self.path_rw_jabatan,
            rw_diklat=self.path_rw_diklat,
            rw_kursus=self.path_rw_kursus,
            rw_skp=self.path_rw_skp,
            rw_pendidikan=self.path_rw_pendidikan,
        )


@lru_cache
def get_siasn_settings() -> SiasnSettings:
    return SiasnSettings()
