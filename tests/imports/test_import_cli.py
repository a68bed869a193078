"""``asn-career import``: the service code in a child process, with a progress bar."""

import asyncio
import json
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from sqlalchemy import select

from asn_career.imports.files.models import ImportRun
from asn_career.profiles.models import Employee
from tests.conftest import AGENCY_A
from tests.imports.conftest import NIP_1, NIP_2, csv_bytes
from tests.subprocesses import child_env, describe, run_cli


async def cli(tmp_path: Path, database_url: str, *args: str) -> Any:
    env = child_env(database_url=database_url, data_dir=str(tmp_path / "data"))
    return await asyncio.to_thread(run_cli, "import", *args, env=env, cwd=tmp_path)


async def test_cli_imports_a_siasn_file_and_reruns_unchanged(
    app: FastAPI, imp_org: dict[str, Any], database_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "siasn.csv"
    path.write_bytes(
        csv_bytes(
            [
                ["nipBaru", "nama", "tglLahir", "golRuangAkhir"],
                [NIP_1, "Budi Santoso", "26-09-1986", "III/a"],
                [NIP_2, "Siti Aminah", "01-01-1990", "III/b"],
            ],
            sep=";",
        )
    )
    args = (str(path), "--kind", "employees", "--agency", AGENCY_A, "--mapping", "siasn")
    first = await cli(tmp_path, database_url, *args)
    assert first.returncode == 0, describe(first)
    summary = json.loads(first.stdout.strip().splitlines()[-1])
    assert (summary["status"], summary["inserted"]) == ("succeeded", 2)
    assert "2/2" in first.stderr  # the progress bar: rows done of total
    async with app.state.sessionmaker() as session:
        names = {e.nip: e.name for e in (await session.scalars(select(Employee))).all()}
        run = (await session.scalars(select(ImportRun))).one()
    assert names == {NIP_1: "Budi Santoso", NIP_2: "Siti Aminah"}
    assert (run.created_by, run.job_id, run.stored_path) == ("cli", None, str(path))
    assert path.exists()  # the CLI reads the file in place and leaves it

    again = await cli(tmp_path, database_url, *args)
    assert json.loads(again.stdout.strip().splitlines()[-1])["unchanged"] == 2


async def test_cli_reports_the_first_errors_and_writes_nothing(
    app: FastAPI, imp_org: dict[str, Any], database_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "pegawai.csv"
    path.write_bytes(
        csv_bytes([["nip", "name"], [NIP_1, "Budi"], ["12345", "Pendek"], [NIP_2, ""]])
    )
    result = await cli(tmp_path, database_url, str(path), "--kind", "employees",
                       "--agency", AGENCY_A)  # fmt: skip
    assert result.returncode == 1, describe(result)
    assert "nothing was written" in result.stderr
    assert "12345" in result.stderr and "first errors" in result.stderr
    async with app.state.sessionmaker() as session:
        assert (await session.scalars(select(Employee))).all() == []

    dry = await cli(tmp_path, database_url, str(path), "--kind", "employees",
                    "--agency", AGENCY_A, "--dry-run", "--on-error", "skip")  # fmt: skip
    assert dry.returncode == 0, describe(dry)
    assert json.loads(dry.stdout.strip().splitlines()[-1])["inserted"] == 1
    assert "dry run" in dry.stderr


async def test_cli_refuses_bad_input_up_front(
    imp_org: dict[str, Any], database_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "kosong.csv"
    path.write_bytes(b"")
    empty = await cli(tmp_path, database_url, str(path), "--kind", "employees",
                      "--agency", AGENCY_A)  # fmt: skip
    assert empty.returncode == 2 and "empty" in empty.stderr, describe(empty)
    path.write_bytes(b"nip,name\n")
    wrong = await cli(tmp_path, database_url, str(path), "--kind", "pegawai",
                      "--agency", AGENCY_A)  # fmt: skip
    assert wrong.returncode == 2 and "--kind" in wrong.stderr, describe(wrong)
