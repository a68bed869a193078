"""The audit trail: every create, update and delete leaves a row in the same transaction.

Services record a change with ``ChangeRecorder`` (``created`` / ``updated`` / ``deleted`` /
``changed``): it flushes, writes the audit row with the before and after snapshots
(``snapshot``: the entity's mapped columns) and, when the change is also an event, emits
it to the outbox in the same transaction.
"""

import copy
import uuid
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any, NotRequired, TypedDict, Unpack

from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import AsyncSession

from asn_career.core.audit.models import AuditEntry
from asn_career.core.audit.repository import AuditRepository
from asn_career.core.audit.schemas import AuditFilters
from asn_career.core.auth import Principal
from asn_career.core.observability import current_request_id
from asn_career.core.outbox import emit
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
        nip: str | None = None,
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
            nip=nip,
        )
        self.repository.add(entry)
        await self.session.flush()
        return entry

    async def list_page(
        self, principal: Principal, filters: AuditFilters, page: PageRequest
    ) -> tuple[list[AuditEntry], str | None]:
        return await self.repository.list_page(principal, filters, page)


BOOKKEEPING = frozenset({"id", "version", "created_at", "updated_at"})
"""Columns every snapshot leaves out: the entity id is the audit row's own, and the version
and timestamps change with every write."""

Snapshot = Mapping[str, Any]
SnapshotOf = Callable[[Any], Snapshot]
"""Takes the snapshot of an entity (called after the flush)."""
EventPayload = Callable[[Snapshot | None, Snapshot | None], Mapping[str, Any]]
"""Builds an outbox payload from the before and after snapshots of a change."""


class Change(TypedDict):
    """What every change names: the audited entity type and agency, and the payload of
    its outbox event (built from the snapshots) when it emits one. The event type itself
    is a named parameter of each method, so ``tests/test_registries.py`` can follow it."""

    entity_type: str
    agency_code: str | None
    nip: NotRequired[str]
    """The employee the change concerns, so the audit trail is found by NIP."""
    payload: NotRequired[EventPayload]


def snapshot(
    row: object, *, exclude: Iterable[str] = (), extra: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The values an audit row compares: the entity's mapped columns less ``BOOKKEEPING``
    and ``exclude``, plus ``extra`` (values computed from other tables). Containers are
    copied, so a later in-place change cannot alter a ``before`` already taken."""
    skipped = BOOKKEEPING.union(exclude)
    values = {
        attr.key: copy.deepcopy(getattr(row, attr.key))
        for attr in inspect(row).mapper.column_attrs
        if attr.key not in skipped
    }
    return {**values, **(extra or {})}


class ChangeRecorder:
    """One call per change: flush, audit row (``{entity_type}.{verb}``, before and after
    snapshots, agency) and, when ``event`` is given, its outbox event, all in the caller's
    transaction. The ``after`` snapshot is taken after the flush, so that it holds what
    was written; the audited id is the entity's primary key."""

    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal
        self.trail = AuditTrail(session)

    async def created(
        self,
        row: object,
        *,
        after: SnapshotOf,
        event: str | None = None,
        **change: Unpack[Change],
    ) -> None:
        await self.changed("created", row, before=None, after=after, event=event, **change)

    async def updated(
        self,
        row: object,
        *,
        before: Snapshot,
        after: SnapshotOf,
        event: str | None = None,
        unless_unchanged: bool = False,
        **change: Unpack[Change],
    ) -> None:
        """``unless_unchanged`` records nothing when the snapshots are equal."""
        await self.changed(
            "updated",
            row,
            before=before,
            after=after,
            event=event,
            unless_unchanged=unless_unchanged,
            **change,
        )

    async def deleted(
        self,
        row: object,
        *,
        before: Snapshot,
        after: SnapshotOf | None = None,
        event: str | None = None,
        **change: Unpack[Change],
    ) -> None:
        """``after`` for a soft delete, whose row stays with a ``deleted_at``."""
        await self.changed("deleted", row, before=before, after=after, event=event, **change)

    async def changed(
        self,
        verb: str,
        row: object,
        *,
        before: Snapshot | None,
        after: SnapshotOf | None,
        event: str | None = None,
        unless_unchanged: bool = False,
        **change: Unpack[Change],
    ) -> None:
        """Any change, e.g. ``revoked``; ``created`` and the others name theirs."""
        await self.session.flush()
        after_values = after(row) if after is not None else None
        if unless_unchanged and after_values == before:
            return
        state = inspect(row)
        assert state.identity is not None and len(state.identity) == 1, "one-column key"
        entity_type, agency_code = change["entity_type"], change["agency_code"]
        await self.trail.record(
            self.principal,
            f"{entity_type}.{verb}",
            entity_type=entity_type,
            entity_id=state.identity[0],
            agency_code=agency_code,
            before=before,
            after=after_values,
            nip=change.get("nip"),
        )
        payload = change.get("payload")
        if event is not None:
            assert payload is not None and agency_code is not None, "an event needs both"
            await emit(self.session, event, payload(before, after_values), agency_code)
