"""Integration clients' API keys: issued once, stored hashed, scoped, revocable."""

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from asn_career.core.apikeys.models import ApiKey
from asn_career.core.apikeys.repository import ApiKeyRepository
from asn_career.core.apikeys.schemas import ApiKeyCreate, ApiKeyUpdate
from asn_career.core.audit.service import ChangeRecorder, snapshot
from asn_career.core.auth import Principal, generate_api_key
from asn_career.core.errors import NotFound, field_problem
from asn_career.core.pagination import PageRequest
from asn_career.core.registry import API_KEY_SCOPES


def _snapshot(key: ApiKey) -> dict[str, Any]:
    """What an administrator decides about a key; the hash and usage stamps are not."""
    return snapshot(key, exclude=("lookup", "key_hash", "created_by", "last_used_at"))


def _check_scopes(scopes: list[str]) -> None:
    unknown = sorted(set(scopes) - API_KEY_SCOPES.keys())
    if unknown:
        raise field_problem(
            "scopes",
            f"Unknown scopes: {', '.join(unknown)}",
            f"Cakupan tidak dikenal: {', '.join(unknown)}",
            "scope",
            each=[f"unknown scope {s!r}" for s in unknown],
            each_id=[f"cakupan {s!r} tidak dikenal" for s in unknown],
        )


class ApiKeyService:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal
        self.repository = ApiKeyRepository(session)
        self.changes = ChangeRecorder(session, principal)

    async def create(
        self, name: str, agencies: list[str], scopes: list[str], created_by: str | None = None
    ) -> tuple[ApiKey, str]:
        _check_scopes(scopes)
        full_key, lookup, key_hash = generate_api_key()
        key = ApiKey(
            name=name,
            lookup=lookup,
            key_hash=key_hash,
            agencies=sorted(set(agencies)),
            scopes=sorted(set(scopes)),
            created_by=created_by or self.principal.subject,
        )
        self.repository.add(key)
        await self.changes.created(key, entity_type="api_key", agency_code=None, after=_snapshot)
        return key, full_key

    async def create_from(self, body: ApiKeyCreate) -> tuple[ApiKey, str]:
        return await self.create(body.name, body.agencies, body.scopes)

    async def list_keys(self) -> list[ApiKey]:
        return await self.repository.all()

    async def list_page(self, page: PageRequest) -> tuple[list[ApiKey], str | None]:
        return await self.repository.list_page(page)

    async def get(self, key_id: uuid.UUID) -> ApiKey:
        key = await self.repository.get(key_id)
        if key is None:
            raise NotFound()
        return key

    async def update(self, key: ApiKey, body: ApiKeyUpdate) -> ApiKey:
        before = _snapshot(key)
        if body.scopes is not None:
            _check_scopes(body.scopes)
            key.scopes = sorted(set(body.scopes))
        if body.agencies is not None:
            key.agencies = sorted(set(body.agencies))
        if body.name is not None:
            key.name = body.name
        await self.changes.updated(
            key, entity_type="api_key", agency_code=None, before=before, after=_snapshot
        )
        return key

    async def revoke(self, key_id: uuid.UUID) -> ApiKey:
        key = await self.get(key_id)
        return await self.revoke_key(key)

    async def revoke_key(self, key: ApiKey) -> ApiKey:
        if key.revoked_at is not None:
            return key
        before = _snapshot(key)
        key.revoked_at = datetime.now(UTC)
        await self.changes.changed(
            "revoked", key, entity_type="api_key", agency_code=None, before=before, after=_snapshot
        )
        return key
