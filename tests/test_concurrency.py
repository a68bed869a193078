"""ETag / If-Match and Idempotency-Key."""

import asyncio
import uuid

import orjson
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import func, select, text
from starlette.types import Message

from asn_career.core.apikeys.models import ApiKey
from asn_career.core.idempotency import advisory_lock_id, idempotency_record_key

BODY = {"name": "SIASN", "agencies": ["36.74"], "scopes": ["jobs:read"]}


async def test_stale_if_match_is_412(client: AsyncClient, admin: dict[str, str]) -> None:
    created = await client.post("/api/v1/api-keys", json=BODY, headers=admin)
    key_id, etag = created.json()["id"], created.headers["etag"]
    first = await client.patch(
        f"/api/v1/api-keys/{key_id}", json={"name": "a"}, headers={**admin, "If-Match": etag}
    )
    assert first.status_code == 200
    assert first.headers["etag"] != etag
    stale = await client.patch(
        f"/api/v1/api-keys/{key_id}", json={"name": "b"}, headers={**admin, "If-Match": etag}
    )
    assert stale.status_code == 412
    assert stale.headers["content-type"].startswith("application/problem+json")
    stale_delete = await client.delete(
        f"/api/v1/api-keys/{key_id}", headers={**admin, "If-Match": etag}
    )
    assert stale_delete.status_code == 412
    current = await client.get(f"/api/v1/api-keys/{key_id}", headers=admin)
    assert current.json()["name"] == "a"
    assert current.headers["etag"] == first.headers["etag"]


async def _count_keys(app: FastAPI) -> int:
    async with app.state.sessionmaker() as session:
        return int((await session.scalar(select(func.count()).select_from(ApiKey))) or 0)


async def test_idempotency_key_replays_the_first_response(
    client: AsyncClient, admin: dict[str, str], app: FastAPI
) -> None:
    headers = {**admin, "Idempotency-Key": str(uuid.uuid4())}
    first = await client.post("/api/v1/api-keys", json=BODY, headers=headers)
    again = await client.post("/api/v1/api-keys", json=BODY, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert await _count_keys(app) == 1

    async with app.state.engine.connect() as conn:
        stored = (await conn.execute(text("SELECT body FROM idempotency_records"))).scalar_one()
    assert first.json()["key"].encode() not in stored  # the key shown once is not kept in clear

    other_body = await client.post(
        "/api/v1/api-keys", json={**BODY, "name": "other"}, headers=headers
    )
    assert other_body.status_code == 422
    assert await _count_keys(app) == 1


async def test_idempotency_key_is_per_caller(
    client: AsyncClient, admin: dict[str, str], auth: object, app: FastAPI
) -> None:
    from asn_career.core.auth import Role

    assert callable(auth)
    key = str(uuid.uuid4())
    other_admin = auth(Role.ADMIN, sub="another-admin")
    await client.post("/api/v1/api-keys", json=BODY, headers={**admin, "Idempotency-Key": key})
    await client.post(
        "/api/v1/api-keys", json=BODY, headers={**other_admin, "Idempotency-Key": key}
    )
    assert await _count_keys(app) == 2


async def test_same_key_while_first_still_runs_is_409(
    client: AsyncClient, admin: dict[str, str], app: FastAPI
) -> None:
    key = str(uuid.uuid4())
    lock = advisory_lock_id(
        idempotency_record_key("jwt:admin@all:admin", "/api/v1/api-keys", key.encode())
    )
    async with app.state.engine.connect() as holder:
        # Stand in for a first request that is still running: it holds the key's lock.
        await holder.execute(text("SELECT pg_advisory_lock(:k)"), {"k": lock})
        await holder.commit()
        response = await client.post(
            "/api/v1/api-keys", json=BODY, headers={**admin, "Idempotency-Key": key}
        )
        assert response.status_code == 409
        await holder.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": lock})
        await holder.commit()
    assert await _count_keys(app) == 0
    retry = await client.post(
        "/api/v1/api-keys", json=BODY, headers={**admin, "Idempotency-Key": key}
    )
    assert retry.status_code == 201


async def test_the_answer_leaves_only_once_stored_and_unlocked(
    app: FastAPI, admin: dict[str, str]
) -> None:
    """A client that retries the moment it has the answer must get a replay, not a 409:
    when the first byte goes out, the record is stored and the key's lock is free."""
    key = str(uuid.uuid4())
    lock = advisory_lock_id(
        idempotency_record_key("jwt:admin@all:admin", "/api/v1/api-keys", key.encode())
    )
    body = orjson.dumps(BODY)
    headers = [
        (b"content-type", b"application/json"),
        (b"idempotency-key", key.encode()),
        (b"authorization", admin["Authorization"].encode()),
    ]
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
        "scheme": "http", "path": "/api/v1/api-keys", "raw_path": b"/api/v1/api-keys",
        "query_string": b"", "root_path": "", "headers": headers,
        "client": ("127.0.0.1", 1), "server": ("testserver", 80), "app": app,
    }  # fmt: skip
    seen: dict[str, object] = {}

    async def receive() -> Message:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: Message) -> None:
        if message["type"] == "http.response.start":
            seen["status"] = message["status"]
            async with app.state.engine.connect() as conn:
                seen["stored"] = (
                    await conn.execute(text("SELECT count(*) FROM idempotency_records"))
                ).scalar_one()
                seen["lock_free"] = (
                    await conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": lock})
                ).scalar_one()
                await conn.execute(text("SELECT pg_advisory_unlock_all()"))
                await conn.commit()

    await app(scope, receive, send)
    assert seen == {"status": 201, "stored": 1, "lock_free": True}


async def test_the_same_json_in_another_key_order_replays(
    client: AsyncClient, admin: dict[str, str], app: FastAPI
) -> None:
    headers = {**admin, "Idempotency-Key": str(uuid.uuid4()), "Content-Type": "application/json"}
    first = await client.post("/api/v1/api-keys", content=orjson.dumps(BODY), headers=headers)
    reordered = orjson.dumps(dict(reversed(BODY.items())))
    assert reordered != orjson.dumps(BODY)
    again = await client.post("/api/v1/api-keys", content=b" " + reordered, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.headers["idempotent-replayed"] == "true"
    assert await _count_keys(app) == 1


async def test_problems_written_by_middleware_carry_the_request_id(
    client: AsyncClient, admin: dict[str, str], app: FastAPI
) -> None:
    key = str(uuid.uuid4())
    lock = advisory_lock_id(
        idempotency_record_key("jwt:admin@all:admin", "/api/v1/api-keys", key.encode())
    )
    async with app.state.engine.connect() as holder:
        await holder.execute(text("SELECT pg_advisory_lock(:k)"), {"k": lock})
        await holder.commit()
        busy = await client.post(
            "/api/v1/api-keys",
            json=BODY,
            headers={**admin, "Idempotency-Key": key, "X-Request-ID": "req-busy"},
        )
        await holder.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": lock})
        await holder.commit()
    assert (busy.status_code, busy.json()["request_id"]) == (409, "req-busy")
    unsupported = await client.post(
        "/api/v1/api-keys",
        content=b"name=x",
        headers={**admin, "Content-Type": "text/plain", "X-Request-ID": "req-415"},
    )
    assert (unsupported.status_code, unsupported.json()["request_id"]) == (415, "req-415")


async def test_writes_without_if_match_wait_for_each_other_instead_of_412(
    client: AsyncClient, admin: dict[str, str]
) -> None:
    """412 says "changed since you read it"; a write that read nothing (no If-Match) is
    last-writer-wins, serialised on the row, and never answered 412."""
    created = await client.post("/api/v1/api-keys", json=BODY, headers=admin)
    url = f"/api/v1/api-keys/{created.json()['id']}"
    names = [f"kunci {n}" for n in range(12)]
    answers = await asyncio.gather(
        *(client.patch(url, json={"name": name}, headers=admin) for name in names)
    )
    assert [a.status_code for a in answers] == [200] * len(names)
    final = await client.get(url, headers=admin)
    assert final.headers["etag"] == f'"{1 + len(names)}"'
    assert final.json()["name"] in names
    # A stale If-Match is still refused.
    stale = await client.patch(url, json={"name": "x"}, headers={**admin, "If-Match": '"1"'})
    assert stale.status_code == 412
    revokes = await asyncio.gather(*(client.delete(url, headers=admin) for _ in range(4)))
    assert [r.status_code for r in revokes] == [200] * 4  # revoking is idempotent
