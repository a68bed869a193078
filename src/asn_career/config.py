"""Typed settings, read from the environment with the prefix ``ASN_CAREER_``."""

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
    db_pool_size: int = 10
    db_max_overflow: int = 10
    db_statement_timeout_ms: int = 30_000

    jwt_secret: SecretStr = SecretStr(DEVELOPMENT_JWT_SECRET)
    jwt_algorithm: Literal["HS256", "RS256"] = "HS256"
    jwt_public_key: str | None = Field(default=None, description="PEM public key for RS256.")
    jwt_jwks_url: str | None = Field(default=None, description="JWKS URL for RS256 (SSO).")
    jwt_issuer: str | None = None
    jwt_audience: str | None = None
    jwt_default_ttl_seconds: int = 3600

    cursor_secret: SecretStr | None = Field(
        default=None, description="Signs pagination cursors; defaults to the JWT secret."
    )
    max_body_bytes: int = 10 * 1024 * 1024
    rate_limit_per_minute: int = Field(
        default=600, description="Requests per minute per caller; 0 disables the limit."
    )
    idempotency_ttl_hours: int = 24
    in_process_worker: bool = True
    log_level: str = "INFO"
    log_json: bool = True

    @model_validator(mode="after")
    def _refuse_development_secret_in_production(self) -> "Settings":
        if (
            self.env == "production"
            and self.jwt_algorithm == "HS256"
            and self.jwt_secret.get_secret_value() == DEVELOPMENT_JWT_SECRET
        ):
            raise ValueError(
                "ASN_CAREER_ENV=production with the development JWT secret: "
                "set ASN_CAREER_JWT_SECRET or use RS256"
            )
        if self.jwt_algorithm == "RS256" and not (self.jwt_public_key or self.jwt_jwks_url):
            raise ValueError("RS256 needs ASN_CAREER_JWT_PUBLIC_KEY or ASN_CAREER_JWT_JWKS_URL")
        return self

    @property
    def cursor_key(self) -> bytes:
        secret = self.cursor_secret or self.jwt_secret
        return secret.get_secret_value().encode()


@lru_cache
def get_settings() -> Settings:
    return Settings()
