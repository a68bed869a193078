"""HTTP methods a path supports: ``HEAD`` wherever ``GET`` is, and an ``Allow`` header on
405 that lists every method of the path (FastAPI registers one route per method, and
Starlette's 405 names only the first route that matched the path)."""

import re

from fastapi import FastAPI, Request
from fastapi.routing import iter_route_contexts
from starlette.routing import compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class HeadAsGetMiddleware:
    """``HEAD`` is answered as ``GET`` would be, headers included, without the body
    (RFC 9110 §9.3.2)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, headers_only)


def allowed_methods(app: FastAPI, request: Request) -> list[str]:
    """Every method some route serves at the request's path, ``HEAD`` with ``GET``."""
    path = request.url.path
    methods: set[str] = set()
    for pattern, route_methods in _route_patterns(app):
        if pattern.fullmatch(path):
            methods.update(route_methods)
    if "GET" in methods:
        methods.add("HEAD")
    return sorted(methods)


def _route_patterns(app: FastAPI) -> list[tuple[re.Pattern[str], frozenset[str]]]:
    """Each route's full path as a pattern, with its methods; built once per app (routes
    are included through routers, so ``app.routes`` does not list them flat)."""
    patterns: list[tuple[re.Pattern[str], frozenset[str]]] | None = getattr(
        app.state, "route_patterns", None
    )
    if patterns is None:
        patterns = [
            (compile_path(str(context.path))[0], frozenset(context.methods or ()))
            for context in iter_route_contexts(app.routes)
        ]
        app.state.route_patterns = patterns
    return patterns
