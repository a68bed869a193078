import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response, status

from asn_career.core.apikeys.models import ApiKey
from asn_career.core.apikeys.schemas import ApiKeyCreate, ApiKeyCreated, ApiKeyOut, ApiKeyUpdate
from asn_career.core.apikeys.service import ApiKeyService
from asn_career.core.auth import Principal, Role, authorize
from asn_career.core.db import DbSession
from asn_career.core.etag import IfMatch, check_if_match, for_write, set_etag
from asn_career.core.pagination import Page, PageParams

router = APIRouter(prefix="/api-keys", tags=["api-keys"])

KeyAdmin = Annotated[Principal, Depends(authorize(Role.ADMIN, scope="api-keys:admin"))]


def _out(key: ApiKey) -> ApiKeyOut:
    return ApiKeyOut.model_validate(key)


async def valid_api_key(
    key_id: uuid.UUID, principal: KeyAdmin, session: DbSession, request: Request
) -> ApiKey:
    return await for_write(request, session, await ApiKeyService(session, principal).get(key_id))


KeyInPath = Annotated[ApiKey, Depends(valid_api_key)]


@router.get("", operation_id="api-keys-list", summary="List API keys")
async def list_keys(principal: KeyAdmin, session: DbSession, page: PageParams) -> Page[ApiKeyOut]:
    keys, next_cursor = await ApiKeyService(session, principal).list_page(page)
    return Page(items=[_out(k) for k in keys], next_cursor=next_cursor)


@router.post(
    "",
    operation_id="api-keys-create",
    status_code=status.HTTP_201_CREATED,
    summary="Issue an API key (the key is shown once)",
)
async def create_key(
    body: ApiKeyCreate, principal: KeyAdmin, session: DbSession, response: Response
) -> ApiKeyCreated:
    key, full_key = await ApiKeyService(session, principal).create_from(body)
    response.headers["Location"] = f"/api/v1/api-keys/{key.id}"
    set_etag(response, key.version)
    return ApiKeyCreated.model_validate({**_out(key).model_dump(), "key": full_key})


@router.get("/{key_id}", operation_id="api-keys-get", summary="One API key")
async def get_key(key: KeyInPath, response: Response) -> ApiKeyOut:
    set_etag(response, key.version)
    return _out(key)


@router.patch("/{key_id}", operation_id="api-keys-update", summary="Rename or rescope a key")
async def update_key(
    key: KeyInPath,
    body: ApiKeyUpdate,
    principal: KeyAdmin,
    session: DbSession,
    response: Response,
    if_match: IfMatch = None,
) -> ApiKeyOut:
    check_if_match(if_match, key.version)
    key = await ApiKeyService(session, principal).update(key, body)
    set_etag(response, key.version)
    return _out(key)


@router.delete("/{key_id}", operation_id="api-keys-revoke", summary="Revoke a key")
async def revoke_key(
    key: KeyInPath,
    principal: KeyAdmin,
    session: DbSession,
    response: Response,
    if_match: IfMatch = None,
) -> ApiKeyOut:
    check_if_match(if_match, key.version)
    key = await ApiKeyService(session, principal).revoke_key(key)
    set_etag(response, key.version)
    return _out(key)
