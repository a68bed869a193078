from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from asn_career.core.audit.models import AuditEntry
from asn_career.core.audit.schemas import AuditFilters
from asn_career.core.auth import Principal
from asn_career.core.pagination import PageRequest, SortKey, paginate


class AuditRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, entry: AuditEntry) -> None:
        self.session.add(entry)

    async def list_page(
        self, principal: Principal, filters: AuditFilters, page: PageRequest
    ) -> tuple[list[AuditEntry], str | None]:
        stmt = select(AuditEntry)
        if not principal.is_admin:
            # Entries without an agency (platform changes) stay with admins.
            stmt = stmt.where(principal.agency_clause(AuditEntry.agency_code))
        if filters.agency:
            stmt = stmt.where(AuditEntry.agency_code == filters.agency)
        if filters.entity_type:
            stmt = stmt.where(AuditEntry.entity_type == filters.entity_type)
        if filters.entity_id:
            stmt = stmt.where(AuditEntry.entity_id == filters.entity_id)
        if filters.nip:
            stmt = stmt.where(AuditEntry.nip == filters.nip)
        if filters.actor:
            stmt = stmt.where(AuditEntry.actor == filters.actor)
        if filters.action:
            stmt = stmt.where(AuditEntry.action == filters.action)
        if filters.since:
            stmt = stmt.where(AuditEntry.occurred_at >= filters.since)
        if filters.until:
            stmt = stmt.where(AuditEntry.occurred_at < filters.until)
        return await paginate(
            self.session,
            stmt,
            [SortKey(AuditEntry.id, descending=True)],
            page,
            lambda row: (row.id,),
        )
