"""The embedded Postgres shared by several processes on one data directory.

Each process below is a small Python program that calls ``start_embedded`` and then runs the
SQL it reads from stdin, one statement a line, answering each with a JSON line; it exits
(normally, running its exit handlers) when its stdin closes.
"""

import contextlib
import json
import os
import select
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from asn_career.core.embedded import (
    EmbeddedPostgresError,
    server_major_version,
    start_embedded,
)
from tests.subprocesses import PYTHON, child_env, describe, run_cli

HOLDER = """
import json, sys
from pathlib import Path
import psycopg
from asn_career.core.embedded import start_embedded
from asn_career.core.observability import configure_logging

configure_logging("INFO", True)  # logs to stderr; stdout carries only the answers
data_dir = Path(sys.argv[1])
url = start_embedded(data_dir)
pid = int((data_dir / "postgres" / "postmaster.pid").read_text().split()[0])
with psycopg.connect(url, autocommit=True) as conn:
    started = conn.execute("SELECT pg_postmaster_start_time()::text").fetchone()[0]
print(json.dumps({"url": url, "postmaster": pid, "started": started}), flush=True)
for line in sys.stdin:
    with psycopg.connect(url, autocommit=True) as conn:
        cursor = conn.execute(line)
        rows = cursor.fetchall() if cursor.description else []
    print(json.dumps(rows, default=str), flush=True)
"""

WAIT = 60  # seconds a holder may take to start, answer or exit; generous for slow CI


@dataclass
class Holder:
    """One process holding the embedded server, driven through its stdin and stdout."""

    process: subprocess.Popen[str]
    stderr_path: Path

    def _line(self) -> str:
        stdout = self.process.stdout
        assert stdout is not None
        ready, _, _ = select.select([stdout], [], [], WAIT)
        assert ready, f"holder silent for {WAIT} s:\n{self.stderr()}"
        line = stdout.readline()
        assert line, f"holder exited ({self.process.poll()}):\n{self.stderr()}"
        return line

    def hello(self) -> dict[str, Any]:
        """Its server: ``{"url", "postmaster" (pid), "started" (time)}``."""
        answer: dict[str, Any] = json.loads(self._line())
        return answer

    def sql(self, statement: str) -> list[list[Any]]:
        assert self.process.stdin is not None
        self.process.stdin.write(statement + "\n")
        self.process.stdin.flush()
        rows: list[list[Any]] = json.loads(self._line())
        return rows

    def exit(self) -> int:
        """Close stdin: the holder leaves normally and runs its exit handlers."""
        if self.process.stdin is not None:
            with contextlib.suppress(BrokenPipeError):
                self.process.stdin.close()
        return self.process.wait(timeout=WAIT)

    def stderr(self) -> str:
        return self.stderr_path.read_text(errors="replace")


class Holders:
    def __init__(self, data_dir: Path, log_dir: Path) -> None:
        self.data_dir = data_dir
        self.log_dir = log_dir
        self.started: list[Holder] = []

    def spawn(self) -> Holder:
        stderr_path = self.log_dir / f"holder-{len(self.started)}.err"
        with stderr_path.open("w") as stderr:
            process = subprocess.Popen(  # noqa: S603 - this interpreter, our script
                [PYTHON, "-c", HOLDER, str(self.data_dir)],
                env=child_env(),
                cwd=self.log_dir,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=stderr,
                text=True,
            )
        holder = Holder(process, stderr_path)
        self.started.append(holder)
        return holder

    def close(self) -> None:
        for holder in self.started:
            if holder.process.poll() is None:
                try:
                    holder.exit()
                except subprocess.TimeoutExpired:
                    holder.process.kill()
                    holder.process.wait()
            for stream in (holder.process.stdin, holder.process.stdout):
                if stream is not None:
                    stream.close()


def process_gone(pid: int) -> bool:
    """The process has exited (a zombie that nobody reaped counts as exited)."""
    proc = Path("/proc")
    if (proc / "self").exists():
        try:
            state = (proc / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except (FileNotFoundError, IndexError):
            return True
        return state in ("Z", "X")
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def private_dir(prefix: str) -> Path:
    path = Path(tempfile.mkdtemp(prefix=prefix))
    # Postgres runs as another user when we are root; it must reach its data directory.
    os.chmod(path, 0o755)  # noqa: S103
    return path


@pytest.fixture
def data_dir() -> Iterator[Path]:
    path = private_dir("asn-career-embedded-")
    yield path
    if (path / "postgres" / "postmaster.pid").exists():
        # A failed test left the server up: attach once more and leave at once; being the
        # last live handle (dead ones are pruned), this process stops it.
        subprocess.run(  # noqa: S603 - this interpreter, our script
            [PYTHON, "-c", HOLDER, str(path)],
            env=child_env(),
            cwd=path,
            input="",
            capture_output=True,
            text=True,
            timeout=WAIT,
            check=False,
        )
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def holders(data_dir: Path, tmp_path: Path) -> Iterator[Holders]:
    group = Holders(data_dir, tmp_path)
    yield group
    group.close()


def test_two_processes_share_one_server_and_the_last_one_stops_it(
    holders: Holders, data_dir: Path
) -> None:
    # Both start at the same moment on an empty directory: one initialises and starts the
    # server, the other waits for it and reuses it.
    first, second = holders.spawn(), holders.spawn()
    one, two = first.hello(), second.hello()
    assert one["postmaster"] == two["postmaster"], (first.stderr(), second.stderr())
    assert one["started"] == two["started"]
    assert one["url"] == two["url"]
    postmaster = int(one["postmaster"])

    first.sql("CREATE TABLE shared (n int)")
    second.sql("INSERT INTO shared VALUES (1), (2)")
    assert first.sql("SELECT count(*) FROM shared") == [[2]]

    assert second.exit() == 0, second.stderr()
    assert not process_gone(postmaster), "the server stopped while a process still used it"
    assert first.sql("SELECT count(*) FROM shared") == [[2]]

    assert first.exit() == 0, first.stderr()
    assert process_gone(postmaster), "the last process left the server running"
    pgdata = data_dir / "postgres"
    assert not (pgdata / "postmaster.pid").exists()

    # The data survived a clean stop, and the next start needed no crash recovery.
    third = holders.spawn()
    third.hello()
    assert third.sql("SELECT count(*) FROM shared") == [[2]]
    assert third.exit() == 0, third.stderr()
    server_log = (pgdata / "log").read_text(errors="replace")
    assert "not properly shut down" not in server_log
    assert "database system is shut down" in server_log


def test_a_killed_process_does_not_keep_the_server_alive(holders: Holders, data_dir: Path) -> None:
    killed = holders.spawn()
    postmaster = int(killed.hello()["postmaster"])
    killed.process.kill()  # SIGKILL: no exit handlers, its handle stays behind
    killed.process.wait(timeout=WAIT)
    assert not process_gone(postmaster)

    survivor = holders.spawn()
    assert int(survivor.hello()["postmaster"]) == postmaster
    assert survivor.sql("SELECT 1") == [[1]]
    assert "embedded_postgres.reused" in survivor.stderr()

    assert survivor.exit() == 0, survivor.stderr()
    assert process_gone(postmaster), "the server outlived its last live user"
    assert not (data_dir / "postgres" / "postmaster.pid").exists()


def test_a_data_directory_of_another_major_version_is_refused(
    data_dir: Path, tmp_path: Path
) -> None:
    current = server_major_version()
    older = str(int(current) - 1)
    pgdata = data_dir / "postgres"
    (pgdata / "base").mkdir(parents=True)
    (pgdata / "PG_VERSION").write_text(f"{older}\n")

    with pytest.raises(EmbeddedPostgresError) as refused:
        start_embedded(data_dir)
    message = str(refused.value)
    assert f"initialised by PostgreSQL {older}" in message
    assert f"embedded server is PostgreSQL {current}" in message
    assert "pg_dumpall" in message

    # What a person running the command sees: one clear line, no traceback.
    result = run_cli("migrate", "current", env=child_env(data_dir=str(data_dir)), cwd=tmp_path)
    assert result.returncode == 1, describe(result)
    assert f"initialised by PostgreSQL {older}" in result.stderr
    assert "Traceback" not in result.stderr
    # Nothing was touched.
    assert (pgdata / "PG_VERSION").read_text() == f"{older}\n"
    assert sorted(p.name for p in pgdata.iterdir()) == ["PG_VERSION", "base"]


def test_a_directory_that_is_not_a_data_directory_is_refused(data_dir: Path) -> None:
    pgdata = data_dir / "postgres"
    pgdata.mkdir()
    (pgdata / "notes.txt").write_text("not a database\n")
    with pytest.raises(EmbeddedPostgresError, match="not a Postgres data directory"):
        start_embedded(data_dir)
    assert sorted(p.name for p in pgdata.iterdir()) == ["notes.txt"]
