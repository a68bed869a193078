"""Webhook subscriptions: who may create them, what URL and events they may use, the
secret (shown once, stored encrypted), the audit trail, and the delivery log."""

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from asn_career.config import Settings
from asn_career.core.audit.service import ChangeRecorder, snapshot
from asn_career.core.auth import Principal
from asn_career.core.errors import AppError, NotFound, field_problem
from asn_career.core.outbox import EVENT_TYPES, known_event_types
from asn_career.core.pagination import PageRequest
from asn_career.imports.webhooks.models import WebhookSubscription
from asn_career.imports.webhooks.repository import WebhookRepository
from asn_career.imports.webhooks.schemas import (
    DeliveryAttemptOut,
    DeliveryOut,
    WebhookCreate,
    WebhookOut,
)
from asn_career.imports.webhooks.security import (
    SecretKeyMissing,
    UrlProblem,
    WebhookSettings,
    check_url,
    encrypt_secret,
    generate_secret,
    get_webhook_settings,
    secret_hint,
)


class WebhooksNotConfigured(AppError):
    status = 503
    code = "webhooks_not_configured"


def _snapshot(subscription: WebhookSubscription) -> dict[str, Any]:
    """Never the secret, even encrypted: its prefix says which one is in use."""
    return snapshot(subscription, exclude=("secret_encrypted", "created_by"))


def webhook_out(subscription: WebhookSubscription) -> WebhookOut:
    return WebhookOut(
        id=subscription.id,
        agency=subscription.agency_code,
        url=subscription.url,
        event_types=list(subscription.event_types),
        description=subscription.description,
        active=subscription.active,
        secret_prefix=subscription.secret_prefix,
        created_by=subscription.created_by,
        created_at=subscription.created_at,
        updated_at=subscription.updated_at,
        version=subscription.version,
    )


class WebhookService:
    def __init__(
        self,
        session: AsyncSession,
        principal: Principal,
        settings: Settings,
        options: WebhookSettings | None = None,
    ) -> None:
        self.session = session
        self.principal = principal
        self.settings = settings
        self.options = options or get_webhook_settings()
        self.repository = WebhookRepository(session)
        self.changes = ChangeRecorder(session, principal)

    def _check_events(self, event_types: list[str]) -> list[str]:
        unknown = sorted(set(event_types) - EVENT_TYPES.keys())
        if unknown:
            known = ", ".join(known_event_types())
            raise field_problem(
                "event_types",
                f"Unknown event types: {', '.join(unknown)} (known: {known})",
                f"Jenis peristiwa tidak dikenal: {', '.join(unknown)} (yang dikenal: {known})",
                "event_type",
                each=[f"unknown event type {name!r}" for name in unknown],
                each_id=[f"jenis peristiwa {name!r} tidak dikenal" for name in unknown],
            )
        return sorted(set(event_types))

    def _check_url(self, url: str) -> str:
        try:
            return check_url(
                url, production=self.settings.env == "production", options=self.options
            )
        except UrlProblem as exc:
            raise field_problem("url", exc.message, exc.message_id, "url") from exc

    async def create(self, body: WebhookCreate) -> tuple[WebhookSubscription, str]:
        """The new subscription and its secret (the only time the secret is returned)."""
        self.principal.require_agency(body.agency)
        url = self._check_url(body.url)
        event_types = self._check_events(body.event_types)
        if not await self.repository.agency_exists(body.agency):
            raise field_problem(
                "agency", f"unknown agency {body.agency!r}", "instansi tidak dikenal", "agency"
            )
        secret = body.secret or generate_secret()
        try:
            encrypted = encrypt_secret(secret, self.settings, self.options)
        except SecretKeyMissing as exc:
            raise WebhooksNotConfigured(str(exc)) from exc
        subscription = WebhookSubscription(
            agency_code=body.agency,
            url=url,
            event_types=event_types,
            description=body.description,
            secret_encrypted=encrypted,
            secret_prefix=secret_hint(secret),
            active=body.active,
            created_by=self.principal.subject,
        )
        self.repository.add(subscription)
        await self.changes.created(
            subscription,
            entity_type="webhook",
            agency_code=subscription.agency_code,
            after=_snapshot,
        )
        return subscription, secret

    async def get(self, webhook_id: uuid.UUID) -> WebhookSubscription:
        subscription = await self.repository.get_visible(self.principal, webhook_id)
        if subscription is None:
            raise NotFound()
        return subscription

    async def list_page(
        self, agency: str | None, page: PageRequest
    ) -> tuple[list[WebhookOut], str | None]:
        rows, cursor = await self.repository.list_page(self.principal, agency, page)
        return [webhook_out(r) for r in rows], cursor

    async def delete(self, subscription: WebhookSubscription) -> None:
        """Soft delete: the subscription stops receiving and disappears from the API; its
        pending deliveries are cancelled; the log stays for the audit."""
        before = _snapshot(subscription)
        subscription.active = False
        subscription.deleted_at = datetime.now(UTC)
        await self.changes.deleted(
            subscription,
            entity_type="webhook",
            agency_code=subscription.agency_code,
            before=before,
            after=_snapshot,
        )
        await self.repository.cancel_pending(subscription.id)

    async def deliveries(
        self, subscription: WebhookSubscription, status: str | None, page: PageRequest
    ) -> tuple[list[DeliveryOut], str | None]:
        rows, cursor = await self.repository.deliveries_page(subscription.id, status, page)
        attempts = await self.repository.attempts_of([r.id for r in rows])
        return [
            DeliveryOut(
                id=r.id,
                event_id=r.event_id,
                event_type=r.event_type,
                status=r.status,
                attempts=r.attempts,
                next_attempt_at=r.next_attempt_at,
                last_status_code=r.last_status_code,
                last_error=r.last_error,
                delivered_at=r.delivered_at,
                created_at=r.created_at,
                attempt_log=[DeliveryAttemptOut.model_validate(a) for a in attempts[r.id]],
            )
            for r in rows
        ], cursor
