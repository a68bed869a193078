"""``sync_employee``: SIASN (mocked transport) → our services, with their rules and audit."""

import json
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import select

from asn_career.core.audit.models import AuditEntry
from asn_career.core.auth import Principal, Role
from asn_career.core.db import unit_of_work
from asn_career.core.errors import Conflict, ValidationProblem
from asn_career.core.outbox import OutboxEvent
from asn_career.imports.siasn.client import SiasnClient
from asn_career.imports.siasn.service import SyncReport, sync_employee
from tests.conftest import AGENCY_A, AGENCY_B, TokenFactory
from tests.imports.test_siasn_client import BASE, NIP, FakeSiasn, credentials, fixture

KUPANG = AGENCY_B  # 53.71, Kota Kupang
HR = Principal(subject="hr@53.71", role=Role.HR_OFFICER, agencies=frozenset({KUPANG}))


@pytest.fixture
async def org(client: AsyncClient, admin: dict[str, str]) -> dict[str, str]:
    for code in (KUPANG, AGENCY_A):
        agency = await client.post(
            "/api/v1/agencies",
            json={"code": code, "name": f"Pemerintah {code}", "region_code": code},
            headers=admin,
        )
        assert agency.status_code == 201, agency.text
    unit = await client.post(
        f"/api/v1/agencies/{KUPANG}/units",
        json={"code": "HUKUM", "name": "Bagian Hukum", "kind": "bagian"},
        headers=admin,
    )
    assert unit.status_code == 201, unit.text
    ids = {"unit_id": unit.json()["id"]}
    for code, title, extra in (
        ("HUKUM-PENGADM", "Pengadministrasi Hukum", {"kind": "pelaksana"}),
        (
            "HUKUM-ANALIS",
            "Analis Hukum Ahli Pertama",
            {"kind": "fungsional", "functional_level": "ahli_pertama"},
        ),
    ):
        position = await client.post(
            "/api/v1/positions",
            json={"code": code, "title": title, "unit_id": ids["unit_id"], **extra},
            headers=admin,
        )
        assert position.status_code == 201, position.text
        ids[code] = position.json()["id"]
    return ids


def siasn(fake: FakeSiasn) -> SiasnClient:
    http = httpx.AsyncClient(transport=httpx.MockTransport(fake))
    return SiasnClient(base_url=BASE, credentials=credentials(), http=http)


async def run_sync(
    app: FastAPI, fake: FakeSiasn, principal: Principal = HR, **kwargs: Any
) -> SyncReport:
    async with unit_of_work(app.state.sessionmaker) as session:
        return await sync_employee(session, principal, siasn(fake), NIP, **kwargs)


async def test_sync_creates_the_profile_with_its_histories(
    app: FastAPI, client: AsyncClient, auth: TokenFactory, org: dict[str, str]
) -> None:
    report = await run_sync(app, FakeSiasn())
    assert report.created
    assert report.added == {"education": 2, "trainings": 3, "performance": 3, "assignments": 2}
    problems = {(p["source"], p["field"]) for p in report.problems}
    assert problems == {("rw-kursus", "jumlahJam"), ("rw-jabatan", "namaJabatan")}
    unresolved = next(p for p in report.problems if p["source"] == "rw-jabatan")
    assert "Pengelola Data Hukum" in unresolved["message"]

    hr = auth(Role.HR_OFFICER, KUPANG)
    employee = (await client.get(f"/api/v1/employees/{NIP}", headers=hr)).json()
    assert employee["name"] == "DEWI LESTARI NDOEN"
    assert employee["back_title"] == "S.H."
    assert employee["rank"] == "III/b"
    assert employee["gender"] == "F"
    assert employee["birth_date"] == "1990-01-15"
    assert employee["appointment_date"] == "2019-03-01"
    assert employee["agency"] == KUPANG
    assert employee["nik"] == "5371015501900002"
    # the open primary assignment (from rw-jabatan) is the current position
    assert employee["position_id"] == org["HUKUM-ANALIS"]
    assert employee["unit_id"] == org["unit_id"]

    base = f"/api/v1/employees/{NIP}"
    assignments = (await client.get(f"{base}/assignments", headers=hr)).json()["items"]
    assert sorted((a["start_date"], a["end_date"]) for a in assignments) == [
        ("2019-03-01", "2020-06-30"),
        ("2022-01-02", None),
    ]
    ratings = (await client.get(f"{base}/performance", headers=hr)).json()["items"]
    assert {(r["year"], r["predicate"]) for r in ratings} == {
        (2022, "baik"),
        (2023, "sangat_baik"),
        (2024, "baik"),
    }
    trainings = (await client.get(f"{base}/trainings", headers=hr)).json()["items"]
    assert sum(t["hours_jp"] for t in trainings) == 40 + 8 + 501

    async with app.state.sessionmaker() as session:
        actions = (await session.scalars(select(AuditEntry.action))).all()
        events = (await session.scalars(select(OutboxEvent))).all()
    assert "employee.created" in actions
    assert actions.count("assignment.created") == 2
    assert {e.event_type for e in events} >= {"employee.created", "assignment.changed"}
    assert "5371015501900002" not in json.dumps([e.payload for e in events])


async def test_a_second_sync_changes_nothing_and_a_changed_record_updates(
    app: FastAPI, org: dict[str, str]
) -> None:
    await run_sync(app, FakeSiasn())
    async with app.state.sessionmaker() as session:
        audit_before = len((await session.scalars(select(AuditEntry))).all())

    again = await run_sync(app, FakeSiasn())
    assert not again.created
    assert again.changed_fields == []
    assert again.added == {"education": 0, "trainings": 0, "performance": 0, "assignments": 0}
    assert again.unchanged == 2 + 3 + 3 + 2
    async with app.state.sessionmaker() as session:
        assert len((await session.scalars(select(AuditEntry))).all()) == audit_before

    promoted = fixture("data-utama")
    promoted["data"]["golRuangAkhir"] = "III/c"
    promoted["data"]["gelarDepan"] = "Dr."

    class Promoted(FakeSiasn):
        def __call__(self, request: httpx.Request) -> httpx.Response:
            if request.url.path.endswith(f"/data-utama/{NIP}"):
                self.requests.append(request)
                return httpx.Response(200, json=promoted)
            return super().__call__(request)

    changed = await run_sync(app, Promoted())
    assert changed.changed_fields == ["front_title", "rank"]
    async with app.state.sessionmaker() as session:
        updates = (
            await session.scalars(
                select(OutboxEvent).where(OutboxEvent.event_type == "employee.updated")
            )
        ).all()
    assert any(
        e.payload["changes"].get("rank") == {"before": "III/b", "after": "III/c"} for e in updates
    )


async def test_sync_respects_scope_and_rules(app: FastAPI, org: dict[str, str]) -> None:
    await run_sync(app, FakeSiasn())
    other = Principal(subject="hr@36.74", role=Role.HR_OFFICER, agencies=frozenset({AGENCY_A}))
    with pytest.raises(Conflict):  # exists elsewhere: never overwritten from another agency
        await run_sync(app, FakeSiasn(), other)
    several = Principal(subject="x", role=Role.HR_OFFICER, agencies=frozenset({"1", "2"}))
    with pytest.raises(ValidationProblem):
        await run_sync(app, FakeSiasn(), several)


async def test_an_invalid_siasn_record_writes_nothing(app: FastAPI, org: dict[str, str]) -> None:
    broken = fixture("data-utama")
    broken["data"]["jenisKelamin"] = "M"  # the NIP says female

    class Broken(FakeSiasn):
        def __call__(self, request: httpx.Request) -> httpx.Response:
            if request.url.path.endswith(f"/data-utama/{NIP}"):
                return httpx.Response(200, json=broken)
            return super().__call__(request)

    with pytest.raises(ValidationProblem) as refused:
        await run_sync(app, Broken())
    assert any("gender" in err["loc"] for err in (refused.value.errors or []))
    async with app.state.sessionmaker() as session:
        assert (await session.scalars(select(OutboxEvent))).all() == []
        actions = (await session.scalars(select(AuditEntry.action))).all()
    assert "employee.created" not in actions
