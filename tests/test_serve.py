"""``asn-career serve`` as a real process: it comes up, is ready, runs jobs in-process, and
stops cleanly on SIGINT (Ctrl-C) and SIGTERM (docker stop)."""

import asyncio
import json
import os
import signal
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from asn_career.config import Settings
from asn_career.core.auth import Principal, Role
from asn_career.core.db import unit_of_work
from asn_career.core.jobs.runner import JobContext
from asn_career.core.jobs.service import JobService
from tests.conftest import AGENCY_A, TokenFactory
from tests.subprocesses import PYTHON, child_env, cli_path, free_port

STARTUP = 60  # seconds allowed to migrate and start listening
STOP = 10  # seconds allowed for a graceful shutdown
JOB_WAIT = 30  # seconds allowed for the in-process worker to finish a job

PROBE = "test.serve_probe"


async def _probe_here(context: JobContext) -> dict[str, Any]:
    # On the test's queue only so that JobService accepts the kind; the job must run in the
    # served process, never in the test process.
    raise AssertionError("the probe job ran in the test process")


# The console script's own entry point, with a probe handler added to the registry first:
# the same `asn-career serve`, plus one job kind that tells which process ran it.
SERVE_WITH_PROBE = f"""
import os, sys
from asn_career import registry

async def probe(context):
    total = int(context.params["steps"])
    for done in range(1, total + 1):
        await context.progress(done, total)
    return {{"pid": os.getpid(), "steps": total}}

registry.JOB_KINDS = {{**registry.JOB_KINDS, {PROBE!r}: probe}}
from asn_career.cli import app
sys.argv[0] = "asn-career"
sys.exit(app())
"""


@dataclass
class Served:
    process: subprocess.Popen[bytes]
    base_url: str
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self, signum: signal.Signals) -> int:
        """Send ``signum`` and wait for the process to leave; its exit code."""
        self.process.send_signal(signum)
        try:
            return self.process.wait(timeout=STOP)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise AssertionError(
                f"serve did not stop within {STOP} s of {signum.name}:\n{self.output()}"
            ) from None


Serve = Callable[..., Served]


@pytest.fixture
def serve(database_url: str, settings: Settings, tmp_path: Path) -> Iterator[Serve]:
    """Start ``COMMAND serve --host 127.0.0.1 --port <free> --no-demo [OPTIONS]`` on the
    test's database (in-process worker on, as by default); wait until /healthz answers."""
    started: list[Served] = []

    def start(command: list[str], *options: str) -> Served:
        port = free_port()
        log = tmp_path / f"serve-{len(started)}.log"
        env = child_env(
            database_url=database_url,
            jwt_secret=settings.jwt_secret.get_secret_value(),
            data_dir=str(tmp_path / "data"),
        )
        with log.open("wb") as out:
            process = subprocess.Popen(  # noqa: S603 - our own console script
                [
                    *command,
                    *("serve", "--host", "127.0.0.1", "--port", str(port), "--no-demo"),
                    *options,
                ],
                env=env,
                cwd=tmp_path,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        served = Served(process, f"http://127.0.0.1:{port}", log)
        started.append(served)
        deadline = time.monotonic() + STARTUP
        while True:
            if process.poll() is not None:
                raise AssertionError(f"serve exited {process.returncode}:\n{served.output()}")
            try:
                if httpx.get(f"{served.base_url}/healthz", timeout=2).status_code == 200:
                    return served
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError(f"serve did not answer in {STARTUP} s:\n{served.output()}")
            time.sleep(0.1)

    yield start
    for served in started:
        if served.process.poll() is None:
            served.process.send_signal(signal.SIGINT)
            try:
                served.process.wait(timeout=STOP)
            except subprocess.TimeoutExpired:
                served.process.kill()
                served.process.wait()


def json_lines(text: str) -> list[dict[str, Any]]:
    """The structured log lines (the command's own messages to a person are not JSON)."""
    found = []
    for line in text.splitlines():
        if line.startswith("{"):
            found.append(json.loads(line))
    return found


async def submit_probe(app: FastAPI, steps: int) -> uuid.UUID:
    """Queue a probe job in the test's database, as a request of this agency would."""
    principal = Principal(subject="hr@test", role=Role.HR_OFFICER, agencies=frozenset({AGENCY_A}))
    app.state.job_queue.job_kinds[PROBE] = _probe_here
    async with unit_of_work(app.state.sessionmaker) as session:
        job = await JobService(session, principal).submit(
            app.state.job_queue, PROBE, {"steps": steps}, AGENCY_A
        )
        return job.id


async def wait_for_job(
    http: httpx.AsyncClient, job_id: uuid.UUID, headers: dict[str, str]
) -> dict[str, Any]:
    deadline = time.monotonic() + JOB_WAIT
    while True:
        response = await http.get(f"/api/v1/jobs/{job_id}", headers=headers)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        if body["status"] in ("succeeded", "failed"):
            return body
        assert time.monotonic() < deadline, f"job still {body['status']} after {JOB_WAIT} s"
        await asyncio.sleep(0.1)


async def test_serve_is_ready_runs_jobs_and_stops_on_ctrl_c(
    serve: Serve, app: FastAPI, auth: TokenFactory
) -> None:
    served = await asyncio.to_thread(serve, [cli_path()])
    async with httpx.AsyncClient(base_url=served.base_url, timeout=10) as http:
        ready = await http.get("/readyz", headers={"X-Request-ID": "serve-test-ready"})
        assert ready.status_code == 200, ready.text
        assert ready.json()["checks"] == {"database": "ok", "migrations": "at head"}
        docs = await http.get("/docs")
        assert docs.status_code == 200
        assert "swagger" in docs.text.lower()
        schema = await http.get("/openapi.json")
        assert schema.status_code == 200
        assert schema.json()["info"]["title"] == "asn-career"

        # The served process knows no handler for the probe kind: that its in-process
        # worker picked the job up and ran it shows as this precise failure.
        job_id = await submit_probe(app, steps=2)
        job = await wait_for_job(http, job_id, auth(Role.HR_OFFICER, AGENCY_A))
        assert job["status"] == "failed", job
        assert f"no handler registered for job kind {PROBE!r}" in job["errors"][0]["message"]

    code = await asyncio.to_thread(served.stop, signal.SIGINT)
    assert code == 0, served.output()
    logs = json_lines(served.output())
    events = [entry["event"] for entry in logs]
    assert "in_process_worker_started" in events
    assert "shutdown_complete" in events, served.output()
    ready_log = [e for e in logs if e.get("request_id") == "serve-test-ready"]
    assert ready_log, served.output()
    assert ready_log[0]["route"] == "/readyz"
    assert ready_log[0]["status"] == 200
    assert "Traceback" not in served.output()


async def test_in_process_worker_runs_jobs_to_success_and_sigterm_stops_cleanly(
    serve: Serve, app: FastAPI, auth: TokenFactory
) -> None:
    served = await asyncio.to_thread(serve, [PYTHON, "-c", SERVE_WITH_PROBE])
    async with httpx.AsyncClient(base_url=served.base_url, timeout=10) as http:
        job_id = await submit_probe(app, steps=3)
        job = await wait_for_job(http, job_id, auth(Role.HR_OFFICER, AGENCY_A))
    assert job["status"] == "succeeded", job
    assert job["progress"] == {"done": 3, "total": 3}
    assert job["result"] == {"pid": served.process.pid, "steps": 3}
    assert served.process.pid != os.getpid()

    # docker stop sends SIGTERM: the same graceful path as Ctrl-C.
    code = await asyncio.to_thread(served.stop, signal.SIGTERM)
    assert code == 0, served.output()
    events = [entry["event"] for entry in json_lines(served.output())]
    assert "shutdown_complete" in events, served.output()


async def test_several_workers_serve_and_all_stop_on_sigterm(serve: Serve) -> None:
    # The Dockerfile's configuration: `serve --workers N`, stopped by docker stop.
    served = await asyncio.to_thread(serve, [cli_path()], "--workers", "2")
    async with httpx.AsyncClient(base_url=served.base_url, timeout=10) as http:
        ready = await http.get("/readyz")
        assert ready.status_code == 200, ready.text

    code = await asyncio.to_thread(served.stop, signal.SIGTERM)
    assert code == 0, served.output()
    events = [entry["event"] for entry in json_lines(served.output())]
    assert events.count("in_process_worker_started") == 2, served.output()
    assert events.count("shutdown_complete") == 2, served.output()
