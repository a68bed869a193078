"""Development plans through the API: writing, editing, approving, printing, reopening;
who may do what; the agency's list and file."""

import csv
import io
from datetime import date

from fastapi import FastAPI
from httpx import AsyncClient, Response
from sqlalchemy import select

from asn_career.core.audit.models import AuditEntry
from asn_career.core.auth import Role
from asn_career.core.outbox import OutboxEvent
from tests.conftest import AGENCY_A, AGENCY_B, TokenFactory
from tests.training.courses.helpers import create_course
from tests.training.development_plans.helpers import (
    API,
    as_employee,
    as_supervisor,
    create_plan,
    pdf_text,
    plan_body,
    plan_url,
    plans_of,
)
from tests.training.needs.world import YEAR, NeedsWorld


def code_of(response: Response) -> str:
    """The problem's code, from its type URI."""
    kind: str = response.json()["type"]
    return kind.rsplit("/", 1)[1].replace("-", "_")


async def test_a_plan_is_written_edited_approved_printed_and_reopened(
    app: FastAPI, client: AsyncClient, world: NeedsWorld, auth: TokenFactory
) -> None:
    hr = auth(Role.HR_OFFICER, AGENCY_A)
    course = await create_course(client, hr, "SPBE-01")  # M.1 to level 4, 24 JP, March
    await world.training("staff0", "6", date(YEAR, 2, 2))
    await world.training("staff0", "30", date(YEAR - 1, 2, 2))
    staff0, head = as_employee(auth, world, "staff0"), as_supervisor(auth, world, "head")
    nip = world.nip("staff0")
    activity = {"kind": "training", "title": "Pelatihan SPBE", "competency": "M.1",
                "course_id": course["id"], "planned_jp": 24, "target_quarter": 1}  # fmt: skip
    response = await client.post(
        plans_of(nip), json=plan_body(activities=[activity]), headers=staff0
    )
    assert response.status_code == 201, response.text
    plan = response.json()
    assert response.headers["ETag"] == '"1"'
    assert response.headers["Location"].endswith(plan["id"])
    assert (plan["nip"], plan["status"], plan["revision"]) == (nip, "draft", 1)
    assert plan["needs"][0] | {"reason": None} == {
        "competency_id": world.competencies["M.1"], "competency_code": "M.1",
        "competency_name": plan["needs"][0]["competency_name"], "current_level": 2,
        "required_level": 3, "gap": 1, "source": "manual", "reason": None,
    }  # fmt: skip
    assert plan["activities"][0]["course_code"] == "SPBE-01"
    assert (plan["planned_jp"], plan["minimum_jp"], plan["jp_shortfall"]) == (24, 20, 0)
    assert plan["recorded_jp"] == 6  # last year's 30 JP do not count

    again = await client.post(plans_of(nip), json=plan_body(), headers=staff0)
    assert again.status_code == 409 and code_of(again) == "development_plan_exists"

    stale = await client.patch(
        plan_url(plan["id"]), json={"goals": []}, headers=head | {"If-Match": '"7"'}
    )
    assert stale.status_code == 412
    coaching = plan_body()["activities"]
    edited = await client.patch(
        plan_url(plan["id"]), json={"activities": coaching}, headers=head | {"If-Match": '"1"'}
    )
    assert edited.status_code == 200, edited.text
    assert edited.headers["ETag"] == '"2"'
    body = edited.json()
    assert (body["planned_jp"], body["jp_shortfall"]) == (8, 12)
    assert [g["text"] for g in body["goals"]] == [g["text"] for g in plan["goals"]]
    assert body["needs"] == plan["needs"]

    as_pdf = {"Accept": "application/pdf"}
    draft_pdf = await client.get(plan_url(plan["id"]), headers=staff0 | as_pdf)
    assert draft_pdf.status_code == 409
    as_role = await client.post(plan_url(plan["id"], "approve"), headers=staff0)
    assert as_role.status_code == 403
    own = auth(Role.SUPERVISOR, AGENCY_A, sub=nip)  # a supervisor's own plan is not theirs
    refused = await client.post(plan_url(plan["id"], "approve"), headers=own)
    assert refused.status_code == 403 and code_of(refused) == "not_the_supervisor"

    approved = await client.post(plan_url(plan["id"], "approve"), headers=head)
    assert approved.status_code == 200, approved.text
    fixed = approved.json()
    assert fixed["status"] == "approved" and fixed["approved_by"] == world.nip("head")
    assert fixed["approved_by_name"] == "Pegawai head" and fixed["approved_at"] is not None
    twice = await client.post(plan_url(plan["id"], "approve"), headers=hr)
    assert twice.status_code == 409
    frozen = await client.patch(plan_url(plan["id"]), json={"goals": []}, headers=staff0)
    assert frozen.status_code == 409 and code_of(frozen) == "development_plan_approved"

    printed = await client.get(plan_url(plan["id"]), headers=staff0 | as_pdf)
    assert printed.status_code == 200 and printed.headers["content-type"] == "application/pdf"
    assert printed.content.startswith(b"%PDF")
    text = pdf_text(printed.content)
    if text is not None:  # poppler installed: the printed text is checked too
        assert nip in text and "Rencana Pengembangan Kompetensi Individu" in text
        assert "Pegawai head" in text and "8 JP dari minimal 20 JP" in text
        assert f"riwayat pelatihan tahun {YEAR}: 6 JP" in text

    assert (await client.post(plan_url(plan["id"], "reopen"), headers=head)).status_code == 403
    reopened = await client.post(plan_url(plan["id"], "reopen"), headers=hr)
    assert reopened.status_code == 200, reopened.text
    assert (reopened.json()["status"], reopened.json()["revision"]) == ("draft", 2)
    assert reopened.json()["approved_at"] is None
    assert (await client.post(plan_url(plan["id"], "reopen"), headers=hr)).status_code == 409

    async with app.state.sessionmaker() as session:
        actions = (
            await session.scalars(
                select(AuditEntry.action)
                .where(AuditEntry.entity_id == plan["id"])
                .order_by(AuditEntry.id)
            )
        ).all()
        events = (
            await session.scalars(
                select(OutboxEvent.event_type)
                .where(OutboxEvent.payload["development_plan_id"].astext == plan["id"])
                .order_by(OutboxEvent.occurred_at)
            )
        ).all()
    assert actions == [
        "training_development_plan.created", "training_development_plan.updated",
        "training_development_plan.approved", "training_development_plan.updated",
    ]  # fmt: skip
    assert events == [
        "training.development_plan.created", "training.development_plan.updated",
        "training.development_plan.approved", "training.development_plan.updated",
    ]  # fmt: skip


async def test_who_may_see_and_change_a_plan(
    client: AsyncClient, world: NeedsWorld, auth: TokenFactory
) -> None:
    """staff5 reports to staff4 (the chief), who reports to the head."""
    chief, head = as_supervisor(auth, world, "staff4"), as_supervisor(auth, world, "head")
    plan = await create_plan(client, world.nip("staff5"), chief)
    url = plan_url(plan["id"])

    assert (await client.get(url)).status_code == 401
    assert (await client.get(url, headers=head)).status_code == 200  # their reporting line
    above = await client.patch(url, json={"goals": []}, headers=head)
    assert above.status_code == 403 and code_of(above) == "not_plan_editor"
    assert (await client.post(f"{url}/approve", headers=head)).status_code == 403
    other = as_employee(auth, world, "staff1")
    assert (await client.get(url, headers=other)).status_code == 404
    assert (await client.patch(url, json={}, headers=other)).status_code == 404
    for_someone = await client.post(plans_of(world.nip("staff5")), json=plan_body(), headers=other)
    assert for_someone.status_code == 404
    draft_for_staff5 = f"{plans_of(world.nip('staff5'))}/draft"
    assert (await client.post(draft_for_staff5, json={"year": YEAR})).status_code == 401
    assert (await client.post(draft_for_staff5, json={}, headers=other)).status_code == 404
    hr_b = auth(Role.HR_OFFICER, AGENCY_B)
    assert (await client.post(draft_for_staff5, json={}, headers=hr_b)).status_code == 404
    assert (await client.get(url, headers=hr_b)).status_code == 404
    assert (await client.post(f"{url}/approve", headers=hr_b)).status_code == 404
    assert (await client.get(plans_of(world.nip("staff5")), headers=hr_b)).status_code == 404

    own = await client.get(
        plans_of(world.nip("staff5")), headers=as_employee(auth, world, "staff5")
    )
    assert [p["id"] for p in own.json()["items"]] == [plan["id"]]
    approved = await client.post(f"{url}/approve", headers=chief)
    assert approved.status_code == 200, approved.text


async def test_what_a_written_plan_must_hold(
    client: AsyncClient, world: NeedsWorld, auth: TokenFactory
) -> None:
    hr = auth(Role.HR_OFFICER, AGENCY_A)
    nip = world.nip("staff1")
    pengawas_only = await create_course(client, hr, "PKP-01", eligible_position_kinds=["pengawas"])
    cases = [
        ({"needs": [{"competency": "M.1", "required_level": 3}] * 2}, "repeated_competency"),
        ({"needs": [{"competency": "T.99", "required_level": 3}]}, "unknown_competency"),
        (
            {"activities": [{"kind": "training", "title": "PKP", "planned_jp": 120,
                             "course_id": pengawas_only["id"]}]},
            "not_eligible",
        ),
        (
            {"activities": [{"kind": "training", "title": "Tidak ada", "planned_jp": 1,
                             "course_id": "00000000-0000-4000-8000-000000000000"}]},
            "unknown_course",
        ),
    ]  # fmt: skip
    for fields, kind in cases:
        response = await client.post(plans_of(nip), json=plan_body(**fields), headers=hr)
        assert response.status_code == 422, response.text
        assert response.json()["errors"][0]["type"] == kind
    odd = await client.post(
        plans_of(nip), json=plan_body(activities=[{"kind": "sabbatical", "title": "Cuti",
                                                   "planned_jp": 1}]), headers=hr,
    )  # fmt: skip
    assert odd.status_code == 422


async def test_the_agency_lists_and_exports_its_plans(
    client: AsyncClient, world: NeedsWorld, auth: TokenFactory
) -> None:
    hr = auth(Role.HR_OFFICER, AGENCY_A)
    ids = [
        (await create_plan(client, world.nip(k), hr))["id"] for k in ("staff0", "staff1", "staff2")
    ]
    assert (await client.post(plan_url(ids[1], "approve"), headers=hr)).status_code == 200
    listing = f"{API}/training/development-plans"
    first = await client.get(listing, params={"agency": AGENCY_A, "year": YEAR, "limit": 2},
                             headers=hr)  # fmt: skip
    assert first.status_code == 200, first.text
    assert len(first.json()["items"]) == 2 and first.json()["next_cursor"]
    rest = await client.get(
        listing,
        params={"agency": AGENCY_A, "year": YEAR, "cursor": first.json()["next_cursor"]},
        headers=hr,
    )
    assert len(rest.json()["items"]) == 1
    exported = await client.get(
        listing, params={"agency": AGENCY_A, "year": YEAR, "format": "csv"}, headers=hr
    )
    assert exported.status_code == 200, exported.text
    rows = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert sorted(r["nip"] for r in rows) == sorted(world.nip(k) for k in ("staff0", "staff1",
                                                                           "staff2"))  # fmt: skip
    assert {(r["kind"], r["competency"], r["activity_jp"], r["shortfall_jp"]) for r in rows} == {
        ("coaching", "M.1", "8.0", "12.0")
    }
    only_approved = await client.get(
        listing,
        params={"agency": AGENCY_A, "year": YEAR, "format": "csv", "status": "approved"},
        headers=hr,
    )
    approved_rows = list(csv.DictReader(io.StringIO(only_approved.content.decode("utf-8-sig"))))
    assert [(r["nip"], r["status"]) for r in approved_rows] == [(world.nip("staff1"), "approved")]
    xlsx = await client.get(
        listing, params={"agency": AGENCY_A, "year": YEAR, "format": "xlsx"}, headers=hr
    )
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")
    staff = as_supervisor(auth, world, "head")
    assert (
        await client.get(listing, params={"agency": AGENCY_A}, headers=staff)
    ).status_code == 403
    hr_b = auth(Role.HR_OFFICER, AGENCY_B)
    assert (await client.get(listing, params={"agency": AGENCY_A}, headers=hr_b)).status_code == 403
