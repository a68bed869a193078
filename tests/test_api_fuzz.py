"""Schemathesis over every operation of the OpenAPI document, authenticated as an admin,
with every phase (examples, coverage, fuzzing, stateful) and every check.

The app runs in a real uvicorn server on loopback, in its own thread and event loop, as
in production. Generation is derandomized and bounded per operation so that this file
takes a couple of minutes on two cores.
"""

import asyncio
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import schemathesis
import uvicorn
from hypothesis import HealthCheck, Phase, seed, settings
from schemathesis.config import SchemathesisConfig

from asn_career.config import Settings
from asn_career.core.auth import Role, mint_token
from asn_career.main import create_app

MAX_EXAMPLES = 5
SEED = 20260914
"""Fuzzed cases per operation: the coverage phase already walks every boundary."""

STATEFUL_STEPS = 40
"""Calls per stateful scenario; links between operations are inferred by schemathesis."""


_ACCEPTED = ["2xx", "3xx", "401", "403", "404", "409", "429", "5xx"]
"""What ``positive_data_acceptance`` takes for a schema-valid request (its default)."""


def _exclusions(document: dict[str, Any]) -> list[dict[str, Any]]:
    """Where a check is wrong about a documented, deliberate behaviour, the one status
    that behaviour answers is added for that operation; no check is switched off.
    Derived from the document, so that a new operation falls under the same rules.

    ``positive_data_acceptance`` (a schema-valid request is not refused) also takes
    - 412 where the operation takes ``If-Match``: any string is schema-valid, and one
      that is not the current ETag is a 412 (RFC 9110 §13.1.1; README "Single resources");
    - 422 where it takes ``cursor``: the keyset cursor is opaque and signed, and one the
      server did not issue is a 422 ``invalid-cursor`` (README "Lists"), which no schema
      can describe;
    - 422 where it takes a request body: bodies name other rows (``unit_id``, ``agency``,
      API-key scopes, a NIP whose digits fix the birth and appointment dates), and their
      text refuses control and invisible formatting characters (README "Text"); those
      are 422s by the README's conventions ("Errors");
    - 415 where the operation takes a file (multipart): any bytes are a schema-valid
      file, and what is not CSV, XLSX or NDJSON is a documented 415 (README "Imports");
    - 410 where the operation documents it: a one-time link (the public 360° form) takes
      one response, and any later call, however valid, is a 410 ``token-used``.
    """
    excluded = []
    for operations in document["paths"].values():
        for operation in operations.values():
            names = {p["name"] for p in operation.get("parameters", [])}
            extra = ["412"] if "If-Match" in names else []
            if "cursor" in names or "requestBody" in operation:
                extra.append("422")
            if "multipart/form-data" in operation.get("requestBody", {}).get("content", {}):
                extra.append("415")
            if "410" in operation.get("responses", {}):
                extra.append("410")
            if extra:
                excluded.append(
                    {
                        "include-operation-id": operation["operationId"],
                        "checks": {
                            "positive_data_acceptance": {"expected-statuses": _ACCEPTED + extra}
                        },
                    }
                )
    return excluded


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def fuzz_server(server_url: str, template_database: str) -> Iterator[tuple[str, Settings]]:
    yield from _serving(server_url, template_database)


def _serving(server_url: str, template_database: str) -> Iterator[tuple[str, Settings]]:
    """The app under uvicorn on a database of its own, freshly migrated."""
    import psycopg
    from sqlalchemy.engine import make_url

    name = f"asn_fuzz_{uuid.uuid4().hex[:12]}"
    admin_url = make_url(server_url).set(drivername="postgresql")
    with psycopg.connect(admin_url.render_as_string(hide_password=False), autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        c.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template_database}"')
    app_settings = Settings(
        env="test",
        database_url=make_url(server_url).set(database=name).render_as_string(False),
        in_process_worker=False,
        rate_limit_per_minute=0,
        log_level="WARNING",
    )
    port = _free_port()
    config = uvicorn.Config(
        create_app(app_settings), host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=lambda: asyncio.run(server.serve()), daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", app_settings
    server.should_exit = True
    thread.join(timeout=10)
    with psycopg.connect(admin_url.render_as_string(hide_password=False), autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def admin_headers(fuzz_server: tuple[str, Settings]) -> dict[str, str]:
    _, app_settings = fuzz_server
    token = mint_token(app_settings, subject="fuzzer", role=Role.ADMIN, agencies=[])
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture(scope="module")
def api_schema(fuzz_server: tuple[str, Settings]) -> schemathesis.BaseSchema:
    return _schema(fuzz_server[0])


@pytest.fixture
def stateful_server(server_url: str, template_database: str) -> Iterator[tuple[str, Settings]]:
    """The scenarios get a server and database of their own. Hypothesis replays a failing
    scenario to report it; on the database the single-operation fuzzing has filled, the
    replay drew other data and the real failure was hidden as "flaky"."""
    yield from _serving(server_url, template_database)


def _schema(base_url: str) -> schemathesis.BaseSchema:
    # Building the document takes seconds on a loaded machine; httpx would give up at 5.
    document = httpx.get(f"{base_url}/openapi.json", timeout=60).json()
    config = SchemathesisConfig.from_dict(
        {
            "seed": SEED,
            "base-url": base_url,
            "generation": {
                "mode": "all",
                "max-examples": MAX_EXAMPLES,
                "deterministic": True,
                # The admin's bearer token is sent explicitly; a generated X-API-Key beside
                # it is "either scheme" in the document, not a credential to be refused.
                "with-security-parameters": False,
            },
            "checks": {"enabled": True},
            "phases": {
                "examples": {"enabled": True},
                "coverage": {"enabled": True},
                "fuzzing": {"enabled": True},
                "stateful": {"enabled": True, "max-steps": STATEFUL_STEPS},
            },
            "operations": _exclusions(document),
        }
    )
    return schemathesis.openapi.from_dict(document, config=config)


schema = schemathesis.pytest.from_fixture("api_schema")

_BOUNDED = settings(
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


@schema.parametrize()
@_BOUNDED
def test_every_operation_passes_every_check(
    case: schemathesis.Case[Any], admin_headers: dict[str, str]
) -> None:
    """Examples, coverage and fuzzing phases; every check schemathesis has."""
    case.call_and_validate(headers=admin_headers)


def test_sequences_of_linked_operations_pass_every_check(
    stateful_server: tuple[str, Settings],
) -> None:
    """The stateful phase: create, read, change and delete through inferred links."""
    base_url, app_settings = stateful_server
    token = mint_token(app_settings, subject="fuzzer", role=Role.ADMIN, agencies=[])
    admin_headers = {"Authorization": f"Bearer {token}"}

    class Scenarios(_schema(base_url).as_state_machine()):  # type: ignore[misc]
        def get_call_kwargs(self, case: schemathesis.Case[Any]) -> dict[str, Any]:
            return {"headers": admin_headers}

        def validate_response(
            self, response: Any, case: schemathesis.Case[Any], **kwargs: Any
        ) -> None:
            case.validate_response(
                response, headers=admin_headers, transport_kwargs=kwargs, recorder=self.recorder
            )

    # One scenario per Hypothesis run, each from its own fixed seed. Which links can be
    # followed depends on what the server holds, which earlier scenarios changed; within
    # one run Hypothesis takes that for inconsistent generation ("flaky") and hides the
    # scenario it was running. Separate runs keep each scenario reproducible from its seed.
    one_scenario = settings(_BOUNDED, derandomize=False, database=None, max_examples=1)
    for scenario in range(MAX_EXAMPLES * 4):
        seed(SEED + scenario)(Scenarios).run(settings=one_scenario)
