"""Unknown query parameters are a 422, on every API route.

FastAPI ignores query parameters a route does not declare, so a misspelt filter
(``/positions?is_vacant=false`` for ``vacant``) silently answers the unfiltered list.
``reject_unknown_query`` runs inside ``core.auth.authorize``, which every API route has,
after the caller is known (so a stranger gets 401 first). It compares
the request's names with the route's own, computed once per route from its dependant
(sub-dependencies, aliases and query models included), so a new route or parameter needs
no list kept by hand. It declares no parameter, so the OpenAPI document does not change;
a request without a query string costs one look-up.
"""

from collections.abc import Iterator

from fastapi import Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from pydantic import AliasChoices, BaseModel
from pydantic.fields import FieldInfo

from asn_career.core.errors import ValidationProblem, field_problem, field_problems

_ACCEPTED: dict[int, tuple[APIRoute, frozenset[str] | None]] = {}
"""id(route) → (the route, kept so its id is never reused; its names or None for any)."""


def _names(name: str, info: FieldInfo) -> Iterator[str]:
    yield info.alias or name
    alias = info.validation_alias
    if isinstance(alias, str):
        yield alias
    elif isinstance(alias, AliasChoices):
        yield from (choice for choice in alias.choices if isinstance(choice, str))


def _query_names(dependant: Dependant) -> Iterator[str | None]:
    """The names a route reads from the query string; None when it takes any name."""
    for field in dependant.query_params:
        model = field.field_info.annotation
        if isinstance(model, type) and issubclass(model, BaseModel):
            if model.model_config.get("extra") == "allow":
                yield None
            for name, info in model.model_fields.items():
                yield from _names(name, info)
        else:
            yield from _names(field.name, field.field_info)
    for sub in dependant.dependencies:
        yield from _query_names(sub)


def accepted_query_names(route: APIRoute) -> frozenset[str] | None:
    """The query parameters ``route`` accepts (None: any)."""
    cached = _ACCEPTED.get(id(route))
    if cached is None:
        names = set(_query_names(route.dependant))
        accepted = None if None in names else frozenset(n for n in names if n is not None)
        cached = _ACCEPTED[id(route)] = (route, accepted)
    return cached[1]


def unknown_parameter(name: str, accepted: frozenset[str]) -> ValidationProblem:
    listed = ", ".join(sorted(accepted))
    if not accepted:
        return field_problem(
            ["query", name],
            f"Unknown query parameter '{name}': this route takes no query parameters.",
            f"Parameter kueri '{name}' tidak dikenal: rute ini tidak menerima parameter kueri.",
            "unknown_parameter",
        )
    return field_problem(
        ["query", name],
        f"Unknown query parameter '{name}'; this route accepts: {listed}.",
        f"Parameter kueri '{name}' tidak dikenal; rute ini menerima: {listed}.",
        "unknown_parameter",
    )


async def reject_unknown_query(request: Request) -> None:
    """A 422 naming each query parameter the route does not read, and those it does."""
    if not request.scope["query_string"]:
        return
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    accepted = accepted_query_names(route)
    if accepted is None:
        return
    unknown = [name for name in request.query_params if name not in accepted]
    if len(unknown) == 1:
        raise unknown_parameter(unknown[0], accepted)
    if unknown:
        raise field_problems([unknown_parameter(name, accepted) for name in unknown])
