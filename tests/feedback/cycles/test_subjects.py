"""Subjects of a cycle: by NIPs or by unit (with sub-units) and position kind, active
employees of the cycle's agency only, as they were placed when added."""

import uuid
from datetime import date

from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import select, update

from asn_career.core.auth import Role
from asn_career.core.db import unit_of_work
from asn_career.feedback.models import Subject
from asn_career.org.models import Position, Unit
from asn_career.profiles.models import Employee
from tests.conftest import AGENCY_A, TokenFactory
from tests.feedback.cycles.helpers import CYCLES, add_request, add_subjects, audit, create_cycle
from tests.feedback.factory import FeedbackWorld, nip_for


async def sub_unit(app: FastAPI, world: FeedbackWorld, people: int) -> tuple[uuid.UUID, list[str]]:
    """A section under the world's unit with ``people`` pengawas-level staff in it."""
    unit_id, position_id = uuid.uuid4(), uuid.uuid4()
    nips = []
    async with unit_of_work(app.state.sessionmaker) as session:
        session.add(
            Unit(id=unit_id, agency_code=AGENCY_A, code="MUTASI", name="Bidang Mutasi",
                 kind="bidang", parent_id=world.unit_id, path=[world.unit_id, unit_id])
        )  # fmt: skip
        await session.flush()
        session.add(
            Position(id=position_id, agency_code=AGENCY_A, unit_id=unit_id, code="KASUBBID",
                     title="Kepala Subbidang Mutasi", kind="pengawas", is_shared=True,
                     reports_to_position_id=world.positions["head"])
        )  # fmt: skip
        await session.flush()
        for n in range(people):
            nip = nip_for(1, 50 + n)
            session.add(
                Employee(nip=nip, name=f"Pengawas {n}", gender="M", birth_date=date(1980, 1, 1),
                         employment_type="pns", appointment_date=date(2005, 1, 1),
                         rank_code="III/d", agency_code=AGENCY_A, unit_id=unit_id,
                         position_id=position_id)
            )  # fmt: skip
            nips.append(nip)
    return unit_id, nips


async def test_subjects_by_nips_are_added_once_and_listed_by_name(
    client: AsyncClient, world: FeedbackWorld, hr_a: dict[str, str], app: FastAPI
) -> None:
    cycle = await create_cycle(client, hr_a, world.questionnaire_id)
    url = f"{CYCLES}/{cycle['id']}/subjects"
    nips = [world.nip("staff1"), world.nip("staff0"), world.nip("staff1")]
    first = await client.post(url, json={"nips": nips, "public_facing": True}, headers=hr_a)
    assert first.status_code == 200, first.text
    assert first.json() == {"matched": 2, "added": 2, "subjects": 2}
    again = await add_subjects(client, hr_a, str(cycle["id"]), [world.nip("staff0")])
    assert again == {"matched": 1, "added": 0, "subjects": 2}
    await add_request(client, hr_a, str(cycle["id"]), world.nip("staff0"), world.nip("head"),
                      "supervisor")  # fmt: skip
    page = await client.get(f"{url}?limit=1", headers=hr_a)
    assert page.status_code == 200
    [subject] = page.json()["items"]
    assert subject["nip"] == world.nip("staff0") and subject["name"] == "Pegawai staff0"
    assert subject["unit_id"] == str(world.unit_id) and subject["unit_name"] == "BKPSDM"
    assert subject["position_title"] == "Analis SDM" and subject["public_facing"] is True
    assert subject["raters"]["supervisor"] == 1
    rest = await client.get(f"{url}?cursor={page.json()['next_cursor']}", headers=hr_a)
    assert [s["nip"] for s in rest.json()["items"]] == [world.nip("staff1")]
    [row] = await audit(app, "feedback_cycle.subjects_added")
    assert row.changes["subjects"] == {"before": 0, "after": 2}


async def test_only_active_employees_of_the_cycles_agency(
    client: AsyncClient, world: FeedbackWorld, hr_a: dict[str, str], app: FastAPI
) -> None:
    async with unit_of_work(app.state.sessionmaker) as session:
        await session.execute(
            update(Employee).where(Employee.nip == world.nip("staff2")).values(status="retired")
        )
    cycle = await create_cycle(client, hr_a, world.questionnaire_id)
    nips = [world.nip("staff0"), world.nip("b"), world.nip("staff2"), "199001012015011001"]
    response = await client.post(
        f"{CYCLES}/{cycle['id']}/subjects", json={"nips": nips}, headers=hr_a
    )
    assert response.status_code == 422
    assert [(e["loc"], e["type"]) for e in response.json()["errors"]] == [
        (["body", "nips", n], "not_active_staff") for n in (1, 2, 3)
    ]
    assert (await client.get(f"{CYCLES}/{cycle['id']}", headers=hr_a)).json()["counts"][
        "subjects"
    ] == 0


async def test_subjects_by_unit_with_sub_units_and_position_kind(
    client: AsyncClient, world: FeedbackWorld, hr_a: dict[str, str], app: FastAPI
) -> None:
    section, section_nips = await sub_unit(app, world, 3)
    cycle = await create_cycle(client, hr_a, world.questionnaire_id)
    url = f"{CYCLES}/{cycle['id']}/subjects"
    only_section = await client.post(url, json={"unit_id": str(section)}, headers=hr_a)
    assert only_section.json() == {"matched": 3, "added": 3, "subjects": 3}
    pelaksana = await client.post(
        url,
        json={"unit_id": str(world.unit_id), "position_kind": "pelaksana", "public_facing": True},
        headers=hr_a,
    )
    assert pelaksana.json() == {"matched": 6, "added": 6, "subjects": 9}
    whole_tree = await client.post(url, json={"unit_id": str(world.unit_id)}, headers=hr_a)
    assert whole_tree.json() == {"matched": 10, "added": 1, "subjects": 10}  # the head
    other = await create_cycle(client, hr_a, world.questionnaire_id)
    top_only = await client.post(
        f"{CYCLES}/{other['id']}/subjects",
        json={"unit_id": str(world.unit_id), "include_subunits": False},
        headers=hr_a,
    )
    assert top_only.json()["added"] == 7  # the head and six staff, not the section
    by_kind = await client.post(
        f"{CYCLES}/{other['id']}/subjects", json={"position_kind": "pengawas"}, headers=hr_a
    )
    assert by_kind.json() == {"matched": 3, "added": 3, "subjects": 10}
    async with unit_of_work(app.state.sessionmaker) as session:
        stored = (
            await session.execute(
                select(Subject.unit_id, Subject.public_facing).where(
                    Subject.cycle_id == uuid.UUID(cycle["id"])
                )
            )
        ).all()
    assert sum(1 for unit_id, _ in stored if unit_id == section) == len(section_nips)
    assert sum(1 for _, public in stored if public) == 6


async def test_a_filter_must_name_the_cycles_agency_and_one_way_only(
    client: AsyncClient, world: FeedbackWorld, hr_a: dict[str, str], app: FastAPI
) -> None:
    cycle = await create_cycle(client, hr_a, world.questionnaire_id)
    url = f"{CYCLES}/{cycle['id']}/subjects"
    async with unit_of_work(app.state.sessionmaker) as session:
        unit_b = await session.scalar(select(Unit.id).where(Unit.agency_code != AGENCY_A))
    foreign = await client.post(url, json={"unit_id": str(unit_b)}, headers=hr_a)
    assert foreign.status_code == 422
    assert foreign.json()["errors"][0]["type"] == "unit_not_found"
    both = await client.post(
        url, json={"nips": [world.nip("staff0")], "position_kind": "pelaksana"}, headers=hr_a
    )
    assert both.status_code == 422
    neither = await client.post(url, json={"public_facing": True}, headers=hr_a)
    assert neither.status_code == 422


async def test_removing_a_subject_takes_the_requests_about_them(
    client: AsyncClient, world: FeedbackWorld, hr_a: dict[str, str], hr_b: dict[str, str],
    app: FastAPI, auth: TokenFactory,
) -> None:  # fmt: skip
    cycle = await create_cycle(client, hr_a, world.questionnaire_id)
    staff0, staff1 = world.nip("staff0"), world.nip("staff1")
    await add_subjects(client, hr_a, str(cycle["id"]), [staff0, staff1])
    await add_request(client, hr_a, str(cycle["id"]), staff0, staff1, "peer")
    await add_request(client, hr_a, str(cycle["id"]), staff1, staff0, "peer")
    url = f"{CYCLES}/{cycle['id']}/subjects/{staff0}"
    assert (await client.delete(url)).status_code == 401
    employee = auth(Role.EMPLOYEE, AGENCY_A, sub=staff0)
    assert (await client.delete(url, headers=employee)).status_code == 403
    assert (await client.delete(url, headers=hr_b)).status_code == 404
    assert (await client.delete(url, headers=hr_a)).status_code == 204
    assert (await client.delete(url, headers=hr_a)).status_code == 404
    remaining = await client.get(f"{CYCLES}/{cycle['id']}/requests", headers=hr_a)
    assert [(r["subject_nip"], r["rater_nip"]) for r in remaining.json()["items"]] == [
        (staff1, staff0)  # staff0 still rates staff1
    ]
    [row] = await audit(app, "feedback_cycle.subject_removed")
    assert row.nip == staff0 and row.changes["requests"]["before"] == 1


async def test_subject_routes_answer_only_hr_of_the_agency(
    client: AsyncClient, world: FeedbackWorld, hr_a: dict[str, str], hr_b: dict[str, str],
    auth: TokenFactory,
) -> None:  # fmt: skip
    cycle = await create_cycle(client, hr_a, world.questionnaire_id)
    url = f"{CYCLES}/{cycle['id']}/subjects"
    body = {"nips": [world.nip("staff0")]}
    assert (await client.get(url)).status_code == 401
    assert (await client.post(url, json=body)).status_code == 401
    supervisor = auth(Role.SUPERVISOR, AGENCY_A, sub=world.nip("head"))
    assert (await client.get(url, headers=supervisor)).status_code == 403
    assert (await client.post(url, json=body, headers=supervisor)).status_code == 403
    assert (await client.get(url, headers=hr_b)).status_code == 404
    assert (await client.post(url, json=body, headers=hr_b)).status_code == 404
