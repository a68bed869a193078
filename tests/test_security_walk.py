"""Walks every route of the app: authentication, role and agency scope.

It reads the routes from the app itself, so routes added later are covered without edits;
a route with a path parameter unknown to ``tests/samples.py`` fails the walk.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from httpx import AsyncClient

from asn_career.core.auth import Role, requires_credentials
from tests.conftest import AGENCY_A, AGENCY_B, TokenFactory
from tests.samples import build_samples

PUBLIC_PATHS = {
    "/openapi.json",
    "/docs",
    "/docs/oauth2-redirect",
    "/redoc",
    "/docs/assets",  # Swagger UI's and ReDoc's static files
    "/healthz",
    "/readyz",
    "/metrics",
}

TOKEN_PATHS = {
    # The public 360° form: no login by design. The one-time token in the path is the only
    # credential; it reaches one public request and grants one response. Walked by the
    # tests at the end of this file instead (no credentials needed, none accepted).
    "/api/v1/feedback/public/{token}",
}
"""Routes reached by a secret in the path instead of credentials."""

AGENCY_FREE_PATHS = {
    "/api/v1/imports/templates/{kind}",  # an empty file per import kind: no agency's data
}
"""Routes whose path parameters name no agency's object: the same answer for every agency
(their answers are still checked for leaks below)."""


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    allowed_roles: frozenset[Role]

    def url(self, samples: dict[str, str]) -> str:
        def fill(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in samples:
                pytest.fail(f"{self.method} {self.path}: add a sample for {{{name}}}")
            return samples[name]

        return re.sub(r"\{(\w+)\}", fill, self.path)

    @property
    def has_path_params(self) -> bool:
        return "{" in self.path


def _allowed_roles(dependant: Any) -> Iterator[frozenset[Role]]:
    roles = getattr(dependant.call, "allowed_roles", None)
    if roles is not None:
        yield roles
    for sub in dependant.dependencies:
        yield from _allowed_roles(sub)


def operations(app: FastAPI) -> list[Operation]:
    found = []
    for context in iter_route_contexts(app.routes):
        if context.path in PUBLIC_PATHS or context.path in TOKEN_PATHS:
            continue
        dependant = getattr(context.original_route, "dependant", None)
        assert dependant is not None, f"{context.path} is not an API route"
        declared = set(_allowed_roles(dependant))
        assert declared, f"{context.path} has no authorize(...) dependency"
        roles = frozenset.intersection(*declared)
        for method in sorted(context.methods or ()):
            found.append(Operation(method, str(context.path_format), roles))
    return found


async def call(client: AsyncClient, op: Operation, url: str, headers: dict[str, str]) -> Any:
    body: dict[str, Any] | None = {} if op.method in ("POST", "PUT", "PATCH") else None
    return await client.request(op.method, url, json=body, headers=headers)


@pytest.fixture
async def samples(app: FastAPI, client: AsyncClient, admin: dict[str, str]) -> dict[str, str]:
    return await build_samples(app, client, admin)


async def test_walk_covers_the_api(app: FastAPI) -> None:
    ops = operations(app)
    assert len(ops) >= 7
    assert all(op.path.startswith("/api/v1/") for op in ops)


async def test_no_credentials_is_401_everywhere(
    app: FastAPI, client: AsyncClient, samples: dict[str, str]
) -> None:
    for op in operations(app):
        response = await call(client, op, op.url(samples), {})
        assert response.status_code == 401, f"{op.method} {op.path}: {response.status_code}"
        assert "www-authenticate" in response.headers


async def test_roles_outside_the_route_are_403_so_employees_never_reach_hr_work(
    app: FastAPI, client: AsyncClient, auth: TokenFactory, samples: dict[str, str]
) -> None:
    ops = operations(app)
    assert any(Role.EMPLOYEE not in op.allowed_roles for op in ops)
    for op in ops:
        for role in (Role.HR_OFFICER, Role.SUPERVISOR, Role.EMPLOYEE):
            if role in op.allowed_roles:
                continue
            response = await call(client, op, op.url(samples), auth(role, AGENCY_A))
            assert response.status_code == 403, f"{role} {op.method} {op.path}"


async def test_other_agency_never_sees_this_agencys_objects(
    app: FastAPI, client: AsyncClient, auth: TokenFactory, samples: dict[str, str]
) -> None:
    sample_values = set(samples.values())
    for op in operations(app):
        for role in (Role.HR_OFFICER, Role.SUPERVISOR, Role.EMPLOYEE):
            headers = auth(role, AGENCY_B)
            response = await call(client, op, op.url(samples), headers)
            where = f"{role} of {AGENCY_B}: {op.method} {op.path}"
            if op.has_path_params and op.path not in AGENCY_FREE_PATHS:
                assert response.status_code in (403, 404), f"{where}: {response.status_code}"
            if op.method == "GET" and response.status_code == 200:
                leaked = [v for v in sample_values if v in response.text]
                assert not leaked, f"{where} leaks {leaked}"


# --- routes reached by a token in the path ------------------------------------------------


def token_operations(app: FastAPI) -> list[tuple[str, str, Any]]:
    found = []
    for context in iter_route_contexts(app.routes):
        if context.path in TOKEN_PATHS:
            for method in sorted(context.methods or ()):
                found.append((method, str(context.path_format), context.original_route))
    return found


async def test_token_paths_exist_and_read_no_credentials(app: FastAPI) -> None:
    """Each allow-listed path is a route, and none of its dependencies identifies a
    caller: a bearer token or an API key can neither be required nor grant anything."""
    ops = token_operations(app)
    assert {path for _, path, _ in ops} == TOKEN_PATHS
    schema = app.openapi()
    for method, path, route in ops:
        assert not requires_credentials(route.dependant), f"{method} {path}"
        assert not list(_allowed_roles(route.dependant)), f"{method} {path}"
        assert "security" not in schema["paths"][path][method.lower()], f"{method} {path}"


async def test_token_paths_answer_alike_with_any_credentials_or_none(
    app: FastAPI, client: AsyncClient, auth: TokenFactory
) -> None:
    """An unknown token is a 404 for everyone: no 401 for a bad credential (it is not
    read), and an admin's token opens nothing."""
    unknown = "A" * 43
    credentials: list[dict[str, str]] = [
        {},
        auth(Role.ADMIN),
        auth(Role.HR_OFFICER, AGENCY_A),
        {"Authorization": "Bearer not-a-token"},
        {"X-API-Key": "asnk_000000000000_forged"},
    ]
    for method, path, _ in token_operations(app):
        url = path.replace("{token}", unknown)
        for headers in credentials:
            body: dict[str, Any] | None = {"answers": []} if method == "POST" else None
            response = await client.request(method, url, json=body, headers=headers)
            assert response.status_code == 404, f"{method} {path} {headers}: {response.text}"
            assert "www-authenticate" not in response.headers
