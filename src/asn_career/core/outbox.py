"""The event outbox: domain changes become events in the SAME transaction as the change.

A service calls ``emit(session, "employee.created", payload, agency_code)`` next to its
audit record; the row is only flushed, so a rolled-back change emits nothing and a
committed one is never lost. Consumers (webhook delivery) pick pending rows later with
``FOR UPDATE SKIP LOCKED``; they are listed in ``asn_career.registry.OUTBOX_CONSUMERS`` and
the job worker runs them periodically (``core.jobs.runner``).

Event types are listed in ``core.registry.EVENT_TYPES`` (re-exported here for the outbox's
callers); emitting any other raises.
Payloads carry ids, the NIP and changed fields, never the NIK: keys in ``FORBIDDEN_KEYS``
are stripped at any depth, in Python and (for set-based emits) in SQL.
"""

import uuid
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import Enum
from typing import Any

import structlog
from sqlalchemy import (
    DateTime,
    Index,
    Select,
    String,
    delete,
    func,
    insert,
    literal,
    select,
    text,
    type_coerce,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Mapped, mapped_column

from asn_career.core.db import Base, new_uuid, utcnow
from asn_career.core.registry import EVENT_TYPES as EVENT_TYPES

_log = structlog.get_logger("asn_career.outbox")

# --- event types -------------------------------------------------------------------------

FORBIDDEN_KEYS = frozenset({"nik"})
"""Personal identifiers that never leave in an event."""


def known_event_types() -> list[str]:
    return sorted(EVENT_TYPES)


class UnknownEventType(ValueError):
    pass


def _check_type(event_type: str) -> None:
    if event_type not in EVENT_TYPES:
        raise UnknownEventType(
            f"event type {event_type!r} is not registered (core.registry.EVENT_TYPES)"
        )


# --- the table ---------------------------------------------------------------------------


class OutboxEvent(Base):
    """One domain event, written with the change; ``dispatched_at`` is set once consumers
    have taken it (e.g. fanned out to webhook deliveries)."""

    __tablename__ = "outbox_events"
    __table_args__ = (
        Index(
            "ix_outbox_events_pending",
            "occurred_at",
            "id",
            postgresql_where=text("dispatched_at IS NULL"),
        ),
        Index(
            "ix_outbox_events_dispatched_at",
            "dispatched_at",
            postgresql_where=text("dispatched_at IS NOT NULL"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(
        primary_key=True, default=new_uuid, server_default=func.gen_random_uuid()
    )
    event_type: Mapped[str] = mapped_column(String(64))
    agency_code: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB)
    occurred_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now()
    )
    dispatched_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


# --- payload helpers ---------------------------------------------------------------------


def jsonable(value: Any) -> Any:
    """A JSON-ready copy of ``value`` with forbidden keys removed at every depth."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    if isinstance(value, Enum):
        return jsonable(value.value)
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items() if str(k) not in FORBIDDEN_KEYS}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    return value


def changes(
    before: Mapping[str, Any] | None, after: Mapping[str, Any] | None
) -> dict[str, dict[str, Any]]:
    """Changed fields as ``{field: {"before": …, "after": …}}`` (forbidden keys left out)."""
    before, after = before or {}, after or {}
    found: dict[str, dict[str, Any]] = {}
    for name in sorted(set(before) | set(after)):
        if name in FORBIDDEN_KEYS:
            continue
        old, new = jsonable(before.get(name)), jsonable(after.get(name))
        if old != new:
            found[name] = {"before": old, "after": new}
    return found


# --- emitting ----------------------------------------------------------------------------


@dataclass(frozen=True)
class EventRow:
    event_type: str
    payload: Mapping[str, Any]
    agency_code: str


def _values(event_type: str, payload: Mapping[str, Any], agency_code: str) -> dict[str, Any]:
    _check_type(event_type)
    return {
        "id": new_uuid(),
        "event_type": event_type,
        "agency_code": agency_code,
        "payload": jsonable(payload),
        "occurred_at": utcnow(),
    }


async def emit(
    session: AsyncSession, event_type: str, payload: Mapping[str, Any], agency_code: str
) -> uuid.UUID:
    """Record one event in the caller's transaction (flush only; the unit of work commits)."""
    values = _values(event_type, payload, agency_code)
    await session.execute(insert(OutboxEvent).values(**values))
    return uuid.UUID(str(values["id"]))


async def emit_many(session: AsyncSession, rows: Iterable[EventRow]) -> int:
    """Record many events with one multi-row insert (batched by the driver)."""
    values = [_values(r.event_type, r.payload, r.agency_code) for r in rows]
    if values:
        await session.execute(insert(OutboxEvent), values)
    return len(values)


async def emit_select(session: AsyncSession, event_type: str, rows: Select[Any]) -> int:
    """Set-based emit for bulk loads: ``rows`` selects ``(agency_code, payload_jsonb)``,
    e.g. from a staging table, and becomes one ``INSERT … SELECT`` into the outbox.
    Forbidden keys are removed from the payload in SQL (``payload - 'nik'``)."""
    _check_type(event_type)
    source = rows.subquery("emitted")
    agency_col, payload_col = list(source.c)[:2]
    payload: Any = type_coerce(payload_col, JSONB)
    for key in sorted(FORBIDDEN_KEYS):
        payload = payload.op("-")(literal(key))
    # The id comes from the database: a Python-side default would be evaluated once and
    # given to every selected row.
    stmt = insert(OutboxEvent).from_select(
        ["id", "event_type", "agency_code", "payload"],
        select(func.gen_random_uuid(), literal(event_type, String(64)), agency_col, payload),
    )
    result = await session.execute(stmt)
    return int(result.rowcount)  # type: ignore[attr-defined]


# --- consumers ---------------------------------------------------------------------------

OutboxDispatcher = Callable[[async_sessionmaker[AsyncSession]], Awaitable[int]]
"""A consumer of pending events, run by the worker's periodic ``asn.dispatch_outbox``
task; returns how many events it took."""


PURGE_BATCH = 5_000


async def purge_dispatched(
    sessionmaker: async_sessionmaker[AsyncSession], retention_days: int, now: datetime
) -> int:
    """Delete events dispatched more than ``retention_days`` ago; their consumers' rows
    (webhook deliveries and attempts) go with them by cascade. Pending events are kept
    whatever their age: nothing undelivered is lost to the purge. Batches of
    ``PURGE_BATCH``, each its own transaction, so a large backlog holds no long locks."""
    horizon = now - timedelta(days=retention_days)
    doomed = (
        select(OutboxEvent.id)
        .where(OutboxEvent.dispatched_at < horizon)
        .limit(PURGE_BATCH)
        .with_for_update(skip_locked=True)
    )
    purged = 0
    while True:
        async with sessionmaker() as session, session.begin():
            result = await session.execute(
                delete(OutboxEvent).where(OutboxEvent.id.in_(doomed.scalar_subquery()))
            )
        deleted = int(result.rowcount)  # type: ignore[attr-defined]
        purged += deleted
        if deleted < PURGE_BATCH:
            break
    if purged:
        _log.info("outbox_purged", events=purged, retention_days=retention_days)
    return purged


async def run_dispatchers(
    sessionmaker: async_sessionmaker[AsyncSession], consumers: Mapping[str, OutboxDispatcher]
) -> dict[str, int]:
    """Run every consumer once; one failing does not stop the others."""
    done: dict[str, int] = {}
    if not consumers:
        # Events stay pending (nothing is lost), but say why nothing is delivered.
        _log.warning("outbox_no_dispatchers", hint="see asn_career.registry.OUTBOX_CONSUMERS")
    for name, dispatcher in consumers.items():
        try:
            done[name] = await dispatcher(sessionmaker)
        except Exception:
            _log.exception("outbox_dispatcher_failed", dispatcher=name)
            done[name] = -1
    return done
