"""``asn-career siasn sync`` and the ``siasn.sync`` job: an agency's employees from SIASN
with the office's credentials from ``ASN_CAREER_SIASN_*``, progress on the job, on the real
Postgres. SIASN is ``FakeSiasn`` behind ``httpx.MockTransport``: only the transport is
swapped, the base URL and credentials come from the settings (the fake checks both)."""

import asyncio
import json
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import select
from typer.testing import CliRunner

from asn_career import cli
from asn_career.config import get_settings, get_siasn_settings
from asn_career.core.audit.models import AuditEntry
from asn_career.core.db import unit_of_work
from asn_career.core.jobs.models import Job
from asn_career.core.jobs.service import JobService
from asn_career.imports.siasn.client import SiasnClient
from asn_career.imports.siasn.command import CLI_PRINCIPAL
from asn_career.imports.siasn.service import SYNC_JOB_KIND
from asn_career.profiles.models import Employee, Performance
from tests.imports.conftest import run_jobs
from tests.imports.test_siasn_client import BASE, NIP, TOKEN_URL, FakeSiasn
from tests.imports.test_siasn_sync import KUPANG, org

__all__ = ["org"]  # the fixture, used by name

UNKNOWN_TO_SIASN = "198609262015051001"  # held by us, not found in SIASN


@pytest.fixture
def siasn_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    """The office's SIASN account, as an operator configures it."""
    env = {
        "ASN_CAREER_SIASN_BASE_URL": BASE,
        "ASN_CAREER_SIASN_TOKEN_URL": TOKEN_URL,
        "ASN_CAREER_SIASN_CLIENT_ID": "kota-kupang",
        "ASN_CAREER_SIASN_CLIENT_SECRET": "consumer-secret",
        "ASN_CAREER_SIASN_USER_TOKEN": "operator-sso-token",
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    get_siasn_settings.cache_clear()
    yield env
    get_siasn_settings.cache_clear()


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> FakeSiasn:
    """SIASN on a mocked transport: ``SiasnClient.from_settings`` keeps its settings."""
    siasn = FakeSiasn()
    build = SiasnClient.from_settings.__func__  # type: ignore[attr-defined]

    def from_settings(cls: type[SiasnClient], settings: Any = None, http: Any = None) -> Any:
        return build(cls, settings, httpx.AsyncClient(transport=httpx.MockTransport(siasn)))

    monkeypatch.setattr(SiasnClient, "from_settings", classmethod(from_settings))
    return siasn


async def hold_unknown_employee(client: AsyncClient, admin: dict[str, str]) -> None:
    created = await client.post(
        "/api/v1/employees",
        json={"nip": UNKNOWN_TO_SIASN, "name": "Budi Santoso", "agency": KUPANG},
        headers=admin,
    )
    assert created.status_code == 201, created.text


async def run_sync_job(app: FastAPI, params: dict[str, Any]) -> Job:
    async with unit_of_work(app.state.sessionmaker) as session:
        job = await JobService(session, CLI_PRINCIPAL).submit(
            app.state.job_queue, SYNC_JOB_KIND, params, params["agency"]
        )
        job_id = job.id
    await run_jobs(app)
    async with app.state.sessionmaker() as session:
        found: Job | None = await session.get(Job, job_id)
    assert found is not None
    return found


# --- the job ---------------------------------------------------------------------------------


async def test_the_job_syncs_the_given_nips_then_every_employee_with_progress(
    app: FastAPI,
    client: AsyncClient,
    admin: dict[str, str],
    org: dict[str, str],
    siasn_env: dict[str, str],
    fake: FakeSiasn,
) -> None:
    first = await run_sync_job(app, {"agency": KUPANG, "nips": [NIP]})
    assert first.status == "succeeded", first.errors
    assert (first.progress_done, first.progress_total) == (1, 1)
    assert first.result is not None
    assert (first.result["created"], first.result["failed"]) == (1, 0)
    assert first.result["added"] == {
        "education": 2,
        "trainings": 3,
        "performance": 3,
        "assignments": 2,
    }
    assert {p["nip"] for p in first.result["problems"]} == {NIP}
    async with app.state.sessionmaker() as session:
        employee = (await session.scalars(select(Employee).where(Employee.nip == NIP))).one()
        ratings = (await session.scalars(select(Performance))).all()
        actors = set((await session.scalars(select(AuditEntry.actor))).all())
    assert employee.agency_code == KUPANG
    # SIASN's 1 is "di atas ekspektasi"
    assert {(r.year, r.results, r.behaviour) for r in ratings} >= {(2023, "above", "above")}
    assert "siasn-sync" in actors
    assert fake.gateway_tokens == 1  # one token for the whole run

    # without NIPs: every employee of the agency we hold; one is not in SIASN
    await hold_unknown_employee(client, admin)
    every = await run_sync_job(app, {"agency": KUPANG, "nips": []})
    assert every.status == "succeeded", every.errors
    assert (every.progress_done, every.progress_total) == (2, 2)
    assert every.result is not None
    assert (every.result["total"], every.result["unchanged"], every.result["failed"]) == (2, 1, 1)
    assert every.result["failures"] == [
        {"nip": UNKNOWN_TO_SIASN, "message": "Data tidak ditemukan"}
    ]


async def test_the_job_fails_clearly_without_credentials_or_when_they_are_refused(
    app: FastAPI,
    org: dict[str, str],
    siasn_env: dict[str, str],
    fake: FakeSiasn,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    unknown = await run_sync_job(app, {"agency": "99.99", "nips": []})
    assert unknown.status == "failed"
    assert unknown.errors is not None and "99.99" in unknown.errors[0]["message"]

    monkeypatch.setenv("ASN_CAREER_SIASN_CLIENT_SECRET", "wrong-secret")
    get_siasn_settings.cache_clear()
    refused = await run_sync_job(app, {"agency": KUPANG, "nips": [NIP]})
    assert refused.status == "failed"
    assert refused.errors is not None and "token refused" in refused.errors[0]["message"]
    assert "wrong-secret" not in json.dumps(refused.errors)

    monkeypatch.delenv("ASN_CAREER_SIASN_CLIENT_SECRET")
    monkeypatch.delenv("ASN_CAREER_SIASN_USER_TOKEN")
    get_siasn_settings.cache_clear()
    unconfigured = await run_sync_job(app, {"agency": KUPANG, "nips": [NIP]})
    assert unconfigured.status == "failed"
    assert unconfigured.errors is not None
    message = unconfigured.errors[0]["message"]
    assert "ASN_CAREER_SIASN_CLIENT_SECRET" in message
    assert "ASN_CAREER_SIASN_USER_TOKEN" in message


# --- the command -----------------------------------------------------------------------------


@pytest.fixture
def cli_env(database_url: str, siasn_env: dict[str, str]) -> Iterator[dict[str, str]]:
    get_settings.cache_clear()
    yield {"ASN_CAREER_DATABASE_URL": database_url, "ASN_CAREER_LOG_LEVEL": "WARNING", **siasn_env}
    get_settings.cache_clear()


async def asn_career(env: dict[str, str], *args: str) -> Any:
    """The real typer command, in this process (so SIASN's transport can be mocked)."""
    return await asyncio.to_thread(CliRunner().invoke, cli.app, list(args), env=env)


async def test_the_command_syncs_with_a_progress_bar_and_reports_failures(
    app: FastAPI,
    client: AsyncClient,
    admin: dict[str, str],
    org: dict[str, str],
    cli_env: dict[str, str],
    fake: FakeSiasn,
) -> None:
    done = await asn_career(cli_env, "siasn", "sync", "--agency", KUPANG, "--nip", NIP)
    assert done.exit_code == 0, done.output
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    assert (summary["total"], summary["created"], summary["failed"]) == (1, 1, 0)
    assert "1/1" in done.stderr  # the progress bar: employees done of total
    assert "records not taken" in done.stderr  # SIASN rows our rules refused are listed
    async with app.state.sessionmaker() as session:
        assert (await session.scalars(select(Employee.nip))).all() == [NIP]

    await hold_unknown_employee(client, admin)
    partly = await asn_career(cli_env, "siasn", "sync", "--agency", KUPANG)
    assert partly.exit_code == 1, partly.output
    summary = json.loads(partly.stdout.strip().splitlines()[-1])
    assert (summary["total"], summary["unchanged"], summary["failed"]) == (2, 1, 1)
    assert "2/2" in partly.stderr
    assert UNKNOWN_TO_SIASN in partly.stderr and "Data tidak ditemukan" in partly.stderr


async def test_the_command_queues_a_job_for_the_worker(
    app: FastAPI, org: dict[str, str], cli_env: dict[str, str], fake: FakeSiasn
) -> None:
    queued = await asn_career(cli_env, "siasn", "sync", "--agency", KUPANG, "--nip", NIP, "--queue")
    assert queued.exit_code == 0, queued.output
    job_id = json.loads(queued.stdout.strip().splitlines()[-1])["job_id"]
    await run_jobs(app)  # the worker picks up what the command queued
    async with app.state.sessionmaker() as session:
        job = await session.get(Job, uuid.UUID(job_id))
    assert job is not None and job.kind == SYNC_JOB_KIND
    assert (job.status, job.agency_code, job.created_by) == ("succeeded", KUPANG, "cli")
    assert job.result is not None and job.result["created"] == 1


async def test_the_command_refuses_without_credentials_or_agency(
    org: dict[str, str], cli_env: dict[str, str], fake: FakeSiasn
) -> None:
    unknown = await asn_career(cli_env, "siasn", "sync", "--agency", "99.99")
    assert unknown.exit_code == 2, unknown.output
    assert "99.99" in unknown.stderr
    env = {**cli_env, "ASN_CAREER_SIASN_CLIENT_ID": ""}
    get_siasn_settings.cache_clear()
    unconfigured = await asn_career(env, "siasn", "sync", "--agency", KUPANG)
    assert unconfigured.exit_code == 2, unconfigured.output
    assert "ASN_CAREER_SIASN_CLIENT_ID" in unconfigured.stderr
    assert "consumer-secret" not in unconfigured.output
