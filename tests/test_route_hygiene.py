"""Properties every route keeps, read from the app itself so new routes are covered."""

import inspect
from collections.abc import Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.routing import iter_route_contexts


def _dependencies(dependant: Any) -> Iterator[Any]:
    for sub in dependant.dependencies:
        yield sub
        yield from _dependencies(sub)


def _is_async(call: Any) -> bool:
    target = call if inspect.isroutine(call) else type(call).__call__
    return inspect.iscoroutinefunction(target) or inspect.isasyncgenfunction(target)


async def test_no_dependency_or_endpoint_runs_in_a_worker_thread(app: FastAPI) -> None:
    """FastAPI runs a plain ``def`` in a thread pool: a hop that costs more than the
    function on every request (``benchmarks/README.md``)."""
    blocking = []
    for context in iter_route_contexts(app.routes):
        dependant = getattr(context.original_route, "dependant", None)
        if dependant is None:
            continue
        for node in [dependant, *_dependencies(dependant)]:
            if node.call is not None and not _is_async(node.call):
                blocking.append(f"{context.path}: {getattr(node.call, '__name__', node.call)}")
    assert blocking == []
