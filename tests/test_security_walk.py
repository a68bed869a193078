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

from asn_career.core.auth import Role
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
        if context.path in PUBLIC_PATHS:
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
