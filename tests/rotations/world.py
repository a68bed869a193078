"""A small organisation for the rotation tests, inserted directly.

Agency A: a secretariat (head ``head``), a legal section (``kabag_hukum`` over
``analis_hukum`` and the vacant ``staf_hukum``), a population-service office (``kasi_layanan``
over ``staf_layanan``) and a district office with the vacant ``staf_kec``. People hold these
positions through open primary assignments (``start`` months ago), with education, current
competency levels, SKP, interests and sanctions as each test needs. Agency B: one position,
one person.
"""

import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from fastapi import FastAPI
from httpx import Response
from sqlalchemy import select

from asn_career.core.db import unit_of_work
from asn_career.org.models import Agency, Competency, Position, PositionCompetency, Unit
from asn_career.org.rules import today_in_indonesia
from asn_career.profiles.histories.rules import skp_predicate
from asn_career.profiles.models import (
    Assignment,
    CareerInterest,
    CurrentCompetency,
    Education,
    Employee,
    Performance,
    Sanction,
)
from asn_career.rotations.rules import add_months
from tests.conftest import AGENCY_A, AGENCY_B

TODAY = today_in_indonesia()

UNITS = {  # key → (agency, kind)
    "setda": (AGENCY_A, "sekretariat"),
    "hukum": (AGENCY_A, "bagian"),
    "layanan": (AGENCY_A, "dinas"),
    "kec": (AGENCY_A, "kecamatan"),
    "b": (AGENCY_B, "badan"),
}
POSITIONS = {  # key → (unit, kind, reports to, min rank, max rank, preferred fields)
    "head": ("setda", "jpt_pratama", None, "IV/a", "IV/e", []),
    "kabag_hukum": ("hukum", "administrator", "head", "III/c", "IV/b", ["Ilmu Hukum"]),
    "analis_hukum": ("hukum", "pelaksana", "kabag_hukum", "II/a", "III/d", ["Ilmu Hukum"]),
    "staf_hukum": ("hukum", "pelaksana", "kabag_hukum", "II/a", "III/d", ["Ilmu Hukum"]),
    "kasi_layanan": ("layanan", "pengawas", "head", "III/b", "IV/a", []),
    "staf_layanan": ("layanan", "pelaksana", "kasi_layanan", "II/a", "III/d", ["Administrasi"]),
    "staf_kec": ("kec", "pelaksana", "head", "II/a", "III/d", ["Administrasi"]),
    "b": ("b", "pelaksana", None, None, None, []),
}
REQUIRED = {
    "analis_hukum": {"M.1": 3, "M.3": 2},
    "staf_hukum": {"M.1": 3, "M.3": 2},
    "staf_layanan": {"M.5": 3},
    "staf_kec": {"M.5": 2, "M.1": 2},
}


def nip(birth: date, appointed: date, n: int) -> str:
    return f"{birth:%Y%m%d}{appointed:%Y%m}1{n:03d}"


@dataclass
class World:
    app: FastAPI
    units: dict[str, uuid.UUID] = field(default_factory=dict)
    positions: dict[str, uuid.UUID] = field(default_factory=dict)
    employees: dict[str, uuid.UUID] = field(default_factory=dict)
    nips: dict[str, str] = field(default_factory=dict)
    assignments: dict[str, uuid.UUID] = field(default_factory=dict)
    competencies: dict[str, int] = field(default_factory=dict)

    async def setup(self) -> "World":
        async with unit_of_work(self.app.state.sessionmaker) as session:
            for code in (AGENCY_A, AGENCY_B):
                if await session.get(Agency, code) is None:
                    session.add(Agency(code=code, name=f"Instansi {code}", region_code=code))
            await session.flush()
            for key, (agency, kind) in UNITS.items():
                uid = uuid.uuid4()
                session.add(
                    Unit(
                        id=uid,
                        agency_code=agency,
                        code=key.upper(),
                        name=f"Unit {key}",
                        kind=kind,
                        path=[uid],
                    )
                )
                self.units[key] = uid
            await session.flush()
            self.competencies = dict(
                (await session.execute(select(Competency.code, Competency.id))).all()
            )
            for key, (unit, kind, boss, low, high, fields) in POSITIONS.items():
                pid = uuid.uuid4()
                session.add(
                    Position(
                        id=pid,
                        agency_code=UNITS[unit][0],
                        unit_id=self.units[unit],
                        code=key.upper(),
                        title=f"Jabatan {key}",
                        kind=kind,
                        min_rank=low,
                        max_rank=high,
                        reports_to_position_id=self.positions.get(boss or ""),
                        preferred_education_fields=fields,
                    )
                )
                self.positions[key] = pid
                await session.flush()
                for code, level in REQUIRED.get(key, {}).items():
                    session.add(
                        PositionCompetency(
                            position_id=pid, competency_id=self.competencies[code], level=level
                        )
                    )
        return self

    async def person(
        self,
        key: str,
        position: str | None,
        *,
        months: int = 36,
        rank: str = "III/a",
        birth: date = date(1985, 3, 4),
        appointed: date = date(2010, 3, 1),
        status: str = "active",
        education: str | None = None,
        levels: dict[str, int] | None = None,
        skp: tuple[str, str] | None = None,
        interests: list[dict[str, Any]] | None = None,
        sanction: bool = False,
        history: list[str] | None = None,
    ) -> uuid.UUID:
        """An employee holding ``position`` for ``months`` months (``history``: earlier
        positions, two years each, before that)."""
        agency = AGENCY_B if position == "b" else AGENCY_A
        n = len(self.employees) + 1
        start = add_months(TODAY, -months)
        async with unit_of_work(self.app.state.sessionmaker) as session:
            pos = self.positions[position] if position else None
            unit = self.units[POSITIONS[position][0]] if position else self.units["setda"]
            e = Employee(
                nip=nip(birth, appointed, n),
                name=f"Pegawai {key}",
                gender="M",
                birth_date=birth,
                employment_type="pns",
                appointment_date=appointed,
                rank_code=rank,
                status=status,
                agency_code=agency,
                unit_id=unit,
                position_id=pos,
            )
            session.add(e)
            await session.flush()
            self.employees[key], self.nips[key] = e.id, e.nip
            earlier = start
            for old in reversed(history or []):
                begin = add_months(earlier, -24)
                session.add(
                    Assignment(
                        employee_id=e.id,
                        position_id=self.positions[old],
                        start_date=begin,
                        end_date=earlier - timedelta(days=1),
                    )
                )
                earlier = begin
            if pos is not None:
                a = Assignment(employee_id=e.id, position_id=pos, start_date=start)
                session.add(a)
                await session.flush()
                self.assignments[key] = a.id
            if education:
                session.add(Education(employee_id=e.id, level_code="S1", field=education))
            for code, level in (levels or {}).items():
                session.add(
                    CurrentCompetency(
                        employee_id=e.id,
                        competency_id=self.competencies[code],
                        level=level,
                        source="assessment_center",
                        assessed_on=TODAY,
                    )
                )
            if skp:
                session.add(
                    Performance(
                        employee_id=e.id,
                        year=TODAY.year - 1,
                        period="annual",
                        results=skp[0],
                        behaviour=skp[1],
                        predicate=skp_predicate(*skp),
                    )
                )
            for interest in interests or []:
                values = {
                    k: self.positions[v]
                    if k == "target_position_id"
                    else self.units[v]
                    if k == "target_unit_id"
                    else v
                    for k, v in interest.items()
                }
                session.add(
                    CareerInterest(employee_id=e.id, kind="position", description="Minat", **values)
                )
            if sanction:
                session.add(
                    Sanction(
                        employee_id=e.id,
                        severity="light",
                        kind="Teguran lisan",
                        start_date=add_months(TODAY, -1),
                    )
                )
        return e.id


def problem(response: Response) -> str:
    """The problem's code, from its ``type`` URL (``…/problems/position-held``)."""
    return str(response.json()["type"]).rsplit("/", 1)[1]


async def rotation_world(app: FastAPI) -> World:
    return await World(app).setup()
