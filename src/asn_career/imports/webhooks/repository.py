"""Every query of webhooks: subscriptions (scoped to the caller's agencies in the query),
the delivery log, and the worker's claims on the outbox and on due deliveries."""

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    DateTime,
    SmallInteger,
    String,
    and_,
    any_,
    func,
    insert,
    literal,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from asn_career.core.auth import Principal
from asn_career.core.outbox import OutboxEvent
from asn_career.core.pagination import PageRequest, SortKey, paginate
from asn_career.imports.webhooks.models import (
    WebhookDelivery,
    WebhookDeliveryAttempt,
    WebhookSubscription,
)
from asn_career.org.models import Agency


class WebhookRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # --- subscriptions -------------------------------------------------------------------

    def add(self, subscription: WebhookSubscription) -> None:
        self.session.add(subscription)

    async def agency_exists(self, code: str) -> bool:
        found = await self.session.scalar(select(Agency.code).where(Agency.code == code))
        return found is not None

    async def get_visible(
        self, principal: Principal, webhook_id: uuid.UUID
    ) -> WebhookSubscription | None:
        stmt = select(WebhookSubscription).where(
            WebhookSubscription.id == webhook_id,
            WebhookSubscription.deleted_at.is_(None),
            principal.agency_clause(WebhookSubscription.agency_code),
        )
        return (await self.session.scalars(stmt)).one_or_none()

    async def list_page(
        self, principal: Principal, agency: str | None, page: PageRequest
    ) -> tuple[list[WebhookSubscription], str | None]:
        stmt = select(WebhookSubscription).where(
            WebhookSubscription.deleted_at.is_(None),
            principal.agency_clause(WebhookSubscription.agency_code),
        )
        if agency is not None:
            stmt = stmt.where(WebhookSubscription.agency_code == agency)
        return await paginate(
            self.session,
            stmt,
            [SortKey(WebhookSubscription.created_at), SortKey(WebhookSubscription.id)],
            page,
            lambda s: (s.created_at, s.id),
        )

    async def cancel_pending(self, subscription_id: uuid.UUID) -> int:
        result = await self.session.execute(
            update(WebhookDelivery)
            .where(
                WebhookDelivery.subscription_id == subscription_id,
                WebhookDelivery.status == "pending",
            )
            .values(status="cancelled", next_attempt_at=None)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    # --- the delivery log ----------------------------------------------------------------

    async def deliveries_page(
        self, subscription_id: uuid.UUID, status: str | None, page: PageRequest
    ) -> tuple[list[WebhookDelivery], str | None]:
        stmt = select(WebhookDelivery).where(WebhookDelivery.subscription_id == subscription_id)
        if status is not None:
            stmt = stmt.where(WebhookDelivery.status == status)
        return await paginate(
            self.session,
            stmt,
            [
                SortKey(WebhookDelivery.created_at, descending=True),
                SortKey(WebhookDelivery.id, descending=True),
            ],
            page,
            lambda d: (d.created_at, d.id),
        )

    async def attempts_of(
        self, delivery_ids: Sequence[uuid.UUID]
    ) -> dict[uuid.UUID, list[WebhookDeliveryAttempt]]:
        found: dict[uuid.UUID, list[WebhookDeliveryAttempt]] = {d: [] for d in delivery_ids}
        if not delivery_ids:
            return found
        stmt = (
            select(WebhookDeliveryAttempt)
            .where(WebhookDeliveryAttempt.delivery_id.in_(list(delivery_ids)))
            .order_by(WebhookDeliveryAttempt.delivery_id, WebhookDeliveryAttempt.attempt)
        )
        for attempt in (await self.session.scalars(stmt)).all():
            found[attempt.delivery_id].append(attempt)
        return found

    # --- the worker ----------------------------------------------------------------------

    async def fan_out(self, now: datetime, limit: int) -> int:
        """Claim pending outbox events (``SKIP LOCKED``), create one delivery per matching
        active subscription of the event's agency, and mark the events dispatched.
        Returns the number of events taken."""
        claimed = (
            (
                await self.session.execute(
                    select(OutboxEvent.id)
                    .where(OutboxEvent.dispatched_at.is_(None))
                    .order_by(OutboxEvent.occurred_at, OutboxEvent.id)
                    .limit(limit)
                    .with_for_update(skip_locked=True)
                )
            )
            .scalars()
            .all()
        )
        if not claimed:
            return 0
        matches = (
            select(
                func.gen_random_uuid(),
                WebhookSubscription.id,
                OutboxEvent.id,
                OutboxEvent.event_type,
                literal("pending", String(16)),
                literal(0, SmallInteger),
                literal(now, DateTime(timezone=True)),
                literal(now, DateTime(timezone=True)),
            )
            .select_from(OutboxEvent)
            .join(
                WebhookSubscription,
                and_(
                    WebhookSubscription.agency_code == OutboxEvent.agency_code,
                    WebhookSubscription.active.is_(True),
                    WebhookSubscription.deleted_at.is_(None),
                    OutboxEvent.event_type == any_(WebhookSubscription.event_types),
                ),
            )
            .where(OutboxEvent.id.in_(claimed))
        )
        await self.session.execute(
            insert(WebhookDelivery).from_select(
                [
                    "id",
                    "subscription_id",
                    "event_id",
                    "event_type",
                    "status",
                    "attempts",
                    "next_attempt_at",
                    "created_at",
                ],
                matches,
            )
        )
        await self.session.execute(
            update(OutboxEvent).where(OutboxEvent.id.in_(claimed)).values(dispatched_at=now)
        )
        return len(claimed)

    async def claim_due(self, now: datetime, limit: int) -> list[Any]:
        """Due pending deliveries with their event and subscription, locked for this
        worker (``FOR UPDATE OF webhook_deliveries SKIP LOCKED``)."""
        stmt = (
            select(WebhookDelivery, OutboxEvent, WebhookSubscription)
            .join(OutboxEvent, OutboxEvent.id == WebhookDelivery.event_id)
            .join(WebhookSubscription, WebhookSubscription.id == WebhookDelivery.subscription_id)
            .where(
                WebhookDelivery.status == "pending",
                WebhookDelivery.next_attempt_at <= now,
            )
            .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
            .limit(limit)
            .with_for_update(of=WebhookDelivery, skip_locked=True)
        )
        return list((await self.session.execute(stmt)).all())

    def add_attempt(self, attempt: WebhookDeliveryAttempt) -> None:
        self.session.add(attempt)
