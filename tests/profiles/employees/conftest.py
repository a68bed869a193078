"""Organisation objects for the employee tests, inserted directly (the org API is built in
parallel): agencies A and B, a unit tree, positions with a reporting line and requirements.
"""

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import select, update

from asn_career.core.db import unit_of_work
from asn_career.org.models import Agency, Competency, Position, PositionCompetency, Unit
from asn_career.profiles.models import CurrentCompetency, Employee, Training
from tests.conftest import AGENCY_A, AGENCY_B


@dataclass
class Org:
    unit_a: uuid.UUID  # root unit of A (BKPSDM)
    unit_a_child: uuid.UUID  # a bidang below it
    unit_a_other: uuid.UUID  # another root of A
    unit_b: uuid.UUID
    head: uuid.UUID  # kepala (jpt_pratama) in A
    chief: uuid.UUID  # reports to head (administrator)
    staff: uuid.UUID  # reports to chief (pelaksana)
    outsider: uuid.UUID  # in A, outside the head's line (fungsional)
    position_b: uuid.UUID


async def insert_org(app: FastAPI) -> Org:
    ids = {name: uuid.uuid4() for name in ("ua", "uac", "uao", "ub")}
    pos = {name: uuid.uuid4() for name in ("head", "chief", "staff", "outsider", "pb")}
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
                Unit(id=ids["ua"], agency_code=AGENCY_A, code="BKPSDM", name="BKPSDM",
                     kind="badan", parent_id=None, path=[ids["ua"]]),
                Unit(id=ids["uao"], agency_code=AGENCY_A, code="DINKES", name="Dinas Kesehatan",
                     kind="dinas", parent_id=None, path=[ids["uao"]]),
                Unit(id=ids["ub"], agency_code=AGENCY_B, code="BKPSDM", name="BKPSDM Kupang",
                     kind="badan", parent_id=None, path=[ids["ub"]]),
            ]
        )  # fmt: skip
        await session.flush()
        session.add(
            Unit(id=ids["uac"], agency_code=AGENCY_A, code="BIDANG-PK", kind="bidang",
                 name="Bidang Pengembangan Kompetensi", parent_id=ids["ua"],
                 path=[ids["ua"], ids["uac"]])
        )  # fmt: skip
        await session.flush()

        def position(key: str, agency: str, unit: str, kind: str, reports: str | None) -> Position:
            return Position(
                id=pos[key], agency_code=agency, unit_id=ids[unit], code=key.upper(),
                title=f"Jabatan {key}", kind=kind,
                reports_to_position_id=pos[reports] if reports else None,
            )  # fmt: skip

        for p in (
            position("head", AGENCY_A, "ua", "jpt_pratama", None),
            position("chief", AGENCY_A, "uac", "administrator", "head"),
            position("staff", AGENCY_A, "uac", "pelaksana", "chief"),
            position("outsider", AGENCY_A, "uao", "fungsional", None),
            position("pb", AGENCY_B, "ub", "pelaksana", None),
        ):
            session.add(p)
            await session.flush()
        codes = await competency_ids(session)
        session.add_all(
            [
                PositionCompetency(position_id=pos["chief"], competency_id=codes["M.1"], level=3),
                PositionCompetency(position_id=pos["chief"], competency_id=codes["M.2"], level=2),
                PositionCompetency(position_id=pos["chief"], competency_id=codes["M.3"], level=4),
            ]
        )
    return Org(
        ids["ua"], ids["uac"], ids["uao"], ids["ub"],
        pos["head"], pos["chief"], pos["staff"], pos["outsider"], pos["pb"],
    )  # fmt: skip


async def competency_ids(session: Any) -> dict[str, int]:
    rows = await session.execute(select(Competency.code, Competency.id))
    return {code: cid for code, cid in rows}


@pytest.fixture
async def org(app: FastAPI) -> Org:
    return await insert_org(app)


async def place(app: FastAPI, nip: str, position_id: uuid.UUID) -> None:
    """Mirror an open primary assignment (kept by the histories' service in the app)."""
    async with unit_of_work(app.state.sessionmaker) as session:
        await session.execute(
            update(Employee).where(Employee.nip == nip).values(position_id=position_id)
        )


async def set_level(app: FastAPI, nip: str, code: str, level: int) -> None:
    async with unit_of_work(app.state.sessionmaker) as session:
        employee_id = await session.scalar(select(Employee.id).where(Employee.nip == nip))
        codes = await competency_ids(session)
        session.add(
            CurrentCompetency(
                employee_id=employee_id, competency_id=codes[code], level=level,
                source="assessment_center", assessed_on=date(2025, 3, 1),
            )
        )  # fmt: skip


async def add_training(
    app: FastAPI, nip: str, hours: str, start: date, end: date | None = None
) -> None:
    async with unit_of_work(app.state.sessionmaker) as session:
        employee_id = await session.scalar(select(Employee.id).where(Employee.nip == nip))
        session.add(
            Training(
                employee_id=employee_id, title="Pelatihan", hours_jp=Decimal(hours),
                start_date=start, end_date=end, form="training",
            )
        )  # fmt: skip


def make_nip(
    birth: str = "19860926",
    tmt: str = "201505",
    gender: str = "1",
    seq: str = "001",
) -> str:
    return birth + tmt + gender + seq


async def create_employee(
    client: AsyncClient, headers: dict[str, str], **fields: Any
) -> dict[str, Any]:
    body: dict[str, Any] = {"name": "Budi Santoso", "agency": AGENCY_A, **fields}
    body.setdefault("nip", make_nip())
    response = await client.post("/api/v1/employees", json=body, headers=headers)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result
