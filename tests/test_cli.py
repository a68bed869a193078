"""The ``asn-career`` command, run as the installed console script in child processes."""

import asyncio
import json
import re
import subprocess
import uuid
from pathlib import Path
from typing import Any, NoReturn

import jwt
import psycopg
import pytest
from httpx import AsyncClient
from pydantic import SecretStr
from sqlalchemy.engine import make_url
from typer.main import get_command
from typer.testing import CliRunner

from asn_career import cli
from asn_career.config import Settings, get_settings
from asn_career.core.auth import Principal, Role, decode_token
from asn_career.core.errors import Unauthorized
from asn_career.core.migrate import head_revisions
from tests.conftest import AGENCY_A, AGENCY_B
from tests.subprocesses import REPO, child_env, cli_path, describe, run_cli

JWT_SECRET = "cli-test-secret-long-enough-for-hs256-0123456789"


def command_paths() -> list[tuple[str, ...]]:
    """Every command and sub-command of the app, the root included, as argv prefixes."""
    paths: list[tuple[str, ...]] = [()]

    def walk(command: Any, prefix: tuple[str, ...]) -> None:
        # typer ships its own click, so duck-type groups rather than isinstance(click.Group).
        subcommands: dict[str, Any] = getattr(command, "commands", None) or {}
        for name, sub in subcommands.items():
            paths.append((*prefix, name))
            walk(sub, (*prefix, name))

    walk(get_command(cli.app), ())
    return paths


def libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


# --- help -------------------------------------------------------------------------------


def test_the_documented_commands_exist() -> None:
    paths = {" ".join(p) for p in command_paths()}
    assert {
        "serve",
        "migrate",
        "migrate upgrade",
        "migrate downgrade",
        "migrate check",
        "migrate current",
        "seed-demo",
        "token",
        "api-key",
        "api-key create",
        "api-key list",
        "api-key revoke",
        "export-openapi",
        "worker",
        "siasn",
        "siasn sync",
    } <= paths


def test_every_command_answers_help_without_touching_a_database(tmp_path: Path) -> None:
    # No database configured and the data directory empty: --help must not start Postgres.
    env = child_env(data_dir=str(tmp_path / "data"))
    started = {
        path: subprocess.Popen(  # noqa: S603 - our own console script
            [cli_path(), *path, "--help"],
            env=env,
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for path in command_paths()
    }
    failures = []
    for path, process in started.items():
        out, err = process.communicate(timeout=60)
        name = " ".join(("asn-career", *path))
        if process.returncode != 0 or f"Usage: {name}" not in out:
            failures.append(f"{name} --help exited {process.returncode}\n{out}\n{err}")
    assert not failures, "\n\n".join(failures)
    assert not (tmp_path / "data").exists()


def test_serve_help_lists_its_options(tmp_path: Path) -> None:
    result = run_cli("serve", "--help", env=child_env(), cwd=tmp_path)
    assert result.returncode == 0, describe(result)
    for option in ("--host", "--port", "--workers", "--demo", "--no-demo"):
        assert option in result.stdout


# --- token ------------------------------------------------------------------------------


def test_token_mints_a_jwt_with_the_configured_key(tmp_path: Path) -> None:
    result = run_cli(
        "token",
        "--role",
        "hr_officer",
        "--agency",
        AGENCY_A,
        "--agency",
        AGENCY_B,
        "--sub",
        "X",
        "--ttl",
        "60",
        env=child_env(jwt_secret=JWT_SECRET),
        cwd=tmp_path,
    )
    assert result.returncode == 0, describe(result)
    # stdout is the token alone, so that TOKEN=$(asn-career token …) works.
    lines = result.stdout.splitlines()
    assert len(lines) == 1, describe(result)
    token = lines[0]

    principal = decode_token(Settings(jwt_secret=SecretStr(JWT_SECRET)), token)
    assert principal == Principal(
        subject="X", role=Role.HR_OFFICER, agencies=frozenset({AGENCY_A, AGENCY_B})
    )
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["exp"] - claims["iat"] == 60

    with pytest.raises(Unauthorized):
        decode_token(Settings(jwt_secret=SecretStr(JWT_SECRET + "-other")), token)


def test_token_refuses_roles_that_use_api_keys(tmp_path: Path) -> None:
    result = run_cli("token", "--role", "integration", env=child_env(), cwd=tmp_path)
    assert result.returncode == 2, describe(result)
    assert result.stdout == ""
    assert "integration" in result.stderr


# --- export-openapi ---------------------------------------------------------------------


def test_export_openapi_check_passes_on_the_committed_file() -> None:
    # From the repository root, as `make openapi-check` runs it (default --output).
    result = run_cli("export-openapi", "--check", env=child_env(), cwd=REPO)
    assert result.returncode == 0, describe(result)
    assert "up to date" in result.stderr


def test_export_openapi_writes_then_check_catches_drift(tmp_path: Path) -> None:
    target = tmp_path / "out" / "openapi.json"
    written = run_cli("export-openapi", "--output", str(target), env=child_env(), cwd=tmp_path)
    assert written.returncode == 0, describe(written)
    document = json.loads(target.read_text(encoding="utf-8"))
    assert document["info"]["title"] == "asn-career"
    assert "/healthz" in document["paths"]

    check = ("export-openapi", "--check", "--output", str(target))
    fresh = run_cli(*check, env=child_env(), cwd=tmp_path)
    assert fresh.returncode == 0, describe(fresh)

    document["info"]["title"] = "somebody edited this by hand"
    del document["paths"]["/healthz"]
    modified = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    target.write_text(modified, encoding="utf-8")
    drifted = run_cli(*check, env=child_env(), cwd=tmp_path)
    assert drifted.returncode == 1, describe(drifted)
    assert "out of date" in drifted.stderr
    # The diff shows what the app would write against what the file holds.
    assert re.search(r'^-\s*"title": "somebody edited this by hand"', drifted.stderr, re.M)
    assert re.search(r'^\+\s*"title": "asn-career"', drifted.stderr, re.M)
    assert target.read_text(encoding="utf-8") == modified  # --check writes nothing


# --- api-key ----------------------------------------------------------------------------

UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def table_row(listing: str, key_id: str) -> list[str]:
    """The cells of the ``api-key list`` row holding ``key_id``."""
    for line in listing.splitlines():
        if key_id in line:
            return [cell.strip() for cell in re.split(r"[│┃|]", line) if cell.strip()]
    raise AssertionError(f"no row for {key_id} in:\n{listing}")


async def test_api_key_create_list_revoke(
    database_url: str, client: AsyncClient, tmp_path: Path
) -> None:
    env = child_env(database_url=database_url)

    async def asn_career(*args: str) -> subprocess.CompletedProcess[str]:
        return await asyncio.to_thread(run_cli, *args, env=env, cwd=tmp_path)

    created = await asn_career(
        "api-key", "create", "--name", "simpeg", "--agency", AGENCY_A, "--scope", "jobs:read"
    )
    assert created.returncode == 0, describe(created)
    lines = created.stdout.splitlines()
    assert len(lines) == 1, describe(created)  # the key alone on stdout
    full_key = lines[0]
    assert full_key.startswith("asnk_")
    found = UUID_RE.search(created.stderr)
    assert found, describe(created)
    key_id = found.group(0)
    assert full_key not in created.stderr

    # The key authenticates against the app: an unknown job is a 404 (not 401 or 403).
    unknown_job = f"/api/v1/jobs/{uuid.uuid4()}"
    response = await client.get(unknown_job, headers={"X-API-Key": full_key})
    assert response.status_code == 404, response.text
    # Its scopes hold: api-keys:admin was not granted.
    response = await client.get("/api/v1/api-keys", headers={"X-API-Key": full_key})
    assert response.status_code == 403, response.text

    listed = await asn_career("api-key", "list")
    assert listed.returncode == 0, describe(listed)
    row = table_row(listed.stdout, key_id)
    # name, agencies, scopes, created, last used, revoked, id
    assert row[:3] == ["simpeg", AGENCY_A, "jobs:read"]
    assert row[4] != "-"  # the request above was recorded as the key's last use
    assert row[5] == "-"
    assert row[6] == key_id
    assert full_key not in listed.stdout

    revoked_run = await asn_career("api-key", "revoke", key_id)
    assert revoked_run.returncode == 0, describe(revoked_run)
    assert key_id in revoked_run.stderr

    response = await client.get(unknown_job, headers={"X-API-Key": full_key})
    assert response.status_code == 401, response.text
    assert response.headers["content-type"].startswith("application/problem+json")

    listed = await asn_career("api-key", "list")
    assert listed.returncode == 0, describe(listed)
    assert table_row(listed.stdout, key_id)[5] != "-"


async def test_api_key_errors_are_reported_not_raised(database_url: str, tmp_path: Path) -> None:
    env = child_env(database_url=database_url)

    unknown_scope = await asyncio.to_thread(
        run_cli,
        *("api-key", "create", "--name", "x", "--agency", AGENCY_A, "--scope", "no:such"),
        env=env,
        cwd=tmp_path,
    )
    assert unknown_scope.returncode == 1, describe(unknown_scope)
    assert "no:such" in unknown_scope.stderr
    assert unknown_scope.stdout == ""
    assert "Traceback" not in unknown_scope.stderr

    unknown_key = await asyncio.to_thread(
        run_cli, "api-key", "revoke", str(uuid.uuid4()), env=env, cwd=tmp_path
    )
    assert unknown_key.returncode == 1, describe(unknown_key)
    assert "error" in unknown_key.stderr
    assert "Traceback" not in unknown_key.stderr


def test_api_key_create_does_not_build_the_app(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The scopes a key may hold are a list (``core.registry``), not what building the app
    used to register: the command checks them with the app nowhere in sight."""

    def no_app(*args: Any, **kwargs: Any) -> NoReturn:
        raise AssertionError("api-key create built the app")

    monkeypatch.setattr("asn_career.main.create_app", no_app)
    monkeypatch.setenv("ASN_CAREER_DATABASE_URL", database_url)
    monkeypatch.setenv("ASN_CAREER_LOG_LEVEL", "WARNING")
    create = ["api-key", "create", "--name", "simpeg", "--agency", AGENCY_A]
    runner = CliRunner()
    get_settings.cache_clear()
    try:
        created = runner.invoke(
            cli.app, [*create, "--scope", "imports:write", "--scope", "employees:read"]
        )
        refused = runner.invoke(cli.app, [*create, "--scope", "employees:fly"])
    finally:
        get_settings.cache_clear()
    assert created.exit_code == 0, created.output
    assert refused.exit_code == 1, refused.output
    assert "employees:fly" in refused.output
    with psycopg.connect(libpq(database_url)) as conn:
        keys = conn.execute("SELECT name, agencies, scopes FROM api_keys").fetchall()
    assert keys == [("simpeg", [AGENCY_A], ["employees:read", "imports:write"])]


# --- migrate ----------------------------------------------------------------------------


def table_exists(url: str, table: str) -> bool:
    with psycopg.connect(libpq(url)) as conn:
        row = conn.execute("SELECT to_regclass(%s) IS NOT NULL", (table,)).fetchone()
        return bool(row and row[0])


def test_migrate_current_downgrade_upgrade(database_url: str, tmp_path: Path) -> None:
    env = child_env(database_url=database_url)
    heads = sorted(head_revisions())

    current = run_cli("migrate", "current", env=env, cwd=tmp_path)
    assert current.returncode == 0, describe(current)
    assert f"current: {', '.join(heads)}" in current.stderr

    down = run_cli("migrate", "downgrade", "base", env=env, cwd=tmp_path)
    assert down.returncode == 0, describe(down)
    assert not table_exists(database_url, "api_keys")
    assert not table_exists(database_url, "jobs")

    behind = run_cli("migrate", "current", env=env, cwd=tmp_path)
    assert behind.returncode == 2, describe(behind)
    assert "current: (none)" in behind.stderr
    assert "not at head" in behind.stderr

    up = run_cli("migrate", "upgrade", env=env, cwd=tmp_path)
    assert up.returncode == 0, describe(up)
    assert table_exists(database_url, "api_keys")

    again = run_cli("migrate", "current", env=env, cwd=tmp_path)
    assert again.returncode == 0, describe(again)

    check = run_cli("migrate", "check", env=env, cwd=tmp_path)
    assert check.returncode == 0, describe(check)


def test_migrate_without_subcommand_upgrades_to_head(database_url: str, tmp_path: Path) -> None:
    env = child_env(database_url=database_url)
    down = run_cli("migrate", "downgrade", "base", env=env, cwd=tmp_path)
    assert down.returncode == 0, describe(down)

    bare = run_cli("migrate", env=env, cwd=tmp_path)
    assert bare.returncode == 0, describe(bare)
    assert table_exists(database_url, "api_keys")
