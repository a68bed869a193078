"""Every history resource is served by the one route factory, with the same five
operations and the role table of ``router.py``'s docstring, so a new one cannot drift."""

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from httpx import AsyncClient

from asn_career.core.auth import HR_ROLES, Role
from asn_career.profiles.histories.router import add_history_routes
from tests.profiles.histories.conftest import Headers, World, url
from tests.test_security_walk import operations

PREFIX = "/api/v1/employees/{nip}"
EVERYONE = frozenset(Role)
SUPERVISOR = HR_ROLES | {Role.SUPERVISOR}
SELF_SERVICE = HR_ROLES | {Role.SUPERVISOR, Role.EMPLOYEE}

# path: (id parameter, operation id of one entry, of the list, roles that may write)
HISTORIES = {
    "education": ("education_id", "education", "education", HR_ROLES),
    "assignments": ("assignment_id", "assignment", "assignments", HR_ROLES),
    "competencies": (
        "assessment_id",
        "competency-assessment",
        "competency-assessments",
        SELF_SERVICE,
    ),
    "trainings": ("training_id", "training", "trainings", HR_ROLES),
    "performance": ("rating_id", "performance-rating", "performance-ratings", SUPERVISOR),
    "interests": ("interest_id", "interest", "interests", SELF_SERVICE),
    "sanctions": ("sanction_id", "sanction", "sanctions", HR_ROLES),
}
# Routes of a history beyond the standard five: plain handlers.
EXTRAS = {("GET", f"{PREFIX}/competencies/current")}


def _history_routes(app: FastAPI) -> Iterator[tuple[str, str, APIRoute]]:
    """(method, full path, route) of every route tagged ``histories``."""
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if isinstance(route, APIRoute) and "histories" in route.tags:
            for method in route.methods or ():
                yield method, str(context.path_format), route


def _expected() -> dict[tuple[str, str], tuple[str, frozenset[Role]]]:
    """(method, path) → (operation id, roles allowed) of every standard history route."""
    expected: dict[tuple[str, str], tuple[str, frozenset[Role]]] = {}
    for path, (id_param, one, many, writers) in HISTORIES.items():
        collection = f"{PREFIX}/{path}"
        entry = f"{collection}/{{{id_param}}}"
        expected |= {
            ("GET", collection): (f"histories-list-{many}", EVERYONE),
            ("POST", collection): (f"histories-create-{one}", writers),
            ("GET", entry): (f"histories-get-{one}", EVERYONE),
            ("PATCH", entry): (f"histories-update-{one}", writers),
            ("DELETE", entry): (f"histories-delete-{one}", writers),
        }
    return expected


async def test_every_history_has_the_five_operations_with_its_roles(app: FastAPI) -> None:
    paths = app.openapi()["paths"]
    found = {}
    for op in operations(app):
        operation = paths[op.path][op.method.lower()]
        if "histories" in operation["tags"] and (op.method, op.path) not in EXTRAS:
            found[(op.method, op.path)] = (operation["operationId"], op.allowed_roles)
    assert found == _expected()


async def test_only_the_listed_extras_are_written_by_hand(app: FastAPI) -> None:
    """A history route either comes from ``add_history_routes`` or is a listed extra."""
    factory = f"{add_history_routes.__qualname__}.<locals>."
    by_hand = {
        (method, path)
        for method, path, route in _history_routes(app)
        if not route.endpoint.__qualname__.startswith(factory)
    }
    assert by_hand == EXTRAS


@pytest.mark.parametrize("path", HISTORIES)
async def test_a_malformed_entry_id_is_a_422_on_the_resources_own_parameter(
    client: AsyncClient, world: World, hr_a: Headers, path: str
) -> None:
    """One path dependency serves all, reading each resource's parameter by its name."""
    id_param = HISTORIES[path][0]
    response = await client.get(url(world.staff, f"{path}/not-a-uuid"), headers=hr_a)
    assert response.status_code == 422, response.text
    assert [e["loc"] for e in response.json()["errors"]] == [["path", id_param]]
