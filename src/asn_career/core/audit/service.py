"""The audit trail: every create, update and delete leaves a row in the same transaction."""

import uuid
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from asn_career.core.audit.models import AuditEntry
from asn_career.core.audit.repository import AuditRepository
from asn_career.core.audit.schemas import AuditFilters
from asn_career.core.auth import Principal
from asn_career.core.observability import current_request_id
from asn_career.core.pagination import PageRequest

# Personal identifiers are never stored in clear in the audit trail; that a change
# happened is kept, the value is not.
MASKED_FIELDS = frozenset({"nik", "key_hash", "secret", "password"})
MASK = "[masked]"


def _jsonable(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (uuid.UUID, Decimal)):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_jsonable(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return value


def diff(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> dict[str, Any]:
    """Changed fields as ``{field: {"before": …, "after": …}}``, with identifiers masked."""
    before = before or {}
    after = after or {}
    changes: dict[str, Any] = {}
    for name in sorted(set(before) | set(after)):
        old, new = _jsonable(before.get(name)), _jsonable(after.get(name))
        if old == new:
            continue
        if name in MASKED_FIELDS:
            old = MASK if old is not None else None
            new = MASK if new is not None else None
        changes[name] = {"before": old, "after": new}
    return changes


class AuditTrail:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.repository = AuditRepository(session)

    async def record(
        self,
        principal: Principal,
        action: str,
        *,
        entity_type: str,
        entity_id: str | uuid.UUID,
        agency_code: str | None,
        before: Mapping[str, Any] | None = None,
        after: Mapping[str, Any] | None = None,
    ) -> AuditEntry:
        entry = AuditEntry(
            actor=principal.subject,
            actor_role=principal.role.value,
            action=action,
            entity_type=entity_type,
            entity_id=str(entity_id),
            agency_code=agency_code,
            changes=diff(before, after),
            request_id=current_request_id(),
            api_key_id=uuid.UUID(principal.api_key_id) if principal.api_key_id else None,
        )
        self.repository.add(entry)
        await self.session.flush()
        return entry

    async def list_page(
        self, principal: Principal, filters: AuditFilters, page: PageRequest
    ) -> tuple[list[AuditEntry], str | None]:
        return await self.repository.list_page(principal, filters, page)
