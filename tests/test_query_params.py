"""Unknown query parameters are a 422 on every API route, naming the accepted ones."""

import re
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from httpx import AsyncClient

from asn_career.core.auth import Role
from asn_career.core.query import accepted_query_names
from tests.conftest import AGENCY_A, TokenFactory
from tests.org.conftest import Org

POSITION_FILTERS = {"agency", "unit_id", "include_subunits", "kind", "vacant", "limit", "cursor"}


def _unknown(body: dict[str, Any]) -> list[str]:
    assert body["status"] == 422
    assert {e["type"] for e in body["errors"]} == {"unknown_parameter"}
    return [e["loc"][1] for e in body["errors"] if e["loc"][0] == "query"]


async def test_a_misspelt_filter_is_refused_naming_the_right_one(
    client: AsyncClient, admin: dict[str, str]
) -> None:
    org = Org(client, admin)
    await org.agency(AGENCY_A)
    unit = await org.unit(AGENCY_A, "BKPSDM", kind="badan")
    await org.position(unit["id"], "ANALIS")
    response = await client.get("/api/v1/positions?is_vacant=false", headers=admin)
    assert response.status_code == 422
    body = response.json()
    assert _unknown(body) == ["is_vacant"]
    accepted = body["errors"][0]["msg"].split("accepts: ")[1].rstrip(".").split(", ")
    assert set(accepted) == POSITION_FILTERS
    assert "is_vacant" in body["detail"] and "vacant" in body["detail"]

    indonesian = await client.get(
        "/api/v1/positions?is_vacant=false", headers={**admin, "Accept-Language": "id"}
    )
    assert "tidak dikenal" in indonesian.json()["detail"]

    # The right name still filters.
    listed = await client.get("/api/v1/positions?vacant=true&limit=5", headers=admin)
    assert listed.status_code == 200
    assert [p["code"] for p in listed.json()["items"]] == ["ANALIS"]
    held = await client.get("/api/v1/positions?vacant=false", headers=admin)
    assert held.status_code == 200 and held.json()["items"] == []


async def test_every_unknown_parameter_is_named(client: AsyncClient, admin: dict[str, str]) -> None:
    response = await client.get("/api/v1/employees?q=siti&zzz=1&yyy=2&zzz=3", headers=admin)
    assert response.status_code == 422
    assert _unknown(response.json()) == ["zzz", "yyy"]


async def test_aliases_and_query_models_count(app: FastAPI) -> None:
    routes = {
        (str(c.path), m): c.original_route
        for c in iter_route_contexts(app.routes)
        if isinstance(c.original_route, APIRoute)
        for m in c.methods or ()
    }
    exports = accepted_query_names(routes[("/api/v1/exports/{kind}", "GET")])
    assert exports is not None and "format" in exports and "fmt" not in exports
    employees = accepted_query_names(routes[("/api/v1/employees", "GET")])
    assert employees is not None and {"q", "rank_min", "status", "limit"} <= employees
    assert accepted_query_names(routes[("/api/v1/employees/{nip}", "GET")]) == frozenset()


def _caller(route: Any, auth: TokenFactory) -> dict[str, str]:
    """An admin, or for a route admins may not call (a rater's own requests) a caller of
    the first role it allows."""
    roles = set(Role)
    pending = [route.dependant]
    while pending:
        dependant = pending.pop()
        roles &= set(getattr(dependant.call, "allowed_roles", roles))
        pending += dependant.dependencies
    role = Role.ADMIN if Role.ADMIN in roles else sorted(roles)[0]
    return auth(role, AGENCY_A)


async def test_every_api_get_route_refuses_an_unknown_parameter(
    app: FastAPI, client: AsyncClient, auth: TokenFactory
) -> None:
    """Walks the app, so a route added later is covered too."""
    checked = []
    for context in iter_route_contexts(app.routes):
        path = str(context.path)
        if "GET" not in (context.methods or ()) or not path.startswith("/api/"):
            continue
        url = re.sub(r"\{[^}]+\}", "00000000-0000-4000-8000-000000000000", path)
        headers = _caller(context.original_route, auth)
        response = await client.get(url, params={"zzz": "1"}, headers=headers)
        assert response.status_code == 422, (path, response.text)
        assert _unknown(response.json()) == ["zzz"], path
        checked.append(path)
    assert len(checked) > 20


async def test_operations_routes_are_left_alone(client: AsyncClient) -> None:
    assert (await client.get("/healthz?zzz=1")).status_code == 200
