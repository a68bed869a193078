import uuid
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from asn_career.core.apikeys.models import ApiKey
from asn_career.core.pagination import PageRequest, SortKey, paginate


class ApiKeyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, key: ApiKey) -> None:
        self.session.add(key)

    async def get(self, key_id: uuid.UUID) -> ApiKey | None:
        return await self.session.get(ApiKey, key_id)

    async def get_active_by_lookup(self, lookup: str) -> ApiKey | None:
        stmt = select(ApiKey).where(ApiKey.lookup == lookup, ApiKey.revoked_at.is_(None))
        return (await self.session.scalars(stmt)).one_or_none()

    async def list_page(self, page: PageRequest) -> tuple[list[ApiKey], str | None]:
        return await paginate(
            self.session,
            select(ApiKey),
            [SortKey(ApiKey.created_at), SortKey(ApiKey.id)],
            page,
            lambda key: (key.created_at, key.id),
        )

    @staticmethod
    async def touch(engine: AsyncEngine, key_id: uuid.UUID, when: datetime) -> None:
        async with engine.begin() as conn:
            await conn.execute(update(ApiKey).where(ApiKey.id == key_id).values(last_used_at=when))

    async def all(self) -> list[ApiKey]:
        return list((await self.session.scalars(select(ApiKey).order_by(ApiKey.created_at))).all())
