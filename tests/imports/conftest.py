"""Fixtures of the file-import tests (``imp_*``, ``importer``): two agencies with units,
positions and a technical competency; upload-and-run helpers."""

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from httpx import AsyncClient, Response

from asn_career.core.auth import Role
from asn_career.core.jobs.runner import runtime
from tests.conftest import AGENCY_A, AGENCY_B, TokenFactory

NIP_1 = "198609262015051001"  # PNS, M, born 1986-09-26, TMT 2015-05
NIP_2 = "199001012019032002"  # PNS, F, born 1990-01-01, TMT 2019-03
NIP_3 = "199601032024212050"  # PPPK (code 21), M, born 1996-01-03
NIP_4 = "198502142010011003"  # PNS, M, born 1985-02-14, TMT 2010-01


def csv_bytes(rows: Iterable[Sequence[Any]], *, sep: str = ",", encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=sep, lineterminator="\n")
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return buffer.getvalue().encode(encoding)


async def upload(
    client: AsyncClient,
    headers: dict[str, str],
    content: bytes,
    *,
    filename: str = "data.csv",
    kind: str = "employees",
    agency: str = AGENCY_A,
    **form: Any,
) -> Response:
    data = {
        "kind": kind,
        "agency": agency,
        **{k: str(v).lower() if isinstance(v, bool) else v for k, v in form.items()},
    }
    return await client.post(
        "/api/v1/imports",
        data=data,
        files={"file": (filename, io.BytesIO(content), "application/octet-stream")},
        headers=headers,
    )


async def run_jobs(app: FastAPI) -> None:
    runtime.sessionmaker = app.state.sessionmaker
    await app.state.job_queue.run_worker(concurrency=1, wait=False)


class Importer:
    def __init__(self, app: FastAPI, client: AsyncClient, headers: dict[str, str]) -> None:
        self.app = app
        self.client = client
        self.headers = headers

    async def __call__(self, content: bytes, **kwargs: Any) -> dict[str, Any]:
        """Upload, run the job, return the import resource as it ended."""
        response = await upload(self.client, self.headers, content, **kwargs)
        assert response.status_code == 202, response.text
        await run_jobs(self.app)
        final = await self.client.get(response.headers["Location"], headers=self.headers)
        assert final.status_code == 200, final.text
        return dict(final.json())

    async def errors(self, result: dict[str, Any]) -> list[dict[str, Any]]:
        response = await self.client.get(
            f"/api/v1/imports/{result['id']}/errors?limit=500", headers=self.headers
        )
        assert response.status_code == 200, response.text
        return list(response.json()["items"])


@pytest.fixture
def imp_hr_a(auth: TokenFactory) -> dict[str, str]:
    return auth(Role.HR_OFFICER, AGENCY_A)


@pytest.fixture
async def imp_org(
    app: FastAPI, client: AsyncClient, admin: dict[str, str], tmp_path: Path
) -> dict[str, Any]:
    """Agencies A and B; in A units BKPSDM > BIDANG-PK and DINKES, positions, T.1.
    Uploads are stored under the test's own directory."""
    app.state.settings.data_dir = tmp_path / "data"
    made: dict[str, Any] = {}
    for code in (AGENCY_A, AGENCY_B):
        r = await client.post(
            "/api/v1/agencies",
            json={"code": code, "name": f"Pemerintah {code}", "region_code": code},
            headers=admin,
        )
        assert r.status_code == 201, r.text
    for agency, code, name, kind, parent in (
        (AGENCY_A, "BKPSDM", "Badan Kepegawaian", "badan", None),
        (AGENCY_A, "BIDANG-PK", "Bidang Pengembangan Kompetensi", "bidang", "BKPSDM"),
        (AGENCY_A, "DINKES", "Dinas Kesehatan", "dinas", None),
        (AGENCY_B, "BKPSDM", "BKPSDM Kupang", "badan", None),
    ):
        body = {"code": code, "name": name, "kind": kind}
        if parent:
            body["parent_id"] = made[f"unit:{agency}:{parent}"]
        r = await client.post(f"/api/v1/agencies/{agency}/units", json=body, headers=admin)
        assert r.status_code == 201, r.text
        made[f"unit:{agency}:{code}"] = r.json()["id"]
    levels = {str(n): {"id": f"Tingkat {n}", "en": f"Level {n}"} for n in range(1, 6)}
    r = await client.post(
        "/api/v1/competencies",
        json={
            "agency_code": AGENCY_A,
            "name_id": "Arsip",
            "name_en": "Records",
            "descriptors": levels,
        },
        headers=admin,
    )
    assert r.status_code == 201, r.text
    for code, title, unit, extra in (
        ("KABAN", "Kepala Badan", "BKPSDM", {"kind": "jpt_pratama"}),
        ("ANALIS", "Analis SDM", "BIDANG-PK", {"kind": "pelaksana"}),
        ("GURU", "Guru", "DINKES", {"kind": "pelaksana", "is_shared": True}),
    ):
        r = await client.post(
            "/api/v1/positions",
            json={
                "code": code,
                "title": title,
                "unit_id": made[f"unit:{AGENCY_A}:{unit}"],
                **extra,
            },
            headers=admin,
        )
        assert r.status_code == 201, r.text
        made[f"position:{code}"] = r.json()["id"]
    return made


@pytest.fixture
def importer(app: FastAPI, client: AsyncClient, imp_hr_a: dict[str, str]) -> Importer:
    return Importer(app, client, imp_hr_a)
