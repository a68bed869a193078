"""The raw baseline: Starlette + asyncpg, nothing else.

It answers the two benchmarked endpoints with the same SQL the app's repository issues
(`profiles/employees/repository.py`: `_profile_query` and `search_query`), the same
authorisation semantics (an HS256 bearer token whose `agencies` claim scopes the query) and
the same JSON shape (`EmployeeOut`, `Page[EmployeeListItem]` with a signed keyset cursor) —
but with no dependency injection, validation models, ORM, middleware or unit of work.

Run: `BENCH_DATABASE_URL=postgresql://… uvicorn benchmarks.baseline:app --workers 2`
(`BENCH_JWT_SECRET` defaults to the app's development secret; `BENCH_CURSOR_KEY` is the
app's cursor key in hex).
"""

import base64
import hashlib
import hmac
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg  # type: ignore[import-untyped]
import jwt
import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

DEVELOPMENT_SECRET = "asn-career-development-secret-not-for-production"  # noqa: S105
JWT_SECRET = os.environ.get("BENCH_JWT_SECRET", DEVELOPMENT_SECRET)
# The app signs cursors with a key derived from its secret (Settings.cursor_key), passed hex.
CURSOR_KEY = bytes.fromhex(
    os.environ.get(
        "BENCH_CURSOR_KEY",
        hashlib.sha256(b"asn-career cursor|" + JWT_SECRET.encode()).hexdigest(),
    )
)
READERS = {"admin", "hr_officer", "supervisor", "employee", "integration"}

COLUMNS = (
    "employees.id, employees.nip, employees.name, employees.front_title, "
    "employees.back_title, employees.gender, employees.birth_date, employees.birth_place, "
    "employees.employment_type, employees.appointment_date, employees.rank_code AS rank, "
    "employees.status, employees.agency_code AS agency, employees.unit_id, "
    "employees.position_id, "
    "employees.nik, employees.email, employees.version, employees.created_at, "
    "employees.updated_at"
)


# The app's prepared statements (`profiles/employees/repository.py`) as an HR officer sends
# them: `_profile_query(Role.HR_OFFICER)` and `search_query(…, EmployeeSearch(agency=…,
# status=…), None, limit=51)`; `tests/test_benchmarks.py` checks that they still match.
def get_sql() -> str:
    return (
        f"SELECT {COLUMNS} \nFROM employees \nWHERE employees.nip = $1::VARCHAR "
        "AND employees.agency_code = ANY ($2::VARCHAR[])"
    )


def list_sql() -> str:
    return (
        "SELECT employees.id, employees.nip, employees.name, employees.front_title, "
        "employees.back_title, employees.gender, employees.employment_type, "
        "employees.rank_code AS rank, employees.status, employees.agency_code AS agency, "
        "employees.unit_id, units.name AS unit_name, employees.position_id, "
        "positions.title AS position_title, positions.kind AS position_kind \n"
        "FROM employees LEFT OUTER JOIN units ON units.id = employees.unit_id "
        "LEFT OUTER JOIN positions ON positions.id = employees.position_id \n"
        "WHERE employees.agency_code = ANY ($1::VARCHAR[]) "
        "AND employees.agency_code = $2::VARCHAR AND employees.status = $3::VARCHAR "
        "ORDER BY employees.name, employees.id \n LIMIT $4::INTEGER"
    )


pool: asyncpg.Pool | None = None


def _uuid(value: Any) -> str | None:
    return None if value is None else str(value)


def _problem(status: int, title: str) -> Response:
    body = orjson.dumps({"type": "about:blank", "title": title, "status": status})
    return Response(body, status_code=status, media_type="application/problem+json")


def _principal(request: Request) -> dict[str, Any] | None:
    header = request.headers.get("authorization", "")
    if not header.startswith("Bearer "):
        return None
    try:
        claims: dict[str, Any] = jwt.decode(
            header[7:], JWT_SECRET, algorithms=["HS256"], options={"require": ["sub", "exp"]}
        )
    except jwt.PyJWTError:
        return None
    return claims if claims.get("role") in READERS else None


def _cursor(name: str, employee_id: Any) -> str:
    payload = orjson.dumps([name, ["u", str(employee_id)]])  # as core.pagination encodes
    mac = hmac.new(CURSOR_KEY, payload, hashlib.sha256).digest()[:12]
    return base64.urlsafe_b64encode(payload + mac).decode().rstrip("=")


async def get_employee(request: Request) -> Response:
    claims = _principal(request)
    if claims is None:
        return _problem(401, "Unauthorized")
    assert pool is not None
    agencies = claims.get("agencies") or [""]
    row = await pool.fetchrow(get_sql(), request.path_params["nip"], agencies)
    if row is None:
        return _problem(404, "Not Found")
    body = {
        "id": _uuid(row["id"]),
        "nip": row["nip"],
        "name": row["name"],
        "front_title": row["front_title"],
        "back_title": row["back_title"],
        "gender": row["gender"],
        "birth_date": row["birth_date"],
        "birth_place": row["birth_place"],
        "employment_type": row["employment_type"],
        "appointment_date": row["appointment_date"],
        "rank": row["rank"],
        "status": row["status"],
        "agency": row["agency"],
        "unit_id": _uuid(row["unit_id"]),
        "position_id": _uuid(row["position_id"]),
        "nik": row["nik"],  # HR of the employee's agency sees it in clear
        "email": row["email"],
        "version": row["version"],
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
    }
    return Response(
        orjson.dumps(body, option=orjson.OPT_UTC_Z),
        media_type="application/json",
        headers={"ETag": f'"{row["version"]}"'},
    )


async def list_employees(request: Request) -> Response:
    claims = _principal(request)
    if claims is None:
        return _problem(401, "Unauthorized")
    assert pool is not None
    limit = int(request.query_params.get("limit", "50"))
    agencies = claims.get("agencies") or [""]
    rows = await pool.fetch(
        list_sql(),
        agencies,
        request.query_params.get("agency"),
        request.query_params.get("status"),
        limit + 1,
    )
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        next_cursor = _cursor(rows[-1]["name"], rows[-1]["id"])
    items = [
        {
            "id": _uuid(row["id"]),
            "nip": row["nip"],
            "name": row["name"],
            "front_title": row["front_title"],
            "back_title": row["back_title"],
            "gender": row["gender"],
            "employment_type": row["employment_type"],
            "rank": row["rank"],
            "status": row["status"],
            "agency": row["agency"],
            "unit_id": _uuid(row["unit_id"]),
            "unit_name": row["unit_name"],
            "position_id": _uuid(row["position_id"]),
            "position_title": row["position_title"],
            "position_kind": row["position_kind"],
        }
        for row in rows
    ]
    body = orjson.dumps({"items": items, "next_cursor": next_cursor})
    return Response(body, media_type="application/json")


@asynccontextmanager
async def lifespan(_app: Starlette) -> AsyncIterator[None]:
    global pool
    pool = await asyncpg.create_pool(
        os.environ["BENCH_DATABASE_URL"],
        min_size=2,
        max_size=int(os.environ.get("BENCH_POOL", "10")),
    )
    try:
        yield
    finally:
        await pool.close()


app = Starlette(
    routes=[
        Route("/api/v1/employees", list_employees),
        Route("/api/v1/employees/{nip}", get_employee),
    ],
    lifespan=lifespan,
)
