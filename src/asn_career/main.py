"""The application factory: settings, database, middleware, error handlers and routers."""

import asyncio
import contextlib
import functools
import gc
import hmac
from collections.abc import AsyncIterator
from typing import Any

import structlog
from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi_offline import FastAPIOffline
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text

from asn_career import __version__, registry
from asn_career.config import Settings, get_settings
from asn_career.core.apikeys.router import router as api_keys_router
from asn_career.core.audit.router import router as audit_router
from asn_career.core.auth import SECURITY_SCHEMES, requires_credentials
from asn_career.core.db import create_engine, create_read_sessionmaker, create_sessionmaker
from asn_career.core.errors import (
    PROBLEM_RESPONSES,
    NotFound,
    Unauthorized,
    install_error_handlers,
    problem_schemas,
)
from asn_career.core.guards import BodyGuardMiddleware, RateLimitMiddleware
from asn_career.core.idempotency import IdempotencyMiddleware
from asn_career.core.jobs.router import router as jobs_router
from asn_career.core.jobs.runner import JobQueue, runtime
from asn_career.core.methods import HeadAsGetMiddleware
from asn_career.core.migrate import head_revisions
from asn_career.core.observability import (
    POOL_CHECKED_OUT,
    POOL_SIZE,
    REGISTRY,
    RequestContextMiddleware,
    configure_logging,
)
from asn_career.core.ratelimit.counters import SharedCounters
from asn_career.feedback.cycles.router import router as feedback_cycles_router
from asn_career.feedback.public.router import router as feedback_public_router
from asn_career.feedback.questionnaires.router import router as feedback_questionnaires_router
from asn_career.feedback.reports.router import router as feedback_reports_router
from asn_career.feedback.responses.router import router as feedback_responses_router
from asn_career.feedback.results.router import router as feedback_results_router
from asn_career.imports.exports.router import router as exports_router
from asn_career.imports.files.router import router as imports_router
from asn_career.imports.webhooks.router import router as webhooks_router
from asn_career.mentoring.matches.router import router as mentoring_matches_router
from asn_career.mentoring.matchings.router import router as mentoring_matchings_router
from asn_career.mentoring.pools.router import router as mentoring_pools_router
from asn_career.mentoring.programs.router import router as mentoring_programs_router
from asn_career.mentoring.summary.router import router as mentoring_summary_router
from asn_career.org.router import router as org_router
from asn_career.profiles.employees.router import router as employees_router
from asn_career.profiles.histories.router import router as histories_router
from asn_career.rotations.eligibility.router import router as rotations_eligibility_router
from asn_career.rotations.fit.router import router as rotations_fit_router
from asn_career.rotations.history.router import router as rotations_history_router
from asn_career.rotations.moves.router import router as rotations_moves_router
from asn_career.rotations.policy.router import router as rotations_policy_router
from asn_career.rotations.relatives.router import router as rotations_relatives_router
from asn_career.rotations.rounds.router import router as rotations_rounds_router
from asn_career.talent.evaluation.router import router as talent_evaluation_router
from asn_career.talent.ninebox.router import router as talent_ninebox_router
from asn_career.talent.policy.router import router as talent_policy_router
from asn_career.talent.professionalism.router import router as talent_professionalism_router
from asn_career.talent.reports.router import router as talent_reports_router
from asn_career.talent.summary.router import router as talent_summary_router
from asn_career.talent.surveys.router import router as talent_surveys_router
from asn_career.training.compliance.router import router as training_compliance_router
from asn_career.training.courses.router import router as training_courses_router
from asn_career.training.development_plans.router import router as training_idp_router
from asn_career.training.enrolments.router import router as training_enrolments_router
from asn_career.training.needs.router import router as training_needs_router
from asn_career.training.plans.router import router as training_plans_router
from asn_career.training.requests.router import router as training_requests_router

_log = structlog.get_logger("asn_career")

TAGS = [
    {"name": "operations", "description": "Health, readiness and metrics."},
    {"name": "audit", "description": "Who changed what, when (admins)."},
    {"name": "jobs", "description": "Long-running work and its progress."},
    {"name": "api-keys", "description": "Keys for integration clients (admins)."},
    {"name": "agencies", "description": "Agencies (instansi) and their unit trees."},
    {"name": "units", "description": "Organisational units."},
    {"name": "positions", "description": "Positions with their competency requirements."},
    {"name": "competencies", "description": "The competency dictionary."},
    {"name": "reference", "description": "Ranks and education levels."},
    {"name": "employees", "description": "ASN profiles, search and career summaries."},
    {
        "name": "histories",
        "description": "Education, assignments, competencies, trainings, "
        "performance, interests and sanctions of an employee.",
    },
    {"name": "imports", "description": "Spreadsheet, CSV and SIASN imports, run as jobs."},
    {"name": "exports", "description": "Streamed CSV/XLSX exports."},
    {"name": "webhooks", "description": "Event subscriptions for integrations."},
    {
        "name": "feedback",
        "description": "360° feedback: questionnaires, cycles, raters, answers and "
        "anonymous reports.",
    },
    {
        "name": "training",
        "description": "Training needs, courses, requests, plans under a budget and enrolments.",
    },
    {
        "name": "rotations",
        "description": "Placement and rotation: moves, policy, eligibility, fit, rounds "
        "and history.",
    },
    {
        "name": "mentoring",
        "description": "Mentoring programmes: pools, optimal matchings published by HR, "
        "relationships with sessions and feedback, and summaries.",
    },
    {
        "name": "surveys",
        "description": "Anonymous employee-satisfaction surveys on career management: "
        "versioned questions, one response per employee, results only for large enough groups.",
    },
    {
        "name": "evaluation",
        "description": "Career-system evaluation: an agency's figures with their definitions, "
        "trends and sources, merit-system evidence, and agencies side by side (JSON, CSV, "
        "XLSX, PDF).",
    },
    {
        "name": "talent",
        "description": "Talent management: the agency's talent policy, the 9-box with "
        "movement and the succession pool, and the professionalism index (IP ASN).",
    },
]


def operation_id(route: APIRoute) -> str:
    """Stable ids `{tag}-{name}` so generated clients read well."""
    tag = str(route.tags[0]) if route.tags else "default"
    return f"{tag}-{route.name.replace('_', '-')}"


def document_security(app: FastAPI) -> None:
    """Declare the credentials in the OpenAPI document: the schemes, and on every route
    that identifies its caller, either of them."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = FastAPI.openapi(app)
        components = schema.setdefault("components", {})
        components["securitySchemes"] = SECURITY_SCHEMES
        components.setdefault("schemas", {}).update(problem_schemas())
        for context in iter_route_contexts(app.routes):
            dependant = getattr(context.original_route, "dependant", None)
            if dependant is None or not requires_credentials(dependant):
                continue
            for method in context.methods or ():
                operation = schema["paths"][str(context.path_format)][method.lower()]
                operation["security"] = [{name: []} for name in SECURITY_SCHEMES]
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


API_PREFIX = "/api/v1"


def api_routers() -> list[APIRouter]:
    """Every versioned domain's router, each included under ``API_PREFIX``.

    Included one by one rather than through one ``/api/v1`` router: every level of nested
    routers is matched again on each request. Routes are matched in order, so the most
    requested come first.
    """
    return [
        employees_router,
        histories_router,
        org_router,
        audit_router,
        jobs_router,
        api_keys_router,
        imports_router,
        exports_router,
        webhooks_router,
        feedback_questionnaires_router,
        feedback_cycles_router,
        feedback_results_router,
        feedback_responses_router,
        feedback_public_router,
        feedback_reports_router,
        training_needs_router,
        training_requests_router,
        training_plans_router,
        training_courses_router,
        training_enrolments_router,
        training_compliance_router,
        training_idp_router,
        rotations_moves_router,
        rotations_policy_router,
        rotations_eligibility_router,
        rotations_fit_router,
        rotations_rounds_router,
        rotations_relatives_router,
        rotations_history_router,
        mentoring_programs_router,
        mentoring_pools_router,
        mentoring_matchings_router,
        mentoring_matches_router,
        mentoring_summary_router,
        talent_surveys_router,
        talent_evaluation_router,
        talent_reports_router,
        talent_policy_router,
        talent_ninebox_router,
        talent_professionalism_router,
        talent_summary_router,
    ]


def _check_metrics_access(settings: Settings, authorization: str | None) -> None:
    """Metrics name routes, pool sizes and error rates: not for anyone on the network."""
    if settings.metrics_token is None:
        if settings.env == "production":
            raise NotFound()
        return
    scheme, _, given = (authorization or "").partition(" ")
    expected = settings.metrics_token.get_secret_value()
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip(), expected):
        raise Unauthorized(code="invalid_token")


def operations_router() -> APIRouter:
    router = APIRouter(tags=["operations"])

    @router.get("/healthz", operation_id="operations-healthz", summary="Liveness")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @router.get(
        "/readyz",
        operation_id="operations-readyz",
        summary="Readiness: database reachable and migrations at head",
        responses={503: {"description": "Not ready"}},
    )
    async def readyz(request: Request) -> JSONResponse:
        engine = request.app.state.engine
        checks: dict[str, str] = {}
        ready = engine is not None
        if engine is None:
            checks["database"] = "not configured"
        else:
            try:
                async with engine.connect() as conn:
                    current = set(
                        (await conn.execute(text("SELECT version_num FROM alembic_version")))
                        .scalars()
                        .all()
                    )
                checks["database"] = "ok"
                at_head = current == request.app.state.migration_heads
                checks["migrations"] = "at head" if at_head else "pending"
                ready = at_head
            except Exception as exc:
                checks["database"] = f"unreachable: {type(exc).__name__}"
                ready = False
        status = "ready" if ready else "not ready"
        return JSONResponse({"status": status, "checks": checks}, status_code=200 if ready else 503)

    @router.get(
        "/metrics",
        operation_id="operations-metrics",
        summary="Prometheus metrics",
        description=(
            "With `ASN_CAREER_METRICS_TOKEN` set, only a request bearing that token is "
            "answered; without it, production answers 404 (development and test are open)."
        ),
        response_class=Response,
        responses={
            200: {"content": {CONTENT_TYPE_LATEST: {"schema": {"type": "string"}}}},
            401: {"description": "The metrics token is missing or wrong."},
            404: {"description": "Metrics are off: production without a metrics token."},
        },
    )
    async def metrics(request: Request) -> Response:
        _check_metrics_access(request.app.state.settings, request.headers.get("authorization"))
        engine = request.app.state.engine
        if engine is not None:
            pool = engine.pool
            POOL_SIZE.set(pool.size())
            POOL_CHECKED_OUT.set(pool.checkedout())
        return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)

    return router


@functools.cache
def freeze_startup_objects() -> None:
    """What exists at the first start-up (modules, routes, mappers, compiled schemas) lives
    as long as the process: moved out of the collector's sight, full collections no longer
    walk it, which cut the p99 latency under load by two thirds (benchmarks/README.md).
    Once per process, after a collection, so no garbage is frozen with it."""
    gc.collect()
    gc.freeze()


@contextlib.asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: Settings = app.state.settings
    worker: asyncio.Task[None] | None = None
    if app.state.sessionmaker is not None and settings.in_process_worker:
        runtime.sessionmaker = app.state.sessionmaker
        worker = asyncio.create_task(app.state.job_queue.run_worker(concurrency=2))
        _log.info("in_process_worker_started")
    freeze_startup_objects()
    try:
        yield
    finally:
        if worker is not None:
            worker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await worker
        if app.state.job_queue is not None:
            await app.state.job_queue.close()
        if app.state.engine is not None:
            await app.state.engine.dispose()
        _log.info("shutdown_complete")


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_logging(settings.log_level, settings.log_json)
    # Swagger UI and ReDoc from the package's own copies: an office network without internet
    # sees the docs too (FastAPI's default pages load them from a CDN).
    app = FastAPIOffline(
        static_url="/docs/assets",
        title="asn-career",
        version=__version__,
        summary="Career management for Indonesian civil servants (ASN).",
        description=(
            "Competence-based placement, 360° feedback, training, rotations, mentoring and "
            "talent management for regional HR offices (BKPSDM/BKD). Errors are RFC 9457 "
            "problem details; send `Accept-Language: id` for Indonesian."
        ),
        openapi_tags=TAGS,
        generate_unique_id_function=operation_id,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.migration_heads = set(head_revisions())
    if settings.database_url:
        app.state.engine = create_engine(settings, settings.database_url)
        app.state.sessionmaker = create_sessionmaker(app.state.engine)
        app.state.read_sessionmaker = create_read_sessionmaker(app.state.engine)
        app.state.job_queue = JobQueue(
            settings.database_url,
            job_kinds=registry.JOB_KINDS,
            consumers=registry.OUTBOX_CONSUMERS,
            periodic=registry.PERIODIC_TASKS,
        )
    else:
        app.state.engine = app.state.sessionmaker = app.state.read_sessionmaker = None
        app.state.job_queue = None

    install_error_handlers(app)
    app.include_router(operations_router())
    for router in api_routers():
        app.include_router(router, prefix=API_PREFIX, responses=PROBLEM_RESPONSES)
    document_security(app)

    app.add_middleware(HeadAsGetMiddleware)
    app.add_middleware(IdempotencyMiddleware, settings=settings)
    app.add_middleware(BodyGuardMiddleware, max_body_bytes=settings.max_body_bytes)
    if settings.rate_limit_per_minute > 0:
        counters = SharedCounters(app.state.engine)
        app.add_middleware(RateLimitMiddleware, settings=settings, counters=counters)
    app.add_middleware(RequestContextMiddleware)
    return app
