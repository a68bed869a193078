import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response, status

from asn_career.core.auth import AppSettings, Principal, Role, authorize
from asn_career.core.db import DbSession
from asn_career.core.etag import IfMatch, check_if_match, for_write, set_etag
from asn_career.core.pagination import Page, PageParams
from asn_career.imports.webhooks.models import WebhookSubscription
from asn_career.imports.webhooks.schemas import (
    DeliveryOut,
    DeliveryStatus,
    WebhookCreate,
    WebhookCreated,
    WebhookOut,
)
from asn_career.imports.webhooks.service import WebhookService, webhook_out

router = APIRouter(prefix="/webhooks", tags=["webhooks"])

WebhookAdmin = Annotated[
    Principal,
    Depends(authorize(Role.ADMIN, Role.HR_OFFICER, Role.INTEGRATION, scope="webhooks:admin")),
]


async def visible_webhook(
    webhook_id: uuid.UUID,
    principal: WebhookAdmin,
    session: DbSession,
    settings: AppSettings,
    request: Request,
) -> WebhookSubscription:
    """404 for unknown, deleted and other agencies' subscriptions alike."""
    webhook = await WebhookService(session, principal, settings).get(webhook_id)
    return await for_write(request, session, webhook)


VisibleWebhook = Annotated[WebhookSubscription, Depends(visible_webhook)]


@router.get("", operation_id="webhooks-list", summary="List webhook subscriptions")
async def list_webhooks(
    principal: WebhookAdmin,
    session: DbSession,
    settings: AppSettings,
    page: PageParams,
    agency: Annotated[str | None, Query(max_length=32, description="Only this agency.")] = None,
) -> Page[WebhookOut]:
    items, next_cursor = await WebhookService(session, principal, settings).list_page(agency, page)
    return Page(items=items, next_cursor=next_cursor)


@router.post(
    "",
    operation_id="webhooks-create",
    status_code=status.HTTP_201_CREATED,
    summary="Subscribe a URL to events of an agency (the secret is shown once)",
)
async def create_webhook(
    body: WebhookCreate,
    principal: WebhookAdmin,
    session: DbSession,
    settings: AppSettings,
    response: Response,
) -> WebhookCreated:
    subscription, secret = await WebhookService(session, principal, settings).create(body)
    response.headers["Location"] = f"/api/v1/webhooks/{subscription.id}"
    set_etag(response, subscription.version)
    return WebhookCreated(**webhook_out(subscription).model_dump(), secret=secret)


@router.get("/{webhook_id}", operation_id="webhooks-get", summary="One webhook subscription")
async def get_webhook(subscription: VisibleWebhook, response: Response) -> WebhookOut:
    set_etag(response, subscription.version)
    return webhook_out(subscription)


@router.delete(
    "/{webhook_id}",
    operation_id="webhooks-delete",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a subscription (pending deliveries are cancelled)",
)
async def delete_webhook(
    subscription: VisibleWebhook,
    principal: WebhookAdmin,
    session: DbSession,
    settings: AppSettings,
    if_match: IfMatch = None,
) -> Response:
    check_if_match(if_match, subscription.version)
    await WebhookService(session, principal, settings).delete(subscription)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/{webhook_id}/deliveries",
    operation_id="webhooks-deliveries",
    summary="The delivery log of a subscription, newest first, with every attempt",
)
async def list_deliveries(
    subscription: VisibleWebhook,
    principal: WebhookAdmin,
    session: DbSession,
    settings: AppSettings,
    page: PageParams,
    status_filter: Annotated[DeliveryStatus | None, Query(alias="status")] = None,
) -> Page[DeliveryOut]:
    items, next_cursor = await WebhookService(session, principal, settings).deliveries(
        subscription, status_filter, page
    )
    return Page(items=items, next_cursor=next_cursor)
