"""A small organisation for the surveys and the evaluation, inserted directly: agency A
with two perangkat daerah (each with a bidang), 24 employees of both genders and several
rank groups, positions held since 2018 (some moved this year), training hours this year
and last, competency levels below their positions' requirements; agency B with a few.
Then a survey of A answered through the API by 22 of them and closed."""

import uuid
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import select

from asn_career.core.auth import Role
from asn_career.core.db import unit_of_work
from asn_career.org.models import Agency, Competency, Position, PositionCompetency, Unit
from asn_career.org.rules import today_in_indonesia
from asn_career.profiles.models import Assignment, CurrentCompetency, Employee, Training
from tests.conftest import AGENCY_A, AGENCY_B, TokenFactory
from tests.feedback.factory import nip_for

API = "/api/v1"
YEAR = today_in_indonesia().year
RANKS = ("III/a", "III/c", "IV/a", "II/c", "III/b", "IV/b")


def answers(n: int) -> dict[str, int]:
    """A deterministic, varied set of answers for respondent ``n``."""
    codes = ("promosi_adil", "rotasi_adil", "akses_pelatihan", "jalur_karier", "umpan_balik",
             "mentoring", "sistem_informasi")  # fmt: skip
    return {c: 1 + (n * 3 + k) % 5 for k, c in enumerate(codes)}


@dataclass
class EvaluationWorld:
    app: FastAPI
    units: dict[str, uuid.UUID] = field(default_factory=dict)
    nips: list[str] = field(default_factory=list)
    b_nips: list[str] = field(default_factory=list)
    people: list[tuple[str, str, str, str]] = field(default_factory=list)
    """(nip, top unit key, gender, rank) of agency A."""
    survey_id: str = ""

    async def setup(self) -> "EvaluationWorld":
        async with unit_of_work(self.app.state.sessionmaker) as session:
            for code, name in ((AGENCY_A, "Kota Tangerang Selatan"), (AGENCY_B, "Kota Kupang")):
                if await session.get(Agency, code) is None:
                    session.add(Agency(code=code, name=name, region_code=code))
            await session.flush()
            competency = await session.scalar(select(Competency.id).where(Competency.code == "M.1"))
            assert competency is not None
            specs = (("u1", AGENCY_A, "BAPPEDA", "Bappeda"), ("u2", AGENCY_A, "BKPSDM", "BKPSDM"),
                     ("ub", AGENCY_B, "BKPSDM-B", "BKPSDM Kupang"))  # fmt: skip
            for key, agency, code, name in specs:
                uid = uuid.uuid4()
                self.units[key] = uid
                session.add(Unit(id=uid, agency_code=agency, code=code, name=name, kind="badan",
                                 parent_id=None, path=[uid]))  # fmt: skip
            await session.flush()
            for key in ("u1", "u2"):
                sub = uuid.uuid4()
                self.units[f"{key}_sub"] = sub
                session.add(Unit(id=sub, agency_code=AGENCY_A, code=f"{key.upper()}-BID",
                                 name=f"Bidang {key}", kind="bidang", parent_id=self.units[key],
                                 path=[self.units[key], sub]))  # fmt: skip
            await session.flush()
            people = [(n, AGENCY_A, "u1" if n < 14 else "u2") for n in range(24)]
            people += [(n, AGENCY_B, "ub") for n in range(24, 30)]
            for n, agency, top in people:
                unit = self.units[f"{top}_sub"] if agency == AGENCY_A and n % 3 else self.units[top]
                pid = uuid.uuid4()
                session.add(Position(id=pid, agency_code=agency, unit_id=unit, code=f"P{n}",
                                     title=f"Analis {n}", kind="pelaksana"))  # fmt: skip
                await session.flush()
                session.add(PositionCompetency(position_id=pid, competency_id=competency, level=3))
                nip = nip_for(1 if agency == AGENCY_A else 2, n)
                gender = "M" if n % 2 == 0 else "F"
                pppk = n in (5, 17)
                rank = "IX" if pppk else RANKS[n % len(RANKS)]
                employee = Employee(
                    nip=nip, name=f"Pegawai {n}", gender=gender, birth_date=date(1980, 1, 1),
                    employment_type="pppk" if pppk else "pns",
                    appointment_date=date(2005, 1, 1), rank_code=rank, agency_code=agency,
                    unit_id=unit, position_id=pid,
                )  # fmt: skip
                session.add(employee)
                await session.flush()
                if agency == AGENCY_A:
                    self.nips.append(nip)
                    self.people.append((nip, top, gender, rank))
                else:
                    self.b_nips.append(nip)
                moved = n in (2, 9, 15)
                if moved:
                    old = uuid.uuid4()
                    session.add(Position(id=old, agency_code=agency, unit_id=unit, code=f"OLD{n}",
                                         title=f"Staf {n}", kind="pelaksana"))  # fmt: skip
                    await session.flush()
                    session.add(Assignment(employee_id=employee.id, position_id=old,
                                           start_date=date(2018, 1, 1),
                                           end_date=date(YEAR, 1, 31)))  # fmt: skip
                    session.add(Assignment(employee_id=employee.id, position_id=pid,
                                           start_date=date(YEAR, 2, 1)))  # fmt: skip
                else:
                    session.add(Assignment(employee_id=employee.id, position_id=pid,
                                           start_date=date(2018, 1, 1)))  # fmt: skip
                session.add(CurrentCompetency(employee_id=employee.id, competency_id=competency,
                                              level=1 + n % 3, source="assessment_center",
                                              assessed_on=date(YEAR, 1, 5)))  # fmt: skip
                # u1 trains well, u2 less; this year more than last
                jp = 24 if top == "u1" else (8 if n % 2 else 22)
                session.add(Training(employee_id=employee.id, title="Diklat", form="training",
                                     hours_jp=Decimal(jp),
                                     start_date=date(YEAR, 1, 10)))  # fmt: skip
                if n % 2 == 0:
                    session.add(Training(employee_id=employee.id, title="Diklat lalu",
                                         form="training", hours_jp=Decimal(20),
                                         start_date=date(YEAR - 1, 3, 1)))  # fmt: skip
        return self

    async def survey(self, client: AsyncClient, auth: TokenFactory, respondents: int = 22) -> str:
        hr = auth(Role.HR_OFFICER, AGENCY_A)
        body = {"agency_code": AGENCY_A, "title": "Survei Karier", "year": YEAR}
        created = await client.post(f"{API}/surveys", json=body, headers=hr)
        assert created.status_code == 201, created.text
        sid = str(created.json()["id"])
        assert (await client.post(f"{API}/surveys/{sid}/open", headers=hr)).status_code == 200
        for n, nip in enumerate(self.nips[:respondents]):
            me = auth(Role.EMPLOYEE, AGENCY_A, sub=nip)
            comment = f"Saran nomor {n}" if n % 3 == 0 else None
            body = {"scores": answers(n), "comment": comment}
            sent = await client.post(f"{API}/surveys/{sid}/responses", json=body, headers=me)
            assert sent.status_code == 201, sent.text
        closed = await client.post(f"{API}/surveys/{sid}/close", headers=hr)
        assert closed.status_code == 200, closed.text
        self.survey_id = sid
        return sid
