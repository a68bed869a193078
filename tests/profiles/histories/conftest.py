"""A small world for the history tests, inserted directly (the org and employee APIs are
built in parallel): agencies A and B, units, positions with a reporting line, employees."""

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from fastapi import FastAPI
from httpx import AsyncClient

from asn_career.core.auth import Role
from asn_career.core.db import unit_of_work
from asn_career.org.models import Agency, Competency, Position, Unit
from asn_career.profiles.models import Employee
from tests.conftest import AGENCY_A, AGENCY_B, TokenFactory

STAFF_NIP = "198609262015051001"  # in A, reports to the chief
CHIEF_NIP = "197501012000031002"  # in A, supervisor of the staff
OTHER_NIP = "199001012015032003"  # in A, outside the chief's line
B_NIP = "198805052014021004"  # in B


@dataclass
class World:
    unit_a: uuid.UUID
    unit_a2: uuid.UUID
    unit_b: uuid.UUID
    chief_position: uuid.UUID
    staff_position: uuid.UUID
    analyst: uuid.UUID  # free, not shared, unit_a2
    desk: uuid.UUID  # shared (e.g. pelaksana pool), unit_a
    position_b: uuid.UUID
    tech_a: str  # "T.1" of agency A
    staff: str = STAFF_NIP
    chief: str = CHIEF_NIP
    other: str = OTHER_NIP
    b: str = B_NIP


async def build_world(app: FastAPI) -> World:
    u = {k: uuid.uuid4() for k in ("a", "a2", "b")}
    p = {k: uuid.uuid4() for k in ("chief", "staff", "analyst", "desk", "b")}
    async with unit_of_work(app.state.sessionmaker) as session:
        session.add_all(
            [
                Agency(
                    code=AGENCY_A, name="Pemerintah Kota Tangerang Selatan", region_code="36.74"
                ),
                Agency(code=AGENCY_B, name="Pemerintah Kota Kupang", region_code="53.71"),
            ]
        )
        await session.flush()
        session.add_all(
            [
                Unit(id=u["a"], agency_code=AGENCY_A, code="BKPSDM", name="BKPSDM",
                     kind="badan", path=[u["a"]]),
                Unit(id=u["a2"], agency_code=AGENCY_A, code="BAPPEDA", name="Bappeda",
                     kind="badan", path=[u["a2"]]),
                Unit(id=u["b"], agency_code=AGENCY_B, code="BKPSDM", name="BKPSDM Kupang",
                     kind="badan", path=[u["b"]]),
            ]
        )  # fmt: skip
        await session.flush()

        def position(key: str, agency: str, unit: str, **extra: object) -> Position:
            return Position(
                id=p[key], agency_code=agency, unit_id=u[unit], code=key.upper(),
                title=f"Jabatan {key}", kind="pelaksana", **extra,
            )  # fmt: skip

        session.add(position("chief", AGENCY_A, "a"))
        await session.flush()
        session.add_all(
            [
                position("staff", AGENCY_A, "a", reports_to_position_id=p["chief"]),
                position("analyst", AGENCY_A, "a2"),
                position("desk", AGENCY_A, "a", is_shared=True),
                position("b", AGENCY_B, "b"),
            ]
        )
        session.add_all(
            [
                Competency(code="T.1", agency_code=AGENCY_A, kind="technical",
                           name_id="Manajemen ASN", name_en="Civil-service management"),
                Competency(code="T.2", agency_code=AGENCY_B, kind="technical",
                           name_id="Kepariwisataan", name_en="Tourism"),
            ]
        )  # fmt: skip
        await session.flush()

        def employee(nip: str, name: str, agency: str, unit: str, pos: str | None) -> Employee:
            born = date(int(nip[:4]), int(nip[4:6]), int(nip[6:8]))
            appointed = date(int(nip[8:12]), int(nip[12:14]), 1)
            return Employee(
                nip=nip, name=name, gender="M" if nip[14] == "1" else "F", birth_date=born,
                employment_type="pns", appointment_date=appointed, agency_code=agency,
                unit_id=u[unit], position_id=p[pos] if pos else None,
            )  # fmt: skip

        session.add_all(
            [
                employee(STAFF_NIP, "Budi Santoso", AGENCY_A, "a", "staff"),
                employee(CHIEF_NIP, "Siti Rahayu", AGENCY_A, "a", "chief"),
                employee(OTHER_NIP, "Dewi Lestari", AGENCY_A, "a2", None),
                employee(B_NIP, "Yohanes Kase", AGENCY_B, "b", None),
            ]
        )
    return World(
        unit_a=u["a"],
        unit_a2=u["a2"],
        unit_b=u["b"],
        chief_position=p["chief"],
        staff_position=p["staff"],
        analyst=p["analyst"],
        desk=p["desk"],
        position_b=p["b"],
        tech_a="T.1",
    )


@pytest.fixture
async def world(app: FastAPI) -> World:
    return await build_world(app)


Headers = dict[str, str]


@pytest.fixture
def hr_a(auth: TokenFactory) -> Headers:
    return auth(Role.HR_OFFICER, AGENCY_A, sub="hr-a")


@pytest.fixture
def hr_b(auth: TokenFactory) -> Headers:
    return auth(Role.HR_OFFICER, AGENCY_B, sub="hr-b")


@pytest.fixture
def as_staff(auth: TokenFactory) -> Headers:
    return auth(Role.EMPLOYEE, AGENCY_A, sub=STAFF_NIP)


@pytest.fixture
def as_chief(auth: TokenFactory) -> Headers:
    return auth(Role.SUPERVISOR, AGENCY_A, sub=CHIEF_NIP)


def url(nip: str, path: str) -> str:
    return f"/api/v1/employees/{nip}/{path}"


async def post_ok(
    client: AsyncClient, nip: str, path: str, body: dict[str, Any], headers: Headers
) -> dict[str, Any]:
    response = await client.post(url(nip, path), json=body, headers=headers)
    assert response.status_code == 201, response.text
    data: dict[str, Any] = response.json()
    return data
